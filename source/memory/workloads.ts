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
import {percentOf, usageLevel, worstLevel, type Level} from './percent.js';
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
function workloadKey(namespace: string, w: Workload): string {
	return `${namespace}/${w.kind}/${w.name}`;
}

interface Spread {
	min: number;
	median: number;
	max: number;
}

/** min, median and max of the finite values (NaN for all three when there are none). */
export function spread(values: ArrayLike<number>): Spread {
	return {min: min(values), median: quantile(values, 0.5), max: max(values)};
}

export type GroupBy = 'workload' | 'namespace';

/** which group a pod belongs to: its workload ("ns/Kind/name"), or its namespace ("ns") */
export interface GroupId {
	key: string;
	namespace: string;
	kind: string;
	name: string;
}

export function groupId(pod: {namespace: string; name: string; owner: OwnerRef | null}, by: GroupBy): GroupId {
	if (by === 'namespace') return {key: pod.namespace, namespace: pod.namespace, kind: 'Namespace', name: pod.namespace};
	const w = ownerWorkload(pod);
	return {key: workloadKey(pod.namespace, w), namespace: pod.namespace, kind: w.kind, name: w.name};
}

/** one pod as a group member; the object may be reused between members (nothing keeps it) */
export interface WorkloadMember {
	id: GroupId;
	/** false for a finished pod: counted apart, in no sum */
	live: boolean;
	workingSetBytes: number | null;
	requestBytes: number | null;
	limitBytes: number | null;
	restarts: number;
}

export interface WorkloadGroup extends GroupId {
	/** pods that hold memory */
	pods: number;
	/** finished pods (Succeeded, Failed, Evicted): in no sum */
	finished: number;
	/** live pods with a working-set sample */
	sampled: number;
	workingSetBytes: number | null;
	requestBytes: number | null;
	/** null when any live member has no limit */
	limitBytes: number | null;
	pctLimit: number | null;
	spread: Spread;
	restarts: number;
	/** worst level among its live pods (% of their limits) */
	level: Level;
	/** positions of its members in the input, in input order */
	members: number[];
}

/**
 * Group pods by workload (or namespace) with sums over the pods that hold memory and the spread
 * of working set across replicas; groups in key order. Every screen and output that shows a
 * workload or namespace sum reads this.
 */
export function groupByWorkload(members: Iterable<WorkloadMember>): WorkloadGroup[] {
	const groups = new Map<string, {g: WorkloadGroup; ws: number[]; unbounded: boolean}>();
	let index = 0;
	for (const m of members) {
		let e = groups.get(m.id.key);
		if (!e) {
			const nan = Number.NaN;
			e = {
				g: {...m.id, pods: 0, finished: 0, sampled: 0, workingSetBytes: null, requestBytes: null, limitBytes: null, pctLimit: null, spread: {min: nan, median: nan, max: nan}, restarts: 0, level: 'ok', members: []},
				ws: [],
				unbounded: false,
			};
			groups.set(m.id.key, e);
		}

		const g = e.g;
		g.members.push(index++);
		if (!m.live) {
			g.finished++;
			continue;
		}

		g.pods++;
		g.restarts += m.restarts;
		if (m.workingSetBytes !== null && Number.isFinite(m.workingSetBytes)) {
			g.sampled++;
			e.ws.push(m.workingSetBytes);
			g.workingSetBytes = (g.workingSetBytes ?? 0) + m.workingSetBytes;
			g.level = worstLevel(g.level, usageLevel(percentOf(m.workingSetBytes, m.limitBytes)));
		}

		if (m.requestBytes !== null) g.requestBytes = (g.requestBytes ?? 0) + m.requestBytes;
		if (m.limitBytes === null) e.unbounded = true;
		else g.limitBytes = (g.limitBytes ?? 0) + m.limitBytes;
	}

	const out: WorkloadGroup[] = [];
	for (const e of groups.values()) {
		if (e.unbounded) e.g.limitBytes = null;
		e.g.spread = spread(e.ws);
		e.g.pctLimit = percentOf(e.g.workingSetBytes, e.g.limitBytes);
		out.push(e.g);
	}

	return out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}
