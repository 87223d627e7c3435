/**
 * What a start loads. client-node is bundled into dist/kube/client-node.js at build
 * (source/package/vendor.ts) because its ~870 files cost 0.3–0.9 s at every start; one import of
 * '@kubernetes/client-node' anywhere else loads them all again (it happened: --version went from
 * 0.3 s to 0.5 s). These run the built entry with a loader hook that lists every module loaded,
 * and Node's own internal modules (process.moduleLoadList) as `internal:…`.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
const entry = path.join(repo, 'dist', 'cli', 'main.js');

function loaded(args: string[]): string[] {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-loaded-'));
	const hook = path.join(dir, 'hook.mjs');
	const out = path.join(dir, 'loaded.txt');
	fs.writeFileSync(hook, `import {registerHooks} from 'node:module';\nimport fs from 'node:fs';\nconst seen = [];\nregisterHooks({load(url, context, next) { seen.push(url); return next(url, context); }});\nprocess.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, [...seen, ...process.moduleLoadList.map(m => 'internal:' + m)].join('\\n')));\n`);
	try {
		execFileSync(process.execPath, ['--import', hook, entry, ...args], {stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, KUBECONFIG: path.join(dir, 'none')}});
	} catch {
		// a non-zero exit still lists what it loaded
	}

	const urls = fs.readFileSync(out, 'utf8').split('\n');
	fs.rmSync(dir, {recursive: true, force: true});
	return urls;
}

describe('modules loaded at start', () => {
	it('--version loads client-node only as the one bundle', () => {
		const urls = loaded(['--version']);
		expect(urls.some(u => u.endsWith('/dist/cli/app.js'))).toBe(true);
		expect(urls.filter(u => u.includes('/node_modules/@kubernetes/'))).toEqual([]);
	});

	it('--once loads no UI and no unbundled client-node', () => {
		const urls = loaded(['--once', '--context', 'nope']);
		expect(urls.filter(u => u.includes('/node_modules/@kubernetes/'))).toEqual([]);
		expect(urls.filter(u => /\/node_modules\/(ink|react)\//.test(u))).toEqual([]);
	});

	it('Node\'s fetch (undici) is not loaded: node:http is never imported as an ES module (its facade reads the lazy WebSocket export)', () => {
		for (const args of [['--version'], ['--once', '--context', 'nope']]) {
			const urls = loaded(args);
			expect(urls.filter(u => u.startsWith('internal:')).length).toBeGreaterThan(50);
			expect(urls.filter(u => u.startsWith('internal:') && u.includes('undici'))).toEqual([]);
		}
	});

	it('the bundle leaves undici out, and a proxy-url still goes through client-node\'s proxy agents', () => {
		expect(fs.readFileSync(path.join(repo, 'dist', 'kube', 'client-node.js'), 'utf8')).toContain('undici is not bundled with memtop');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-proxy-'));
		const config = path.join(dir, 'config');
		for (const proxy of ['http://127.0.0.1:1', 'socks5://127.0.0.1:1']) {
			fs.writeFileSync(config, `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:9\n    proxy-url: ${proxy}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\n`);
			let stderr = '';
			try {
				execFileSync(process.execPath, [entry, '--once', '--kubeconfig', config], {stdio: ['ignore', 'ignore', 'pipe']});
			} catch (error) {
				stderr = String((error as {stderr?: Buffer}).stderr ?? '');
			}

			// the proxy's port refused the connection: the request went to the proxy, not the server
			expect(stderr).toContain('ECONNREFUSED 127.0.0.1:1');
		}

		fs.rmSync(dir, {recursive: true, force: true});
	});

	it('no source file outside kube/client-node.ts imports @kubernetes/client-node', () => {
		const offenders: string[] = [];
		const walk = (dir: string): void => {
			for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
				const file = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(file);
				else if (/\.tsx?$/.test(entry.name) && /from '@kubernetes\/client-node'/.test(fs.readFileSync(file, 'utf8'))) offenders.push(path.relative(repo, file));
			}
		};

		walk(path.join(repo, 'source'));
		expect(offenders.sort()).toEqual(['source/kube/client-node.ts']);
	});
});
