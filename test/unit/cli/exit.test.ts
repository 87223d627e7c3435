/**
 * memtop ends as soon as its command is done (cli/main.ts: process.exit once what was written has
 * left), without losing a byte of its output: a reader that waits before reading gets it all.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

const main = path.resolve(import.meta.dirname, '../../../dist/cli/main.js');

/** memtop into a shell pipe whose reader starts reading after `waitMs` (a pipe, as a user's `| less` is) */
function slowRead(args: string[], waitMs: number): Promise<{code: number | null; out: string; err: string}> {
	return new Promise(resolve => {
		const quoted = [process.execPath, main, ...args].map(a => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
		const script = `${quoted} 2>"$ERR" | { sleep ${waitMs / 1000}; cat; }; exit "\${PIPESTATUS[0]}"`;
		const errFile = path.join(os.tmpdir(), `memtop-exit-${process.pid}-${Math.random().toString(36).slice(2)}`);
		const child = spawn('bash', ['-c', script], {stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, HOME: '/nonexistent-home', ERR: errFile}});
		const out: Buffer[] = [];
		child.stdout.on('data', (c: Buffer) => out.push(c));
		child.on('close', code => {
			const err = fs.existsSync(errFile) ? fs.readFileSync(errFile, 'utf8') : '';
			fs.rmSync(errFile, {force: true});
			resolve({code, out: Buffer.concat(out).toString(), err});
		});
	});
}

describe('the end of a command', () => {
	it('a JSON snapshot far larger than a pipe holds, read only after a second, is whole', async () => {
		const r = await slowRead(['--demo', '--once', '-o', 'json'], 1000);
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		// the demo's snapshot is ~100 KB, more than a pipe's 64 KB: the writer had to wait for the reader
		expect(r.out.length).toBeGreaterThan(65_536);
		const doc = JSON.parse(r.out);
		expect(doc.items.length).toBeGreaterThan(10);
	}, 30_000);

	it('a table and the help, read late, end with their last line', async () => {
		const table = await slowRead(['--demo', '--once', '-o', 'wide'], 500);
		expect(table.code).toBe(0);
		expect(table.out.endsWith('\n')).toBe(true);
		expect(table.out.trimEnd().split('\n').length).toBeGreaterThan(10);
		const help = await slowRead(['--help'], 500);
		expect(help.code).toBe(0);
		expect(help.out).toMatch(/Record and replay[\s\S]*Config/);
	}, 30_000);
});
