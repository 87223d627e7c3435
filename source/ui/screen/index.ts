/**
 * A whole frame: header, banners, status line, body (a view, a drill-down or an overlay) and
 * footer, in exactly `height` lines of at most `width` cells.
 */
import {thresholds} from '../../memory/percent.js';
import {formatDuration} from '../../memory/quantity.js';
import {feedDetail, feedObject} from '../../view/events.js';
import type {NamespaceFrom} from '../../model/index.js';
import type {ViewModel} from '../../view/index.js';
import {activeBindings, footerItems, groups} from '../keys.js';
import {currentFrame, filterOf, listId, viewOrder, type UiState} from '../state.js';
import {cellWidth, fit, truncate, wrap} from '../text.js';
import type {Seg, Theme} from '../theme.js';
import {chartLines} from './chart-block.js';
import {clip, feedLine, padTo, plain, rule, segsWidth, text, type Ctx, type Line, type ListModel} from './common.js';
import {nodeBody, podBody, workloadBody, type Body} from './detail.js';
import {listLayout} from './layout.js';
import {eventsTable, nodesTable, workloadsTable} from './lists.js';
import {podsTable} from './pods.js';

interface ScreenInput {
	vm: ViewModel;
	state: UiState;
	width: number;
	height: number;
	now: number;
	theme: Theme;
	replay?: string;
}

export interface Screen {
	lines: Line[];
	list: ListModel | null;
}

const viewTitles: Record<string, string> = {pods: 'Pods', nodes: 'Nodes', workloads: 'Workloads', events: 'Events'};

function count(n: number): string {
	return n.toLocaleString('en-US');
}

/** why the watched namespace is what it is, in the header's few cells (the demo and a pick say nothing) */
const namespaceWhy: Partial<Record<NamespaceFrom, string>> = {context: 'from context', 'context-none': 'context names none', config: 'config', fallback: 'all forbidden'};

function namespaceSegs(ns: string | null, ctx: Ctx): Seg[] {
	const c = ctx.status.connection;
	const segs = [text(`ns ${ns ?? 'all'}`)];
	// a namespace picked in the screen (client-side) is its own reason
	if (ctx.state.namespace !== null || !c) return segs;
	if (c.namespaceMissing) return [...segs, text(' (not found)', ctx.theme.level('warn'))];
	const why = c.namespaceFrom === 'flag' ? (ns === null ? '-A' : '-n') : c.namespaceFrom ? namespaceWhy[c.namespaceFrom] : undefined;
	return why ? [...segs, text(` (${why})`, ctx.theme.muted)] : segs;
}

export function headerLine(ctx: Ctx): Line {
	const {status: st, theme, width} = ctx;
	const c = st.connection;
	// Parts by importance: on a narrow terminal the least important go first.
	const parts: Array<{segs: Seg[]; priority: number}> = [];
	if (c) {
		parts.push({segs: [text(c.demo ? `${c.context} (simulated)` : `ctx ${c.context}`)], priority: 6});
		parts.push({segs: [text(c.server, theme.muted)], priority: 1});
	} else {
		parts.push({segs: [text('connecting…', theme.muted)], priority: 6});
	}

	const ns = ctx.state.namespace ?? c?.namespace ?? null;
	parts.push({segs: namespaceSegs(ns, ctx), priority: 5});
	if (c && c.selector !== '') parts.push({segs: [text(`-l ${c.selector}`)], priority: 4});
	if (c?.fieldSelector) parts.push({segs: [text(`--field-selector ${c.fieldSelector}`)], priority: 4});
	const pods = st.pods;
	const shownPods = ctx.state.namespace === null ? pods : (st.namespaces.get(ctx.state.namespace) ?? 0);
	parts.push({segs: [text(ctx.state.namespace === null ? `${count(pods)} pods` : `${count(shownPods)}/${count(pods)} pods`), text(` ${count(st.nodes)} nodes`)], priority: 7});
	if (c && c.metricsApi === null && st.metricsTime === null) parts.push({segs: [text('no metrics API', theme.level('warn'))], priority: 8});
	else if (st.metricsAgeMs === null) parts.push({segs: [text('metrics pending', theme.muted)], priority: 8});
	else {
		const label = `metrics ${formatDuration(st.metricsAgeMs)} ago${st.stale ? ': WS~ are last-known' : ''}`;
		parts.push({segs: [text(label, st.stale ? theme.level('warn') : undefined)], priority: 8});
	}

	if (st.listing) parts.push({segs: [text(`listing pods ${count(st.listing.seen)}${st.listing.total === null ? '…' : ` / ~${count(st.listing.total)}`}`, theme.level('warn'))], priority: 9});
	else if (st.syncing) parts.push({segs: [text('syncing…', theme.level('warn'))], priority: 9});
	if (ctx.replay) parts.unshift({segs: [text(ctx.replay, theme.level('warn'), {bold: true})], priority: 10});
	if (st.behind.length > 0) parts.push({segs: [text(`${st.behind.join(', ')} stale`, theme.level('warn'))], priority: 9});
	const build = (ps: typeof parts): Seg[] => {
		const segs: Seg[] = [text('memtop', theme.accent, {bold: true})];
		for (const p of ps) segs.push(text(' │ ', theme.muted), ...p.segs);
		return segs;
	};

	let kept = [...parts];
	while (kept.length > 1 && segsWidth(build(kept)) > width) {
		let drop = 0;
		for (let i = 1; i < kept.length; i++) if (kept[i]!.priority < kept[drop]!.priority) drop = i;
		kept = kept.filter((_, i) => i !== drop);
	}

	return {segs: clip(build(kept), width)};
}

function bannerLines(ctx: Ctx, max: number): Line[] {
	const banners = ctx.status.banners;
	const out: Line[] = [];
	for (let i = 0; i < banners.length && out.length < max; i++) {
		const b = banners[i]!;
		const more = i === max - 1 && banners.length > max ? ` (+${banners.length - max} more)` : '';
		const color = b.level === 'error' ? ctx.theme.level('crit') : b.level === 'warn' ? ctx.theme.level('warn') : ctx.theme.muted;
		out.push({segs: clip([text(b.level === 'info' ? ' i ' : ' ! ', color, {bold: true}), text(b.text + more, color)], ctx.width)});
	}

	return out;
}

function statusLine(ctx: Ctx, list: ListModel | null): Line {
	const {state, theme, width} = ctx;
	const segs: Seg[] = [];
	const frame = currentFrame(state);
	viewOrder.forEach((v, i) => {
		const active = v === state.view;
		const label = `${i + 1} ${viewTitles[v]}`;
		segs.push(active ? text(`[${label}]`, theme.accent, {bold: true}) : text(` ${label} `, theme.muted));
	});
	for (const f of state.stack) {
		const label = f.kind === 'node' ? `node/${f.name}` : f.kind === 'workload' ? f.key : f.container ? `${f.key}/${f.container}` : f.key;
		segs.push(text(' › '), text(truncate(label, 40), undefined, {bold: true}));
	}

	const id = listId(state);
	const filter = filterOf(state, id);
	const right: Seg[] = [];
	if (state.editing) right.push(text('filter /'), text(filter, undefined, {bold: true}), text('█'));
	else if (filter !== '') right.push(text(`filter /${filter}`, theme.accent));
	if (list && (filter !== '' || state.editing)) right.push(text(` ${count(list.length)} rows`, theme.muted));
	if (state.namespace !== null) right.push(text(`  ns ${state.namespace}`, theme.accent));
	if (state.message !== '') right.push(text(`  ${state.message}`, theme.level('warn')));
	if (frame.kind !== 'view' || state.stack.length > 0) right.push(text('  Esc back', theme.muted));
	const left = clip(segs, width);
	const lw = segsWidth(left);
	const room = width - lw - 2;
	if (room > 4 && right.length > 0) {
		const r = clip(right, room);
		return {segs: [...left, text(' '.repeat(Math.max(2, width - lw - segsWidth(r)))), ...r]};
	}

	return {segs: left};
}

function footerLine(ctx: Ctx): Line {
	const {state, theme, width} = ctx;
	if (state.overlay?.kind === 'selector') {
		const o = state.overlay;
		const segs: Seg[] = [text('label selector: ', theme.accent, {bold: true}), text(o.text), text(o.pending ? ' (applying…)' : '█')];
		segs.push(text(o.error !== '' ? `  ${o.error}` : '  Enter apply · Esc cancel · empty = all pods', o.error !== '' ? theme.level('crit') : theme.muted));
		return {segs: clip(segs, width)};
	}

	if (state.editing) {
		return {segs: clip([text('/', theme.accent, {bold: true}), text(filterOf(state)), text('█'), text('  type to filter · Enter keep · Esc clear · ↑↓ move', theme.muted)], width)};
	}

	// Most important first; what does not fit is left out; shown in reading order.
	const items = footerItems(state);
	const chosen: typeof items = [];
	let used = 0;
	for (const it of items) {
		const w = cellWidth(it.keys) + cellWidth(it.label) + 3;
		if (used + w > width) continue;
		chosen.push(it);
		used += w;
	}

	const order = (x: (typeof items)[number]) => (x.label === 'help' ? 100 : x.label === 'quit' ? 101 : x.rank === 9 ? -1 : x.rank);
	chosen.sort((a, b) => order(a) - order(b));
	const segs: Seg[] = [];
	for (const it of chosen) segs.push(text(` ${it.keys}`, theme.accent, {bold: true}), text(` ${it.label} `));
	return {segs: clip(segs, width)};
}

// ------------------------------------------------------------------ bodies

function feedStrip(ctx: Ctx, rows: number): Line[] {
	if (rows <= 0) return [];
	const entries = ctx.vm.feed();
	const lines: Line[] = [rule('recent OOM kills, evictions, node memory events', ctx.width, ctx.theme, entries.length > rows - 1 ? `${entries.length} entries: 4 Events` : '')];
	for (let i = 0; i < rows - 1; i++) {
		const e = entries[i];
		lines.push(e ? {segs: feedLine(e, ctx, ctx.width)} : plain(i === 0 && entries.length === 0 ? '  none seen yet' : ''));
	}

	return lines;
}

function podsViewBody(ctx: Ctx, height: number): Body {
	const l = listLayout(height, {chart: true, feed: true});
	const t = podsTable(ctx, {}, 'pods', l.table);
	const lines = [...t.lines];
	lines.push(...chartLines(ctx, t.selected ? ctx.vm.podChart(t.selected.pod.record, t.selected.container) : null, l.chart));
	lines.push(...feedStrip(ctx, l.feed));
	return {lines, list: t.list};
}

function nodesViewBody(ctx: Ctx, height: number): Body {
	const l = listLayout(height, {chart: true, feed: true});
	const t = nodesTable(ctx, l.table);
	const lines = [...t.lines];
	lines.push(...chartLines(ctx, t.selected ? ctx.vm.nodeChart(t.selected.name) : null, l.chart));
	lines.push(...feedStrip(ctx, l.feed));
	return {lines, list: t.list};
}

function workloadsViewBody(ctx: Ctx, height: number): Body {
	const l = listLayout(height, {chart: true, feed: true});
	const t = workloadsTable(ctx, l.table);
	const lines = [...t.lines];
	let target = null;
	if (t.selected) {
		const w = t.selected;
		const rows = ctx.vm.podRows({sort: {key: 'workingSet', desc: true}, filter: '', namespace: null, workload: w.key, hideFinished: true});
		const keys = Array.from({length: Math.min(rows.length, 4)}, (_, i) => rows.key(i));
		target = ctx.vm.workloadChart(ctx.state.groupBy === 'namespace' ? `namespace ${w.namespace}` : `${w.kind} ${w.namespace}/${w.name}`, keys);
	}

	lines.push(...chartLines(ctx, target, l.chart));
	lines.push(...feedStrip(ctx, l.feed));
	return {lines, list: t.list};
}

function eventsViewBody(ctx: Ctx, height: number): Body {
	const detail = height >= 16 ? 5 : 0;
	const t = eventsTable(ctx, height - detail);
	const lines = [...t.lines];
	if (detail > 0) {
		lines.push(rule('entry', ctx.width, ctx.theme, t.selected ? 'Enter: open its pod or node' : ''));
		const e = t.selected;
		const body: string[] = [];
		if (e) {
			body.push(`${e.kind}${e.init ? ' (init container)' : ''} · ${feedObject(e)}${e.node && e.pod ? ` on node/${e.node}` : ''} · seen via ${e.sources.join(', ')} · count ${e.count}${e.flags.length ? ` · flags ${e.flags.join(', ')}` : ''}`);
			const msg = [e.reason, feedDetail(e)].filter(Boolean).join(' · ');
			for (const part of wrap(msg, ctx.width - 2)) if (body.length < detail - 1) body.push(part);
		}

		for (let i = 0; i < detail - 1; i++) lines.push(plain(` ${fit(body[i] ?? '', ctx.width - 1)}`));
	}

	return {lines, list: t.list};
}

function helpBody(ctx: Ctx, height: number): Body {
	const {state, theme, width} = ctx;
	const bs = activeBindings({...state, overlay: null});
	const all: Line[] = [];
	const labelW = 8;
	for (const g of groups) {
		const items = bs.filter(b => b.group === g).map(b => `${b.display} ${b.help}`);
		if (items.length === 0) continue;
		// wrap "key what · key what · …" under the group label
		let line: Seg[] = [text(` ${fit(g, labelW - 1)}`, theme.accent, {bold: true})];
		let used = labelW;
		items.forEach((item, i) => {
			const piece = (i > 0 ? ' · ' : '') + item;
			if (used + cellWidth(piece) > width && used > labelW) {
				all.push({segs: clip(line, width)});
				line = [text(' '.repeat(labelW))];
				used = labelW;
				const cont = item;
				line.push(text(cont));
				used += cellWidth(cont);
				return;
			}

			line.push(text(piece));
			used += cellWidth(piece);
		});
		all.push({segs: clip(line, width)});
	}

	all.push(plain(''));
	all.push({segs: clip([text(' WS = working set: what the OOM killer and the kubelet act on.', theme.muted)], width)});
	all.push({segs: clip([text(` Yellow ≥ ${thresholds().warn} %, red ≥ ${thresholds().crit} % of the limit (pods) or allocatable (nodes). WS~: last-known, metrics not answering.`, theme.muted)], width)});
	const room = height - 1;
	const top = Math.max(0, Math.min(state.overlay?.kind === 'help' ? state.overlay.top : 0, all.length - room));
	const more = all.length - room - top;
	const lines: Line[] = [rule('keys', width, theme, more > 0 ? `↓ ${more} more · any other key closes` : 'any key closes')];
	lines.push(...all.slice(top, top + room));
	return {lines, list: null};
}

function namespaceBody(ctx: Ctx, height: number): Body {
	const {theme, width, state} = ctx;
	const nss = ctx.vm.namespaces();
	const items = [{name: null as string | null, pods: ctx.status.pods}, ...nss.map(n => ({name: n.name as string | null, pods: n.pods}))];
	const index = state.overlay?.kind === 'namespace' ? Math.min(state.overlay.index, items.length - 1) : 0;
	const page = Math.max(1, height - 1);
	const top = Math.max(0, Math.min(index - Math.floor(page / 2), items.length - page));
	const lines: Line[] = [rule('namespace (↑↓ move · Enter pick · Esc cancel)', width, theme)];
	for (let i = top; i < Math.min(items.length, top + page); i++) {
		const it = items[i]!;
		const current = it.name === state.namespace;
		// " ● name  12,345 pods": the count and its word always whole; the name takes what is left
		const tail = ` ${count(it.pods)} pods`;
		const name = fit(it.name ?? 'all namespaces', Math.max(1, width - 3 - Math.max(cellWidth(tail), 14)));
		lines.push({segs: padTo(clip([text(` ${current ? '●' : ' '} ${name}`), text(fit(tail, Math.max(cellWidth(tail), 14), 'right'))], width), width), selected: i === index});
	}

	return {
		lines,
		list: {id: 'namespace', length: items.length, page, index, top, keyAt: i => items[i]?.name ?? null, open: i => ({type: 'namespace', namespace: items[i]?.name ?? null})},
	};
}

export function buildScreen(input: ScreenInput): Screen {
	const {width, height, state} = input;
	const ctx: Ctx = {vm: input.vm, status: input.vm.status(input.now), state, width, now: input.now, theme: input.theme, replay: input.replay};
	const header = headerLine(ctx);
	const banners = bannerLines(ctx, height >= 30 ? 3 : height >= 20 ? 2 : 1);
	const bodyHeight = Math.max(1, height - 3 - banners.length);
	let body: Body;
	const frame = currentFrame(state);
	if (state.overlay?.kind === 'help') body = helpBody(ctx, bodyHeight);
	else if (state.overlay?.kind === 'namespace') body = namespaceBody(ctx, bodyHeight);
	else if (frame.kind === 'pod') body = podBody(ctx, frame.key, frame.container, bodyHeight);
	else if (frame.kind === 'node') body = nodeBody(ctx, frame.name, bodyHeight);
	else if (frame.kind === 'workload') body = workloadBody(ctx, frame.key, bodyHeight);
	else if (frame.view === 'pods') body = podsViewBody(ctx, bodyHeight);
	else if (frame.view === 'nodes') body = nodesViewBody(ctx, bodyHeight);
	else if (frame.view === 'workloads') body = workloadsViewBody(ctx, bodyHeight);
	else body = eventsViewBody(ctx, bodyHeight);
	const lines: Line[] = [header, ...banners, statusLine(ctx, body.list)];
	const bodyLines = body.lines.slice(0, bodyHeight);
	while (bodyLines.length < bodyHeight) bodyLines.push(plain(''));
	lines.push(...bodyLines, footerLine(ctx));
	return {lines: lines.slice(0, height), list: state.overlay?.kind === 'help' ? null : body.list};
}
