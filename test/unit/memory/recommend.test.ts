import {describe, expect, it} from 'vitest';
import {diagnose, isSigkillNotOom, limitRequestRatioFlag, recommend, roundUpMi, type DiagnoseInput, type DiagnosisRow} from '../../../source/memory/recommend.js';
import {nodeDistanceToThreshold} from '../../../source/memory/eviction.js';
import {forecastOom} from '../../../source/memory/forecast.js';
import {percentOf} from '../../../source/memory/percent.js';
import type {ContainerRecord, NodeRecord, PodRecord, Termination} from '../../../source/model/index.js';

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;
const minute = 60_000;
const now = 1_800_000_000_000;

function flatHistory(minutes: number, f: (m: number) => number) {
	const n = minutes * 4;
	const times = new Float64Array(n);
	const values = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		times[i] = now - (n - 1 - i) * 15_000;
		values[i] = f(i / 4);
	}

	return {times, values};
}

describe('recommend', () => {
	it('applies the seed rules: request = median × 1.2, limit = max(peak × 1.2, request × 1.5), rounded up to Mi', () => {
		// 200Mi steady, one 400Mi peak
		const h = flatHistory(47, (m) => (m === 20 ? 400 * Mi : 200 * Mi));
		const r = recommend(h);
		expect(r.samples).toBe(188);
		expect(r.observedMs).toBe(187 * 15_000);
		expect(r.steadyBytes).toBe(200 * Mi);
		expect(r.peakBytes).toBe(400 * Mi);
		expect(r.requestBytes).toBe(240 * Mi);
		expect(r.limitBytes).toBe(480 * Mi); // 400 × 1.2 > 240 × 1.5 = 360
		expect(r.confidence).toBe('low');
		expect(r.note).toBe('observed 46m (188 samples); trust after 1d');
	});

	it('uses request × 1.5 when the peak is low, and limit = request for critical services', () => {
		const h = flatHistory(10, () => 100 * Mi);
		expect(recommend(h)).toMatchObject({requestBytes: 120 * Mi, limitBytes: 180 * Mi});
		expect(recommend({...h, critical: true})).toMatchObject({requestBytes: 120 * Mi, limitBytes: 120 * Mi});
	});

	it('rounds up to whole MiB and ignores gaps', () => {
		const values = [100.3 * Mi, Number.NaN, 100.3 * Mi, 100.3 * Mi];
		const times = [0, 1, 2, 3].map((i) => now + i * 15_000);
		const r = recommend({values, times});
		expect(r.samples).toBe(3);
		expect(r.requestBytes).toBe(121 * Mi); // 120.36Mi
		expect(roundUpMi(1)).toBe(Mi);
		expect(roundUpMi(Mi)).toBe(Mi);
	});

	it('trusts a full day of observation', () => {
		const times = [now - 25 * 3_600_000, now];
		const r = recommend({values: [100 * Mi, 100 * Mi], times});
		expect(r.confidence).toBe('ok');
		expect(r.note).toBe('observed 1d1h (2 samples)');
	});

	it('has nothing to say without samples', () => {
		expect(recommend({values: [Number.NaN], times: [now]})).toMatchObject({samples: 0, requestBytes: null, limitBytes: null, confidence: 'low', note: 'no samples yet'});
	});

	it('flags limit / request above 2', () => {
		expect(limitRequestRatioFlag(100, 200)).toBe(false);
		expect(limitRequestRatioFlag(100, 201)).toBe(true);
		expect(limitRequestRatioFlag(0, 100)).toBe(true);
		expect(limitRequestRatioFlag(null, 100)).toBe(false);
		expect(limitRequestRatioFlag(100, null)).toBe(false);
	});
});

function term(reason: string, exitCode: number, finishedAt: number | null, signal: number | null = null): Termination {
	return {reason, exitCode, signal, finishedAt, startedAt: finishedAt === null ? null : finishedAt - 10 * minute, message: ''};
}

function container(over: Partial<ContainerRecord> = {}): ContainerRecord {
	return {name: 'app', kind: 'app', requestBytes: 64 * Mi, limitBytes: 256 * Mi, restarts: 0, state: 'running', stateReason: '', lastTermination: null, currentTermination: null, ...over};
}

function podWith(containers: ContainerRecord[], over: Partial<PodRecord> = {}): PodRecord {
	return {
		key: 'shop/cart-7d9f8c6b5-abcde',
		uid: 'u1',
		namespace: 'shop',
		name: 'cart-7d9f8c6b5-abcde',
		rawNamespace: 'shop',
		rawName: 'cart-7d9f8c6b5-abcde',
		nodeName: 'n1',
		phase: 'Running',
		reason: '',
		message: '',
		qos: 'Burstable',
		priority: 0,
		requestBytes: containers.reduce((s, c) => s + (c.requestBytes ?? 0), 0),
		limitBytes: containers.some((c) => c.limitBytes === null) ? null : containers.reduce((s, c) => s + (c.limitBytes ?? 0), 0),
		containers,
		restarts: containers.reduce((s, c) => s + c.restarts, 0),
		owner: {kind: 'ReplicaSet', name: 'cart-7d9f8c6b5'},
		createdAt: now - 3_600_000,
		deleting: false,
		resourceVersion: '1',
		...over,
	};
}

const node: NodeRecord = {
	name: 'n1',
	uid: 'n',
	capacityBytes: 8 * Gi,
	allocatableBytes: 7 * Gi,
	memoryPressure: false,
	memoryPressureSince: null,
	ready: true,
	unschedulable: false,
	kubeletPort: 10250,
	internalIP: '10.0.0.1',
	createdAt: 0,
	resourceVersion: '1',
};

const row = (rows: DiagnosisRow[], id: string) => rows.find((r) => r.id === id)!;

/**
 * diagnose() with the figures the view model hands it, made here from one history the way the
 * view does: working set = newest sample, forecast since the container's last restart, the
 * recommendation from the same samples.
 */
function diagnoseWith(input: Omit<DiagnoseInput, 'workingSetBytes' | 'percentOfLimit' | 'percentOfRequest' | 'nodePercentOfAllocatable' | 'nodeDistanceBytes' | 'forecast' | 'recommendation' | 'recommendationScope'> & {history?: {times: ArrayLike<number>; values: ArrayLike<number>}; workingSetBytes?: number | null}): DiagnosisRow[] {
	const h = input.history ?? null;
	const c = input.pod.containers.find((x) => x.name === input.container) ?? null;
	const finite = h ? Array.from(h.values).filter((v) => Number.isFinite(v)) : [];
	const ws = input.workingSetBytes ?? (finite.length > 0 ? finite[finite.length - 1]! : null);
	const subject = c ?? input.pod;
	return diagnose({
		...input,
		workingSetBytes: ws,
		percentOfLimit: percentOf(ws, subject.limitBytes),
		percentOfRequest: percentOf(ws, subject.requestBytes),
		nodePercentOfAllocatable: input.node ? percentOf(input.nodeWorkingSetBytes ?? null, input.node.allocatableBytes) : null,
		nodeDistanceBytes: nodeDistanceToThreshold(input.nodeAvailableBytes, input.evictionHardBytes),
		forecast: h ? forecastOom(h.times, h.values, c ? c.limitBytes : input.pod.limitBytes, input.now, {startedAt: c?.lastTermination?.finishedAt ?? null}) : null,
		recommendation: h ? recommend({values: h.values, times: h.times, critical: input.critical}) : null,
		recommendationScope: 'test',
	});
}

describe('diagnose', () => {
	it('walks the checklist for a leaking, recently OOM-killed container', () => {
		const c = container({restarts: 4, lastTermination: term('OOMKilled', 137, now - 4 * minute)});
		const pod = podWith([c]);
		// 40 minutes of a leak; the restart 4 minutes ago limits what the forecast may use
		const h = flatHistory(40, (m) => 100 * Mi + 2 * m * Mi);
		const rows = diagnoseWith({pod, container: 'app', history: h, node, nodeWorkingSetBytes: 6.3 * Gi, nodeAvailableBytes: 80 * Mi, evictionHardBytes: 100 * Mi, evictionHardSource: 'default', oomKillsLastHour: 4, now});
		expect(rows.map((r) => r.id)).toEqual(['qos', 'resources', 'ratio', 'usage', 'forecast', 'termination', 'restarts', 'observed', 'recommendation', 'node']);
		// 1000 − ⌊1000 × 64Mi / 8Gi⌋ = 1000 − 7
		expect(row(rows, 'qos')).toMatchObject({value: 'Burstable · oom_score_adj 993 (band 3…999)', level: 'ok'});
		expect(row(rows, 'resources')).toMatchObject({value: 'request 64Mi · limit 256Mi', level: 'ok'});
		expect(row(rows, 'ratio')).toMatchObject({value: '4.0× — over-committed (> 2)', level: 'warn'});
		// newest sample: 100 + 2 × 39.75 = 179.5Mi → 70 % of limit, 280 % of request
		expect(row(rows, 'usage')).toMatchObject({value: '180Mi · 70% of limit · 280% of request', level: 'ok'});
		// only the 17 samples since the restart 4 minutes ago count: 179.5Mi rising 2Mi/min reaches 256Mi in ~38m
		expect(row(rows, 'forecast').value).toMatch(/^OOM in 3[78]m/);
		expect(row(rows, 'termination')).toMatchObject({value: 'OOMKilled · exit 137 · 4m ago', level: 'crit'});
		expect(row(rows, 'restarts')).toMatchObject({value: '4 · 4 OOM kills in the last hour', level: 'crit'});
		expect(row(rows, 'observed')).toMatchObject({value: 'steady 140Mi (median) · peak 180Mi over 39m · test', level: 'info'});
		expect(row(rows, 'recommendation')).toMatchObject({value: 'request 168Mi · limit 252Mi — observed 39m (160 samples); trust after 1d', level: 'info'});
		expect(row(rows, 'node')).toMatchObject({
			value: 'n1 · 90% of allocatable (6.3Gi of 7Gi) · 80Mi available, 20Mi below the hard threshold 100Mi, kubelet default',
			level: 'crit',
		});
	});

	it('forecasts from the history when the container has not restarted', () => {
		const pod = podWith([container()]);
		const h = flatHistory(40, (m) => 100 * Mi + 2 * m * Mi);
		const rows = diagnoseWith({pod, container: 'app', history: h, node, now});
		// 256 − (100 + 79.5) = 76.5Mi at 2Mi/min
		expect(row(rows, 'forecast').value).toMatch(/^OOM in 3[78]m$/);
		expect(row(rows, 'forecast').level).toBe('crit');
	});

	it('warns when the current limit leaves less than 20 % over the observed peak', () => {
		const pod = podWith([container({limitBytes: 200 * Mi})]);
		const h = flatHistory(40, (m) => 100 * Mi + 2 * m * Mi); // peak 179.5Mi × 1.2 > 200Mi
		const rows = diagnoseWith({pod, container: 'app', history: h, node, now});
		expect(row(rows, 'recommendation')).toMatchObject({level: 'warn'});
		expect(row(rows, 'recommendation').value).toMatch(/; current limit leaves < 20 % over the peak$/);
		expect(row(rows, 'usage')).toMatchObject({value: '180Mi · 90% of limit · 280% of request', level: 'warn'});
	});

	it('shows exit 137 without OOMKilled as a SIGKILL', () => {
		const t = term('Error', 137, now - 2 * 3_600_000);
		expect(isSigkillNotOom(t)).toBe(true);
		expect(isSigkillNotOom(term('OOMKilled', 137, now))).toBe(false);
		expect(isSigkillNotOom(term('', 0, now, 9))).toBe(true);
		const pod = podWith([container({restarts: 1, lastTermination: t})]);
		const rows = diagnoseWith({pod, container: 'app', node, now});
		expect(row(rows, 'termination')).toMatchObject({value: 'Error · exit 137 (SIGKILL, not an OOM kill) · 2h ago', level: 'warn'});
		expect(row(rows, 'restarts')).toMatchObject({value: '1', level: 'warn'});
		expect(row(rows, 'observed').value).toBe('test');
		expect(row(rows, 'recommendation').value).toBe('none');
	});

	it('diagnoses a BestEffort pod with no limits as a whole', () => {
		const c1 = container({name: 'a', requestBytes: null, limitBytes: null});
		const c2 = container({name: 'b', requestBytes: null, limitBytes: null, lastTermination: term('Completed', 0, now - 60 * minute)});
		const pod = podWith([c1, c2], {qos: 'BestEffort', requestBytes: null, limitBytes: null});
		const rows = diagnoseWith({pod, workingSetBytes: 50 * Mi, node: {...node, memoryPressure: true}, nodeWorkingSetBytes: 1 * Gi, now});
		expect(row(rows, 'qos')).toMatchObject({value: 'BestEffort · oom_score_adj 1000 (killed first)', level: 'warn'});
		expect(row(rows, 'resources')).toMatchObject({value: 'no request · no limit (bounded only by the node)', level: 'warn'});
		expect(row(rows, 'ratio').value).toBe('— (no limit)');
		expect(row(rows, 'usage')).toMatchObject({value: '50Mi', level: 'ok'});
		expect(row(rows, 'termination')).toMatchObject({value: 'b: Completed · exit 0 · 1h ago', level: 'ok'});
		expect(row(rows, 'node')).toMatchObject({value: 'n1 · 14% of allocatable (1Gi of 7Gi) · MemoryPressure', level: 'crit'});
	});

	it('recommends Guaranteed sizing for critical services', () => {
		const pod = podWith([container({requestBytes: 256 * Mi, limitBytes: 256 * Mi})], {qos: 'Guaranteed'});
		const h = flatHistory(30, () => 100 * Mi);
		const rows = diagnoseWith({pod, container: 'app', history: h, node, critical: true, now});
		expect(row(rows, 'qos').value).toBe('Guaranteed · oom_score_adj -997 (killed last)');
		expect(row(rows, 'recommendation').value).toMatch(/^request 120Mi · limit 120Mi \(critical: limit = request, Guaranteed\)/);
		expect(row(rows, 'forecast')).toMatchObject({value: 'flat', level: 'ok'});
	});
});
