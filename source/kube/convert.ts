/**
 * The door: raw API objects become slim records here, and nothing else of them is kept. Every
 * field is read with the type the API gives it (fields.ts): an item of another shape is skipped,
 * a figure that is not one is dropped (door.ts), and neither costs the rest of the list. Every
 * string shown is passed through `clean` so nothing from the cluster can steer the terminal; the
 * pod's key and raw names keep what the server sent.
 */
import {containerMemory, podMemory, podMemoryFromSpec, qosFromSpec} from '../memory/pod-resources.js';
import type {ContainerRecord, EventRecord, NodeRecord, OwnerRef, PodRecord, QosClass, Termination} from '../model/index.js';
import {bytes, count, guard, int32, podKey, quiet, time, type Faults} from './door.js';
import {at, bool, isObject, item, list, name, obj, str, type Raw} from './fields.js';
import {clean, cleanShared} from './sanitize.js';

export {MetricsBuilder, evictionHardValue, nodeSummary} from './samples.js';
export {podKeyOf} from './door.js';
export type {Faults} from './door.js';

function termination(parent: Raw, key: string, where: string, faults: Faults): Termination | null {
	if (parent[key] === undefined || parent[key] === null) return null;
	const t = obj(parent, key, where);
	const tw = `${where}.${key}`;
	return {
		reason: cleanShared(str(t, 'reason', tw), 64),
		exitCode: int32(t, 'exitCode', tw, faults) ?? 0,
		signal: int32(t, 'signal', tw, faults),
		startedAt: time(str(t, 'startedAt', tw)),
		finishedAt: time(str(t, 'finishedAt', tw)),
		message: clean(str(t, 'message', tw), 200),
	};
}

type ContainerStatus = Pick<ContainerRecord, 'restarts' | 'state' | 'stateReason' | 'lastTermination' | 'currentTermination'>;

const noStatus: ContainerStatus = {restarts: 0, state: 'unknown', stateReason: '', lastTermination: null, currentTermination: null};

function containerStatus(s: Raw, where: string, faults: Faults): ContainerStatus {
	const state = obj(s, 'state', where);
	const sw = `${where}.state`;
	obj(state, 'running', sw); // a running state carries nothing memtop keeps
	const waiting = obj(state, 'waiting', sw);
	const terminated = obj(state, 'terminated', sw);
	let stateName: ContainerRecord['state'] = 'unknown';
	let stateReason = '';
	if (state['running']) {
		stateName = 'running';
	} else if (state['waiting']) {
		stateName = 'waiting';
		stateReason = cleanShared(str(waiting, 'reason', `${sw}.waiting`), 64);
	} else if (state['terminated']) {
		stateName = 'terminated';
		stateReason = cleanShared(str(terminated, 'reason', `${sw}.terminated`), 64);
	}

	return {
		restarts: count(s, 'restartCount', where, faults) ?? 0,
		state: stateName,
		stateReason,
		lastTermination: termination(obj(s, 'lastState', where), 'terminated', `${where}.lastState`, faults),
		currentTermination: termination(state, 'terminated', sw, faults),
	};
}

function containerRecord(spec: Raw, where: string, kind: ContainerRecord['kind'], status: ContainerStatus | undefined, faults: Faults): ContainerRecord {
	// the figures are checked here (a refused one is told); containerMemory leaves them out the same way
	const resources = obj(spec, 'resources', where);
	const rw = `${where}.resources`;
	bytes(obj(resources, 'limits', rw)['memory'], `${rw}.limits.memory`, faults);
	bytes(obj(resources, 'requests', rw)['memory'], `${rw}.requests.memory`, faults);
	return {
		name: cleanShared(spec['name'], 128),
		kind,
		...containerMemory(spec),
		...(status ?? noStatus),
	};
}

function owner(meta: Raw): OwnerRef | null {
	const refs = list(meta, 'ownerReferences', 'metadata');
	let chosen: Raw | null = null;
	for (let i = 0; i < refs.length; i++) {
		const ref = at(refs, i, 'metadata.ownerReferences');
		const where = `metadata.ownerReferences[${i}]`;
		str(ref, 'kind', where);
		str(ref, 'name', where);
		if (chosen === null || (bool(ref, 'controller', where) && chosen['controller'] !== true)) chosen = ref;
	}

	return chosen === null ? null : {kind: cleanShared(chosen['kind'], 64), name: cleanShared(chosen['name'], 253)};
}

const qosNames = new Set(['Guaranteed', 'Burstable', 'BestEffort']);
const statusLists = [
	['containerStatuses', 'status.containerStatuses'],
	['initContainerStatuses', 'status.initContainerStatuses'],
] as const;

function statuses(status: Raw, faults: Faults): Map<string, ContainerStatus> {
	const byName = new Map<string, ContainerStatus>();
	for (const [key, where] of statusLists) {
		const items = list(status, key, 'status');
		for (let i = 0; i < items.length; i++) {
			const s = at(items, i, where);
			const w = `${where}[${i}]`;
			byName.set(name(s, 'name', w), containerStatus(s, w, faults));
		}
	}

	return byName;
}

function containers(spec: Raw, byName: Map<string, ContainerStatus>, faults: Faults): ContainerRecord[] {
	const out: ContainerRecord[] = [];
	const inits = list(spec, 'initContainers', 'spec');
	for (let i = 0; i < inits.length; i++) {
		const c = at(inits, i, 'spec.initContainers');
		const where = `spec.initContainers[${i}]`;
		const kind = str(c, 'restartPolicy', where) === 'Always' ? 'sidecar' : 'init';
		out.push(containerRecord(c, where, kind, byName.get(name(c, 'name', where)), faults));
	}

	const apps = list(spec, 'containers', 'spec');
	for (let i = 0; i < apps.length; i++) {
		const c = at(apps, i, 'spec.containers');
		const where = `spec.containers[${i}]`;
		out.push(containerRecord(c, where, 'app', byName.get(name(c, 'name', where)), faults));
	}

	return out;
}

function pod(o: unknown, faults: Faults): PodRecord {
	const top = item(o);
	const meta = obj(top, 'metadata', '');
	const rawName = name(meta, 'name', 'metadata');
	const rawNamespace = str(meta, 'namespace', 'metadata');
	const spec = obj(top, 'spec', '');
	const status = obj(top, 'status', '');
	const records = containers(spec, statuses(status, faults), faults);
	const resources = obj(spec, 'resources', 'spec');
	const overhead = bytes(obj(spec, 'overhead', 'spec')['memory'], 'spec.overhead.memory', faults);
	// pod-level resources (spec.resources) are rare: only then parse the spec a second time
	let totals = podMemory(records, overhead);
	if (isObject(spec['resources'])) {
		bytes(obj(resources, 'requests', 'spec.resources')['memory'], 'spec.resources.requests.memory', faults);
		bytes(obj(resources, 'limits', 'spec.resources')['memory'], 'spec.resources.limits.memory', faults);
		totals = podMemoryFromSpec(spec);
	}

	const qosRaw = str(status, 'qosClass', 'status');
	const qos: QosClass = qosNames.has(qosRaw) ? (qosRaw as QosClass) : qosFromSpec(spec);
	let restarts = 0;
	for (const c of records) restarts += c.restarts;
	const namespace = cleanShared(rawNamespace, 63);
	const shownName = clean(rawName, 253);
	return {
		key: podKey(rawNamespace, rawName),
		uid: clean(str(meta, 'uid', 'metadata'), 64),
		namespace,
		name: shownName,
		rawNamespace: rawNamespace === namespace ? namespace : rawNamespace,
		rawName,
		nodeName: cleanShared(str(spec, 'nodeName', 'spec'), 253),
		phase: cleanShared(str(status, 'phase', 'status'), 32) || 'Pending',
		reason: cleanShared(str(status, 'reason', 'status'), 64),
		message: clean(str(status, 'message', 'status'), 300),
		qos,
		priority: int32(spec, 'priority', 'spec', faults) ?? 0,
		requestBytes: totals.requestBytes,
		limitBytes: totals.limitBytes,
		containers: records,
		restarts,
		owner: owner(meta),
		createdAt: time(str(meta, 'creationTimestamp', 'metadata')) ?? 0,
		deleting: str(meta, 'deletionTimestamp', 'metadata') !== '',
		resourceVersion: str(meta, 'resourceVersion', 'metadata'),
	};
}

/** a Pod as memtop keeps it; null when it is malformed (told to `faults`) */
export function podFromObject(o: unknown, faults: Faults = quiet): PodRecord | null {
	return guard(faults, () => pod(o, faults));
}

function node(o: unknown, faults: Faults): NodeRecord {
	const top = item(o);
	const meta = obj(top, 'metadata', '');
	const rawName = name(meta, 'name', 'metadata');
	const status = obj(top, 'status', '');
	let memoryPressure = false;
	let memoryPressureSince: number | null = null;
	let ready = false;
	const conditions = list(status, 'conditions', 'status');
	for (let i = 0; i < conditions.length; i++) {
		const c = at(conditions, i, 'status.conditions');
		const where = `status.conditions[${i}]`;
		const type = str(c, 'type', where);
		const on = str(c, 'status', where) === 'True';
		const since = time(str(c, 'lastTransitionTime', where));
		if (type === 'MemoryPressure') {
			memoryPressure = on;
			memoryPressureSince = since;
		} else if (type === 'Ready') {
			ready = on;
		}
	}

	let internalIP = '';
	const addresses = list(status, 'addresses', 'status');
	for (let i = 0; i < addresses.length; i++) {
		const a = at(addresses, i, 'status.addresses');
		const address = str(a, 'address', `status.addresses[${i}]`);
		if (str(a, 'type', `status.addresses[${i}]`) === 'InternalIP' && !internalIP) internalIP = clean(address, 64);
	}

	const endpoint = obj(obj(status, 'daemonEndpoints', 'status'), 'kubeletEndpoint', 'status.daemonEndpoints');
	const port = int32(endpoint, 'Port', 'status.daemonEndpoints.kubeletEndpoint', faults);
	return {
		name: clean(rawName, 253),
		uid: clean(str(meta, 'uid', 'metadata'), 64),
		capacityBytes: bytes(obj(status, 'capacity', 'status')['memory'], 'status.capacity.memory', faults),
		allocatableBytes: bytes(obj(status, 'allocatable', 'status')['memory'], 'status.allocatable.memory', faults),
		memoryPressure,
		memoryPressureSince,
		ready,
		unschedulable: bool(obj(top, 'spec', ''), 'unschedulable', 'spec'),
		kubeletPort: port !== null && port > 0 && port < 65536 ? port : null,
		internalIP,
		createdAt: time(str(meta, 'creationTimestamp', 'metadata')) ?? 0,
		resourceVersion: str(meta, 'resourceVersion', 'metadata'),
	};
}

/** a Node as memtop keeps it; null when it is malformed (told to `faults`) */
export function nodeFromObject(o: unknown, faults: Faults = quiet): NodeRecord | null {
	return guard(faults, () => node(o, faults));
}

/** the key of a raw node: the store keeps nodes by their shown name */
export function nodeKeyOf(raw: unknown): string {
	const n = (raw as {metadata?: {name?: unknown}} | null)?.metadata?.name;
	return typeof n === 'string' ? clean(n, 253) : '';
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

function event(o: unknown, faults: Faults): EventRecord | null {
	const top = item(o);
	const reason = str(top, 'reason', '');
	if (!memoryEventReasons.has(reason)) return null;
	const meta = obj(top, 'metadata', '');
	// core/v1 Events name the object in involvedObject, events.k8s.io/v1 in regarding
	const inv = top['involvedObject'] ? obj(top, 'involvedObject', '') : obj(top, 'regarding', '');
	const series = obj(top, 'series', '');
	const first = time(str(top, 'firstTimestamp', '')) ?? time(str(top, 'eventTime', '')) ?? time(str(meta, 'creationTimestamp', 'metadata')) ?? 0;
	const last = time(str(top, 'lastTimestamp', '')) ?? time(str(series, 'lastObservedTime', 'series')) ?? first;
	const source = str(obj(top, 'source', ''), 'component', 'source') || str(top, 'reportingComponent', '') || str(top, 'reportingController', '');
	const uid = str(meta, 'uid', 'metadata');
	return {
		uid: clean(uid, 64) || `${clean(str(meta, 'namespace', 'metadata'))}/${clean(str(meta, 'name', 'metadata'))}`,
		reason,
		message: clean(str(top, 'message', '') || str(top, 'note', ''), 400),
		type: clean(str(top, 'type', ''), 16),
		involvedKind: clean(str(inv, 'kind', 'involvedObject'), 32),
		namespace: clean(str(inv, 'namespace', 'involvedObject'), 63),
		name: clean(str(inv, 'name', 'involvedObject'), 253),
		fieldPath: clean(str(inv, 'fieldPath', 'involvedObject'), 128),
		source: clean(source, 64),
		count: Math.max(1, count(top, 'count', '', faults) || count(series, 'count', 'series', faults) || 1),
		firstTime: first,
		lastTime: last,
		resourceVersion: str(meta, 'resourceVersion', 'metadata'),
	};
}

/** a memory Event as the feed keeps it; null for any other Event, or when it is malformed (told to `faults`) */
export function eventFromObject(o: unknown, faults: Faults = quiet): EventRecord | null {
	return guard(faults, () => event(o, faults));
}
