/**
 * The scheduler: node selectors, taints and tolerations, and memory requests against allocatable.
 * A pod goes to the fitting node with the lowest share of its allocatable memory requested; a pod
 * that fits nowhere stays Pending with the scheduler's FailedScheduling message, retried every 5 s.
 */
import type {Cluster} from './cluster.js';
import type {PodTemplate, WorkloadSpec} from './cluster-spec.js';
import {podRef} from './events.js';
import type {NodeModel, PodModel} from './models.js';
import {parseBytes} from './quantity.js';

interface Taint {
	key: string;
	effect: string;
}

export function selects(template: PodTemplate, node: NodeModel): boolean {
	for (const [key, value] of Object.entries(template.nodeSelector ?? {})) {
		if (node.spec.labels?.[key] !== value) {
			return false;
		}
	}

	return true;
}

export function taintsOf(node: NodeModel): Taint[] {
	const taints: Taint[] = [];
	if (node.spec.controlPlane) {
		taints.push({key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'});
	}

	if (node.tainted) {
		taints.push({key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule'});
	}

	return taints;
}

export function tolerates(workload: WorkloadSpec, node: NodeModel): boolean {
	const tolerations = tolerationsOf(workload);
	for (const taint of taintsOf(node)) {
		const ok = tolerations.some((t) => (t['operator'] === 'Exists' && t['key'] === undefined) || (t['key'] === taint.key && (t['effect'] === undefined || t['effect'] === taint.effect)));
		if (!ok) {
			return false;
		}
	}

	return true;
}

/** the pod's tolerations; the DaemonSet controller adds the node-condition ones */
export function tolerationsOf(workload: WorkloadSpec): Array<Record<string, unknown>> {
	const own = workload.template.tolerations ?? [];
	if (workload.kind !== 'DaemonSet') {
		return own;
	}

	return [
		...own,
		{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute'},
		{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute'},
		{key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule'},
		{key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule'},
		{key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule'},
		{key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule'},
	];
}

/** The pod's effective memory request: apps and sidecars together, or the largest init step, plus overhead. */
export function podRequest(pod: PodModel): number {
	let apps = 0;
	let maxInit = 0;
	for (const c of pod.containers) {
		const request = c.reqMem ?? 0;
		if (c.kind === 'init') {
			maxInit = Math.max(maxInit, apps + request);
		} else {
			apps += request;
		}
	}

	const overhead = pod.workload.spec.template.overhead?.memory;
	return Math.max(apps, maxInit) + (overhead === undefined ? 0 : parseBytes(overhead));
}

export function bind(cluster: Cluster, pod: PodModel, node: NodeModel, at: number): void {
	pod.node = node.name;
	pod.ip = `10.244.${node.index}.${2 + (cluster.podIpSeq++ % 250)}`;
	pod.cond('PodScheduled', 'True', at);
	pod.stage = 'creating';
	pod.stageUntil = at + 2000;
	pod.dirty = true;
}

export function schedule(cluster: Cluster, now: number): void {
	for (const pod of cluster.pods) {
		if (pod.stage !== 'unscheduled' || pod.deletionAt !== null || now - pod.lastScheduleAttempt < 5000) {
			continue;
		}

		pod.lastScheduleAttempt = now;
		const template = pod.workload.spec.template;
		const request = podRequest(pod);
		const reasons = new Map<string, number>();
		let best: NodeModel | null = null;
		let bestScore = Number.POSITIVE_INFINITY;
		for (const node of cluster.nodes) {
			let reason = '';
			if (!selects(template, node)) {
				reason = "node(s) didn't match Pod's node affinity/selector";
			} else if (!tolerates(pod.workload.spec, node)) {
				const taint = taintsOf(node).find((t) => !tolerationsOf(pod.workload.spec).some((tol) => tol['key'] === t.key));
				reason = `node(s) had untolerated taint {${taint?.key ?? ''}: }`;
			} else {
				const used = cluster.pods.filter((p) => p.node === node.name && p.active).reduce((sum, p) => sum + podRequest(p), 0);
				if (used + request > node.allocatable) {
					reason = 'Insufficient memory';
				} else {
					const score = (used + request) / node.allocatable;
					if (score < bestScore) {
						bestScore = score;
						best = node;
					}
				}
			}

			if (reason !== '') {
				reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
			}
		}

		if (best) {
			bind(cluster, pod, best, now);
			cluster.events.record(podRef(pod), 'Normal', 'Scheduled', `Successfully assigned ${pod.namespace}/${pod.name} to ${best.name}`, 'default-scheduler');
		} else {
			// The scheduler sorts the "<count> <reason>" strings.
			const parts = [...reasons.entries()].map(([reason, count]) => `${count} ${reason}`).sort();
			const total = cluster.nodes.length;
			const message = `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
			pod.cond('PodScheduled', 'False', now, 'Unschedulable', message);
			cluster.events.record(podRef(pod), 'Warning', 'FailedScheduling', message, 'default-scheduler');
		}
	}
}
