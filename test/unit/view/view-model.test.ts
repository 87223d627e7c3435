import {describe, expect, it} from 'vitest';
import {podStatus} from '../../../source/memory/pod-state.js';
import {Store} from '../../../source/store/store.js';
import {ViewModel, type PodQuery, type RowSet} from '../../../source/view/index.js';
import {fuzzyMatch} from '../../../source/view/rows.js';
import {container, event, Gi, metrics, Mi, node, pod} from '../store/records.js';

const t0 = 1_700_000_000_000;

function keys<R>(rows: RowSet<R>): string[] {
	return Array.from({length: rows.length}, (_, i) => rows.key(i));
}

function q(over: Partial<PodQuery> = {}): PodQuery {
	return {sort: {key: 'workingSet', desc: true}, filter: '', namespace: null, ...over};
}

function fixture(): {store: Store; sel: ViewModel} {
	const store = new Store({now: () => t0});
	store.replaceNodes([node('n1'), node('n2', {allocatableBytes: 4 * Gi, memoryPressure: true})]);
	store.replacePods([
		pod('web', 'web-7d9f8c6b5-aaaaa', {request: 100 * Mi, limit: 200 * Mi, nodeName: 'n1', owner: {kind: 'ReplicaSet', name: 'web-7d9f8c6b5'}}),
		pod('web', 'web-7d9f8c6b5-bbbbb', {request: 100 * Mi, limit: 200 * Mi, nodeName: 'n2', owner: {kind: 'ReplicaSet', name: 'web-7d9f8c6b5'}}),
		pod('web', 'web-7d9f8c6b5-ccccc', {request: 100 * Mi, limit: 200 * Mi, nodeName: 'n2', owner: {kind: 'ReplicaSet', name: 'web-7d9f8c6b5'}}),
		pod('db', 'postgres-0', {request: 1 * Gi, limit: 1 * Gi, nodeName: 'n1', owner: {kind: 'StatefulSet', name: 'postgres'}}),
		pod('batch', 'cruncher', {nodeName: 'n2'}), // BestEffort, no metrics yet
		pod('db', 'redis-0', {request: 64 * Mi, nodeName: 'n2', owner: {kind: 'StatefulSet', name: 'redis'}, priority: 1000}),
	]);
	store.applyMetrics(
		metrics(
			t0,
			[
				['web/web-7d9f8c6b5-aaaaa', 150 * Mi],
				['web/web-7d9f8c6b5-bbbbb', 195 * Mi],
				['web/web-7d9f8c6b5-ccccc', 120 * Mi],
				['db/postgres-0', 700 * Mi],
				['db/redis-0', 150 * Mi],
			],
			[
				['n1', 6 * Gi],
				['n2', 3.9 * Gi],
			],
		),
	);
	return {store, sel: new ViewModel(store)};
}

describe('pod rows', () => {
	it('sorts by working set biggest first, ties in namespace/name order, unknown last', () => {
		const {sel} = fixture();
		expect(keys(sel.podRows(q()))).toEqual([
			'db/postgres-0',
			'web/web-7d9f8c6b5-bbbbb',
			'db/redis-0',
			'web/web-7d9f8c6b5-aaaaa',
			'web/web-7d9f8c6b5-ccccc',
			'batch/cruncher',
		]);
		expect(keys(sel.podRows(q({sort: {key: 'workingSet', desc: false}})))[0]).toBe('web/web-7d9f8c6b5-ccccc');
		expect(keys(sel.podRows(q({sort: {key: 'workingSet', desc: false}}))).at(-1)).toBe('batch/cruncher');
	});

	it('sorts by % of limit with pods without a limit last, and by name', () => {
		const {sel} = fixture();
		const byPct = keys(sel.podRows(q({sort: {key: 'pctLimit', desc: true}})));
		expect(byPct.slice(0, 4)).toEqual(['web/web-7d9f8c6b5-bbbbb', 'web/web-7d9f8c6b5-aaaaa', 'db/postgres-0', 'web/web-7d9f8c6b5-ccccc']);
		expect(new Set(byPct.slice(4))).toEqual(new Set(['batch/cruncher', 'db/redis-0']));
		expect(keys(sel.podRows(q({sort: {key: 'name', desc: false}})))).toEqual([
			'batch/cruncher',
			'db/postgres-0',
			'db/redis-0',
			'web/web-7d9f8c6b5-aaaaa',
			'web/web-7d9f8c6b5-bbbbb',
			'web/web-7d9f8c6b5-ccccc',
		]);
	});

	it('builds a row with percentages and the level by the 85/95 % thresholds', () => {
		const {sel} = fixture();
		const rows = sel.podRows(q());
		const b = rows.row(rows.indexOf('web/web-7d9f8c6b5-bbbbb'));
		expect(b.workingSet).toBe(195 * Mi);
		expect(b.pctLimit).toBeCloseTo(97.5);
		expect(b.pctRequest).toBeCloseTo(195);
		expect(b.level).toBe('crit');
		const a = rows.row(rows.indexOf('web/web-7d9f8c6b5-aaaaa'));
		expect(a.level).toBe('ok'); // 75 %
		expect(rows.row(rows.indexOf('batch/cruncher')).workingSet).toBeNull();
	});

	it('filters fuzzily on namespace/name and scopes by namespace, node and workload', () => {
		const {sel} = fixture();
		expect(keys(sel.podRows(q({filter: 'pg0'})))).toEqual(['db/postgres-0']);
		expect(keys(sel.podRows(q({filter: 'WEB-CCC'})))).toEqual(['web/web-7d9f8c6b5-ccccc']);
		const ns = sel.podRows(q({namespace: 'db'}));
		expect(keys(ns)).toEqual(['db/postgres-0', 'db/redis-0']);
		expect(ns.scoped).toBe(2);
		expect(keys(sel.podRows(q({node: 'n1'})))).toEqual(['db/postgres-0', 'web/web-7d9f8c6b5-aaaaa']);
		expect(keys(sel.podRows(q({workload: 'web/Deployment/web'})))).toEqual(['web/web-7d9f8c6b5-bbbbb', 'web/web-7d9f8c6b5-aaaaa', 'web/web-7d9f8c6b5-ccccc']);
	});

	it('a filter stays right while pods come and go', () => {
		const {store, sel} = fixture();
		expect(keys(sel.podRows(q({filter: 'web'})))).toEqual(['web/web-7d9f8c6b5-bbbbb', 'web/web-7d9f8c6b5-aaaaa', 'web/web-7d9f8c6b5-ccccc']);
		store.upsertPod(pod('web', 'web-new', {nodeName: 'n1'}));
		store.upsertPod(pod('db', 'not-matching', {nodeName: 'n1'}));
		store.deletePod('web/web-7d9f8c6b5-aaaaa');
		sel.refresh();
		expect(keys(sel.podRows(q({filter: 'web'})))).toEqual(['web/web-7d9f8c6b5-bbbbb', 'web/web-7d9f8c6b5-ccccc', 'web/web-new']);
		store.deletePod('web/web-new');
		sel.refresh();
		expect(keys(sel.podRows(q({filter: 'web'})))).toEqual(['web/web-7d9f8c6b5-bbbbb', 'web/web-7d9f8c6b5-ccccc']);
		expect(keys(sel.podRows(q({filter: 'webccc'})))).toEqual(['web/web-7d9f8c6b5-ccccc']);
	});

	it('narrowing a filter while typing gives the same rows as typing it at once', () => {
		const {sel} = fixture();
		const typed: string[][] = [];
		for (const f of ['w', 'we', 'web', 'web-', 'web-b']) typed.push(keys(sel.podRows(q({filter: f}))));
		const fresh = new ViewModel(fixture().store);
		expect(typed.at(-1)).toEqual(keys(fresh.podRows(q({filter: 'web-b'}))));
		expect(typed[2]).toEqual(keys(fresh.podRows(q({filter: 'web'}))));
		// and widening again (backspace) restores rows
		expect(keys(sel.podRows(q({filter: 'w'})))).toEqual(typed[0]);
	});

	it('answers from its caches until refresh(), then shows the changes', () => {
		const {store, sel} = fixture();
		expect(sel.podRows(q()).length).toBe(6);
		store.upsertPod(pod('web', 'zzz-new', {nodeName: 'n1'}));
		expect(sel.podRows(q()).length).toBe(6);
		expect(sel.podRows(q({sort: {key: 'name', desc: false}})).length).toBe(6);
		expect(sel.refresh()).toBe(true);
		expect(sel.podRows(q()).length).toBe(7);
		expect(sel.refresh()).toBe(false);
		store.deletePod('web/zzz-new');
		sel.refresh();
		expect(keys(sel.podRows(q()))).not.toContain('web/zzz-new');
	});

	it('keeps namespace/name and name order right while pods come and go', () => {
		const store = new Store({now: () => t0});
		const sel = new ViewModel(store);
		let n = 0;
		const live: string[] = [];
		for (let round = 0; round < 30; round++) {
			// a few additions and deletions per refresh (the merge path), and one big change
			const adds = round === 15 ? 400 : 7;
			for (let i = 0; i < adds; i++) {
				const p = pod(`ns-${(n * 7) % 5}`, `p-${(n * 7919) % 1000}-${n}`);
				n++;
				store.upsertPod(p);
				live.push(p.key);
			}

			for (let i = 0; i < 3 && live.length > 0; i++) store.deletePod(live.splice((round * 13 + i * 5) % live.length, 1)[0]!);
			// deleted and created again under the same name between two frames: a new history slot
			const again = live[round % live.length]!;
			const [ns, name] = again.split('/') as [string, string];
			store.deletePod(again);
			store.upsertPod(pod(ns, name));
			store.applyMetrics(metrics(t0 + round * 15_000, [[again, 1000 + round]]));
			sel.refresh();
			const ws = sel.podRows(q());
			expect(ws.key(0)).toBe(again);
			expect(ws.row(0).workingSet).toBe(1000 + round);
			const byKey = keys(sel.podRows(q({sort: {key: 'namespace', desc: false}})));
			expect(byKey).toEqual([...live].sort());
			const byName = keys(sel.podRows(q({sort: {key: 'name', desc: false}})));
			const nameOf = (k: string) => k.slice(k.indexOf('/') + 1);
			expect(byName).toEqual([...live].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : a < b ? -1 : 1)));
		}
	});

	it('sorts 150,000 pods by working set correctly', () => {
		const store = new Store({now: () => t0, historySamples: 4});
		const records = [];
		const samples: Array<[string, number]> = [];
		for (let i = 0; i < 150_000; i++) {
			const key = `ns-${i % 50}`;
			records.push(pod(key, `pod-${i}`));
			samples.push([`${key}/pod-${i}`, ((i * 7919) % 150_000) * 4096]);
		}

		store.replacePods(records);
		store.applyMetrics(metrics(t0, samples));
		const sel = new ViewModel(store);
		const rows = sel.podRows(q());
		expect(rows.length).toBe(150_000);
		let prev = Number.POSITIVE_INFINITY;
		for (let i = 0; i < rows.length; i += 997) {
			const ws = store.workingSet(rows.key(i))!;
			expect(ws).toBeLessThanOrEqual(prev);
			prev = ws;
		}

		expect(store.workingSet(rows.key(0))).toBe(149_999 * 4096);
	});
});

describe('containers, status and forecast', () => {
	it('lists containers with their own working set and the Summary breakdown', () => {
		const store = new Store({now: () => t0});
		store.upsertNode(node('n1'));
		store.upsertPod(
			pod('ns', 'duo', {
				nodeName: 'n1',
				containers: [container('app', {requestBytes: 100 * Mi, limitBytes: 100 * Mi}), container('proxy', {limitBytes: 50 * Mi})],
			}),
		);
		store.applyMetrics(metrics(t0, [['ns/duo', 140 * Mi, {app: 90 * Mi, proxy: 50 * Mi}]]));
		const b = {workingSetBytes: 90 * Mi, usageBytes: 120 * Mi, rssBytes: 80 * Mi, cacheBytes: 40 * Mi, swapBytes: null, pageFaults: null, majorPageFaults: null, psi: null, rates: null, time: t0};
		store.applySummary('n1', {status: 'ok', summary: {node: 'n1', time: t0, availableBytes: null, memory: b, evictionHardBytes: 100 * Mi, evictionHardSource: 'default', pods: new Map([['ns/duo', {total: b, containers: new Map([['app', b]])}]])}});
		const sel = new ViewModel(store);
		const rows = sel.containerRows('ns/duo');
		expect(rows.map(r => [r.name, r.workingSet, r.level, r.hasSeries])).toEqual([
			['app', 90 * Mi, 'warn', true],
			['proxy', 50 * Mi, 'crit', true],
		]);
		expect(rows[0]!.breakdown?.rssBytes).toBe(80 * Mi);
		expect(rows[1]!.breakdown).toBeNull();
	});

	it('names the state a user cares about', () => {
		expect(podStatus(pod('a', 'b', {phase: 'Failed', reason: 'Evicted'}))).toBe('Evicted');
		expect(podStatus(pod('a', 'b', {containers: [container('app', {state: 'waiting', stateReason: 'CrashLoopBackOff'})]}))).toBe('CrashLoopBackOff');
		expect(podStatus(pod('a', 'b', {deleting: true}))).toBe('Terminating');
		expect(podStatus(pod('a', 'b'))).toBe('Running');
	});

	it('forecasts a leaking pod against its container limit and sorts soonest OOM first', () => {
		const store = new Store({now: () => t0, historySamples: 240});
		store.replacePods([pod('ns', 'leak', {request: 100 * Mi, limit: 512 * Mi}), pod('ns', 'flat', {request: 100 * Mi, limit: 512 * Mi}), pod('ns', 'nolimit')]);
		for (let i = 0; i < 60; i++) {
			store.applyMetrics(metrics(t0 + i * 15_000, [['ns/leak', 100 * Mi + i * 2 * Mi], ['ns/flat', 200 * Mi + (i % 2) * Mi], ['ns/nolimit', 50 * Mi]]));
		}

		const sel = new ViewModel(store);
		const f = sel.podRow('ns/leak')!.forecast!;
		expect(f.kind).toBe('eta');
		// 2 MiB per 15 s = 8 MiB/min; from ~218 MiB to 512 MiB ≈ 37 min
		if (f.kind === 'eta') expect(f.etaMs / 60_000).toBeGreaterThan(30);
		if (f.kind === 'eta') expect(f.etaMs / 60_000).toBeLessThan(40);
		expect(sel.podRow('ns/flat')!.forecast!).toMatchObject({kind: 'none', why: 'flat'});
		expect(sel.podRow('ns/nolimit')!.forecast!).toMatchObject({kind: 'none', why: 'no-limit'});
		expect(keys(sel.podRows(q({sort: {key: 'oomIn', desc: false}})))[0]).toBe('ns/leak');
	});
});

describe('nodes, workloads, events', () => {
	it('node rows carry requests committed, pods, level and sort by % of allocatable', () => {
		const {sel} = fixture();
		const rows = sel.nodeRows({sort: {key: 'pctAllocatable', desc: true}, filter: ''});
		expect(keys(rows)).toEqual(['n2', 'n1']);
		const n1 = rows.row(rows.indexOf('n1'));
		expect(n1.requests).toBe(100 * Mi + 1 * Gi);
		expect(n1.pods).toBe(2);
		expect(n1.pctAllocatable).toBeCloseTo(40);
		expect(n1.level).toBe('ok');
		expect(rows.row(rows.indexOf('n2')).level).toBe('crit'); // MemoryPressure
		expect(keys(sel.nodeRows({sort: {key: 'name', desc: false}, filter: 'n1'}))).toEqual(['n1']);
	});

	it('ranks a node\'s pods in the kubelet eviction order', () => {
		const {sel} = fixture();
		const ev = sel.nodeEviction('n2');
		// above request first (bbbbb 195>100, ccccc 120>100, redis 150>64), by priority then by excess;
		// the BestEffort pod without stats goes first of all
		expect(ev.candidates.map(c => c.key)).toEqual(['batch/cruncher', 'web/web-7d9f8c6b5-bbbbb', 'web/web-7d9f8c6b5-ccccc', 'db/redis-0']);
		expect(ev.source).toBe('metrics');
		expect(ev.thresholdSource).toBe('default');
		expect(ev.threshold).toBe(100 * Mi);
	});

	it('groups pods by workload and by namespace with sums and spread', () => {
		const {sel} = fixture();
		const rows = sel.workloadRows({sort: {key: 'workingSet', desc: true}, filter: '', namespace: null, groupBy: 'workload'});
		const web = rows.row(rows.indexOf('web/Deployment/web'));
		expect(web).toMatchObject({kind: 'Deployment', name: 'web', pods: 3, sampled: 3, workingSetBytes: 465 * Mi, requestBytes: 300 * Mi, limitBytes: 600 * Mi, level: 'crit'});
		expect(web.spread).toEqual({min: 120 * Mi, median: 150 * Mi, max: 195 * Mi});
		expect(keys(rows)[0]).toBe('db/StatefulSet/postgres');
		const bare = rows.row(rows.indexOf('batch/Pod/cruncher'));
		expect(bare.workingSetBytes).toBeNull();
		expect(bare.limitBytes).toBeNull();
		const byNs = sel.workloadRows({sort: {key: 'name', desc: false}, filter: '', namespace: null, groupBy: 'namespace'});
		expect(keys(byNs)).toEqual(['batch', 'db', 'web']);
		expect(byNs.row(1)).toMatchObject({pods: 2, workingSetBytes: 850 * Mi, limitBytes: null});
	});

	it('lists feed entries newest first and filters them', () => {
		const {store, sel} = fixture();
		store.upsertEvent(event({uid: 'e1', reason: 'Evicted', name: 'redis-0', namespace: 'db', message: 'The node was low on resource: memory. ', firstTime: t0 - 60_000, lastTime: t0 - 60_000}));
		store.upsertEvent(event({uid: 'e2', reason: 'SystemOOM', involvedKind: 'Node', namespace: '', name: 'n2', message: 'System OOM encountered, victim process: java, pid: 42', firstTime: t0, lastTime: t0}));
		sel.refresh();
		const rows = sel.eventRows({sort: {key: 'time', desc: true}, filter: '', namespace: null});
		const kinds = Array.from({length: rows.length}, (_, i) => rows.row(i).kind);
		// n2 came with MemoryPressure on: that is an entry too
		expect(kinds.filter(k => k !== 'MemoryPressure')).toEqual(['SystemOOM', 'Evicted']);
		for (let i = 1; i < rows.length; i++) expect(rows.row(i - 1).time).toBeGreaterThanOrEqual(rows.row(i).time);
		expect(sel.eventRows({sort: {key: 'time', desc: true}, filter: 'redis', namespace: null}).length).toBe(1);
		expect(sel.eventRows({sort: {key: 'time', desc: true}, filter: '', namespace: 'db'}).length).toBe(1);
	});
});

describe('fuzzyMatch', () => {
	it('matches subsequences only', () => {
		expect(fuzzyMatch('wbap', 'web-api')).toBe(true);
		expect(fuzzyMatch('apw', 'web-api')).toBe(false);
		expect(fuzzyMatch('', 'x')).toBe(true);
	});
});
