/**
 * The recorder's costs (issue 10), in `npm run bench` after the UI figures:
 *
 * - size and CPU: the scale sim at 10k pods / 300 nodes on a manual clock, one hour of
 *   simulated time at the 15 s interval (240 metrics windows, a Summary round every 30 s, the
 *   sim's pod churn), recorded. The file's bytes, and the recorder's own time (encoding,
 *   compressing, writing: every call into it timed) as a share of the hour.
 *   Targets: ≤ 50 MB on disk, ≤ 2 % of one core.
 * - RSS at 150k pods / 5,000 nodes: two fresh processes, the same lists and three metrics polls,
 *   one without and one with the recorder; the peak RSS of each (sampled every 50 ms).
 *   Target: the recorder adds ≤ 100 MB.
 */
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {kubeTargetForServer} from '../kube/config.js';
import {openSession} from '../kube/session.js';
import {RunClock} from '../record/tap.js';
import {RecordingWriter} from '../record/writer.js';
import {startSim} from '../sim/index.js';
import {Store} from '../store/store.js';
import {startSim as startSimProcess} from './sim-process.js';

const gc = () => (globalThis as {gc?: () => void}).gc?.();
const mb = (n: number) => n / 1024 / 1024;
const f = (n: number, d = 0) => n.toFixed(d);

/** time spent inside the writer's methods (a seal inside an add counted once) */
function timed(writer: RecordingWriter): {ms: () => number} {
	let ms = 0;
	let depth = 0;
	for (const name of ['add', 'seal'] as const) {
		const original = writer[name].bind(writer) as (...a: unknown[]) => void;
		(writer as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
			const t = performance.now();
			depth++;
			try {
				original(...a);
			} finally {
				depth--;
				if (depth === 0) ms += performance.now() - t;
			}
		};
	}

	return {ms: () => ms};
}

export async function benchRecordSize(pods = 10_000, nodes = 300, windows = 240): Promise<{bytes: number; recorderMs: number; simulatedMs: number; inputs: number; chunks: number}> {
	const sim = await startSim({scenario: 'scale', pods, nodes, seed: 1, clock: 'manual', tickMs: 15_000, metricsResolutionMs: 15_000});
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-bench-')), 'hour.rec');
	const clock = new RunClock(() => sim.now());
	const store = new Store({historySamples: 240, now: clock.now});
	const writer = new RecordingWriter(file, {memtopVersion: 'bench', historySamples: 240, metricsIntervalMs: 15_000}, clock.now());
	const t = timed(writer);
	writer.attach(store);
	const session = await openSession({target: kubeTargetForServer(sim.url, 'bench'), metricsIntervalMs: 3_600_000, summaryIntervalMs: 3_600_000, userAgent: 'memtop-bench/0.1.0'}, store);
	try {
		await session.ready;
		for (let i = 0; i < windows; i++) {
			sim.advance(15_000);
			// the watches bring the step's changes in before the polls
			await new Promise(resolve => setTimeout(resolve, 40));
			await session.pollMetrics();
			// the recorder seals every 10 s: here after each poll (~ every 10 s of the hour), not
			// by the wall clock, which runs this hour in a few minutes (bigger chunks, smaller file)
			writer.seal();
			if (i % 2 === 1) {
				await session.pollSummaries();
				writer.seal();
			}
		}
	} finally {
		await session.stop();
		writer.close();
		await sim.close();
	}

	const bytes = fs.statSync(file).size;
	fs.rmSync(path.dirname(file), {recursive: true});
	return {bytes, recorderMs: t.ms(), simulatedMs: windows * 15_000, inputs: writer.inputs, chunks: writer.chunks};
}

/** one process: the lists and three metrics polls at `pods`, with or without the recorder; peak RSS */
async function rssRun(url: string, record: boolean): Promise<{peakMb: number; afterMb: number}> {
	let peak = 0;
	const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
	const clock = new RunClock();
	const store = new Store({historySamples: 240, now: clock.now});
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-bench-'));
	const writer = record ? new RecordingWriter(path.join(dir, 'big.rec'), {memtopVersion: 'bench', historySamples: 240, metricsIntervalMs: 15_000}, clock.now()) : null;
	writer?.attach(store);
	const session = await openSession({target: kubeTargetForServer(url, 'bench'), metricsIntervalMs: 3_600_000, summary: false, userAgent: 'memtop-bench/0.1.0'}, store);
	await session.ready;
	for (let i = 0; i < 3; i++) {
		await new Promise(resolve => setTimeout(resolve, 200));
		await session.pollMetrics();
	}

	writer?.seal();
	gc();
	const afterMb = mb(process.memoryUsage.rss());
	clearInterval(sample);
	await session.stop();
	writer?.close();
	fs.rmSync(dir, {recursive: true});
	return {peakMb: mb(peak), afterMb};
}

const here = fileURLToPath(import.meta.url);

/** the RSS the recorder adds at `pods`: one fresh process each, without and with it */
export async function benchRecordRss(pods = 150_000, nodes = 5_000): Promise<{without: {peakMb: number; afterMb: number}; with: {peakMb: number; afterMb: number}}> {
	const sim = await startSimProcess(pods, nodes);
	try {
		const runOne = async (record: boolean) => {
			const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=32', here, '--rss', sim.url, record ? 'record' : 'plain'], {stdio: ['ignore', 'pipe', 'inherit']});
			let out = '';
			child.stdout.on('data', (c: Buffer) => (out += c.toString()));
			await once(child, 'exit');
			const line = out.split('\n').find(l => l.startsWith('RSS '));
			if (!line) throw new Error(`the RSS run failed: ${out}`);
			return JSON.parse(line.slice(4)) as {peakMb: number; afterMb: number};
		};

		return {without: await runOne(false), with: await runOne(true)};
	} finally {
		sim.stop();
	}
}

const rssArg = process.argv.indexOf('--rss');
if (rssArg > 0 && process.argv[1] === here) {
	const r = await rssRun(process.argv[rssArg + 1]!, process.argv[rssArg + 2] === 'record');
	process.stdout.write(`RSS ${JSON.stringify(r)}\n`);
	process.exit(0);
}

if (process.argv.includes('--report') && process.argv[1] === here) {
	const size = await benchRecordSize();
	const hour = size.simulatedMs / 3_600_000;
	process.stdout.write(
		[
			`memtop bench: the recorder at 10,000 pods / 300 nodes, ${f(size.simulatedMs / 60_000)} simulated minutes at 15 s (Summary every 30 s)`,
			`  file on disk                                           ${f(mb(size.bytes) / hour, 1)} MB per hour (${size.inputs} inputs, ${size.chunks} chunks)   target ≤ 50 MB`,
			`  recorder CPU (encode + compress + write)               ${f((size.recorderMs / size.simulatedMs) * 100, 2)} % of one core (${f(size.recorderMs / 1000, 1)} s per hour)   target ≤ 2 %`,
		].join('\n') + '\n',
	);
	if (!process.argv.includes('--small')) {
		const r = await benchRecordRss();
		process.stdout.write(
			[
				'memtop bench: the recorder at 150,000 pods / 5,000 nodes (lists + 3 metrics polls, a fresh process each)',
				`  peak RSS without / with the recorder                   ${f(r.without.peakMb)} MB / ${f(r.with.peakMb)} MB: +${f(r.with.peakMb - r.without.peakMb)} MB   target ≤ +100 MB`,
				`  RSS after (gc) without / with                          ${f(r.without.afterMb)} MB / ${f(r.with.afterMb)} MB`,
			].join('\n') + '\n',
		);
	}

	process.exit(0);
}
