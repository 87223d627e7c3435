/**
 * The trend chart: working set over the chosen window (asciichart), one line per series
 * (containers), the request and limit as horizontal lines, and a time axis under it.
 * Pure: returns exactly `rows` lines of at most `width` cells.
 */
import asciichart from 'asciichart';
import {formatBytes, formatDuration} from '../memory/quantity.js';
import {fit} from './text.js';

export interface ChartSeries {
	name: string;
	times: ArrayLike<number>;
	values: ArrayLike<number>;
}

export interface ChartRef {
	label: string;
	value: number;
	color?: string | undefined;
}

export interface ChartInput {
	series: ChartSeries[];
	/** horizontal reference lines: request, limit (or allocatable) */
	refs: ChartRef[];
	windowMs: number;
	now: number;
	width: number;
	/** total lines including the time axis (≥ 3) */
	rows: number;
	/** ANSI colours for the series (empty: no colour) */
	colors: string[];
}

const labelWidth = 7;

/** bucket maxima over `cols` equal time slices ending at `end`; holds the last value over gaps */
export function resample(times: ArrayLike<number>, values: ArrayLike<number>, start: number, end: number, cols: number): number[] | null {
	const out = new Array<number>(cols).fill(Number.NaN);
	const step = (end - start) / Math.max(1, cols - 1);
	let any = false;
	for (let i = 0; i < times.length; i++) {
		const t = times[i]!;
		const v = values[i]!;
		if (!Number.isFinite(v) || t < start - step / 2 || t > end + step / 2) continue;
		const j = Math.min(cols - 1, Math.max(0, Math.round((t - start) / step)));
		if (!(out[j]! >= v)) out[j] = v;
		any = true;
	}

	if (!any) return null;
	let last = Number.NaN;
	for (let j = 0; j < cols; j++) {
		if (Number.isNaN(out[j]!)) out[j] = last;
		else last = out[j]!;
	}

	// Before the first sample there is nothing to hold: use the first value (the caller trims the window so this is at most a column).
	const first = out.find(v => !Number.isNaN(v))!;
	for (let j = 0; j < cols && Number.isNaN(out[j]!); j++) out[j] = first;
	return out;
}

/** first sample time within the window across series, or null when none has data in it */
function firstSampleTime(series: ChartSeries[], since: number): number | null {
	let first: number | null = null;
	for (const s of series) {
		for (let i = 0; i < s.times.length; i++) {
			const t = s.times[i]!;
			if (t >= since && Number.isFinite(s.values[i]!)) {
				if (first === null || t < first) first = t;
				break;
			}
		}
	}

	return first;
}

/** a tick label precise enough that neighbouring ticks differ */
function axisDuration(ms: number, span: number): string {
	if (span >= 20 * 60_000) return formatDuration(ms);
	const s = Math.round(ms / 1000);
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	const rest = s % 60;
	if (span >= 5 * 60_000) return `${Math.round(s / 60)}m`;
	return rest === 0 ? `${m}m` : `${m}m${rest}s`;
}

function timeAxis(start: number, end: number, plotCols: number, width: number): string {
	const cells = Array.from({length: width}, () => ' ');
	const span = end - start;
	const put = (col: number, text: string) => {
		const at = Math.max(0, Math.min(width - text.length, col));
		for (let i = 0; i < text.length; i++) cells[at + i] = text[i]!;
	};

	const ticks = Math.max(1, Math.min(4, Math.floor(plotCols / 14)));
	const occupied: Array<[number, number]> = [];
	for (let k = 0; k <= ticks; k++) {
		const frac = k / ticks;
		const col = labelWidth + Math.round(frac * (plotCols - 1));
		const ago = span * (1 - frac);
		const text = k === ticks ? 'now' : `-${axisDuration(ago, span)}`;
		const at = k === 0 ? col : k === ticks ? col - text.length + 1 : col - Math.floor(text.length / 2);
		const lo = Math.max(0, Math.min(width - text.length, at));
		if (occupied.some(([a, b]) => lo <= b + 1 && lo + text.length - 1 >= a - 1)) continue;
		occupied.push([lo, lo + text.length - 1]);
		put(lo, text);
	}

	return cells.join('').trimEnd();
}

export function renderChart(input: ChartInput): string[] {
	const {width, rows, windowMs, now} = input;
	const plotRows = Math.max(2, rows - 1);
	const plotCols = Math.max(2, width - labelWidth - 1);
	const since = now - windowMs;
	const first = firstSampleTime(input.series, since);
	const blank = (msg: string) => {
		const lines = Array.from({length: rows}, () => '');
		lines[Math.floor((rows - 1) / 2)] = fit(msg, width);
		return lines;
	};

	if (first === null) return blank(`no working-set samples in the last ${formatDuration(windowMs)}`);
	const start = Math.min(first, now - 1);
	const lines: number[][] = [];
	const colors: string[] = [];
	for (let i = 0; i < input.series.length; i++) {
		const s = input.series[i]!;
		const r = resample(s.times, s.values, start, now, plotCols);
		if (r === null) continue;
		lines.push(r);
		const c = input.colors[i % Math.max(1, input.colors.length)];
		if (c !== undefined) colors.push(c);
	}

	if (lines.length === 0) return blank(`no working-set samples in the last ${formatDuration(windowMs)}`);
	let lo = Number.POSITIVE_INFINITY;
	let hi = Number.NEGATIVE_INFINITY;
	for (const l of lines) {
		for (const v of l) {
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
	}

	// Reference lines first: the working-set lines are drawn over them where they cross.
	const refLines: number[][] = [];
	const refColors: string[] = [];
	for (const r of input.refs) {
		if (r.value < lo) lo = r.value;
		if (r.value > hi) hi = r.value;
		refLines.push(new Array<number>(plotCols).fill(r.value));
		refColors.push(r.color ?? '');
	}

	lines.unshift(...refLines);
	if (input.colors.length > 0) colors.unshift(...refColors);
	if (hi - lo < 1) hi = lo + 1;
	const h = plotRows - 1;
	const scaled = lines.map(l => l.map(v => Math.min(h, Math.max(0, ((v - lo) / (hi - lo)) * h))));
	const plot = asciichart.plot(scaled, {
		min: 0,
		max: h,
		height: h,
		offset: 2,
		format: (x: number) => fit(formatBytes(lo + (x / h) * (hi - lo)), labelWidth - 1, 'right') + ' ',
		...(colors.length > 0 ? {colors} : {}),
	});
	const out = plot.split('\n').map(l => l.replace(/\s+$/, ''));
	while (out.length < plotRows) out.unshift('');
	out.length = plotRows;
	out.push(timeAxis(start, now, plotCols, width));
	return out;
}
