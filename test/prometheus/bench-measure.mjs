/**
 * One run of bench-backfill.mjs, in a fresh process: `node bench-measure.mjs MODE SIM_URL PROM_URL MINUTES`.
 * - after: lists and the first metrics poll, then the backfill alone: its time, queries, samples,
 *   RSS and the event loop meanwhile.
 * - early: as the live view starts: the lists page by page, the backfill beside them (planned from
 *   Prometheus), the first metrics held for it (prom/first-frame.ts): when the lists were in, when
 *   the first working sets were applied, when the backfill was done, and how many pods had history
 *   in the ring when the first working sets came in. late: the same with the backfill started once
 *   the lists are in.
 * - keys: the backfill started before the lists as the live view starts it (past columns opened
 *   on an empty ring, answers held), the lists and the first metrics poll, the live screen (the
 *   real App into a fake 200×50 terminal, as source/bench/ui-bench.ts), then the backfill let go
 *   and keys pressed over and over while it writes and asks for the rest (sort, filter typing,
 *   drill-down and back), each timed from when it was due to the frame it caused; the same keys
 *   for as long after it, for comparison.
 */
import {EventEmitter} from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import {constants, monitorEventLoopDelay, performance, PerformanceObserver} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = p => path.join(root, 'dist', p);
const gc = () => globalThis.gc?.();
const pause = ms => new Promise(resolve => setTimeout(resolve, ms));
const [mode, simUrl, promUrl, minutes] = process.argv.slice(2);
const {kubeTargetForServer} = await import(dist('kube/config.js'));
const {openSession} = await import(dist('kube/session.js'));
const {Store} = await import(dist('store/store.js'));
const {startPromHistory} = await import(dist('prom/history.js'));
// a build from before the first frame waited (to compare): the backfill starts once the lists are in
const {FirstFrameHold} = await import(dist('prom/first-frame.js')).catch(() => ({FirstFrameHold: null}));
const {defaultLabels} = await import(dist('prom/queries.js'));
const store = new Store({historySamples: Math.round((Number(minutes) * 60) / 15)});
const target = kubeTargetForServer(simUrl, 'bench');
const maxPoints = process.env.MEMTOP_BENCH_POINTS ? Number(process.env.MEMTOP_BENCH_POINTS) : undefined;
const concurrency = process.env.MEMTOP_BENCH_CONCURRENCY ? Number(process.env.MEMTOP_BENCH_CONCURRENCY) : undefined;
const history = ({kube, ...extra}) => startPromHistory({endpoint: {url: promUrl}, labels: defaultLabels, stepMs: 15_000, kube: kube ?? session.client, store, probeMs: 0, maxPoints, concurrency, ...extra});
const quantile = (xs, q) => (xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]);
let session;

/** the collector's pauses: the longest, and the count and total of the major ones */
function gcPauses(gcs) {
	const major = gcs.filter(g => g.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
	return {gcMaxMs: Math.max(0, ...gcs.map(g => g.duration)), gcMajor: major.length, gcMajorMs: major.reduce((a, g) => a + g.duration, 0)};
}

/**
 * Watch the event loop's delay, the collector's pauses and the RSS (every 100 ms) from now; end()
 * stops them and gives the pauses and the RSS peak. With $MEMTOP_BENCH_GAPS, a 1 ms ticker also
 * writes each gap over 20 ms there as [µs on a --cpu-prof profile's clock, ms, main-thread CPU ms]
 * (test/perf/gap-profile.mjs says what ran in each).
 */
let watches = 0;
function watchLoop() {
	const loop = monitorEventLoopDelay({resolution: 5});
	const gcs = [];
	const watch = new PerformanceObserver(list => gcs.push(...list.getEntries()));
	watch.observe({entryTypes: ['gc']});
	loop.enable();
	let rssPeak = process.memoryUsage.rss();
	const rss = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
	const gaps = [];
	let last = performance.now();
	let lastCpu = process.threadCpuUsage();
	const ticker = process.env.MEMTOP_BENCH_GAPS
		? setInterval(() => {
				const t = performance.now();
				const cpu = process.threadCpuUsage();
				if (t - last > 20) gaps.push([Number(process.hrtime.bigint() / 1000n) - (t - last) * 1000, t - last, (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000]);
				last = t;
				lastCpu = cpu;
			}, 1)
		: null;
	return {
		loop,
		end() {
			loop.disable();
			watch.disconnect();
			clearInterval(rss);
			if (ticker) {
				clearInterval(ticker);
				fs.writeFileSync(`${process.env.MEMTOP_BENCH_GAPS}${watches++ === 0 ? '' : `.${watches}`}`, JSON.stringify(gaps));
			}

			return {...gcPauses(gcs), rssPeakMb: rssPeak / 2 ** 20};
		},
	};
}

/** pods whose ring has at least 10 samples (a forecast needs as many) */
function podsWithHistory() {
	let n = 0;
	for (const key of store.pods.keys()) {
		const v = store.history('pod', key).values;
		let finite = 0;
		for (const x of v) if (!Number.isNaN(x)) finite++;
		if (finite >= 10) n++;
	}

	return n;
}

if (mode === 'early' || mode === 'late') {
	const t0 = performance.now();
	const hold = new FirstFrameHold();
	let firstMetricsMs = null;
	let atFirstMetrics = null;
	const apply = store.applyMetrics.bind(store);
	store.applyMetrics = (...args) => {
		apply(...args);
		if (firstMetricsMs === null) {
			firstMetricsMs = performance.now() - t0;
			atFirstMetrics = podsWithHistory();
		}
	};

	session = await openSession({target, metricsIntervalMs: 3_600_000, summary: false, progressive: true, firstMetricsAfter: listed => hold.after(listed)}, store);
	// late: the backfill starts once the lists are in (what memtop did before it started beside them)
	if (mode === 'late') await hold.listed;
	const h = history({listed: hold.listed, scope: {namespace: null}});
	hold.attach(h.firstFrame);
	let listedMs;
	void hold.listed.then(() => (listedMs = performance.now() - t0));
	await session.ready;
	const r = await h.done;
	const backfillMs = performance.now() - t0;
	h.stop();
	await session.stop();
	console.log(JSON.stringify({mode, listedMs, firstMetricsMs, backfillMs, pods: store.pods.size, podsWithHistoryAtFirstMetrics: atFirstMetrics, result: r, banner: store.banners.get('prometheus')?.text}));
	process.exit(0);
}

const {ApiClient} = await import(dist('kube/http.js'));
// keys: as the live view orders it, the backfill starts before the lists (its past columns opened
// while there are no rows to move, the first answers held), and goes on once they are in, here
// when the screen is up; a Prometheus URL needs no session to reach it
let letGo = () => {};
const early = mode === 'keys' && FirstFrameHold ? history({kube: new ApiClient(target), listed: new Promise(resolve => (letGo = resolve)), scope: {namespace: null}, noticeMs: process.env.MEMTOP_BENCH_NOTICE ? Number(process.env.MEMTOP_BENCH_NOTICE) : undefined}) : null;
session = await openSession({target, metricsIntervalMs: 3_600_000, summary: false}, store);
await session.ready;
store.flush();
gc();
const before = process.memoryUsage().rss;

if (mode === 'after') {
	const {loop, end} = watchLoop();
	const t0 = performance.now();
	const cpu0 = process.cpuUsage();
	const h = history({});
	const r = await h.done;
	const ms = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	const pauses = end();
	store.flush();
	const peak = process.memoryUsage().rss;
	gc();
	const after = process.memoryUsage().rss;
	h.stop();
	await session.stop();
	console.log(JSON.stringify({mode, ms, cpuMs: (cpu.user + cpu.system) / 1000, ...pauses, result: r, banner: store.banners.get('prometheus')?.text, rssBeforeMb: before / 2 ** 20, rssPeakMb: Math.max(peak / 2 ** 20, pauses.rssPeakMb), rssAfterMb: after / 2 ** 20, loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6, requests: h.client?.requests}));
	process.exit(0);
}

// keys: the live screen into a fake terminal, as runTui draws it (memtop writes the frames; Ink reads the keys)
process.env.NODE_ENV ??= 'production';
const [{render}, {createElement}, {App}, {FrameWriter}] = await Promise.all([import('ink'), import('react'), import(dist('ui/app.js')), import(dist('ui/frame-writer.js'))]);
const terminal = () => Object.assign(new EventEmitter(), {isTTY: true, columns: 200, rows: 50});
let waiting = [];
const screen = Object.assign(terminal(), {
	write(_chunk, cb) {
		const now = performance.now();
		for (const f of waiting.splice(0)) f(now);
		if (typeof cb === 'function') cb();
		return true;
	},
});
const inkOut = Object.assign(terminal(), {write: (_c, cb) => (typeof cb === 'function' && cb(), true)});
let pending = null;
const keyboard = Object.assign(terminal(), {
	read: () => [pending, (pending = null)][0],
	press(data) {
		pending = data;
		this.emit('readable');
		this.emit('data', data);
	},
	setEncoding() {},
	setRawMode() {},
	resume() {},
	pause() {},
	ref() {},
	unref() {},
});
const instance = render(createElement(App, {store, actions: {setSelector: async () => {}}, width: 200, height: 50, colorMode: 'basic', tickMs: 0, sink: new FrameWriter(screen)}), {
	stdout: inkOut,
	stdin: keyboard,
	interactive: true,
	incrementalRendering: true,
	exitOnCtrlC: false,
	patchConsole: false,
	maxFps: 1000,
});
// a person looks at the first frame before the first key: sort columns and forecasts are prepared meanwhile
await pause(Math.min(5000, 1000 + store.pods.size / 100));

/** ms from when `key` was due to the frame it caused (NaN: none within 2 s) */
async function press(key) {
	const due = performance.now() + 5;
	await pause(5);
	const frame = new Promise(resolve => waiting.push(resolve));
	keyboard.press(key);
	return (await Promise.race([frame, pause(2000).then(() => Number.NaN)])) - due;
}

/** keys over and over until `stop()` says so: sort letters, typing a filter, a drill-down and back */
async function keys(stop) {
	const got = {sort: [], filter: [], drill: []};
	const sorts = ['z', 'x', 'u', 'l', 't', 'a', 's', 'm', 'r'];
	for (let round = 0; !stop(); round++) {
		for (let i = 0; i < 3 && !stop(); i++) got.sort.push(await press(sorts[(round * 3 + i) % sorts.length]));
		if (stop()) break;
		await press('/');
		for (const ch of 'pod-1') if (!stop()) got.filter.push(await press(ch));
		keyboard.press('\u001b');
		await pause(120);
		if (stop()) break;
		got.drill.push(await press('\r'));
		keyboard.press('\u001b');
		await pause(120);
		await press('j');
	}

	return got;
}

const figures = (got, ms, loop) => {
	const out = {ms, loopMaxMs: loop.max / 1e6, loopP99Ms: loop.percentile(99) / 1e6};
	for (const [kind, xs] of Object.entries(got)) {
		const ok = xs.filter(x => Number.isFinite(x));
		Object.assign(out, {[`${kind}N`]: xs.length, [`${kind}Lost`]: xs.length - ok.length, [`${kind}P50`]: quantile(ok, 0.5), [`${kind}P99`]: quantile(ok, 0.99), [`${kind}Max`]: quantile(ok, 1)});
	}

	return out;
};

const measure = async (run, stop) => {
	const {loop, end} = watchLoop();
	const t0 = performance.now();
	const cpu0 = process.cpuUsage();
	const [got] = await Promise.all([keys(stop), run]);
	const cpu = process.cpuUsage(cpu0);
	const pauses = end();
	return {...figures(got, performance.now() - t0, loop), cpuMs: (cpu.user + cpu.system) / 1000, ...pauses};
};

// during the backfill, then as long again without it
let backfilling = true;
const h = early ?? history({});
letGo();
const during = await measure(
	h.done.then(() => (backfilling = false)),
	() => !backfilling,
);
const quietUntil = performance.now() + during.ms;
const without = await measure(Promise.resolve(), () => performance.now() >= quietUntil);
const r = await h.done;
instance.unmount();
h.stop();
await session.stop();
console.log(JSON.stringify({mode, result: r, banner: store.banners.get('prometheus')?.text, during, without, rssBeforeMb: before / 2 ** 20}));
process.exit(0);
