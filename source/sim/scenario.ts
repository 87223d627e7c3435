/** What the HTTP layer needs from a scenario (demo/empty world, or the compact scale model). */
import type {ObjectStore} from './objects.js';
import {Rng} from './prng.js';

export interface ScenarioContext {
	store: ObjectStore;
	seed: number;
	/** sim epoch: wall time of sim t = 0 */
	epoch: number;
	tickMs: number;
	metricsResolutionMs: number;
}

/** Something notable the scenario did, for tests and the report (not served over HTTP). */
export interface Incident {
	time: number; // epoch ms
	kind:
		| 'OOMKilled'
		| 'InitOOMKilled'
		| 'Killed'
		| 'Evicted'
		| 'SystemOOM'
		| 'MemoryPressure'
		| 'MemoryPressureCleared'
		| 'EvictionThresholdMet';
	namespace: string;
	pod: string;
	container: string;
	node: string;
	detail: string;
}

/** Filter for metrics lists: namespace scope, name, label/field predicates. */
export interface MetricsQuery {
	namespace: string | null;
	name: string | null;
	labels: ((labels: Readonly<Record<string, string>> | undefined) => boolean) | null;
	fields: ((get: (field: string) => string | undefined) => boolean) | null;
}

/** The bytes a metrics sample served, for tests to compare against. */
export interface MetricsSnapshot {
	time: number;
	windowMs: number;
	pods: Array<{namespace: string; name: string; containers: Array<{name: string; workingSetBytes: number}>}>;
	nodes: Array<{name: string; workingSetBytes: number}>;
}

export interface Scenario {
	readonly name: string;
	/** create the initial objects */
	init(context: ScenarioContext): void;
	/** advance to sim time `now` (epoch ms), one tick */
	tick(now: number): void;
	/** take a metrics sample now (also done by tick at each resolution boundary) */
	sample(now: number): void;
	/** JSON of each matching PodMetrics item (without kind/apiVersion), in key order */
	podMetrics(query: MetricsQuery): string[];
	nodeMetrics(query: MetricsQuery): string[];
	/** kubelet Summary API body for a node; null = no such node */
	summary(node: string, onlyCpuAndMemory: boolean): string | null;
	/** kubelet configz for a node; null = no such node */
	configz(node: string): Record<string, unknown> | null;
	/** does the node exist (for proxy paths) */
	hasNode(node: string): boolean;
	nodeAddress(node: string): string;
	metricsSnapshot(): MetricsSnapshot;
	/** bumped by every metrics sample (the HTTP layer caches list bodies per sample) */
	readonly sampleSeq: number;
	readonly incidents: Incident[];
	/** hooks */
	oomKill(namespace: string, pod: string, container?: string): boolean;
	evict(namespace: string, pod: string): boolean;
	/** delete a pod the scenario manages (its controller replaces it); false when not managed */
	deletePod(namespace: string, pod: string): boolean;
	setContainerMemory(namespace: string, pod: string, container: string, bytes: number | null): void;
	/** write model changes to the store (called after ticks and hooks) */
	flush(): void;
}

/** What a scenario keeps of its context, and its clock: the base of each scenario's state. */
export class ScenarioRun {
	readonly store: ObjectStore;
	readonly seed: number;
	/** the one sequential generator: its calls come in a fixed order, which makes a run repeatable */
	readonly rng: Rng;
	/** sim epoch: wall time of sim t = 0 */
	readonly epoch: number;
	readonly tickMs: number;
	readonly resolution: number;
	/** the time of the current tick, epoch ms */
	now: number;

	constructor(context: ScenarioContext) {
		this.store = context.store;
		this.seed = context.seed;
		this.rng = new Rng(context.seed);
		this.epoch = context.epoch;
		this.tickMs = context.tickMs;
		this.resolution = context.metricsResolutionMs;
		this.now = context.epoch;
	}

	/** Did sim time pass a multiple of `period` (counted from the epoch, less `phase`) between `previous` and now? */
	crossed(previous: number, period: number, phase = 0): boolean {
		return Math.floor((this.now - this.epoch + phase) / period) !== Math.floor((previous - this.epoch + phase) / period);
	}
}
