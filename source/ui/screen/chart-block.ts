/** The chart section: a title rule with the legend, then the asciichart plot and its time axis. */
import {formatDuration} from '../../memory/quantity.js';
import type {PodRecord} from '../../model/index.js';
import {renderChart, type ChartRef, type ChartSeries} from '../chart.js';
import {cellWidth, truncate} from '../text.js';
import type {Seg} from '../theme.js';
import {bytes, clip, plain, text, type Ctx, type Line} from './common.js';

export interface ChartTarget {
	title: string;
	series: ChartSeries[];
	refs: Array<{label: string; value: number | null; kind: 'request' | 'limit'}>;
}

export function chartLines(ctx: Ctx, target: ChartTarget | null, rows: number): Line[] {
	if (rows <= 0) return [];
	const {theme, width} = ctx;
	const windowMs = ctx.state.chartWindow;
	const lines: Line[] = [];
	const win = ` ${formatDuration(windowMs)} (v) ──`;
	if (target === null) {
		lines.push(titleLine([text('── working set ')], win, width, theme.muted));
		while (lines.length < rows) lines.push(plain(''));
		return lines;
	}

	const legend: Seg[] = [text('── '), text(target.title, undefined, {bold: true}), text(' ')];
	if (target.series.length > 1) {
		target.series.forEach((s, i) => {
			const c = theme.chartColorNames[i % Math.max(1, theme.chartColorNames.length)];
			legend.push(text(`${s.name} `), text('━ ', c));
		});
	}

	const refs: ChartRef[] = [];
	for (const r of target.refs) {
		if (r.value === null) continue;
		const colorName = r.kind === 'request' ? theme.requestColorName : theme.limitColorName;
		legend.push(text(`${r.label} ${bytes(r.value)} `), text('━ ', colorName));
		refs.push({label: r.label, value: r.value, color: r.kind === 'request' ? theme.requestColor : theme.limitColor});
	}

	lines.push(titleLine(legend, win, width, theme.muted));
	const plot = renderChart({series: target.series, refs, windowMs, now: ctx.now, width, rows: rows - 1, colors: theme.chartColors});
	for (const l of plot) lines.push({segs: [{text: l}]});
	return lines;
}

function titleLine(left: Seg[], right: string, width: number, muted: string | undefined): Line {
	const lw = left.reduce((n, s) => n + cellWidth(s.text), 0);
	const room = width - cellWidth(right);
	if (lw >= room) return {segs: clip([...left.map(s => ({...s})), text(right, muted)], width)};
	return {segs: [...left, text('─'.repeat(room - lw) + right, muted)]};
}

/** chart of a pod: one line per container when it has several, else the pod's working set */
export function podChart(ctx: Ctx, p: PodRecord, focus: string | null): ChartTarget {
	const own = ctx.store.containerSeriesNames(p.key);
	const apps = p.containers.filter(c => c.kind !== 'init');
	if (own.length >= 2) {
		const shown = focus !== null && own.includes(focus) ? [focus] : own.slice(0, 6);
		const series = shown.map(name => ({name, ...ctx.store.history('container', p.key, name)}));
		// Reference lines of the container in focus, else of the one closest to its limit.
		let ref = focus === null ? null : (apps.find(c => c.name === focus) ?? null);
		if (ref === null) {
			let best = -1;
			for (const c of apps) {
				const ws = ctx.store.containerWorkingSet(p.key, c.name);
				const r = c.limitBytes !== null && ws !== null ? ws / c.limitBytes : c.limitBytes !== null ? 0 : -1;
				if (r > best) {
					best = r;
					ref = c;
				}
			}
		}

		const suffix = ref && shown.length > 1 ? ` (${ref.name})` : '';
		return {
			title: focus !== null && shown.length === 1 ? `${truncate(p.key, 40)}/${focus}` : truncate(p.key, 48),
			series,
			refs: ref
				? [
						{label: `request${suffix}`, value: ref.requestBytes, kind: 'request'},
						{label: `limit${suffix}`, value: ref.limitBytes, kind: 'limit'},
					]
				: [],
		};
	}

	const c = apps.length === 1 ? apps[0]! : null;
	return {
		title: truncate(p.key, 48),
		series: [{name: c?.name ?? p.name, ...ctx.store.history('pod', p.key)}],
		refs: [
			{label: 'request', value: c ? c.requestBytes : p.requestBytes, kind: 'request'},
			{label: 'limit', value: c ? c.limitBytes : p.limitBytes, kind: 'limit'},
		],
	};
}

/** chart of a node: working set against allocatable and the point where the kubelet evicts */
export function nodeChart(ctx: Ctx, name: string): ChartTarget {
	const n = ctx.store.nodes.get(name);
	const s = ctx.store.summary(name);
	const threshold = s?.status === 'ok' ? s.summary.evictionHardBytes : null;
	const evictAt = n?.capacityBytes !== null && n?.capacityBytes !== undefined && threshold !== null ? n.capacityBytes - threshold : null;
	return {
		title: `node/${name}`,
		series: [{name, ...ctx.store.history('node', name)}],
		refs: [
			{label: 'allocatable', value: n?.allocatableBytes ?? null, kind: 'request'},
			{label: 'evicts at', value: evictAt, kind: 'limit'},
		],
	};
}

/** chart of a workload: its largest replicas, one line each */
export function workloadChart(ctx: Ctx, title: string, podKeys: string[]): ChartTarget {
	const withWs = podKeys.map(k => ({k, ws: ctx.store.workingSet(k) ?? -1})).sort((a, b) => b.ws - a.ws);
	const shown = withWs.slice(0, 4).map(x => x.k);
	const pods = shown.map(k => ctx.store.pods.get(k)).filter((p): p is PodRecord => p !== undefined);
	const same = (f: (p: PodRecord) => number | null) => (pods.length > 0 && pods.every(p => f(p) === f(pods[0]!)) ? f(pods[0]!) : null);
	return {
		title,
		series: pods.map(p => ({name: p.name, ...ctx.store.history('pod', p.key)})),
		refs: [
			{label: 'request', value: same(p => p.requestBytes), kind: 'request'},
			{label: 'limit', value: same(p => p.limitBytes), kind: 'limit'},
		],
	};
}
