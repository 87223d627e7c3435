/**
 * The trend chart: working set over the chosen window (asciichart), one line per series
 * (containers), the request and limit as horizontal lines, and a time axis under it.
 * Pure: returns exactly `rows` lines of at most `width` cells.
 */
import asciichart from 'asciichart';
import {formatDuration} from '../memory/quantity.js';
import {fit} from './text.js';

interface ChartSeries {
	name: string;
	times: ArrayLike<number>;
	values: ArrayLike<number>;
}

export interface ChartRef {
	label: string;
	value: number;
	color?: string | undefined;
}

interface ChartInput {
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
	/** times to mark with X on the time axis (OOM kills) */
	marks?: readonly number[] | undefined;
}

const labelWidth = 7;

const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
/** step mantissas, finer than 1-2-5 so that a chart of a few rows is not left half empty */
const mantissas = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

interface YAxis {
	/** bytes at the bottom row */
	lo: number;
	/** bytes from one row to the next */
	step: number;
	/** one label a row, bottom first: distinct, increasing, at most labelWidth - 1 cells */
	labels: string[];
}

/** decimals that write `x` exactly (to a millionth) */
function decimals(x: number): number {
	let d = 0;
	while (d < 6 && Math.abs(Math.round(x * 10 ** d) - x * 10 ** d) > 1e-6) d++;
	return d;
}

/**
 * The y axis for `lo`…`hi` bytes over `h` row steps: a round step (a mantissa × 10^k in the
 * binary unit of `hi`, no finer than three significant digits of it, whole bytes at least), rows
 * on multiples of it, spare rows below the data first but not below 0, and as many decimals as
 * the step needs, so every row has a label of its own.
 */
export function yAxis(lo: number, hi: number, h: number): YAxis {
	let u = 0;
	while (u < units.length - 1 && hi >= 1024 ** (u + 1)) u++;
	const unit = 1024 ** u;
	const [a, b] = [lo / unit, hi / unit];
	const finest = Math.floor(Math.log10(Math.max(b, 1))) - 2;
	let last: YAxis | undefined;
	for (let e = u === 0 ? Math.max(0, finest) : finest; e <= finest + 6; e++) {
		for (const m of mantissas) {
			const step = m * 10 ** e;
			let base = Math.floor(a / step + 1e-9);
			if ((base + h) * step < b) continue;
			base = Math.max(0, base - Math.ceil(Math.floor(((base + h) * step - b) / step) / 2));
			const d = decimals(step);
			last = {lo: base * step * unit, step: step * unit, labels: Array.from({length: h + 1}, (_, i) => `${((base + i) * step).toFixed(d)}${units[u]}`)};
			if (last.labels.every(l => l.length < labelWidth)) return last;
		}
	}

	return last!;
}

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
	const h = plotRows - 1;
	const axis = yAxis(lo, hi, h);
	// Rows 1…h+1: asciichart marks its row 0 with ┼ as if a line started there.
	const scaled = lines.map(l => l.map(v => 1 + Math.min(h, Math.max(0, (v - axis.lo) / axis.step))));
	const plot = asciichart.plot(scaled, {
		min: 1,
		max: h + 1,
		height: h,
		offset: 2,
		format: (x: number) => fit(axis.labels[Math.round(x) - 1]!, labelWidth - 1, 'right') + ' ',
		...(colors.length > 0 ? {colors} : {}),
	});
	const out = plot.split('\n').map(l => l.replace(/\s+$/, ''));
	while (out.length < plotRows) out.unshift('');
	out.length = plotRows;
	let axisLine = timeAxis(start, now, plotCols, width);
	for (const t of input.marks ?? []) {
		if (t < start || t > now) continue;
		const col = labelWidth + Math.round(((t - start) / Math.max(1, now - start)) * (plotCols - 1));
		axisLine = axisLine.padEnd(col + 1, ' ');
		axisLine = axisLine.slice(0, col) + 'X' + axisLine.slice(col + 1);
	}

	out.push(axisLine);
	return out;
}
