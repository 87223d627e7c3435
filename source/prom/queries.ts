/**
 * The PromQL memtop sends, with the label names configurable for setups that relabel
 * (--prometheus-labels pod=pod_name,container=container_name,...). Working sets come from
 * container_memory_working_set_bytes: cAdvisor's series and the kubelet resource endpoint's have
 * the same name and labels, and several scrape jobs may carry the same container, so every query
 * takes the max by (namespace, pod, container): one series per container, whatever the jobs.
 */
import {MemtopError} from '../kube/errors.js';

export interface PromLabels {
	namespace: string;
	pod: string;
	container: string;
	node: string;
}

export const defaultLabels: PromLabels = {namespace: 'namespace', pod: 'pod', container: 'container', node: 'node'};

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** "pod=pod_name,container=container_name" over the defaults */
export function parseLabels(text: string | undefined): PromLabels {
	const out = {...defaultLabels};
	if (text === undefined) return out;
	for (const part of text.split(',')) {
		const [key, value, extra] = part.split('=').map(s => s.trim());
		if (!key || !value || extra !== undefined || !(key in out) || !labelName.test(value)) {
			throw new MemtopError(`--prometheus-labels: "${part}" is not KEY=LABEL with KEY one of namespace, pod, container, node (e.g. pod=pod_name)`, 2);
		}

		out[key as keyof PromLabels] = value;
	}

	return out;
}

/** a PromQL string literal */
export function quote(s: string): string {
	return JSON.stringify(s);
}

/** =~ for a set of names: exact alternatives (regex characters escaped) */
export function anyOf(names: readonly string[]): string {
	return quote(names.map(n => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

/** the selector of every container's working set, optionally in some namespaces / one pod */
export function containerSelector(l: PromLabels, scope: {namespaces?: readonly string[]; pod?: {namespace: string; name: string}; container?: string} = {}): string {
	const m = [`${l.container}!=""`, `${l.container}!="POD"`];
	if (scope.namespaces) m.push(`${l.namespace}=~${anyOf(scope.namespaces)}`);
	if (scope.pod) m.push(`${l.namespace}=${quote(scope.pod.namespace)}`, `${l.pod}=${quote(scope.pod.name)}`);
	if (scope.container !== undefined) m.push(`${l.container}=${quote(scope.container)}`);
	return `container_memory_working_set_bytes{${m.join(',')}}`;
}

const byContainer = (l: PromLabels) => `${l.namespace},${l.pod},${l.container}`;

/** one working-set series per container (the max over scrape jobs) */
export function containerWorkingSets(l: PromLabels, scope: Parameters<typeof containerSelector>[1] = {}): string {
	return `max by (${byContainer(l)}) (${containerSelector(l, scope)})`;
}

/** how many container series the scope has (to plan the chunks) */
export function containerCount(l: PromLabels, scope: Parameters<typeof containerSelector>[1] = {}): string {
	return `count(${containerWorkingSets(l, scope)})`;
}

/** how many container series each namespace of the scope has now (the backfill's plan, before the pods are listed) */
export function containerCountByNamespace(l: PromLabels, scope: Parameters<typeof containerSelector>[1] = {}): string {
	return `count by (${l.namespace}) (${containerWorkingSets(l, scope)})`;
}

/** nodes' working sets: the resource endpoint's node series, else cAdvisor's root cgroup */
export function nodeWorkingSets(l: PromLabels, nodes?: readonly string[]): string {
	const only = nodes ? `{${l.node}=~${anyOf(nodes)}}` : '';
	const root = nodes ? `{id="/",${l.node}=~${anyOf(nodes)}}` : '{id="/"}';
	return `max by (${l.node}) (node_memory_working_set_bytes${only}) or max by (${l.node}) (container_memory_working_set_bytes${root})`;
}

/** the highest working set within each step (peaks between the samples a range query returns) */
export function containerPeaks(l: PromLabels, stepMs: number, scope: Parameters<typeof containerSelector>[1] = {}): string {
	return `max by (${byContainer(l)}) (max_over_time(${containerSelector(l, scope)}[${Math.round(stepMs / 1000)}s]))`;
}

/**
 * OOM kills per container over a window, from whichever series exist: cAdvisor's
 * container_oom_events_total, else kube-state-metrics' restarts whose last termination was OOMKilled.
 */
export function oomKills(l: PromLabels, windowMs: number, scope: Parameters<typeof containerSelector>[1] = {}): string {
	const w = `${Math.round(windowMs / 1000)}s`;
	const sel = containerSelector(l, scope).replace('container_memory_working_set_bytes', '');
	return (
		`max by (${byContainer(l)}) (increase(container_oom_events_total${sel}[${w}])) or ` +
		`max by (${byContainer(l)}) (increase(kube_pod_container_status_restarts_total${sel}[${w}]) * on (${byContainer(l)}) group_left() ` +
		`(max by (${byContainer(l)}) (max_over_time(kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}[${w}]))))`
	);
}

/** restarts per container over a window (kube-state-metrics) */
export function restarts(l: PromLabels, windowMs: number, scope: Parameters<typeof containerSelector>[1] = {}): string {
	const sel = containerSelector(l, scope).replace('container_memory_working_set_bytes', '');
	return `max by (${byContainer(l)}) (increase(kube_pod_container_status_restarts_total${sel}[${Math.round(windowMs / 1000)}s]))`;
}
