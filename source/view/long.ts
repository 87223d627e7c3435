/**
 * Chart windows longer than the history memtop holds (6h, 24h, 7d): fetched on demand for the
 * selected pod or node by a source outside the view (Prometheus: source/prom/long-window.ts),
 * registered per store. The view only asks it and shapes what it has into a ChartData; a
 * source that is still fetching, or failed, says so in `note`.
 */
import type {Store} from '../store/store.js';
import type {ChartData, ChartSubject} from './charts.js';

export interface LongChart {
	status: 'loading' | 'ok' | 'error';
	/** what the title says besides the window: "loading from Prometheus…", the failure */
	note: string;
	series: Array<{name: string; times: Float64Array; values: Float32Array}>;
	/** OOM kills in the window (epoch ms) */
	ooms: number[];
}

export interface LongChartSource {
	/** the windows it serves, longest last */
	readonly windowsMs: readonly number[];
	/** what it has for `subject` over `windowMs`, starting a fetch when it has nothing recent */
	get(subject: ChartSubject, windowMs: number): LongChart;
}

const sources = new WeakMap<Store, LongChartSource>();

export function setLongChartSource(store: Store, source: LongChartSource | null): void {
	if (source) sources.set(store, source);
	else sources.delete(store);
}

export function longChartSource(store: Store): LongChartSource | null {
	return sources.get(store) ?? null;
}

/** `base` (a pod's or node's chart) over a long window: the source's series, the same reference lines, OOM kills marked */
export function longChart(source: LongChartSource, base: ChartData, windowMs: number): ChartData {
	if (!base.subject) return base;
	const long = source.get(base.subject, windowMs);
	return {...base, series: long.series, marks: long.ooms, note: long.note};
}
