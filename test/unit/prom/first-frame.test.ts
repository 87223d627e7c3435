/**
 * The live view's first working sets and the backfill (prom/first-frame.ts): a session as the TUI
 * opens it (the lists page by page, the first metrics poll beside them) on the simulated cluster,
 * the backfill started beside the lists against a server speaking a few lines of the Prometheus
 * API. A small scope's first working sets wait for the backfill (so they come with history); a big
 * scope's do not wait for it at all. The hold's own deadline is set far off here: what releases
 * the first frame must be the backfill or its plan, never the clock.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {openSession, type Session} from '../../../source/kube/session.js';
import {FirstFrameHold} from '../../../source/prom/first-frame.js';
import {startPromHistory, type PromHistory} from '../../../source/prom/history.js';
import {defaultLabels} from '../../../source/prom/queries.js';
import {startSim, type SimHandle} from '../../../source/sim/index.js';
import type {Store as StoreType} from '../../../source/store/store.js';
import {Store} from '../../../source/store/store.js';

const Mi = 1024 * 1024;
const closers: Array<() => Promise<void> | void> = [];

afterEach(async () => {
	for (const close of closers.splice(0).reverse()) await close();
});

interface FakeProm {
	url: string;
	/** query_range requests seen */
	ranges: number;
	/** lets the range answers go (until then they wait) */
	answer(): void;
}

/** count by namespace says `series` containers in shop; range answers (once let go) 100 Mi at every step for `pods` */
async function fakePrometheus(series: number, pods: Array<{name: string; containers: string[]}>): Promise<FakeProm> {
	let go = () => {};
	const gate = new Promise<void>(resolve => (go = resolve));
	const fake: FakeProm = {url: '', ranges: 0, answer: () => go()};
	const server = http.createServer((req, res) => {
		const url = new URL(req.url!, 'http://x');
		const send = (data: unknown) => res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({status: 'success', data}));
		const query = url.searchParams.get('query') ?? '';
		if (url.pathname === '/api/v1/query') {
			const t = Number(url.searchParams.get('time'));
			const result = query.startsWith('count by') ? [{metric: {namespace: 'shop'}, value: [t, String(series)]}] : [];
			send({resultType: 'vector', result});
			return;
		}

		fake.ranges++;
		void gate.then(() => {
			const start = Number(url.searchParams.get('start'));
			const end = Number(url.searchParams.get('end'));
			const values: Array<[number, string]> = [];
			for (let t = start; t <= end + 1e-9; t += Number(url.searchParams.get('step'))) values.push([Number(t.toFixed(3)), String(100 * Mi)]);
			const result = query.startsWith('max by (namespace') ? pods.flatMap(p => p.containers.map(c => ({metric: {namespace: 'shop', pod: p.name, container: c}, values}))) : [];
			send({resultType: 'matrix', result});
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	closers.push(() => {
		go();
		server.closeAllConnections();
		return new Promise(resolve => server.close(() => resolve()));
	});
	fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return fake;
}

/** the shop pods of the demo, from its own API */
async function shopPods(sim: SimHandle): Promise<Array<{name: string; containers: string[]}>> {
	const list = (await (await fetch(`${sim.url}/api/v1/namespaces/shop/pods`)).json()) as {items: Array<{metadata: {name: string}; spec: {containers: Array<{name: string}>}}>};
	return list.items.map(p => ({name: p.metadata.name, containers: p.spec.containers.map(c => c.name)}));
}

/** finite samples in a pod's history */
const samples = (store: StoreType, key: string) => Array.from(store.history('pod', key).values).filter(v => !Number.isNaN(v)).length;

/** the live view's start: session (progressive, first metrics held), backfill beside the lists */
async function liveStart(prom: FakeProm, sim: SimHandle): Promise<{store: Store; session: Session; h: PromHistory; firstApplied: {history: number | null}; key: string}> {
	const store = new Store({historySamples: 40, notifyIntervalMs: 0});
	const key = `shop/${(await shopPods(sim))[0]!.name}`;
	// what the pod's history held when the first working sets came in
	const firstApplied: {history: number | null} = {history: null};
	const apply = store.applyMetrics.bind(store);
	store.applyMetrics = (...args) => {
		if (firstApplied.history === null) firstApplied.history = samples(store, key);
		apply(...args);
	};

	const hold = new FirstFrameHold(10 * 60_000);
	const session = await openSession({target: kubeTargetForServer(sim.url), metricsIntervalMs: 15_000, summary: false, progressive: true, firstMetricsAfter: listed => hold.after(listed)}, store);
	closers.push(() => session.stop());
	const h = startPromHistory({endpoint: {url: prom.url}, labels: defaultLabels, stepMs: 15_000, kube: session.client, store, probeMs: 0, listed: hold.listed, scope: {namespace: null}});
	closers.push(() => h.stop());
	hold.attach(h.firstFrame);
	return {store, session, h, firstApplied, key};
}

describe('the first frame and the backfill', () => {
	it('a small scope: the first working sets wait for the backfill, and come with its history', async () => {
		const sim = await startSim({scenario: 'demo', clock: 'manual', seed: 1});
		closers.push(() => sim.close());
		const prom = await fakePrometheus(30, await shopPods(sim));
		const {store, session, h, firstApplied, key} = await liveStart(prom, sim);
		await expect.poll(() => prom.ranges).toBeGreaterThan(0);
		await expect.poll(() => store.pods.has(key)).toBe(true);
		let ready = false;
		void session.ready.then(() => (ready = true));
		// the lists are in, the metrics answered, the range answers wait: so do the first working sets
		await expect.poll(() => sim.requests.some(r => r.path.endsWith('metrics.k8s.io/v1beta1/nodes'))).toBe(true);
		await new Promise(resolve => setTimeout(resolve, 200));
		expect(ready).toBe(false);
		expect(firstApplied.history).toBeNull();
		prom.answer();
		await session.ready;
		const r = await h.done;
		expect(r).toMatchObject({columns: 40, pods: (await shopPods(sim)).length});
		// 40 past columns, the oldest pushed out by the first live one
		expect(firstApplied.history).toBe(40);
		expect(store.metricsTime).not.toBeNull();
		expect(samples(store, key)).toBe(40);
	});

	it('a big scope: the first working sets do not wait for the backfill', async () => {
		const sim = await startSim({scenario: 'demo', clock: 'manual', seed: 1});
		closers.push(() => sim.close());
		const prom = await fakePrometheus(50_000, await shopPods(sim));
		const {store, session, h, firstApplied} = await liveStart(prom, sim);
		let settled = false;
		void h.done.then(() => (settled = true));
		// the range answers never come (until the test ends): the session is ready all the same
		await session.ready;
		expect(store.metricsTime).not.toBeNull();
		expect(firstApplied.history).toBe(0);
		expect(prom.ranges).toBeGreaterThan(0);
		expect(settled).toBe(false);
	});
});
