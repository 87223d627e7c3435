/**
 * Deterministic history from a real Prometheus (issue 11): known series (a leak toward its limit,
 * a GC sawtooth, an OOM kill and restart) written as OpenMetrics, made into TSDB blocks by
 * promtool, served by Prometheus; the pods are the simulated cluster's, named as the series.
 * memtop's backfilled samples, its forecast and its 7-day recommendation must be exactly what the
 * known series give.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {kubeTargetForServer} from '../../source/kube/config.js';
import {openSession, type Session} from '../../source/kube/session.js';
import {forecastOom} from '../../source/memory/forecast.js';
import {quantile} from '../../source/memory/stats.js';
import {connectPrometheus} from '../../source/prom/connect.js';
import {startPromHistory} from '../../source/prom/history.js';
import {LongCharts} from '../../source/prom/long-window.js';
import {defaultLabels} from '../../source/prom/queries.js';
import {windowRecommendations} from '../../source/prom/window.js';
import {startSim, type SimHandle} from '../../source/sim/index.js';
import {HistoryRing} from '../../source/store/history.js';
import {Store} from '../../source/store/store.js';
import type {PodRecord} from '../../source/model/index.js';
import {ViewModel} from '../../source/view/index.js';
import {createBlocks, startPrometheus, type RunningPrometheus} from './harness.js';
import {grid, leak, Mi, openMetrics, sawtooth, STEP_MS, valueAt, type KnownSeries} from './series.js';

const WEEK = 7 * 24 * 3_600_000;
const roundUpMi = (b: number) => Math.ceil(b / Mi) * Mi;
let sim: SimHandle;
let store: Store;
let session: Session;
let prom: RunningPrometheus;
let dir: string;
let end: number;
const known: Record<'leak' | 'saw' | 'oom', {series: KnownSeries; pod: PodRecord; limit: number}> = {} as never;

function soleContainerPod(namespace: string, prefix: string): PodRecord {
	const p = [...store.pods.values()].find(x => x.namespace === namespace && x.name.startsWith(prefix) && x.phase === 'Running');
	if (!p) throw new Error(`the demo has no running ${namespace}/${prefix}* pod`);
	expect(p.containers.length, `${p.key} has one container`).toBe(1);
	return p;
}

/** `values` as the history ring holds them (16-bit log codes), NaN → null */
function asRing(times: ArrayLike<number>, values: ArrayLike<number>): Array<number | null> {
	const ring = new HistoryRing(times.length, 1);
	const s = ring.alloc();
	for (let i = 0; i < times.length; i++) {
		ring.tick(times[i]!);
		if (Number.isFinite(values[i]!)) ring.set(s, values[i]!);
	}

	return Array.from(ring.read(s).values, v => (Number.isNaN(v) ? null : v));
}

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-prom-'));
	sim = await startSim({scenario: 'demo', clock: 'manual', seed: 1, startTime: Date.UTC(2026, 5, 26, 10, 0, 0)});
	store = new Store({historySamples: 240, notifyIntervalMs: 0});
	session = await openSession({target: kubeTargetForServer(sim.url), metricsIntervalMs: 15_000, summary: false, demo: true}, store);
	await session.ready;
	expect(store.metricsTime).not.toBeNull();
	// the newest grid time before the first live sample: the known series end there
	end = Math.floor((store.metricsTime! - 1) / STEP_MS) * STEP_MS;
	const cart = soleContainerPod('shop', 'sessions-');
	expect(cart.containers[0]!.lastTermination, 'no restart: the whole backfilled hour counts').toBeNull();
	const api = [...store.pods.values()].find(x => x.namespace === 'shop' && x.name.startsWith('api-') && x.phase === 'Running')!;
	const web = soleContainerPod('shop', 'frontend-');
	const live = (p: PodRecord) => store.workingSet(p.key)!;
	const oomAt = end - 3 * 24 * 3_600_000;
	const ramp = leak(oomAt - STEP_MS, 255 * Mi, 159 * Mi / 24, oomAt - 24 * 3_600_000);
	known.leak = {pod: cart, limit: cart.containers[0]!.limitBytes!, series: {namespace: 'shop', pod: cart.name, container: cart.containers[0]!.name, value: leak(end, live(cart), 50 * Mi, end - 2 * 3_600_000)}};
	known.saw = {pod: api, limit: api.containers.find(c => c.name === 'api')!.limitBytes!, series: {namespace: 'shop', pod: api.name, container: 'api', value: sawtooth(560 * Mi, 890 * Mi, 10 * 60_000)}};
	known.oom = {
		pod: web,
		limit: web.containers[0]!.limitBytes!,
		series: {namespace: 'shop', pod: web.name, container: web.containers[0]!.name, value: t => (t < oomAt ? ramp(t) : 96 * Mi), ooms: t => (t < oomAt ? 0 : 1)},
	};
	await createBlocks(openMetrics(Object.values(known).map(k => k.series), end - WEEK + STEP_MS, end), path.join(dir, 'data'));
	prom = await startPrometheus({storage: path.join(dir, 'data')});
}, 600_000);

afterAll(async () => {
	await session?.stop();
	await sim?.close();
	await prom?.stop();
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

describe('history from a real Prometheus', () => {
	it('backfills every pod of the known series with exactly their samples, once per container (two scrape jobs)', async () => {
		const h = startPromHistory({endpoint: {url: prom.url}, labels: defaultLabels, stepMs: 15_000, kube: session.client, store, probeMs: 0});
		const r = await h.done;
		h.stop();
		expect(store.banners.get('prometheus')?.level).toBe('info');
		expect(store.banners.get('prometheus')?.text).toContain(`history from Prometheus ${prom.url}`);
		expect(r).not.toBeNull();
		expect(r!.columns).toBe(239);
		expect(r!.series).toBe(3);
		const times = store.ring.times();
		expect(times.length).toBe(240);
		expect(times[238]).toBe(store.metricsTime! - 15_000);
		for (const {series, pod} of Object.values(known)) {
			const kind = store.containerSeriesNames(pod.key).includes(series.container) ? 'container' : 'pod';
			const got = Array.from(store.history(kind, pod.key, kind === 'container' ? series.container : undefined).values, v => (Number.isNaN(v) ? null : v));
			const want = Array.from(times, t => (t < store.metricsTime! ? (valueAt(series, t) ?? Number.NaN) : Number.NaN));
			expect(got.slice(0, -1), `${pod.key} past samples`).toEqual(asRing(times, want).slice(0, -1));
		}
	});

	it('forecasts from the backfilled hour: the leak reaches its limit, the sawtooth is flat', () => {
		const vm = new ViewModel(store);
		const times = store.ring.times();
		const now = store.metricsTime!;
		for (const [name, k] of Object.entries(known)) {
			if (name === 'oom') continue;
			// the sawtooth's pod has a sidecar: its container has a series of its own
			const own = store.containerSeriesNames(k.pod.key).includes(k.series.container);
			const series = own ? store.history('container', k.pod.key, k.series.container) : store.history('pod', k.pod.key);
			const want = Array.from(times, (t, i) => (t < now ? (valueAt(k.series, t) ?? Number.NaN) : series.values[i]!));
			const expected = forecastOom(times, Float32Array.from(asRing(times, want), v => v ?? Number.NaN), k.limit, now, {startedAt: null});
			const got = own ? vm.containerRows(k.pod.key).find(c => c.name === k.series.container)!.forecast : vm.podRow(k.pod.key)!.forecast;
			expect(got, `${name}: ${k.pod.key}`).toEqual(expected);
			if (name === 'leak') {
				expect(expected.kind).toBe('eta');
				// 50 Mi an hour from where the sim's sessions pod is to its limit
				const eta = ((k.limit - store.workingSet(k.pod.key)!) / (50 * Mi)) * 3_600_000;
				expect(expected.kind === 'eta' && Math.abs(expected.etaMs - eta) / eta).toBeLessThan(0.05);
			} else {
				expect(expected.kind === 'none' && expected.why).toBe('flat');
			}
		}
	});

	it('recommends over 7 days from Prometheus by the seed rules, OOM kills counted, krr beside it', async () => {
		const c = (await connectPrometheus({url: prom.url}, session.client))!;
		const rows = await windowRecommendations({client: c.client, labels: defaultLabels, store, windowMs: WEEK, nowMs: end, rows: new ViewModel(store).recommendations()});
		c.close();
		for (const [name, k] of Object.entries(known)) {
			const row = rows.find(r => r.namespace === 'shop' && r.container === k.series.container && k.pod.name.startsWith(`${r.workload}-`));
			expect(row, name).toBeDefined();
			const values = grid(end - WEEK + STEP_MS, end).map(t => k.series.value(t)!);
			const steady = quantile(values, 0.5);
			const peak = Math.max(...values);
			const request = roundUpMi(steady * 1.2);
			let limit = roundUpMi(Math.max(peak * 1.2, request * 1.5));
			if (name === 'oom') limit = Math.max(limit, roundUpMi(k.limit * 1.2));
			expect(row!.pooled).toBe(1);
			expect(row!.window).toMatchObject({samples: values.length, steadyBytes: steady, peakBytes: peak, oomKills: name === 'oom' ? 1 : 0, restarts: name === 'oom' ? 1 : 0});
			expect(row!.recommendation).toMatchObject({requestBytes: request, limitBytes: limit, samples: values.length, confidence: 'ok'});
			expect(row!.recommendation.observedMs).toBeGreaterThan(WEEK - 10 * 60_000);
			expect(row!.krrBytes).toBe((peak * 115) / 100);
		}
	});

	it('charts 7 days of one pod on demand: the highest working set of each step, its OOM kill marked', async () => {
		const c = (await connectPrometheus({url: prom.url}, session.client))!;
		let redraws = 0;
		const long = new LongCharts(() => c.client, defaultLabels, () => redraws++, () => end);
		const k = known.oom;
		const subject = {kind: 'pod' as const, namespace: 'shop', name: k.pod.name, container: null};
		expect(long.get(subject, WEEK).status).toBe('loading');
		await long.settled();
		const chart = long.get(subject, WEEK);
		c.close();
		expect(redraws).toBe(1);
		expect(chart.status).toBe('ok');
		const step = LongCharts.stepMs(WEEK);
		expect(step).toBe(2_520_000);
		expect(chart.series.map(s => s.name)).toEqual([k.series.container]);
		const {times, values} = chart.series[0]!;
		// each point is the highest sample in the step before it
		for (let i = 0; i < times.length; i += 37) {
			const inStep = grid(times[i]! - step + STEP_MS, times[i]!).map(t => k.series.value(t)).filter((v): v is number => v !== null);
			if (inStep.length > 0) expect(values[i], `point ${i}`).toBe(Math.fround(Math.max(...inStep)));
		}

		const oomAt = end - 3 * 24 * 3_600_000;
		expect(chart.ooms.length).toBeGreaterThan(0);
		expect(chart.ooms.every(t => t >= oomAt && t < oomAt + 2 * step)).toBe(true);
	});
});
