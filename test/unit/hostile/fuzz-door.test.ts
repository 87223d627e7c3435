/**
 * The door under random input: a seeded generator replaces, deletes and wraps fields of real-shaped
 * pods, nodes, events, metrics items and Summary answers with random JSON (every type, absurd
 * numbers, strings with escape sequences, bidi and zero-width characters, lone surrogates). Nothing
 * may throw, every record must be well-formed (the types of source/model), no figure negative or
 * non-finite, no shown string able to steer a terminal. A failure names the seed and iteration;
 * MEMTOP_FUZZ_SEED=<n> replays it.
 */
import {describe, expect, it} from 'vitest';
import {eventFromObject, MetricsBuilder, nodeFromObject, nodeSummary, podFromObject, type Faults} from '../../../source/kube/convert.js';
import type {ContainerRecord, EventRecord, MemoryBreakdown, MetricsSample, NodeRecord, NodeSummary, PodRecord, Termination} from '../../../source/model/index.js';
import {podMetrics, rawNode, rawPod} from './harness.js';

const seed = Number(process.env['MEMTOP_FUZZ_SEED'] ?? 0x5eed);
const iterations = 2000;

/** mulberry32 */
function generator(s: number): () => number {
	let a = s >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const strings = [
	'', 'web-1', 'shop', 'app', 'x'.repeat(400), '\u001b[2J\u001b[31mred', 'web\u200b-1', '\u202eevil', '\u2066bidi\u2069', '\ufeff', '\u0000', '\u009b31m', 'a\tb\nc\rd',
	'\ud800', '\udfff', 'é', '漢字', '%0041', 'a/b', '100Mi', '-5Mi', '99999999999999999999Ei', '9007199254740993', '1e3', '1e-300', '0x10', '1.5Gi', 'NaN', 'Infinity', '8Ei', '9Ei',
	'2026-12-01T10:00:00Z', '1900-01-01T00:00:00Z', 'not a time', '15s', '9'.repeat(400) + 's', '-5s', 'Always', 'True', 'False', 'MemoryPressure', 'Ready', 'InternalIP', 'OOMKilling', 'Evicted',
	'SystemOOM', 'Guaranteed', 'BestEffort', 'Burstable', 'Running', 'OOMKilled', 'CrashLoopBackOff',
];
const numbers = [0, -0, 1, -1, 1.5, -1.5, 100, 101, 65535, 65536, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 1e300, -1e300, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE];
const keys = ['metadata', 'name', 'namespace', 'uid', 'spec', 'status', 'containers', 'memory', 'usage', 'resources', 'limits', 'requests', 'state', 'count', 'items', 'psi', 'some', 'full', 'avg10', 'podRef', '__proto__', 'constructor', 'toString'];

function random(r: () => number, depth: number): unknown {
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
	const n = r();
	if (n < 0.1) return null;
	if (n < 0.18) return r() < 0.5;
	if (n < 0.4) return pick(numbers);
	if (n < 0.7 || depth > 2) return pick(strings);
	if (n < 0.85) return Array.from({length: Math.floor(r() * 3)}, () => random(r, depth + 1));
	const o: Record<string, unknown> = {};
	for (let i = Math.floor(r() * 3); i > 0; i--) o[pick(keys)] = random(r, depth + 1);
	return o;
}

/** a copy of `value` with some of its fields (at any depth) replaced, deleted or wrapped */
function mutate(value: unknown, r: () => number, rate: number): unknown {
	if (r() < rate) return random(r, 0);
	if (Array.isArray(value)) {
		const out = value.map(v => mutate(v, r, rate));
		if (r() < rate) out.push(random(r, 0));
		return out;
	}

	if (typeof value !== 'object' || value === null) return value;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) {
		const roll = r();
		if (roll < rate / 2) continue;
		out[k] = roll < rate ? [v] : mutate(v, r, rate);
	}

	return out;
}

// templates with every part the door reads
const pod = rawPod('web-1', {
	metadata: {name: 'web-1', namespace: 'shop', uid: 'u1', resourceVersion: '10', creationTimestamp: '2026-11-30T10:00:00Z', deletionTimestamp: '2026-12-01T10:00:00Z', ownerReferences: [{kind: 'ReplicaSet', name: 'web-7d', controller: true}]},
	spec: {
		nodeName: 'node-a',
		priority: 1000,
		overhead: {memory: '10Mi'},
		initContainers: [{name: 'init', resources: {limits: {memory: '50Mi'}}}, {name: 'side', restartPolicy: 'Always', resources: {requests: {memory: '20Mi'}}}],
		containers: [{name: 'app', resources: {requests: {memory: '100Mi', cpu: '100m'}, limits: {memory: '200Mi'}}}],
	},
	status: {
		phase: 'Running',
		qosClass: 'Burstable',
		reason: '',
		message: 'hello',
		initContainerStatuses: [{name: 'init', restartCount: 0, state: {terminated: {reason: 'Completed', exitCode: 0, startedAt: '2026-11-30T10:00:01Z', finishedAt: '2026-11-30T10:00:02Z'}}}],
		containerStatuses: [{name: 'app', restartCount: 3, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: {terminated: {reason: 'OOMKilled', exitCode: 137, signal: 9, message: 'oom'}}}],
	},
});
const node = {...rawNode('node-a'), spec: {unschedulable: true}, status: {...(rawNode('node-a') as any).status, addresses: [{type: 'InternalIP', address: '10.0.0.1'}], daemonEndpoints: {kubeletEndpoint: {Port: 10250}}}};
const event = {
	metadata: {name: 'e1', namespace: 'shop', uid: 'e1', resourceVersion: '3', creationTimestamp: '2026-12-01T09:59:00Z'},
	reason: 'OOMKilling',
	message: 'Killed process 1234 (app)',
	note: 'note',
	type: 'Warning',
	involvedObject: {kind: 'Pod', namespace: 'shop', name: 'web-1', fieldPath: 'spec.containers{app}'},
	source: {component: 'kernel-monitor'},
	count: 2,
	series: {count: 3, lastObservedTime: '2026-12-01T10:00:00Z'},
	firstTimestamp: '2026-12-01T09:59:00Z',
	lastTimestamp: '2026-12-01T10:00:00Z',
};
const nodeMetrics = {metadata: {name: 'node-a'}, timestamp: '2026-12-01T10:00:00Z', window: '15s', usage: {memory: '3Gi'}};
const psi = {some: {avg10: 1, avg60: 2, avg300: 3, total: 400}, full: {avg10: 0.5, avg60: 1, avg300: 1.5, total: 200}};
const mem = {time: '2026-12-01T10:00:00Z', availableBytes: 1000, usageBytes: 900, workingSetBytes: 800, rssBytes: 700, pageFaults: 10, majorPageFaults: 1, psi};
const summary = {node: {nodeName: 'node-a', memory: mem, swap: {swapUsageBytes: 5}}, pods: [{podRef: {name: 'web-1', namespace: 'shop', uid: 'u1'}, memory: mem, swap: {swapUsageBytes: 1}, containers: [{name: 'app', memory: mem}]}]};

const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** the checks of one record, as failures ("containers[0].restarts: -1") */
class Check {
	readonly failures: string[] = [];

	private fail(where: string, v: unknown, what: string): void {
		this.failures.push(`${where}: ${JSON.stringify(v)} is not ${what}`);
	}

	/** a shown string: a string nothing in can steer a terminal */
	shown(where: string, v: unknown): void {
		if (typeof v !== 'string' || unsafe.test(v)) this.fail(where, v, 'a safe string');
	}

	str(where: string, v: unknown): void {
		if (typeof v !== 'string') this.fail(where, v, 'a string');
	}

	figure(where: string, v: unknown, nullable = true): void {
		if (v === null && nullable) return;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) this.fail(where, v, 'a finite figure ≥ 0');
	}

	int32(where: string, v: unknown, nullable = false): void {
		if (v === null && nullable) return;
		if (!Number.isInteger(v) || (v as number) < -(2 ** 31) || (v as number) >= 2 ** 31) this.fail(where, v, 'an int32');
	}

	time(where: string, v: unknown, nullable = true): void {
		if (v === null && nullable) return;
		if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(where, v, 'a time');
	}

	oneOf(where: string, v: unknown, values: readonly unknown[]): void {
		if (!values.includes(v)) this.fail(where, v, `one of ${values.join(', ')}`);
	}

	termination(where: string, t: Termination | null): void {
		if (t === null) return;
		this.shown(`${where}.reason`, t.reason);
		this.shown(`${where}.message`, t.message);
		this.int32(`${where}.exitCode`, t.exitCode);
		this.int32(`${where}.signal`, t.signal, true);
		this.time(`${where}.startedAt`, t.startedAt);
		this.time(`${where}.finishedAt`, t.finishedAt);
	}

	container(where: string, c: ContainerRecord): void {
		this.shown(`${where}.name`, c.name);
		this.oneOf(`${where}.kind`, c.kind, ['app', 'init', 'sidecar']);
		this.figure(`${where}.requestBytes`, c.requestBytes);
		this.figure(`${where}.limitBytes`, c.limitBytes);
		this.figure(`${where}.restarts`, c.restarts, false);
		if (!Number.isSafeInteger(c.restarts)) this.fail(`${where}.restarts`, c.restarts, 'a count');
		this.oneOf(`${where}.state`, c.state, ['running', 'waiting', 'terminated', 'unknown']);
		this.shown(`${where}.stateReason`, c.stateReason);
		this.termination(`${where}.lastTermination`, c.lastTermination);
		this.termination(`${where}.currentTermination`, c.currentTermination);
	}

	pod(p: PodRecord): void {
		if (typeof p.key !== 'string' || !/^[\u0020-\u007e]*$/.test(p.key)) this.fail('key', p.key, 'printable ASCII');
		for (const k of ['uid', 'namespace', 'name', 'nodeName', 'phase', 'reason', 'message'] as const) this.shown(k, p[k]);
		this.str('rawNamespace', p.rawNamespace);
		this.str('rawName', p.rawName);
		this.oneOf('qos', p.qos, ['Guaranteed', 'Burstable', 'BestEffort']);
		this.int32('priority', p.priority);
		this.figure('requestBytes', p.requestBytes);
		this.figure('limitBytes', p.limitBytes);
		this.figure('restarts', p.restarts, false);
		if (!Array.isArray(p.containers)) this.fail('containers', p.containers, 'a list');
		else p.containers.forEach((c, i) => this.container(`containers[${i}]`, c));
		if (p.owner !== null) {
			this.shown('owner.kind', p.owner.kind);
			this.shown('owner.name', p.owner.name);
		}

		this.time('createdAt', p.createdAt, false);
		this.oneOf('deleting', p.deleting, [true, false]);
		this.str('resourceVersion', p.resourceVersion);
	}

	node(n: NodeRecord): void {
		for (const k of ['name', 'uid', 'internalIP'] as const) this.shown(k, n[k]);
		this.figure('capacityBytes', n.capacityBytes);
		this.figure('allocatableBytes', n.allocatableBytes);
		for (const k of ['memoryPressure', 'ready', 'unschedulable'] as const) this.oneOf(k, n[k], [true, false]);
		this.time('memoryPressureSince', n.memoryPressureSince);
		if (n.kubeletPort !== null && !(Number.isInteger(n.kubeletPort) && n.kubeletPort > 0 && n.kubeletPort < 65536)) this.fail('kubeletPort', n.kubeletPort, 'a port');
		this.time('createdAt', n.createdAt, false);
		this.str('resourceVersion', n.resourceVersion);
	}

	event(e: EventRecord): void {
		for (const k of ['uid', 'reason', 'message', 'type', 'involvedKind', 'namespace', 'name', 'fieldPath', 'source'] as const) this.shown(k, e[k]);
		if (!Number.isSafeInteger(e.count) || e.count < 1) this.fail('count', e.count, 'a count ≥ 1');
		this.time('firstTime', e.firstTime, false);
		this.time('lastTime', e.lastTime, false);
		this.str('resourceVersion', e.resourceVersion);
	}

	metrics(m: MetricsSample): void {
		this.time('time', m.time, false);
		this.figure('windowMs', m.windowMs, false);
		for (const [key, p] of m.pods) {
			if (!/^[\u0020-\u007e]*$/.test(key)) this.fail('pods key', key, 'printable ASCII');
			this.figure(`pods[${key}].workingSetBytes`, p.workingSetBytes, false);
			for (const [name, v] of p.containers) {
				this.shown(`pods[${key}] container`, name);
				this.figure(`pods[${key}].containers[${name}]`, v, false);
			}
		}

		for (const [name, v] of m.nodes) {
			this.shown('nodes key', name);
			this.figure(`nodes[${name}]`, v, false);
		}
	}

	breakdown(where: string, b: MemoryBreakdown): void {
		for (const k of ['workingSetBytes', 'usageBytes', 'rssBytes', 'cacheBytes', 'swapBytes', 'pageFaults', 'majorPageFaults'] as const) this.figure(`${where}.${k}`, b[k]);
		this.time(`${where}.time`, b.time, false);
		if (b.psi === null) return;
		for (const line of ['some', 'full'] as const) {
			for (const k of ['avg10', 'avg60', 'avg300'] as const) {
				const v = b.psi[line][k];
				this.figure(`${where}.psi.${line}.${k}`, v, false);
				if (v > 100) this.fail(`${where}.psi.${line}.${k}`, v, 'a share in %');
			}

			this.figure(`${where}.psi.${line}.total`, b.psi[line].total, false);
		}
	}

	summary(s: NodeSummary): void {
		this.time('time', s.time, false);
		this.figure('availableBytes', s.availableBytes);
		this.breakdown('memory', s.memory);
		for (const [key, p] of s.pods) {
			if (!/^[\u0020-\u007e]*$/.test(key)) this.fail('pods key', key, 'printable ASCII');
			this.breakdown(`pods[${key}].total`, p.total);
			for (const [name, c] of p.containers) {
				this.shown(`pods[${key}] container`, name);
				this.breakdown(`pods[${key}].containers[${name}]`, c);
			}
		}
	}
}

const counted = (): Faults & {calls: number} => {
	const f = {calls: 0, skip: () => void f.calls++, reject: () => void f.calls++};
	return f;
};

describe(`the door under ${iterations} random inputs of each kind (seed ${seed})`, () => {
	it('throws nothing and returns only well-formed records', () => {
		const r = generator(seed);
		let records = 0;
		let refused = 0;
		for (let i = 0; i < iterations; i++) {
			const rate = r() * 0.12;
			const inputs = {
				pod: mutate(pod, r, rate),
				node: mutate(node, r, rate),
				event: mutate(event, r, rate),
				podMetrics: [mutate(podMetrics('web-1', '150Mi'), r, rate), mutate(podMetrics('web-2', '2Gi'), r, rate)],
				nodeMetrics: mutate(nodeMetrics, r, rate),
				summary: mutate(summary, r, rate),
			};
			const check = new Check();
			const faults = counted();
			try {
				const p = podFromObject(inputs.pod, faults);
				if (p) check.pod(p);
				const n = nodeFromObject(inputs.node, faults);
				if (n) check.node(n);
				const e = eventFromObject(inputs.event, faults);
				if (e) check.event(e);
				const m = new MetricsBuilder(1_764_583_200_000, faults);
				for (const item of inputs.podMetrics) m.pod(item);
				m.node(inputs.nodeMetrics);
				check.metrics(m.done());
				check.summary(nodeSummary(inputs.summary, 'node-a', 100 * 2 ** 20, 'default', 1_764_583_200_000, faults));
				records += Number(p !== null) + Number(n !== null) + Number(e !== null);
			} catch (error) {
				check.failures.push(`threw ${error instanceof Error ? error.stack : String(error)}`);
			}

			refused += faults.calls;
			expect(check.failures, `seed ${seed} iteration ${i} (MEMTOP_FUZZ_SEED=${seed} replays it)\ninput: ${JSON.stringify(inputs).slice(0, 4000)}`).toEqual([]);
		}

		// the generator reaches both sides: records kept, and items or figures refused
		expect(records).toBeGreaterThan(iterations / 2);
		expect(refused).toBeGreaterThan(iterations / 2);
	});
});
