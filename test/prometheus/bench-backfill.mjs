#!/usr/bin/env node
/**
 * Backfill figures at scale against the real test Prometheus (issue 11), after `npm run build`:
 *   node test/prometheus/bench-backfill.mjs [--pods 10000] [--nodes 300] [--runs 3] [--minutes 60]
 *     [--mode after|early|keys] [--data DIR [--ahead MINUTES]] [--serve]
 * Starts the simulated cluster (scale scenario), writes `--minutes` + 20 of working sets for every
 * container and node it has as OpenMetrics, makes TSDB blocks with promtool, starts Prometheus on
 * them, then runs bench-measure.mjs in a fresh process per run (see its modes: the backfill alone
 * after the lists; the live start with the first frame held for it; keys pressed during it) and
 * prints each run and the medians. `--data DIR` keeps the blocks there (made to last `--ahead`
 * minutes, default 120) and uses them again; `--serve` only starts the sim and Prometheus and prints their URLs until SIGTERM.
 */
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = p => path.join(root, 'dist', p);
const arg = (name, dflt) => {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : dflt;
};
const bin = name => path.join(process.env.MEMTOP_PROMETHEUS_CACHE ?? path.join(os.homedir(), '.cache/memtop-prometheus'), 'bin', `${name}-${process.env.PROMETHEUS_VERSION ?? 'v0.316.0'}`);
const ms = x => (x === null || x === undefined ? '-' : `${x.toFixed(0)} ms`);
/** one run's figures in a line, by mode */
function line(r) {
	const tail = `${r.result?.queries} queries, ${r.result?.samples} samples; ${r.banner}`;
	if (r.mode === 'early') return `lists in at ${ms(r.listedMs)}, first working sets at ${ms(r.firstMetricsMs)} with ${r.podsWithHistoryAtFirstMetrics} of ${r.pods} pods' history in, backfill done at ${ms(r.backfillMs)}; ${tail}`;
	if (r.mode === 'keys') {
		const keys = f => ['sort', 'filter', 'drill'].map(k => `${k} ${f[`${k}N`]}× p50 ${ms(f[`${k}P50`])} p99 ${ms(f[`${k}P99`])} max ${ms(f[`${k}Max`])}${f[`${k}Lost`] ? ` (${f[`${k}Lost`]} lost)` : ''}`).join(', ');
		return `during the backfill (${ms(r.during.ms)}): ${keys(r.during)}, loop max ${ms(r.during.loopMaxMs)} p99 ${ms(r.during.loopP99Ms)}, CPU ${ms(r.during.cpuMs)}, GC max ${ms(r.during.gcMaxMs)} (${r.during.gcMajor} major, ${ms(r.during.gcMajorMs)}), RSS ${r.rssBeforeMb.toFixed(0)} → peak ${r.during.rssPeakMb.toFixed(0)} MB | without: ${keys(r.without)}, loop max ${ms(r.without.loopMaxMs)}; ${tail}`;
	}

	return `${(r.ms / 1000).toFixed(2)} s, RSS ${r.rssBeforeMb.toFixed(0)} → peak ${r.rssPeakMb.toFixed(0)} → ${r.rssAfterMb.toFixed(0)} MB, loop p99 ${r.loopP99Ms.toFixed(1)} ms, max ${r.loopMaxMs.toFixed(1)} ms; ${tail}`;
}

/** medians of the runs' figures, by mode */
function summary(med) {
	if (mode === 'early') return {listedMs: med(r => r.listedMs), firstMetricsMs: med(r => r.firstMetricsMs), backfillMs: med(r => r.backfillMs), podsWithHistoryAtFirstMetrics: med(r => r.podsWithHistoryAtFirstMetrics)};
	if (mode === 'keys') {
		const out = {};
		for (const phase of ['during', 'without']) for (const k of ['ms', 'sortP50', 'sortP99', 'filterP50', 'filterP99', 'drillP50', 'drillP99', 'loopMaxMs', 'rssPeakMb']) out[`${phase}.${k}`] = med(r => r[phase][k]);
		return out;
	}

	return {backfillS: med(r => r.ms) / 1000, rssBeforeMb: med(r => r.rssBeforeMb), rssPeakMb: med(r => r.rssPeakMb), rssAfterMb: med(r => r.rssAfterMb), loopP99Ms: med(r => r.loopP99Ms), loopMaxMs: med(r => r.loopMaxMs)};
}

const pods = Number(arg('--pods', '10000'));
const nodes = Number(arg('--nodes', '300'));
const runs = Number(arg('--runs', '3'));
const minutes = Number(arg('--minutes', '60'));
const mode = arg('--mode', 'after');
// --data DIR: keep the blocks there and use them again (made to last 2 h past their making);
// --serve: start the sim and Prometheus, print their URLs, and keep them up until SIGINT/SIGTERM
const keep = arg('--data', null);
const serve = process.argv.includes('--serve');
const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-prom-bench-'));
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
	const made = keep !== null && fs.existsSync(path.join(dir, 'data'));
	const podList = made ? {items: []} : await listAll('/api/v1/pods');
	const nodeList = made ? {items: []} : await listAll('/api/v1/nodes');
	const now = Date.now();
	const end = Math.ceil(now / 15_000) * 15_000 + Number(arg('--ahead', keep === null ? '10' : '120')) * 60_000;
	const start = Math.ceil(now / 15_000) * 15_000 - (minutes + 10) * 60_000;
	const file = path.join(dir, 'input.om');
	let series = 0;
	if (!made) {
		fs.mkdirSync(dir, {recursive: true});
		const out = fs.createWriteStream(file);
		const write = s => (out.write(s) ? undefined : new Promise(resolve => out.once('drain', resolve)));
		await write('# TYPE container_memory_working_set_bytes gauge\n');
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
	}

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

	if (serve) {
		console.log(`SIM_URL=${simUrl}\nPROM_URL=${promUrl}`);
		await new Promise(resolve => {
			process.once('SIGINT', resolve);
			process.once('SIGTERM', resolve);
		});
	}

	const results = [];
	for (let i = 0; i < (serve ? 0 : runs); i++) {
		const args = ['--expose-gc', '--max-semi-space-size=32', ...(process.env.MEMTOP_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MEMTOP_BENCH_PROF}`] : [])];
		const text = execFileSync(process.execPath, [...args, path.join(here, 'bench-measure.mjs'), mode, simUrl, promUrl, String(minutes)], {encoding: 'utf8', maxBuffer: 2 ** 24});
		const r = JSON.parse(text.trim().split('\n').pop());
		console.error(`run ${i + 1}: ${line(r)}`);
		results.push(r);
	}

	if (results.length === 0) process.exit(0);
	const med = f => results.map(f).sort((a, b) => a - b)[Math.floor(results.length / 2)];
	console.log(JSON.stringify({pods, nodes, series, runs, mode, queries: results[0].result?.queries, samples: results[0].result?.samples, ...summary(med)}));
} finally {
	const exited = prom && prom.exitCode === null ? new Promise(resolve => prom.once('exit', resolve)) : null;
	prom?.kill('SIGTERM');
	sim.kill('SIGTERM');
	await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 10_000))]);
	if (keep === null) fs.rmSync(dir, {recursive: true, force: true});
}
