/** A small, fully deterministic cluster in a Store, for frame tests. */
import {Store} from '../../../source/store/store.js';
import type {MemoryBreakdown, MemoryPsi} from '../../../source/model/index.js';
import {container, event, Gi, metrics, Mi, node, oomKilled, pod} from '../store/records.js';

export const now = 1_700_000_600_000;
export const start = now - 59 * 15_000;

/** memory PSI as the 1.35 kubelet reports it: some and full avg10/60/300 in %, totals in µs */
export function psi(some10: number, full10: number): MemoryPsi {
	return {some: {avg10: some10, avg60: some10 / 2, avg300: some10 / 4, total: some10 * 1e6}, full: {avg10: full10, avg60: full10 / 2, avg300: full10 / 4, total: full10 * 1e6}};
}

export function breakdown(ws: number, rss: number, usage: number, stall: MemoryPsi | null = psi(0, 0)): MemoryBreakdown {
	return {workingSetBytes: ws, usageBytes: usage, rssBytes: rss, cacheBytes: usage - rss, swapBytes: null, pageFaults: 100, majorPageFaults: 2, psi: stall, rates: null, time: now};
}

export function demoStore(opts: {metrics?: boolean} = {}): Store {
	const store = new Store({now: () => now, historySamples: 240, notifyIntervalMs: 0});
	store.setConnection({context: 'kind-memtop', cluster: 'kind-memtop', server: 'https://127.0.0.1:6443', user: 'admin', namespace: null, selector: '', metricsApi: 'metrics.k8s.io/v1beta1', demo: false});
	store.replaceNodes([node('worker-1'), node('worker-2', {allocatableBytes: 4 * Gi, capacityBytes: 5 * Gi, memoryPressure: true, memoryPressureSince: now - 120_000})]);
	const rs = {kind: 'ReplicaSet', name: 'web-7d9f8c6b5'};
	store.replacePods([
		pod('shop', 'web-7d9f8c6b5-x2k9p', {request: 128 * Mi, limit: 256 * Mi, nodeName: 'worker-1', owner: rs, createdAt: now - 3_600_000}),
		pod('shop', 'web-7d9f8c6b5-q8w4z', {request: 128 * Mi, limit: 256 * Mi, nodeName: 'worker-2', owner: rs, createdAt: now - 3_600_000}),
		pod('shop', 'leaky-api-0', {
			nodeName: 'worker-2',
			owner: {kind: 'StatefulSet', name: 'leaky-api'},
			requestBytes: 192 * Mi,
			limitBytes: 576 * Mi,
			qos: 'Burstable',
			containers: [
				container('api', {requestBytes: 128 * Mi, limitBytes: 512 * Mi, restarts: 2, lastTermination: oomKilled(now - 20 * 60_000)}),
				container('proxy', {requestBytes: 64 * Mi, limitBytes: 64 * Mi}),
			],
			createdAt: now - 7_200_000,
		}),
		pod('batch', 'report-28473600-abcde', {nodeName: 'worker-2', owner: {kind: 'Job', name: 'report-28473600'}, createdAt: now - 600_000}),
		pod('kube-system', 'coredns-5d78c9869d-9xk2p', {request: 70 * Mi, limit: 170 * Mi, nodeName: 'worker-1', owner: {kind: 'ReplicaSet', name: 'coredns-5d78c9869d'}, priority: 2_000_000_000, createdAt: now - 86_400_000}),
	]);
	if (opts.metrics !== false) {
		for (let i = 0; i < 60; i++) {
			const t = start + i * 15_000;
			store.applyMetrics(
				metrics(
					t,
					[
						['shop/web-7d9f8c6b5-x2k9p', 150 * Mi + (i % 4) * Mi],
						['shop/web-7d9f8c6b5-q8w4z', 230 * Mi + (i % 3) * Mi],
						['shop/leaky-api-0', 300 * Mi + i * 3 * Mi, {api: 250 * Mi + i * 3 * Mi, proxy: 50 * Mi}],
						['batch/report-28473600-abcde', 80 * Mi],
						['kube-system/coredns-5d78c9869d-9xk2p', 20 * Mi],
					],
					[
						['worker-1', 3 * Gi + i * 4 * Mi],
						['worker-2', 3.6 * Gi + i * 2 * Mi],
					],
				),
			);
		}

		store.applySummary('worker-2', {
			status: 'ok',
			summary: {
				node: 'worker-2',
				time: now,
				availableBytes: 250 * Mi,
				memory: breakdown(3.8 * Gi, 3 * Gi, 4.5 * Gi, psi(12.5, 3.1)),
				evictionHardBytes: 100 * Mi,
				evictionHardSource: 'default',
				pods: new Map([
					[
						'shop/leaky-api-0',
						{
							total: breakdown(477 * Mi, 400 * Mi, 520 * Mi, psi(14.2, 4.1)),
							containers: new Map([
								['api', breakdown(427 * Mi, 380 * Mi, 470 * Mi, psi(14.2, 4.1))],
								['proxy', breakdown(50 * Mi, 20 * Mi, 50 * Mi)],
							]),
						},
					],
				]),
			},
		});
		store.applySummary('worker-1', {status: 'unavailable', reason: '403 Forbidden', time: now});
	}

	store.upsertEvent(
		event({uid: 'ev1', reason: 'Evicted', namespace: 'batch', name: 'report-old', message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi.', firstTime: now - 300_000, lastTime: now - 300_000}),
	);
	store.setSyncState('pods', 'synced');
	store.setSyncState('nodes', 'synced');
	store.setSyncState('events', 'synced');
	return store;
}
