/** The nodes, workloads and events tables. */
import {feedLevel} from '../../memory/percent.js';
import type {FeedEntry} from '../../model/index.js';
import {feedDetail, feedObject} from '../../view/events.js';
import type {NodeRow, WorkloadRow} from '../../view/index.js';
import type {Column} from '../columns.js';
import {columnPriority} from '../../view/columns.js';
import {filterOf, listState, type Action} from '../state.js';
import {
	age,
	bytes,
	dash,
	figureSeg,
	kindLabel,
	levelSeg,
	pct,
	place,
	psiColumn,
	resolveSelection,
	sparkCell,
	tableLines,
	text,
	type Ctx,
	type Line,
	type ListModel,
	wsTitle,
} from './common.js';

export interface Table<R> {
	lines: Line[];
	list: ListModel;
	selected: R | null;
}

/** The list model every table view shares; `open` says what Enter does on a row in range. */
function listTable<R>(
	id: string,
	rows: {length: number; row(i: number): R; key(i: number): string},
	view: {lines: Line[]; page: number; index: number; top: number},
	open: (i: number) => Action | null,
): Table<R> {
	const inRange = (i: number) => i >= 0 && i < rows.length;
	return {
		lines: view.lines,
		selected: rows.length > 0 ? rows.row(view.index) : null,
		list: {
			id,
			length: rows.length,
			page: view.page,
			index: view.index,
			top: view.top,
			keyAt: i => (inRange(i) ? rows.key(i) : null),
			open: i => (inRange(i) ? open(i) : null),
		},
	};
}

// ------------------------------------------------------------------ nodes

function nodeColumns(ctx: Ctx, trend: {width: number}): Array<Column<NodeRow>> {
	const {theme} = ctx;
	return [
		{id: 'node', title: 'NODE', width: 28, flex: 2, min: 12, max: 48, align: 'left', priority: columnPriority.nodes.node, sort: 'name', cell: r => r.name},
		{id: 'ws', title: wsTitle(ctx), width: 6, align: 'right', priority: columnPriority.nodes.ws, sort: 'workingSet', cell: r => figureSeg(bytes(r.workingSet), r.level, ctx)},
		{id: 'alloc', title: 'ALLOC', width: 6, align: 'right', priority: columnPriority.nodes.alloc, sort: 'allocatable', cell: r => bytes(r.allocatable)},
		{id: 'pct', title: '%ALLOC', width: 7, align: 'right', priority: columnPriority.nodes.pct, sort: 'pctAllocatable', cell: r => figureSeg(pct(r.pctAllocatable), r.level, ctx)},
		{id: 'req', title: 'REQUESTS', width: 9, align: 'right', priority: columnPriority.nodes.req, sort: 'requests', cell: r => bytes(r.requests)},
		{id: 'pctreq', title: '%REQ', width: 5, align: 'right', priority: columnPriority.nodes.pctreq, cell: r => pct(r.pctRequests)},
		{id: 'pods', title: 'PODS', width: 5, align: 'right', priority: columnPriority.nodes.pods, sort: 'pods', cell: r => String(r.pods)},
		{
			id: 'pressure',
			title: 'PRESSURE',
			width: 9,
			align: 'left',
			priority: columnPriority.nodes.pressure,
			sort: 'pressure',
			cell: r => (r.memoryPressure ? text('Memory', theme.level('crit'), {bold: true}) : r.ready ? text('-', theme.muted) : text('NotReady', theme.level('warn'))),
		},
		{
			id: 'avail',
			title: 'AVAIL/EVICT',
			width: 13,
			align: 'right',
			priority: columnPriority.nodes.avail,
			sort: 'available',
			cell: r => {
				if (r.available === null || r.evictionHard === null) return text(r.summary === 'unavailable' ? 'n/a' : dash, theme.muted);
				return levelSeg(`${bytes(r.available)}/${bytes(r.evictionHard)}`, r.distanceLevel, theme);
			},
		},
		psiColumn<NodeRow>(ctx, r => ({psi: r.psi, level: r.pressureLevel}), columnPriority.nodes.psi),
		{id: 'trend', title: 'TREND', width: 12, flex: 1, min: 8, max: 40, align: 'left', priority: columnPriority.nodes.trend, cell: r => sparkCell(ctx, 'node', r.name, r.allocatable, r.level, trend.width)},
	];
}

export function nodesTable(ctx: Ctx, height: number): Table<NodeRow> {
	const {state, vm, width} = ctx;
	const id = 'nodes';
	const rows = vm.nodeRows({sort: state.sorts.nodes, filter: filterOf(state, id)});
	const page = Math.max(1, height - 1);
	const {index, top} = resolveSelection(listState(state, id), rows.length, k => rows.indexOf(k), page);
	const trend = {width: 12};
	const placed = place(nodeColumns(ctx, trend), width);
	trend.width = placed.find(p => p.col.id === 'trend')?.width ?? 12;
	const lines = tableLines({placed, sort: state.sorts.nodes, length: rows.length, top, index, page, row: i => rows.row(i), width, theme: ctx.theme, empty: rows.scoped === 0 ? 'no nodes' : 'no nodes match the filter'});
	return listTable(id, rows, {lines, page, index, top}, i => ({type: 'push', frame: {kind: 'node', name: rows.key(i)}}));
}

// ------------------------------------------------------------------ workloads

function spreadText(r: WorkloadRow): string {
	if (Number.isNaN(r.spread.max)) return dash;
	if (r.sampled === 1) return bytes(r.spread.max);
	return `${bytes(r.spread.min)}/${bytes(r.spread.median)}/${bytes(r.spread.max)}`;
}

function workloadColumns(ctx: Ctx, finished: boolean): Array<Column<WorkloadRow>> {
	const {theme} = ctx;
	const byNs = ctx.state.groupBy === 'namespace';
	const cols: Array<Column<WorkloadRow>> = [
		{id: 'namespace', title: 'NAMESPACE', width: 14, flex: 1, min: 6, max: 28, align: 'left', priority: byNs ? 10 : 5, sort: 'namespace', cell: r => r.namespace},
	];
	if (!byNs) {
		cols.push(
			{id: 'kind', title: 'KIND', width: 11, align: 'left', priority: columnPriority.workloads.kind, sort: 'kind', cell: r => r.kind},
			{id: 'name', title: 'WORKLOAD', width: 28, flex: 3, min: 12, max: 56, align: 'left', priority: columnPriority.workloads.name, sort: 'name', cell: r => r.name},
		);
	}

	cols.push(
		{id: 'pods', title: 'PODS', width: 5, align: 'right', priority: columnPriority.workloads.pods, sort: 'pods', cell: r => (r.sampled === r.pods ? String(r.pods) : `${r.sampled}/${r.pods}`)},
		{id: 'ws', title: wsTitle(ctx), width: 6, align: 'right', priority: columnPriority.workloads.ws, sort: 'workingSet', cell: r => figureSeg(bytes(r.workingSetBytes), r.level, ctx)},
		{id: 'req', title: 'REQ', width: 6, align: 'right', priority: columnPriority.workloads.req, sort: 'request', cell: r => bytes(r.requestBytes)},
		{id: 'lim', title: 'LIM', width: 6, align: 'right', priority: columnPriority.workloads.lim, sort: 'limit', cell: r => bytes(r.limitBytes)},
		{id: 'pctlim', title: '%LIM', width: 5, align: 'right', priority: columnPriority.workloads.pctlim, sort: 'pctLimit', cell: r => figureSeg(pct(r.pctLimit), r.level, ctx)},
		{id: 'spread', title: 'MIN/MEDIAN/MAX', width: 20, align: 'right', priority: columnPriority.workloads.spread, sort: 'spread', cell: r => spreadText(r)},
		{id: 'rst', title: 'RST', width: 4, align: 'right', priority: columnPriority.workloads.rst, sort: 'restarts', cell: r => String(r.restarts)},
	);
	// finished pods are in no sum; when there are any, a column counts them
	if (finished) cols.splice(cols.findIndex(c => c.id === 'pods') + 1, 0, {id: 'done', title: 'DONE', width: 4, align: 'right', priority: columnPriority.workloads.done, cell: r => (r.finished > 0 ? text(String(r.finished), theme.muted) : '')});
	return cols;
}

export function workloadsTable(ctx: Ctx, height: number): Table<WorkloadRow> {
	const {state, vm, width} = ctx;
	const id = 'workloads';
	const rows = vm.workloadRows({sort: state.sorts.workloads, filter: filterOf(state, id), namespace: state.namespace, groupBy: state.groupBy});
	const page = Math.max(1, height - 1);
	const {index, top} = resolveSelection(listState(state, id), rows.length, k => rows.indexOf(k), page);
	let finished = false;
	for (let i = top; i < Math.min(rows.length, top + page) && !finished; i++) finished = rows.row(i).finished > 0;
	const placed = place(workloadColumns(ctx, finished), width);
	const lines = tableLines({placed, sort: state.sorts.workloads, length: rows.length, top, index, page, row: i => rows.row(i), width, theme: ctx.theme, empty: 'no workloads'});
	return listTable(id, rows, {lines, page, index, top}, i => ({type: 'push', frame: {kind: 'workload', key: rows.key(i)}}));
}

// ------------------------------------------------------------------ events

function eventColumns(ctx: Ctx): Array<Column<FeedEntry>> {
	const {theme, now} = ctx;
	return [
		{id: 'age', title: 'AGE', width: 6, align: 'right', priority: columnPriority.events.age, sort: 'time', cell: e => age(now, e.time)},
		{id: 'kind', title: 'KIND', width: 15, align: 'left', priority: columnPriority.events.kind, sort: 'kind', cell: e => text(kindLabel(e.kind), theme.level(feedLevel(e.kind)))},
		{
			id: 'object',
			title: 'OBJECT',
			width: 40,
			flex: 2,
			min: 16,
			max: 64,
			align: 'left',
			priority: columnPriority.events.object,
			sort: 'object',
			cell: e => feedObject(e) + (e.init ? ' (init)' : ''),
		},
		{id: 'count', title: 'COUNT', width: 6, align: 'right', priority: columnPriority.events.count, sort: 'count', cell: e => String(e.count)},
		{id: 'flags', title: 'FLAGS', width: 12, align: 'left', priority: columnPriority.events.flags, cell: e => (e.flags.length > 0 ? text(e.flags.join(','), theme.level('crit'), {bold: true}) : '')},
		{
			id: 'detail',
			title: 'REASON / MESSAGE',
			width: 30,
			flex: 3,
			min: 12,
			max: 400,
			align: 'left',
			priority: columnPriority.events.detail,
			cell: e => feedDetail(e),
		},
	];
}

export function eventsTable(ctx: Ctx, height: number): Table<FeedEntry> {
	const {state, vm, width} = ctx;
	const id = 'events';
	const rows = vm.eventRows({sort: state.sorts.events, filter: filterOf(state, id), namespace: state.namespace});
	const page = Math.max(1, height - 1);
	const {index, top} = resolveSelection(listState(state, id), rows.length, k => rows.indexOf(k), page);
	const placed = place(eventColumns(ctx), width);
	const lines = tableLines({
		placed,
		sort: state.sorts.events,
		length: rows.length,
		top,
		index,
		page,
		row: i => rows.row(i),
		width,
		theme: ctx.theme,
		empty: rows.scoped === 0 ? 'no OOM kills, evictions or node memory events seen yet' : 'no events match the filter',
	});
	return listTable(id, rows, {lines, page, index, top}, (i): Action => {
		const e = rows.row(i);
		if (e.pod !== '') {
			const key = `${e.namespace}/${e.pod}`;
			if (vm.hasPod(key)) return {type: 'push', frame: {kind: 'pod', key, container: e.container === '' ? null : e.container}};
			if (e.node !== '' && vm.hasNode(e.node)) return {type: 'push', frame: {kind: 'node', name: e.node}};
			return {type: 'message', text: `pod ${key} no longer exists`};
		}

		if (vm.hasNode(e.node)) return {type: 'push', frame: {kind: 'node', name: e.node}};
		return {type: 'message', text: `node ${e.node} no longer exists`};
	});
}
