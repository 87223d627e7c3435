/**
 * Every sort order of every list, defined once: the letter that picks it, what the help overlay
 * says, and the direction of its first press (numbers biggest first; text A→Z; time to OOM
 * soonest first). The key table, the reducer, the view model's sort columns and the columns' sort
 * arrows all read this table.
 */

interface SortDef<K extends string = string> {
	id: K;
	/** the key that picks this order (tmux-safe: a plain letter) */
	key: string;
	help: string;
	/** direction of the first press */
	desc: boolean;
}

export interface Sort<K extends string> {
	key: K;
	desc: boolean;
}

const podSorts = [
	{id: 'workingSet', key: 'm', help: 'working set', desc: true},
	{id: 'pctLimit', key: 'z', help: '% of limit', desc: true},
	{id: 'pctRequest', key: 'x', help: '% of request', desc: true},
	{id: 'oomIn', key: 'o', help: 'time to OOM (soonest first)', desc: false},
	{id: 'request', key: 'u', help: 'request', desc: true},
	{id: 'limit', key: 'l', help: 'limit', desc: true},
	{id: 'restarts', key: 't', help: 'restarts', desc: true},
	{id: 'qos', key: 'y', help: 'QoS class', desc: true},
	{id: 'name', key: 'a', help: 'pod name', desc: false},
	{id: 'namespace', key: 's', help: 'namespace', desc: false},
	{id: 'node', key: 'd', help: 'node', desc: false},
	{id: 'psi', key: 'i', help: 'memory stall (PSI some, last 10 s)', desc: true},
] as const satisfies readonly SortDef[];

const nodeSorts = [
	{id: 'pctAllocatable', key: 'z', help: '% of allocatable', desc: true},
	{id: 'workingSet', key: 'm', help: 'working set', desc: true},
	{id: 'available', key: 'x', help: 'headroom to the eviction threshold (least first)', desc: true},
	{id: 'requests', key: 'u', help: 'requests committed', desc: true},
	{id: 'allocatable', key: 'b', help: 'allocatable', desc: true},
	{id: 'pods', key: 'c', help: 'pod count', desc: true},
	{id: 'pressure', key: 'y', help: 'MemoryPressure / not ready', desc: true},
	{id: 'name', key: 'a', help: 'node name', desc: false},
	{id: 'psi', key: 'i', help: 'memory stall (PSI some, last 10 s)', desc: true},
] as const satisfies readonly SortDef[];

const workloadSorts = [
	{id: 'workingSet', key: 'm', help: 'working set (sum)', desc: true},
	{id: 'pctLimit', key: 'z', help: '% of limit (sum)', desc: true},
	{id: 'spread', key: 'x', help: 'spread across replicas (max − min)', desc: true},
	{id: 'pods', key: 'c', help: 'pods', desc: true},
	{id: 'request', key: 'u', help: 'request (sum)', desc: true},
	{id: 'limit', key: 'l', help: 'limit (sum)', desc: true},
	{id: 'restarts', key: 't', help: 'restarts', desc: true},
	{id: 'kind', key: 'y', help: 'kind', desc: false},
	{id: 'name', key: 'a', help: 'name', desc: false},
	{id: 'namespace', key: 's', help: 'namespace', desc: false},
] as const satisfies readonly SortDef[];

const eventSorts = [
	{id: 'time', key: 't', help: 'time', desc: true},
	{id: 'kind', key: 'y', help: 'kind', desc: false},
	{id: 'object', key: 'a', help: 'namespace/pod or node', desc: false},
	{id: 'count', key: 'c', help: 'count', desc: true},
] as const satisfies readonly SortDef[];

export type PodSortKey = (typeof podSorts)[number]['id'];
export type NodeSortKey = (typeof nodeSorts)[number]['id'];
export type WorkloadSortKey = (typeof workloadSorts)[number]['id'];
export type EventSortKey = (typeof eventSorts)[number]['id'];

export type ListName = 'pods' | 'nodes' | 'workloads' | 'events';

/** the sort orders per list; the first of each is the list's initial order */
export const sortTables: {readonly [L in ListName]: readonly SortDef[]} = {
	pods: podSorts,
	nodes: nodeSorts,
	workloads: workloadSorts,
	events: eventSorts,
};

/** the order a list starts in (the first row of its table, in its first-press direction) */
export function initialSort<K extends string>(list: ListName): Sort<K> {
	const d = sortTables[list][0]!;
	return {key: d.id as K, desc: d.desc};
}

/** the order a list starts in when the config file names one (`id` checked against the table; else the usual first) */
export function initialSortFrom<K extends string>(list: ListName, id: string): Sort<K> {
	const d = sortTables[list].find(x => x.id === id) ?? sortTables[list][0]!;
	return {key: d.id as K, desc: d.desc};
}

/** the order after picking `id`: the same order again reverses, a new one starts in its first-press direction */
export function pickSort<K extends string>(list: ListName, current: Sort<K>, id: K): Sort<K> {
	if (current.key === id) return {key: id, desc: !current.desc};
	const d = sortTables[list].find(x => x.id === id);
	return {key: id, desc: d ? d.desc : true};
}
