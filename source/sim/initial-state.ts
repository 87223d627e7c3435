/**
 * The cluster as it stands at t0: namespaces, nodes, the workloads and their pods, each pod bound
 * and running for as long as the spec says (or still starting), with its past restarts, last
 * termination and the back-off the kubelet would hold for it. DaemonSets get a pod on every node
 * whose taints they tolerate; CronJobs have run no Job yet.
 */
import type {Cluster} from './cluster.js';
import type {InitialPod} from './cluster-spec.js';
import {createPod, type PodName} from './controllers.js';
import {startInstance} from './kubelet.js';
import {NodeModel, WorkloadModel} from './models.js';
import {JsonObj} from './objects.js';
import {unit} from './prng.js';
import {rfc3339} from './quantity.js';
import {namespaceObject} from './resources.js';
import {bind, selects, tolerates} from './scheduler.js';

/** Create the t0 objects: the namespaces go to the store now, the nodes and pods stay in the models. */
export function createInitialState(cluster: Cluster): void {
	const {rng, epoch, spec} = cluster;
	const namespaces = spec.namespaces.map((ns, i) => new JsonObj(namespaceObject(ns, rng.uuid(), rfc3339(epoch - (400 - i) * 86_400_000 / 10))));
	cluster.store.load('namespaces', namespaces);

	spec.nodes.forEach((nodeSpec, i) => {
		const node = new NodeModel(nodeSpec, i, epoch, rng);
		cluster.nodes.push(node);
		cluster.nodeByName.set(nodeSpec.name, node);
	});

	for (const workloadSpec of spec.workloads) {
		const workload = new WorkloadModel(workloadSpec, rng);
		cluster.workloads.push(workload);
		if (workloadSpec.kind === 'DaemonSet') {
			for (const node of cluster.nodes) {
				if (tolerates(workloadSpec, node) && selects(workloadSpec.template, node)) {
					const age = Math.min(workloadSpec.initial?.[0]?.createdAgo ?? 86_400, node.spec.createdAgo - 30);
					initialPod(cluster, workload, {node: node.name, createdAgo: age, memoryFactor: 0.85 + unit(cluster.seed, node.index, 3) * 0.3});
				}
			}
		} else if (workloadSpec.kind === 'CronJob') {
			workload.nextRun = epoch + (workloadSpec.cron?.firstAt ?? 60) * 1000;
		} else {
			for (const initial of workloadSpec.initial ?? []) {
				initialPod(cluster, workload, initial);
			}
		}
	}
}

/** A pod as it stands at t0: bound, running since `startedAgo` (or still starting), with its past restarts. */
function initialPod(cluster: Cluster, workload: WorkloadModel, initial: InitialPod): void {
	const spec = workload.spec;
	const ordinal = cluster.pods.filter((p) => p.workload === workload).length;
	const created = cluster.epoch - initial.createdAgo * 1000;
	let name: PodName | undefined;
	if (spec.kind === 'Static') {
		name = {name: `${spec.name}-${initial.node}`, generateName: null};
	} else if (spec.kind === 'DaemonSet') {
		const prefix = `${spec.name}-`;
		name = {name: prefix + cluster.rng.suffix(5), generateName: prefix};
	}

	const pod = createPod(cluster, workload, created, ordinal, initial.memoryFactor ?? 1, name);
	const node = cluster.nodeByName.get(initial.node);
	if (!node) {
		throw new Error(`unknown node ${initial.node}`);
	}

	bind(cluster, pod, node, created + 1000);
	if (initial.starting) {
		pod.stage = 'creating';
		pod.stageUntil = Math.max(cluster.epoch + 1000, created + 3000);
		return;
	}

	const started = cluster.epoch - (initial.startedAgo ?? Math.max(1, initial.createdAgo - 6)) * 1000;
	pod.startTime = created + 1000;
	// Init containers completed long ago; sidecars and apps run.
	for (const c of pod.containers) {
		if (c.kind === 'init') {
			const end = Math.min(started - 1000, created + 4000 + (c.spec.runSeconds ?? 2) * 1000);
			c.state = 'terminated';
			c.containerID = cluster.containerId();
			c.term = {exitCode: 0, reason: 'Completed', startedAt: created + 3000, finishedAt: end, containerID: c.containerID};
		} else {
			startInstance(cluster, pod, c, c.kind === 'sidecar' ? created + 3000 : started);
		}
	}

	const restarts = initial.restarts ?? 0;
	if (restarts > 0) {
		const target = pod.containers.find((c) => c.spec.name === initial.lastContainer) ?? pod.apps[0];
		if (target) {
			target.restartCount = restarts;
			if (initial.last) {
				const finishedAt = cluster.epoch - initial.last.endedAgo * 1000;
				target.last = {
					exitCode: initial.last.exitCode,
					reason: initial.last.reason,
					startedAt: finishedAt - initial.last.ranFor * 1000,
					finishedAt,
					containerID: cluster.containerId(),
				};
				target.lastFinishedAt = finishedAt;
				// A back-off entry from the previous crashes, as the kubelet would hold.
				target.backoff = Math.min(300_000, 10_000 * 2 ** Math.max(0, restarts - 2));
				target.backoffUpdated = finishedAt;
			}
		}
	}

	pod.stage = 'running';
	pod.phase = 'Running';
	const initialized = created + 3000;
	pod.cond('PodReadyToStartContainers', 'True', created + 2000);
	pod.cond('Initialized', 'True', initialized);
	pod.cond('Ready', 'True', started + 2000);
	pod.cond('ContainersReady', 'True', started + 2000);
	for (const c of pod.containers) {
		if (c.running) {
			c.ready = true;
		}
	}

	const app = pod.apps[0];
	if (initial.livenessKill && app) {
		app.nextLivenessKill = cluster.epoch + initial.livenessKill.first * 1000;
		app.livenessEvery = initial.livenessKill.every * 1000;
	}
}
