/**
 * The scale scenario's Pod JSON: each workload is held once with the fragments its pods share
 * (labels, owner references, the spec around nodeName, container status tails), so a pod's JSON
 * is a few string joins, made when it is served.
 */
import type {ContainerSpec} from './cluster-spec.js';
import {containerJson, DEFAULT_TOLERATIONS, defaultedRequests, POD_VOLUMES, resourcesJson} from './pod-json.js';
import {hashString, hexFrom, mix, suffixFrom, uuidFrom} from './prng.js';
import {qosClass, type QosClass} from './qos.js';
import {parseBytes, rfc3339} from './quantity.js';
import type {ScaleCluster, ScalePod} from './scale-cluster.js';

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
	qos: QosClass;
	/** the pod's memory request, for the kernel's oom_score_adj */
	memoryRequest: number;
	/** system-node-critical or system-cluster-critical */
	critical: boolean;
	/** sidecars (init containers) first, then the app containers, as in the pod's status */
	containers: ContainerSpec[];
	/** per container: `"allocatedResources":..,"resources":..` fragment and image id */
	statusTail: string[];
	imageIds: string[];
	limits: Array<number | null>;
}

/** A workload's facts and the JSON fragments its pods are built from; `index` seeds its uid and hash. */
export function buildWorkload(seed: number, index: number, kind: ScaleWorkloadKind, ns: number, name: string, containers: readonly ContainerSpec[], priority: [string, number] | null): Workload {
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

	const spec: Record<string, unknown> = {volumes: POD_VOLUMES};
	const sidecars = containers.filter((c) => c.kind === 'sidecar');
	const apps = containers.filter((c) => c.kind !== 'sidecar');
	if (sidecars.length > 0) {
		spec['initContainers'] = sidecars.map((c) => containerJson(c, true));
	}

	spec['containers'] = apps.map((c) => containerJson(c, false));
	spec['restartPolicy'] = kind === 'Job' ? 'OnFailure' : 'Always';
	spec['terminationGracePeriodSeconds'] = 30;
	spec['dnsPolicy'] = 'ClusterFirst';
	spec['serviceAccountName'] = 'default';
	spec['serviceAccount'] = 'default';
	const head = JSON.stringify(spec).slice(0, -1);
	const tail: Record<string, unknown> = {securityContext: {}, schedulerName: 'default-scheduler'};
	tail['tolerations'] = kind === 'DaemonSet' ? [{operator: 'Exists'}] : DEFAULT_TOLERATIONS;
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
		qos: qosClass(containers),
		memoryRequest: containers.reduce((sum, c) => sum + parseBytes(defaultedRequests(c)['memory'] ?? '0'), 0),
		critical: (priority?.[1] ?? 0) >= 2_000_000_000,
		containers: ordered,
		statusTail: ordered.map((c) => {
			const requests = defaultedRequests(c);
			const alloc = Object.keys(requests).length > 0 ? `,"allocatedResources":${JSON.stringify(requests)}` : '';
			return `${alloc},"resources":${JSON.stringify(resourcesJson(c))}}`;
		}),
		imageIds: ordered.map((c) => `${c.image.replace(/:[^:/]+$/, '')}@sha256:${hexFrom(64, hashString(c.image))}`),
		limits: ordered.map((c) => (c.limits?.memory === undefined ? null : parseBytes(c.limits.memory))),
	};
}

/** A pod version's JSON: the workload's fragments joined with what is the pod's own. */
export function scalePodJson(cluster: ScaleCluster, pod: ScalePod, rv: number): string {
	const i = pod.i;
	const w = cluster.workloadOf(i);
	if (!w) {
		return '{}';
	}

	const node = cluster.podNode[i] ?? 0;
	const created = cluster.podCreated[i] ?? 0;
	const createdText = rfc3339(created);
	const ready = rfc3339(Math.max(pod.startedAt, created) + 2000);
	const hostIp = cluster.nodeIps[node] ?? '';
	const podIp = cluster.podIp(i);
	const name = cluster.podNames[i] ?? '';
	const namespace = cluster.namespaces[w.ns] ?? '';
	let out = `{"kind":"Pod","apiVersion":"v1","metadata":{"name":"${name}"`;
	if (w.generateName !== null) {
		out += `,"generateName":"${w.generateName}"`;
	}

	out += `,"namespace":"${namespace}","uid":"${uuidFrom(cluster.seed, i, 77)}","resourceVersion":"${rv}","generation":1,"creationTimestamp":"${createdText}","labels":${w.labelsJson}${w.ownersJson}},"spec":${w.specHead}${cluster.nodeNames[node] ?? ''}${w.specTail}`;
	out += `,"status":{"observedGeneration":1,"phase":"Running","conditions":[`
		+ `{"type":"PodReadyToStartContainers","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${createdText}"},`
		+ `{"type":"Initialized","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${createdText}"},`
		+ `{"type":"Ready","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${ready}"},`
		+ `{"type":"ContainersReady","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${ready}"},`
		+ `{"type":"PodScheduled","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${createdText}"}]`
		+ `,"hostIP":"${hostIp}","hostIPs":[{"ip":"${hostIp}"}],"podIP":"${podIp}","podIPs":[{"ip":"${podIp}"}],"startTime":"${createdText}"`;
	const statuses = (from: number, to: number): string => {
		let text = '';
		for (let c = from; c < to; c++) {
			const profile = w.containers[c];
			if (!profile) {
				continue;
			}

			const mine = c === pod.termContainer;
			const started = cluster.containerStarted(pod, c);
			const restarts = mine ? pod.restarts : 0;
			const last = mine && pod.termReason !== 0
				? `{"terminated":{"exitCode":137,"reason":"${pod.termReason === 1 ? 'OOMKilled' : 'Error'}","startedAt":"${rfc3339(pod.termStarted)}","finishedAt":"${rfc3339(pod.termAt)}","containerID":"containerd://${hexFrom(64, cluster.seed, i, c, restarts - 1)}"}}`
				: '{}';
			if (text !== '') {
				text += ',';
			}

			text += `{"name":"${profile.name}","state":{"running":{"startedAt":"${rfc3339(started)}"}},"lastState":${last},"ready":true,"restartCount":${restarts},"image":"${profile.image}","imageID":"${w.imageIds[c] ?? ''}","containerID":"containerd://${hexFrom(64, cluster.seed, i, c, restarts)}","started":true${w.statusTail[c] ?? '}'}`;
		}

		return text;
	};

	const sidecars = w.containers.filter((c) => c.kind === 'sidecar').length;
	if (sidecars > 0) {
		out += `,"initContainerStatuses":[${statuses(0, sidecars)}]`;
	}

	out += `,"containerStatuses":[${statuses(sidecars, w.containers.length)}],"qosClass":"${w.qos}"}}`;
	return out;
}
