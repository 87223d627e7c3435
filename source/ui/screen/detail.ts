/** Drill-down screens: a pod (containers, chart, diagnosis) and a node (eviction order, its pods, chart). */
import type {DiagnosisRow} from '../../memory/recommend.js';
import {formatDuration} from '../../memory/quantity.js';
import type {ContainerRow, NodeEviction} from '../../view/index.js';
import type {Column} from '../columns.js';
import {listState} from '../state.js';
import {fit} from '../text.js';
import {diagnosisTarget} from '../../view/diagnosis.js';
import {chartLines} from './chart-block.js';
import {
	age,
	bytes,
	clip,
	dash,
	figureSeg,
	levelSeg,
	pct,
	place,
	plain,
	qosShort,
	rateText,
	stallLine,
	stallText,
	resolveSelection,
	rule,
	statusColor,
	tableLines,
	text,
	type Ctx,
	type Line,
	type ListModel,
	wsTitle,
} from './common.js';
import {podsTable} from './pods.js';

export interface Body {
	lines: Line[];
	list: ListModel | null;
}

// ------------------------------------------------------------------ pod

type CRow = {kind: 'pod'} | {kind: 'container'; c: ContainerRow};

function containerColumns(ctx: Ctx, podWs: number | null): Array<Column<CRow>> {
	const {theme, now} = ctx;
	const isC = (r: CRow): r is {kind: 'container'; c: ContainerRow} => r.kind === 'container';
	return [
		{id: 'name', title: 'CONTAINER', width: 22, flex: 2, min: 10, max: 40, align: 'left', priority: 10, cell: r => (isC(r) ? r.c.name : '(whole pod)')},
		{id: 'kind', title: 'KIND', width: 7, align: 'left', priority: 3, cell: r => (isC(r) ? r.c.kind : '')},
		{id: 'ws', title: wsTitle(ctx), width: 6, align: 'right', priority: 9, cell: r => (isC(r) ? figureSeg(bytes(r.c.workingSet), r.c.level, ctx) : figureSeg(bytes(podWs), 'ok', ctx))},
		{id: 'rss', title: 'RSS', width: 6, align: 'right', priority: 6, cell: r => (isC(r) ? bytes(r.c.breakdown?.rssBytes) : '')},
		{id: 'cache', title: 'CACHE', width: 6, align: 'right', priority: 5, cell: r => (isC(r) ? bytes(r.c.breakdown?.cacheBytes) : '')},
		{id: 'usage', title: 'USAGE', width: 7, align: 'right', priority: 5, cell: r => (isC(r) && r.c.breakdown ? (r.c.breakdown.usageAtLeast ? '≥' : '') + bytes(r.c.breakdown.usageBytes) : '')},
		{id: 'req', title: 'REQ', width: 6, align: 'right', priority: 7, cell: r => (isC(r) ? bytes(r.c.request) : '')},
		{id: 'lim', title: 'LIM', width: 6, align: 'right', priority: 8, cell: r => (isC(r) ? bytes(r.c.limit) : '')},
		{id: 'pctlim', title: '%LIM', width: 5, align: 'right', priority: 8, cell: r => (isC(r) ? figureSeg(pct(r.c.pctLimit), r.c.level, ctx) : '')},
		{id: 'rst', title: 'RST', width: 3, align: 'right', priority: 6, cell: r => (isC(r) ? String(r.c.restarts) : '')},
		{id: 'psi', title: 'PSI', width: 5, align: 'right', priority: 2, cell: r => (isC(r) && r.c.breakdown?.psi ? stallText(r.c.breakdown.psi.some.avg10) : '')},
		{id: 'majf', title: 'MAJF/S', width: 7, align: 'right', priority: 1, cell: r => (isC(r) && r.c.breakdown ? rateText(r.c.breakdown.rates?.majorFaultsPerSec) : '')},
		{id: 'swap', title: 'SWAP', width: 6, align: 'right', priority: 1, cell: r => (isC(r) && r.c.breakdown ? bytes(r.c.breakdown.swapBytes) : '')},
		{
			id: 'state',
			title: 'STATE',
			width: 12,
			align: 'left',
			priority: 4,
			cell: r => {
				if (!isC(r)) return '';
				return text(r.c.status, statusColor(r.c.status, theme));
			},
		},
		{
			id: 'last',
			title: 'LAST EXIT',
			width: 20,
			flex: 1,
			min: 12,
			max: 40,
			align: 'left',
			priority: 4,
			cell: r => {
				if (!isC(r)) return '';
				const t = r.c.record.lastTermination;
				if (!t) return dash;
				const label = `${t.reason || 'terminated'} ${t.exitCode} ${age(now, t.finishedAt)} ago`;
				return text(label, t.reason === 'OOMKilled' ? theme.level('crit') : undefined);
			},
		},
	];
}

function diagnosisLines(ctx: Ctx, rows: DiagnosisRow[], max: number): Line[] {
	const labelW = 17;
	const out: Line[] = [];
	for (const r of rows.slice(0, max)) {
		out.push({segs: clip([text(' ' + fit(r.label, labelW - 1)), text(' '), levelSeg(r.value, r.level === 'info' ? 'info' : r.level, ctx.theme)], ctx.width)});
	}

	return out;
}

export function podBody(ctx: Ctx, key: string, focus: string | null, height: number): Body {
	const pod = ctx.vm.podRow(key);
	const id = `pod:${key}`;
	if (!pod) return {lines: [plain(`  pod ${key} no longer exists (deleted or evicted and removed); Esc to go back`)], list: null};
	const p = pod.record;
	const containers = ctx.vm.containerRows(key);
	const rows: CRow[] = [...(pod.containerCount > 1 ? [{kind: 'pod'} as CRow] : []), ...containers.map(c => ({kind: 'container', c}) as CRow)];
	const keyOf = (r: CRow) => (r.kind === 'pod' ? '' : r.c.name);
	const podWs = pod.workingSet;
	const summary: Line = {
		segs: clip(
			[
				text(' '),
				text(p.key, undefined, {bold: true}),
				text(' · '),
				text(pod.status, statusColor(pod.status, ctx.theme)),
				text(` · node ${p.nodeName || 'unscheduled'} · ${p.qos} · priority ${p.priority} · restarts ${p.restarts} · age ${age(ctx.now, p.createdAt)}`),
			],
			ctx.width,
		),
	};
	const lines: Line[] = [summary];
	const rest0 = height - 1;
	const tableRows = Math.min(rows.length, Math.max(1, Math.min(8, rest0 - 8)));
	const page = tableRows;
	const ls = listState(ctx.state, id);
	// Focus comes from the frame (drilled in on a container row) until the user moves.
	// Opening a pod selects the container it was opened on, else the whole pod (or its sole running
	// container), never a completed init container listed first.
	const initial = ls.key === null ? {...ls, key: focus ?? (pod.containerCount > 1 ? '' : (diagnosisTarget(p, null) ?? ''))} : ls;
	const {index, top} = resolveSelection(initial, rows.length, k => rows.findIndex(r => keyOf(r) === k), page);
	const placed = place(containerColumns(ctx, podWs), ctx.width);
	lines.push(...tableLines({placed, sort: null, length: rows.length, top, index, page, row: i => rows[i]!, width: ctx.width, theme: ctx.theme}));
	const selectedRow = rows[index];
	const focusName = selectedRow && selectedRow.kind === 'container' ? selectedRow.c.name : null;
	const target = diagnosisTarget(p, focusName);
	lines.push(...breakdownNote(ctx, containers));
	const diag = ctx.vm.diagnosis(key, target, ctx.now);
	const rest = height - lines.length;
	let chart = 0;
	const stallRow = ctx.status.psi ? 1 : 0;
	if (rest >= diag.length + 1 + 6 + stallRow) chart = Math.min(16, rest - diag.length - 1 - stallRow);
	else if (rest >= 10) chart = 6;
	lines.push(...chartLines(ctx, ctx.vm.podChart(p, target), chart));
	if (chart > 0 && ctx.status.psi) lines.push(stallLine(ctx, 'memory stall', 'podPsi', key, pod.psi, pod.pressureLevel));
	const diagRoom = height - lines.length;
	if (diagRoom > 1) {
		lines.push(rule(`diagnosis: ${target === null ? 'whole pod' : target}`, ctx.width, ctx.theme));
		lines.push(...diagnosisLines(ctx, diag, diagRoom - 1));
	}

	const list: ListModel = {
		id,
		length: rows.length,
		page,
		index,
		top,
		keyAt: i => (rows[i] ? keyOf(rows[i]!) : null),
		open: () => null,
		focus: i => ({type: 'focusContainer', container: rows[i] && rows[i]!.kind === 'container' ? keyOf(rows[i]!) : null}),
	};
	return {lines, list};
}

/** when the RSS/cache/usage figures come from an older Summary poll than the working set, say so */
function breakdownNote(ctx: Ctx, containers: ContainerRow[]): Line[] {
	const b = containers.find(c => c.breakdown !== null)?.breakdown ?? null;
	if (b === null || b.sameSample) return [];
	const lag = b.lagMs === null ? '' : `, ${formatDuration(Math.abs(b.lagMs))} ${b.lagMs >= 0 ? 'older than' : 'newer than'} the working set`;
	const raised = containers.some(c => c.breakdown?.usageAtLeast) ? '; ≥: usage is at least the working set' : '';
	return [{segs: clip([text(` RSS, cache, usage: kubelet Summary from ${age(ctx.now, b.time)} ago${lag}${raised}`, ctx.theme.muted)], ctx.width)}];
}

// ------------------------------------------------------------------ node

export function nodeBody(ctx: Ctx, name: string, height: number): Body {
	const n = ctx.vm.nodeRow(name);
	if (!n) return {lines: [plain(`  node ${name} no longer exists; Esc to go back`)], list: null};
	const {theme, width} = ctx;
	const lines: Line[] = [];
	lines.push({
		segs: clip(
			[
				text(' '),
				text(`node/${name}`, undefined, {bold: true}),
				text(` · ${wsTitle(ctx)} `),
				figureSeg(`${bytes(n.workingSet)} of ${bytes(n.allocatable)} allocatable (${pct(n.pctAllocatable)} alloc)`, n.level, ctx),
				text(` · capacity ${bytes(n.capacity)} · requests ${bytes(n.requests)} (${pct(n.pctRequests)}) · ${n.pods} pods · `),
				n.memoryPressure ? text('MemoryPressure', theme.level('crit'), {bold: true}) : text('no MemoryPressure'),
				text(n.ready ? ' · Ready' : ' · NotReady'),
			],
			width,
		),
	});
	const ev = ctx.vm.nodeEviction(name, 10);
	let thresholdText: Line;
	if (n.summary === 'ok' && ev.available !== null) {
		const d = ev.distance!;
		const src = ev.thresholdSource === 'default' ? 'kubelet default' : 'from kubelet configz';
		thresholdText = {
			segs: clip(
				[
					text(` memory.available ${bytes(ev.available)} · hard eviction threshold ${bytes(ev.threshold)} (${src}) · `),
					levelSeg(d >= 0 ? `${bytes(d)} above it` : `${bytes(-d)} below it: the kubelet evicts`, n.distanceLevel, theme),
				],
				width,
			),
		};
	} else if (n.summary === 'unavailable') {
		thresholdText = {segs: clip([text(` Summary API unavailable for this node: ${n.summaryReason} (no RSS/cache breakdown, no memory.available)`, theme.muted)], width)};
	} else {
		thresholdText = {segs: clip([text(' Summary API not polled yet (memory.available unknown; hard threshold assumed 100Mi, the kubelet default)', theme.muted)], width)};
	}

	lines.push(thresholdText);
	if (n.summary === 'ok') {
		const f = n.pressure;
		const parts = [`faults ${rateText(f?.faultsPerSec)} · major ${rateText(f?.majorFaultsPerSec)}`, n.swapBytes === null ? '' : `swap ${bytes(n.swapBytes)}`].filter(Boolean).join(' · ');
		lines.push({segs: clip([...stallLine(ctx, 'memory stall', 'nodePsi', name, n.psi, n.pressureLevel).segs, text(` · ${parts}`, theme.muted)], width)});
	}
	const chart = height >= 30 ? 10 : height >= 22 ? 7 : 0;
	const k = Math.min(ev.candidates.length, height >= 30 ? 5 : 3);
	lines.push(rule(`eviction order under memory pressure (kubelet: above request first, then priority, then excess) · ${ev.total} pods`, width, theme));
	lines.push({segs: clip([text(` ${evictionSource(ctx, ev)}`, theme.muted)], width)});
	const evCols: Array<Column<(typeof ev.candidates)[number]>> = [
		{id: 'rank', title: '#', width: 3, align: 'right', priority: 10, cell: c => String(c.rank)},
		{id: 'pod', title: 'POD', width: 36, flex: 2, min: 16, max: 60, align: 'left', priority: 10, cell: c => c.key},
		{id: 'ws', title: ev.source === 'summary' ? 'WS·KLT' : 'WS', width: 6, align: 'right', priority: 9, cell: c => bytes(c.workingSet)},
		...(ev.source === 'summary'
			? [{id: 'wsm', title: 'WS·MET', width: 6, align: 'right' as const, priority: 4, cell: (c: (typeof ev.candidates)[number]) => figureSeg(bytes(c.metricsWorkingSet), 'ok', ctx)}]
			: []),
		{id: 'req', title: 'REQ', width: 6, align: 'right', priority: 8, cell: c => bytes(c.request)},
		{
			id: 'over',
			title: 'OVER-REQ',
			width: 8,
			align: 'right',
			priority: 8,
			cell: c => (c.noStats ? text('no stats', theme.level('warn')) : levelSeg((c.overRequestBytes >= 0 ? '+' : '-') + bytes(Math.abs(c.overRequestBytes)), c.exceedsRequest ? 'warn' : 'ok', theme)),
		},
		{id: 'prio', title: 'PRIORITY', width: 10, align: 'right', priority: 6, cell: c => String(c.pod.priority)},
		{id: 'qos', title: 'QOS', width: 5, align: 'left', priority: 5, cell: c => qosShort(c.pod.qos)},
		{id: 'note', title: 'NOTE', width: 14, flex: 1, min: 6, max: 30, align: 'left', priority: 3, cell: c => (c.evictable ? '' : text('never evicted', theme.muted))},
	];
	const evPlaced = place(evCols, width);
	const evLines = tableLines({placed: evPlaced, sort: null, length: k, top: 0, index: -1, page: k, row: i => ev.candidates[i]!, width, theme, empty: 'no running pods'});
	lines.push(...evLines);
	const tableHeight = Math.max(3, height - lines.length - chart - 1);
	lines.push(rule(`pods on node/${name}`, width, theme));
	const pods = podsTable(ctx, {node: name}, `node:${name}`, tableHeight);
	lines.push(...pods.lines);
	const chartRows = height - lines.length;
	if (chartRows >= 5) lines.push(...chartLines(ctx, pods.selected ? ctx.vm.podChart(pods.selected.pod.record, pods.selected.container) : ctx.vm.nodeChart(name), chartRows));
	return {lines, list: pods.list};
}

/** which working sets the eviction order ranks by, and when they were taken */
function evictionSource(ctx: Ctx, ev: NodeEviction): string {
	if (ev.source === 'metrics') return 'WS from metrics.k8s.io (no kubelet Summary for this node)';
	return `WS·KLT: the kubelet's own (Summary, ${age(ctx.now, ev.sourceTime)} ago), what it ranks by; WS·MET: metrics.k8s.io, as the pods table`;
}

export function workloadBody(ctx: Ctx, key: string, height: number): Body {
	const by = key.includes('/') ? 'workload' : 'namespace';
	const w = ctx.vm.workloadRow(key);
	if (w === null) return {lines: [plain(`  workload ${key} has no pods any more; Esc to go back`)], list: null};
	const lines: Line[] = [];
	const spreadText = Number.isNaN(w.spread.max) ? 'no samples' : `min ${bytes(w.spread.min)} · median ${bytes(w.spread.median)} · max ${bytes(w.spread.max)}`;
	lines.push({
		segs: clip(
			[
				text(' '),
				text(by === 'workload' ? `${w.kind} ${w.namespace}/${w.name}` : `namespace ${w.namespace}`, undefined, {bold: true}),
				text(` · ${w.pods} pods${w.finished > 0 ? ` (+${w.finished} finished)` : ''} · ${wsTitle(ctx)} `),
				figureSeg(bytes(w.workingSetBytes), w.level, ctx),
				text(` (${spreadText}) · requests ${bytes(w.requestBytes)} · limits ${bytes(w.limitBytes)} · restarts ${w.restarts}`),
			],
			ctx.width,
		),
	});
	const layoutChart = height >= 34 ? 12 : height >= 24 ? 9 : height >= 16 ? 6 : 0;
	const pods = podsTable(ctx, {workload: key}, `workload:${key}`, height - 1 - layoutChart);
	lines.push(...pods.lines);
	if (layoutChart > 0) lines.push(...chartLines(ctx, pods.selected ? ctx.vm.podChart(pods.selected.pod.record, pods.selected.container) : null, layoutChart));
	return {lines, list: pods.list};
}
