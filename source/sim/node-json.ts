/**
 * The Node objects the simulated API server serves, for both scenarios: the well-known labels,
 * capacity and allocatable, the four conditions the kubelet posts, addresses and nodeInfo.
 */
import type {NodeModel} from './models.js';
import {hashString, hexFrom} from './prng.js';
import {KI, milliCores, rfc3339} from './quantity.js';
import {taintsOf} from './scheduler.js';

type NodeObject = Record<string, unknown> & {metadata: Record<string, unknown>};

/** What sets one node apart from another; times are epoch ms. */
interface NodeFacts {
	name: string;
	uid: string;
	created: number;
	labels: Record<string, string>;
	podCIDR: string;
	providerID: string;
	taints: Array<Record<string, unknown>>;
	cpuCores: number;
	allocatableMilliCpu: number;
	capacityKi: number;
	allocatableKi: number;
	heartbeat: number;
	memoryPressure: boolean;
	/** lastTransitionTime of MemoryPressure, of DiskPressure and PIDPressure, and of Ready */
	transitions: {memory: number; pressure: number; ready: number};
	addresses: Array<{type: string; address: string}>;
	ids: {machineID: string; systemUUID: string; bootID: string};
	swapBytes?: number;
}

/** The labels the kubelet and the cloud provider put on a node, then the node's own. */
export function nodeLabels(name: string, instanceType: string, region: string, zone: string, own: Record<string, string> = {}): Record<string, string> {
	return {
		'beta.kubernetes.io/arch': 'amd64',
		'beta.kubernetes.io/instance-type': instanceType,
		'beta.kubernetes.io/os': 'linux',
		'kubernetes.io/arch': 'amd64',
		'kubernetes.io/hostname': name,
		'kubernetes.io/os': 'linux',
		'node.kubernetes.io/instance-type': instanceType,
		'topology.kubernetes.io/region': region,
		'topology.kubernetes.io/zone': zone,
		...own,
	};
}

export function nodeObject(node: NodeFacts): NodeObject {
	const spec: Record<string, unknown> = {podCIDR: node.podCIDR, podCIDRs: [node.podCIDR], providerID: node.providerID};
	if (node.taints.length > 0) {
		spec['taints'] = node.taints;
	}

	const heartbeat = rfc3339(node.heartbeat);
	const memoryCondition = node.memoryPressure
		? {type: 'MemoryPressure', status: 'True', lastHeartbeatTime: heartbeat, lastTransitionTime: rfc3339(node.transitions.memory), reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available'}
		: {type: 'MemoryPressure', status: 'False', lastHeartbeatTime: heartbeat, lastTransitionTime: rfc3339(node.transitions.memory), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available'};
	const pressure = rfc3339(node.transitions.pressure);
	const nodeInfo: Record<string, unknown> = {
		...node.ids,
		kernelVersion: '6.8.0-1021-aws',
		osImage: 'Ubuntu 24.04.2 LTS',
		containerRuntimeVersion: 'containerd://2.1.4',
		kubeletVersion: 'v1.35.0',
		kubeProxyVersion: '',
		operatingSystem: 'linux',
		architecture: 'amd64',
	};
	if (node.swapBytes !== undefined) {
		nodeInfo['swap'] = {capacity: node.swapBytes};
	}

	return {
		kind: 'Node',
		apiVersion: 'v1',
		metadata: {
			name: node.name,
			uid: node.uid,
			resourceVersion: '',
			creationTimestamp: rfc3339(node.created),
			labels: node.labels,
			annotations: {
				'node.alpha.kubernetes.io/ttl': '0',
				'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
			},
		},
		spec,
		status: {
			capacity: {cpu: String(node.cpuCores), 'ephemeral-storage': '101203028Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${node.capacityKi}Ki`, pods: '110'},
			allocatable: {cpu: milliCores(node.allocatableMilliCpu), 'ephemeral-storage': '93270255340', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${node.allocatableKi}Ki`, pods: '110'},
			conditions: [
				memoryCondition,
				{type: 'DiskPressure', status: 'False', lastHeartbeatTime: heartbeat, lastTransitionTime: pressure, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure'},
				{type: 'PIDPressure', status: 'False', lastHeartbeatTime: heartbeat, lastTransitionTime: pressure, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available'},
				{type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat, lastTransitionTime: rfc3339(node.transitions.ready), reason: 'KubeletReady', message: 'kubelet is posting ready status'},
			],
			addresses: node.addresses,
			daemonEndpoints: {kubeletEndpoint: {Port: 10_250}},
			nodeInfo,
		},
	};
}

/** The labels of a node of the demo cluster. */
export function modelNodeLabels(node: NodeModel): Record<string, string> {
	const own: Record<string, string> = {...node.spec.labels};
	if (node.spec.controlPlane) {
		own['node-role.kubernetes.io/control-plane'] = '';
	}

	return nodeLabels(node.name, node.spec.instanceType, 'eu-west-1', node.spec.zone, own);
}

export function modelNodeObject(node: NodeModel): NodeObject {
	const boot = hexFrom(32, hashString(`${node.name}boot`));
	return nodeObject({
		name: node.name,
		uid: node.uid,
		created: node.created,
		labels: modelNodeLabels(node),
		podCIDR: `10.244.${node.index}.0/24`,
		providerID: `aws:///${node.spec.zone}/i-0${hexFrom(16, hashString(node.name))}`,
		taints: taintsOf(node).map((t) => (t.key === 'node.kubernetes.io/memory-pressure' ? {key: t.key, effect: t.effect, timeAdded: rfc3339(node.pressureChanged)} : {key: t.key, effect: t.effect})),
		cpuCores: node.spec.cpu,
		allocatableMilliCpu: node.spec.cpu * 1000 - 100,
		capacityKi: node.spec.capacityKi,
		allocatableKi: node.allocatable / KI,
		heartbeat: node.heartbeat,
		memoryPressure: node.pressure,
		transitions: {memory: node.pressureChanged, pressure: node.created + 8000, ready: node.readyTransition},
		addresses: [
			{type: 'InternalIP', address: node.ip},
			{type: 'InternalDNS', address: `ip-${node.ip.replaceAll('.', '-')}.eu-west-1.compute.internal`},
			{type: 'Hostname', address: node.name},
		],
		ids: {
			machineID: hexFrom(32, hashString(`${node.name}m`)),
			systemUUID: hexFrom(32, hashString(`${node.name}s`)),
			bootID: `${boot.slice(0, 8)}-${boot.slice(8, 12)}-${boot.slice(12, 16)}-${boot.slice(16, 20)}-${boot.slice(20, 32)}`,
		},
		swapBytes: node.spec.swapBytes,
	});
}
