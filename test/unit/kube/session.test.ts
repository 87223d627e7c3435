/**
 * The kube layer against the simulated cluster, over real HTTP: pagination, watch updates,
 * 410 relists, the watchdog, errors and degraded modes. No mocks: the same code a real cluster gets.
 */
import {describe, expect, it} from 'vitest';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {MemtopError} from '../../../source/kube/errors.js';
import {ApiClient} from '../../../source/kube/http.js';
import {Reflector} from '../../../source/kube/reflector.js';
import {Scheduler} from '../../../source/kube/scheduler.js';
import {openSession, type Session, type SessionOptions} from '../../../source/kube/session.js';
import {podFromObject} from '../../../source/kube/convert.js';
import type {SimHandle} from '../../../source/sim/index.js';
import {ViewModel} from '../../../source/view/index.js';
import {Store} from '../../../source/store/store.js';
import {headerLine} from '../../../source/ui/screen/index.js';
import {initialState} from '../../../source/ui/state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import type {PodRecord} from '../../../source/model/index.js';
import {cleanups, sim} from './sim-harness.js';


async function session(s: SimHandle, options: Partial<SessionOptions> = {}, token?: string): Promise<{store: Store; session: Session}> {
	const store = new Store();
	const sess = await openSession({target: kubeTargetForServer(s.url, 'test', token), metricsIntervalMs: 3_600_000, summaryIntervalMs: 3_600_000, backoffMaxMs: 200, ...options}, store);
	cleanups.push(() => sess.stop());
	await sess.ready;
	store.flush();
	return {store, session: sess};
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

function header(store: Store): string {
	const vm = new ViewModel(store);
	const ctx = {vm, status: vm.status(store.now()), state: initialState(), width: 200, now: store.now(), theme: makeTheme('none')};
	return headerLine(ctx).segs.map(seg => seg.text).join('');
}

async function fatal(p: Promise<unknown>): Promise<string> {
	try {
		await p;
	} catch (error) {
		expect(error).toBeInstanceOf(MemtopError);
		expect((error as Error).message).not.toContain('\n');
		return (error as Error).message;
	}

	throw new Error('expected a MemtopError');
}

async function serverPodKeys(s: SimHandle): Promise<string[]> {
	const client = new ApiClient(kubeTargetForServer(s.url));
	cleanups.push(() => client.close());
	const keys: string[] = [];
	let cont: string | undefined;
	do {
		const page = await client.getJson<any>('/api/v1/pods', {limit: 5000, continue: cont});
		for (const p of page.items) keys.push(`${p.metadata.namespace}/${p.metadata.name}`);
		cont = page.metadata.continue || undefined;
	} while (cont);
	return keys.sort();
}

describe('lists and watches', () => {
	it('pages through continue tokens and gets every pod exactly once', async () => {
		const s = await sim({scenario: 'scale', pods: 2345, nodes: 17});
		const {store} = await session(s, {metrics: true, summary: false});
		expect(store.pods.size).toBe(2345);
		expect([...store.pods.keys()].sort()).toEqual(await serverPodKeys(s));
		const pages = s.requests.filter(r => r.path === '/api/v1/pods' && /limit=500(&|$)/.test(r.query) && !/watch=/.test(r.query));
		expect(pages.length).toBe(Math.ceil(2345 / 500));
		expect(pages.filter(r => /continue=/.test(r.query))).toHaveLength(pages.length - 1);
		expect(store.nodes.size).toBe(17);
	});

	it('shows an OOM kill that arrives as a watch update in the feed, with container and time', async () => {
		const s = await sim({scenario: 'demo', seed: 3});
		const {store} = await session(s);
		const victim = [...store.pods.values()].find(p => p.namespace === 'shop' && p.containers.length === 1 && p.restarts === 0)!;
		const before = store.feed.entries().filter(e => e.kind === 'OOMKilled' && e.pod === victim.name).length;
		expect(before).toBe(0);
		expect(s.oomKill(victim.namespace, victim.name)).toBe(true);
		await until('the OOM kill in the feed', () => store.feed.entries().some(e => e.kind === 'OOMKilled' && e.pod === victim.name));
		const entry = store.feed.entries().find(e => e.kind === 'OOMKilled' && e.pod === victim.name)!;
		expect(entry.container).toBe(victim.containers[0]!.name);
		expect(entry.exitCode).toBe(137);
		expect(entry.time).toBe(s.now() - (s.now() % 1000));
		expect(store.pods.get(victim.key)!.restarts).toBe(1);
	});

	it('relists after 410 Gone and ends with no ghost and no missing pod', async () => {
		const s = await sim({scenario: 'demo', seed: 4});
		const {store} = await session(s);
		const listsBefore = s.requests.filter(r => r.path === '/api/v1/pods' && !/watch=/.test(r.query)).length;
		s.stallWatches(); // connected but silent: the changes below are not delivered
		const doomed = [...store.pods.values()].filter(p => p.namespace === 'shop').slice(0, 3);
		for (const p of doomed) s.deletePod(p.namespace, p.name);
		s.addPod({apiVersion: 'v1', kind: 'Pod', metadata: {namespace: 'shop', name: 'newcomer', uid: 'u-new'}, spec: {nodeName: 'worker-1', containers: [{name: 'c', resources: {limits: {memory: '64Mi'}}}]}, status: {phase: 'Running', qosClass: 'Burstable'}});
		s.compact(); // the version memtop holds is now too old
		s.dropWatches();
		const expected = await serverPodKeys(s);
		await until('the relist', () => [...store.pods.keys()].sort().join() === expected.join());
		expect(store.pods.has('shop/newcomer')).toBe(true);
		for (const p of doomed) expect(store.pods.has(p.key)).toBe(false);
		const listsAfter = s.requests.filter(r => r.path === '/api/v1/pods' && !/watch=/.test(r.query)).length;
		// only a 410 makes the reflector list again (a plain reconnect resumes: see the next test)
		expect(listsAfter).toBeGreaterThan(listsBefore);
	});

	it('resumes a dropped watch from its resourceVersion without relisting', async () => {
		const s = await sim({scenario: 'demo', seed: 5});
		const {store} = await session(s);
		const lists = () => s.requests.filter(r => r.path === '/api/v1/pods' && !/watch=/.test(r.query)).length;
		const before = lists();
		s.dropWatches();
		s.addPod({apiVersion: 'v1', kind: 'Pod', metadata: {namespace: 'data', name: 'late', uid: 'u-late'}, spec: {containers: [{name: 'c'}]}, status: {phase: 'Pending'}});
		await until('the pod added while disconnected', () => store.pods.has('data/late'));
		expect(lists()).toBe(before);
		const resumed = s.requests.filter(r => r.path === '/api/v1/pods' && /watch=true/.test(r.query));
		expect(resumed.length).toBeGreaterThanOrEqual(2);
		expect(resumed.at(-1)!.query).toMatch(/resourceVersion=\d+/);
	});

	it('reopens a watch that went silent (the watchdog)', async () => {
		const s = await sim({scenario: 'demo', seed: 6, bookmarkIntervalMs: 0});
		const client = new ApiClient(kubeTargetForServer(s.url));
		const scheduler = new Scheduler();
		const seen = new Map<string, PodRecord>();
		const r = new Reflector<PodRecord>({
			client,
			path: '/api/v1/pods',
			convert: podFromObject,
			keyOf: raw => `${raw.metadata.namespace}/${raw.metadata.name}`,
			onReplace: recs => {
				seen.clear();
				for (const x of recs) seen.set(x.key, x);
			},
			onUpsert: x => seen.set(x.key, x),
			onDelete: k => seen.delete(k),
			idleMs: 300,
			backoffMaxMs: 100,
			sleep: scheduler.sleep,
		});
		await r.start();
		cleanups.push(async () => {
			await r.stop();
			scheduler.stop();
			client.close();
		});
		await until('the first watch', () => s.openWatches() > 0);
		s.stallWatches();
		s.addPod({apiVersion: 'v1', kind: 'Pod', metadata: {namespace: 'data', name: 'quiet', uid: 'u-q'}, spec: {containers: [{name: 'c'}]}, status: {phase: 'Pending'}});
		await until('the watchdog to reopen the watch and see the pod', () => seen.has('data/quiet'));
	});

	it('never sends anything but GET, and says who it is', async () => {
		const s = await sim({scenario: 'demo', seed: 7});
		const {session: sess} = await session(s, {summaryConcurrency: 4});
		await sess.pollSummaries();
		await sess.pollMetrics();
		expect(s.writes).toBe(0);
		expect(s.requests.length).toBeGreaterThan(10);
		for (const r of s.requests) {
			expect(r.method).toBe('GET');
			expect(r.userAgent).toMatch(/^memtop\//);
		}
	});
});

describe('timers', () => {
	it('stop leaves no timer pending: not the polls, not a reflector backing off', async () => {
		const s = await sim({scenario: 'demo', seed: 10});
		const scheduler = new Scheduler();
		const {session: sess} = await session(s, {scheduler, backoffMaxMs: 60_000});
		expect(scheduler.pending).toBe(2); // the metrics and the Summary poll
		s.injectFault({match: '/api/v1/pods', status: 500, count: 1000});
		s.dropWatches();
		await until('the pod watch backing off', () => scheduler.pending > 2);
		await sess.stop();
		expect(scheduler.pending).toBe(0);
	});
});

describe('rescoping', () => {
	it('switches namespace and selector without losing the old watch until the new list is in', async () => {
		const s = await sim({scenario: 'demo', seed: 9});
		const {store, session: sess} = await session(s, {namespace: 'shop'});
		expect(new Set([...store.pods.values()].map(p => p.namespace))).toEqual(new Set(['shop']));
		await sess.setNamespace('data');
		expect(store.connection?.namespace).toBe('data');
		// the replaced watch going away does not mark the new one unsynced
		expect(store.sync.pods).toBe('synced');
		expect(new Set([...store.pods.values()].map(p => p.namespace))).toEqual(new Set(['data']));
		await sess.setSelector('app=postgres');
		expect([...store.pods.values()].map(p => p.name).sort()).toEqual(['postgres-0', 'postgres-1']);
		await sess.setNamespace(null);
		expect(store.connection?.namespace).toBeNull();
		expect([...store.pods.values()].every(p => p.name.startsWith('postgres-'))).toBe(true);
		// a selector the server refuses leaves the current view alone
		await expect(sess.setSelector('app in (')).rejects.toThrow(/label selector "app in \(" rejected/);
		expect(store.pods.size).toBe(2);
		expect(s.writes).toBe(0);
	});
});

describe('metrics', () => {
	it('reports exactly the working set the cluster serves', async () => {
		const s = await sim({scenario: 'demo', seed: 8});
		const {store} = await session(s);
		const snap = s.metricsSnapshot();
		expect(snap.pods.length).toBeGreaterThan(10);
		for (const p of snap.pods) {
			const key = `${p.namespace}/${p.name}`;
			const sum = p.containers.reduce((a, c) => a + c.workingSetBytes, 0);
			expect(store.workingSet(key)).toBe(sum);
			for (const c of p.containers) expect(store.containerWorkingSet(key, c.name)).toBe(c.workingSetBytes);
		}

		for (const n of snap.nodes) expect(store.nodeWorkingSet(n.name)).toBe(n.workingSetBytes);
	});

	it('metrics down from the start: the banner says only requests and limits are shown', async () => {
		const s = await sim({scenario: 'demo'});
		s.setMetricsAvailable(false);
		const {store} = await session(s);
		expect(store.metricsTime).toBeNull();
		expect(store.banners.get('metrics')?.text).toMatch(/: showing requests and limits only; retrying/);
	});

	it('prefers metrics.k8s.io/v1 when discovery offers it', async () => {
		const s = await sim({scenario: 'demo', metricsV1: true});
		const {session: sess} = await session(s);
		expect(sess.info.metricsApi).toBe('metrics.k8s.io/v1');
		expect(s.requests.some(r => r.path.startsWith('/apis/metrics.k8s.io/v1/'))).toBe(true);
		expect(s.requests.some(r => r.path.startsWith('/apis/metrics.k8s.io/v1beta1/'))).toBe(false);
	});

	it('shows a banner while metrics are down, keeps the tables, and clears it when they return', async () => {
		const s = await sim({scenario: 'demo'});
		const {store, session: sess} = await session(s);
		const pods = store.pods.size;
		s.setMetricsAvailable(false);
		await sess.pollMetrics();
		// the first sample came with ready: the banner says the working sets shown are the last ones
		expect(store.banners.get('metrics')?.text).toBe('metrics API not answering (503 ServiceUnavailable; metrics-server down?): showing the last working sets received (WS~ once stale); retrying');
		expect(store.pods.size).toBe(pods);
		s.setMetricsAvailable(true);
		await sess.pollMetrics();
		expect(store.banners.has('metrics')).toBe(false);
	});
});

describe('errors and degraded access', () => {
	it('no metrics API: one line that names --no-metrics, and --no-metrics works', async () => {
		const s = await sim({scenario: 'demo', noMetrics: true});
		expect(await fatal(session(s))).toMatch(/does not serve metrics\.k8s\.io.*--no-metrics/);
		const {store} = await session(s, {metrics: false});
		expect(store.pods.size).toBeGreaterThan(10);
		expect(store.workingSet([...store.pods.keys()][0]!)).toBeNull();
	});

	it('401: says the credentials were rejected', async () => {
		const s = await sim({scenario: 'demo', requireToken: 'sekrit'});
		expect(await fatal(session(s, {}, 'wrong'))).toMatch(/rejected the credentials of user "demo" \(401 Unauthorized\)/);
		const {store} = await session(s, {}, 'sekrit');
		expect(store.pods.size).toBeGreaterThan(0);
	});

	it('unreachable server: says so', async () => {
		const s = await sim({scenario: 'empty'});
		const url = s.url;
		await s.close();
		cleanups.length = 0;
		const store = new Store();
		expect(await fatal(openSession({target: kubeTargetForServer(url)}, store))).toMatch(/^cannot reach the API server at http:\/\/127\.0\.0\.1:\d+ \(context memtop-demo\): /);
	});

	it('pods forbidden everywhere: one line naming what was refused', async () => {
		const s = await sim({scenario: 'demo', forbid: ['pods'], user: 'alice'});
		expect(await fatal(session(s))).toMatch(/^forbidden: user "demo" cannot list pods in namespace default/);
	});

	/** a user who may read one namespace (the kubeconfig's: shop) and nothing cluster-wide */
	async function namespaceOnly(options: Partial<SessionOptions> = {namespaceScope: 'all'}): Promise<Store> {
		const s = await sim({scenario: 'demo', forbid: ['cluster-pods', 'nodes', 'cluster-events', 'metrics/nodes', 'nodes/proxy'], user: 'dev'});
		const target = kubeTargetForServer(s.url);
		target.namespace = 'shop';
		return (await session(s, {target, ...options})).store;
	}

	it("namespace-only RBAC: the context's namespace is what is watched (as kubectl), no fallback needed", async () => {
		const store = await namespaceOnly({});
		expect(store.connection).toMatchObject({namespace: 'shop', namespaceFrom: 'context'});
		expect([...store.pods.values()].every(p => p.namespace === 'shop')).toBe(true);
		expect(store.banners.has('rbac:pods')).toBe(false);
	});

	it('namespace-only RBAC with namespaceScope all: falls back to the namespace and says what it cannot see', async () => {
		const store = await namespaceOnly();
		expect(store.connection).toMatchObject({namespace: 'shop', namespaceFrom: 'fallback'});
		expect(store.pods.size).toBeGreaterThan(0);
		expect([...store.pods.values()].every(p => p.namespace === 'shop')).toBe(true);
		expect(store.banners.get('rbac:pods')?.text).toBe('cannot list pods in all namespaces (403 Forbidden): showing namespace shop only');
		expect(store.banners.get('rbac:nodes')?.text).toMatch(/cannot list nodes \(403 Forbidden\)/);
		expect(store.workingSet([...store.pods.keys()][0]!)).not.toBeNull();
	});

	it('namespace-only RBAC: the refused nodes are unavailable, which does not hold "syncing…" up', async () => {
		const store = await namespaceOnly();
		expect(store.sync).toEqual({pods: 'synced', nodes: 'unavailable', events: 'synced'});
		expect(store.allSynced).toBe(true);
		expect(store.banners.get('rbac:nodes')?.text).toMatch(/cannot list nodes \(403 Forbidden\)/);
		expect(header(store)).not.toContain('syncing');
	});

	it('a watch that is forbidden (list allowed) is unavailable with a banner, not syncing for ever', async () => {
		const s = await sim({scenario: 'demo', forbid: ['watch:events']});
		const {store} = await session(s);
		await until('the events watch refused', () => store.sync.events === 'unavailable');
		expect(store.banners.get('watch:events')?.text).toMatch(/^cannot watch events \(403 Forbidden\)/);
		expect(store.allSynced).toBe(true);
		expect(header(store)).not.toContain('syncing');
	});

	it('-A that is forbidden is an error, not a silent fallback', async () => {
		const s = await sim({scenario: 'demo', forbid: ['cluster-pods']});
		expect(await fatal(session(s, {allNamespaces: true}))).toMatch(/cannot list pods in all namespaces/);
	});
});

describe('Summary API', () => {
	it('reads the breakdown, evictionHard from configz, and degrades per node', async () => {
		const s = await sim({scenario: 'demo', kubeletDown: ['worker-2'], forbid: ['configz:worker-1']});
		const {store} = await session(s);
		const w2 = store.summaries.get('worker-2');
		expect(w2?.status).toBe('unavailable');
		const w1 = store.summaries.get('worker-1');
		expect(w1?.status).toBe('ok');
		if (w1?.status === 'ok') {
			expect(w1.summary.evictionHardSource).toBe('default');
			expect(w1.summary.evictionHardBytes).toBe(100 * 1024 * 1024);
		}

		const viaConfigz = [...store.summaries.values()].filter(x => x.status === 'ok' && x.summary.evictionHardSource === 'configz');
		expect(viaConfigz.length).toBeGreaterThan(0);
		const pod = [...store.pods.values()].find(p => p.nodeName === 'worker-3' && p.phase === 'Running')!;
		const b = store.podBreakdown(pod.key)!;
		expect(b).not.toBeNull();
		for (const c of b.containers.values()) {
			expect(c.usageBytes!).toBeGreaterThanOrEqual(c.workingSetBytes!);
			expect(c.workingSetBytes!).toBeGreaterThanOrEqual(c.rssBytes!);
		}
	});

	it('nodes/proxy forbidden: a banner, every node unavailable, nothing breaks', async () => {
		const s = await sim({scenario: 'demo', forbid: ['nodes/proxy']});
		let t = s.now();
		const {store, session: sess} = await session(s, {scheduler: new Scheduler(() => t)});
		// the banner stays while the nodes are backed off (skipped polls are not "answered")
		for (let i = 0; i < 20; i++) {
			expect(store.banners.get('rbac:summary')?.text).toMatch(/nodes\/proxy/);
			t += 30_000;
			await sess.pollSummaries();
		}

		for (const st of store.summaries.values()) {
			expect(st.status).toBe('unavailable');
		}
	});

	/** the Summary GETs the cluster received for a node */
	const summaryGets = (s: SimHandle, node: string) => s.requests.filter(r => r.path === `/api/v1/nodes/${node}/proxy/stats/summary`).length;

	it('backs off from a node that answers 404 or 403 (30 s doubling to 10 min); a 503 is asked every cycle', async () => {
		const s = await sim({scenario: 'demo', forbid: ['nodes/proxy:worker-3'], kubeletDown: ['worker-4']});
		s.injectFault({match: '/nodes/worker-2/proxy/stats/summary', status: 404, count: 1_000_000});
		let t = s.now();
		const {store, session: sess} = await session(s, {scheduler: new Scheduler(() => t)});
		for (let cycle = 1; cycle < 120; cycle++) {
			t += 30_000; // one hour of 30 s cycles in all
			await sess.pollSummaries();
		}

		expect(summaryGets(s, 'worker-1')).toBe(120);
		expect(summaryGets(s, 'worker-4')).toBe(120);
		// 30 s, 1, 2, 4, 8 min, then every 10 min, each ±25 % (at most 10 min): 9 to 12 GETs in the hour
		for (const node of ['worker-2', 'worker-3']) {
			expect(summaryGets(s, node), node).toBeGreaterThanOrEqual(9);
			expect(summaryGets(s, node), node).toBeLessThanOrEqual(12);
		}

		expect(store.summaries.get('worker-2')).toMatchObject({status: 'unavailable', reason: 'kubelet has no /stats/summary (404)'});
		expect(store.summaries.get('worker-3')).toMatchObject({status: 'unavailable', reason: 'forbidden: no RBAC on nodes/proxy'});
		expect(store.summaries.get('worker-4')).toMatchObject({status: 'unavailable', reason: 'kubelet unreachable (503)'});
		expect(store.banners.has('rbac:summary')).toBe(false);
	});

	it('a backed-off node that answers 200 again is asked every cycle from then on', async () => {
		const s = await sim({scenario: 'demo'});
		s.injectFault({match: '/nodes/worker-5/proxy/stats/summary', status: 404, count: 3});
		let t = s.now();
		const {store, session: sess} = await session(s, {scheduler: new Scheduler(() => t)});
		let cycles = 1;
		while (store.summaries.get('worker-5')?.status !== 'ok' && cycles < 40) {
			t += 30_000;
			await sess.pollSummaries();
			cycles++;
		}

		expect(store.summaries.get('worker-5')?.status).toBe('ok');
		expect(summaryGets(s, 'worker-5')).toBe(4); // three 404s, then the 200
		expect(cycles).toBeGreaterThan(4); // cycles were skipped in between
		for (let i = 0; i < 10; i++) {
			t += 30_000;
			await sess.pollSummaries();
		}

		expect(summaryGets(s, 'worker-5')).toBe(14);
		expect(summaryGets(s, 'worker-1')).toBe(cycles + 10);
	});
});
