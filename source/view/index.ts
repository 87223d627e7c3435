/**
 * The view model: every figure a screen or an output shows, computed once, by one module each,
 * and read from here. The TUI, every `--once` format, `recommend` and the bench ask this facade
 * for rows and never read the store themselves.
 *
 *   pods.ts        pods table (scope, filter, typed-array sort columns)   pod-index.ts  key orders
 *   containers.ts  container rows                                         forecast.ts   time to OOM
 *   nodes.ts       node rows, eviction order                              workloads.ts  workload and namespace sums
 *   events.ts      the feed as rows, entry labels                         recommend.ts  right-sizing per workload container
 *   diagnosis.ts   the pod drill-down's checklist                         charts.ts     what a chart shows
 *   status.ts      connection, freshness, sync and banners                sorts.ts      every sort order
 */
import type {DiagnosisRow} from '../memory/recommend.js';
import type {ConnectionInfo, FeedEntry, PodRecord} from '../model/index.js';
import type {Series, SeriesKind, Store} from '../store/store.js';
import {nodeChart, podChart, workloadChart, type ChartData} from './charts.js';
import {longChart, longChartSource} from './long.js';
import {containerRows, type ContainerRow} from './containers.js';
import {podDiagnosis} from './diagnosis.js';
import {EventTable, type EventQuery} from './events.js';
import {Forecasts} from './forecast.js';
import {NodeTable, type NodeEviction, type NodeQuery, type NodeRow} from './nodes.js';
import {PodIndex} from './pod-index.js';
import {PodTable, type PodQuery, type PodRow} from './pods.js';
import {Recommendations, type RecommendationRow} from './recommend.js';
import type {RowSet} from './rows.js';
import {Source} from './source.js';
import {status, type Status} from './status.js';
import {WorkloadTable, type WorkloadQuery, type WorkloadRow} from './workloads.js';

/** every pod in scope, by namespace then name: what the one-shot formats print */
const everyPod: PodQuery = {sort: {key: 'namespace', desc: false}, filter: '', namespace: null};

export class ViewModel {
	private readonly src: Source;
	private readonly index: PodIndex;
	private readonly forecasts: Forecasts;
	private readonly pods: PodTable;
	private readonly nodes: NodeTable;
	private readonly workloads: WorkloadTable;
	private readonly events: EventTable;
	private readonly recs: Recommendations;

	constructor(store: Store) {
		this.src = new Source(store);
		this.index = new PodIndex(this.src);
		this.forecasts = new Forecasts(this.src);
		this.pods = new PodTable(this.src, this.index, this.forecasts, key => this.workloads.members(key));
		this.workloads = new WorkloadTable(this.src, this.index, () => this.pods.workingSets());
		this.nodes = new NodeTable(this.src);
		this.events = new EventTable(this.src);
		this.recs = new Recommendations(this.src, this.index, this.workloads, () => this.forecasts.times());
	}

	/** take the store's current data as the data to show; true when anything changed */
	refresh(): boolean {
		return this.src.refresh();
	}

	/** prepare, in slices of `budgetMs`, what the next key press may need; true while work remains */
	warm(budgetMs = 8): boolean {
		return this.pods.warm(budgetMs);
	}

	/** where the data comes from (context, server, scope, selector), null before connecting */
	connection(): ConnectionInfo | null {
		return this.src.store.connection;
	}

	/** connection, counts, metrics freshness at `now`, sync and banners */
	status(now: number): Status {
		return status(this.src.store, this.src.snap, now);
	}

	// pods and containers
	podRows(q: PodQuery): RowSet<PodRow> {
		return this.pods.rows(q);
	}

	podRow(key: string): PodRow | null {
		return this.pods.row(key);
	}

	/** every pod, in namespace/name order */
	allPods(): PodRow[] {
		const rows = this.pods.rows(everyPod);
		return Array.from({length: rows.length}, (_, i) => rows.row(i));
	}

	/** how many rows allPods() has, without making them */
	podCount(): number {
		return this.pods.rows(everyPod).length;
	}

	containerRows(podKey: string): ContainerRow[] {
		return containerRows(this.src, this.forecasts, podKey);
	}

	diagnosis(podKey: string, container: string | null, now: number): DiagnosisRow[] {
		return podDiagnosis(this.src, {pods: this.pods, nodes: this.nodes, forecasts: this.forecasts, recommendations: this.recs}, podKey, container, now);
	}

	// nodes
	nodeRows(q: NodeQuery): RowSet<NodeRow> {
		return this.nodes.rows(q);
	}

	nodeRow(name: string): NodeRow | null {
		return this.nodes.row(name);
	}

	/** every node, by name */
	allNodes(): NodeRow[] {
		return this.nodes.all().rows;
	}

	nodeEviction(name: string, max = 10): NodeEviction {
		return this.nodes.eviction(name, max);
	}

	// workloads, feed, recommendations
	workloadRows(q: WorkloadQuery): RowSet<WorkloadRow> {
		return this.workloads.rows(q);
	}

	workloadRow(key: string): WorkloadRow | null {
		return this.workloads.row(key);
	}

	eventRows(q: EventQuery): RowSet<FeedEntry> {
		return this.events.rows(q);
	}

	/** the feed, newest first */
	feed(): readonly FeedEntry[] {
		return this.events.entries();
	}

	recommendations(): RecommendationRow[] {
		return this.recs.all();
	}

	/** namespaces with their pod counts, by name */
	namespaces(): Array<{name: string; pods: number}> {
		return [...this.src.store.namespaces()].map(([name, pods]) => ({name, pods})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	}

	// series and charts
	/** the newest `out.length` samples of a series (NaN-padded); false when there is none */
	seriesInto(kind: SeriesKind, key: string, out: Float32Array, container?: string): boolean {
		return this.src.store.seriesInto(kind, key, out, container);
	}

	series(kind: SeriesKind, key: string, container?: string): Series {
		return this.src.store.history(kind, key, container);
	}

	podChart(p: PodRecord, focus: string | null): ChartData {
		return podChart(this.src, p, focus);
	}

	/** the chart windows beyond the history held, when a source serves them (--prometheus); empty otherwise */
	longWindows(): readonly number[] {
		return longChartSource(this.src.store)?.windowsMs ?? [];
	}

	/** a pod's or node's chart over a window longer than the history held (view/long.ts); `target` as is without a source */
	longChart(target: ChartData, windowMs: number): ChartData {
		const source = longChartSource(this.src.store);
		return source ? longChart(source, target, windowMs) : target;
	}

	nodeChart(name: string): ChartData {
		return nodeChart(this.src, name);
	}

	workloadChart(title: string, podKeys: readonly string[]): ChartData {
		return workloadChart(this.src, title, podKeys);
	}

	hasPod(key: string): boolean {
		return this.src.store.pods.has(key);
	}

	hasNode(name: string): boolean {
		return this.src.store.nodes.has(name);
	}
}

export type {ChartData} from './charts.js';
export type {ContainerRow} from './containers.js';
export type {EventQuery} from './events.js';
export type {EvictionCandidate, NodeEviction, NodeQuery, NodeRow} from './nodes.js';
export type {PodQuery, PodRow} from './pods.js';
export type {RecommendationRow} from './recommend.js';
export type {RowSet} from './rows.js';
export type {Status} from './status.js';
export {scopeWords} from './status.js';
export type {WorkloadGroupBy, WorkloadQuery, WorkloadRow} from './workloads.js';
