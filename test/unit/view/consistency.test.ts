/**
 * The figures two screens used to disagree on (issue 8), each from one module now: every test
 * here builds the case that went wrong and checks that every view of it says the same thing.
 */
import {describe, expect, it} from 'vitest';
import {snapshotJson} from '../../../source/cli/output.js';
import {forecastText} from '../../../source/memory/forecast.js';
import type {MemoryBreakdown, NodeSummary} from '../../../source/model/index.js';
import {Store} from '../../../source/store/store.js';
import {buildScreen} from '../../../source/ui/screen/index.js';
import {initialState, type UiState} from '../../../source/ui/state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {ViewModel} from '../../../source/view/index.js';
import {container, Gi, metrics, Mi, node, oomKilled, pod} from '../store/records.js';

const t0 = 1_700_000_000_000;
const row = (rows: Array<{id: string; value: string}>, id: string) => rows.find(r => r.id === id)!.value;

function breakdown(over: Partial<MemoryBreakdown>): MemoryBreakdown {
	return {workingSetBytes: null, usageBytes: null, rssBytes: null, cacheBytes: null, swapBytes: null, pageFaults: null, majorPageFaults: null, psi: null, rates: null, time: t0, ...over};
}

function summary(nodeName: string, time: number, pods: NodeSummary['pods'], available: number | null = null): NodeSummary {
	return {node: nodeName, time, availableBytes: available, memory: breakdown({time}), evictionHardBytes: 100 * Mi, evictionHardSource: 'default', pods};
}

function screen(vm: ViewModel, state: UiState, now: number, width = 160, height = 60): string {
	return buildScreen({vm, state, width, height, now, theme: makeTheme('none')})
		.lines.map(l => l.segs.map(s => s.text).join(''))
		.join('\n');
}

/** a two-container pod whose app leaks toward its limit: 60 polls, 15 s apart */
function leakingDuo(): {store: Store; now: number} {
	let now = t0;
	const store = new Store({now: () => now});
	store.upsertNode(node('node-a'));
	store.upsertPod(
		pod('shop', 'cart', {
			requestBytes: 300 * Mi,
			limitBytes: 600 * Mi,
			containers: [container('app', {requestBytes: 256 * Mi, limitBytes: 512 * Mi}), container('proxy', {requestBytes: 44 * Mi, limitBytes: 88 * Mi})],
		}),
	);
	for (let i = 0; i < 60; i++) {
		now = t0 + i * 15_000;
		const app = 200 * Mi + i * 3 * Mi;
		store.applyMetrics(metrics(now, [['shop/cart', app + 40 * Mi, {app, proxy: 40 * Mi}]]));
	}

	now += 7000; // the screen is drawn 7 s after the newest sample, as in a live session
	return {store, now};
}

describe('one forecast per pod', () => {
	it('the pods table, the drill-down (whole pod and container) and the JSON say the same time to OOM', () => {
		const {store, now} = leakingDuo();
		const vm = new ViewModel(store);
		const r = vm.podRow('shop/cart')!;
		expect(r.forecast?.kind).toBe('eta');
		const said = forecastText(r.forecast!, now);
		expect(said).toMatch(/^app: OOM in \d+m$/);
		expect(row(vm.diagnosis('shop/cart', null, now), 'forecast')).toBe(said);
		// the container in focus: its own forecast, the same ETA without the name
		expect(`app: ${row(vm.diagnosis('shop/cart', 'app', now), 'forecast')}`).toBe(said);
		const json = snapshotJson(vm, 'pods', now) as any;
		expect(json.items[0].forecast.text).toBe(said);
		expect(json.items[0].containers.find((c: any) => c.name === 'app').forecast.text).toBe(said.slice('app: '.length));
		// and the table's OOM-IN cell counts down from the same instant
		const minutes = said.match(/(\d+)m$/)![1];
		expect(screen(vm, initialState(), now)).toMatch(new RegExp(`cart\\s+.*\\s${minutes}m\\s`));
	});
});

describe('breakdown figures carry their sample time', () => {
	it('a Summary poll older than the working set is labelled, and usage below the working set never shows', () => {
		const {store, now} = leakingDuo();
		// the Summary is from 45 s before the newest metrics: the app grew since
		const old = breakdown({workingSetBytes: 300 * Mi, usageBytes: 330 * Mi, rssBytes: 280 * Mi, cacheBytes: 50 * Mi, time: now - 52_000});
		store.applySummary('node-a', {status: 'ok', summary: summary('node-a', now - 52_000, new Map([['shop/cart', {total: old, containers: new Map([['app', old]])}]]))});
		const vm = new ViewModel(store);
		const app = vm.containerRows('shop/cart').find(c => c.name === 'app')!;
		expect(app.workingSet).toBe(200 * Mi + 59 * 3 * Mi);
		expect(app.breakdown).toMatchObject({sameSample: false, usageAtLeast: true, usageBytes: app.workingSet, rssBytes: 280 * Mi});
		expect(app.breakdown!.lagMs).toBe(45_000);
		const frame = screen(vm, {...initialState(), stack: [{kind: 'pod', key: 'shop/cart', container: null}]}, now);
		expect(frame).toContain('RSS, cache, usage: kubelet Summary from 52s ago, 45s older than the working set; ≥: usage is at least the working set');
		expect(frame).toMatch(/app\s+app\s+377Mi\s+280Mi\s+50Mi\s+≥377Mi/);
		// the JSON keeps what the kubelet sent, with its time and whether it is the working set's sample
		const c = (snapshotJson(vm, 'pods', now) as any).items[0].containers.find((x: any) => x.name === 'app');
		expect(c).toMatchObject({summaryTime: new Date(now - 52_000).toISOString(), summarySameSampleAsWorkingSet: false, rssBytes: 280 * Mi, usageBytes: 330 * Mi});
	});

	it('a Summary from the same poll is shown as it is', () => {
		const {store, now} = leakingDuo();
		const same = breakdown({workingSetBytes: 377 * Mi, usageBytes: 420 * Mi, rssBytes: 350 * Mi, cacheBytes: 70 * Mi, time: now - 9000});
		store.applySummary('node-a', {status: 'ok', summary: summary('node-a', now - 9000, new Map([['shop/cart', {total: same, containers: new Map([['app', same]])}]]))});
		const app = new ViewModel(store).containerRows('shop/cart').find(c => c.name === 'app')!;
		expect(app.breakdown).toMatchObject({sameSample: true, usageAtLeast: false, usageBytes: 420 * Mi});
	});
});

describe('the eviction order says whose working sets it ranks by', () => {
	it('the kubelet\'s own figures rank, both are shown, and the screen names the source', () => {
		let now = t0;
		const store = new Store({now: () => now});
		store.upsertNode(node('node-a'));
		store.upsertPod(pod('shop', 'big', {request: 1 * Gi, limit: 8 * Gi}));
		store.applyMetrics(metrics(now, [['shop/big', 5.4 * Gi]]));
		const kubelet = breakdown({workingSetBytes: 5 * Gi, time: now - 20_000});
		store.applySummary('node-a', {status: 'ok', summary: summary('node-a', now - 20_000, new Map([['shop/big', {total: kubelet, containers: new Map()}]]), 2 * Gi)});
		now += 1000;
		const vm = new ViewModel(store);
		const ev = vm.nodeEviction('node-a');
		expect(ev.source).toBe('summary');
		expect(ev.candidates[0]).toMatchObject({key: 'shop/big', workingSet: 5 * Gi, metricsWorkingSet: 5.4 * Gi});
		const frame = screen(vm, {...initialState('nodes'), stack: [{kind: 'node', name: 'node-a'}]}, now, 200);
		expect(frame).toContain("WS·KLT: the kubelet's own (Summary, 21s ago), what it ranks by; WS·MET: metrics.k8s.io, as the pods table");
		expect(frame).toMatch(/1 shop\/big\s+5Gi\s+5\.4Gi/);
		// the pods table beside it shows metrics.k8s.io's figure
		expect(vm.podRow('shop/big')!.workingSet).toBe(5.4 * Gi);
	});
});

describe('finished pods hold no memory', () => {
	function cluster() {
		const now = t0;
		const store = new Store({now: () => now});
		store.upsertNode(node('node-a'));
		const job = {kind: 'Job', name: 'etl-28473600'};
		store.replacePods([
			pod('batch', 'etl-28473600-a', {request: 2 * Gi, limit: 4 * Gi, owner: job}),
			pod('batch', 'etl-28473600-b', {request: 2 * Gi, limit: 4 * Gi, owner: job, phase: 'Succeeded', containers: [container('app', {requestBytes: 2 * Gi, limitBytes: 4 * Gi, state: 'terminated', stateReason: 'Completed'})]}),
			pod('batch', 'etl-28473600-c', {request: 2 * Gi, limit: 4 * Gi, owner: job, phase: 'Failed', reason: 'Evicted'}),
		]);
		// metrics still list the evicted pod's last working set (the kubelet's stats lag)
		store.applyMetrics(metrics(now, [['batch/etl-28473600-a', 1 * Gi], ['batch/etl-28473600-b', 3 * Gi], ['batch/etl-28473600-c', 6.2 * Gi]], [['node-a', 9 * Gi]]));
		return {store, now};
	}

	it('no working set in any row, a status that says what they are, and no share of any sum', () => {
		const {store, now} = cluster();
		const vm = new ViewModel(store);
		expect(vm.podRow('batch/etl-28473600-b')).toMatchObject({live: false, workingSet: null, pctLimit: null, status: 'Completed'});
		expect(vm.podRow('batch/etl-28473600-c')).toMatchObject({live: false, workingSet: null, status: 'Evicted'});
		expect(vm.podRow('batch/etl-28473600-c')!.forecast).toMatchObject({kind: 'none', why: 'not-running'});
		const w = vm.workloadRow('batch/CronJob/etl')!;
		expect(w).toMatchObject({pods: 1, finished: 2, workingSetBytes: 1 * Gi, requestBytes: 2 * Gi, limitBytes: 4 * Gi});
		expect(vm.workloadRow('batch')).toMatchObject({pods: 1, finished: 2, workingSetBytes: 1 * Gi, requestBytes: 2 * Gi});
		expect(vm.nodeRow('node-a')).toMatchObject({pods: 1, requests: 2 * Gi});
		expect(vm.nodeEviction('node-a').total).toBe(1);
		const json = (snapshotJson(vm, 'pods', now) as any).items;
		expect(json.map((p: any) => [p.name, p.workingSetBytes, p.status, p.finished])).toEqual([
			['etl-28473600-a', 1 * Gi, 'Running', false],
			['etl-28473600-b', null, 'Completed', true],
			['etl-28473600-c', null, 'Evicted', true],
		]);
		const frame = screen(vm, initialState(), now);
		expect(frame).toMatch(/etl-28473600-c\s+-\s+2Gi\s+4Gi\s+-\s+-/);
		expect(frame).not.toContain('6.2Gi');
	});

	it('h hides them from the pods lists and the count says so', () => {
		const {store} = cluster();
		const vm = new ViewModel(store);
		const all = vm.podRows({sort: {key: 'workingSet', desc: true}, filter: '', namespace: null});
		const live = vm.podRows({sort: {key: 'workingSet', desc: true}, filter: '', namespace: null, hideFinished: true});
		expect(all.length).toBe(3);
		expect(Array.from({length: live.length}, (_, i) => live.key(i))).toEqual(['batch/etl-28473600-a']);
		expect(vm.podRows({sort: {key: 'name', desc: false}, filter: '', namespace: null, workload: 'batch/CronJob/etl', hideFinished: true}).length).toBe(1);
	});
});

describe('an init or sidecar container is diagnosed on its own', () => {
	it('a completed init container: its own limit and state, no working set, no forecast, no recommendation', () => {
		let now = t0;
		const store = new Store({now: () => now});
		store.upsertNode(node('node-a'));
		store.upsertPod(
			pod('shop', 'api', {
				requestBytes: 128 * Mi,
				limitBytes: 512 * Mi,
				containers: [
					container('migrate', {kind: 'init', requestBytes: 64 * Mi, limitBytes: 100 * Mi, state: 'terminated', stateReason: 'Completed'}),
					container('app', {requestBytes: 128 * Mi, limitBytes: 512 * Mi}),
				],
			}),
		);
		for (let i = 0; i < 20; i++) store.applyMetrics(metrics((now = t0 + i * 15_000), [['shop/api', 420 * Mi]]));
		const vm = new ViewModel(store);
		const d = vm.diagnosis('shop/api', 'migrate', now);
		expect(row(d, 'resources')).toBe('request 64Mi · limit 100Mi');
		expect(row(d, 'usage')).toBe('none: Completed, holds no memory');
		expect(row(d, 'forecast')).toBe('init container not running');
		expect(row(d, 'recommendation')).toBe('none');
		expect(row(d, 'observed')).toBe('an init container: none recommended');
		// the app is the pod's sole running container: the pod's figures are its own
		expect(row(vm.diagnosis('shop/api', null, now), 'usage')).toBe('420Mi · 82% of limit · 328% of request');
	});

	it('a native sidecar and its app each get their own figure when metrics list only the app', () => {
		let now = t0;
		const store = new Store({now: () => now});
		store.upsertNode(node('node-a'));
		store.upsertPod(
			pod('shop', 'web', {
				requestBytes: 320 * Mi,
				limitBytes: 640 * Mi,
				owner: {kind: 'ReplicaSet', name: 'web-7d9f8c6b5'},
				containers: [container('envoy', {kind: 'sidecar', requestBytes: 64 * Mi, limitBytes: 128 * Mi}), container('app', {requestBytes: 256 * Mi, limitBytes: 512 * Mi})],
			}),
		);
		for (let i = 0; i < 12; i++) store.applyMetrics(metrics((now = t0 + i * 15_000), [['shop/web', 300 * Mi, {app: 300 * Mi}]]));
		const vm = new ViewModel(store);
		const rows = vm.containerRows('shop/web');
		expect(rows.map(c => [c.name, c.workingSet, c.hasSeries])).toEqual([
			['envoy', null, false],
			['app', 300 * Mi, true],
		]);
		const rec = vm.recommendations().find(r => r.container === 'app')!;
		expect(rec.recommendation.samples).toBe(12);
		expect(vm.recommendations().find(r => r.container === 'envoy')!.recommendation.note).toBe('no samples yet');
		const json = (snapshotJson(vm, 'pods', now) as any).items[0].containers;
		expect(json.map((c: any) => [c.name, c.workingSetBytes])).toEqual([
			['envoy', null],
			['app', 300 * Mi],
		]);
	});
});

describe('stale figures are marked wherever they are shown', () => {
	it('past three windows and 30 s without a new sample the screens and JSON say so; before, they do not', () => {
		let now = t0;
		const store = new Store({now: () => now});
		store.upsertNode(node('node-a'));
		store.upsertPod(pod('shop', 'api', {request: 100 * Mi, limit: 200 * Mi, restarts: 0, containers: [container('app', {requestBytes: 100 * Mi, limitBytes: 200 * Mi, lastTermination: oomKilled(t0 - 60_000)})]}));
		store.applyMetrics(metrics(now, [['shop/api', 150 * Mi]], [['node-a', 4 * Gi]]));
		const vm = new ViewModel(store);
		now = t0 + 75_000;
		expect(vm.status(now).stale).toBe(false);
		expect(screen(vm, initialState(), now)).not.toContain('WS~');
		now = t0 + 76_000;
		expect(vm.status(now).stale).toBe(true);
		const frame = screen(vm, initialState(), now);
		expect(frame).toContain('metrics 1m ago: WS~ are last-known');
		expect(frame).toMatch(/↓WS~/);
		expect(screen(vm, initialState('nodes'), now)).toMatch(/WS~/);
		expect((snapshotJson(vm, 'pods', now) as any).stale).toBe(true);
	});
});

describe('the namespace picker', () => {
	it('keeps every count whole on a narrow terminal', () => {
		const store = new Store({now: () => t0});
		store.replacePods(Array.from({length: 2000}, (_, i) => pod('a-namespace-with-a-long-name', `p-${i}`)));
		const vm = new ViewModel(store);
		for (const width of [40, 60, 100]) {
			const frame = screen(vm, {...initialState(), overlay: {kind: 'namespace', index: 0}}, t0, width, 20);
			expect(frame).toContain('2,000 pods');
			// "all namespaces" and the one namespace, each ending in its whole count
			expect(frame.split('\n').filter(l => /\s2,000 pods\s*$/.test(l))).toHaveLength(2);
		}
	});
});
