/**
 * The Pod objects the simulated API server serves, built from the models: metadata with the
 * labels and owner references each controller sets, the spec after API defaulting and admission,
 * and the status the kubelet reports (conditions, container states, QoS class).
 */
import type {Cluster} from './cluster.js';
import type {ContainerSpec} from './cluster-spec.js';
import type {ContainerModel, PodModel, Term} from './models.js';
import {hashString, hexFrom} from './prng.js';
import {qosClass} from './qos.js';
import {rfc3339} from './quantity.js';
import {tolerationsOf} from './scheduler.js';

type PodObject = Record<string, unknown> & {metadata: Record<string, unknown>};

const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'DisruptionTarget'];

/** The service account token volume admission adds to every pod. */
export const POD_VOLUMES = [{name: 'kube-api-access', projected: {sources: [{serviceAccountToken: {expirationSeconds: 3607, path: 'token'}}, {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}}], defaultMode: 420}}];

/** The tolerations the DefaultTolerationSeconds admission plugin adds (DaemonSet pods get their own). */
export const DEFAULT_TOLERATIONS = [
	{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
	{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
];

/** The labels of a pod: its template's and those its controller adds. */
export function podLabels(pod: PodModel): Record<string, string> {
	const spec = pod.workload.spec;
	const labels: Record<string, string> = {...spec.template.labels};
	switch (spec.kind) {
		case 'Deployment': {
			labels['pod-template-hash'] = pod.workload.hash;
			break;
		}

		case 'StatefulSet': {
			labels['apps.kubernetes.io/pod-index'] = String(pod.ordinal);
			labels['controller-revision-hash'] = `${spec.name}-${pod.workload.hash.slice(0, 10)}`;
			labels['statefulset.kubernetes.io/pod-name'] = pod.name;
			break;
		}

		case 'DaemonSet': {
			labels['controller-revision-hash'] = pod.workload.hash.slice(0, 10);
			labels['pod-template-generation'] = '1';
			break;
		}

		case 'CronJob': {
			const job = pod.generateName?.slice(0, -1) ?? '';
			const jobUid = pod.workload.jobs.find((j) => j.name === job)?.uid ?? '';
			labels['batch.kubernetes.io/controller-uid'] = jobUid;
			labels['batch.kubernetes.io/job-name'] = job;
			labels['controller-uid'] = jobUid;
			labels['job-name'] = job;
			break;
		}

		default: {
			break;
		}
	}

	return labels;
}

function ownerRefs(cluster: Cluster, pod: PodModel): Array<Record<string, unknown>> | undefined {
	const workload = pod.workload;
	switch (workload.spec.kind) {
		case 'Deployment': {
			return [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: workload.ownerName, uid: workload.uid, controller: true, blockOwnerDeletion: true}];
		}

		case 'StatefulSet': {
			return [{apiVersion: 'apps/v1', kind: 'StatefulSet', name: workload.spec.name, uid: workload.uid, controller: true, blockOwnerDeletion: true}];
		}

		case 'DaemonSet': {
			return [{apiVersion: 'apps/v1', kind: 'DaemonSet', name: workload.spec.name, uid: workload.uid, controller: true, blockOwnerDeletion: true}];
		}

		case 'CronJob': {
			const job = pod.generateName?.slice(0, -1) ?? '';
			const jobUid = workload.jobs.find((j) => j.name === job)?.uid ?? '';
			return [{apiVersion: 'batch/v1', kind: 'Job', name: job, uid: jobUid, controller: true, blockOwnerDeletion: true}];
		}

		case 'Static': {
			const node = cluster.nodeByName.get(pod.node);
			return [{apiVersion: 'v1', kind: 'Node', name: pod.node, uid: node?.uid ?? '', controller: true}];
		}

		case 'Bare': {
			return undefined;
		}
	}
}

/** API defaulting: a limit without a request sets the request to the limit. */
export function defaultedRequests(spec: ContainerSpec): Record<string, string> {
	return {...(spec.limits ?? {}), ...(spec.requests ?? {})};
}

export function resourcesJson(spec: ContainerSpec): Record<string, unknown> {
	const resources: Record<string, unknown> = {};
	if (spec.limits) {
		resources['limits'] = {...spec.limits};
	}

	const requests = defaultedRequests(spec);
	if (Object.keys(requests).length > 0) {
		resources['requests'] = requests;
	}

	return resources;
}

/** A container of a pod's spec; a sidecar is an init container with restartPolicy Always. */
export function containerJson(spec: ContainerSpec, withRestartPolicy: boolean): Record<string, unknown> {
	const out: Record<string, unknown> = {name: spec.name, image: spec.image};
	if (spec.ports) {
		out['ports'] = spec.ports;
	}

	out['resources'] = resourcesJson(spec);
	if (withRestartPolicy) {
		out['restartPolicy'] = 'Always';
	}

	out['volumeMounts'] = [{name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount'}];
	if (spec.probe) {
		out['livenessProbe'] = {httpGet: {path: spec.probe.path, port: spec.probe.port, scheme: 'HTTP'}, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3};
	}

	out['terminationMessagePath'] = '/dev/termination-log';
	out['terminationMessagePolicy'] = 'File';
	out['imagePullPolicy'] = 'IfNotPresent';
	return out;
}

function termJson(term: Term): Record<string, unknown> {
	return {exitCode: term.exitCode, reason: term.reason, startedAt: rfc3339(term.startedAt), finishedAt: rfc3339(term.finishedAt), containerID: term.containerID};
}

function statusJson(c: ContainerModel): Record<string, unknown> {
	let state: Record<string, unknown>;
	if (c.state === 'running') {
		state = {running: {startedAt: rfc3339(c.startedAt)}};
	} else if (c.state === 'terminated' && c.term) {
		state = {terminated: termJson(c.term)};
	} else {
		const waiting: Record<string, unknown> = {reason: c.waitingReason || 'ContainerCreating'};
		if (c.waitingMessage) {
			waiting['message'] = c.waitingMessage;
		}

		state = {waiting};
	}

	const out: Record<string, unknown> = {
		name: c.spec.name,
		state,
		lastState: c.last ? {terminated: termJson(c.last)} : {},
		ready: c.ready,
		restartCount: c.restartCount,
		image: c.spec.image,
		imageID: `${c.spec.image.replace(/:[^:/]+$/, '')}@sha256:${hexFrom(64, hashString(c.spec.image))}`,
	};
	if (c.containerID !== '') {
		out['containerID'] = c.containerID;
	} else {
		out['imageID'] = '';
	}

	out['started'] = c.running;
	const requests = defaultedRequests(c.spec);
	if (Object.keys(requests).length > 0) {
		out['allocatedResources'] = requests;
	}

	out['resources'] = resourcesJson(c.spec);
	return out;
}

function podMetadata(cluster: Cluster, pod: PodModel): Record<string, unknown> {
	const metadata: Record<string, unknown> = {name: pod.name};
	if (pod.generateName) {
		metadata['generateName'] = pod.generateName;
	}

	metadata['namespace'] = pod.namespace;
	metadata['uid'] = pod.uid;
	metadata['resourceVersion'] = '';
	metadata['generation'] = 1;
	metadata['creationTimestamp'] = rfc3339(pod.createdAt);
	if (pod.deletionAt !== null) {
		metadata['deletionTimestamp'] = rfc3339(pod.deletionAt);
		metadata['deletionGracePeriodSeconds'] = 0;
	}

	metadata['labels'] = podLabels(pod);
	const annotations: Record<string, string> = {...pod.workload.spec.template.annotations};
	if (pod.workload.spec.kind === 'Static') {
		annotations['kubernetes.io/config.hash'] = pod.uid.replaceAll('-', '').slice(0, 32);
		annotations['kubernetes.io/config.mirror'] = pod.uid.replaceAll('-', '').slice(0, 32);
		annotations['kubernetes.io/config.source'] = 'file';
	}

	if (Object.keys(annotations).length > 0) {
		metadata['annotations'] = annotations;
	}

	const owners = ownerRefs(cluster, pod);
	if (owners) {
		metadata['ownerReferences'] = owners;
	}

	return metadata;
}

function podSpec(pod: PodModel): Record<string, unknown> {
	const template = pod.workload.spec.template;
	const spec: Record<string, unknown> = {volumes: POD_VOLUMES};
	const inits = pod.containers.filter((c) => c.kind !== 'app');
	if (inits.length > 0) {
		spec['initContainers'] = inits.map((c) => containerJson(c.spec, c.kind === 'sidecar'));
	}

	spec['containers'] = pod.apps.map((c) => containerJson(c.spec, false));
	spec['restartPolicy'] = template.restartPolicy ?? 'Always';
	spec['terminationGracePeriodSeconds'] = 30;
	spec['dnsPolicy'] = template.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst';
	if (template.nodeSelector) {
		spec['nodeSelector'] = template.nodeSelector;
	}

	spec['serviceAccountName'] = template.serviceAccountName ?? 'default';
	spec['serviceAccount'] = template.serviceAccountName ?? 'default';
	if (pod.node !== '') {
		spec['nodeName'] = pod.node;
	}

	if (template.hostNetwork) {
		spec['hostNetwork'] = true;
	}

	spec['securityContext'] = {};
	spec['schedulerName'] = 'default-scheduler';
	spec['tolerations'] = pod.workload.spec.kind === 'DaemonSet'
		? tolerationsOf(pod.workload.spec)
		: [...(template.tolerations ?? []), ...DEFAULT_TOLERATIONS];
	if (template.priorityClassName) {
		spec['priorityClassName'] = template.priorityClassName;
	}

	spec['priority'] = template.priority ?? 0;
	if (template.runtimeClassName) {
		spec['runtimeClassName'] = template.runtimeClassName;
	}

	spec['enableServiceLinks'] = true;
	spec['preemptionPolicy'] = 'PreemptLowerPriority';
	if (template.overhead) {
		spec['overhead'] = template.overhead;
	}

	return spec;
}

function podStatus(cluster: Cluster, pod: PodModel): Record<string, unknown> {
	const status: Record<string, unknown> = {observedGeneration: 1, phase: pod.phase};
	const conditions: Array<Record<string, unknown>> = [];
	for (const type of CONDITION_ORDER) {
		const cond = pod.conds.get(type);
		if (!cond) {
			continue;
		}

		const out: Record<string, unknown> = {type, observedGeneration: 1, status: cond.status, lastProbeTime: null, lastTransitionTime: rfc3339(cond.time)};
		if (cond.reason) {
			out['reason'] = cond.reason;
		}

		if (cond.message) {
			out['message'] = cond.message;
		}

		conditions.push(out);
	}

	status['conditions'] = conditions;
	if (pod.message) {
		status['message'] = pod.message;
	}

	if (pod.reason) {
		status['reason'] = pod.reason;
	}

	const node = cluster.nodeByName.get(pod.node);
	if (node && pod.stage !== 'unscheduled') {
		status['hostIP'] = node.ip;
		status['hostIPs'] = [{ip: node.ip}];
		if (pod.stage !== 'creating' && pod.phase !== 'Failed') {
			const ip = pod.workload.spec.template.hostNetwork ? node.ip : pod.ip;
			status['podIP'] = ip;
			status['podIPs'] = [{ip}];
		}

		if (pod.startTime) {
			status['startTime'] = rfc3339(pod.startTime);
		}

		const inits = pod.containers.filter((c) => c.kind !== 'app');
		if (inits.length > 0) {
			status['initContainerStatuses'] = inits.map((c) => statusJson(c));
		}

		status['containerStatuses'] = pod.apps.map((c) => statusJson(c));
	}

	status['qosClass'] = qosClass(pod.workload.spec.template.containers);
	return status;
}

export function podObject(cluster: Cluster, pod: PodModel): PodObject {
	return {kind: 'Pod', apiVersion: 'v1', metadata: podMetadata(cluster, pod), spec: podSpec(pod), status: podStatus(cluster, pod)};
}
