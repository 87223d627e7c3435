// The metrics updates of `npm run bench` at one scale, with every long event-loop turn:
//   node --expose-gc --max-semi-space-size=32 test/perf/metrics-turns.mjs [pods] [nodes] [polls]
// Prints each poll's time, the longest turns by main-thread CPU (cpu/wall ms; a loaded machine
// adds wall time, not CPU), and writes the gaps over 20 ms to $GAPS (default /tmp/metrics-gaps.json)
// as [µs on the profile's clock, ms]: with --cpu-prof, test/perf/gap-profile.mjs says what ran in each.
// DIST=other/dist measures another build.
import fs from 'node:fs';
import path from 'node:path';
import {monitorEventLoopDelay, performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';

const dist = process.env.DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const load = m => import(pathToFileURL(path.join(dist, m)).href);
const {kubeTargetForServer} = await load('kube/config.js');
const {openSession} = await load('kube/session.js');
const {Store} = await load('store/store.js');
const {startSim} = await load('bench/sim-process.js');
const [pods, nodes, polls] = [Number(process.argv[2] ?? 150_000), Number(process.argv[3] ?? 5000), Number(process.argv[4] ?? 5)];

const sim = await startSim(pods, nodes);
const store = new Store({historySamples: 240});
const session = await openSession({target: kubeTargetForServer(sim.url, 'bench'), metricsIntervalMs: 3_600_000, summary: false, userAgent: 'memtop-bench/0.1.0'}, store);
await session.ready;
store.flush();
globalThis.gc?.();

const gaps = [];
const turns = [];
let last = performance.now();
let lastCpu = process.threadCpuUsage();
let on = true;
const tick = () => {
	const t = performance.now();
	const cpu = process.threadCpuUsage(lastCpu);
	lastCpu = process.threadCpuUsage();
	const cpuMs = (cpu.user + cpu.system) / 1000;
	if (cpuMs > 10) turns.push([cpuMs, t - last]);
	if (t - last > 20) gaps.push([Number(process.hrtime.bigint() / 1000n) - (t - last) * 1000, t - last]);
	last = t;
	if (on) setTimeout(tick, 1);
};

setTimeout(tick, 1);
const loop = monitorEventLoopDelay({resolution: 5});
loop.enable();
for (let i = 0; i < polls; i++) {
	await new Promise(resolve => setTimeout(resolve, 200));
	const t = performance.now();
	await session.pollMetrics();
	store.flush();
	console.log(`poll ${i}: ${(performance.now() - t).toFixed(0)} ms`);
}

loop.disable();
on = false;
turns.sort((a, b) => b[0] - a[0]);
console.log(`longest turns by main-thread CPU (cpu/wall ms): ${turns.slice(0, 8).map(([c, w]) => `${c.toFixed(0)}/${w.toFixed(0)}`).join(' ')}`);
console.log(`event-loop block max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
fs.writeFileSync(process.env.GAPS ?? '/tmp/metrics-gaps.json', JSON.stringify(gaps));
await session.stop();
sim.stop();
process.exit(0);
