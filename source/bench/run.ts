/**
 * `npm run bench`: ingest and render against the simulated cluster (run as a separate process,
 * so the figures are memtop's alone) at 10k pods / 300 nodes and 150k pods / 5,000 nodes.
 * Each scale runs in a fresh process of its own so RSS is not inherited from the previous one.
 *
 * Prints per scale: time from start to lists complete, to the first full frame, RSS after ingest,
 * ms per metrics update (fetch + parse + store) and the event-loop delay meanwhile (max, p99, and
 * the longest turn by main-thread CPU, which a loaded machine does not inflate), ms per frame
 * after a sort change, heap bytes allocated per frame, and keypress → frame latency
 * (p50/p99) with the cluster changing (watch events, a metrics poll every 2 s) and the event-loop
 * delay meanwhile. The 150k scale runs 6 times (`--runs N`), each in a fresh process; the summary
 * gives each figure's range and each target's pass count. Targets at 150k pods: first frame ≤ 5 s
 * after the lists arrive, RSS ≤ 600 MB, event-loop block during a metrics update ≤ 50 ms,
 * keypress p99 ≤ 50 ms for sort, filter and drill-down in every run.
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
	metricsLoopP99Ms: number;
	/** the longest event-loop turn during the updates by this thread's CPU time: a block without the waits a loaded machine adds */
	metricsTurnCpuMs: number;
	sortFrameMs: number;
	frameAlloc: {bytes: number; frames: number; gcsPerFrame: number; markCompacts: number};
	uiLoop: {max: number; p99: number};
	changes: number;
	keypress: {sortP50: number; sortP99: number; filterP50: number; filterP99: number; drillP50: number; drillP99: number; samples: number};
}

/**
 * The longest event-loop turn by this thread's CPU time, from a 1 ms timer: on a loaded machine the
 * wall-clock block also counts the time the process waited for a core; this does not.
 */
function turnCpu(): {stop(): number} {
	let last = process.threadCpuUsage();
	let max = 0;
	let on = true;
	const tick = () => {
		const now = process.threadCpuUsage(last);
		last = process.threadCpuUsage();
		max = Math.max(max, (now.user + now.system) / 1000);
		if (on) setTimeout(tick, 1);
	};

	setTimeout(tick, 1);
	return {
		stop() {
			on = false;
			return max;
		},
	};
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
		const turns = turnCpu();
		for (let i = 0; i < 5; i++) {
			await new Promise(resolve => setTimeout(resolve, 200));
			const t = performance.now();
			await session.pollMetrics();
			store.flush();
			metricsMs.push(performance.now() - t);
		}

		loop.disable();
		const metricsTurnCpuMs = turns.stop();
		const metricsLoopBlockMs = loop.max / 1e6;
		const metricsLoopP99Ms = loop.percentile(99) / 1e6;

		const {benchUi} = await import('./ui-bench.js');
		const ui = await benchUi(store, {width: 200, height: 50, change: () => session.pollMetrics(), changeEveryMs: 2000});
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
			metricsLoopP99Ms,
			metricsTurnCpuMs,
			sortFrameMs: ui.sortFrameMs,
			frameAlloc: ui.frameAlloc,
			uiLoop: ui.loop,
			changes: ui.changes,
			keypress: ui.keypress,
		};
	} finally {
		sim.stop();
	}
}

const f = (n: number, d = 0) => n.toFixed(d);
const mb = (bytes: number) => bytes / 1024 / 1024;

function report(r: Result): string {
	const m = [...r.metricsMs].sort((a, b) => a - b);
	return [
		`memtop bench: ${r.pods.toLocaleString('en')} pods / ${r.nodes.toLocaleString('en')} nodes (Node ${process.version})`,
		`  lists complete (pods, nodes, events + first metrics)  ${f(r.listsMs / 1000, 2)} s`,
		`  first full frame after the lists arrived               ${f(r.firstFrameMs)} ms`,
		`  start → first full frame                               ${f(r.startToFrameMs / 1000, 2)} s`,
		`  RSS after ingest (heap used)                           ${f(r.rssMb)} MB (${f(r.heapMb)} MB)`,
		`  metrics update (fetch + parse + store), median / max   ${f(m[Math.floor(m.length / 2)]!)} ms / ${f(m[m.length - 1]!)} ms`,
		`  event-loop block during those updates, max / p99       ${f(r.metricsLoopBlockMs)} ms / ${f(r.metricsLoopP99Ms)} ms`,
		`  longest turn by main-thread CPU during those updates   ${f(r.metricsTurnCpuMs)} ms`,
		`  frame after a sort change                              ${f(r.sortFrameMs, 1)} ms`,
		`  heap allocated per frame (sort changes)                ${f(mb(r.frameAlloc.bytes), 2)} MB (${f(r.frameAlloc.gcsPerFrame, 2)} GCs a frame, ${r.frameAlloc.markCompacts} mark-compacts in ${r.frameAlloc.frames} frames)`,
		`  keypress → frame p50/p99: sort ${f(r.keypress.sortP50, 1)}/${f(r.keypress.sortP99, 1)} ms, filter ${f(r.keypress.filterP50, 1)}/${f(r.keypress.filterP99, 1)} ms, drill-down ${f(r.keypress.drillP50, 1)}/${f(r.keypress.drillP99, 1)} ms (${r.keypress.samples} presses each)`,
		`  event-loop delay during the presses, max / p99         ${f(r.uiLoop.max)} ms / ${f(r.uiLoop.p99)} ms (${r.changes} metrics polls meanwhile)`,
	].join('\n');
}

interface Target {
	label: string;
	value(r: Result): number;
	max: number;
	unit: string;
}

/** the targets at 150k pods (issue 13 and before) */
const targets: Target[] = [
	{label: 'first full frame after the lists arrived', value: r => r.firstFrameMs / 1000, max: 5, unit: 's'},
	{label: 'RSS after ingest', value: r => r.rssMb, max: 600, unit: 'MB'},
	{label: 'event-loop block during a metrics update', value: r => r.metricsLoopBlockMs, max: 50, unit: 'ms'},
	{label: 'keypress → frame p99, sort', value: r => r.keypress.sortP99, max: 50, unit: 'ms'},
	{label: 'keypress → frame p99, filter', value: r => r.keypress.filterP99, max: 50, unit: 'ms'},
	{label: 'keypress → frame p99, drill-down', value: r => r.keypress.drillP99, max: 50, unit: 'ms'},
];

function range(xs: number[], d = 0): string {
	const lo = Math.min(...xs);
	const hi = Math.max(...xs);
	return lo === hi || f(lo, d) === f(hi, d) ? f(lo, d) : `${f(lo, d)}–${f(hi, d)}`;
}

function summary(rs: Result[]): string {
	const lines = [`summary of ${rs.length} runs at ${rs[0]!.pods.toLocaleString('en')} pods (ranges over the runs):`];
	for (const t of targets) {
		const xs = rs.map(t.value);
		const pass = xs.filter(x => Number.isFinite(x) && x <= t.max).length;
		lines.push(`  ${t.label.padEnd(44)} ${range(xs, t.unit === 's' ? 2 : 0).padStart(12)} ${t.unit.padEnd(2)} target ≤ ${t.max} ${t.unit}: ${pass === rs.length ? 'PASS' : 'FAIL'} (${pass} of ${rs.length} runs)`);
	}

	lines.push(`  ${'longest turn by main-thread CPU (updates)'.padEnd(44)} ${range(rs.map(r => r.metricsTurnCpuMs)).padStart(12)} ms`);
	lines.push(`  ${'heap allocated per frame'.padEnd(44)} ${range(rs.map(r => mb(r.frameAlloc.bytes)), 2).padStart(12)} MB`);
	lines.push(`  ${'event-loop delay during the presses, max'.padEnd(44)} ${range(rs.map(r => r.uiLoop.max)).padStart(12)} ms`);
	return lines.join('\n');
}

async function runScale(pods: number, nodes: number): Promise<Result> {
	// the same V8 flags as the memtop bin (see cli/main.ts)
	const c = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=32', fileURLToPath(import.meta.url), '--scale', `${pods}:${nodes}`], {stdio: ['ignore', 'pipe', 'inherit']});
	let out = '';
	c.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const [code] = (await once(c, 'exit')) as [number];
	const line = out.split('\n').find(l => l.startsWith('RESULT '));
	if (code !== 0 || !line) {
		process.stderr.write(`bench at ${pods} pods failed (exit ${code})\n${out}`);
		process.exit(1);
	}

	return JSON.parse(line.slice(7)) as Result;
}

const arg = process.argv.indexOf('--scale');
if (arg > 0) {
	const [pods, nodes] = process.argv[arg + 1]!.split(':').map(Number);
	const r = await one(pods!, nodes!);
	process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
	process.exit(0);
} else {
	const runsArg = process.argv.indexOf('--runs');
	const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 1) : 6;
	const only = process.argv.includes('--small') ? scales.slice(0, 1) : scales;
	for (const s of only) {
		const big = s.pods >= 150_000;
		const rs: Result[] = [];
		for (let i = 0; i < (big ? runs : 1); i++) {
			const r = await runScale(s.pods, s.nodes);
			rs.push(r);
			process.stdout.write(report(r) + (big ? ` [run ${i + 1} of ${runs}]` : '') + '\n\n');
		}

		if (big) process.stdout.write(summary(rs) + '\n\n');
	}

	// the recorder (issue 10): its own process, so the UI runs leave it nothing
	const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=32', path.join(path.dirname(fileURLToPath(import.meta.url)), 'record-bench.js'), '--report', ...(process.argv.includes('--small') ? ['--small'] : [])], {stdio: ['ignore', 'inherit', 'inherit']});
	const [code] = (await once(child, 'exit')) as [number];
	if (code !== 0) process.exit(1);
}
