#!/usr/bin/env node
/**
 * Backfill figures at scale against the real test Prometheus (issue 11), after `npm run build`:
 *   node test/prometheus/bench-backfill.mjs [--pods 10000] [--nodes 300] [--runs 3] [--minutes 60]
 * Starts the simulated cluster (scale scenario), writes an hour and ten minutes of working sets
 * (or `--minutes` + 20) for every container and node it has as OpenMetrics, makes TSDB blocks with promtool, starts
 * Prometheus on them, then in a fresh process per run: opens a session (lists + first metrics),
 * measures RSS, backfills the last hour (`--minutes`) at 15 s, and measures time, queries, samples, RSS and the
 * longest the event loop was held (what a keypress would wait for). Prints medians.
 */
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {monitorEventLoopDelay, performance} from 'node:perf_hooks';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = p => path.join(root, 'dist', p);
const arg = (name, dflt) => {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : dflt;
};
const bin = name => path.join(process.env.MEMTOP_PROMETHEUS_CACHE ?? path.join(os.homedir(), '.cache/memtop-prometheus'), 'bin', `${name}-${process.env.PROMETHEUS_VERSION ?? 'v0.316.0'}`);
const gc = () => globalThis.gc?.();

if (process.argv[2] === '--measure') {
	const [simUrl, promUrl, minutes] = process.argv.slice(3);
	const {kubeTargetForServer} = await import(dist('kube/config.js'));
	const {openSession} = await import(dist('kube/session.js'));
	const {Store} = await import(dist('store/store.js'));
	const {startPromHistory} = await import(dist('prom/history.js'));
	const {defaultLabels} = await import(dist('prom/queries.js'));
	const store = new Store({historySamples: Math.round((Number(minutes) * 60) / 15)});
	const session = await openSession({target: kubeTargetForServer(simUrl, 'bench'), metricsIntervalMs: 3_600_000, summary: false}, store);
	await session.ready;
	store.flush();
	gc();
	const before = process.memoryUsage().rss;
	const loop = monitorEventLoopDelay({resolution: 5});
	loop.enable();
	const t0 = performance.now();
	const h = startPromHistory({endpoint: {url: promUrl}, labels: defaultLabels, stepMs: 15_000, kube: session.client, store, probeMs: 0, maxPoints: process.env.MEMTOP_BENCH_POINTS ? Number(process.env.MEMTOP_BENCH_POINTS) : undefined});
	const r = await h.done;
	const ms = performance.now() - t0;
	loop.disable();
	store.flush();
	const peak = process.memoryUsage().rss;
	gc();
	const after = process.memoryUsage().rss;
	h.stop();
	await session.stop();
	console.log(JSON.stringify({ms, result: r, banner: store.banners.get('prometheus')?.text, rssBeforeMb: before / 2 ** 20, rssPeakMb: peak / 2 ** 20, rssAfterMb: after / 2 ** 20, loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6, requests: h.client?.requests}));
	process.exit(0);
}

const pods = Number(arg('--pods', '10000'));
const nodes = Number(arg('--nodes', '300'));
const runs = Number(arg('--runs', '3'));
const minutes = Number(arg('--minutes', '60'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-prom-bench-'));
const sim = spawn(process.execPath, [dist('sim/main.js'), '--scenario', 'scale', '--pods', String(pods), '--nodes', String(nodes), '--seed', '1', '--tick-ms', '5000'], {stdio: ['pipe', 'pipe', 'inherit']});
let simUrl;
for await (const line of readline.createInterface({input: sim.stdout})) {
	const m = /^SIM_URL=(\S+)/.exec(line);
	if (m) {
		simUrl = m[1];
		break;
	}
}

let prom;
try {
	const listAll = async path => {
		const items = [];
		let token = '';
		do {
			const page = await (await fetch(`${simUrl}${path}?limit=5000${token ? `&continue=${encodeURIComponent(token)}` : ''}`)).json();
			for (const i of page.items) items.push({metadata: {name: i.metadata.name, namespace: i.metadata.namespace}, spec: {containers: (i.spec?.containers ?? []).map(c => ({name: c.name}))}});
			token = page.metadata?.continue ?? '';
		} while (token);
		return {items};
	};
	const podList = await listAll('/api/v1/pods');
	const nodeList = await listAll('/api/v1/nodes');
	const now = Date.now();
	const end = Math.ceil(now / 15_000) * 15_000 + 10 * 60_000;
	const start = end - (minutes + 20) * 60_000;
	const file = path.join(dir, 'input.om');
	const out = fs.createWriteStream(file);
	const write = s => (out.write(s) ? undefined : new Promise(resolve => out.once('drain', resolve)));
	await write('# TYPE container_memory_working_set_bytes gauge\n');
	let series = 0;
	for (const p of podList.items) {
		for (const [i, c] of p.spec.containers.entries()) {
			series++;
			const labels = `{namespace="${p.metadata.namespace}",pod="${p.metadata.name}",container="${c.name}",job="kubelet"}`;
			let chunk = '';
			for (let t = start; t <= end; t += 15_000) chunk += `container_memory_working_set_bytes${labels} ${(100 + ((series * 7 + i + t / 15_000) % 50)) * 1048576} ${(t / 1000).toFixed(3)}\n`;
			await write(chunk);
		}
	}

	await write('# TYPE node_memory_working_set_bytes gauge\n');
	for (const n of nodeList.items) {
		let chunk = '';
		for (let t = start; t <= end; t += 15_000) chunk += `node_memory_working_set_bytes{node="${n.metadata.name}",job="kubelet"} ${8 * 2 ** 30} ${(t / 1000).toFixed(3)}\n`;
		await write(chunk);
	}

	await write('# EOF\n');
	await new Promise(resolve => out.end(resolve));
	const t0 = performance.now();
	execFileSync(bin('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, path.join(dir, 'data')], {stdio: 'inherit'});
	console.error(`bench: ${series} container series + ${nodeList.items.length} nodes, ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB of OpenMetrics, blocks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	fs.rmSync(file);
	fs.writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
	const port = 20000 + Math.floor(Math.random() * 10000);
	prom = spawn(bin('prometheus'), [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=3650d', '--log.level=warn'], {stdio: 'inherit'});
	const promUrl = `http://127.0.0.1:${port}`;
	for (;;) {
		try {
			if ((await fetch(`${promUrl}/-/ready`)).status === 200) break;
		} catch {}
		await new Promise(resolve => setTimeout(resolve, 250));
	}

	const results = [];
	for (let i = 0; i < runs; i++) {
		const text = execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=32', ...(process.env.MEMTOP_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MEMTOP_BENCH_PROF}`] : []), fileURLToPath(import.meta.url), '--measure', simUrl, promUrl, String(minutes)], {encoding: 'utf8', maxBuffer: 2 ** 24});
		const r = JSON.parse(text.trim().split('\n').pop());
		console.error(`run ${i + 1}: ${(r.ms / 1000).toFixed(2)} s, ${r.result?.queries} queries, ${r.result?.samples} samples, RSS ${r.rssBeforeMb.toFixed(0)} → peak ${r.rssPeakMb.toFixed(0)} → ${r.rssAfterMb.toFixed(0)} MB, loop p99 ${r.loopP99Ms.toFixed(1)} ms, max ${r.loopMaxMs.toFixed(1)} ms; ${r.banner}`);
		results.push(r);
	}

	const med = f => results.map(f).sort((a, b) => a - b)[Math.floor(results.length / 2)];
	console.log(JSON.stringify({pods, nodes, series, runs, backfillS: med(r => r.ms) / 1000, queries: results[0].result?.queries, samples: results[0].result?.samples, rssBeforeMb: med(r => r.rssBeforeMb), rssPeakMb: med(r => r.rssPeakMb), rssAfterMb: med(r => r.rssAfterMb), loopP99Ms: med(r => r.loopP99Ms), loopMaxMs: med(r => r.loopMaxMs)}));
} finally {
	const exited = prom && prom.exitCode === null ? new Promise(resolve => prom.once('exit', resolve)) : null;
	prom?.kill('SIGTERM');
	sim.kill('SIGTERM');
	await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 10_000))]);
	fs.rmSync(dir, {recursive: true, force: true});
}
