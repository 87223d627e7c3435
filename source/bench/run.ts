/**
 * `npm run bench`: ingest and render against the simulated cluster (run as a separate process,
 * so the figures are memtop's alone) at 10k pods / 300 nodes and 150k pods / 5,000 nodes.
 * Each scale runs in a fresh process of its own so RSS is not inherited from the previous one.
 *
 * Prints per scale: time from start to lists complete, to the first full frame, RSS after ingest,
 * ms per metrics update (fetch + parse + store), ms per frame after a sort change, and keypress →
 * frame latency (p50/p99). Targets at 150k pods: first frame ≤ 5 s after the lists arrive,
 * RSS ≤ 600 MB, frame ≤ 50 ms, keypress p99 ≤ 50 ms.
 */
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import path from 'node:path';
import {monitorEventLoopDelay, performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {kubeTargetForServer} from '../kube/config.js';
import {openSession} from '../kube/session.js';
import {Store} from '../store/store.js';
import {startSim} from './sim-process.js';

const scales = [
	{pods: 10_000, nodes: 300},
	{pods: 150_000, nodes: 5_000},
];

interface Result {
	pods: number;
	nodes: number;
	listsMs: number;
	firstFrameMs: number;
	startToFrameMs: number;
	rssMb: number;
	heapMb: number;
	metricsMs: number[];
	metricsLoopBlockMs: number;
	sortFrameMs: number;
	keypress: {sortP50: number; sortP99: number; filterP50: number; filterP99: number; drillP50: number; drillP99: number; samples: number};
}

const gc = () => (globalThis as {gc?: () => void}).gc?.();

async function one(pods: number, nodes: number): Promise<Result> {
	const sim = await startSim(pods, nodes);
	try {
		const store = new Store({historySamples: 240});
		const t0 = performance.now();
		const session = await openSession({target: kubeTargetForServer(sim.url, 'bench'), metricsIntervalMs: 3_600_000, summary: false, userAgent: 'memtop-bench/0.1.0'}, store);
		await session.ready;
		store.flush();
		const listsMs = performance.now() - t0;
		gc();
		const mem = process.memoryUsage();
		const metricsMs: number[] = [];
		// the longest the event loop was held while metrics were fetched, parsed and stored
		const loop = monitorEventLoopDelay({resolution: 5});
		loop.enable();
		for (let i = 0; i < 5; i++) {
			await new Promise(resolve => setTimeout(resolve, 200));
			const t = performance.now();
			await session.pollMetrics();
			store.flush();
			metricsMs.push(performance.now() - t);
		}

		loop.disable();
		const metricsLoopBlockMs = loop.max / 1e6;

		const {benchUi} = await import('./ui-bench.js');
		const ui = await benchUi(store, {width: 200, height: 50});
		await session.stop();
		return {
			pods,
			nodes,
			listsMs,
			firstFrameMs: ui.firstFrameMs,
			startToFrameMs: listsMs + ui.firstFrameMs,
			rssMb: mem.rss / 1024 / 1024,
			heapMb: mem.heapUsed / 1024 / 1024,
			metricsMs,
			metricsLoopBlockMs,
			sortFrameMs: ui.sortFrameMs,
			keypress: ui.keypress,
		};
	} finally {
		sim.stop();
	}
}

const f = (n: number, d = 0) => n.toFixed(d);

function report(r: Result): string {
	const m = [...r.metricsMs].sort((a, b) => a - b);
	return [
		`memtop bench: ${r.pods.toLocaleString('en')} pods / ${r.nodes.toLocaleString('en')} nodes (Node ${process.version})`,
		`  lists complete (pods, nodes, events + first metrics)  ${f(r.listsMs / 1000, 2)} s`,
		`  first full frame after the lists arrived               ${f(r.firstFrameMs)} ms`,
		`  start → first full frame                               ${f(r.startToFrameMs / 1000, 2)} s`,
		`  RSS after ingest (heap used)                           ${f(r.rssMb)} MB (${f(r.heapMb)} MB)`,
		`  metrics update (fetch + parse + store), median / max   ${f(m[Math.floor(m.length / 2)]!)} ms / ${f(m[m.length - 1]!)} ms`,
		`  longest event-loop block during those updates          ${f(r.metricsLoopBlockMs)} ms`,
		`  frame after a sort change                              ${f(r.sortFrameMs, 1)} ms`,
		`  keypress → frame p50/p99: sort ${f(r.keypress.sortP50, 1)}/${f(r.keypress.sortP99, 1)} ms, filter ${f(r.keypress.filterP50, 1)}/${f(r.keypress.filterP99, 1)} ms, drill-down ${f(r.keypress.drillP50, 1)}/${f(r.keypress.drillP99, 1)} ms (${r.keypress.samples} presses each)`,
	].join('\n');
}

const arg = process.argv.indexOf('--scale');
if (arg > 0) {
	const [pods, nodes] = process.argv[arg + 1]!.split(':').map(Number);
	const r = await one(pods!, nodes!);
	process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
	process.exit(0);
} else {
	const only = process.argv.includes('--small') ? scales.slice(0, 1) : scales;
	for (const s of only) {
		// the same V8 flags as the memtop bin (see cli/main.ts)
		const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=32', fileURLToPath(import.meta.url), '--scale', `${s.pods}:${s.nodes}`], {stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		const [code] = (await once(child, 'exit')) as [number];
		const line = out.split('\n').find(l => l.startsWith('RESULT '));
		if (code !== 0 || !line) {
			process.stderr.write(`bench at ${s.pods} pods failed (exit ${code})\n${out}`);
			process.exit(1);
		}

		const r = JSON.parse(line.slice(7)) as Result;
		process.stdout.write(report(r) + '\n\n');
	}

	// the recorder (issue 10): its own process, so the UI runs leave it nothing
	const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=32', path.join(path.dirname(fileURLToPath(import.meta.url)), 'record-bench.js'), '--report', ...(process.argv.includes('--small') ? ['--small'] : [])], {stdio: ['ignore', 'inherit', 'inherit']});
	const [code] = (await once(child, 'exit')) as [number];
	if (code !== 0) process.exit(1);
}
