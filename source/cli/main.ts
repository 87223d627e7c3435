#!/usr/bin/env -S node --max-semi-space-size=32
/*
 * memtop's entry. Node 22 is the floor; the package ships a Node 24 (the `node` npm package), so
 * when an older `node` started us we re-run ourselves on the bundled one. Nothing else is loaded
 * before that check, so this file must stay plain.
 *
 * The shebang caps V8's young generation at 32 MB a semi-space: at 150k pods the default lets it
 * grow to 64 MB a semi-space of mostly empty pages (~60 MB more RSS); 16 MB saved a little more
 * but promoted Ink's short-lived frame garbage into old space, and the mark-compacts that follow
 * were the keypress p99 misses (npm run bench, five runs each).
 */
import {spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import path from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
	let bundled: string | undefined;
	try {
		const require = createRequire(import.meta.url);
		bundled = path.join(path.dirname(require.resolve('node/package.json')), 'bin', 'node');
	} catch {
		bundled = undefined;
	}

	if (!bundled || process.env['MEMTOP_REEXEC'] === '1') {
		process.stderr.write(`memtop: needs Node.js 22 or newer (this is ${process.version}); run npm install to get the bundled Node\n`);
		process.exit(1);
	}

	const result = spawnSync(bundled, [...process.execArgv, ...process.argv.slice(1)], {stdio: 'inherit', env: {...process.env, MEMTOP_REEXEC: '1'}});
	process.exit(result.status ?? (result.signal ? 128 + 15 : 1));
} else {
	const {main} = await import('./app.js');
	process.exitCode = await main(process.argv.slice(2));
}
