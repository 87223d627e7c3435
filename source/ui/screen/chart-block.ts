/** The chart section: a title rule with the legend, then the asciichart plot and its time axis. */
import {formatDuration} from '../../memory/quantity.js';
import type {ChartData} from '../../view/index.js';
import {renderChart, type ChartRef} from '../chart.js';
import {cellWidth, truncate} from '../text.js';
import type {Seg} from '../theme.js';
import {bytes, clip, plain, text, type Ctx, type Line} from './common.js';

export function chartLines(ctx: Ctx, base: ChartData | null, rows: number): Line[] {
	if (rows <= 0) return [];
	const {theme, width} = ctx;
	const windowMs = ctx.state.chartWindow;
	// past the history held: the pod's or node's window fetched on demand (--prometheus)
	const target = base !== null && windowMs > 3_600_000 ? ctx.vm.longChart(base, windowMs) : base;
	const lines: Line[] = [];
	const win = ` ${formatDuration(windowMs)}${target?.note ? ` · ${target.note}` : ''} (v) ──`;
	if (target === null) {
		lines.push(titleLine([text('── working set ')], win, width, theme.muted));
		while (lines.length < rows) lines.push(plain(''));
		return lines;
	}

	const legend: Seg[] = [text('── '), text(truncate(target.title, 48), undefined, {bold: true}), text(' ')];
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

	if (target.marks && target.marks.length > 0) legend.push(text(`X OOM kill${target.marks.length === 1 ? '' : 's'} `, theme.limitColorName));
	lines.push(titleLine(legend, win, width, theme.muted));
	const plot = renderChart({series: target.series, refs, windowMs, now: ctx.now, width, rows: rows - 1, colors: theme.chartColors, marks: target.marks});
	for (const l of plot) lines.push({segs: [{text: l}]});
	return lines;
}

function titleLine(left: Seg[], right: string, width: number, muted: string | undefined): Line {
	const lw = left.reduce((n, s) => n + cellWidth(s.text), 0);
	const room = width - cellWidth(right);
	if (lw >= room) return {segs: clip([...left.map(s => ({...s})), text(right, muted)], width)};
	return {segs: [...left, text('─'.repeat(room - lw) + right, muted)]};
}
