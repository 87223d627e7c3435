/**
 * That the CLI and tmux suites, run by test/package/test.sh, really exercise the single
 * executable: MEMTOP_BIN names it, the processes they start are that file and not a node, and no
 * `node` is on the PATH those processes get.
 */
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {packageJson} from '../../source/package/metadata.js';
import {startMemtop} from '../tmux/tmux.js';

const exe = process.env['MEMTOP_BIN'] ?? '';

/** the file a running process was started from */
const image = (pid: number) => fs.realpathSync(`/proc/${pid}/exe`);

function nodeOnPath(pathVar: string): string {
	return spawnSync('sh', ['-c', 'command -v node'], {encoding: 'utf8', env: {PATH: pathVar}}).stdout.trim();
}

describe('the single executable under test', () => {
	it('is what MEMTOP_BIN names, and prints memtop and the package version', () => {
		expect(exe, 'MEMTOP_BIN is not set').not.toBe('');
		expect(execFileSync(exe, ['--version'], {encoding: 'utf8', env: {PATH: process.env['PATH']}})).toBe(`memtop ${packageJson.version}\n`);
	});

	it('runs as its own process, not as a node running a script', async () => {
		const child = spawn(exe, ['--demo', '--once'], {stdio: 'ignore', env: {PATH: process.env['PATH']}});
		await new Promise(resolve => child.once('spawn', resolve));
		const started = image(child.pid!);
		const code = await new Promise(resolve => child.once('close', resolve));
		expect(started).toBe(fs.realpathSync(exe));
		expect(started).not.toBe(fs.realpathSync(process.execPath));
		expect(code).toBe(0);
	});

	it('finds no node on the PATH the suites give memtop', () => {
		expect(nodeOnPath(process.env['PATH']!)).toBe('');
	});

	it('is what the tmux harness starts, in a tmux whose PATH has no node', async () => {
		const t = startMemtop({width: 120, height: 30});
		try {
			await t.waitFor('the pods table', rows => rows.some(r => r.includes('[1 Pods]')), 60_000);
			const pane = execFileSync('tmux', ['-L', t.socket, 'display-message', '-p', '-t', 'e2e', '#{pane_pid}'], {encoding: 'utf8'}).trim();
			const memtop = execFileSync('pgrep', ['-P', pane], {encoding: 'utf8'}).trim();
			expect(image(Number(memtop))).toBe(fs.realpathSync(exe));
			const tmuxPath = execFileSync('tmux', ['-L', t.socket, 'show-environment', '-g', 'PATH'], {encoding: 'utf8'}).trim().replace(/^PATH=/, '');
			expect(nodeOnPath(tmuxPath)).toBe('');
		} finally {
			t.kill();
		}
	});
});
