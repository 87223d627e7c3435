/**
 * The door: raw API objects become slim records here, and nothing else of them is kept.
 * Every string is passed through `clean` so nothing from the cluster can steer the terminal.
 */
import {containerMemory, podMemory, podMemoryFromSpec, qosFromSpec} from '../memory/pod-resources.js';
import {parseDuration, parseQuantityOrNull} from '../memory/quantity.js';
import type {
	ContainerRecord,
	EventRecord,
	MemoryBreakdown,
	MemoryPsi,
	MetricsSample,
	NodeRecord,
	NodeSummary,
	OwnerRef,
	PodRecord,
	PsiLine,
	QosClass,
	Termination,
} from '../model/index.js';
import {clean, cleanShared} from './sanitize.js';

type Raw = Record<string, any>;

function time(value: unknown): number | null {
	if (typeof value !== 'string' || value === '') return null;
	const t = Date.parse(value);
	return Number.isNaN(t) ? null : t;
}

function int(value: unknown, fallback = 0): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function termination(t: Raw | undefined): Termination | null {
	if (!t || typeof t !== 'object') return null;
	return {
		reason: cleanShared(t['reason'], 64),
		exitCode: int(t['exitCode']),
		signal: typeof t['signal'] === 'number' ? t['signal'] : null,
		startedAt: time(t['startedAt']),
		finishedAt: time(t['finishedAt']),
		message: clean(t['message'], 200),
	};
}

function containerRecord(spec: Raw, kind: ContainerRecord['kind'], status: Raw | undefined): ContainerRecord {
	const {requestBytes, limitBytes} = containerMemory(spec);
	const state = (status?.['state'] ?? {}) as Raw;
	let stateName: ContainerRecord['state'] = 'unknown';
	let stateReason = '';
	if (state['running']) {
		stateName = 'running';
	} else if (state['waiting']) {
		stateName = 'waiting';
		stateReason = cleanShared(state['waiting']['reason'], 64);
	} else if (state['terminated']) {
		stateName = 'terminated';
		stateReason = cleanShared(state['terminated']['reason'], 64);
	}

	return {
		name: cleanShared(spec['name'], 128),
		kind,
		requestBytes,
		limitBytes,
		restarts: int(status?.['restartCount']),
		state: stateName,
		stateReason,
		lastTermination: termination(status?.['lastState']?.['terminated']),
		currentTermination: termination(state['terminated']),
	};
}

function owner(meta: Raw): OwnerRef | null {
	const refs = meta['ownerReferences'];
	if (!Array.isArray(refs) || refs.length === 0) return null;
	const ref = (refs.find((r: Raw) => r?.['controller'] === true) ?? refs[0]) as Raw;
	return {kind: cleanShared(ref['kind'], 64), name: cleanShared(ref['name'], 253)};
}

const qosNames = new Set(['Guaranteed', 'Burstable', 'BestEffort']);

export function podFromObject(o: Raw): PodRecord | null {
	const meta = o?.['metadata'] as Raw | undefined;
	if (!meta || typeof meta['name'] !== 'string') return null;
	const spec = (o['spec'] ?? {}) as Raw;
	const status = (o['status'] ?? {}) as Raw;
	const statusByName = new Map<string, Raw>();
	for (const s of [...(status['containerStatuses'] ?? []), ...(status['initContainerStatuses'] ?? [])] as Raw[]) {
		if (s && typeof s['name'] === 'string') statusByName.set(s['name'], s);
	}

	const containers: ContainerRecord[] = [];
	for (const c of (spec['initContainers'] ?? []) as Raw[]) {
		containers.push(containerRecord(c, c['restartPolicy'] === 'Always' ? 'sidecar' : 'init', statusByName.get(c['name'])));
	}

	for (const c of (spec['containers'] ?? []) as Raw[]) {
		containers.push(containerRecord(c, 'app', statusByName.get(c['name'])));
	}

	// pod-level resources (spec.resources) are rare: only then parse the spec a second time
	const totals = spec['resources'] && typeof spec['resources'] === 'object'
		? podMemoryFromSpec(spec)
		: podMemory(containers, parseQuantityOrNull(spec['overhead']?.['memory']));
	const qosRaw = status['qosClass'];
	const qos: QosClass = typeof qosRaw === 'string' && qosNames.has(qosRaw) ? (qosRaw as QosClass) : qosFromSpec(spec);
	let restarts = 0;
	for (const c of containers) restarts += c.restarts;
	const namespace = cleanShared(meta['namespace'], 63);
	const name = clean(meta['name'], 253);
	return {
		key: `${namespace}/${name}`,
		uid: clean(meta['uid'], 64),
		namespace,
		name,
		nodeName: cleanShared(spec['nodeName'], 253),
		phase: cleanShared(status['phase'], 32) || 'Pending',
		reason: cleanShared(status['reason'], 64),
		message: clean(status['message'], 300),
		qos,
		priority: int(spec['priority']),
		requestBytes: totals.requestBytes,
		limitBytes: totals.limitBytes,
		containers,
		restarts,
		owner: owner(meta),
		createdAt: time(meta['creationTimestamp']) ?? 0,
		deleting: Boolean(meta['deletionTimestamp']),
		resourceVersion: String(meta['resourceVersion'] ?? ''),
	};
}

export function nodeFromObject(o: Raw): NodeRecord | null {
	const meta = o?.['metadata'] as Raw | undefined;
	if (!meta || typeof meta['name'] !== 'string') return null;
	const status = (o['status'] ?? {}) as Raw;
	let memoryPressure = false;
	let memoryPressureSince: number | null = null;
	let ready = false;
	for (const c of (status['conditions'] ?? []) as Raw[]) {
		if (c?.['type'] === 'MemoryPressure') {
			memoryPressure = c['status'] === 'True';
			memoryPressureSince = time(c['lastTransitionTime']);
		} else if (c?.['type'] === 'Ready') {
			ready = c['status'] === 'True';
		}
	}

	let internalIP = '';
	for (const a of (status['addresses'] ?? []) as Raw[]) {
		if (a?.['type'] === 'InternalIP' && !internalIP) internalIP = clean(a['address'], 64);
	}

	const port = status['daemonEndpoints']?.['kubeletEndpoint']?.['Port'];
	return {
		name: clean(meta['name'], 253),
		uid: clean(meta['uid'], 64),
		capacityBytes: parseQuantityOrNull(status['capacity']?.['memory']),
		allocatableBytes: parseQuantityOrNull(status['allocatable']?.['memory']),
		memoryPressure,
		memoryPressureSince,
		ready,
		unschedulable: Boolean(o['spec']?.['unschedulable']),
		kubeletPort: typeof port === 'number' && port > 0 ? port : null,
		internalIP,
		createdAt: time(meta['creationTimestamp']) ?? 0,
		resourceVersion: String(meta['resourceVersion'] ?? ''),
	};
}

/** Event reasons the feed uses; every other Event is dropped at the door. */
const memoryEventReasons = new Set([
	'Evicted',
	'EvictionThresholdMet',
	'SystemOOM',
	'OOMKilling',
	'OOMKilled',
	'NodeHasInsufficientMemory',
	'NodeHasSufficientMemory',
	'Preempting',
]);

export function eventFromObject(o: Raw): EventRecord | null {
	const meta = o?.['metadata'] as Raw | undefined;
	if (!meta) return null;
	const reason = clean(o['reason'], 64);
	if (!memoryEventReasons.has(reason)) return null;
	const inv = (o['involvedObject'] ?? o['regarding'] ?? {}) as Raw;
	const first = time(o['firstTimestamp']) ?? time(o['eventTime']) ?? time(meta['creationTimestamp']) ?? 0;
	const last = time(o['lastTimestamp']) ?? time(o['series']?.['lastObservedTime']) ?? first;
	return {
		uid: clean(meta['uid'], 64) || `${clean(meta['namespace'])}/${clean(meta['name'])}`,
		reason,
		message: clean(o['message'] ?? o['note'], 400),
		type: clean(o['type'], 16),
		involvedKind: clean(inv['kind'], 32),
		namespace: clean(inv['namespace'], 63),
		name: clean(inv['name'], 253),
		fieldPath: clean(inv['fieldPath'], 128),
		source: clean(o['source']?.['component'] ?? o['reportingComponent'] ?? o['reportingController'], 64),
		count: Math.max(1, int(o['count'], 0) || int(o['series']?.['count'], 1)),
		firstTime: first,
		lastTime: last,
		resourceVersion: String(meta['resourceVersion'] ?? ''),
	};
}

function parseWindow(w: unknown): number {
	return typeof w === 'string' ? (parseDuration(w) ?? 0) : 0;
}

/** Builds one metrics sample from PodMetrics / NodeMetrics items (metrics.k8s.io v1beta1 or v1), one item at a time. */
export class MetricsBuilder {
	private readonly pods: MetricsSample['pods'] = new Map();
	private readonly nodes: MetricsSample['nodes'] = new Map();
	private latest = 0;
	private windowMs = 0;

	constructor(private readonly pollTime: number) {}

	private stamp(item: Raw): void {
		const t = time(item['timestamp']);
		if (t !== null && t > this.latest) this.latest = t;
		if (!this.windowMs) this.windowMs = parseWindow(item['window']);
	}

	pod(item: Raw): void {
		const meta = item?.['metadata'] ?? {};
		const containers = new Map<string, number>();
		let total = 0;
		for (const c of (item?.['containers'] ?? []) as Raw[]) {
			const v = parseQuantityOrNull(c?.['usage']?.['memory']);
			if (v === null) continue;
			containers.set(clean(c['name'], 128), v);
			total += v;
		}

		if (containers.size === 0) return;
		this.pods.set(`${clean(meta['namespace'], 63)}/${clean(meta['name'], 253)}`, {workingSetBytes: total, containers});
		this.stamp(item);
	}

	node(item: Raw): void {
		const v = parseQuantityOrNull(item?.['usage']?.['memory']);
		if (v === null) return;
		this.nodes.set(clean(item['metadata']?.['name'], 253), v);
		this.stamp(item);
	}

	done(): MetricsSample {
		return {time: this.latest || this.pollTime, windowMs: this.windowMs, pods: this.pods, nodes: this.nodes};
	}
}

function num(v: unknown): number | null {
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function psiLine(o: unknown): PsiLine | null {
	if (typeof o !== 'object' || o === null) return null;
	const r = o as Raw;
	const avg10 = num(r['avg10']);
	const avg60 = num(r['avg60']);
	const avg300 = num(r['avg300']);
	const total = num(r['total']);
	if (avg10 === null || avg60 === null || avg300 === null || total === null) return null;
	return {avg10, avg60, avg300, total};
}

/** `memory.psi` of a Summary API memory block (Kubernetes ≥ 1.34); null when absent or malformed */
function memoryPsi(o: unknown): MemoryPsi | null {
	if (typeof o !== 'object' || o === null) return null;
	const some = psiLine((o as Raw)['some']);
	const full = psiLine((o as Raw)['full']);
	return some === null || full === null ? null : {some, full};
}

function breakdown(mem: Raw | undefined, swap: Raw | undefined, fallbackTime: number): MemoryBreakdown {
	const usage = num(mem?.['usageBytes']);
	const rss = num(mem?.['rssBytes']);
	return {
		workingSetBytes: num(mem?.['workingSetBytes']),
		usageBytes: usage,
		rssBytes: rss,
		cacheBytes: usage !== null && rss !== null ? Math.max(0, usage - rss) : null,
		swapBytes: num(swap?.['swapUsageBytes']),
		pageFaults: num(mem?.['pageFaults']),
		majorPageFaults: num(mem?.['majorPageFaults']),
		psi: memoryPsi(mem?.['psi']),
		rates: null,
		time: time(mem?.['time']) ?? fallbackTime,
	};
}

/** The kubelet Summary API (`/stats/summary`) → per node, pod and container breakdown. */
export function nodeSummary(o: Raw, node: string, evictionHardBytes: number, evictionHardSource: 'configz' | 'default', pollTime: number): NodeSummary {
	const n = (o?.['node'] ?? {}) as Raw;
	const mem = (n['memory'] ?? {}) as Raw;
	const pods: NodeSummary['pods'] = new Map();
	for (const p of (o?.['pods'] ?? []) as Raw[]) {
		const ref = (p?.['podRef'] ?? {}) as Raw;
		const key = `${clean(ref['namespace'], 63)}/${clean(ref['name'], 253)}`;
		const containers = new Map<string, MemoryBreakdown>();
		for (const c of (p['containers'] ?? []) as Raw[]) {
			containers.set(clean(c?.['name'], 128), breakdown(c?.['memory'], c?.['swap'], pollTime));
		}

		pods.set(key, {total: breakdown(p['memory'], p['swap'], pollTime), containers});
	}

	return {
		node,
		time: time(mem['time']) ?? pollTime,
		availableBytes: num(mem['availableBytes']),
		memory: breakdown(mem, n['swap'], pollTime),
		evictionHardBytes,
		evictionHardSource,
		pods,
	};
}

/** the `evictionHard` `memory.available` value of a kubelet configz answer ("100Mi", "5%"), null when absent; memory/eviction.ts turns it into bytes */
export function evictionHardValue(o: Raw): string | null {
	const cfg = (o?.['kubeletconfig'] ?? o?.['componentconfig'] ?? {}) as Raw;
	const value = cfg['evictionHard']?.['memory.available'];
	return typeof value === 'string' ? value : null;
}
