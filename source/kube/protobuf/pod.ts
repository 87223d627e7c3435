/**
 * A Pod in protobuf (k8s.io/api/core/v1 generated.proto) read into the shape of its JSON, with only
 * the fields the door reads (convert.ts, memory/pod-resources.ts): the door then checks and slims
 * it exactly as it does a JSON pod, so both encodings give the same record (a test compares them
 * on the test cluster's pods). Field numbers are the .proto's; everything else is stepped over
 * without being decoded (managedFields, env, volumes, probes: most of a pod's bytes).
 *
 * Where the encodings differ, the JSON form is what is built: a time is the RFC 3339 string of its
 * whole seconds (JSON drops the nanoseconds), the zero time is left out (JSON writes null), and a
 * map of quantities is an object of their strings.
 */
import {BYTES, Reader, VARINT} from './wire.js';

type Raw = Record<string, unknown>;

/** seconds of Go's zero time.Time, which metav1.Time writes for an unset non-pointer time */
const zeroTimeSeconds = -62_135_596_800;
/** the range of a JavaScript Date, in seconds */
const maxSeconds = 8.64e12;

/**
 * The RFC 3339 text of recent times: a list's pods share most of theirs (created, started and
 * finished in the same seconds), and a Date and two strings each took a tenth of the decode.
 */
const timeTexts = new Map<number, string>();

/** metav1.Time {seconds = 1, nanos = 2} */
export function time(r: Reader): string | undefined {
	let seconds = 0;
	while (r.next()) {
		if (r.field === 1 && r.wire === VARINT) seconds = r.int();
		else r.skip();
	}

	if (seconds === zeroTimeSeconds || Math.abs(seconds) > maxSeconds) return undefined;
	let text = timeTexts.get(seconds);
	if (text === undefined) {
		if (timeTexts.size >= 4096) timeTexts.clear();
		text = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
		timeTexts.set(seconds, text);
	}

	return text;
}

/** map<string, Quantity>: entries {key = 1, value = 2: Quantity {string = 1}} */
function quantities(r: Reader, into: Raw): void {
	let key = '';
	let value = '';
	while (r.next()) {
		if (r.field === 1 && r.wire === BYTES) key = r.string();
		else if (r.field === 2 && r.wire === BYTES) {
			const q = r.message();
			while (q.next()) {
				if (q.field === 1 && q.wire === BYTES) value = q.string();
				else q.skip();
			}
		} else r.skip();
	}

	into[key] = value;
}

/** ResourceRequirements {limits = 1, requests = 2} */
function resources(r: Reader): Raw {
	const limits: Raw = {};
	const requests: Raw = {};
	while (r.next()) {
		if (r.field === 1 && r.wire === BYTES) quantities(r.message(), limits);
		else if (r.field === 2 && r.wire === BYTES) quantities(r.message(), requests);
		else r.skip();
	}

	return {limits, requests};
}

/** Container {name = 1, resources = 8, restartPolicy = 24} */
function container(r: Reader): Raw {
	const c: Raw = {};
	while (r.next()) {
		if (r.wire !== BYTES) r.skip();
		else if (r.field === 1) c['name'] = r.string();
		else if (r.field === 8) c['resources'] = resources(r.message());
		else if (r.field === 24) c['restartPolicy'] = r.string();
		else r.skip();
	}

	return c;
}

/** OwnerReference {kind = 1, name = 3, controller = 6} */
function ownerReference(r: Reader): Raw {
	const o: Raw = {};
	while (r.next()) {
		if (r.field === 1 && r.wire === BYTES) o['kind'] = r.string();
		else if (r.field === 3 && r.wire === BYTES) o['name'] = r.string();
		else if (r.field === 6 && r.wire === VARINT) o['controller'] = r.bool();
		else r.skip();
	}

	return o;
}

/** ObjectMeta {name = 1, namespace = 3, uid = 5, resourceVersion = 6, creationTimestamp = 8, deletionTimestamp = 9, ownerReferences = 13} */
export function objectMeta(r: Reader): Raw {
	const m: Raw = {};
	const owners: Raw[] = [];
	while (r.next()) {
		if (r.wire !== BYTES) r.skip();
		else if (r.field === 1) m['name'] = r.string();
		else if (r.field === 3) m['namespace'] = r.string();
		else if (r.field === 5) m['uid'] = r.string();
		else if (r.field === 6) m['resourceVersion'] = r.string();
		else if (r.field === 8) m['creationTimestamp'] = time(r.message());
		else if (r.field === 9) m['deletionTimestamp'] = time(r.message());
		else if (r.field === 13) owners.push(ownerReference(r.message()));
		else r.skip();
	}

	if (owners.length > 0) m['ownerReferences'] = owners;
	return m;
}

/** PodSpec {containers = 2, nodeName = 10, initContainers = 20, priority = 25, overhead = 32, resources = 40} */
function podSpec(r: Reader): Raw {
	const s: Raw = {};
	const containers: Raw[] = [];
	const inits: Raw[] = [];
	let overhead: Raw | undefined;
	while (r.next()) {
		if (r.field === 25 && r.wire === VARINT) s['priority'] = r.int32();
		else if (r.wire !== BYTES) r.skip();
		else if (r.field === 2) containers.push(container(r.message()));
		else if (r.field === 20) inits.push(container(r.message()));
		else if (r.field === 10) s['nodeName'] = r.string();
		else if (r.field === 32) quantities(r.message(), (overhead ??= {}));
		else if (r.field === 40) s['resources'] = resources(r.message());
		else r.skip();
	}

	s['containers'] = containers;
	if (inits.length > 0) s['initContainers'] = inits;
	if (overhead) s['overhead'] = overhead;
	return s;
}

/** ContainerStateTerminated {exitCode = 1, signal = 2, reason = 3, message = 4, startedAt = 5, finishedAt = 6} */
function terminated(r: Reader): Raw {
	const t: Raw = {};
	while (r.next()) {
		if (r.field === 1 && r.wire === VARINT) t['exitCode'] = r.int32();
		else if (r.field === 2 && r.wire === VARINT) {
			// JSON leaves a zero signal out (omitempty), protobuf writes it: the door must see the same
			const signal = r.int32();
			if (signal !== 0) t['signal'] = signal;
		} else if (r.wire !== BYTES) r.skip();
		else if (r.field === 3) t['reason'] = r.string();
		else if (r.field === 4) t['message'] = r.string();
		else if (r.field === 5) t['startedAt'] = time(r.message());
		else if (r.field === 6) t['finishedAt'] = time(r.message());
		else r.skip();
	}

	return t;
}

/** ContainerState {waiting = 1 {reason = 1}, running = 2, terminated = 3} */
function state(r: Reader): Raw {
	const s: Raw = {};
	while (r.next()) {
		if (r.wire !== BYTES) r.skip();
		else if (r.field === 1) {
			const w = r.message();
			const waiting: Raw = {};
			while (w.next()) {
				if (w.field === 1 && w.wire === BYTES) waiting['reason'] = w.string();
				else w.skip();
			}

			s['waiting'] = waiting;
		} else if (r.field === 2) {
			r.skip(); // running carries nothing memtop keeps
			s['running'] = {};
		} else if (r.field === 3) s['terminated'] = terminated(r.message());
		else r.skip();
	}

	return s;
}

/** ContainerStatus {name = 1, state = 2, lastState = 3, restartCount = 5} */
function containerStatus(r: Reader): Raw {
	const c: Raw = {};
	while (r.next()) {
		if (r.field === 5 && r.wire === VARINT) c['restartCount'] = r.int32();
		else if (r.wire !== BYTES) r.skip();
		else if (r.field === 1) c['name'] = r.string();
		else if (r.field === 2) c['state'] = state(r.message());
		else if (r.field === 3) c['lastState'] = state(r.message());
		else r.skip();
	}

	return c;
}

/** PodStatus {phase = 1, message = 3, reason = 4, containerStatuses = 8, qosClass = 9, initContainerStatuses = 10} */
function podStatus(r: Reader): Raw {
	const s: Raw = {};
	const apps: Raw[] = [];
	const inits: Raw[] = [];
	while (r.next()) {
		if (r.wire !== BYTES) r.skip();
		else if (r.field === 1) s['phase'] = r.string();
		else if (r.field === 3) s['message'] = r.string();
		else if (r.field === 4) s['reason'] = r.string();
		else if (r.field === 8) apps.push(containerStatus(r.message()));
		else if (r.field === 9) s['qosClass'] = r.string();
		else if (r.field === 10) inits.push(containerStatus(r.message()));
		else r.skip();
	}

	if (apps.length > 0) s['containerStatuses'] = apps;
	if (inits.length > 0) s['initContainerStatuses'] = inits;
	return s;
}

/** Pod {metadata = 1, spec = 2, status = 3}, as the JSON-shaped object the door reads */
export function podFromProto(r: Reader): Raw {
	const p: Raw = {};
	while (r.next()) {
		if (r.wire !== BYTES) r.skip();
		else if (r.field === 1) p['metadata'] = objectMeta(r.message());
		else if (r.field === 2) p['spec'] = podSpec(r.message());
		else if (r.field === 3) p['status'] = podStatus(r.message());
		else r.skip();
	}

	return p;
}
