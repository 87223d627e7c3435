/**
 * The controllers that create and delete pods: ReplicaSet (a Deployment's replicas), StatefulSet
 * (ordinal names, a failed pod recreated under its name), CronJob with its Jobs (a pod per run,
 * the newest finished ones kept), and the pod garbage collector for evicted pods. DaemonSet,
 * static and bare pods exist from t0 (initial-state.ts) and are never replaced.
 */
import type {Cluster} from './cluster.js';
import type {EventRef} from './events.js';
import {ContainerModel, PodModel, type WorkloadModel} from './models.js';

export interface PodName {
	name: string;
	generateName: string | null;
}

function newPodName(cluster: Cluster, workload: WorkloadModel, ordinal: number): PodName {
	const spec = workload.spec;
	switch (spec.kind) {
		case 'StatefulSet': {
			return {name: `${spec.name}-${ordinal}`, generateName: `${spec.name}-`};
		}

		case 'Static': {
			return {name: `${spec.name}-${spec.initial?.[0]?.node ?? 'node'}`, generateName: null};
		}

		case 'Bare': {
			return {name: spec.name, generateName: null};
		}

		default: {
			const prefix = `${workload.ownerName}-`;
			return {name: prefix + cluster.rng.suffix(5), generateName: prefix};
		}
	}
}

/** A new pod of the workload, unscheduled; the name is the controller's unless given. */
export function createPod(cluster: Cluster, workload: WorkloadModel, created: number, ordinal: number, factor: number, name?: PodName): PodModel {
	const {name: podName, generateName} = name ?? newPodName(cluster, workload, ordinal);
	const uid = cluster.rng.uuid();
	const containers = workload.spec.template.containers.map((spec) => new ContainerModel(spec, factor, uid));
	if (containers.some((c) => c.kind !== 'app')) {
		for (const c of containers) {
			c.waitingReason = 'PodInitializing';
		}
	}

	const pod = new PodModel(workload.spec.namespace, podName, uid, workload, created, containers, ordinal, generateName);
	cluster.pods.push(pod);
	cluster.podByKey.set(pod.key, pod);
	return pod;
}

/** The memory factor of the workload's next new pod (its memoryFactors, cycled). */
function nextFactor(workload: WorkloadModel): number {
	const factors = workload.spec.memoryFactors ?? [1];
	const factor = factors[workload.factorIndex % factors.length] ?? 1;
	workload.factorIndex++;
	return factor;
}

export function runControllers(cluster: Cluster, now: number): void {
	for (const workload of cluster.workloads) {
		const spec = workload.spec;
		const mine = cluster.pods.filter((p) => p.workload === workload);
		switch (spec.kind) {
			case 'Deployment': {
				const active = mine.filter((p) => p.active).length;
				for (let i = active; i < (spec.replicas ?? 1); i++) {
					const pod = createPod(cluster, workload, now, i, nextFactor(workload));
					cluster.events.record({kind: 'ReplicaSet', namespace: spec.namespace, name: workload.ownerName, uid: workload.uid, apiVersion: 'apps/v1'}, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.name}`, 'replicaset-controller');
				}

				break;
			}

			case 'StatefulSet': {
				statefulSet(cluster, workload, now);
				break;
			}

			case 'CronJob': {
				cronJob(cluster, workload, mine, now);
				break;
			}

			default: {
				break;
			}
		}
	}
}

function statefulSet(cluster: Cluster, workload: WorkloadModel, now: number): void {
	const spec = workload.spec;
	const ref: EventRef = {kind: 'StatefulSet', namespace: spec.namespace, name: spec.name, uid: workload.uid, apiVersion: 'apps/v1'};
	for (let ordinal = 0; ordinal < (spec.replicas ?? 1); ordinal++) {
		const name = `${spec.name}-${ordinal}`;
		const existing = cluster.findPod(spec.namespace, name);
		if (existing && existing.phase === 'Failed' && existing.deletionAt === null) {
			// The StatefulSet controller deletes a failed pod and recreates it under the same name.
			existing.deletionAt = now + cluster.tickMs;
			existing.dirty = true;
			cluster.events.record(ref, 'Warning', 'RecreatingFailedPod', `StatefulSet ${spec.namespace}/${spec.name} is recreating failed Pod ${name}`, 'statefulset-controller');
		} else if (!existing) {
			createPod(cluster, workload, now, ordinal, nextFactor(workload), {name, generateName: `${spec.name}-`});
			cluster.events.record(ref, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${spec.name} successful`, 'statefulset-controller');
		}
	}
}

function cronJob(cluster: Cluster, workload: WorkloadModel, mine: PodModel[], now: number): void {
	const spec = workload.spec;
	const cron = spec.cron ?? {firstAt: 60, every: 300, keep: 3};
	if (now >= workload.nextRun) {
		const scheduled = workload.nextRun;
		workload.nextRun += cron.every * 1000;
		const jobName = `${spec.name}-${Math.floor(scheduled / 60_000)}`;
		const job = {name: jobName, uid: cluster.rng.uuid()};
		workload.jobs.push(job);
		cluster.events.record({kind: 'CronJob', namespace: spec.namespace, name: spec.name, uid: workload.uid, apiVersion: 'batch/v1'}, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`, 'cronjob-controller');
		const prefix = `${jobName}-`;
		const pod = createPod(cluster, workload, now, 0, nextFactor(workload), {name: prefix + cluster.rng.suffix(5), generateName: prefix});
		cluster.events.record({kind: 'Job', namespace: spec.namespace, name: jobName, uid: job.uid, apiVersion: 'batch/v1'}, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.name}`, 'job-controller');
	}

	// Keep only the newest `keep` finished job pods.
	const finished = mine.filter((p) => p.phase === 'Succeeded' && p.deletionAt === null);
	for (let i = 0; i < finished.length - cron.keep; i++) {
		const pod = finished[i];
		if (pod) {
			pod.deletionAt = now + cluster.tickMs;
			pod.dirty = true;
		}
	}
}

/** The pod garbage collector: an evicted pod is deleted 15 minutes after it failed. */
export function collectEvictedPods(cluster: Cluster, now: number): void {
	for (const pod of cluster.pods) {
		if (pod.reason === 'Evicted' && pod.deletionAt === null && now - pod.finishedAt >= 15 * 60_000) {
			pod.deletionAt = now;
		}
	}
}
