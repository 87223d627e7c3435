/**
 * The built CLI (dist/) against the simulated cluster with a fast clock: record while streaming,
 * SIGKILL the recorder, replay; the snapshot at each streamed time equals what was streamed live,
 * byte for byte in JSON (pods with forecasts; the feed). The streams parse line by line; bad
 * recordings and bad flags give one line and a non-zero exit.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RecordingFile} from '../../../source/record/reader.js';
import {startSim, type SimHandle} from '../../../source/sim/index.js';
import {tmp} from './helpers.js';

const main = path.resolve(import.meta.dirname, '../../../dist/cli/main.js');
const exe = process.env['MEMTOP_BIN'];
const memtop = exe ?? process.execPath;
const memtopArgs = exe ? [] : [main];
const dir = tmp();
const env = {PATH: process.env['PATH'], HOME: dir, TZ: 'UTC'};

function run(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		const child = spawn(memtop, [...memtopArgs, ...args], {env});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		child.on('close', code => resolve({code: code ?? -1, stdout, stderr}));
	});
}

/** a streaming memtop: its lines, parsed as they come (JSON.parse of each must work) */
function stream(args: string[]): {child: ChildProcess; lines: Array<Record<string, unknown>>; exited: Promise<number | null>} {
	const child = spawn(memtop, [...memtopArgs, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']});
	const lines: Array<Record<string, unknown>> = [];
	readline.createInterface({input: child.stdout!}).on('line', line => lines.push(JSON.parse(line) as Record<string, unknown>));
	const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
	return {child, lines, exited};
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

let sim: SimHandle;
let kubeconfig: string;
beforeAll(async () => {
	expect(fs.existsSync(exe ?? main), 'run npm run build first').toBe(true);
	// the demo at ×20: 5 s of metrics windows every 250 ms, a few simulated minutes in the test
	sim = await startSim({scenario: 'demo', seed: 5, clock: 'realtime', speed: 20});
	kubeconfig = path.join(dir, 'config');
	fs.writeFileSync(kubeconfig, sim.kubeconfig());
});
afterAll(() => sim.close());

const strip = ({window: _w, at: _a, ...rest}: Record<string, unknown>) => JSON.stringify(rest);

describe('record, SIGKILL, replay', () => {
	it('the snapshot at each streamed time equals the live stream, byte for byte (pods with forecasts, and the feed)', async () => {
		const podsFile = path.join(dir, 'pods.rec');
		const feedFile = path.join(dir, 'feed.rec');
		const pods = stream(['pods', '--watch', '-o', 'json', '--record', podsFile, '--kubeconfig', kubeconfig, '--metrics-interval', '1s']);
		const feed = stream(['events', '--watch', '-o', 'json', '--record', feedFile, '--kubeconfig', kubeconfig, '--metrics-interval', '1s']);
		const windows = () => new Set(pods.lines.map(l => l['at'])).size;
		// past two 10 s flushes: the killed recorder leaves at least two whole chunks
		await until('24 windows', () => windows() >= 24);
		pods.child.kill('SIGKILL');
		feed.child.kill('SIGKILL');
		await Promise.all([pods.exited, feed.exited]);

		// what the killed recorder left: whole chunks, up to a time
		const rec = new RecordingFile(podsFile);
		const end = rec.lastTime!;
		rec.close();
		expect(end).toBeGreaterThan(0);
		const ats = [...new Set(pods.lines.map(l => l['at'] as string))].filter(at => Date.parse(at) <= end);
		expect(ats.length).toBeGreaterThanOrEqual(2);
		let forecasts = 0;
		for (const at of ats.slice(-5)) {
			const r = await run(['replay', podsFile, '--at', at, '--once', '-o', 'json']);
			expect(r.code, r.stderr).toBe(0);
			const replayed = (JSON.parse(r.stdout) as {items: Array<Record<string, unknown>>}).items.map(i => JSON.stringify(i));
			const live = pods.lines.filter(l => l['at'] === at).map(strip);
			expect(replayed).toEqual(live);
			forecasts += live.filter(l => l.includes('"kind":"eta"')).length;
		}

		expect(forecasts, 'some pod had a time-to-OOM forecast').toBeGreaterThan(0);

		// the feed: every entry the stream had printed by the end of the recording, as it was last printed
		const feedRec = new RecordingFile(feedFile);
		const feedEnd = feedRec.lastTime!;
		feedRec.close();
		const at = new Date(feedEnd).toISOString();
		const r = await run(['replay', feedFile, 'events', '--at', at, '--once', '-o', 'json']);
		expect(r.code, r.stderr).toBe(0);
		const lastById = new Map<string, string>();
		for (const l of feed.lines) if (Date.parse(l['at'] as string) <= feedEnd) lastById.set(l['id'] as string, strip(l));
		const replayed = (JSON.parse(r.stdout) as {items: Array<Record<string, unknown>>}).items;
		expect(replayed.length).toBeGreaterThan(0);
		expect(new Map(replayed.map(i => [i['id'] as string, JSON.stringify(i)]))).toEqual(lastById);
	}, 120_000);

	it('memtop record records headless and exits 0 on SIGTERM; the file replays with --once table', async () => {
		const file = path.join(dir, 'headless.rec');
		const child = spawn(memtop, [...memtopArgs, 'record', '-o', file, '--kubeconfig', kubeconfig, '--metrics-interval', '1s'], {env, stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
		const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
		await until('recording', () => stderr.includes('recording to'));
		await new Promise(resolve => setTimeout(resolve, 2500));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(stderr).toMatch(/recorded \d+ inputs in \d+ chunks/);
		const r = await run(['replay', file, 'nodes', '--once']);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/^NODE\s+STATUS\s+WORKING SET/m);
		expect(r.stdout).toContain('worker-1');
	}, 60_000);
});

describe('one line and a non-zero exit', () => {
	it('for bad recordings and flags', async () => {
		const cases: Array<[string[], RegExp, number]> = [
			[['replay', path.join(dir, 'missing.rec'), '--once'], /missing\.rec: no such file/, 1],
			[['replay', kubeconfig, '--once'], /not a memtop recording/, 1],
			[['replay'], /needs a FILE/, 2],
			[['record'], /needs -o FILE/, 2],
			[['record', '-o', '/dev/full', '--kubeconfig', kubeconfig], /cannot record to \/dev\/full: the disk is full/, 1],
			[['--watch', '--once', '--kubeconfig', kubeconfig], /exclude each other/, 2],
			[['--at', '10:00', '--kubeconfig', kubeconfig], /--at goes with memtop replay/, 2],
			[['recommend', '--from', path.join(dir, 'missing.rec')], /no such file/, 1],
		];
		for (const [args, message, code] of cases) {
			const r = await run(args);
			expect(r.stderr, args.join(' ')).toMatch(message);
			expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
			expect(r.code, args.join(' ')).toBe(code);
		}
	}, 60_000);

	it('a cut recording replays what is whole and says where it ends', async () => {
		const file = path.join(dir, 'pods.rec');
		const bytes = fs.readFileSync(file);
		const whole = new RecordingFile(file);
		expect(whole.chunks.length).toBeGreaterThanOrEqual(2);
		const lastChunk = whole.chunks.at(-1)!.offset;
		whole.close();
		const cut = path.join(dir, 'cut.rec');
		fs.writeFileSync(cut, bytes.subarray(0, lastChunk + 40));
		const r = await run(['replay', cut, '--once', '-o', 'json']);
		expect(r.code).toBe(0);
		expect(r.stderr).toMatch(/cut.rec: the file is cut inside its last chunk \(byte \d+\): the recording ends at 20\d\d-/);
		expect((JSON.parse(r.stdout) as {items: unknown[]}).items.length).toBeGreaterThan(0);
		const at = await run(['replay', cut, '--at', '1999-01-01T00:00:00Z', '--once']);
		expect(at.code).toBe(2);
		expect(at.stderr).toMatch(/the recording runs from 20.* to 20/);
	}, 60_000);
});
