/**
 * The pods table: every pod in scope, filtered and sorted, built for 150,000 pods.
 * - numeric sort keys are precomputed per column into Float64Arrays, only when the data they
 *   depend on changed, and rows are sorted as a Uint32Array of base indices with a radix sort
 *   (strings are ranked once, never compared during a sort);
 * - filtering (pod-filter.ts) goes on from the previous key press's matches while the user types,
 *   and carries its matches over when pods come and go;
 * - row objects are built only for the rows on screen (`row(i)`).
 * A finished pod (Succeeded, Failed, Evicted) holds no memory: no working set, no %, no
 * forecast; `hideFinished` leaves such pods out.
 */
import type {Forecast} from '../memory/forecast.js';
import {percentOf, usageLevel, type Level} from '../memory/percent.js';
import {pressureLevel} from '../memory/pressure.js';
import {holdsMemory, podStatus, runningKinds} from '../memory/pod-state.js';
import type {MemoryPsi, PodRecord, PressureRates, QosClass} from '../model/index.js';
import type {Forecasts} from './forecast.js';
import {findKey, sameNodes, type PodBase, type PodIndex} from './pod-index.js';
import {PodFilter} from './pod-filter.js';
import {IndexRowSet, remember, type RowSet} from './rows.js';
import {rankStrings, sortRows} from './sort.js';
import {sortTables, type PodSortKey, type Sort} from './sorts.js';
import {historyTag, type Source} from './source.js';

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
	/** leave out pods that have finished (Succeeded, Failed, Evicted) */
	hideFinished?: boolean;
}

export interface PodRow {
	key: string;
	namespace: string;
	name: string;
	node: string;
	record: PodRecord;
	/** false when the pod has finished: it holds no memory */
	live: boolean;
	/** null when unknown, or when the pod has finished */
	workingSet: number | null;
	request: number | null;
	limit: number | null;
	pctRequest: number | null;
	pctLimit: number | null;
	qos: QosClass;
	restarts: number;
	/** the pod's state as kubectl says it: Running, Pending, Completed, OOMKilled, CrashLoopBackOff, Evicted, … */
	status: string;
	level: Level;
	/** containers that run alongside the app (not plain init containers) */
	containerCount: number;
	/** time to OOM (view/forecast.ts); null when not computed */
	forecast: Forecast | null;
	/** memory stall of the pod's cgroup (Summary API, Kubernetes ≥ 1.34); null when not reported */
	psi: MemoryPsi | null;
	/** fault and stall rates since the previous Summary poll */
	pressure: PressureRates | null;
	pressureLevel: Level;
	/** in a MemoryStall episode (sustained full stall, memory/pressure.ts), as the feed says */
	stalled: boolean;
	swapBytes: number | null;
}

const qosRank: Record<QosClass, number> = {BestEffort: 0, Burstable: 1, Guaranteed: 2};

/** a pod's key in the time-to-OOM order: its ETA, soonest first (ascending); pods without one go last (NaN) */
const etaOf = (f: Forecast | null): number => (f?.kind === 'eta' ? f.etaMs : Number.NaN);

/** pod orders prepared ahead: every order in the direction of its first press (time to OOM last: it needs the forecasts) */
const presorts: Array<Sort<PodSortKey>> = sortTables.pods.filter(d => d.id !== 'oomIn').map(d => ({key: d.id as PodSortKey, desc: d.desc}));

export class PodTable {
	private readonly columns = new Map<PodSortKey, {tag: string; data: Float64Array}>();
	/** the records the node column was ranked from */
	private nodeColumnOf: {base: PodBase; recs: PodRecord[]} | null = null;
	private nameRank: {tag: number; data: Float64Array} | null = null;
	private readonly sortedScopes = new Map<string, {rows: Uint32Array; scoped: number}>();
	/** by scope, order and filter; `history`: the history version its rows' forecasts were read at */
	private readonly rowSets = new Map<string, {set: IndexRowSet<PodRow>; history: string}>();
	private readonly filter: PodFilter;
	private warmTag = '';
	private warmHistory = '';
	private warmStep = 0;
	/** the time-to-OOM column while warm() makes it: for which tag, and how far */
	private oomInStage: {tag: string; data: Float64Array; next: number} | null = null;

	constructor(
		private readonly src: Source,
		private readonly index: PodIndex,
		private readonly forecasts: Forecasts,
		/** base indices of a workload's pods */
		private readonly workloadMembers: (key: string) => Uint32Array,
	) {
		this.filter = new PodFilter(index);
	}

	rows(q: PodQuery): RowSet<PodRow> {
		const b = this.index.base();
		const filter = q.filter.toLowerCase();
		const tag = `${this.sortedTag(q)}/${filter}`;
		const history = historyTag(this.src.snap);
		const hit = this.rowSets.get(tag);
		if (hit?.history === history) return hit.set;
		// The scope sorted once per order; a filter keeps that order, so typing never sorts again.
		// Only the history written (a backfill): the same rows in the same order, their row objects
		// made again (they carry the forecast).
		const sorted = hit ? null : this.sortedScope(q);
		const rows = hit ? hit.set.rows : filter === '' ? sorted!.rows : this.filter.rows(b, sorted!.rows, filter);
		const set = new IndexRowSet<PodRow>(rows, hit ? hit.set.scoped : sorted!.scoped, i => b.keys[i]!, i => this.makeRow(b.recs[i]!), k => this.index.find(k));
		remember(this.rowSets, tag, {set, history}, 6);
		return set;
	}

	row(key: string): PodRow | null {
		const p = this.src.store.pods.get(key);
		return p ? this.makeRow(p) : null;
	}

	/** the working-set column in base order (NaN: unknown or finished), for sums over pods */
	workingSets(): Float64Array {
		return this.column('workingSet');
	}

	/**
	 * Prepare, in small steps, what a key press may need next: the sort columns, the name order,
	 * the filter text and the OOM forecasts. The UI calls this when idle after new data, so the
	 * first press of a sort key does not pay for the data that arrived before it.
	 * Returns true while work remains.
	 */
	warm(budgetMs = 8): boolean {
		const s = this.src.snap;
		const tag = `${s.podSet}/${s.pods}/${s.metrics}`;
		if (tag !== this.warmTag) {
			this.warmTag = tag;
			this.warmStep = 0;
		}

		const steps: Array<() => void> = [
			...presorts.map(p => () => this.column(p.key)),
			() => this.index.indexMap(this.index.base()),
			() => this.index.text(this.index.base()),
			// the orders one key press away, for the unscoped pods list
			...presorts.map(sort => () => this.sortedScope({sort, filter: '', namespace: null})),
		];
		// only the history written: the sort columns and orders hold, the forecasts are made again
		const history = historyTag(s);
		if (history !== this.warmHistory) {
			this.warmHistory = history;
			this.warmStep = Math.min(this.warmStep, steps.length);
		}

		const end = performance.now() + budgetMs;
		while (this.warmStep < steps.length) {
			steps[this.warmStep]!();
			this.warmStep++;
			if (performance.now() >= end) return true;
		}

		// The forecasts last, into the time-to-OOM column a slice at a time; then its order.
		if (this.warmStep === steps.length) {
			if (!this.oomInSlice(end)) return true;
			this.warmStep++;
			if (performance.now() >= end) return true;
		}

		this.sortedScope({sort: {key: 'oomIn', desc: false}, filter: '', namespace: null});
		return false;
	}

	/** the time-to-OOM column made (its forecasts computed) until `end`; true once it is current */
	private oomInSlice(end: number): boolean {
		const tag = this.columnTag('oomIn');
		const cached = this.columns.get('oomIn');
		if (cached?.tag === tag) return true;
		const b = this.index.base();
		const n = b.keys.length;
		let stage = this.oomInStage;
		if (stage?.tag !== tag || stage.data.length !== n) {
			// a column of an older tag is read by nobody any more (see column())
			stage = this.oomInStage = {tag, data: cached?.data.length === n ? cached.data : new Float64Array(n), next: 0};
		}

		const {data} = stage;
		for (let i = stage.next; i < n; ) {
			data[i] = etaOf(this.forecasts.pod(b.keys[i]!));
			i++;
			if ((i & 255) === 0 && i < n && performance.now() >= end) {
				stage.next = i;
				return false;
			}
		}

		this.columns.set('oomIn', {tag, data});
		this.oomInStage = null;
		return true;
	}

	private makeRow(p: PodRecord): PodRow {
		const live = holdsMemory(p);
		const ws = live ? this.src.store.workingSet(p.key) : null;
		const pctLimit = percentOf(ws, p.limitBytes);
		const b = live ? (this.src.store.podBreakdown(p.key)?.total ?? null) : null;
		return {
			key: p.key,
			namespace: p.namespace,
			name: p.name,
			node: p.nodeName,
			record: p,
			live,
			workingSet: ws,
			request: p.requestBytes,
			limit: p.limitBytes,
			pctRequest: percentOf(ws, p.requestBytes),
			pctLimit,
			qos: p.qos,
			restarts: p.restarts,
			status: podStatus(p),
			level: usageLevel(pctLimit),
			containerCount: runningKinds(p).length,
			forecast: this.forecasts.pod(p.key),
			psi: b?.psi ?? null,
			pressure: b?.rates ?? null,
			pressureLevel: pressureLevel(b?.psi ?? null, pctLimit),
			stalled: live && this.src.store.feed.isStalled(p.key),
			swapBytes: b?.swapBytes ?? null,
		};
	}

	private sortedTag(q: PodQuery): string {
		const s = this.src.snap;
		// the time-to-OOM order reads the history; the others only the latest working sets
		const data = q.sort.key === 'oomIn' ? historyTag(s) : `${s.metrics}`;
		return `${s.podSet}/${s.pods}/${q.namespace ?? ''}/${q.node ?? ''}/${q.workload ?? ''}/${q.hideFinished === true}/${data}/${q.sort.key}/${q.sort.desc}`;
	}

	/** the query's scope in the query's order, before the filter (memoized) */
	private sortedScope(q: PodQuery): {rows: Uint32Array; scoped: number} {
		const tag = this.sortedTag(q);
		let sorted = this.sortedScopes.get(tag);
		if (!sorted) {
			const scope = this.scope(q);
			sorted = {rows: sortRows(scope, this.column(q.sort.key), q.sort.desc), scoped: scope.length};
		}

		remember(this.sortedScopes, tag, sorted, 16);
		return sorted;
	}

	/** pods in the query's scope (namespace/node/workload/finished), before the text filter */
	private scope(q: PodQuery): Uint32Array {
		const b = this.index.base();
		const ns = q.namespace ?? null;
		const node = q.node ?? null;
		const workload = q.workload ?? null;
		const hide = q.hideFinished === true;
		if (ns === null && node === null && workload === null && !hide) return b.all;
		let candidates: Uint32Array;
		if (workload !== null) {
			candidates = this.workloadMembers(workload);
		} else if (node !== null) {
			const list: number[] = [];
			for (const k of this.src.store.podsOnNode(node)) {
				const i = findKey(b.keys, k);
				if (i >= 0) list.push(i);
			}

			list.sort((x, y) => x - y);
			candidates = Uint32Array.from(list);
		} else {
			candidates = b.all;
		}

		if (ns === null && !hide) return candidates;
		const out: number[] = [];
		for (const i of candidates) {
			if (ns !== null && b.recs[i]!.namespace !== ns) continue;
			if (hide && b.live[i] === 0) continue;
			out.push(i);
		}

		return Uint32Array.from(out);
	}

	/** the versions of the data a sort column reads */
	private columnTag(key: PodSortKey): string {
		const s = this.src.snap;
		if (key === 'namespace' || key === 'name') return `${s.podSet}`;
		if (key === 'workingSet' || key === 'pctRequest' || key === 'pctLimit') return `${s.podSet}/${s.pods}/${s.metrics}`;
		if (key === 'oomIn') return `${s.podSet}/${s.pods}/${historyTag(s)}`;
		if (key === 'psi') return `${s.podSet}/${s.pods}/${s.summary}`;
		return `${s.podSet}/${s.pods}`;
	}

	/** one sort column in base order, recomputed only when the data it reads changed */
	private column(key: PodSortKey): Float64Array {
		const b = this.index.base();
		const s = this.src.snap;
		const tag = this.columnTag(key);
		const cached = this.columns.get(key);
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
				if (this.nameRank?.tag !== s.podSet) {
					const index = this.index.indexMap(b);
					const rank = new Float64Array(n);
					for (let i = 0; i < n; i++) rank[index.get(b.byName[i]!)!] = i;
					this.nameRank = {tag: s.podSet, data: rank};
				}

				data = this.nameRank.data;
				break;
			}

			case 'node': {
				// the same pods on the same nodes (the usual case when a few pods change): same ranks
				const prev = this.nodeColumnOf;
				const same = cached !== undefined && prev !== null && prev.base === b && prev.recs.length === n && sameNodes(prev.recs, b.recs);
				data = same ? cached.data : rankStrings(b.recs.map(r => r.nodeName));
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
				for (let i = 0; i < n; i++) data[i] = b.live[i] === 1 ? (this.src.store.workingSetOfSlot(b.slots[i]!) ?? Number.NaN) : Number.NaN;
				break;
			}

			case 'pctRequest':
			case 'pctLimit': {
				const ws = this.column('workingSet');
				data = fresh();
				const field = key === 'pctRequest' ? 'requestBytes' : 'limitBytes';
				for (let i = 0; i < n; i++) data[i] = percentOf(ws[i]!, b.recs[i]![field]) ?? Number.NaN;
				break;
			}

			case 'psi': {
				data = fresh();
				for (let i = 0; i < n; i++) {
					const psi = b.live[i] === 1 ? this.src.store.podBreakdown(b.keys[i]!)?.total.psi : null;
					data[i] = psi ? psi.some.avg10 : Number.NaN;
				}

				break;
			}

			case 'oomIn': {
				data = fresh();
				for (let i = 0; i < n; i++) data[i] = etaOf(this.forecasts.pod(b.keys[i]!));
				break;
			}
		}

		this.columns.set(key, {tag, data});
		return data;
	}
}
