/** The pods table (with container rows under expanded pods), used by the pods view and drill-downs. */
import {forecastCell, forecastLevel} from '../../memory/forecast.js';
import type {ContainerRow, PodQuery, PodRow, RowSet} from '../../view/index.js';
import {columnPriority} from '../../view/columns.js';
import {rowSegments, type Column, type Placed} from '../columns.js';
import type {Action} from '../state.js';
import {filterOf, listState} from '../state.js';
import {fit} from '../text.js';
import type {Seg} from '../theme.js';
import {
	bytes,
	dash,
	figureSeg,
	pct,
	place,
	psiColumn,
	qosShort,
	resolveSelection,
	sparkCell,
	statusColor,
	tableLines,
	text,
	type Ctx,
	type Line,
	type ListModel,
	wsTitle,
} from './common.js';

type PodTableRow = {kind: 'pod'; pod: PodRow} | {kind: 'container'; pod: PodRow; c: ContainerRow};

/** the OOM-IN cell: the forecast's countdown at the clock (the same words as the diagnosis, compact) */
function oomCell(ctx: Ctx, r: PodRow): Seg {
	const cell = r.forecast === null || !r.live ? null : forecastCell(r.forecast, ctx.now);
	return cell === null ? text(dash, ctx.theme.muted) : text(cell, ctx.theme.level(forecastLevel(r.forecast!, ctx.now)));
}

export function podColumns(ctx: Ctx, trend: {width: number}): Array<Column<PodTableRow>> {
	const {theme} = ctx;
	const priority = columnPriority.pods;
	const isPod = (r: PodTableRow): r is {kind: 'pod'; pod: PodRow} => r.kind === 'pod';
	return [
		{id: 'namespace', title: 'NAMESPACE', width: 14, flex: 1, min: 8, max: 24, align: 'left', priority: priority.namespace, sort: 'namespace', cell: r => (isPod(r) ? r.pod.namespace : '')},
		{id: 'pod', title: 'POD', width: 34, flex: 3, min: 20, max: 64, align: 'left', priority: priority.pod, sort: 'name', cell: r => (isPod(r) ? r.pod.name : `└ ${r.c.name}`)},
		{
			id: 'ws',
			title: wsTitle(ctx),
			width: 6,
			align: 'right',
			priority: priority.ws,
			sort: 'workingSet',
			cell: r => (isPod(r) ? figureSeg(bytes(r.pod.workingSet), r.pod.level, ctx) : figureSeg(bytes(r.c.workingSet), r.c.level, ctx)),
		},
		{id: 'req', title: 'REQ', width: 6, align: 'right', priority: priority.req, sort: 'request', cell: r => bytes(isPod(r) ? r.pod.request : r.c.request)},
		{id: 'lim', title: 'LIM', width: 6, align: 'right', priority: priority.lim, sort: 'limit', cell: r => bytes(isPod(r) ? r.pod.limit : r.c.limit)},
		{id: 'pctreq', title: '%REQ', width: 5, align: 'right', priority: priority.pctreq, sort: 'pctRequest', cell: r => pct(isPod(r) ? r.pod.pctRequest : r.c.pctRequest)},
		{
			id: 'pctlim',
			title: '%LIM',
			width: 5,
			align: 'right',
			priority: priority.pctlim,
			sort: 'pctLimit',
			cell: r => (isPod(r) ? figureSeg(pct(r.pod.pctLimit), r.pod.level, ctx) : figureSeg(pct(r.c.pctLimit), r.c.level, ctx)),
		},
		{id: 'oom', title: 'OOM-IN', width: 7, align: 'right', priority: priority.oom, sort: 'oomIn', cell: r => (isPod(r) ? oomCell(ctx, r.pod) : '')},
		psiColumn<PodTableRow>(ctx, r => (isPod(r) ? {psi: r.pod.psi, level: r.pod.pressureLevel, stalled: r.pod.stalled} : r.c.breakdown ? {psi: r.c.breakdown.psi, level: 'ok'} : null), priority.psi),
		{id: 'qos', title: 'QOS', width: 5, align: 'left', priority: priority.qos, sort: 'qos', cell: r => (isPod(r) ? qosShort(r.pod.qos) : r.c.kind === 'app' ? '' : r.c.kind)},
		{id: 'rst', title: 'RST', width: 4, align: 'right', priority: priority.rst, sort: 'restarts', cell: r => String(isPod(r) ? r.pod.restarts : r.c.restarts)},
		{
			id: 'status',
			title: 'STATUS',
			width: 12,
			align: 'left',
			priority: priority.status,
			cell: r => {
				const s = isPod(r) ? r.pod.status : r.c.status;
				return text(s, statusColor(s, theme));
			},
		},
		{id: 'node', title: 'NODE', width: 16, flex: 1, min: 8, max: 28, align: 'left', priority: priority.node, sort: 'node', cell: r => (isPod(r) ? r.pod.node : '')},
		{
			id: 'trend',
			title: 'TREND',
			width: 12,
			flex: 2,
			min: 8,
			max: 24,
			align: 'left',
			priority: priority.trend,
			cell: r =>
				isPod(r)
					? sparkCell(ctx, 'pod', r.pod.key, r.pod.limit, r.pod.level, trend.width)
					: r.c.hasSeries && r.pod.containerCount > 1
						? sparkCell(ctx, 'container', r.pod.key, r.c.limit, r.c.level, trend.width, r.c.name)
						: text(''),
		},
	];
}

/** rows with the container rows of expanded pods spliced in */
class PodDisplay {
	readonly length: number;
	private readonly splices: Array<{at: number; pod: PodRow; containers: ContainerRow[]}>;
	constructor(
		readonly rows: RowSet<PodRow>,
		expanded: ReadonlySet<string>,
		containersOf: (key: string) => ContainerRow[],
	) {
		const splices: Array<{at: number; pod: PodRow; containers: ContainerRow[]}> = [];
		for (const key of expanded) {
			const i = rows.indexOf(key);
			if (i < 0) continue;
			const containers = containersOf(key);
			if (containers.length > 0) splices.push({at: i, pod: rows.row(i), containers});
		}

		splices.sort((a, b) => a.at - b.at);
		this.splices = splices;
		this.length = rows.length + splices.reduce((n, s) => n + s.containers.length, 0);
	}

	at(d: number): PodTableRow {
		let offset = 0;
		for (const s of this.splices) {
			const podDisplay = s.at + offset;
			if (d <= podDisplay) break;
			if (d <= podDisplay + s.containers.length) return {kind: 'container', pod: s.pod, c: s.containers[d - podDisplay - 1]!};
			offset += s.containers.length;
		}

		return {kind: 'pod', pod: this.rows.row(d - offset)};
	}

	key(d: number): string {
		const r = this.at(d);
		return r.kind === 'pod' ? r.pod.key : `${r.pod.key}\u0000${r.c.name}`;
	}

	indexOf(key: string): number {
		const [podKey, container] = key.split('\u0000');
		const i = this.rows.indexOf(podKey!);
		if (i < 0) return -1;
		let offset = 0;
		for (const s of this.splices) {
			if (s.at < i) offset += s.containers.length;
			else if (s.at === i && container !== undefined) {
				const c = s.containers.findIndex(x => x.name === container);
				return c < 0 ? i + offset : i + offset + 1 + c;
			}
		}

		return i + offset;
	}
}

interface PodsTable {
	lines: Line[];
	list: ListModel;
	/** the pod under the selection (a container row selects its pod) */
	selected: {pod: PodRow; container: string | null} | null;
	rows: RowSet<PodRow>;
}

/** the pods table in `height` lines (header included) */
export function podsTable(ctx: Ctx, scope: Pick<PodQuery, 'node' | 'workload'>, id: string, height: number): PodsTable {
	const {state, vm, width} = ctx;
	const query: PodQuery = {sort: state.sorts.pods, filter: filterOf(state, id), namespace: state.namespace, hideFinished: state.hideFinished, ...scope};
	const rows = vm.podRows(query);
	const display = new PodDisplay(rows, state.expanded, key => vm.containerRows(key));
	const page = Math.max(1, height - 1);
	const {index, top} = resolveSelection(listState(state, id), display.length, k => display.indexOf(k), page);
	const trend = {width: 12};
	const placed = place(podColumns(ctx, trend), width);
	trend.width = placed.find(p => p.col.id === 'trend')?.width ?? 12;
	const lines = tableLines<PodTableRow>({
		placed,
		sort: {key: query.sort.key, desc: query.sort.desc},
		length: display.length,
		top,
		index,
		page,
		row: i => display.at(i),
		gutter: i => {
			const r = display.at(i);
			if (r.kind === 'container') return ' ';
			return r.pod.containerCount > 1 || state.expanded.has(r.pod.key) ? (state.expanded.has(r.pod.key) ? '▾' : '▸') : ' ';
		},
		custom: i => {
			const r = display.at(i);
			return r.kind === 'container' ? containerSegments(placed, r) : null;
		},
		width,
		theme: ctx.theme,
		empty: rows.scoped === 0 ? (state.hideFinished ? 'no running pods (h shows finished ones)' : 'no pods') : 'no pods match the filter',
	});
	const list: ListModel = {
		id,
		length: display.length,
		page,
		index,
		top,
		keyAt: i => (i >= 0 && i < display.length ? display.key(i) : null),
		open: (i): Action | null => {
			if (i < 0 || i >= display.length) return null;
			const r = display.at(i);
			return {type: 'push', frame: {kind: 'pod', key: r.pod.key, container: r.kind === 'container' ? r.c.name : null}};
		},
		expandKey: i => {
			if (i < 0 || i >= display.length) return null;
			const r = display.at(i);
			return {key: r.pod.key, expanded: state.expanded.has(r.pod.key)};
		},
	};
	const selected =
		display.length === 0
			? null
			: (() => {
					const r = display.at(index);
					return {pod: r.pod, container: r.kind === 'container' ? r.c.name : null};
				})();
	return {lines, list, selected, rows};
}

/** a container row: its name and Summary breakdown span the namespace and pod columns */
function containerSegments(placed: Array<Placed<PodTableRow>>, r: {kind: 'container'; pod: PodRow; c: ContainerRow}): Seg[] {
	let lead = 0;
	let span = 0;
	while (lead < placed.length && (placed[lead]!.col.id === 'namespace' || placed[lead]!.col.id === 'pod')) {
		span += placed[lead]!.width + (lead > 0 ? 1 : 0);
		lead++;
	}

	const b = r.c.breakdown;
	const kind = r.c.kind === 'app' ? '' : ` (${r.c.kind})`;
	let label = `  └ ${r.c.name}${kind}`;
	if (b) label += `  rss ${bytes(b.rssBytes)} cache ${bytes(b.cacheBytes)} usage ${b.usageAtLeast ? '≥' : ''}${bytes(b.usageBytes)}`;
	const rest = rowSegments(placed.slice(lead), r, '');
	return [{text: ' '}, {text: fit(label, span)}, ...(lead > 0 && rest.length > 1 ? [{text: ' '}] : []), ...rest.slice(1)];
}
