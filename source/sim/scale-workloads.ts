/**
 * The workloads of the scale scenario, each held once with the JSON fragments its pods share
 * (labels, owner references, the spec around nodeName, container status tails), so a pod's JSON
 * is a few string joins.
 */
import {hashString, hexFrom, mix, suffixFrom, uuidFrom} from './prng.js';
import {parseBytes} from './quantity.js';
import type {ContainerProfile} from './scale-profiles.js';

export type ScaleWorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'Bare';

export interface Workload {
	kind: ScaleWorkloadKind;
	/** index into the namespaces */
	ns: number;
	name: string;
	labels: Record<string, string>;
	labelsJson: string;
	/** `,"ownerReferences":[...]` or '' */
	ownersJson: string;
	generateName: string | null;
	/** spec JSON up to (not including) nodeName, and the rest */
	specHead: string;
	specTail: string;
	qos: string;
	/** sidecars (init containers) first, then the app containers, as in the pod's status */
	containers: ContainerProfile[];
	/** per container: `"allocatedResources":..,"resources":..` fragment and image id */
	statusTail: string[];
	imageIds: string[];
	limits: Array<number | null>;
}

function requestsOf(c: ContainerProfile): Record<string, string> {
	const out: Record<string, string> = {};
	const cpu = c.cpuRequest ?? c.cpuLimit;
	const memory = c.memRequest ?? c.memLimit;
	if (cpu !== undefined) {
		out['cpu'] = cpu;
	}

	if (memory !== undefined) {
		out['memory'] = memory;
	}

	return out;
}

function limitsOf(c: ContainerProfile): Record<string, string> {
	const out: Record<string, string> = {};
	if (c.cpuLimit !== undefined) {
		out['cpu'] = c.cpuLimit;
	}

	if (c.memLimit !== undefined) {
		out['memory'] = c.memLimit;
	}

	return out;
}

function resourcesJson(c: ContainerProfile): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const limits = limitsOf(c);
	const requests = requestsOf(c);
	if (Object.keys(limits).length > 0) {
		out['limits'] = limits;
	}

	if (Object.keys(requests).length > 0) {
		out['requests'] = requests;
	}

	return out;
}

function qosOf(containers: ContainerProfile[]): string {
	let any = false;
	let guaranteed = true;
	for (const c of containers) {
		if (c.memRequest || c.memLimit || c.cpuRequest || c.cpuLimit) {
			any = true;
		}

		const requests = requestsOf(c);
		if (!c.memLimit || !c.cpuLimit || requests['memory'] !== c.memLimit || requests['cpu'] !== c.cpuLimit) {
			guaranteed = false;
		}
	}

	return any ? (guaranteed ? 'Guaranteed' : 'Burstable') : 'BestEffort';
}

/** A workload's facts and the JSON fragments its pods are built from; `index` seeds its uid and hash. */
export function buildWorkload(seed: number, index: number, kind: ScaleWorkloadKind, ns: number, name: string, containers: ContainerProfile[], priority: [string, number] | null): Workload {
	const uid = uuidFrom(seed, index, 31);
	const hash = suffixFrom(10, seed, index, 32);
	const labels: Record<string, string> = {app: name};
	let owner = '';
	let generateName: string | null = `${name}-`;
	switch (kind) {
		case 'Deployment': {
			labels['pod-template-hash'] = hash;
			generateName = `${name}-${hash}-`;
			owner = JSON.stringify([{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-${hash}`, uid, controller: true, blockOwnerDeletion: true}]);
			break;
		}

		case 'StatefulSet': {
			labels['controller-revision-hash'] = `${name}-${hash}`;
			owner = JSON.stringify([{apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid, controller: true, blockOwnerDeletion: true}]);
			break;
		}

		case 'DaemonSet': {
			labels['controller-revision-hash'] = hash;
			labels['pod-template-generation'] = '1';
			owner = JSON.stringify([{apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid, controller: true, blockOwnerDeletion: true}]);
			break;
		}

		case 'Job': {
			const job = `${name}-${29_000_000 + (mix(seed, index) % 900_000)}`;
			labels['batch.kubernetes.io/job-name'] = job;
			labels['job-name'] = job;
			generateName = `${job}-`;
			owner = JSON.stringify([{apiVersion: 'batch/v1', kind: 'Job', name: job, uid, controller: true, blockOwnerDeletion: true}]);
			break;
		}

		case 'Bare': {
			generateName = null;
			break;
		}
	}

	const spec: Record<string, unknown> = {
		volumes: [{name: 'kube-api-access', projected: {sources: [{serviceAccountToken: {expirationSeconds: 3607, path: 'token'}}, {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}}], defaultMode: 420}}],
	};
	const sidecars = containers.filter((c) => c.sidecar);
	const apps = containers.filter((c) => !c.sidecar);
	const containerJson = (c: ContainerProfile): Record<string, unknown> => ({
		name: c.name,
		image: c.image,
		resources: resourcesJson(c),
		...(c.sidecar ? {restartPolicy: 'Always'} : {}),
		volumeMounts: [{name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount'}],
		terminationMessagePath: '/dev/termination-log',
		terminationMessagePolicy: 'File',
		imagePullPolicy: 'IfNotPresent',
	});
	if (sidecars.length > 0) {
		spec['initContainers'] = sidecars.map(containerJson);
	}

	spec['containers'] = apps.map(containerJson);
	spec['restartPolicy'] = kind === 'Job' ? 'OnFailure' : 'Always';
	spec['terminationGracePeriodSeconds'] = 30;
	spec['dnsPolicy'] = 'ClusterFirst';
	spec['serviceAccountName'] = 'default';
	spec['serviceAccount'] = 'default';
	const head = JSON.stringify(spec).slice(0, -1);
	const tail: Record<string, unknown> = {securityContext: {}, schedulerName: 'default-scheduler'};
	tail['tolerations'] = kind === 'DaemonSet'
		? [{operator: 'Exists'}]
		: [
			{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
			{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
		];
	if (priority) {
		tail['priorityClassName'] = priority[0];
	}

	tail['priority'] = priority?.[1] ?? 0;
	tail['enableServiceLinks'] = true;
	tail['preemptionPolicy'] = 'PreemptLowerPriority';
	// Container order in status follows the spec: sidecars (init) first, then apps.
	const ordered = [...sidecars, ...apps];
	return {
		kind,
		ns,
		name,
		labels,
		labelsJson: JSON.stringify(labels),
		ownersJson: owner === '' ? '' : `,"ownerReferences":${owner}`,
		generateName,
		specHead: `${head},"nodeName":"`,
		specTail: `",${JSON.stringify(tail).slice(1)}`,
		qos: qosOf(containers),
		containers: ordered,
		statusTail: ordered.map((c) => {
			const requests = requestsOf(c);
			const alloc = Object.keys(requests).length > 0 ? `,"allocatedResources":${JSON.stringify(requests)}` : '';
			return `${alloc},"resources":${JSON.stringify(resourcesJson(c))}}`;
		}),
		imageIds: ordered.map((c) => `${c.image.replace(/:[^:/]+$/, '')}@sha256:${hexFrom(64, hashString(c.image))}`),
		limits: ordered.map((c) => (c.memLimit === undefined ? null : parseBytes(c.memLimit))),
	};
}
