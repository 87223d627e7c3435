/**
 * The store: every record memtop knows, the working-set history rings, the feed, and the node
 * aggregates. Pure state: no React, no I/O. The kube layer writes into it; the UI reads it.
 *
 * Ingestion is batched: each call only bumps counters. Listeners are told at most once per
 * `notifyIntervalMs` (default 500 ms) that something changed, so a burst of watch events costs
 * one frame, not one frame per event. `flush()` tells them at once.
 */
import {absentPolls} from '../memory/freshness.js';
import {holdsMemory, soleContainer} from '../memory/pod-state.js';
import {pressureRates} from '../memory/pressure.js';
import {ChangeLog} from './change-log.js';
import {Feed} from './feed.js';
import {ColumnBatch, HistoryRing, type Series} from './history.js';
import type {
	Banner,
	ConnectionInfo,
	EventRecord,
	MemoryBreakdown,
	MetricsSample,
	NodeRecord,
	NodeSummary,
	PodRecord,
	SummaryState,
} from '../model/index.js';

/** working-set series (bytes) of pods, containers and nodes; memory stall series (PSI some avg10, %) of pods and nodes */
export type SeriesKind = 'pod' | 'container' | 'node' | 'podPsi' | 'nodePsi';
export type SyncResource = 'pods' | 'nodes' | 'events';
/**
 * unavailable: forbidden or not served (a banner says which); it will not sync, and nothing waits for it.
 * stale: it had synced, then its watch went silent: what it shows may be behind until the watch speaks again.
 */
type SyncState = 'syncing' | 'synced' | 'unavailable' | 'stale';
export type {Series} from './history.js';

interface StoreOptions {
	/** history length in metrics samples (default 240: one hour at 15 s) */
	historySamples?: number;
	/** clock (epoch ms); tests pass a fixed one */
	now?: () => number;
	/** coalescing delay for listener notification; 0 = notify synchronously on every change */
	notifyIntervalMs?: number;
	/** feed capacity (entries) */
	feedCapacity?: number;
}

interface NodeAggregate {
	/** sum of memory requests of the node's pods that hold memory (what the scheduler has committed) */
	requestsBytes: number;
	/** pods bound to the node that hold memory (not finished) */
	pods: number;
}

/** what a step did with a sample's pod (StagedMetrics.how) */
const POD_ONLY = 1; // the pod's series staged; its containers have none of their own
const WITH_CONTAINERS = 2; // the pod's and its containers' series staged
const LATER = 3; // the pod's series staged; its containers need series made: the last step does it

/** a metrics sample's pods looked up and their values staged, waiting to be written (Store.beginMetrics) */
export interface StagedMetrics {
	/** the store's podSetVersion when the lookups began */
	podSetVersion: number;
	/** each pod's history slot in the sample's order, -1 when not listed */
	slots: Int32Array;
	/** per pod, what was staged: 0 nothing (not listed), POD_ONLY, WITH_CONTAINERS or LATER */
	how: Uint8Array;
	/** the sample's keys in its order */
	keys: string[];
	/** the values for the new column */
	batch: ColumnBatch;
}

/** pod set and pod record changes remembered for podSetChangesSince and podChangesSince */
const maxSetLog = 65_536;

/** two series on the same time steps (a range query's containers) */
function sameTimes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

export class Store {
	readonly pods = new Map<string, PodRecord>();
	readonly nodes = new Map<string, NodeRecord>();
	readonly feed: Feed;
	readonly banners = new Map<string, Banner>();
	readonly summaries = new Map<string, SummaryState>();
	readonly sync: Record<SyncResource, SyncState> = {pods: 'syncing', nodes: 'syncing', events: 'syncing'};
	readonly now: () => number;
	readonly ring: HistoryRing;
	/** PSI history: its own time column, a column per Summary round (the Summary API is polled apart from metrics) */
	readonly psiRing: HistoryRing;

	connection: ConnectionInfo | null = null;
	/** time of the newest metrics sample (epoch ms), null before the first */
	metricsTime: number | null = null;
	/** when (this process's clock) the newest metrics sample arrived: freshness is judged on it, not on the server's clock */
	metricsReceivedAt: number | null = null;
	/** poll window of the newest metrics sample */
	metricsWindowMs: number | null = null;

	/** the first pod list while it comes in page by page (null: not listing page by page) */
	podsListing: {seen: number; remaining: number | null} | null = null;
	/** the newest metrics sample while the first pod list comes in: its figures go to pods listed after it */
	private late: {pods: MetricsSample['pods']; tick: number} | null = null;

	/** bumped by every change */
	version = 0;
	/** pod records changed (any field) */
	podsVersion = 0;
	/** the set of pod keys changed (added/removed) */
	podSetVersion = 0;
	nodesVersion = 0;
	/** a live metrics sample applied: the latest working sets and the history changed */
	metricsVersion = 0;
	/** past history written (a backfill): what reads the history (forecasts, sparklines, charts, recommendations) changed, the latest working sets did not */
	historyVersion = 0;
	summaryVersion = 0;
	bannersVersion = 0;
	/** the version listeners were last told about; what the UI renders */
	publishedVersion = 0;

	/** backfillPod's sum of a pod's containers */
	private pastSum = new Float64Array(0);
	private readonly podSlots = new Map<string, number>();
	private readonly containerSlots = new Map<string, Map<string, number>>();
	private soleBySlot = new Uint8Array(1024);
	/** per pod history slot: 1 when the pod's containers have series of their own (containerSlots has it) */
	private ownBySlot = new Uint8Array(1024);
	private readonly nodeSlots = new Map<string, number>();
	/** PSI series, allocated when a Summary first reports PSI for the pod or node */
	private readonly podPsiSlots = new Map<string, number>();
	private readonly nodePsiSlots = new Map<string, number>();
	/** true once any Summary reported PSI (else screens say once that there is none) */
	psiSeen = false;
	/** time of the PSI ring's newest column */
	private psiTick: number | null = null;
	private readonly byNode = new Map<string, Set<string>>();
	private readonly nodeAgg = new Map<string, NodeAggregate>();
	private readonly nsCounts = new Map<string, number>();
	/** the pod key of each podsVersion (a record put or removed) */
	private readonly recLog = new ChangeLog(maxSetLog);
	/** '+key' / '-key' for each podSetVersion */
	private readonly setLog = new ChangeLog(maxSetLog);
	private readonly listeners = new Set<() => void>();
	private readonly notifyIntervalMs: number;
	private timer: ReturnType<typeof setTimeout> | null = null;

	constructor(opts: StoreOptions = {}) {
		this.now = opts.now ?? Date.now;
		this.ring = new HistoryRing(opts.historySamples ?? 240);
		this.psiRing = new HistoryRing(opts.historySamples ?? 240);
		this.feed = new Feed(opts.feedCapacity === undefined ? {} : {capacity: opts.feedCapacity});
		this.notifyIntervalMs = opts.notifyIntervalMs ?? 500;
	}

	// ---------------------------------------------------------------- ingestion

	setConnection(info: ConnectionInfo): void {
		this.connection = info;
		this.changed();
	}

	/** the full set after a (re)list: pods not in it are dropped, survivors keep their history */
	replacePods(records: PodRecord[]): void {
		const keep = new Set<string>();
		for (const r of records) keep.add(r.key);
		for (const key of [...this.pods.keys()]) {
			if (!keep.has(key)) this.removePod(key);
		}

		// a record already in (a page of the first list, addPodsListed) is not put twice
		for (const r of records) if (this.pods.get(r.key) !== r) this.putPod(r);
		this.podsListing = null;
		this.late = null;
		this.changed();
	}

	/**
	 * One page of the first pod list, shown before the list is complete; `seen` records so far and
	 * the server's estimate of those still to come (null: unknown). replacePods ends the listing.
	 */
	addPodsListed(records: PodRecord[], seen: number, remaining: number | null): void {
		for (const r of records) this.putPod(r);
		this.podsListing = {seen, remaining};
		this.changed();
	}

	upsertPod(r: PodRecord): void {
		this.putPod(r);
		this.changed();
	}

	deletePod(key: string): void {
		if (this.removePod(key)) this.changed();
	}

	replaceNodes(records: NodeRecord[]): void {
		const keep = new Set<string>();
		for (const r of records) keep.add(r.name);
		for (const name of [...this.nodes.keys()]) {
			if (!keep.has(name)) this.removeNode(name);
		}

		for (const r of records) this.putNode(r);
		this.changed();
	}

	upsertNode(r: NodeRecord): void {
		this.putNode(r);
		this.changed();
	}

	deleteNode(name: string): void {
		if (this.removeNode(name)) this.changed();
	}

	replaceEvents(records: EventRecord[]): void {
		for (const e of records) this.feed.observeEvent(e);
		this.changed();
	}

	upsertEvent(e: EventRecord): void {
		this.feed.observeEvent(e);
		this.changed();
	}

	/**
	 * A metrics sample into the history, at once; or, given `staged` (beginMetrics' work), the
	 * last step of a sample applied in steps. Either way one recorded input (record/tap.ts), and
	 * the same result as the sample applied at once at this moment: a replay gets the same store.
	 */
	applyMetrics(sample: MetricsSample, staged?: StagedMetrics): void {
		let s = staged;
		let log: string[] | null = [];
		if (s) log = this.podSetChangesSince(s.podSetVersion);
		if (!s || log === null) {
			// at once (or too much changed meanwhile to trust the steps): stage every pod now
			const stager = this.stager(sample);
			while (!stager.step(() => false));
			s = stager.staged;
			log = [];
		}

		const {slots, how, keys, batch} = s;
		// a pod staged as having no container series of its own may have gained a second container
		// (or series from a backfill) meanwhile: its containers are done now, as at once
		// (a pod whose slot is no longer its own was removed meanwhile: the loop below has it)
		for (let i = 0; i < slots.length; i++) {
			const h = how[i]!;
			const slot = slots[i]!;
			if (h !== LATER && (h !== POD_ONLY || (this.soleBySlot[slot] === 1 && this.ownBySlot[slot] !== 1))) continue;
			const key = keys[i]!;
			if (this.podSlots.get(key) === slot) this.stageContainers(key, slot, sample.pods.get(key)!, batch, true);
		}

		// pods added or removed since their step: staged values of a released slot are dropped by
		// the commit (its generation moved); a pod staged twice writes the same values twice
		for (const change of new Set(log)) {
			const key = change.slice(1);
			const p = sample.pods.get(key);
			const slot = this.podSlots.get(key);
			if (p === undefined || slot === undefined) continue;
			batch.add(slot, p.workingSetBytes);
			this.stageContainers(key, slot, p, batch, true);
		}

		const ring = this.ring;
		for (const [name, bytes] of sample.nodes) {
			const slot = this.nodeSlots.get(name);
			if (slot !== undefined) batch.add(slot, bytes);
		}

		ring.commit(sample.time, batch);
		this.late = this.podsListing === null ? null : {pods: sample.pods, tick: ring.ticks};
		this.metricsTime = Math.max(this.metricsTime ?? 0, sample.time);
		this.metricsReceivedAt = this.now();
		this.metricsWindowMs = sample.windowMs;
		this.metricsVersion++;
		this.changed();
	}

	/**
	 * A metrics sample applied in steps, so that a sample of 150,000 pods never holds the event
	 * loop: each `step` looks up pods' history slots (the costly part: a string-keyed lookup per
	 * pod) until `shouldYield()` says stop (asked every 256 pods), and returns true once the sample
	 * is in. Nothing a reader sees changes until the last step, applyMetrics with the lookups: it
	 * looks up again the pods added or removed meanwhile (the store's pod set log), opens the new
	 * history column and writes every value at once. A frame shows the previous sample or this
	 * one, never half of each.
	 */
	beginMetrics(sample: MetricsSample): {step(shouldYield: () => boolean): boolean} {
		const stager = this.stager(sample);
		let done = false;
		return {
			step: shouldYield => {
				if (done) return true;
				if (!stager.step(shouldYield)) return false;
				done = true;
				this.applyMetrics(sample, stager.staged);
				return true;
			},
		};
	}

	/**
	 * The read-only part of a metrics sample: each pod's history slot (-1: not listed) and its
	 * values staged in a ColumnBatch, in the sample's order. A pod whose containers need series
	 * made is left to the last step (making them changes what a reader sees).
	 */
	private stager(sample: MetricsSample): {staged: StagedMetrics; step(shouldYield: () => boolean): boolean} {
		const n = sample.pods.size;
		const staged: StagedMetrics = {podSetVersion: this.podSetVersion, slots: new Int32Array(n), how: new Uint8Array(n), keys: new Array<string>(n), batch: new ColumnBatch(this.ring)};
		const entries = sample.pods.entries();
		const {slots, how, keys, batch} = staged;
		let i = 0;
		const step = (shouldYield: () => boolean): boolean => {
			for (let k = 1; ; k++) {
				if ((k & 255) === 0 && shouldYield()) return false;
				const next = entries.next();
				if (next.done === true) return true;
				const [key, p] = next.value;
				const slot = this.podSlots.get(key) ?? -1;
				keys[i] = key;
				slots[i] = slot;
				if (slot >= 0) {
					batch.add(slot, p.workingSetBytes);
					how[i] = this.stageContainers(key, slot, p, batch, false);
				}

				i++;
			}
		};

		return {staged, step};
	}

	/**
	 * A pod's containers' values into `batch`: none when the pod's series is its container's (one
	 * running container and metrics report at most one: metrics-server reports running containers
	 * only), else a series each. Series are made only when `make` (the last step); without, a pod
	 * that needs one is LATER.
	 */
	private stageContainers(key: string, slot: number, p: {containers: ReadonlyMap<string, number>}, batch: ColumnBatch, make: boolean): number {
		if (p.containers.size <= 1 && this.soleBySlot[slot] === 1 && this.ownBySlot[slot] !== 1) return POD_ONLY;
		let own = this.containerSlots.get(key);
		if (!make) {
			if (!own) return LATER;
			for (const name of p.containers.keys()) if (!own.has(name)) return LATER;
		} else if (!own) {
			own = new Map();
			this.setOwnContainers(key, slot, own);
		}

		for (const [name, bytes] of p.containers) {
			let cs = own.get(name);
			if (cs === undefined) {
				cs = this.ring.alloc();
				own.set(name, cs);
			}

			batch.add(cs, bytes);
		}

		return WITH_CONTAINERS;
	}

	/** a pod's containers get series of their own (ownBySlot marks the pod's slot) */
	private setOwnContainers(key: string, slot: number, own: Map<string, number>): void {
		this.containerSlots.set(key, own);
		if (slot >= this.ownBySlot.length) {
			const grown = new Uint8Array(Math.max(1024, slot * 2));
			grown.set(this.ownBySlot);
			this.ownBySlot = grown;
		}

		this.ownBySlot[slot] = 1;
	}

	// ------------------------------------------------ backfill (history from before memtop started)

	/** open past history columns at `times` (ascending, older than the oldest; see HistoryRing.prepend); returns how many */
	openPastColumns(times: ArrayLike<number>): number {
		const k = this.ring.prepend(times);
		if (k > 0) this.backfilled();
		return k;
	}

	/**
	 * A pod's past working sets from another source (Prometheus), its containers' series on the past
	 * columns' times: as applyMetrics would have written them (the pod's series is the sum of its
	 * containers'; a container series of its own when the pod has several). A live sample wins.
	 * Returns the samples written; 0 for a pod not in the store. Call `backfilled()` after a batch.
	 */
	backfillPod(key: string, containers: ReadonlyMap<string, {times: ArrayLike<number>; values: ArrayLike<number>}>): number {
		const slot = this.podSlots.get(key);
		if (slot === undefined || containers.size === 0) return 0;
		const ring = this.ring;
		const list = [...containers.values()];
		const first = list[0]!;
		let written: number;
		if (list.length === 1) {
			written = ring.writePast(slot, first.times, first.values);
		} else if (list.every(c => sameTimes(c.times, first.times))) {
			// one range query's containers share its time steps: the pod's series is the sum, step by
			// step, of the containers with a sample there (NaN: none had)
			// into a scratch row (a fresh one per pod was an ArrayBuffer each for the collector)
			if (this.pastSum.length < first.times.length) this.pastSum = new Float64Array(first.times.length);
			const values = this.pastSum.subarray(0, first.times.length).fill(Number.NaN);
			for (const c of list) {
				for (let i = 0; i < values.length; i++) {
					const v = c.values[i]!;
					if (Number.isFinite(v)) values[i] = (Number.isNaN(values[i]!) ? 0 : values[i]!) + v;
				}
			}

			written = ring.writePast(slot, first.times, values);
		} else {
			const sum = new Map<number, number>();
			for (const c of list) for (let i = 0; i < c.times.length; i++) sum.set(c.times[i]!, (sum.get(c.times[i]!) ?? 0) + c.values[i]!);
			const times = [...sum.keys()].sort((a, b) => a - b);
			written = ring.writePast(slot, times, times.map(t => sum.get(t)!));
		}

		if (containers.size > 1 || this.soleBySlot[slot] !== 1 || this.containerSlots.has(key)) {
			let slots = this.containerSlots.get(key);
			if (!slots) {
				slots = new Map();
				this.setOwnContainers(key, slot, slots);
			}

			for (const [name, c] of containers) {
				let cs = slots.get(name);
				if (cs === undefined) {
					cs = ring.alloc();
					slots.set(name, cs);
				}

				written += ring.writePast(cs, c.times, c.values);
			}
		}

		return written;
	}

	/** a node's past working sets (see backfillPod) */
	backfillNode(name: string, times: ArrayLike<number>, values: ArrayLike<number>): number {
		const slot = this.nodeSlots.get(name);
		return slot === undefined ? 0 : this.ring.writePast(slot, times, values);
	}

	/** after a batch of backfill writes: what is derived from the history (forecasts, sparklines) is computed again, and only that */
	backfilled(): void {
		this.historyVersion++;
		this.changed();
	}

	/**
	/**
	 * A node's Summary: fault and stall rates against its previous Summary (memory/pressure.ts),
	 * the PSI series, and MemoryStall episodes into the feed.
	 */
	applySummary(node: string, state: SummaryState): void {
		if (state.status === 'ok') this.notePressure(state.summary, this.summaries.get(node));
		this.summaries.set(node, state);
		this.summaryVersion++;
		this.changed();
	}

	setBanner(b: Banner): void {
		const old = this.banners.get(b.id);
		if (old && old.level === b.level && old.text === b.text) return;
		this.banners.set(b.id, b);
		this.bannersVersion++;
		this.changed();
	}

	clearBanner(id: string): void {
		if (this.banners.delete(id)) {
			this.bannersVersion++;
			this.changed();
		}
	}

	setSyncState(resource: SyncResource, state: SyncState): void {
		if (this.sync[resource] === state) return;
		this.sync[resource] = state;
		this.changed();
	}

	// ---------------------------------------------------------------- reading

	/** latest working set of a pod (bytes), null when unknown or stale */
	workingSet(podKey: string): number | null {
		const slot = this.podSlots.get(podKey);
		return slot === undefined ? null : this.ring.latest(slot, absentPolls);
	}

	/** latest working set of one container; a single-container pod's container is the pod */
	containerWorkingSet(podKey: string, container: string): number | null {
		const slot = this.containerSlot(podKey, container);
		return slot === undefined ? null : this.ring.latest(slot, absentPolls);
	}

	/**
	 * The pod keys added ('+key') and removed ('-key') since podSetVersion was `version`, in order;
	 * null when that is further back than the store remembers (then start from `pods`).
	 */
	podSetChangesSince(version: number): string[] | null {
		return this.setLog.since(version, this.podSetVersion);
	}

	/** the keys of the pods whose record was put or removed since podsVersion was `version` (repeats kept); null when further back than remembered */
	podChangesSince(version: number): string[] | null {
		return this.recLog.since(version, this.podsVersion);
	}

	/** history slot of a pod's series (stable while the pod exists) */
	podSlot(podKey: string): number | undefined {
		return this.podSlots.get(podKey);
	}

	/** latest working set by history slot (see podSlot); null when unknown or stale */
	workingSetOfSlot(slot: number): number | null {
		return slot < 0 ? null : this.ring.latest(slot, absentPolls);
	}

	nodeWorkingSet(name: string): number | null {
		const slot = this.nodeSlots.get(name);
		return slot === undefined ? null : this.ring.latest(slot, absentPolls);
	}

	/** working-set history (time order; NaN = no sample). `key` is the pod key or node name. */
	history(kind: SeriesKind, key: string, container?: string, maxSamples?: number): Series {
		const slot = this.slotOf(kind, key, container);
		return slot === undefined ? {times: new Float64Array(0), values: new Float32Array(0)} : this.ringOf(kind).read(slot, maxSamples);
	}

	/** true when the series exists (a container's is its own, or the pod's when the pod is its sole container) */
	hasSeries(kind: SeriesKind, key: string, container?: string): boolean {
		return this.slotOf(kind, key, container) !== undefined;
	}

	/** the newest `out.length` samples of a series into `out` (NaN-padded); false when no series */
	seriesInto(kind: SeriesKind, key: string, out: Float32Array, container?: string): boolean {
		const slot = this.slotOf(kind, key, container);
		if (slot === undefined) {
			out.fill(Number.NaN);
			return false;
		}

		this.ringOf(kind).readInto(slot, out);
		return true;
	}

	private ringOf(kind: SeriesKind): HistoryRing {
		return kind === 'podPsi' || kind === 'nodePsi' ? this.psiRing : this.ring;
	}

	/** container names that have their own series (every container metrics reported, unless the pod is its sole container) */
	containerSeriesNames(podKey: string): string[] {
		const slots = this.containerSlots.get(podKey);
		return slots ? [...slots.keys()] : [];
	}

	nodeAggregate(name: string): NodeAggregate {
		return this.nodeAgg.get(name) ?? {requestsBytes: 0, pods: 0};
	}

	/** keys of every pod bound to the node (terminated ones included) */
	podsOnNode(name: string): ReadonlySet<string> {
		return this.byNode.get(name) ?? new Set();
	}

	/** pods per namespace */
	namespaces(): ReadonlyMap<string, number> {
		return this.nsCounts;
	}

	summary(node: string): SummaryState | undefined {
		return this.summaries.get(node);
	}

	/** Summary API breakdown of a pod (from its node's latest summary), null when not available */
	podBreakdown(podKey: string): {total: MemoryBreakdown; containers: Map<string, MemoryBreakdown>} | null {
		const pod = this.pods.get(podKey);
		if (!pod || pod.nodeName === '') return null;
		const s = this.summaries.get(pod.nodeName);
		if (!s || s.status !== 'ok') return null;
		return s.summary.pods.get(podKey) ?? null;
	}

	/** every resource is synced or unavailable: nothing is still loading */
	get allSynced(): boolean {
		return Object.values(this.sync).every(state => state !== 'syncing');
	}

	/** series slots in use (pods + containers + nodes) */
	get seriesCount(): number {
		return this.ring.size;
	}

	// ---------------------------------------------------------------- notification

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
			if (this.listeners.size === 0 && this.timer) {
				clearTimeout(this.timer);
				this.timer = null;
			}
		};
	};

	/** snapshot for useSyncExternalStore: changes only when listeners are told */
	getSnapshot = (): number => this.publishedVersion;

	/** tell listeners now if anything changed since they were last told */
	flush(): void {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = null;
		}

		if (this.publishedVersion === this.version) return;
		this.publishedVersion = this.version;
		for (const l of this.listeners) l();
	}

	// ---------------------------------------------------------------- internals

	private changed(): void {
		this.version++;
		if (this.listeners.size === 0) return;
		if (this.notifyIntervalMs <= 0) {
			this.flush();
			return;
		}

		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.flush();
		}, this.notifyIntervalMs);
		this.timer.unref?.();
	}

	private notePressure(cur: NodeSummary, prevState: SummaryState | undefined): void {
		const prev = prevState?.status === 'ok' ? prevState.summary : null;
		if (prev) cur.memory.rates = pressureRates(prev.memory, cur.memory);
		// one PSI column per Summary round: a new one when the newest is older than 10 s
		const t = cur.time;
		const tick = this.psiTick === null || t - this.psiTick >= 10_000;
		if (tick && (cur.memory.psi !== null || cur.pods.size > 0)) {
			this.psiRing.tick(t);
			this.psiTick = t;
		}

		if (cur.memory.psi !== null) this.psiSeen = true;
		if (cur.memory.psi !== null) this.psiRing.set(this.psiSlot(this.nodePsiSlots, cur.node), cur.memory.psi.some.avg10);
		for (const [key, p] of cur.pods) {
			const old = prev?.pods.get(key);
			if (old) {
				p.total.rates = pressureRates(old.total, p.total);
				for (const [name, c] of p.containers) {
					const o = old.containers.get(name);
					if (o) c.rates = pressureRates(o, c);
				}
			}

			const pod = this.pods.get(key);
			if (!pod) continue;
			if (p.total.psi !== null) {
				this.psiSeen = true;
				this.psiRing.set(this.psiSlot(this.podPsiSlots, key), p.total.psi.some.avg10);
			}

			this.feed.observeStall({namespace: pod.namespace, name: pod.name, node: cur.node}, p.total.psi, t);
		}
	}

	private psiSlot(slots: Map<string, number>, key: string): number {
		let slot = slots.get(key);
		if (slot === undefined) {
			slot = this.psiRing.alloc();
			slots.set(key, slot);
		}

		return slot;
	}

	private slotOf(kind: SeriesKind, key: string, container?: string): number | undefined {
		if (kind === 'pod') return this.podSlots.get(key);
		if (kind === 'node') return this.nodeSlots.get(key);
		if (kind === 'podPsi') return this.podPsiSlots.get(key);
		if (kind === 'nodePsi') return this.nodePsiSlots.get(key);
		return this.containerSlot(key, container ?? '');
	}

	/** per pod history slot: 1 when the pod has exactly one running container (read once per pod and sample) */
	private markSole(slot: number, sole: boolean): void {
		if (slot >= this.soleBySlot.length) {
			const grown = new Uint8Array(Math.max(1024, slot * 2));
			grown.set(this.soleBySlot);
			this.soleBySlot = grown;
		}

		this.soleBySlot[slot] = sole ? 1 : 0;
	}

	private containerSlot(podKey: string, container: string): number | undefined {
		const own = this.containerSlots.get(podKey);
		if (own !== undefined) return own.get(container);
		const pod = this.pods.get(podKey);
		return pod && soleContainer(pod)?.name === container ? this.podSlots.get(podKey) : undefined;
	}

	private putPod(r: PodRecord): void {
		const prev = this.pods.get(r.key);
		if (prev) {
			this.unaccount(prev);
		} else {
			this.podSlots.set(r.key, this.ring.alloc());
			this.nsCounts.set(r.namespace, (this.nsCounts.get(r.namespace) ?? 0) + 1);
			this.logSetChange('+', r.key);
		}

		this.pods.set(r.key, r);
		this.markSole(this.podSlots.get(r.key)!, soleContainer(r) !== null);
		if (!prev && this.late !== null) this.applyLate(r.key);
		this.account(r);
		this.feed.observePod(prev, r, this.now());
		this.logRecord(r.key);
	}

	/** a pod listed after the newest metrics sample arrived gets its figures from that sample */
	private applyLate(key: string): void {
		const late = this.late!;
		const p = late.pods.get(key);
		const slot = this.podSlots.get(key);
		if (!p || slot === undefined || this.ring.ticks !== late.tick) return;
		this.ring.set(slot, p.workingSetBytes);
		if (p.containers.size <= 1 && this.soleBySlot[slot] === 1) return;
		const slots = new Map<string, number>();
		this.setOwnContainers(key, slot, slots);
		for (const [name, bytes] of p.containers) {
			const cs = this.ring.alloc();
			slots.set(name, cs);
			this.ring.set(cs, bytes);
		}
	}

	private removePod(key: string): boolean {
		const prev = this.pods.get(key);
		if (!prev) return false;
		this.unaccount(prev);
		this.pods.delete(key);
		const slot = this.podSlots.get(key);
		if (slot !== undefined) this.ring.release(slot);
		this.podSlots.delete(key);
		const ps = this.podPsiSlots.get(key);
		if (ps !== undefined) {
			this.psiRing.release(ps);
			this.podPsiSlots.delete(key);
		}

		this.feed.forgetStall(key);
		const cs = this.containerSlots.get(key);
		if (cs) {
			for (const s of cs.values()) this.ring.release(s);
			this.containerSlots.delete(key);
			if (slot !== undefined) this.ownBySlot[slot] = 0;
		}

		const n = (this.nsCounts.get(prev.namespace) ?? 1) - 1;
		if (n <= 0) this.nsCounts.delete(prev.namespace);
		else this.nsCounts.set(prev.namespace, n);
		this.logSetChange('-', key);
		this.logRecord(key);
		return true;
	}

	/** one pod's record put or removed: bumps podsVersion and keeps a bounded log for podChangesSince */
	private logRecord(key: string): void {
		this.podsVersion++;
		this.recLog.push(key);
	}

	/** one pod key added or removed: bumps podSetVersion and keeps a bounded log for podSetChangesSince */
	private logSetChange(op: '+' | '-', key: string): void {
		this.podSetVersion++;
		this.setLog.push(op + key);
	}

	private account(p: PodRecord): void {
		if (p.nodeName === '') return;
		let set = this.byNode.get(p.nodeName);
		if (!set) {
			set = new Set();
			this.byNode.set(p.nodeName, set);
		}

		set.add(p.key);
		if (!holdsMemory(p)) return;
		let agg = this.nodeAgg.get(p.nodeName);
		if (!agg) {
			agg = {requestsBytes: 0, pods: 0};
			this.nodeAgg.set(p.nodeName, agg);
		}

		agg.requestsBytes += p.requestBytes ?? 0;
		agg.pods++;
	}

	private unaccount(p: PodRecord): void {
		if (p.nodeName === '') return;
		const set = this.byNode.get(p.nodeName);
		if (set) {
			set.delete(p.key);
			if (set.size === 0) this.byNode.delete(p.nodeName);
		}

		if (!holdsMemory(p)) return;
		const agg = this.nodeAgg.get(p.nodeName);
		if (!agg) return;
		agg.requestsBytes -= p.requestBytes ?? 0;
		agg.pods--;
		if (agg.pods <= 0) this.nodeAgg.delete(p.nodeName);
	}

	private putNode(r: NodeRecord): void {
		const prev = this.nodes.get(r.name);
		if (!prev) this.nodeSlots.set(r.name, this.ring.alloc());
		this.nodes.set(r.name, r);
		this.feed.observeNode(prev, r, this.now());
		this.nodesVersion++;
	}

	private removeNode(name: string): boolean {
		if (!this.nodes.delete(name)) return false;
		const slot = this.nodeSlots.get(name);
		if (slot !== undefined) this.ring.release(slot);
		this.nodeSlots.delete(name);
		const ps = this.nodePsiSlots.get(name);
		if (ps !== undefined) {
			this.psiRing.release(ps);
			this.nodePsiSlots.delete(name);
		}

		this.summaries.delete(name);
		this.nodesVersion++;
		return true;
	}
}
