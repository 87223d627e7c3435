/**
 * Workloads: which controller a pod belongs to, read from its controller owner reference.
 * - ReplicaSet `web-7d9f8c6b5` → Deployment `web`: the Deployment controller names its
 *   ReplicaSets `<deployment>-<pod-template-hash>`, the hash a SafeEncodeString of a 32-bit hash
 *   (alphabet bcdfghjklmnpqrstvwxz2456789, up to 10 characters; purely numeric before 1.8).
 *   A ReplicaSet whose name does not end that way stays a ReplicaSet.
 * - Job `backup-28473600` → CronJob `backup`: the CronJob controller names Jobs
 *   `<cronjob>-<scheduled time in minutes since the epoch>` (8+ digits); other Jobs stay Jobs.
 * - StatefulSet, DaemonSet and any other owner kind: that owner.
 * - No owner, or a Node (static/mirror pods): the pod itself, kind 'Pod'.
 */
import type {OwnerRef} from '../model/index.js';
import {max, min, quantile} from './stats.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job' | 'ReplicaSet' | 'Pod' | (string & {});

export interface Workload {
	kind: WorkloadKind;
	name: string;
}

const templateHash = /^(.+)-([bcdfghjklmnpqrstvwxz2456789]{5,10}|\d{5,10})$/;
const cronJobSuffix = /^(.+)-(\d{8,})$/;

export function ownerWorkload(pod: {namespace: string; name: string; owner: OwnerRef | null}): Workload {
	const owner = pod.owner;
	if (owner === null || owner.name === '' || owner.kind === 'Node') return {kind: 'Pod', name: pod.name};
	if (owner.kind === 'ReplicaSet') {
		const m = templateHash.exec(owner.name);
		return m ? {kind: 'Deployment', name: m[1]!} : {kind: 'ReplicaSet', name: owner.name};
	}

	if (owner.kind === 'Job') {
		const m = cronJobSuffix.exec(owner.name);
		return m ? {kind: 'CronJob', name: m[1]!} : {kind: 'Job', name: owner.name};
	}

	return {kind: owner.kind, name: owner.name};
}

/** Stable key of a workload within its namespace: "ns/Kind/name". */
export function workloadKey(namespace: string, w: Workload): string {
	return `${namespace}/${w.kind}/${w.name}`;
}

export interface Spread {
	min: number;
	median: number;
	max: number;
}

/** min, median and max of the finite values (NaN for all three when there are none). */
export function spread(values: ArrayLike<number>): Spread {
	return {min: min(values), median: quantile(values, 0.5), max: max(values)};
}

export interface WorkloadMember {
	namespace: string;
	name: string;
	owner: OwnerRef | null;
	workingSetBytes: number | null;
	requestBytes: number | null;
	limitBytes: number | null;
}

export interface WorkloadGroup {
	key: string;
	namespace: string;
	kind: WorkloadKind;
	name: string;
	pods: number;
	/** pods with a working-set sample */
	sampled: number;
	workingSetBytes: number | null;
	requestBytes: number | null;
	/** null when any member has no limit */
	limitBytes: number | null;
	spread: Spread;
}

/** Group pods by workload with sums and the spread of working set across replicas. */
export function groupByWorkload(members: Iterable<WorkloadMember>): WorkloadGroup[] {
	const groups = new Map<string, {g: WorkloadGroup; ws: number[]; unbounded: boolean}>();
	for (const m of members) {
		const w = ownerWorkload(m);
		const key = workloadKey(m.namespace, w);
		let e = groups.get(key);
		if (!e) {
			e = {
				g: {key, namespace: m.namespace, kind: w.kind, name: w.name, pods: 0, sampled: 0, workingSetBytes: null, requestBytes: null, limitBytes: null, spread: {min: Number.NaN, median: Number.NaN, max: Number.NaN}},
				ws: [],
				unbounded: false,
			};
			groups.set(key, e);
		}

		const g = e.g;
		g.pods++;
		if (m.workingSetBytes !== null && Number.isFinite(m.workingSetBytes)) {
			g.sampled++;
			e.ws.push(m.workingSetBytes);
			g.workingSetBytes = (g.workingSetBytes ?? 0) + m.workingSetBytes;
		}

		if (m.requestBytes !== null) g.requestBytes = (g.requestBytes ?? 0) + m.requestBytes;
		if (m.limitBytes === null) e.unbounded = true;
		else g.limitBytes = (g.limitBytes ?? 0) + m.limitBytes;
	}

	const out: WorkloadGroup[] = [];
	for (const e of groups.values()) {
		if (e.unbounded) e.g.limitBytes = null;
		e.g.spread = spread(e.ws);
		out.push(e.g);
	}

	return out;
}
