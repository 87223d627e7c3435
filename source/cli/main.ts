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
import {spawn} from 'node:child_process';
import {createRequire} from 'node:module';
import os from 'node:os';
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

	// The child is memtop; this process only waits for it. A signal sent to this one (kill, systemd,
	// a closed terminal) goes on to the child, and we end as it ended: its code, or its signal.
	const child = spawn(bundled, [...process.execArgv, ...process.argv.slice(1)], {stdio: 'inherit', env: {...process.env, MEMTOP_REEXEC: '1'}});
	const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
	const forward = (signal: NodeJS.Signals) => child.kill(signal);
	for (const signal of signals) process.on(signal, forward);
	child.on('error', error => {
		process.stderr.write(`memtop: cannot start the bundled Node (${bundled}): ${error.message}\n`);
		process.exit(1);
	});
	child.on('exit', (code, signal) => {
		for (const s of signals) process.off(s, forward);
		// the same signal on ourselves; one Node ignores (SIGPIPE) ends us with the shell's code for it
		if (signal) process.kill(process.pid, signal);
		process.exit(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1));
	});
} else {
	const {enableCompileCache} = await import('./compile-cache.js');
	enableCompileCache();
	const {main} = await import('./app.js');
	process.exitCode = await main(process.argv.slice(2));
	// Nothing runs after main but the closing of sockets and streams memtop is done with (at 10k
	// pods 3–250 ms after --once printed, loaded): end once what was written has left the process.
	// (an empty write's callback comes after every write before it)
	await Promise.all([process.stdout, process.stderr].map(s => new Promise(resolve => s.write('', resolve))));
	process.exit();
}
