/** Builders for slim records used by the store and UI tests. */
import type {ContainerRecord, EventRecord, MetricsSample, NodeRecord, PodRecord, Termination} from '../../../source/model/index.js';

export const Mi = 1024 * 1024;
export const Gi = 1024 * Mi;

export function container(name: string, opts: Partial<ContainerRecord> = {}): ContainerRecord {
	return {
		name,
		kind: 'app',
		requestBytes: null,
		limitBytes: null,
		restarts: 0,
		state: 'running',
		stateReason: '',
		lastTermination: null,
		currentTermination: null,
		...opts,
	};
}

export interface PodOpts extends Partial<Omit<PodRecord, 'key' | 'namespace' | 'name'>> {
	request?: number | null;
	limit?: number | null;
}

/** a running pod; `request`/`limit` set a single app container's (and so the pod's) figures */
export function pod(namespace: string, name: string, opts: PodOpts = {}): PodRecord {
	const {request = null, limit = null, ...rest} = opts;
	const containers = rest.containers ?? [container('app', {requestBytes: request, limitBytes: limit})];
	const qos = request === null && limit === null ? 'BestEffort' : request !== null && request === limit ? 'Guaranteed' : 'Burstable';
	return {
		key: `${namespace}/${name}`,
		uid: `uid-${namespace}-${name}`,
		namespace,
		name,
		rawNamespace: namespace,
		rawName: name,
		nodeName: 'node-a',
		phase: 'Running',
		reason: '',
		message: '',
		qos,
		priority: 0,
		requestBytes: request,
		limitBytes: limit,
		restarts: containers.reduce((s, c) => s + c.restarts, 0),
		owner: null,
		createdAt: 1_700_000_000_000,
		deleting: false,
		resourceVersion: '1',
		...rest,
		containers,
	};
}

export function node(name: string, opts: Partial<NodeRecord> = {}): NodeRecord {
	return {
		name,
		uid: `uid-${name}`,
		capacityBytes: 16 * Gi,
		allocatableBytes: 15 * Gi,
		memoryPressure: false,
		memoryPressureSince: null,
		ready: true,
		unschedulable: false,
		kubeletPort: 10250,
		internalIP: '10.0.0.1',
		createdAt: 1_700_000_000_000,
		resourceVersion: '1',
		...opts,
	};
}

/** one metrics poll: pods as [key, bytes] or [key, bytes, {container: bytes}] */
export function metrics(time: number, pods: Array<[string, number, Record<string, number>?]>, nodes: Array<[string, number]> = []): MetricsSample {
	return {
		time,
		windowMs: 15_000,
		pods: new Map(
			pods.map(([key, ws, cs]) => [key, {workingSetBytes: ws, containers: new Map(Object.entries(cs ?? {app: ws}))}]),
		),
		nodes: new Map(nodes),
	};
}

export function oomKilled(finishedAt: number): Termination {
	return {reason: 'OOMKilled', exitCode: 137, signal: null, finishedAt, startedAt: finishedAt - 60_000, message: ''};
}

export function event(opts: Partial<EventRecord> & {reason: string; name: string}): EventRecord {
	return {
		uid: `ev-${opts.name}-${opts.reason}`,
		message: '',
		type: 'Warning',
		involvedKind: 'Pod',
		namespace: 'default',
		fieldPath: '',
		source: 'kubelet',
		count: 1,
		firstTime: 1_700_000_000_000,
		lastTime: 1_700_000_000_000,
		resourceVersion: '1',
		...opts,
	};
}
