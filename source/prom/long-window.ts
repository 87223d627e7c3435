/**
 * The long chart windows (6h, 24h, 7d) from Prometheus, for the one pod or node on the chart:
 * its working set at 240 steps across the window (the highest within each step, so a spike
 * between steps is not lost) and the OOM kills of the window, fetched when first asked, again
 * after a step has passed, at most one fetch at a time, the last 16 kept.
 */
import type {ChartSubject} from '../view/charts.js';
import type {LongChart, LongChartSource} from '../view/long.js';
import type {PromClient, PromSeries} from './client.js';
import {promCause} from './history.js';
import {containerSelector, oomKills, quote, type PromLabels} from './queries.js';

const steps = 240;
const keep = 16;

interface Entry {
	chart: LongChart;
	at: number;
	pending: Promise<void> | null;
}

export class LongCharts implements LongChartSource {
	readonly windowsMs = [21_600_000, 86_400_000, 604_800_000] as const;
	private readonly cache = new Map<string, Entry>();

	constructor(
		private readonly client: () => PromClient | null,
		private readonly labels: PromLabels,
		/** after a fetch: redraw */
		private readonly changed: () => void,
		private readonly now: () => number = Date.now,
	) {}

	static stepMs(windowMs: number): number {
		return Math.max(15_000, Math.round(windowMs / steps / 1000) * 1000);
	}

	get(subject: ChartSubject, windowMs: number): LongChart {
		const key = `${JSON.stringify(subject)}\u0000${windowMs}`;
		const hit = this.cache.get(key);
		const stale = !hit || this.now() - hit.at > LongCharts.stepMs(windowMs);
		if (hit && (!stale || hit.pending)) return hit.chart;
		const client = this.client();
		if (!client) return {status: 'loading', note: 'connecting to Prometheus…', series: [], ooms: []};
		const entry: Entry = hit ?? {chart: {status: 'loading', note: 'loading from Prometheus…', series: [], ooms: []}, at: 0, pending: null};
		this.cache.delete(key);
		this.cache.set(key, entry);
		while (this.cache.size > keep) this.cache.delete(this.cache.keys().next().value!);
		entry.pending = this.fetch(client, subject, windowMs).then(
			chart => {
				entry.chart = chart;
			},
			(error: unknown) => {
				entry.chart = {...entry.chart, status: 'error', note: promCause(error, client.name)};
			},
		).finally(() => {
			entry.at = this.now();
			entry.pending = null;
			this.changed();
		});
		return entry.chart;
	}

	/** wait for the fetches in flight (tests, --once) */
	async settled(): Promise<void> {
		await Promise.all([...this.cache.values()].map(e => e.pending));
	}

	private async fetch(client: PromClient, subject: ChartSubject, windowMs: number): Promise<LongChart> {
		const l = this.labels;
		const step = LongCharts.stepMs(windowMs);
		const end = this.now();
		const start = end - windowMs;
		const w = `${step / 1000}s`;
		let series: string;
		let kills: string;
		if (subject.kind === 'pod') {
			const scope = {pod: {namespace: subject.namespace, name: subject.name}, ...(subject.container === null ? {} : {container: subject.container})};
			series = `max by (${l.container}) (max_over_time(${containerSelector(l, scope)}[${w}]))`;
			kills = `(${oomKills(l, step, scope)}) > 0.5`;
		} else {
			const n = `${l.node}=${quote(subject.name)}`;
			series = `max by (${l.node}) (max_over_time(node_memory_working_set_bytes{${n}}[${w}])) or max by (${l.node}) (max_over_time(container_memory_working_set_bytes{id="/",${n}}[${w}]))`;
			kills = `sum by (${l.node}) (increase(container_oom_events_total{${n}}[${w}])) > 0.5`;
		}

		const [lines, oom] = await Promise.all([client.range(series, start, end, step), client.range(kills, start, end, step).catch(() => [] as PromSeries[])]);
		const name = (s: PromSeries) => (subject.kind === 'pod' ? (s.labels[l.container] ?? subject.name) : subject.name);
		const ooms = [...new Set(oom.flatMap(s => s.times))].sort((a, b) => a - b);
		return {
			status: 'ok',
			note: lines.length === 0 ? 'no series in Prometheus' : `from Prometheus, ${step / 1000}s steps`,
			series: lines.map(s => ({name: name(s), times: Float64Array.from(s.times), values: Float32Array.from(s.values)})),
			ooms,
		};
	}
}
