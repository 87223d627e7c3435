/**
 * A pod's QoS class from its containers' requests and limits (as the API server sets
 * status.qosClass), and the oom_score_adj the kubelet gives its processes.
 */
import type {ContainerSpec} from './cluster-spec.js';
import {parseBytes} from './quantity.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

function cpuMilli(text: string | undefined): number | null {
	if (text === undefined) {
		return null;
	}

	return text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

/** Guaranteed: every container has cpu and memory limits equal to its requests; BestEffort: none sets any. */
export function qosClass(containers: readonly ContainerSpec[]): QosClass {
	let any = false;
	let guaranteed = true;
	for (const spec of containers) {
		const requests = {cpu: spec.requests?.cpu ?? spec.limits?.cpu, memory: spec.requests?.memory ?? spec.limits?.memory};
		const limits = spec.limits ?? {};
		if (requests.cpu !== undefined || requests.memory !== undefined || limits.cpu !== undefined || limits.memory !== undefined) {
			any = true;
		}

		if (limits.cpu === undefined || limits.memory === undefined || requests.cpu === undefined || requests.memory === undefined) {
			guaranteed = false;
		} else if (cpuMilli(requests.cpu) !== cpuMilli(limits.cpu) || parseBytes(requests.memory) !== parseBytes(limits.memory)) {
			guaranteed = false;
		}
	}

	if (!any) {
		return 'BestEffort';
	}

	return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** kubelet's oom_score_adj for a container (pkg/kubelet/qos/policy.go) */
export function oomScoreAdj(qos: QosClass, requestBytes: number, capacity: number, critical: boolean): number {
	if (critical) {
		return -997;
	}

	if (qos === 'Guaranteed') {
		return -997;
	}

	if (qos === 'BestEffort') {
		return 1000;
	}

	const adj = 1000 - Math.floor((1000 * requestBytes) / capacity);
	return Math.min(999, Math.max(2, adj));
}
