/**
 * Workload and namespace rows: memory/workloads.ts `groupByWorkload` over every pod, with the
 * pods table's working-set column (so the sums are the rows' figures). Finished pods are members
 * (a workload's drill-down lists them) but in no sum.
 */
import {groupByWorkload, groupId, type GroupBy, type GroupId, type WorkloadGroup, type WorkloadMember} from '../memory/workloads.js';
import type {PodIndex} from './pod-index.js';
import {fuzzyMatch, IndexRowSet, Lazy, type RowSet} from './rows.js';
import {rankStrings, sortRows} from './sort.js';
import type {Sort, WorkloadSortKey} from './sorts.js';
import type {Source} from './source.js';

export type WorkloadGroupBy = GroupBy;
export type WorkloadRow = WorkloadGroup;

export interface WorkloadQuery {
	sort: Sort<WorkloadSortKey>;
	filter: string;
	namespace: string | null;
	groupBy: WorkloadGroupBy;
}

export class WorkloadTable {
	private readonly ids = new Lazy<GroupId[]>();
	private readonly groups = new Map<WorkloadGroupBy, {tag: string; rows: WorkloadRow[]; members: Map<string, Uint32Array>}>();
	private rowsCache: {tag: string; rows: IndexRowSet<WorkloadRow>} | null = null;
	/** membersOf's answers for the pod records of `tag` (they read nothing else) */
	private membersFound: {tag: string; members: Map<string, ArrayLike<number>>} = {tag: '', members: new Map()};

	constructor(
		private readonly src: Source,
		private readonly index: PodIndex,
		/** the pods table's working-set column in base order */
		private readonly workingSets: () => Float64Array,
	) {}

	rows(q: WorkloadQuery): RowSet<WorkloadRow> {
		const g = this.grouped(q.groupBy);
		const filter = q.filter.toLowerCase();
		const tag = `${g.tag}/${q.groupBy}/${filter}/${q.namespace ?? ''}/${q.sort.key}/${q.sort.desc}`;
		if (this.rowsCache?.tag === tag) return this.rowsCache.rows;
		const idx: number[] = [];
		let scoped = 0;
		for (let i = 0; i < g.rows.length; i++) {
			const r = g.rows[i]!;
			if (q.namespace !== null && r.namespace !== q.namespace) continue;
			scoped++;
			if (fuzzyMatch(filter, r.key.toLowerCase())) idx.push(i);
		}

		const key = sortColumn(g.rows, q.sort.key);
		const rows = new IndexRowSet<WorkloadRow>(sortRows(Uint32Array.from(idx), key, q.sort.desc), scoped, i => g.rows[i]!.key, i => g.rows[i]!);
		this.rowsCache = {tag, rows};
		return rows;
	}

	/** one group by its key ("ns/Kind/name" or "ns"), null when it has no pods */
	row(key: string): WorkloadRow | null {
		const g = this.grouped(byOfKey(key));
		const i = g.rows.findIndex(r => r.key === key);
		return i < 0 ? null : g.rows[i]!;
	}

	/** base indices of the group's pods */
	members(key: string): Uint32Array {
		return this.grouped(byOfKey(key)).members.get(key) ?? new Uint32Array(0);
	}

	/**
	 * Base indices of one workload's pods without grouping every pod: the grouping when it is
	 * current (the workloads view made it), else one scan that compares owners first (a drill-down
	 * at 150,000 pods must not group them all).
	 */
	membersOf(id: GroupId): ArrayLike<number> {
		const s = this.src.snap;
		const hit = this.groups.get('workload');
		if (hit && hit.tag === `${s.podSet}/${s.pods}/${s.metrics}`) return hit.members.get(id.key) ?? new Uint32Array(0);
		// the same records: the same members (a drill-down again after new metrics or a backfill's notice)
		const recs = `${s.podSet}/${s.pods}`;
		if (this.membersFound.tag !== recs) this.membersFound = {tag: recs, members: new Map()};
		const found = this.membersFound.members.get(id.key);
		if (found) return found;
		const b = this.index.base();
		const out: number[] = [];
		for (let i = 0; i < b.recs.length; i++) {
			const r = b.recs[i]!;
			if (r.namespace !== id.namespace) continue;
			// cheap first: the workload's name is its owner's name or a prefix of it, or the pod's own
			const owner = r.owner?.name ?? r.name;
			if (!owner.startsWith(id.name) && !r.name.startsWith(id.name)) continue;
			if (groupId(r, 'workload').key === id.key) out.push(i);
		}

		this.membersFound.members.set(id.key, out);
		return out;
	}

	/** the group of each pod in base order (by workload) */
	workloadIds(): GroupId[] {
		const b = this.index.base();
		return this.ids.get(`${this.src.snap.podSet}/${this.src.snap.pods}`, () => b.recs.map(r => groupId(r, 'workload')));
	}

	private grouped(by: WorkloadGroupBy): {tag: string; rows: WorkloadRow[]; members: Map<string, Uint32Array>} {
		const s = this.src.snap;
		const tag = `${s.podSet}/${s.pods}/${s.metrics}`;
		const hit = this.groups.get(by);
		if (hit && hit.tag === tag) return hit;
		const b = this.index.base();
		const ids = by === 'workload' ? this.workloadIds() : null;
		const ws = this.workingSets();
		const rows = groupByWorkload(
			(function* (): Generator<WorkloadMember> {
				// one member object, refilled per pod: the grouping keeps nothing of it
				const m: WorkloadMember = {id: {key: '', namespace: '', kind: '', name: ''}, live: false, workingSetBytes: null, requestBytes: null, limitBytes: null, restarts: 0};
				for (let i = 0; i < b.recs.length; i++) {
					const p = b.recs[i]!;
					const v = ws[i]!;
					m.id = ids ? ids[i]! : groupId(p, 'namespace');
					m.live = b.live[i] === 1;
					m.workingSetBytes = Number.isNaN(v) ? null : v;
					m.requestBytes = p.requestBytes;
					m.limitBytes = p.limitBytes;
					m.restarts = p.restarts;
					yield m;
				}
			})(),
		);
		const members = new Map<string, Uint32Array>();
		for (const r of rows) members.set(r.key, Uint32Array.from(r.members));
		const out = {tag, rows, members};
		this.groups.set(by, out);
		return out;
	}
}

function byOfKey(key: string): WorkloadGroupBy {
	return key.includes('/') ? 'workload' : 'namespace';
}

function sortColumn(rows: readonly WorkloadRow[], key: WorkloadSortKey): Float64Array {
	const out = new Float64Array(rows.length);
	const rank = key === 'kind' ? rankStrings(rows.map(r => r.kind)) : key === 'name' ? rankStrings(rows.map(r => r.name)) : null;
	for (let i = 0; i < rows.length; i++) {
		const r = rows[i]!;
		let v: number | null;
		switch (key) {
			case 'namespace':
				v = i; // rows are in key order, which starts with the namespace
				break;
			case 'name':
			case 'kind':
				v = rank![i]!;
				break;
			case 'pods':
				v = r.pods;
				break;
			case 'workingSet':
				v = r.workingSetBytes;
				break;
			case 'request':
				v = r.requestBytes;
				break;
			case 'limit':
				v = r.limitBytes;
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

		out[i] = v ?? Number.NaN;
	}

	return out;
}
