/**
 * Requests, limits and QoS of a pod, the way Kubernetes computes them.
 *
 * - Container request/limit: `resources.requests.memory` / `resources.limits.memory`; a limit
 *   without a request means request = limit (the API server defaults it so).
 * - Pod request/limit: component-helpers `PodRequests` / `PodLimits` (KEP-753): app containers and
 *   restartable init containers (sidecars) add up; init containers run one after the other, and
 *   while plain init container i runs, every sidecar declared before it is already running, so the
 *   pod needs max(sum(app + sidecars), max_i(init_i + sidecars before i)); pod overhead is added.
 *   Pod-level `spec.resources` (KEP-2837) replaces the container aggregate when set.
 * - A pod whose app or sidecar container has no memory limit has no pod-level limit (null): the
 *   kubelet leaves the pod cgroup unbounded.
 * - QoS: `ComputePodQOS` (pkg/apis/core/v1/helper/qos) over cpu and memory of every app and init
 *   container, on requests and limits summed per resource.
 * - oom_score_adj: kubelet `GetContainerOOMScoreAdjust` (pkg/kubelet/qos/policy.go).
 */
import type {QosClass} from '../model/index.js';
import {parseQuantityOrNull} from './quantity.js';

type Raw = Record<string, any>;

interface MemoryPair {
	requestBytes: number | null;
	limitBytes: number | null;
}

export interface ContainerMemoryInput extends MemoryPair {
	kind: 'app' | 'init' | 'sidecar';
}

function isObject(v: unknown): v is Raw {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Memory request and limit of one raw container spec (bytes, null when not set). */
export function containerMemory(c: unknown): MemoryPair {
	const resources = isObject(c) && isObject(c['resources']) ? c['resources'] : {};
	const requests = isObject(resources['requests']) ? resources['requests'] : {};
	const limits = isObject(resources['limits']) ? resources['limits'] : {};
	const limitBytes = parseQuantityOrNull(limits['memory']);
	let requestBytes = parseQuantityOrNull(requests['memory']);
	if (requestBytes === null && limitBytes !== null) requestBytes = limitBytes;
	return {requestBytes, limitBytes};
}

/** Whether a raw init container spec is a sidecar (restartPolicy: Always). */
function isSidecarSpec(c: unknown): boolean {
	return isObject(c) && c['restartPolicy'] === 'Always';
}

/** The scheduler's aggregate over one field (request or limit), treating null as 0. */
function aggregate(containers: readonly ContainerMemoryInput[], field: 'requestBytes' | 'limitBytes'): number {
	let sum = 0;
	let sidecarsSoFar = 0;
	let initMax = 0;
	for (const c of containers) {
		const v = c[field] ?? 0;
		if (c.kind === 'app') {
			sum += v;
		} else if (c.kind === 'sidecar') {
			sum += v;
			sidecarsSoFar += v;
			// A sidecar starting is itself an init step: everything before it plus itself.
			initMax = Math.max(initMax, sidecarsSoFar);
		} else {
			initMax = Math.max(initMax, v + sidecarsSoFar);
		}
	}

	return Math.max(sum, initMax);
}

/**
 * Pod request and limit by the scheduler's rule. `containers` must list init containers and
 * sidecars in spec order (app containers may come anywhere: their order does not matter).
 * Request is null only when no container sets one and there is no overhead; limit is null when
 * any app or sidecar container has no limit.
 */
export function podMemory(containers: readonly ContainerMemoryInput[], overheadBytes: number | null): MemoryPair {
	const overhead = overheadBytes ?? 0;
	let anyRequest = false;
	let unbounded = false;
	let anyLongRunning = false;
	for (const c of containers) {
		if (c.requestBytes !== null) anyRequest = true;
		if (c.kind !== 'init') {
			anyLongRunning = true;
			if (c.limitBytes === null) unbounded = true;
		}
	}

	const requestBytes = anyRequest || overheadBytes !== null ? aggregate(containers, 'requestBytes') + overhead : null;
	const limitBytes = unbounded || !anyLongRunning ? null : aggregate(containers, 'limitBytes') + overhead;
	return {requestBytes, limitBytes};
}

/** The containers of a raw pod spec in the order `podMemory` wants them (init first, in order). */
export function containersFromSpec(spec: unknown): ContainerMemoryInput[] {
	const out: ContainerMemoryInput[] = [];
	if (!isObject(spec)) return out;
	for (const c of Array.isArray(spec['initContainers']) ? spec['initContainers'] : []) {
		out.push({kind: isSidecarSpec(c) ? 'sidecar' : 'init', ...containerMemory(c)});
	}

	for (const c of Array.isArray(spec['containers']) ? spec['containers'] : []) {
		out.push({kind: 'app', ...containerMemory(c)});
	}

	return out;
}

/**
 * Pod request and limit straight from a raw pod spec: pod-level `resources` when set, else the
 * container aggregate; `overhead` added in both cases.
 */
export function podMemoryFromSpec(spec: unknown): MemoryPair {
	const s = isObject(spec) ? spec : {};
	const overhead = isObject(s['overhead']) ? parseQuantityOrNull(s['overhead']['memory']) : null;
	const agg = podMemory(containersFromSpec(s), overhead);
	if (!isObject(s['resources'])) return agg;
	const podLevel = containerMemory({resources: s['resources']});
	const extra = overhead ?? 0;
	return {
		requestBytes: podLevel.requestBytes === null ? agg.requestBytes : podLevel.requestBytes + extra,
		limitBytes: podLevel.limitBytes === null ? agg.limitBytes : podLevel.limitBytes + extra,
	};
}

const qosResources = ['cpu', 'memory'] as const;

/**
 * QoS class of a raw pod spec, for when `status.qosClass` is absent. Follows `ComputePodQOS`:
 * positive requests and limits of cpu and memory summed over app and init containers (with the
 * API server's default request = limit applied); BestEffort when there are none; Guaranteed when
 * every container has both cpu and memory limits and the summed requests equal the summed limits.
 * Pod-level `resources` replace the containers when they set cpu or memory.
 */
export function qosFromSpec(spec: unknown): QosClass {
	const s = isObject(spec) ? spec : {};
	const requests = new Map<string, number>();
	const limits = new Map<string, number>();
	let guaranteed = true;

	const take = (resources: unknown): void => {
		const r = isObject(resources) ? resources : {};
		const req = isObject(r['requests']) ? r['requests'] : {};
		const lim = isObject(r['limits']) ? r['limits'] : {};
		const found = new Set<string>();
		for (const name of qosResources) {
			const limit = parseQuantityOrNull(lim[name]);
			let request = parseQuantityOrNull(req[name]);
			if (request === null && limit !== null) request = limit; // API server defaulting
			if (request !== null && request > 0) requests.set(name, (requests.get(name) ?? 0) + request);
			if (limit !== null && limit > 0) {
				found.add(name);
				limits.set(name, (limits.get(name) ?? 0) + limit);
			}
		}

		if (found.size !== qosResources.length) guaranteed = false;
	};

	const podLevel = isObject(s['resources']) ? s['resources'] : null;
	const podLevelSet =
		podLevel !== null &&
		qosResources.some((n) => parseQuantityOrNull(podLevel['requests']?.[n]) !== null || parseQuantityOrNull(podLevel['limits']?.[n]) !== null);
	if (podLevelSet) {
		take(podLevel);
	} else {
		for (const list of [s['containers'], s['initContainers']]) {
			for (const c of Array.isArray(list) ? list : []) take(isObject(c) ? c['resources'] : undefined);
		}
	}

	if (requests.size === 0 && limits.size === 0) return 'BestEffort';
	if (guaranteed) {
		for (const [name, req] of requests) {
			if (limits.get(name) !== req) {
				guaranteed = false;
				break;
			}
		}
	}

	return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** oom_score_adj the kubelet gives Guaranteed containers (and node-critical pods). */
const guaranteedOomScoreAdj = -997;
/** oom_score_adj the kubelet gives BestEffort containers. */
const bestEffortOomScoreAdj = 1000;
/** The Burstable band: 1000 + guaranteedOomScoreAdj … 999. */
export const burstableOomScoreAdjRange = [1000 + guaranteedOomScoreAdj, bestEffortOomScoreAdj - 1] as const;

/**
 * oom_score_adj of a container (kubelet `GetContainerOOMScoreAdjust`): Guaranteed −997,
 * BestEffort 1000, Burstable 1000 − ⌊1000 × request / capacity⌋ (integer division, as in Go)
 * clamped to 3…999. Pass `nodeCritical` for system-node-critical pods (always −997).
 * For a sidecar pass the smaller of its request and the smallest app-container request (the
 * kubelet lowers a sidecar's score to at most its app containers').
 * Returns null for Burstable when the node capacity is unknown.
 */
export function oomScoreAdj(
	qos: QosClass,
	requestBytes: number | null,
	nodeCapacityBytes: number | null,
	opts?: {nodeCritical?: boolean},
): number | null {
	if (opts?.nodeCritical) return guaranteedOomScoreAdj;
	if (qos === 'Guaranteed') return guaranteedOomScoreAdj;
	if (qos === 'BestEffort') return bestEffortOomScoreAdj;
	if (nodeCapacityBytes === null || !(nodeCapacityBytes > 0)) return null;
	const request = BigInt(Math.max(0, Math.trunc(requestBytes ?? 0)));
	const adj = 1000n - (1000n * request) / BigInt(Math.trunc(nodeCapacityBytes));
	const min = BigInt(burstableOomScoreAdjRange[0]);
	if (adj < min) return Number(min);
	if (adj === 1000n) return 999;
	return Number(adj);
}
