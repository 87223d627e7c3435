/**
 * Node rows and a node's eviction order.
 * - WS is the node's working set from metrics.k8s.io; %ALLOC divides it by allocatable.
 * - Requests and pod count are the store's node aggregates: pods that hold memory only.
 * - The eviction order ranks by the kubelet's own working sets (Summary API) when the node
 *   answered, as the kubelet does; else by metrics.k8s.io. It says which (`source`), and each
 *   candidate carries both figures so a screen can show the difference.
 */
import {defaultEvictionHardBytes, nodeDistanceToThreshold, rankEviction, type EvictionRank} from '../memory/eviction.js';
import {headroomLevel, nodeLevel, percentOf, type Level} from '../memory/percent.js';
import {holdsMemory} from '../memory/pod-state.js';
import {pressureLevel} from '../memory/pressure.js';
import type {MemoryPsi, NodeRecord, PodRecord, PressureRates} from '../model/index.js';
import {fuzzyMatch, IndexRowSet, Lazy, type RowSet} from './rows.js';
import {sortRows} from './sort.js';
import type {NodeSortKey, Sort} from './sorts.js';
import type {Source} from './source.js';

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
	/** sum of the requests of its pods that hold memory */
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
	distanceLevel: Level;
	summary: 'ok' | 'unavailable' | 'none';
	summaryReason: string;
	/** epoch ms of the Summary sample, null without one */
	summaryTime: number | null;
	/** the node's memory stall, fault rates and swap (Summary API) */
	psi: MemoryPsi | null;
	pressure: PressureRates | null;
	pressureLevel: Level;
	swapBytes: number | null;
}

export interface EvictionCandidate extends EvictionRank {
	pod: PodRecord;
	/** the working set the ranking used (see NodeEviction.source) */
	workingSet: number | null;
	/** metrics.k8s.io's working set of the pod, what the pods table shows */
	metricsWorkingSet: number | null;
	request: number | null;
}

export interface NodeEviction {
	node: string;
	available: number | null;
	threshold: number;
	thresholdSource: 'configz' | 'default';
	distance: number | null;
	/** where the ranking's working sets came from: the kubelet's Summary API, or metrics.k8s.io */
	source: 'summary' | 'metrics';
	/** epoch ms of the Summary sample when source is 'summary' */
	sourceTime: number | null;
	candidates: EvictionCandidate[];
	/** pods considered (those that hold memory) */
	total: number;
}

export class NodeTable {
	private readonly table = new Lazy<{rows: NodeRow[]; lower: string[]}>();
	private rowsCache: {tag: string; rows: IndexRowSet<NodeRow>} | null = null;

	constructor(private readonly src: Source) {}

	rows(q: NodeQuery): RowSet<NodeRow> {
		const t = this.all();
		const filter = q.filter.toLowerCase();
		const tag = `${this.dataTag()}/${filter}/${q.sort.key}/${q.sort.desc}`;
		if (this.rowsCache?.tag === tag) return this.rowsCache.rows;
		const idx: number[] = [];
		for (let i = 0; i < t.rows.length; i++) if (fuzzyMatch(filter, t.lower[i]!)) idx.push(i);
		const key = new Float64Array(t.rows.length);
		for (let i = 0; i < t.rows.length; i++) key[i] = sortValue(t.rows[i]!, q.sort.key, i) ?? Number.NaN;
		const rows = new IndexRowSet<NodeRow>(sortRows(Uint32Array.from(idx), key, q.sort.desc), t.rows.length, i => t.rows[i]!.name, i => t.rows[i]!);
		this.rowsCache = {tag, rows};
		return rows;
	}

	row(name: string): NodeRow | null {
		const n = this.src.store.nodes.get(name);
		return n ? this.makeRow(n) : null;
	}

	/** the node's pods that hold memory, in the kubelet's eviction order, with the node's distance to its threshold */
	eviction(name: string, max = 10): NodeEviction {
		const store = this.src.store;
		const s = store.summary(name);
		const ok = s?.status === 'ok' ? s.summary : null;
		const pods: PodRecord[] = [];
		for (const k of store.podsOnNode(name)) {
			const p = store.pods.get(k);
			if (p && holdsMemory(p)) pods.push(p);
		}

		pods.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		const wsOf = (p: PodRecord): number | null => (ok ? (ok.pods.get(p.key)?.total.workingSetBytes ?? store.workingSet(p.key)) : store.workingSet(p.key));
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
			sourceTime: ok ? ok.time : null,
			total: pods.length,
			candidates: ranked.slice(0, max).map(r => {
				const pod = byKey.get(r.key)!;
				return {...r, pod, workingSet: wsOf(pod), metricsWorkingSet: store.workingSet(pod.key), request: pod.requestBytes};
			}),
		};
	}

	/** every node row, by name */
	all(): {rows: NodeRow[]; lower: string[]} {
		return this.table.get(this.dataTag(), () => {
			const names = [...this.src.store.nodes.keys()].sort();
			const rows = names.map(n => this.makeRow(this.src.store.nodes.get(n)!));
			return {rows, lower: names.map(n => n.toLowerCase())};
		});
	}

	private dataTag(): string {
		const s = this.src.snap;
		return `${s.nodes}/${s.pods}/${s.metrics}/${s.summary}`;
	}

	private makeRow(n: NodeRecord): NodeRow {
		const store = this.src.store;
		const ws = store.nodeWorkingSet(n.name);
		const agg = store.nodeAggregate(n.name);
		const pctAllocatable = percentOf(ws, n.allocatableBytes);
		const s = store.summary(n.name);
		const ok = s?.status === 'ok' ? s.summary : null;
		const available = ok?.availableBytes ?? null;
		const evictionHard = ok ? ok.evictionHardBytes : null;
		const distance = nodeDistanceToThreshold(available, evictionHard);
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
			distance,
			distanceLevel: headroomLevel(distance, evictionHard),
			summary: s === undefined ? 'none' : s.status === 'ok' ? 'ok' : 'unavailable',
			summaryReason: s?.status === 'unavailable' ? s.reason : '',
			summaryTime: ok ? ok.time : null,
			psi: ok?.memory.psi ?? null,
			pressure: ok?.memory.rates ?? null,
			pressureLevel: pressureLevel(ok?.memory.psi ?? null, null),
			swapBytes: ok?.memory.swapBytes ?? null,
		};
	}
}

function sortValue(r: NodeRow, key: NodeSortKey, i: number): number | null {
	switch (key) {
		case 'name':
			return i;
		case 'workingSet':
			return r.workingSet;
		case 'allocatable':
			return r.allocatable;
		case 'pctAllocatable':
			return r.pctAllocatable;
		case 'requests':
			return r.requests;
		case 'pods':
			return r.pods;
		case 'pressure':
			return (r.memoryPressure ? 2 : 0) + (r.ready ? 0 : 1);
		case 'available':
			// less headroom first when "biggest first": sort by the negated distance
			return r.distance === null ? (r.available === null ? null : -r.available) : -r.distance;
		case 'psi':
			return r.psi?.some.avg10 ?? null;
	}
}
