import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {
	containerMemory,
	containersFromSpec,
	oomScoreAdj,
	podMemory,
	podMemoryFromSpec,
	qosFromSpec,
	type ContainerMemoryInput,
} from '../../../source/memory/pod-resources.js';

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;
const real = '/work/shared/fixtures/real';

function res(req?: Record<string, string>, lim?: Record<string, string>) {
	const r: Record<string, unknown> = {};
	if (req) r['requests'] = req;
	if (lim) r['limits'] = lim;
	return {resources: r};
}

const app = (requestBytes: number | null, limitBytes: number | null = requestBytes): ContainerMemoryInput => ({kind: 'app', requestBytes, limitBytes});
const init = (requestBytes: number | null, limitBytes: number | null = requestBytes): ContainerMemoryInput => ({kind: 'init', requestBytes, limitBytes});
const sidecar = (requestBytes: number | null, limitBytes: number | null = requestBytes): ContainerMemoryInput => ({kind: 'sidecar', requestBytes, limitBytes});

describe('containerMemory', () => {
	it('reads request and limit, defaulting the request to the limit', () => {
		expect(containerMemory(res({memory: '64Mi'}, {memory: '128Mi'}))).toEqual({requestBytes: 64 * Mi, limitBytes: 128 * Mi});
		expect(containerMemory(res(undefined, {memory: '128Mi'}))).toEqual({requestBytes: 128 * Mi, limitBytes: 128 * Mi});
		expect(containerMemory(res({memory: '64Mi'}))).toEqual({requestBytes: 64 * Mi, limitBytes: null});
		expect(containerMemory(res({cpu: '1'}, {cpu: '2'}))).toEqual({requestBytes: null, limitBytes: null});
		expect(containerMemory({})).toEqual({requestBytes: null, limitBytes: null});
		expect(containerMemory(null)).toEqual({requestBytes: null, limitBytes: null});
		expect(containerMemory(res({memory: 'garbage'}))).toEqual({requestBytes: null, limitBytes: null});
	});
});

describe('podMemory (scheduler rule, KEP-753)', () => {
	it('sums app containers', () => {
		expect(podMemory([app(100 * Mi, 200 * Mi), app(50 * Mi, 100 * Mi)], null)).toEqual({requestBytes: 150 * Mi, limitBytes: 300 * Mi});
	});

	it('takes the largest plain init container when it exceeds the app sum', () => {
		expect(podMemory([init(1 * Gi), app(100 * Mi), app(100 * Mi)], null)).toEqual({requestBytes: 1 * Gi, limitBytes: 1 * Gi});
		expect(podMemory([init(150 * Mi), app(100 * Mi), app(100 * Mi)], null)).toEqual({requestBytes: 200 * Mi, limitBytes: 200 * Mi});
	});

	it('adds sidecars to the app sum and to every init container started after them', () => {
		// init1 1Gi, sidecar1 100Mi, init2 500Mi, sidecar2 200Mi; app 300Mi
		const pod = [init(1 * Gi), sidecar(100 * Mi), init(500 * Mi), sidecar(200 * Mi), app(300 * Mi)];
		expect(podMemory(pod, null).requestBytes).toBe(1 * Gi); // init1 alone dominates
		// init2 = 800Mi runs next to sidecar1: 900Mi > app 300 + sidecars 300
		const pod2 = [init(400 * Mi), sidecar(100 * Mi), init(800 * Mi), sidecar(200 * Mi), app(300 * Mi)];
		expect(podMemory(pod2, null).requestBytes).toBe(900 * Mi);
		// the same init container before the sidecar runs alone: max(600, 800)
		const pod3 = [init(400 * Mi), init(800 * Mi), sidecar(100 * Mi), sidecar(200 * Mi), app(300 * Mi)];
		expect(podMemory(pod3, null).requestBytes).toBe(800 * Mi);
		// without big init containers the sum of app + sidecars wins
		const pod4 = [sidecar(100 * Mi), init(50 * Mi), app(300 * Mi)];
		expect(podMemory(pod4, null).requestBytes).toBe(400 * Mi);
	});

	it('adds the pod overhead', () => {
		expect(podMemory([app(100 * Mi, 200 * Mi)], 120 * Mi)).toEqual({requestBytes: 220 * Mi, limitBytes: 320 * Mi});
		expect(podMemory([app(null, null)], 120 * Mi)).toEqual({requestBytes: 120 * Mi, limitBytes: null});
	});

	it('has no pod limit when an app or sidecar container has none; plain init containers do not matter', () => {
		expect(podMemory([app(100 * Mi, 200 * Mi), app(100 * Mi, null)], null).limitBytes).toBeNull();
		expect(podMemory([sidecar(10 * Mi, null), app(100 * Mi, 200 * Mi)], null).limitBytes).toBeNull();
		expect(podMemory([init(10 * Mi, null), app(100 * Mi, 200 * Mi)], null)).toEqual({requestBytes: 100 * Mi, limitBytes: 200 * Mi});
	});

	it('has no request when nothing sets one', () => {
		expect(podMemory([app(null, null), app(null, null)], null)).toEqual({requestBytes: null, limitBytes: null});
		expect(podMemory([], null)).toEqual({requestBytes: null, limitBytes: null});
	});

	it('uses pod-level resources when set, plus overhead', () => {
		const spec = {
			resources: {requests: {memory: '1Gi'}, limits: {memory: '2Gi'}},
			overhead: {memory: '10Mi'},
			containers: [res({memory: '100Mi'}, {memory: '200Mi'})],
		};
		expect(podMemoryFromSpec(spec)).toEqual({requestBytes: 1 * Gi + 10 * Mi, limitBytes: 2 * Gi + 10 * Mi});
	});
});

describe('qosFromSpec', () => {
	const c = (req?: Record<string, string>, lim?: Record<string, string>) => res(req, lim);
	it('classifies the three classes', () => {
		expect(qosFromSpec({containers: [c()]})).toBe('BestEffort');
		expect(qosFromSpec({containers: [c({cpu: '1', memory: '1Gi'}, {cpu: '1', memory: '1Gi'})]})).toBe('Guaranteed');
		expect(qosFromSpec({containers: [c(undefined, {cpu: '1', memory: '1Gi'})]})).toBe('Guaranteed'); // requests default to limits
		expect(qosFromSpec({containers: [c({memory: '1Gi'})]})).toBe('Burstable');
		expect(qosFromSpec({containers: [c({cpu: '1', memory: '1Gi'}, {cpu: '2', memory: '1Gi'})]})).toBe('Burstable');
		expect(qosFromSpec({containers: [c(undefined, {memory: '1Gi'})]})).toBe('Burstable'); // no cpu limit
	});

	it('counts init containers and ignores zero quantities and other resources', () => {
		const g = c({cpu: '1', memory: '1Gi'}, {cpu: '1', memory: '1Gi'});
		expect(qosFromSpec({initContainers: [c({memory: '10Mi'})], containers: [g]})).toBe('Burstable');
		expect(qosFromSpec({initContainers: [g], containers: [g]})).toBe('Guaranteed');
		expect(qosFromSpec({containers: [c({cpu: '0', memory: '0'})]})).toBe('BestEffort');
		expect(qosFromSpec({containers: [c({'ephemeral-storage': '1Gi'})]})).toBe('BestEffort');
	});

	it('uses pod-level resources when they set cpu or memory', () => {
		expect(qosFromSpec({resources: {limits: {cpu: '1', memory: '1Gi'}}, containers: [c()]})).toBe('Guaranteed');
		expect(qosFromSpec({resources: {requests: {memory: '1Gi'}}, containers: [c()]})).toBe('Burstable');
	});
});

describe('oomScoreAdj (kubelet policy.go)', () => {
	const cap = 8_216_887_296; // the real node: 8024304Ki
	it('gives the fixed values for Guaranteed, BestEffort and node-critical pods', () => {
		expect(oomScoreAdj('Guaranteed', 50 * Mi, cap)).toBe(-997);
		expect(oomScoreAdj('BestEffort', null, cap)).toBe(1000);
		expect(oomScoreAdj('Burstable', 70 * Mi, cap, {nodeCritical: true})).toBe(-997);
	});

	it('computes Burstable with integer division and clamps to 3…999', () => {
		// 1000 − ⌊1000 × 73400320 / 8216887296⌋ = 1000 − ⌊8.93⌋
		expect(oomScoreAdj('Burstable', 70 * Mi, cap)).toBe(992);
		expect(oomScoreAdj('Burstable', cap / 2, cap)).toBe(500);
		expect(oomScoreAdj('Burstable', 0, cap)).toBe(999); // 1000 would tie BestEffort
		expect(oomScoreAdj('Burstable', null, cap)).toBe(999);
		expect(oomScoreAdj('Burstable', cap, cap)).toBe(3);
		expect(oomScoreAdj('Burstable', Math.floor(cap * 0.998), cap)).toBe(3);
		expect(oomScoreAdj('Burstable', 70 * Mi, null)).toBeNull();
	});
});

describe('the real pod list (kubelet /pods, Kubernetes 1.35)', () => {
	const list = JSON.parse(readFileSync(`${real}/kubelet-podlist.k8s-v1.35.0.nri-kubernetes.json`, 'utf8'));
	const byName = new Map<string, any>(list.items.map((p: any) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));

	it('agrees with status.qosClass for every pod', () => {
		expect(list.items.length).toBe(24);
		const mismatches: string[] = [];
		const classes = new Set<string>();
		for (const p of list.items) {
			classes.add(p.status.qosClass);
			const got = qosFromSpec(p.spec);
			if (got !== p.status.qosClass) mismatches.push(`${p.metadata.name}: ${got} != ${p.status.qosClass}`);
		}

		expect(mismatches).toEqual([]);
		expect([...classes].sort()).toEqual(['BestEffort', 'Burstable', 'Guaranteed']);
	});

	it('computes pod requests and limits', () => {
		const mem = (key: string) => podMemory(containersFromSpec(byName.get(key).spec), null);
		expect(mem('kube-system/coredns-7d764666f9-qdcxt')).toEqual({requestBytes: 70 * Mi, limitBytes: 170 * Mi});
		expect(mem('kube-system/kindnet-zkpn8')).toEqual({requestBytes: 50 * Mi, limitBytes: 50 * Mi});
		expect(mem('kube-system/metrics-server-9d74bb658-c6nnt')).toEqual({requestBytes: 200 * Mi, limitBytes: null});
		expect(mem('kube-system/etcd-datagen-1-35')).toEqual({requestBytes: 100 * Mi, limitBytes: null});
		expect(mem('scraper/e2e-container-creating')).toEqual({requestBytes: 5_000_000, limitBytes: 5_000_000});
		expect(mem('scraper/e2e-statefulset-0')).toEqual({requestBytes: 15 * Mi, limitBytes: 30 * Mi});
		expect(mem('scraper/e2e-hpa-6cd8d99884-tggnr')).toEqual({requestBytes: null, limitBytes: null}); // cpu only
		expect(mem('kube-system/kube-proxy-8k9zt')).toEqual({requestBytes: null, limitBytes: null});
		for (const p of list.items) {
			const m = podMemoryFromSpec(p.spec);
			// The cluster's own class implies our figures: Guaranteed pods have equal request and limit,
			// BestEffort pods neither.
			if (p.status.qosClass === 'Guaranteed') expect(m.requestBytes).toBe(m.limitBytes);
			if (p.status.qosClass === 'BestEffort') expect(m).toEqual({requestBytes: null, limitBytes: null});
		}
	});
});
