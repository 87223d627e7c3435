import {describe, expect, it, vi} from 'vitest';
import {Store} from '../../../source/store/store.js';
import {container, Gi, metrics, Mi, node, oomKilled, pod} from './records.js';

const t0 = 1_700_000_000_000;


/** history is kept to ±0.034 % (16-bit log codes): whole MiB round back exactly */
const mi = (v: ArrayLike<number>) => Array.from(v, x => Math.round(x / (1024 * 1024)));
describe('Store ingestion', () => {
	it('replacePods drops pods missing from the new list (no ghosts) and keeps the history of survivors', () => {
		const store = new Store({historySamples: 8, now: () => t0});
		store.replacePods([pod('a', 'one'), pod('a', 'two'), pod('b', 'three')]);
		store.applyMetrics(metrics(t0, [['a/one', 100 * Mi], ['a/two', 200 * Mi], ['b/three', 300 * Mi]]));
		store.applyMetrics(metrics(t0 + 15_000, [['a/one', 110 * Mi], ['a/two', 210 * Mi], ['b/three', 310 * Mi]]));
		const seriesBefore = store.seriesCount;

		// relist after 410 Gone: "two" was deleted while the watch was down, "four" was created
		store.replacePods([pod('a', 'one'), pod('b', 'three'), pod('b', 'four')]);
		expect([...store.pods.keys()].sort()).toEqual(['a/one', 'b/four', 'b/three']);
		expect(store.workingSet('a/two')).toBeNull();
		expect(mi(store.history('pod', 'a/one').values)).toEqual([100, 110]);
		expect(store.workingSet('b/three')).toBe(310 * Mi);
		expect(store.workingSet('b/four')).toBeNull();
		// the ghost's series slot was released and the new pod reused it
		expect(store.seriesCount).toBe(seriesBefore);
		expect(store.ring.capacity).toBe(3);
		expect([...store.namespaces()].sort()).toEqual([
			['a', 1],
			['b', 2],
		]);
	});

	it('deletePod releases the series and a new pod reuses the slot without the old samples', () => {
		const store = new Store({historySamples: 4, now: () => t0});
		store.upsertPod(pod('ns', 'old'));
		store.applyMetrics(metrics(t0, [['ns/old', 5 * Mi]]));
		store.deletePod('ns/old');
		expect(store.pods.size).toBe(0);
		expect(store.ring.freeCount).toBe(1);
		store.upsertPod(pod('ns', 'new'));
		expect(store.ring.freeCount).toBe(0);
		expect(store.workingSet('ns/new')).toBeNull();
		const h = store.history('pod', 'ns/new');
		expect(h.values.length).toBe(1);
		expect(Number.isNaN(h.values[0]!)).toBe(true);
	});

	it('keeps container series only for pods with two or more containers; a single container reads the pod series', () => {
		const store = new Store({now: () => t0});
		store.upsertPod(pod('ns', 'single', {request: 64 * Mi}));
		store.upsertPod(pod('ns', 'duo', {containers: [container('app'), container('proxy'), container('init', {kind: 'init', state: 'terminated'})]}));
		store.applyMetrics(metrics(t0, [['ns/single', 50 * Mi], ['ns/duo', 90 * Mi, {app: 60 * Mi, proxy: 30 * Mi}]]));
		expect(store.containerSeriesNames('ns/single')).toEqual([]);
		expect(store.containerSeriesNames('ns/duo').sort()).toEqual(['app', 'proxy']);
		expect(store.containerWorkingSet('ns/single', 'app')).toBe(50 * Mi);
		expect(store.containerWorkingSet('ns/single', 'other')).toBeNull();
		expect(store.containerWorkingSet('ns/duo', 'proxy')).toBe(30 * Mi);
		expect(mi(store.history('container', 'ns/duo', 'app').values)).toEqual([60]);
		expect(mi(store.history('container', 'ns/single', 'app').values)).toEqual([50]);
		expect(store.seriesCount).toBe(4); // 2 pods + 2 containers
	});

	it('a working set goes stale after two polls without the pod, and metrics for unknown pods are ignored', () => {
		const store = new Store({now: () => t0});
		store.upsertPod(pod('ns', 'p'));
		store.applyMetrics(metrics(t0, [['ns/p', 10 * Mi], ['ns/unknown', 1]]));
		expect(store.seriesCount).toBe(1);
		store.applyMetrics(metrics(t0 + 15_000, []));
		store.applyMetrics(metrics(t0 + 30_000, []));
		expect(store.workingSet('ns/p')).toBe(10 * Mi);
		store.applyMetrics(metrics(t0 + 45_000, []));
		expect(store.workingSet('ns/p')).toBeNull();
		expect(store.metricsTime).toBe(t0 + 45_000);
	});

	it('maintains node aggregates (requests committed, pod count) across moves, phase changes and deletes', () => {
		const store = new Store({now: () => t0});
		store.replaceNodes([node('n1'), node('n2')]);
		store.upsertPod(pod('ns', 'a', {request: 1 * Gi, nodeName: 'n1'}));
		store.upsertPod(pod('ns', 'b', {request: 512 * Mi, nodeName: 'n1'}));
		store.upsertPod(pod('ns', 'c', {nodeName: 'n1'})); // BestEffort: no request
		expect(store.nodeAggregate('n1')).toEqual({requestsBytes: 1.5 * Gi, pods: 3});
		// a pod that finished no longer holds its request
		store.upsertPod(pod('ns', 'b', {request: 512 * Mi, nodeName: 'n1', phase: 'Succeeded'}));
		expect(store.nodeAggregate('n1')).toEqual({requestsBytes: 1 * Gi, pods: 2});
		expect(store.podsOnNode('n1').size).toBe(3);
		store.deletePod('ns/a');
		expect(store.nodeAggregate('n1')).toEqual({requestsBytes: 0, pods: 1});
		store.upsertPod(pod('ns', 'd', {request: 2 * Gi, nodeName: 'n2'}));
		expect(store.nodeAggregate('n2')).toEqual({requestsBytes: 2 * Gi, pods: 1});
		store.replacePods([]);
		expect(store.nodeAggregate('n1')).toEqual({requestsBytes: 0, pods: 0});
		expect(store.podsOnNode('n1').size).toBe(0);
	});

	it('records node working set history and forgets deleted nodes', () => {
		const store = new Store({now: () => t0});
		store.replaceNodes([node('n1'), node('n2')]);
		store.applyMetrics(metrics(t0, [], [['n1', 3 * Gi], ['n2', 4 * Gi]]));
		expect(store.nodeWorkingSet('n2')).toBe(4 * Gi);
		store.replaceNodes([node('n1')]);
		expect(store.nodeWorkingSet('n2')).toBeNull();
		expect(store.nodes.has('n2')).toBe(false);
		expect(store.seriesCount).toBe(1);
	});

	it('passes pod changes to the feed: an OOM kill arriving as a watch update becomes an entry', () => {
		const store = new Store({now: () => t0});
		store.upsertPod(pod('ns', 'leaky', {limit: 256 * Mi}));
		const before = store.feed.version;
		store.upsertPod(pod('ns', 'leaky', {containers: [container('app', {limitBytes: 256 * Mi, restarts: 1, lastTermination: oomKilled(t0 - 1000)})]}));
		expect(store.feed.version).toBeGreaterThan(before);
		const e = store.feed.entries()[0]!;
		expect(e.kind).toBe('OOMKilled');
		expect(`${e.namespace}/${e.pod}/${e.container}`).toBe('ns/leaky/app');
	});

	it('exposes the Summary breakdown of a pod through its node', () => {
		const store = new Store({now: () => t0});
		store.upsertNode(node('n1'));
		store.upsertPod(pod('ns', 'p', {nodeName: 'n1'}));
		const b = {workingSetBytes: 10, usageBytes: 20, rssBytes: 8, cacheBytes: 12, swapBytes: null, pageFaults: 1, majorPageFaults: 0, psi: null, rates: null, time: t0};
		store.applySummary('n1', {
			status: 'ok',
			summary: {node: 'n1', time: t0, availableBytes: Gi, memory: {...b, workingSetBytes: 2 * Gi, usageBytes: 3 * Gi, rssBytes: Gi}, evictionHardBytes: 100 * Mi, evictionHardSource: 'default', pods: new Map([['ns/p', {total: b, containers: new Map([['app', b]])}]])},
		});
		expect(store.podBreakdown('ns/p')?.containers.get('app')?.rssBytes).toBe(8);
		store.applySummary('n1', {status: 'unavailable', reason: '403 Forbidden', time: t0});
		expect(store.podBreakdown('ns/p')).toBeNull();
	});
});

describe('Store notification', () => {
	it('coalesces a burst of changes into one notification per interval', () => {
		vi.useFakeTimers();
		try {
			const store = new Store({notifyIntervalMs: 500});
			const seen: number[] = [];
			store.subscribe(() => seen.push(store.getSnapshot()));
			for (let i = 0; i < 1000; i++) store.upsertPod(pod('ns', `p${i}`));
			expect(seen).toEqual([]);
			vi.advanceTimersByTime(499);
			expect(seen).toEqual([]);
			vi.advanceTimersByTime(1);
			expect(seen).toEqual([store.version]);
			store.deletePod('ns/p1');
			store.flush();
			expect(seen.length).toBe(2);
			store.flush(); // nothing new: no call
			expect(seen.length).toBe(2);
		} finally {
			vi.useRealTimers();
		}
	});

	it('setBanner with the same text is not a change', () => {
		const store = new Store();
		store.setBanner({id: 'metrics', level: 'error', text: 'metrics unavailable', since: 1});
		const v = store.version;
		store.setBanner({id: 'metrics', level: 'error', text: 'metrics unavailable', since: 2});
		expect(store.version).toBe(v);
		store.clearBanner('metrics');
		expect(store.banners.size).toBe(0);
		expect(store.version).toBe(v + 1);
	});
});
