import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {evictionThresholdBytes, nodeDistanceToThreshold, rankEviction, type EvictionInput} from '../../../source/memory/eviction.js';
import {containersFromSpec, podMemory} from '../../../source/memory/pod-resources.js';

const Mi = 1024 ** 2;
const real = '/work/shared/fixtures/real';

describe('rankEviction (kubelet rankMemoryPressure)', () => {
	it('orders: no stats, then over request; then priority; then usage above request', () => {
		const pods: EvictionInput[] = [
			{key: 'a-besteffort', workingSetBytes: 100 * Mi, requestBytes: null, priority: 0},
			{key: 'b-over', workingSetBytes: 300 * Mi, requestBytes: 200 * Mi, priority: 0},
			{key: 'c-over-high-prio', workingSetBytes: 500 * Mi, requestBytes: 100 * Mi, priority: 1000},
			{key: 'd-guaranteed', workingSetBytes: 400 * Mi, requestBytes: 512 * Mi, priority: 0},
			{key: 'e-under', workingSetBytes: 100 * Mi, requestBytes: 400 * Mi, priority: 0},
			{key: 'f-nostats', workingSetBytes: null, requestBytes: 100 * Mi, priority: 100},
			{key: 'g-over-low-prio', workingSetBytes: 50 * Mi, requestBytes: 40 * Mi, priority: -10},
			{key: 'h-critical', workingSetBytes: 1024 * Mi, requestBytes: 0, priority: 2_000_001_000},
		];
		const ranked = rankEviction(pods);
		expect(ranked.map((r) => r.key)).toEqual(['f-nostats', 'g-over-low-prio', 'a-besteffort', 'b-over', 'c-over-high-prio', 'h-critical', 'd-guaranteed', 'e-under']);
		expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		const by = new Map(ranked.map((r) => [r.key, r]));
		expect(by.get('a-besteffort')).toMatchObject({exceedsRequest: true, overRequestBytes: 100 * Mi, evictable: true, noStats: false});
		expect(by.get('d-guaranteed')).toMatchObject({exceedsRequest: false, overRequestBytes: -112 * Mi});
		expect(by.get('f-nostats')).toMatchObject({noStats: true, exceedsRequest: false, overRequestBytes: 0});
		expect(by.get('h-critical')!.evictable).toBe(false);
	});

	it('uses usage strictly above the request (equal is not over)', () => {
		const ranked = rankEviction([
			{key: 'equal', workingSetBytes: 100, requestBytes: 100, priority: 0},
			{key: 'over-by-1', workingSetBytes: 11, requestBytes: 10, priority: 5},
		]);
		expect(ranked.map((r) => r.key)).toEqual(['over-by-1', 'equal']);
		expect(ranked[1]!.exceedsRequest).toBe(false);
	});

	it('ranks the real node: Summary API working sets against the pod list requests and priorities', () => {
		const summary = JSON.parse(readFileSync(`${real}/kubelet-stats-summary.k8s-v1.35.0.nri-kubernetes.json`, 'utf8'));
		const list = JSON.parse(readFileSync(`${real}/kubelet-podlist.k8s-v1.35.0.nri-kubernetes.json`, 'utf8'));
		const ws = new Map<string, number>(summary.pods.map((p: any) => [`${p.podRef.namespace}/${p.podRef.name}`, p.memory.workingSetBytes]));
		const active = list.items.filter((p: any) => p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed');
		const inputs: EvictionInput[] = active.map((p: any) => {
			const key = `${p.metadata.namespace}/${p.metadata.name}`;
			return {key, workingSetBytes: ws.get(key) ?? null, requestBytes: podMemory(containersFromSpec(p.spec), null).requestBytes, priority: p.spec.priority ?? 0};
		});
		const order = rankEviction(inputs).map((r) => r.key.split('/')[1]);
		// Worked out by hand from the two captures (see the comparator rules above).
		expect(order).toEqual([
			'e2e-container-creating', // no stats in the summary
			'e2e-kube-state-metrics-75b885dc9-97mtr', // over (no request), priority 0, 19.0Mi
			'storage-provisioner', // 11.7Mi
			'e2e-hpa-6cd8d99884-tggnr', // 11.3Mi
			'e2e-scraper-5f97dc94d8-vkcjl', // over, system-cluster-critical
			'kube-apiserver-datagen-1-35', // over, system-node-critical, 212Mi
			'kube-controller-manager-datagen-1-35',
			'kube-scheduler-datagen-1-35',
			'kube-proxy-8k9zt',
			'e2e-daemonset-kb65b', // under request, priority 0, −5050368
			'e2e-statefulset-1', // −5054464
			'e2e-statefulset-0', // −5083136
			'kindnet-zkpn8', // −38Mi
			'coredns-7d764666f9-qdcxt', // under, system-cluster-critical, −54.5Mi
			'metrics-server-9d74bb658-c6nnt', // −178Mi
			'e2e-deployment-79967c5968-8bnn8', // under, system-node-critical
			'e2e-deployment-79967c5968-zjslc',
			'etcd-datagen-1-35',
		]);
		const evictable = rankEviction(inputs).filter((r) => r.evictable).map((r) => r.key.split('/')[1]);
		expect(evictable.slice(0, 3)).toEqual(['e2e-container-creating', 'e2e-kube-state-metrics-75b885dc9-97mtr', 'storage-provisioner']);
	});
});

describe('node distance to the hard threshold', () => {
	it('is available minus threshold, negative past it', () => {
		expect(nodeDistanceToThreshold(7_299_776_512, 100 * Mi)).toBe(7_299_776_512 - 100 * Mi);
		expect(nodeDistanceToThreshold(50 * Mi, 100 * Mi)).toBe(-50 * Mi);
		expect(nodeDistanceToThreshold(null, 100 * Mi)).toBeNull();
		expect(nodeDistanceToThreshold(50 * Mi, null)).toBeNull();
	});

	it('reads kubelet thresholds as quantities or percentages of capacity', () => {
		expect(evictionThresholdBytes('100Mi', null)).toBe(100 * Mi);
		expect(evictionThresholdBytes('500M', null)).toBe(500_000_000);
		expect(evictionThresholdBytes('5%', 8_216_887_296)).toBe(Math.trunc(8_216_887_296 * 0.05));
		expect(evictionThresholdBytes('5%', null)).toBeNull();
		expect(evictionThresholdBytes('lots', null)).toBeNull();
	});
});
