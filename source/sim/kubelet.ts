/**
 * The kubelet of every node: it starts a pod's containers in order (init containers one by one,
 * sidecars, then the app containers), marks them ready, restarts a failed one with the kubelet's
 * back-off (CrashLoopBackOff), kills on a failing liveness probe, and lets the cgroup OOM killer
 * act when a container's working set reaches its memory limit. It also keeps the node's status.
 */
import type {Cluster} from './cluster.js';
import {nodeRef, podRef} from './events.js';
import {updateMemory} from './memory.js';
import type {ContainerModel, PodModel, Term} from './models.js';
import {Psi} from './pressure.js';
import {mix} from './prng.js';
import {oomScoreAdj, qosClass} from './qos.js';
import {goDuration, KI} from './quantity.js';
import {podRequest} from './scheduler.js';

/** The kernel's report of an OOM kill (what node-problem-detector turns into an OOMKilling event). */
export function oomKillMessage(system: boolean, pid: number, process: string, kb: {totalVm: number; anonRss: number; fileRss: number; pgtables: number}, uid: number, adj: number): string {
	const prefix = system ? 'Out of memory' : 'Memory cgroup out of memory';
	return `${prefix}: Killed process ${pid} (${process}) total-vm:${kb.totalVm}kB, anon-rss:${kb.anonRss}kB, file-rss:${kb.fileRss}kB, shmem-rss:0kB, UID:${uid} pgtables:${kb.pgtables}kB oom_score_adj:${adj}`;
}

export function startInstance(cluster: Cluster, pod: PodModel, c: ContainerModel, at: number): void {
	c.state = 'running';
	c.waitingReason = '';
	c.waitingMessage = '';
	c.startedAt = at;
	c.instance += c.containerID === '' ? 0 : 1;
	c.containerID = cluster.containerId();
	c.ready = false;
	c.term = null;
	c.pid = 1000 + (mix(c.hash, c.instance, 11) % 60_000);
	// A new cgroup: its counters and PSI start from zero.
	c.pageFaults = 0;
	c.majorFaults = 0;
	c.peakWs = 0;
	c.psi = new Psi();
	pod.dirty = true;
}

/** One kubelet sync of a pod: start its containers in order, restart the failed ones, run the OOM killer. */
export function syncPod(cluster: Cluster, pod: PodModel, now: number): void {
	if (pod.stage === 'unscheduled' || pod.stage === 'done' || pod.deletionAt !== null) {
		return;
	}

	if (pod.stage === 'creating') {
		if (now < pod.stageUntil) {
			for (const c of pod.containers) {
				const reason = c.kind === 'app' && pod.containers.every((x) => x.kind === 'app') ? 'ContainerCreating' : 'PodInitializing';
				if (c.waitingReason !== reason) {
					c.waitingReason = reason;
					pod.dirty = true;
				}
			}

			return;
		}

		pod.startTime = pod.startTime || now;
		pod.cond('PodReadyToStartContainers', 'True', now);
		pod.cond('Initialized', pod.containers.some((c) => c.kind !== 'app') ? 'False' : 'True', now, pod.containers.some((c) => c.kind !== 'app') ? 'ContainersNotInitialized' : undefined, pod.containers.some((c) => c.kind !== 'app') ? `containers with incomplete status: [${pod.containers.filter((c) => c.kind === 'init').map((c) => c.spec.name).join(' ')}]` : undefined);
		pod.cond('Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${pod.apps.map((c) => c.spec.name).join(' ')}]`);
		pod.cond('ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${pod.apps.map((c) => c.spec.name).join(' ')}]`);
		pod.stage = 'init';
		pod.dirty = true;
	}

	if (pod.stage === 'init') {
		let initDone = true;
		for (const c of pod.containers) {
			if (c.kind === 'app') {
				continue;
			}

			if (c.kind === 'sidecar') {
				if (c.state === 'waiting' && c.waitingReason !== 'CrashLoopBackOff') {
					startInstance(cluster, pod, c, now);
				}

				if (!c.running) {
					initDone = false;
					break;
				}

				continue;
			}

			// plain init container
			if (c.state === 'terminated' && c.term?.exitCode === 0) {
				continue;
			}

			initDone = false;
			if (c.state === 'waiting' && c.waitingReason !== 'CrashLoopBackOff') {
				startInstance(cluster, pod, c, now);
			} else if (c.state === 'waiting' && now >= c.restartAt) {
				nextBackoff(c, c.lastFinishedAt);
				startInstance(cluster, pod, c, now);
			} else if (c.running && now - c.startedAt >= (c.spec.runSeconds ?? 3) * 1000) {
				c.state = 'terminated';
				c.term = {exitCode: 0, reason: 'Completed', startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
				c.ready = false;
				pod.dirty = true;
			}

			break;
		}

		if (initDone) {
			pod.cond('Initialized', 'True', now);
			for (const c of pod.apps) {
				startInstance(cluster, pod, c, now);
			}

			pod.stage = 'running';
			pod.phase = 'Running';
			pod.dirty = true;
		}
	}

	if (pod.stage === 'running') {
		for (const c of pod.containers) {
			if (c.kind === 'init') {
				continue;
			}

			if (c.state === 'waiting' && c.waitingReason === 'CrashLoopBackOff' && now >= c.restartAt) {
				nextBackoff(c, c.lastFinishedAt);
				startInstance(cluster, pod, c, now);
			}

			if (c.running && !c.ready && now - c.startedAt >= 2000) {
				c.ready = true;
				pod.dirty = true;
			}

			if (c.running && now >= c.nextLivenessKill) {
				c.nextLivenessKill += c.livenessEvery;
				livenessKill(cluster, pod, c, now);
			}

			const run = c.spec.runSeconds;
			if (c.kind === 'app' && run !== undefined && c.running && now - c.startedAt >= run * 1000) {
				c.state = 'terminated';
				c.term = {exitCode: 0, reason: 'Completed', startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
				c.ready = false;
				c.ws = 0;
				pod.dirty = true;
			}
		}

		const apps = pod.apps;
		const allReady = apps.every((c) => c.ready) && pod.containers.every((c) => c.kind !== 'sidecar' || c.running);
		const unready = apps.filter((c) => !c.ready).map((c) => c.spec.name);
		if (allReady) {
			pod.cond('Ready', 'True', now);
			pod.cond('ContainersReady', 'True', now);
		} else {
			const message = `containers with unready status: [${unready.join(' ')}]`;
			pod.cond('Ready', 'False', now, 'ContainersNotReady', message);
			pod.cond('ContainersReady', 'False', now, 'ContainersNotReady', message);
		}

		if (apps.length > 0 && apps.every((c) => c.state === 'terminated' && c.term?.exitCode === 0) && pod.workload.spec.template.restartPolicy !== 'Always') {
			pod.phase = 'Succeeded';
			pod.stage = 'done';
			pod.finishedAt = now;
			for (const c of pod.containers) {
				if (c.kind === 'sidecar' && c.running) {
					c.state = 'terminated';
					c.term = {exitCode: 0, reason: 'Completed', startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
				}
			}

			pod.cond('Ready', 'False', now, 'PodCompleted');
			pod.cond('ContainersReady', 'False', now, 'PodCompleted');
			pod.cond('PodReadyToStartContainers', 'False', now);
			pod.dirty = true;
		}
	}

	// Memory and the cgroup OOM killer.
	if (pod.stage === 'init' || pod.stage === 'running') {
		for (const c of pod.containers) {
			if (!c.running) {
				continue;
			}

			updateMemory(cluster, c, now);
			if (c.limMem !== null && c.ws >= c.limMem) {
				c.ws = c.limMem;
				containerDied(cluster, pod, c, now, 'OOMKilled', 'cgroup');
			}
		}
	}
}

/** kubelet back-off: the first failure restarts at once, later ones wait 10s, 20s, ... 5m. */
function nextBackoff(c: ContainerModel, finishedAt: number): void {
	if (c.backoff === 0 || finishedAt - c.backoffUpdated > 600_000) {
		c.backoff = 10_000;
	} else {
		c.backoff = Math.min(300_000, c.backoff * 2);
	}

	c.backoffUpdated = finishedAt;
}

export function containerDied(cluster: Cluster, pod: PodModel, c: ContainerModel, now: number, reason: 'OOMKilled' | 'Error', killer: 'cgroup' | 'system' | 'liveness'): void {
	const node = cluster.nodeByName.get(pod.node);
	const term: Term = {exitCode: 137, reason, startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
	const rssAtDeath = c.rss;
	const pid = c.pid;
	c.restartCount++;
	c.last = term;
	c.lastFinishedAt = now;
	c.ready = false;
	c.ws = 0;
	c.usage = 0;
	c.rss = 0;
	pod.dirty = true;
	const inBackoff = c.backoff > 0 && now - c.backoffUpdated <= 600_000;
	if (inBackoff) {
		c.state = 'waiting';
		c.waitingReason = 'CrashLoopBackOff';
		c.restartAt = now + c.backoff;
		c.waitingMessage = `back-off ${goDuration(c.backoff)} restarting failed container=${c.spec.name} pod=${pod.name}_${pod.namespace}(${pod.uid})`;
		c.containerID = term.containerID;
		cluster.events.record(podRef(pod, c), 'Warning', 'BackOff', `Back-off restarting failed container ${c.spec.name} in pod ${pod.name}_${pod.namespace}(${pod.uid})`, 'kubelet', pod.node);
	} else {
		nextBackoff(c, now);
		startInstance(cluster, pod, c, now);
	}

	if (c.kind !== 'app' && pod.stage === 'init') {
		pod.dirty = true;
	}

	if (reason === 'OOMKilled' && node) {
		const qos = qosClass(pod.workload.spec.template.containers);
		const critical = (pod.workload.spec.template.priority ?? 0) >= 2_000_000_000;
		const adj = oomScoreAdj(qos, podRequest(pod), node.capacity, critical);
		const anon = Math.floor(rssAtDeath / KI);
		const totalVm = anon * 3 + 123_456;
		const file = 1000 + (mix(c.hash, c.instance) % 20_000);
		const kmsg = oomKillMessage(killer === 'system', pid, c.spec.process, {totalVm, anonRss: anon, fileRss: file, pgtables: Math.floor(totalVm / 500)}, c.spec.process === 'postgres' ? 999 : 0, adj);
		cluster.events.record(nodeRef(node), 'Warning', 'OOMKilling', kmsg, 'kernel-monitor', node.name);
		if (killer === 'system') {
			cluster.events.record(nodeRef(node), 'Warning', 'SystemOOM', `System OOM encountered, victim process: ${c.spec.process}, pid: ${pid}`, 'kubelet', node.name);
		}
	}

	cluster.incidents.push({
		time: now,
		kind: reason === 'OOMKilled' ? (c.kind === 'init' ? 'InitOOMKilled' : killer === 'system' ? 'SystemOOM' : 'OOMKilled') : 'Killed',
		namespace: pod.namespace,
		pod: pod.name,
		container: c.spec.name,
		node: pod.node,
		detail: `${reason} exit 137 (${killer}), restartCount ${c.restartCount}`,
	});
}

function livenessKill(cluster: Cluster, pod: PodModel, c: ContainerModel, now: number): void {
	const ref = podRef(pod, c);
	const probe = c.spec.probe ?? {path: '/healthz', port: 8080};
	cluster.events.record(ref, 'Warning', 'Unhealthy', `Liveness probe failed: Get "http://${pod.ip}:${probe.port}${probe.path}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, 'kubelet', pod.node);
	cluster.events.record(ref, 'Normal', 'Killing', `Container ${c.spec.name} failed liveness probe, will be restarted`, 'kubelet', pod.node);
	containerDied(cluster, pod, c, now, 'Error', 'liveness');
}

/** The node status the kubelet posts: the memory-pressure taint follows the condition; a heartbeat every 5 minutes or with any change. */
export function updateNodeStatus(cluster: Cluster, now: number): void {
	for (const node of cluster.nodes) {
		if (node.tainted !== node.pressure) {
			node.tainted = node.pressure;
			node.dirty = true;
		}

		if (now - node.heartbeat >= 300_000) {
			node.heartbeat = now;
			node.dirty = true;
		} else if (node.dirty) {
			node.heartbeat = now;
		}
	}
}
