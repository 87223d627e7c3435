/**
 * Events, as the components of a cluster record them: the object an event is about, the
 * recorder that folds a repeat into a count (as client-go's event correlator does) and lets them
 * expire after an hour (the API server's event TTL), and the Event object itself.
 */
import type {ContainerModel, NodeModel, PodModel} from './models.js';
import {JsonObj, type ObjectStore} from './objects.js';
import type {Rng} from './prng.js';
import {rfc3339} from './quantity.js';

/** The involvedObject of an event. */
export interface EventRef {
	kind: string;
	namespace: string;
	name: string;
	uid: string;
	apiVersion: string;
	fieldPath?: string;
}

type EventType = 'Normal' | 'Warning';

type EventObject = Record<string, unknown> & {metadata: Record<string, unknown>};

interface EventRecord {
	namespace: string;
	name: string;
	value: EventObject;
	count: number;
	last: number;
}

export function podRef(pod: PodModel, c?: ContainerModel): EventRef {
	const ref: EventRef = {kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid, apiVersion: 'v1'};
	if (c) {
		ref.fieldPath = c.kind === 'app' ? `spec.containers{${c.spec.name}}` : `spec.initContainers{${c.spec.name}}`;
	}

	return ref;
}

export function nodeRef(node: NodeModel | string): EventRef {
	const name = typeof node === 'string' ? node : node.name;
	// The kubelet and node-problem-detector use the node name as the reference UID.
	return {kind: 'Node', namespace: '', name, uid: name, apiVersion: 'v1'};
}

/** An event's name: the object's name and the creation time in nanoseconds, in hex. */
export function eventName(objectName: string, now: number, seq: number): string {
	const nanos = BigInt(now) * 1_000_000n + BigInt(seq % 1_000_000);
	return `${objectName}.${nanos.toString(16)}`;
}

/** A v1 Event seen for the first time (count 1); events about a node live in `default`. */
export function eventObject(ref: EventRef, type: EventType, reason: string, message: string, component: string, host: string | undefined, name: string, uid: string, now: number): EventObject {
	const involved: Record<string, unknown> = {kind: ref.kind};
	if (ref.namespace !== '') {
		involved['namespace'] = ref.namespace;
	}

	involved['name'] = ref.name;
	involved['uid'] = ref.uid;
	involved['apiVersion'] = ref.apiVersion;
	if (ref.fieldPath) {
		involved['fieldPath'] = ref.fieldPath;
	}

	const source: Record<string, unknown> = {component};
	if (host) {
		source['host'] = host;
	}

	return {
		kind: 'Event',
		apiVersion: 'v1',
		metadata: {name, namespace: ref.namespace === '' ? 'default' : ref.namespace, uid, resourceVersion: '', creationTimestamp: rfc3339(now)},
		involvedObject: involved,
		reason,
		message,
		source,
		firstTimestamp: rfc3339(now),
		lastTimestamp: rfc3339(now),
		count: 1,
		type,
		eventTime: null,
		reportingComponent: component,
		reportingInstance: host ?? '',
	};
}

export class EventRecorder {
	private readonly records = new Map<string, EventRecord>();
	private seq = 0;

	constructor(
		private readonly store: ObjectStore,
		private readonly rng: Rng,
		private readonly clock: {readonly now: number},
	) {}

	/** Record an event now; the same event again within 10 minutes bumps the count of the first. */
	record(ref: EventRef, type: EventType, reason: string, message: string, component: string, host?: string): void {
		const namespace = ref.namespace === '' ? 'default' : ref.namespace;
		const key = `${namespace}|${ref.kind}|${ref.name}|${ref.uid}|${ref.fieldPath ?? ''}|${reason}|${message}|${component}`;
		const now = this.clock.now;
		const existing = this.records.get(key);
		if (existing && now - existing.last < 600_000) {
			existing.count++;
			existing.last = now;
			existing.value = {...existing.value, count: existing.count, lastTimestamp: rfc3339(now)};
			this.store.put('events', new JsonObj(existing.value));
			return;
		}

		if (existing) {
			this.store.delete('events', existing.namespace, existing.name);
		}

		const name = eventName(ref.name, now, this.seq++);
		const value = eventObject(ref, type, reason, message, component, host, name, this.rng.uuid(), now);
		this.records.set(key, {namespace, name, value, count: 1, last: now});
		this.store.put('events', new JsonObj(value));
	}

	/** Delete the events last seen an hour ago or more. */
	expire(now: number): void {
		for (const [key, record] of this.records) {
			if (now - record.last >= 3_600_000) {
				this.records.delete(key);
				this.store.delete('events', record.namespace, record.name);
			}
		}
	}
}
