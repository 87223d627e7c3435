/**
 * Memory pressure on a node, as the kubelet's eviction manager handles it: MemoryPressure when
 * memory.available drops below the hard threshold (cleared after the transition period), and one
 * eviction per pass of the pod ranked first (rankMemoryPressure); and the kernel's global OOM
 * killer for the case the kubelet acts too late.
 */
import type {Cluster} from './cluster.js';
import {nodeRef, podRef} from './events.js';
import {containerDied} from './kubelet.js';
import {computeNodes} from './memory.js';
import type {NodeModel, PodModel} from './models.js';
import {binarySI, KI, MI} from './quantity.js';

function podWorkingSet(pod: PodModel): number {
	let ws = 0;
	for (const c of pod.containers) {
		if (c.running) {
			ws += c.ws;
		}
	}

	return ws;
}

/** kubelet rankMemoryPressure: exceeds requests, then priority (low first), then usage above request. */
export function rankForEviction(cluster: Cluster, node: string): PodModel[] {
	const pods = cluster.pods.filter((p) => p.node === node && p.active && p.containers.some((c) => c.running));
	const candidates = pods.filter((p) => (p.workload.spec.template.priority ?? 0) < 2_000_000_000 && p.workload.spec.kind !== 'Static');
	const info = new Map(candidates.map((p) => {
		const ws = podWorkingSet(p);
		const request = p.containers.filter((c) => c.kind !== 'init').reduce((sum, c) => sum + (c.reqMem ?? 0), 0);
		return [p, {ws, request, exceeds: ws > request, priority: p.workload.spec.template.priority ?? 0}] as const;
	}));
	return candidates.sort((a, b) => {
		const x = info.get(a);
		const y = info.get(b);
		if (!x || !y) {
			return 0;
		}

		if (x.exceeds !== y.exceeds) {
			return x.exceeds ? -1 : 1;
		}

		if (x.priority !== y.priority) {
			return x.priority - y.priority;
		}

		return y.ws - y.request - (x.ws - x.request);
	});
}

/** The eviction manager's pass over a node (every 10 s): pressure on or off, and one eviction while the threshold is met. */
export function evictionManager(cluster: Cluster, node: NodeModel, now: number): void {
	const met = node.available < node.threshold;
	if (met) {
		node.lastThresholdMet = now;
		if (!node.pressure) {
			node.pressure = true;
			node.pressureChanged = now;
			node.dirty = true;
			cluster.events.record(nodeRef(node), 'Normal', 'NodeHasInsufficientMemory', `Node ${node.name} status is now: NodeHasInsufficientMemory`, 'kubelet', node.name);
			cluster.incidents.push({time: now, kind: 'MemoryPressure', namespace: '', pod: '', container: '', node: node.name, detail: `available ${binarySI(Math.floor(node.available / KI) * KI)} < ${node.spec.evictionHard}`});
		}

		cluster.events.record(nodeRef(node), 'Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory', 'kubelet', node.name);
		cluster.incidents.push({time: now, kind: 'EvictionThresholdMet', namespace: '', pod: '', container: '', node: node.name, detail: 'Attempting to reclaim memory'});
		const victim = rankForEviction(cluster, node.name)[0];
		if (victim) {
			evictPod(cluster, victim, now, node);
		}
	} else if (node.pressure && now - node.lastThresholdMet >= node.spec.pressureTransition * 1000) {
		node.pressure = false;
		node.pressureChanged = now;
		node.dirty = true;
		node.systemOomFired = false;
		cluster.events.record(nodeRef(node), 'Normal', 'NodeHasSufficientMemory', `Node ${node.name} status is now: NodeHasSufficientMemory`, 'kubelet', node.name);
		cluster.incidents.push({time: now, kind: 'MemoryPressureCleared', namespace: '', pod: '', container: '', node: node.name, detail: ''});
	}
}

function evictionMessage(pod: PodModel, node: NodeModel): string {
	const available = Math.floor(node.available / KI) * KI;
	let message = `The node was low on resource: memory. Threshold quantity: ${node.spec.evictionHard}, available: ${binarySI(available)}. `;
	for (const c of pod.containers) {
		if (!c.running || c.kind === 'init') {
			continue;
		}

		const request = c.spec.requests?.memory ?? c.spec.limits?.memory ?? '0';
		if (c.ws > (c.reqMem ?? 0)) {
			message += `Container ${c.spec.name} was using ${binarySI(Math.floor(c.ws / KI) * KI)}, request is ${request}, has larger consumption of memory. `;
		}
	}

	return message;
}

export function evictPod(cluster: Cluster, pod: PodModel, now: number, node: NodeModel): void {
	const message = evictionMessage(pod, node);
	pod.phase = 'Failed';
	pod.reason = 'Evicted';
	pod.message = message;
	pod.stage = 'done';
	pod.finishedAt = now;
	pod.cond('DisruptionTarget', 'True', now, 'TerminationByKubelet', message);
	pod.cond('Ready', 'False', now, 'PodFailed');
	pod.cond('ContainersReady', 'False', now, 'PodFailed');
	pod.cond('PodReadyToStartContainers', 'False', now);
	const offending: string[] = [];
	for (const c of pod.containers) {
		if (c.running) {
			if (c.ws > (c.reqMem ?? 0) && c.kind !== 'init') {
				offending.push(c.spec.name);
			}

			c.state = 'terminated';
			c.term = {exitCode: 137, reason: 'Error', startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
			c.ready = false;
			c.ws = 0;
			c.usage = 0;
			c.rss = 0;
		}
	}

	pod.dirty = true;
	cluster.events.record(podRef(pod), 'Warning', 'Evicted', message, 'kubelet', node.name);
	cluster.incidents.push({time: now, kind: 'Evicted', namespace: pod.namespace, pod: pod.name, container: offending.join(','), node: node.name, detail: message});
	computeNodes(cluster, now);
}
/** The kernel's global OOM killer, once per pressure cycle, on the node and victim the cluster spec names. */
export function systemOom(cluster: Cluster, now: number): void {
	const rule = cluster.spec.systemOom;
	if (!rule) {
		return;
	}

	const node = cluster.nodeByName.get(rule.node);
	if (!node || node.systemOomFired || node.available >= rule.below) {
		return;
	}

	const pod = cluster.pods.find((p) => p.namespace === rule.victim.namespace && p.name === rule.victim.pod && p.node === node.name && p.active);
	const c = pod?.containers.find((x) => x.spec.name === rule.victim.container && x.running);
	if (!pod || !c) {
		return;
	}

	node.systemOomFired = true;
	// A burst in the victim just before the kernel picked it.
	c.rss = c.ws + 256 * MI;
	containerDied(cluster, pod, c, now, 'OOMKilled', 'system');
}
