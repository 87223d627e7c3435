/**
 * Selectors: the rows the UI shows, derived from the store and memoized.
 *
 * Built for 150,000 pods:
 * - a base table (pod keys in namespace/name order) is rebuilt only when the set of keys changes;
 * - numeric sort keys are precomputed per column into Float64Arrays, only when the data they
 *   depend on changed, and rows are sorted as a Uint32Array of base indices with a radix sort
 *   (strings are ranked once, never compared during a sort);
 * - filtering narrows incrementally while the user types (a longer filter searches the previous
 *   result only);
 * - row objects are built only for the rows on screen (`row(i)`).
 *
 * Data versions are captured by `refresh()`: between refreshes every answer comes from the
 * caches, so a keypress never pays for data that arrived since the last frame.
 */
import {defaultEvictionHardBytes, nodeDistanceToThreshold, rankEviction, type EvictionRank} from '../memory/eviction.js';
import {forecastOom, type Forecast} from '../memory/forecast.js';
import {nodeLevel, percentOf, usageLevel, worstLevel, type Level} from '../memory/percent.js';
import {diagnose, type DiagnosisRow} from '../memory/recommend.js';
import {ownerWorkload, spread, workloadKey, type Spread} from '../memory/workloads.js';
import {sortTables, type EventSortKey, type NodeSortKey, type PodSortKey, type Sort, type WorkloadSortKey} from '../view/sorts.js';
import {rankStrings, sortRows} from './sort.js';
import type {Store} from './store.js';
import type {ContainerRecord, FeedEntry, MemoryBreakdown, NodeRecord, PodRecord, QosClass} from '../model/index.js';

// ------------------------------------------------------------------ public types

export interface PodQuery {
	sort: Sort<PodSortKey>;
	/** fuzzy text (subsequence of namespace/name, case-insensitive); '' = all */
	filter: string;
	/** only this namespace; null = all */
	namespace: string | null;
	/** only pods bound to this node */
	node?: string | null;
	/** only pods of this workload (WorkloadRow.key) */
	workload?: string | null;
}

export interface PodRow {
	key: string;
	namespace: string;
	name: string;
	node: string;
	record: PodRecord;
	workingSet: number | null;
	request: number | null;
	limit: number | null;
	pctRequest: number | null;
	pctLimit: number | null;
	qos: QosClass;
	restarts: number;
	/** what to show as the pod's state: Running, Pending, OOMKilled, CrashLoopBackOff, Evicted, … */
	status: string;
	level: Level;
	/** containers that run alongside the app (not plain init containers) */
	containerCount: number;
}

export interface RowSet<R> {
	/** rows after scope + filter */
	readonly length: number;
	/** rows in scope before the text filter */
	readonly scoped: number;
	key(i: number): string;
	row(i: number): R;
	/** index of the row with this key, -1 if absent */
	indexOf(key: string): number;
}

export interface ContainerRow {
	podKey: string;
	name: string;
	kind: ContainerRecord['kind'];
	workingSet: number | null;
	request: number | null;
	limit: number | null;
	pctRequest: number | null;
	pctLimit: number | null;
	level: Level;
	restarts: number;
	state: ContainerRecord['state'];
	stateReason: string;
	record: ContainerRecord;
	/** Summary API breakdown, null when not available */
	breakdown: MemoryBreakdown | null;
	/** has its own history series (else the pod's series is the container's) */
	ownSeries: boolean;
}

export interface NodeQuery {
	sort: Sort<NodeSortKey>;
	filter: string;
}

export interface NodeRow {
	name: string;
	record: NodeRecord;
	workingSet: number | null;
	capacity: number | null;
	allocatable: number | null;
	pctAllocatable: number | null;
	/** sum of the requests of its non-terminated pods */
	requests: number;
	pctRequests: number | null;
	pods: number;
	memoryPressure: boolean;
	ready: boolean;
	level: Level;
	/** Summary API memory.available, null when unknown */
	available: number | null;
	evictionHard: number | null;
	evictionHardSource: 'configz' | 'default' | null;
	/** available − hard threshold (negative: the kubelet evicts) */
	distance: number | null;
	summary: 'ok' | 'unavailable' | 'none';
	summaryReason: string;
}

export type WorkloadGroupBy = 'workload' | 'namespace';

export interface WorkloadQuery {
	sort: Sort<WorkloadSortKey>;
	filter: string;
	namespace: string | null;
	groupBy: WorkloadGroupBy;
}

export interface WorkloadRow {
	/** "ns/Kind/name" (by workload) or "ns" (by namespace) */
	key: string;
	namespace: string;
	kind: string;
	name: string;
	pods: number;
	sampled: number;
	workingSet: number | null;
	request: number | null;
	/** null when any pod has no limit */
	limit: number | null;
	pctLimit: number | null;
	spread: Spread;
	restarts: number;
	/** worst level among its pods (% of limit) */
	level: Level;
}

export interface EventQuery {
	sort: Sort<EventSortKey>;
	filter: string;
	namespace: string | null;
}

export interface EvictionCandidate extends EvictionRank {
	pod: PodRecord;
	workingSet: number | null;
	request: number | null;
}

export interface NodeEviction {
	node: string;
	available: number | null;
	threshold: number;
	thresholdSource: 'configz' | 'default';
	distance: number | null;
	/** where the working set for the ranking came from */
	source: 'summary' | 'metrics';
	candidates: EvictionCandidate[];
	/** pods considered */
	total: number;
}

// ------------------------------------------------------------------ helpers

/** Case-insensitive subsequence match ("wbap" matches "web-api"). `needle` must be lower case. */
export function fuzzyMatch(needle: string, haystackLower: string): boolean {
	if (needle === '') return true;
	let j = 0;
	const n = needle.length;
	for (let i = 0; i < haystackLower.length && j < n; i++) {
		if (haystackLower.charCodeAt(i) === needle.charCodeAt(j)) j++;
	}

	return j === n;
}

/** fuzzyMatch on haystack[from, to) without slicing; haystack is lower case */
function fuzzyRange(needle: string, haystack: string, from: number, to: number): boolean {
	let j = 0;
	const n = needle.length;
	for (let i = from; i < to && j < n; i++) {
		if (haystack.charCodeAt(i) === needle.charCodeAt(j)) j++;
	}

	return j === n;
}

/** pod orders prepared ahead: every sort key in the direction its first press gives */
const presorts: Array<[PodSortKey, boolean]> = sortTables.pods.filter(d => d.id !== 'oomIn').map(d => [d.id as PodSortKey, d.desc]);

const qosRank: Record<QosClass, number> = {BestEffort: 0, Burstable: 1, Guaranteed: 2};

function appContainers(p: PodRecord): ContainerRecord[] {
	return p.containers.filter(c => c.kind !== 'init');
}

/** the pod's state as one word for the table */
export function podStatus(p: PodRecord): string {
	if (p.deleting) return 'Terminating';
	if (p.reason !== '') return p.reason; // Evicted, NodeLost, ...
	for (const c of p.containers) {
		if (c.kind === 'init' && c.state !== 'terminated' && c.stateReason !== '' && p.phase === 'Pending') return `Init:${c.stateReason}`;
	}

	for (const c of p.containers) {
		if (c.kind !== 'init' && c.stateReason !== '' && c.state !== 'running' && c.stateReason !== 'Completed') return c.stateReason;
	}

	return p.phase === '' ? 'Unknown' : p.phase;
}

/** newest restart of the pod's app containers (epoch ms), what a forecast must start after */
function lastRestart(containers: ContainerRecord[]): number | null {
	let t: number | null = null;
	for (const c of containers) {
		const f = c.lastTermination?.finishedAt ?? null;
		if (f !== null && (t === null || f > t)) t = f;
	}

	return t;
}

const noForecast = (text: string): Forecast => ({kind: 'none', why: 'too-little-history', text, slopeBytesPerSec: null});

/** a small cache: keep the newest `max` entries */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
	map.delete(key);
	map.set(key, value);
	while (map.size > max) map.delete(map.keys().next().value!);
}

class Lazy<T> {
	private tag = '';
	private value: T | undefined;
	get(tag: string, make: () => T): T {
		if (this.value === undefined || tag !== this.tag) {
			this.value = make();
			this.tag = tag;
		}

		return this.value;
	}
}

interface Snapshot {
	podSet: number;
	pods: number;
	metrics: number;
	nodes: number;
	summary: number;
	feed: number;
	metricsTime: number | null;
}

interface PodBase {
	/** pod keys in namespace/name order; a pod's base index is its position here */
	keys: string[];
	/** the same keys in pod-name order (ties by key), and their names */
	byName: string[];
	names: string[];
	recs: PodRecord[];
	/** history slot of each pod (for the working-set column without map lookups) */
	slots: Int32Array;
	all: Uint32Array;
	recsTag: number;
	/** when built from the previous base by merging: each row's index there (-1: new) */
	from: {base: PodBase; index: Int32Array} | null;
}

/** every pod on the same node in both record lists (same base order) */
function sameNodes(a: readonly PodRecord[], b: readonly PodRecord[]): boolean {
	for (let i = 0; i < b.length; i++) if (a[i] !== b[i] && a[i]!.nodeName !== b[i]!.nodeName) return false;
	return true;
}

/** position of `key` in the sorted `keys`, -1 when absent (binary search) */
function findKey(keys: readonly string[], key: string): number {
	let lo = 0;
	let hi = keys.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >>> 1;
		const k = keys[mid]!;
		if (k === key) return mid;
		if (k < key) lo = mid + 1;
		else hi = mid - 1;
	}

	return -1;
}

function podName(key: string): string {
	return key.slice(key.indexOf('/') + 1);
}

function byNameThenKey(a: string, b: string): number {
	const x = podName(a);
	const y = podName(b);
	if (x !== y) return x < y ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

function byKey(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function finishBase(keys: string[], slots: Int32Array, byName: string[], names: string[], from: PodBase['from']): PodBase {
	const all = new Uint32Array(keys.length);
	for (let i = 0; i < all.length; i++) all[i] = i;
	return {keys, byName, names, recs: [], slots, all, recsTag: -1, from};
}

class IndexRowSet<R> implements RowSet<R> {
	private readonly cache = new Map<number, R>();
	constructor(
		readonly rows: Uint32Array,
		readonly scoped: number,
		private readonly keyOf: (base: number) => string,
		private readonly make: (base: number) => R,
		/** base index of a key, for a scan of integers instead of strings */
		private readonly baseOf?: (key: string) => number | undefined,
	) {}

	get length(): number {
		return this.rows.length;
	}

	key(i: number): string {
		return this.keyOf(this.rows[i]!);
	}

	row(i: number): R {
		const b = this.rows[i]!;
		let r = this.cache.get(b);
		if (r === undefined) {
			r = this.make(b);
			this.cache.set(b, r);
		}

		return r;
	}

	indexOf(key: string): number {
		if (this.baseOf) {
			const b = this.baseOf(key);
			return b === undefined ? -1 : this.rows.indexOf(b);
		}

		for (let i = 0; i < this.rows.length; i++) if (this.keyOf(this.rows[i]!) === key) return i;
		return -1;
	}
}

// ------------------------------------------------------------------ selectors

export class Selectors {
	private snap: Snapshot;
	private baseValue: PodBase | null = null;
	private baseTag = -1;
	private readonly nameRank = new Lazy<Float64Array>();
	private indexCache: {base: PodBase; index: Map<string, number>} | null = null;
	private warmTag = '';
	private scratch = new Float32Array(0);
	private warmStep = 0;
	private readonly podColumns = new Map<PodSortKey, {tag: string; data: Float64Array}>();
	/** the records the node column was ranked from */
	private nodeColumnOf: {base: PodBase; recs: PodRecord[]} | null = null;
	private forecasts = new Map<string, {rec: PodRecord; f: Forecast}>();
	private forecastTag = '';
	private readonly sortedScopes = new Map<string, {rows: Uint32Array; scoped: number}>();
	private readonly podRowSets = new Map<string, IndexRowSet<PodRow>>();
	private lastFilter: {base: PodBase; filter: string; match: Uint8Array} | null = null;
	private spareMatch: Uint8Array | null = null;

	/** a zeroed match buffer of length n, reusing the one the last filter let go */
	private matchBuffer(n: number): Uint8Array {
		const spare = this.spareMatch;
		this.spareMatch = null;
		return spare !== null && spare.length === n ? spare.fill(0) : new Uint8Array(n);
	}
	private textCache: {base: PodBase; joined: string; offsets: Uint32Array} | null = null;

	/** all pod keys in base order as one string with offsets, for fast filtering */
	private podText(b: PodBase): {joined: string; offsets: Uint32Array} {
		if (this.textCache?.base !== b) {
			const offsets = new Uint32Array(b.keys.length + 1);
			let at = 0;
			for (let i = 0; i < b.keys.length; i++) {
				offsets[i] = at;
				at += b.keys[i]!.length + 1;
			}

			offsets[b.keys.length] = at;
			this.textCache = {base: b, joined: b.keys.join('\n') + '\n', offsets};
		}

		return this.textCache;
	}
	private readonly workloadOf = new Lazy<{keys: string[]}>();
	private readonly nodes = new Lazy<{rows: NodeRow[]; lower: string[]}>();
	private nodeRowsCache: {tag: string; rows: IndexRowSet<NodeRow>} | null = null;
	private readonly groups = new Map<WorkloadGroupBy, {tag: string; rows: WorkloadRow[]; members: Map<string, Uint32Array>}>();
	private workloadRowsCache: {tag: string; rows: IndexRowSet<WorkloadRow>} | null = null;
	private eventRowsCache: {tag: string; rows: IndexRowSet<FeedEntry>} | null = null;
	private timesCache: {tag: string; times: Float64Array} | null = null;

	constructor(readonly store: Store) {
		this.snap = this.capture();
	}

	/** take the store's current data as the data to show; returns true when anything changed */
	refresh(): boolean {
		const next = this.capture();
		const s = this.snap;
		const changed =
			next.podSet !== s.podSet ||
			next.pods !== s.pods ||
			next.metrics !== s.metrics ||
			next.nodes !== s.nodes ||
			next.summary !== s.summary ||
			next.feed !== s.feed;
		this.snap = next;
		return changed;
	}

	/** time of the metrics the current snapshot shows */
	get metricsTime(): number | null {
		return this.snap.metricsTime;
	}

	private capture(): Snapshot {
		const st = this.store;
		return {
			podSet: st.podSetVersion,
			pods: st.podsVersion,
			metrics: st.metricsVersion,
			nodes: st.nodesVersion,
			summary: st.summaryVersion,
			feed: st.feed.version,
			metricsTime: st.metricsTime,
		};
	}

	// -------------------------------------------------------------- pods

	private podBase(): PodBase {
		const prev = this.baseValue;
		if (!prev || this.baseTag !== this.snap.podSet) {
			this.baseValue = this.buildBase(prev, this.baseTag);
			this.baseTag = this.snap.podSet;
		}

		const b = this.baseValue!;
		if (b.recsTag !== this.snap.pods) {
			const recs = new Array<PodRecord>(b.keys.length);
			for (let i = 0; i < b.keys.length; i++) recs[i] = this.store.pods.get(b.keys[i]!)!;
			b.recs = recs;
			b.recsTag = this.snap.pods;
		}

		return b;
	}

	/**
	 * The key orders, kept up to date by merging: when a few pods come and go, the survivors stay
	 * in order and only the newcomers are sorted, so 150,000 strings are not sorted again.
	 */
	private buildBase(prev: PodBase | null, prevTag: number): PodBase {
		const pods = this.store.pods;
		const changes = prev ? this.store.podSetChangesSince(prevTag) : null;
		if (!prev || changes === null || changes.length > Math.max(64, pods.size / 4)) {
			const keys = [...pods.keys()].sort(byKey);
			const byName = [...keys].sort(byNameThenKey);
			const slots = new Int32Array(keys.length);
			for (let i = 0; i < keys.length; i++) slots[i] = this.store.podSlot(keys[i]!) ?? -1;
			return finishBase(keys, slots, byName, byName.map(podName), null);
		}

		// Net effect per key: first and last operation tell whether it was there before and is now.
		const first = new Map<string, string>();
		const last = new Map<string, string>();
		for (const c of changes) {
			const key = c.slice(1);
			if (!first.has(key)) first.set(key, c[0]!);
			last.set(key, c[0]!);
		}

		const added: string[] = [];
		const removed = new Set<string>();
		const replaced: string[] = []; // removed and added again: same place, a new history slot
		for (const [key, f] of first) {
			const l = last.get(key);
			if (f === '+' && l === '+') added.push(key);
			else if (f === '-' && l === '-') removed.add(key);
			else if (f === '-' && l === '+') replaced.push(key);
		}

		// Survivors keep their order and slots; newcomers are sorted among themselves and merged in.
		let keptKeys = prev.keys;
		let keptSlots: ArrayLike<number> = prev.slots;
		let keptIndex: number[] | null = null; // null: identity
		let keptByName = prev.byName;
		let keptNames = prev.names;
		if (removed.size > 0) {
			const k: string[] = [];
			const sl: number[] = [];
			keptIndex = [];
			for (let i = 0; i < prev.keys.length; i++) {
				if (removed.has(prev.keys[i]!)) continue;
				k.push(prev.keys[i]!);
				sl.push(prev.slots[i]!);
				keptIndex.push(i);
			}

			const bn: string[] = [];
			const nm: string[] = [];
			for (let i = 0; i < prev.byName.length; i++) {
				if (removed.has(prev.byName[i]!)) continue;
				bn.push(prev.byName[i]!);
				nm.push(prev.names[i]!);
			}

			keptKeys = k;
			keptSlots = sl;
			keptByName = bn;
			keptNames = nm;
		}

		added.sort(byKey);
		const n = keptKeys.length + added.length;
		const keys = new Array<string>(n);
		const slots = new Int32Array(n);
		const fromIndex = new Int32Array(n);
		{
			let i = 0;
			let j = 0;
			for (let o = 0; o < n; o++) {
				if (j >= added.length || (i < keptKeys.length && keptKeys[i]! <= added[j]!)) {
					keys[o] = keptKeys[i]!;
					slots[o] = keptSlots[i]!;
					fromIndex[o] = keptIndex === null ? i : keptIndex[i]!;
					i++;
				} else {
					keys[o] = added[j]!;
					slots[o] = this.store.podSlot(added[j]!) ?? -1;
					fromIndex[o] = -1;
					j++;
				}
			}
		}

		for (const key of replaced) {
			const i = findKey(keys, key);
			if (i >= 0) slots[i] = this.store.podSlot(key) ?? -1;
		}

		const addedByName = [...added].sort(byNameThenKey);
		const addedNames = addedByName.map(podName);
		const byName = new Array<string>(n);
		const names = new Array<string>(n);
		{
			let i = 0;
			let j = 0;
			for (let o = 0; o < n; o++) {
				const takeKept =
					j >= addedByName.length ||
					(i < keptByName.length && (keptNames[i]! < addedNames[j]! || (keptNames[i] === addedNames[j] && keptByName[i]! <= addedByName[j]!)));
				if (takeKept) {
					byName[o] = keptByName[i]!;
					names[o] = keptNames[i]!;
					i++;
				} else {
					byName[o] = addedByName[j]!;
					names[o] = addedNames[j]!;
					j++;
				}
			}
		}

		// one step of ancestry only: older bases can go
		prev.from = null;
		return finishBase(keys, slots, byName, names, {base: prev, index: fromIndex});
	}

	/** pod key → base index */
	private indexMap(b: PodBase): Map<string, number> {
		if (this.indexCache?.base !== b) {
			const index = new Map<string, number>();
			for (let i = 0; i < b.keys.length; i++) index.set(b.keys[i]!, i);
			this.indexCache = {base: b, index};
		}

		return this.indexCache.index;
	}

	/**
	 * Prepare, in small steps, what a key press may need next: the sort columns, the name order,
	 * the filter text and the OOM forecasts. The UI calls this when idle after new data, so the
	 * first press of a sort key does not pay for the data that arrived before it.
	 * Returns true while work remains.
	 */
	warm(budgetMs = 8): boolean {
		const s = this.snap;
		const tag = `${s.podSet}/${s.pods}/${s.metrics}`;
		if (tag !== this.warmTag) {
			this.warmTag = tag;
			this.warmStep = 0;
		}

		const steps: Array<() => void> = [
			() => this.podColumn('workingSet'),
			() => this.podColumn('pctLimit'),
			() => this.podColumn('pctRequest'),
			() => this.podColumn('request'),
			() => this.podColumn('limit'),
			() => this.podColumn('restarts'),
			() => this.podColumn('qos'),
			() => this.indexMap(this.podBase()),
			() => this.podColumn('name'),
			() => this.podText(this.podBase()),
			() => this.podColumn('node'),
			// the orders one key press away, for the unscoped pods list
			...presorts.map(([key, desc]) => () => this.sortedScope({sort: {key, desc}, filter: '', namespace: null})),
		];
		const end = performance.now() + budgetMs;
		while (this.warmStep < steps.length) {
			steps[this.warmStep]!();
			this.warmStep++;
			if (performance.now() >= end) return true;
		}

		// Forecasts last, a slice at a time; then the OOM-in column is a lookup.
		const b = this.podBase();
		let i = this.warmStep - steps.length;
		while (i < b.keys.length) {
			this.forecast(b.keys[i]!);
			i++;
			if ((i & 255) === 0 && performance.now() >= end) {
				this.warmStep = steps.length + i;
				return true;
			}
		}

		this.warmStep = steps.length + b.keys.length;
		this.podColumn('oomIn');
		this.sortedScope({sort: {key: 'oomIn', desc: false}, filter: '', namespace: null});
		return false;
	}

	private podColumn(key: PodSortKey): Float64Array {
		const b = this.podBase();
		const s = this.snap;
		const tags: Record<PodSortKey, string> = {
			namespace: `${s.podSet}`,
			name: `${s.podSet}`,
			node: `${s.podSet}/${s.pods}`,
			request: `${s.podSet}/${s.pods}`,
			limit: `${s.podSet}/${s.pods}`,
			qos: `${s.podSet}/${s.pods}`,
			restarts: `${s.podSet}/${s.pods}`,
			workingSet: `${s.podSet}/${s.metrics}`,
			pctRequest: `${s.podSet}/${s.pods}/${s.metrics}`,
			pctLimit: `${s.podSet}/${s.pods}/${s.metrics}`,
			oomIn: `${s.podSet}/${s.pods}/${s.metrics}`,
		};
		const tag = tags[key];
		const cached = this.podColumns.get(key);
		if (cached && cached.tag === tag) return cached.data;
		const n = b.keys.length;
		// Recomputed in place when the length is the same: the old values are read by nobody (a sort
		// reads a column while it sorts, the sorted rows are kept on their own), and a 150k-row
		// column per data version would be a large-object allocation each time.
		const fresh = () => (cached !== undefined && cached.data.length === n && key !== 'name' && key !== 'namespace' ? cached.data : new Float64Array(n));
		let data: Float64Array;
		switch (key) {
			case 'namespace': {
				data = new Float64Array(n);
				for (let i = 0; i < n; i++) data[i] = i; // base order is namespace/name
				break;
			}

			case 'name': {
				data = this.nameRank.get(`${s.podSet}`, () => {
					const index = this.indexMap(b);
					const rank = new Float64Array(n);
					for (let i = 0; i < n; i++) rank[index.get(b.byName[i]!)!] = i;
					return rank;
				});
				break;
			}

			case 'node': {
				// the same pods on the same nodes (the usual case when a few pods change): same ranks
				const prev = this.nodeColumnOf;
				if (cached !== undefined && prev !== null && prev.base === b && prev.recs.length === n && sameNodes(prev.recs, b.recs)) {
					data = cached.data;
				} else {
					data = rankStrings(b.recs.map(r => r.nodeName));
				}

				this.nodeColumnOf = {base: b, recs: b.recs};
				break;
			}

			case 'request':
			case 'limit': {
				data = fresh();
				const field = key === 'request' ? 'requestBytes' : 'limitBytes';
				for (let i = 0; i < n; i++) data[i] = b.recs[i]![field] ?? Number.NaN;
				break;
			}

			case 'qos': {
				data = fresh();
				for (let i = 0; i < n; i++) data[i] = qosRank[b.recs[i]!.qos];
				break;
			}

			case 'restarts': {
				data = fresh();
				for (let i = 0; i < n; i++) data[i] = b.recs[i]!.restarts;
				break;
			}

			case 'workingSet': {
				data = fresh();
				for (let i = 0; i < n; i++) data[i] = this.store.workingSetOfSlot(b.slots[i]!) ?? Number.NaN;
				break;
			}

			case 'pctRequest':
			case 'pctLimit': {
				const ws = this.podColumn('workingSet');
				data = fresh();
				const field = key === 'pctRequest' ? 'requestBytes' : 'limitBytes';
				for (let i = 0; i < n; i++) data[i] = percentOf(ws[i]!, b.recs[i]![field]) ?? Number.NaN;
				break;
			}

			case 'oomIn': {
				data = fresh();
				for (let i = 0; i < n; i++) {
					const f = this.forecast(b.keys[i]!);
					// ETA first, soonest first (ascending); pods without an ETA go last.
					data[i] = f?.kind === 'eta' ? f.etaMs : Number.NaN;
				}

				break;
			}
		}

		this.podColumns.set(key, {tag, data});
		return data;
	}

	/** pods in the query's scope (namespace/node/workload), before the text filter */
	private podScope(q: PodQuery): Uint32Array {
		const b = this.podBase();
		const ns = q.namespace ?? null;
		const node = q.node ?? null;
		const workload = q.workload ?? null;
		if (ns === null && node === null && workload === null) return b.all;
		let candidates: Uint32Array;
		if (workload !== null) {
			candidates = this.workloadMembers(workload);
		} else if (node !== null) {
			const keys = this.store.podsOnNode(node);
			const list: number[] = [];
			for (const k of keys) {
				const i = findKey(b.keys, k);
				if (i >= 0) list.push(i);
			}

			list.sort((x, y) => x - y);
			candidates = Uint32Array.from(list);
		} else {
			candidates = b.all;
		}

		if (ns === null) return candidates;
		const out: number[] = [];
		for (const i of candidates) if (b.recs[i]!.namespace === ns) out.push(i);
		return Uint32Array.from(out);
	}

	podRows(q: PodQuery): RowSet<PodRow> {
		const b = this.podBase();
		const s = this.snap;
		const scopeTag = `${s.podSet}/${s.pods}/${q.namespace ?? ''}/${q.node ?? ''}/${q.workload ?? ''}`;
		const sortedTag = `${scopeTag}/${s.metrics}/${q.sort.key}/${q.sort.desc}`;
		const filter = q.filter.toLowerCase();
		const tag = `${sortedTag}/${filter}`;
		const hit = this.podRowSets.get(tag);
		if (hit) return hit;
		// The scope sorted once per order; a filter keeps that order, so typing never sorts again.
		const sorted = this.sortedScope(q);

		let rows = sorted.rows;
		if (filter !== '') {
			const prev = this.lastFilter;
			let match: Uint8Array;
			if (prev !== null && prev.filter === filter && prev.base !== b && b.from?.base === prev.base) {
				// Same filter, pods came and went: carry the matches over, test only the newcomers.
				match = this.matchBuffer(b.keys.length);
				const from = b.from.index;
				for (let r = 0; r < match.length; r++) {
					const old = from[r]!;
					match[r] = old >= 0 ? prev.match[old]! : fuzzyMatch(filter, b.keys[r]!) ? 1 : 0;
				}
			} else {
				// Match in base order over one contiguous string (cache friendly), narrowing the previous
				// match set when the new filter extends the old one; then keep the sorted order.
				const text = this.podText(b);
				const narrow = prev !== null && prev.base === b && prev.filter !== '' && filter.startsWith(prev.filter) ? prev.match : null;
				match = this.matchBuffer(b.keys.length);
				const {joined, offsets} = text;
				for (let r = 0; r < match.length; r++) {
					if (narrow !== null && narrow[r] === 0) continue;
					if (fuzzyRange(filter, joined, offsets[r]!, offsets[r + 1]! - 1)) match[r] = 1;
				}
			}

			// the previous match set is free again (two buffers take turns: no 150k-byte array per key)
			if (prev !== null && prev.match !== match) this.spareMatch = prev.match;
			this.lastFilter = {base: b, filter, match};
			const src = sorted.rows;
			let m = 0;
			for (let i = 0; i < src.length; i++) m += match[src[i]!]!;
			const out = new Uint32Array(m);
			m = 0;
			for (let i = 0; i < src.length; i++) {
				const r = src[i]!;
				if (match[r] === 1) out[m++] = r;
			}

			rows = out;
		}

		const set = new IndexRowSet<PodRow>(rows, sorted.scoped, i => b.keys[i]!, i => this.makePodRow(b.recs[i]!), k => {
			const i = findKey(b.keys, k);
			return i < 0 ? undefined : i;
		});
		remember(this.podRowSets, tag, set, 6);
		return set;
	}

	/** the query's scope in the query's order, before the filter (memoized) */
	private sortedScope(q: PodQuery): {rows: Uint32Array; scoped: number} {
		this.podBase();
		const s = this.snap;
		const tag = `${s.podSet}/${s.pods}/${q.namespace ?? ''}/${q.node ?? ''}/${q.workload ?? ''}/${s.metrics}/${q.sort.key}/${q.sort.desc}`;
		let sorted = this.sortedScopes.get(tag);
		if (!sorted) {
			const scope = this.podScope(q);
			sorted = {rows: sortRows(scope, this.podColumn(q.sort.key), q.sort.desc), scoped: scope.length};
			remember(this.sortedScopes, tag, sorted, 16);
		} else {
			remember(this.sortedScopes, tag, sorted, 16);
		}

		return sorted;
	}

	podRow(key: string): PodRow | null {
		const p = this.store.pods.get(key);
		return p ? this.makePodRow(p) : null;
	}

	private makePodRow(p: PodRecord): PodRow {
		const ws = this.store.workingSet(p.key);
		const pctLimit = percentOf(ws, p.limitBytes);
		return {
			key: p.key,
			namespace: p.namespace,
			name: p.name,
			node: p.nodeName,
			record: p,
			workingSet: ws,
			request: p.requestBytes,
			limit: p.limitBytes,
			pctRequest: percentOf(ws, p.requestBytes),
			pctLimit,
			qos: p.qos,
			restarts: p.restarts,
			status: podStatus(p),
			level: usageLevel(pctLimit),
			containerCount: appContainers(p).length,
		};
	}

	/** chronological time column of the history, shared by every series */
	times(): Float64Array {
		const tag = `${this.snap.metrics}`;
		if (this.timesCache?.tag !== tag) this.timesCache = {tag, times: this.store.ring.times()};
		return this.timesCache.times;
	}

	/**
	 * OOM forecast of a pod: per container against its own limit (the soonest wins), from the
	 * samples since its last restart. Memoized per metrics poll.
	 */
	forecast(podKey: string): Forecast | null {
		// A forecast reads the pod's record and its history: history only moves with the metrics,
		// and a changed pod is a new record. So a few pods changing keep the other forecasts.
		const tag = `${this.snap.metrics}`;
		if (tag !== this.forecastTag) {
			this.forecasts = new Map();
			this.forecastTag = tag;
		}

		const p = this.store.pods.get(podKey);
		if (!p) return null;
		const hit = this.forecasts.get(podKey);
		if (hit && hit.rec === p) return hit.f;
		const f = this.computeForecast(p);
		if (hit) {
			hit.rec = p;
			hit.f = f;
		} else {
			this.forecasts.set(podKey, {rec: p, f});
		}

		return f;
	}

	private computeForecast(p: PodRecord): Forecast {
		const apps = appContainers(p);
		const now = this.snap.metricsTime ?? this.store.now();
		const times = this.times();
		if (times.length === 0) return noForecast('no metrics yet');
		if (this.scratch.length !== times.length) this.scratch = new Float32Array(times.length);
		const values = this.scratch;
		if (apps.length <= 1) {
			const c = apps[0];
			const limit = c ? c.limitBytes : p.limitBytes;
			if (limit === null) return {kind: 'none', why: 'no-limit', text: 'no limit', slopeBytesPerSec: null};
			this.store.seriesInto('pod', p.key, values);
			return forecastOom(times, values, limit, now, {startedAt: c ? lastRestart([c]) : null});
		}

		let best: Forecast | null = null;
		let fallback: Forecast | null = null;
		const own = this.store.containerSeriesNames(p.key);
		for (const c of apps) {
			if (c.limitBytes === null) continue;
			if (!own.includes(c.name)) {
				fallback ??= noForecast('too little history');
				continue;
			}

			this.store.seriesInto('container', p.key, values, c.name);
			const f = forecastOom(times, values, c.limitBytes, now, {startedAt: lastRestart([c])});
			const named: Forecast = {...f, text: `${c.name}: ${f.text}`};
			if (f.kind === 'eta') {
				if (best === null || (best.kind === 'eta' && f.etaMs < best.etaMs)) best = named;
			} else if (fallback === null || fallback.kind !== 'none' || fallback.why === 'too-little-history') {
				fallback = f.why === 'already-at-limit' ? named : f;
			}
		}

		return best ?? fallback ?? {kind: 'none', why: 'no-limit', text: 'no limit', slopeBytesPerSec: null};
	}

	containerRows(podKey: string): ContainerRow[] {
		const p = this.store.pods.get(podKey);
		if (!p) return [];
		const breakdown = this.store.podBreakdown(podKey);
		const own = new Set(this.store.containerSeriesNames(podKey));
		return p.containers.map(c => {
			const ws = c.kind === 'init' && c.state !== 'running' ? null : this.store.containerWorkingSet(podKey, c.name);
			const pctLimit = percentOf(ws, c.limitBytes);
			return {
				podKey,
				name: c.name,
				kind: c.kind,
				workingSet: ws,
				request: c.requestBytes,
				limit: c.limitBytes,
				pctRequest: percentOf(ws, c.requestBytes),
				pctLimit,
				level: usageLevel(pctLimit),
				restarts: c.restarts,
				state: c.state,
				stateReason: c.stateReason,
				record: c,
				breakdown: breakdown?.containers.get(c.name) ?? null,
				ownSeries: own.has(c.name),
			};
		});
	}

	/** the seed checklist for a pod or one of its containers */
	diagnosis(podKey: string, container: string | null, now: number): DiagnosisRow[] {
		const p = this.store.pods.get(podKey);
		if (!p) return [];
		const apps = appContainers(p);
		const single = apps.length === 1 ? apps[0]! : null;
		const target = container ?? (single ? single.name : null);
		let history;
		let ws: number | null;
		if (target !== null && !this.store.containerSeriesNames(podKey).includes(target)) {
			// single-container pod: the pod series is the container's
			history = this.store.history('pod', podKey);
			ws = this.store.workingSet(podKey);
		} else if (target !== null) {
			history = this.store.history('container', podKey, target);
			ws = this.store.containerWorkingSet(podKey, target);
		} else {
			history = this.store.history('pod', podKey);
			ws = this.store.workingSet(podKey);
		}

		const node = p.nodeName === '' ? null : (this.store.nodes.get(p.nodeName) ?? null);
		const summary = p.nodeName === '' ? undefined : this.store.summary(p.nodeName);
		const ok = summary?.status === 'ok' ? summary.summary : null;
		return diagnose({
			pod: p,
			container: target,
			history,
			workingSetBytes: ws,
			node,
			nodeWorkingSetBytes: node ? this.store.nodeWorkingSet(node.name) : null,
			nodeAvailableBytes: ok?.availableBytes ?? null,
			evictionHardBytes: ok ? ok.evictionHardBytes : null,
			evictionHardSource: ok ? ok.evictionHardSource : null,
			oomKillsLastHour: this.oomKills(p, target, now),
			now,
		});
	}

	private oomKills(p: PodRecord, container: string | null, now: number): number {
		let n = 0;
		for (const e of this.store.feed.entries()) {
			if (e.time < now - 3_600_000) break; // newest first
			if (e.kind !== 'OOMKilled' || e.namespace !== p.namespace || e.pod !== p.name) continue;
			if (container !== null && e.container !== container) continue;
			n += Math.max(1, e.count);
		}

		return n;
	}

	// -------------------------------------------------------------- nodes

	private nodeTable(): {rows: NodeRow[]; lower: string[]} {
		const s = this.snap;
		return this.nodes.get(`${s.nodes}/${s.pods}/${s.metrics}/${s.summary}`, () => {
			const names = [...this.store.nodes.keys()].sort();
			const rows = names.map(n => this.makeNodeRow(this.store.nodes.get(n)!));
			return {rows, lower: names.map(n => n.toLowerCase())};
		});
	}

	private makeNodeRow(n: NodeRecord): NodeRow {
		const ws = this.store.nodeWorkingSet(n.name);
		const agg = this.store.nodeAggregate(n.name);
		const pctAllocatable = percentOf(ws, n.allocatableBytes);
		const s = this.store.summary(n.name);
		const ok = s?.status === 'ok' ? s.summary : null;
		const available = ok?.availableBytes ?? null;
		const evictionHard = ok ? ok.evictionHardBytes : null;
		return {
			name: n.name,
			record: n,
			workingSet: ws,
			capacity: n.capacityBytes,
			allocatable: n.allocatableBytes,
			pctAllocatable,
			requests: agg.requestsBytes,
			pctRequests: percentOf(agg.requestsBytes, n.allocatableBytes),
			pods: agg.pods,
			memoryPressure: n.memoryPressure,
			ready: n.ready,
			level: nodeLevel(pctAllocatable, n.memoryPressure),
			available,
			evictionHard,
			evictionHardSource: ok ? ok.evictionHardSource : null,
			distance: nodeDistanceToThreshold(available, evictionHard),
			summary: s === undefined ? 'none' : s.status === 'ok' ? 'ok' : 'unavailable',
			summaryReason: s?.status === 'unavailable' ? s.reason : '',
		};
	}

	nodeRows(q: NodeQuery): RowSet<NodeRow> {
		const t = this.nodeTable();
		const filter = q.filter.toLowerCase();
		const tag = `${this.snap.nodes}/${this.snap.pods}/${this.snap.metrics}/${this.snap.summary}/${filter}/${q.sort.key}/${q.sort.desc}`;
		if (this.nodeRowsCache?.tag === tag) return this.nodeRowsCache.rows;
		const idx: number[] = [];
		for (let i = 0; i < t.rows.length; i++) if (fuzzyMatch(filter, t.lower[i]!)) idx.push(i);
		const key = new Float64Array(t.rows.length);
		for (let i = 0; i < t.rows.length; i++) {
			const r = t.rows[i]!;
			const v: Record<NodeSortKey, number | null> = {
				name: i,
				workingSet: r.workingSet,
				allocatable: r.allocatable,
				pctAllocatable: r.pctAllocatable,
				requests: r.requests,
				pods: r.pods,
				pressure: (r.memoryPressure ? 2 : 0) + (r.ready ? 0 : 1),
				// less headroom first when "biggest first": sort by the negated distance
				available: r.distance === null ? (r.available === null ? null : -r.available) : -r.distance,
			};
			key[i] = v[q.sort.key] ?? Number.NaN;
		}

		const rows = new IndexRowSet<NodeRow>(sortRows(Uint32Array.from(idx), key, q.sort.desc), t.rows.length, i => t.rows[i]!.name, i => t.rows[i]!);
		this.nodeRowsCache = {tag, rows};
		return rows;
	}

	nodeRow(name: string): NodeRow | null {
		const n = this.store.nodes.get(name);
		return n ? this.makeNodeRow(n) : null;
	}

	/** the node's pods in the kubelet's eviction order, with the node's distance to its threshold */
	nodeEviction(name: string, max = 10): NodeEviction {
		const s = this.store.summary(name);
		const ok = s?.status === 'ok' ? s.summary : null;
		const pods: PodRecord[] = [];
		for (const k of this.store.podsOnNode(name)) {
			const p = this.store.pods.get(k);
			if (p && p.phase !== 'Succeeded' && p.phase !== 'Failed') pods.push(p);
		}

		pods.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		const wsOf = (p: PodRecord): number | null => {
			const fromSummary = ok?.pods.get(p.key)?.total.workingSetBytes ?? null;
			return fromSummary ?? this.store.workingSet(p.key);
		};

		const byKey = new Map(pods.map(p => [p.key, p]));
		const ranked = rankEviction(pods.map(p => ({key: p.key, workingSetBytes: wsOf(p), requestBytes: p.requestBytes, priority: p.priority, critical: p.owner?.kind === 'Node'})));
		const threshold = ok?.evictionHardBytes ?? defaultEvictionHardBytes;
		return {
			node: name,
			available: ok?.availableBytes ?? null,
			threshold,
			thresholdSource: ok?.evictionHardSource ?? 'default',
			distance: nodeDistanceToThreshold(ok?.availableBytes ?? null, threshold),
			source: ok ? 'summary' : 'metrics',
			total: pods.length,
			candidates: ranked.slice(0, max).map(r => {
				const pod = byKey.get(r.key)!;
				return {...r, pod, workingSet: wsOf(pod), request: pod.requestBytes};
			}),
		};
	}

	// -------------------------------------------------------------- workloads

	private workloadKeys(): string[] {
		const b = this.podBase();
		return this.workloadOf.get(`${this.snap.podSet}/${this.snap.pods}`, () => ({
			keys: b.recs.map(r => workloadKey(r.namespace, ownerWorkload(r))),
		})).keys;
	}

	private workloadGroups(by: WorkloadGroupBy): {rows: WorkloadRow[]; members: Map<string, Uint32Array>} {
		const s = this.snap;
		const tag = `${s.podSet}/${s.pods}/${s.metrics}`;
		const hit = this.groups.get(by);
		if (hit && hit.tag === tag) return hit;
		const b = this.podBase();
		const wkeys = by === 'workload' ? this.workloadKeys() : null;
		const ws = this.podColumn('workingSet');
		interface Acc {
			row: WorkloadRow;
			values: number[];
			members: number[];
			unbounded: boolean;
		}

		const acc = new Map<string, Acc>();
		for (let i = 0; i < b.recs.length; i++) {
			const p = b.recs[i]!;
			const key = wkeys ? wkeys[i]! : p.namespace;
			let a = acc.get(key);
			if (!a) {
				const w = by === 'workload' ? ownerWorkload(p) : {kind: 'Namespace', name: p.namespace};
				a = {
					row: {key, namespace: p.namespace, kind: w.kind, name: w.name, pods: 0, sampled: 0, workingSet: null, request: null, limit: null, pctLimit: null, spread: {min: Number.NaN, median: Number.NaN, max: Number.NaN}, restarts: 0, level: 'ok'},
					values: [],
					members: [],
					unbounded: false,
				};
				acc.set(key, a);
			}

			const r = a.row;
			r.pods++;
			r.restarts += p.restarts;
			a.members.push(i);
			const v = ws[i]!;
			if (!Number.isNaN(v)) {
				r.sampled++;
				a.values.push(v);
				r.workingSet = (r.workingSet ?? 0) + v;
				r.level = worstLevel(r.level, usageLevel(percentOf(v, p.limitBytes)));
			}

			if (p.requestBytes !== null) r.request = (r.request ?? 0) + p.requestBytes;
			if (p.limitBytes === null) a.unbounded = true;
			else r.limit = (r.limit ?? 0) + p.limitBytes;
		}

		const rows: WorkloadRow[] = [];
		const members = new Map<string, Uint32Array>();
		for (const a of acc.values()) {
			if (a.unbounded) a.row.limit = null;
			a.row.spread = spread(a.values);
			a.row.pctLimit = percentOf(a.row.workingSet, a.row.limit);
			rows.push(a.row);
			members.set(a.row.key, Uint32Array.from(a.members));
		}

		rows.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
		const out = {tag, rows, members};
		this.groups.set(by, out);
		return out;
	}

	private workloadMembers(key: string): Uint32Array {
		const by: WorkloadGroupBy = key.includes('/') ? 'workload' : 'namespace';
		return this.workloadGroups(by).members.get(key) ?? new Uint32Array(0);
	}

	workloadRows(q: WorkloadQuery): RowSet<WorkloadRow> {
		const g = this.workloadGroups(q.groupBy);
		const filter = q.filter.toLowerCase();
		const s = this.snap;
		const tag = `${q.groupBy}/${s.podSet}/${s.pods}/${s.metrics}/${filter}/${q.namespace ?? ''}/${q.sort.key}/${q.sort.desc}`;
		if (this.workloadRowsCache?.tag === tag) return this.workloadRowsCache.rows;
		const idx: number[] = [];
		let scoped = 0;
		for (let i = 0; i < g.rows.length; i++) {
			const r = g.rows[i]!;
			if (q.namespace !== null && r.namespace !== q.namespace) continue;
			scoped++;
			if (fuzzyMatch(filter, r.key.toLowerCase())) idx.push(i);
		}

		const key = new Float64Array(g.rows.length);
		const kindRank = q.sort.key === 'kind' ? rankStrings(g.rows.map(r => r.kind)) : null;
		const nameRank = q.sort.key === 'name' ? rankStrings(g.rows.map(r => r.name)) : null;
		for (let i = 0; i < g.rows.length; i++) {
			const r = g.rows[i]!;
			let v: number | null;
			switch (q.sort.key) {
				case 'namespace':
					v = i;
					break;
				case 'name':
					v = nameRank![i]!;
					break;
				case 'kind':
					v = kindRank![i]!;
					break;
				case 'pods':
					v = r.pods;
					break;
				case 'workingSet':
					v = r.workingSet;
					break;
				case 'request':
					v = r.request;
					break;
				case 'limit':
					v = r.limit;
					break;
				case 'pctLimit':
					v = r.pctLimit;
					break;
				case 'spread':
					v = Number.isNaN(r.spread.max) ? null : r.spread.max - r.spread.min;
					break;
				case 'restarts':
					v = r.restarts;
					break;
			}

			key[i] = v ?? Number.NaN;
		}

		const rows = new IndexRowSet<WorkloadRow>(sortRows(Uint32Array.from(idx), key, q.sort.desc), scoped, i => g.rows[i]!.key, i => g.rows[i]!);
		this.workloadRowsCache = {tag, rows};
		return rows;
	}

	// -------------------------------------------------------------- events

	eventRows(q: EventQuery): RowSet<FeedEntry> {
		const filter = q.filter.toLowerCase();
		const tag = `${this.snap.feed}/${filter}/${q.namespace ?? ''}/${q.sort.key}/${q.sort.desc}`;
		if (this.eventRowsCache?.tag === tag) return this.eventRowsCache.rows;
		const entries = this.store.feed.entries(); // newest first
		const idx: number[] = [];
		let scoped = 0;
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i]!;
			if (q.namespace !== null && e.namespace !== q.namespace) continue;
			scoped++;
			const text = `${e.namespace}/${e.pod}/${e.container} ${e.node} ${e.kind} ${e.reason}`.toLowerCase();
			if (fuzzyMatch(filter, text)) idx.push(i);
		}

		const key = new Float64Array(entries.length);
		const objectRank = q.sort.key === 'object' ? rankStrings(entries.map(eventObject)) : null;
		const kindRank = q.sort.key === 'kind' ? rankStrings(entries.map(e => e.kind)) : null;
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i]!;
			key[i] = q.sort.key === 'time' ? e.time : q.sort.key === 'count' ? e.count : q.sort.key === 'object' ? objectRank![i]! : kindRank![i]!;
		}

		const rows = new IndexRowSet<FeedEntry>(sortRows(Uint32Array.from(idx), key, q.sort.desc), scoped, i => entries[i]!.id, i => entries[i]!);
		this.eventRowsCache = {tag, rows};
		return rows;
	}

	/** namespaces with their pod counts, sorted by name */
	namespaces(): Array<{name: string; pods: number}> {
		return [...this.store.namespaces()].map(([name, pods]) => ({name, pods})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	}
}

/** "ns/pod/container" or "node/…" for a feed entry */
export function eventObject(e: FeedEntry): string {
	if (e.pod !== '') return `${e.namespace}/${e.pod}${e.container === '' ? '' : `/${e.container}`}`;
	return `node/${e.node}`;
}

const instances = new WeakMap<Store, Selectors>();

/** the shared Selectors of a store */
export function selectorsFor(store: Store): Selectors {
	let s = instances.get(store);
	if (!s) {
		s = new Selectors(store);
		instances.set(store, s);
	}

	return s;
}
