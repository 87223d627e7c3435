/**
 * The --once tables' columns: title, alignment, cell text, and the priority that decides which go
 * first when the table is wider than the terminal (view/columns.ts, the table the TUI reads too).
 * Missing values are `-` (ASCII, for scripts), never an em dash.
 */
import {forecastCell} from '../../memory/forecast.js';
import {formatBytes, formatDuration, formatPercent, formatStall} from '../../memory/quantity.js';
import type {FeedEntry, MemoryPsi} from '../../model/index.js';
import {columnPriority} from '../../view/columns.js';
import {feedDetail, feedObject} from '../../view/events.js';
import type {NodeRow, PodRow, Status, ViewModel, WorkloadRow} from '../../view/index.js';
import {iso} from './json.js';

export interface OnceColumn<R> {
	id: string;
	title: string;
	right?: boolean;
	priority: number;
	/** the narrowest this column may be cut to (by the terminal's width) before it is dropped; unset: never cut */
	shrink?: number;
	cell(row: R): string;
}

export interface OnceCtx {
	vm: ViewModel;
	st: Status;
	now: number;
}

export const dash = '-';
export const bytes = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? dash : formatBytes(n));
export const pct = (n: number | null): string => (n === null || !Number.isFinite(n) ? dash : formatPercent(n));
export const age = (now: number, t: number | null | undefined): string => (t ? formatDuration(Math.max(0, now - t)) : dash);

/** a figure marked when the metrics are stale */
function ws(n: number | null, stale: boolean): string {
	return n === null ? dash : stale ? `${bytes(n)}~` : bytes(n);
}

/** PSI some avg10 in % */
export function stall(psi: MemoryPsi | null): string {
	return psi === null ? dash : formatStall(psi.some.avg10);
}

function oomIn(r: PodRow, now: number): string {
	return (r.forecast === null || !r.live ? null : forecastCell(r.forecast, now)) ?? dash;
}

/** the namespace column when the scope is all namespaces (kubectl shows it only with -A) */
const allNamespaces = (st: Status): boolean => (st.connection?.namespace ?? null) === null;

export function podColumns({st, now}: OnceCtx): Array<OnceColumn<PodRow>> {
	const p = columnPriority.pods;
	const cols: Array<OnceColumn<PodRow>> = [
		{id: 'namespace', title: 'NAMESPACE', priority: p.namespace, cell: r => r.namespace},
		{id: 'pod', title: 'POD', priority: p.pod, cell: r => r.name},
		{id: 'status', title: 'STATUS', priority: p.status, cell: r => r.status},
		{id: 'ws', title: 'WORKING SET', right: true, priority: p.ws, cell: r => ws(r.workingSet, st.stale)},
		{id: 'req', title: 'REQUEST', right: true, priority: p.req, cell: r => bytes(r.request)},
		{id: 'lim', title: 'LIMIT', right: true, priority: p.lim, cell: r => bytes(r.limit)},
		{id: 'pctreq', title: '%REQ', right: true, priority: p.pctreq, cell: r => pct(r.pctRequest)},
		{id: 'pctlim', title: '%LIM', right: true, priority: p.pctlim, cell: r => pct(r.pctLimit)},
		{id: 'oom', title: 'OOM-IN', right: true, priority: p.oom, cell: r => oomIn(r, now)},
		{id: 'rst', title: 'RESTARTS', right: true, priority: p.rst, cell: r => String(r.restarts)},
		{id: 'age', title: 'AGE', right: true, priority: p.age, cell: r => age(now, r.record.createdAt)},
	];
	return allNamespaces(st) ? cols : cols.filter(c => c.id !== 'namespace');
}

export function nodeColumns({st, now}: OnceCtx): Array<OnceColumn<NodeRow>> {
	const p = columnPriority.nodes;
	return [
		{id: 'node', title: 'NODE', priority: p.node, cell: r => r.name},
		{id: 'status', title: 'STATUS', priority: p.status, cell: r => (r.ready ? 'Ready' : 'NotReady')},
		{id: 'ws', title: 'WORKING SET', right: true, priority: p.ws, cell: r => ws(r.workingSet, st.stale)},
		{id: 'alloc', title: 'ALLOCATABLE', right: true, priority: p.alloc, cell: r => bytes(r.allocatable)},
		{id: 'pct', title: '%ALLOC', right: true, priority: p.pct, cell: r => pct(r.pctAllocatable)},
		{id: 'req', title: 'REQUESTED', right: true, priority: p.req, cell: r => bytes(r.requests)},
		{id: 'pods', title: 'PODS', right: true, priority: p.pods, cell: r => String(r.pods)},
		{id: 'pressure', title: 'PRESSURE', priority: p.pressure, cell: r => (r.memoryPressure ? 'MemoryPressure' : dash)},
		{id: 'avail', title: 'AVAILABLE', right: true, priority: p.avail, cell: r => bytes(r.available)},
		{id: 'psi', title: st.psi ? 'PSI' : 'PSI n/a', right: true, priority: p.psi, cell: r => (st.psi ? stall(r.psi) : '')},
		{id: 'age', title: 'AGE', right: true, priority: p.age, cell: r => age(now, r.record.createdAt)},
	];
}

export function workloadColumns({st}: OnceCtx): Array<OnceColumn<WorkloadRow>> {
	const p = columnPriority.workloads;
	const cols: Array<OnceColumn<WorkloadRow>> = [
		{id: 'namespace', title: 'NAMESPACE', priority: p.namespace, cell: r => r.namespace},
		{id: 'kind', title: 'KIND', priority: p.kind, cell: r => r.kind},
		{id: 'name', title: 'WORKLOAD', priority: p.name, cell: r => r.name},
		{id: 'pods', title: 'PODS', right: true, priority: p.pods, cell: r => String(r.pods)},
		{id: 'done', title: 'DONE', right: true, priority: p.done, cell: r => String(r.finished)},
		{id: 'ws', title: 'WORKING SET', right: true, priority: p.ws, cell: r => ws(r.workingSetBytes, st.stale)},
		{id: 'req', title: 'REQUEST', right: true, priority: p.req, cell: r => bytes(r.requestBytes)},
		{id: 'lim', title: 'LIMIT', right: true, priority: p.lim, cell: r => bytes(r.limitBytes)},
		{id: 'pctlim', title: '%LIM', right: true, priority: p.pctlim, cell: r => pct(r.pctLimit)},
		{id: 'rst', title: 'RESTARTS', right: true, priority: p.rst, cell: r => String(r.restarts)},
	];
	return allNamespaces(st) ? cols : cols.filter(c => c.id !== 'namespace');
}

export function eventColumns(): Array<OnceColumn<FeedEntry>> {
	const p = columnPriority.events;
	return [
		{id: 'time', title: 'TIME', priority: p.time, cell: e => iso(e.time) ?? dash},
		{id: 'kind', title: 'KIND', priority: p.kind, cell: e => e.kind},
		{id: 'object', title: 'OBJECT', priority: p.object, cell: e => feedObject(e)},
		{id: 'count', title: 'COUNT', right: true, priority: p.count, cell: e => String(e.count)},
		{id: 'flags', title: 'FLAGS', priority: p.flags, cell: e => (e.flags.length > 0 ? e.flags.join(',') : dash)},
		{id: 'detail', title: 'REASON / MESSAGE', priority: p.detail, shrink: 20, cell: e => feedDetail(e)},
	];
}
