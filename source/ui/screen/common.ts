/**
 * What a frame is made of: lines of styled segments, built by pure functions from the view
 * model's rows and the UI state. Components only print these lines; the input hook uses the
 * `ListModel` to know what the keys act on. Levels come from source/memory; here they only
 * become colours.
 */
import {formatBytes, formatDuration, formatPercent, formatStall} from '../../memory/quantity.js';
import {feedLevel, type Level} from '../../memory/percent.js';
import {statusLevel} from '../../memory/pod-state.js';
import type {FeedEntry, MemoryPsi} from '../../model/index.js';
import {feedDetail, feedObject} from '../../view/events.js';
import type {Status, ViewModel} from '../../view/index.js';
import {headerSegments, placeColumns, rowSegments, type Column, type Placed} from '../columns.js';
import type {Action, ListState, UiState} from '../state.js';
import {scrollTop} from '../state.js';
import {cellWidth, fit, maxFinite, sparkline, truncate} from '../text.js';
import type {Seg, Theme} from '../theme.js';

export interface Line {
	segs: Seg[];
	/** the selection bar (reverse video) */
	selected?: boolean;
}

export interface ListModel {
	id: string;
	length: number;
	/** rows visible at once */
	page: number;
	/** resolved selection */
	index: number;
	top: number;
	keyAt(i: number): string | null;
	/** what Enter does on row i */
	open(i: number): Action | null;
	/** pod key whose containers Space/→/← show or hide */
	expandKey?(i: number): {key: string; expanded: boolean} | null;
	/** action after the selection moved to row i (pod detail focuses a container) */
	focus?(i: number): Action | null;
}

export interface Ctx {
	vm: ViewModel;
	/** connection, freshness, sync, banners at `now` */
	status: Status;
	state: UiState;
	width: number;
	now: number;
	theme: Theme;
	/** REPLAY and the recorded time, when replaying */
	replay?: string;
}

/** an unknown or unset figure in a table (ASCII: cheaper for Ink to measure than an em dash) */
export const dash = '-';

export function text(t: string, color?: string, extra: Partial<Seg> = {}): Seg {
	return color === undefined ? {text: t, ...extra} : {text: t, color, ...extra};
}

export function plain(t: string): Line {
	return {segs: [{text: t}]};
}

/** segments cut so their total is at most `width` cells */
export function clip(segs: Seg[], width: number): Seg[] {
	const out: Seg[] = [];
	let used = 0;
	for (const s of segs) {
		const w = cellWidth(s.text);
		if (used + w <= width) {
			out.push(s);
			used += w;
			continue;
		}

		const room = width - used;
		if (room > 0) out.push({...s, text: truncate(s.text, room)});
		break;
	}

	return out;
}

export function segsWidth(segs: Seg[]): number {
	return segs.reduce((n, s) => n + cellWidth(s.text), 0);
}

/** a section rule with a title: "── title ─────" */
export function rule(title: string, width: number, theme: Theme, right = ''): Line {
	const head = `── ${title} `;
	const tail = right === '' ? '' : ` ${right} ──`;
	const fill = Math.max(0, width - cellWidth(head) - cellWidth(tail));
	const t = truncate(head + '─'.repeat(fill) + tail, width);
	return {segs: [text(t, theme.muted)]};
}

const known = (n: number | null | undefined): n is number => n !== null && n !== undefined && Number.isFinite(n);
export const bytes = (n: number | null | undefined): string => (known(n) ? formatBytes(n) : dash);
export const pct = (n: number | null | undefined): string => (known(n) ? formatPercent(n) : dash);

export function levelSeg(t: string, level: Level | 'info', theme: Theme): Seg {
	return text(t, theme.level(level));
}

/** resolve the selection of a list: by key when the row still exists, else by index */
export function resolveSelection(ls: ListState, length: number, indexOf: (key: string) => number, page: number): {index: number; top: number} {
	let index = -1;
	if (ls.key !== null) index = indexOf(ls.key);
	if (index < 0) index = Math.max(0, Math.min(length - 1, ls.index));
	if (length === 0) index = 0;
	return {index, top: scrollTop(index, ls.top, length, page)};
}

/** a table: header line + `page` row lines (padded with blank lines) */
export function tableLines<R>(opts: {
	placed: Array<Placed<R>>;
	sort: {key: string; desc: boolean} | null;
	length: number;
	top: number;
	index: number;
	page: number;
	row(i: number): R;
	gutter?(i: number): string;
	/** segments of a row instead of the column cells (container rows) */
	custom?(i: number): Seg[] | null;
	width: number;
	theme: Theme;
	empty?: string;
}): Line[] {
	const lines: Line[] = [{segs: [text(fit(headerSegments(opts.placed, opts.sort, ' '), opts.width), undefined, {bold: true})]}];
	const end = Math.min(opts.length, opts.top + opts.page);
	for (let i = opts.top; i < end; i++) {
		const custom = opts.custom?.(i) ?? null;
		const segs = custom ?? rowSegments(opts.placed, opts.row(i), opts.gutter?.(i) ?? ' ');
		lines.push({segs: padTo(clip(segs, opts.width), opts.width), selected: i === opts.index});
	}

	if (opts.length === 0 && opts.empty) lines.push({segs: [text(fit(`  ${opts.empty}`, opts.width), opts.theme.muted)]});
	while (lines.length < opts.page + 1) lines.push(plain(''));
	return lines;
}

export function padTo(segs: Seg[], width: number): Seg[] {
	const w = segsWidth(segs);
	return w >= width ? segs : [...segs, {text: ' '.repeat(width - w)}];
}

export function place<R>(columns: Array<Column<R>>, width: number): Array<Placed<R>> {
	return placeColumns(columns, width, 1);
}

/** a sparkline cell for a series: newest `width` samples against `scale` (limit) or the max seen */
export function sparkCell(ctx: Ctx, kind: 'pod' | 'node' | 'container', key: string, limit: number | null, level: Level, width: number, container?: string): Seg {
	const n = Math.max(1, width);
	const buf = new Float32Array(n);
	ctx.vm.seriesInto(kind, key, buf, container);
	let scale = limit ?? Number.NaN;
	if (!(scale > 0)) scale = maxFinite(ctx.vm.series(kind, key, container).values);
	return text(sparkline(buf, scale), ctx.status.stale ? ctx.theme.muted : (ctx.theme.level(level) ?? ctx.theme.accent), {keep: true});
}

export function age(now: number, t: number | null): string {
	if (t === null) return dash;
	return formatDuration(Math.max(0, now - t));
}

export function qosShort(q: string): string {
	return q === 'Guaranteed' ? 'Guar' : q === 'Burstable' ? 'Burst' : q === 'BestEffort' ? 'BE' : q;
}

export function statusColor(status: string, theme: Theme): string | undefined {
	const level = statusLevel(status);
	return level === 'info' ? theme.muted : theme.level(level);
}

/** a working-set figure (or a % of it): its level's colour, muted when the metrics are stale */
export function figureSeg(t: string, level: Level, ctx: Ctx): Seg {
	return ctx.status.stale ? text(t, ctx.theme.muted) : levelSeg(t, level, ctx.theme);
}

/** a working-set column's title: marked when the figures are last-known values */
export function wsTitle(ctx: Ctx, title = 'WS'): string {
	return ctx.status.stale ? `${title}~` : title;
}

const kindLabels: Record<string, string> = {
	NodeHasInsufficientMemory: 'InsufficientMem',
	EvictionThresholdMet: 'EvictThreshold',
	MemoryPressureCleared: 'PressureOff',
};

/** a feed kind in at most 15 cells */
export function kindLabel(kind: string): string {
	return kindLabels[kind] ?? kind;
}

/** one feed entry in a line: age, kind, object, reason/message, count, flags */
export function feedLine(e: FeedEntry, ctx: Ctx, width: number): Seg[] {
	const obj = feedObject(e) + (e.init ? ' (init)' : '');
	const detail = feedDetail(e);
	const segs: Seg[] = [
		text(fit(age(ctx.now, e.time), 6, 'right') + ' '),
		text(fit(kindLabel(e.kind), 15) + ' ', ctx.theme.level(feedLevel(e.kind))),
		text(obj + ' '),
	];
	if (e.count > 1) segs.push(text(`×${e.count} `));
	if (e.flags.length > 0) segs.push(text(`[${e.flags.join(',')}] `, ctx.theme.level('crit'), {bold: true}));
	segs.push(text(detail, ctx.theme.muted));
	return clip(segs, width);
}

/** a stall share in %: "14%", "0.4%", "0%" */
export function stallText(p: number | null | undefined): string {
	return p === null || p === undefined || !Number.isFinite(p) ? dash : formatStall(p);
}

/** a rate per second: "340/s", "2.5/s" */
export function rateText(r: number | null | undefined): string {
	if (r === null || r === undefined || !Number.isFinite(r)) return dash;
	return r >= 10 ? `${Math.round(r)}/s` : `${r.toFixed(1)}/s`;
}

/** the PSI column: some avg10 coloured by its level; when no kubelet reports PSI the title says so, once, and the cells stay empty */
export function psiColumn<R>(ctx: Ctx, get: (r: R) => {psi: MemoryPsi | null; level: Level; stalled?: boolean} | null, priority: number): Column<R> {
	const none = !ctx.status.psi;
	return {
		id: 'psi',
		title: none ? 'PSI n/a' : 'PSI',
		width: none ? 7 : 5,
		align: 'right',
		priority,
		sort: 'psi',
		cell: r => {
			if (none) return '';
			const v = get(r);
			if (!v?.psi) return text(dash, ctx.theme.muted);
			// a pod in a MemoryStall episode is flagged: "31%!"
			return v.stalled ? text(`${stallText(v.psi.some.avg10)}!`, ctx.theme.level('crit'), {bold: true}) : levelSeg(stallText(v.psi.some.avg10), v.level, ctx.theme);
		},
	};
}

/** one line: a stall series as a sparkline, with its newest value */
export function stallLine(ctx: Ctx, label: string, kind: 'podPsi' | 'nodePsi', key: string, psi: MemoryPsi | null, level: Level): Line {
	const head = ` ${label} `;
	const tail = psi ? ` ${stallText(psi.some.avg10)} some · ${stallText(psi.full.avg10)} full (10 s)` : ' no PSI';
	const n = Math.max(4, Math.min(36, ctx.width - cellWidth(head) - cellWidth(tail) - 1));
	const buf = new Float32Array(n);
	ctx.vm.seriesInto(kind, key, buf);
	return {segs: clip([text(head, ctx.theme.muted), text(sparkline(buf, Math.max(10, maxFinite(buf))), ctx.theme.level(level) ?? ctx.theme.accent, {keep: true}), levelSeg(tail, level, ctx.theme)], ctx.width)};
}
