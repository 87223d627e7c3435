/**
 * `--once -o wide`: the table with every column, never cut to the terminal (as kubectl's wide),
 * and the columns only wide has: a pod's QoS class, node, RSS and memory PSI (the kubelet
 * Summary's, where it reported them: a pod table with them asks every node, one without asks
 * none), a node's capacity and % requested, a workload's spread across replicas.
 */
import {podRssBytes} from '../../memory/breakdown.js';
import {columnPriority} from '../../view/columns.js';
import type {NodeRow, PodRow, WorkloadRow} from '../../view/index.js';
import {bytes, dash, pct, stall, type OnceColumn, type OnceCtx} from './columns.js';

/** a wide column and the column it follows */
type Extra<R> = {after: string; column: OnceColumn<R>};

function podExtras({vm, st}: OnceCtx): Array<Extra<PodRow>> {
	const p = columnPriority.pods;
	return [
		{after: 'ws', column: {id: 'rss', title: 'RSS', right: true, priority: p.rss, cell: r => (r.live ? bytes(podRssBytes(vm.containerRows(r.key))) : dash)}},
		{after: 'oom', column: {id: 'psi', title: st.psi ? 'PSI' : 'PSI n/a', right: true, priority: p.psi, cell: r => (st.psi ? stall(r.psi) + (r.stalled ? '!' : '') : '')}},
		{after: 'rst', column: {id: 'qos', title: 'QOS', priority: p.qos, cell: r => r.qos}},
		{after: 'age', column: {id: 'node', title: 'NODE', priority: p.node, cell: r => r.node || dash}},
	];
}

function nodeExtras(): Array<Extra<NodeRow>> {
	const p = columnPriority.nodes;
	return [
		{after: 'ws', column: {id: 'capacity', title: 'CAPACITY', right: true, priority: p.capacity, cell: r => bytes(r.capacity)}},
		{after: 'req', column: {id: 'pctreq', title: '%REQ', right: true, priority: p.pctreq, cell: r => pct(r.pctRequests)}},
	];
}

function workloadExtras(): Array<Extra<WorkloadRow>> {
	const spread = (r: WorkloadRow) => (Number.isNaN(r.spread.max) ? dash : `${bytes(r.spread.min)}/${bytes(r.spread.median)}/${bytes(r.spread.max)}`);
	return [{after: 'pctlim', column: {id: 'spread', title: 'MIN/MEDIAN/MAX', right: true, priority: columnPriority.workloads.spread, cell: spread}}];
}

/** the columns with the wide ones in their places */
export function widen<R>(columns: Array<OnceColumn<R>>, extras: Array<Extra<R>>): Array<OnceColumn<R>> {
	const out = [...columns];
	for (const e of extras) {
		const at = out.findIndex(c => c.id === e.after);
		out.splice(at < 0 ? out.length : at + 1, 0, e.column);
	}

	return out;
}

export const wideExtras = {pods: podExtras, nodes: nodeExtras, workloads: workloadExtras};
