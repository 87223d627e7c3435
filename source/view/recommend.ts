/**
 * Right-sizing per workload container: the samples of every live replica's container pooled, by
 * memory/recommend.ts `recommend`. `memtop recommend` prints these rows; the pod drill-down's
 * diagnosis shows the row of the container in focus, so the two always agree.
 */
import {limitRequestRatioFlag, recommend, recommendRules, type Recommendation} from '../memory/recommend.js';
import {holdsMemory, runningKinds} from '../memory/pod-state.js';
import {groupId, type GroupId} from '../memory/workloads.js';
import type {PodIndex} from './pod-index.js';
import {historyTag, type Source} from './source.js';
import type {WorkloadTable} from './workloads.js';

export interface RecommendationRow {
	namespace: string;
	workloadKind: string;
	workload: string;
	container: string;
	/** live replicas of the workload that run this container */
	replicas: number;
	/** replicas whose samples were pooled (at most recommendRules.maxReplicasPooled) */
	pooled: number;
	recommendation: Recommendation;
	currentRequestBytes: number | null;
	currentLimitBytes: number | null;
	overcommitted: boolean;
}

export class Recommendations {
	private cache = new Map<string, RecommendationRow>();
	private tag = '';
	private scratch = new Float32Array(0);

	constructor(
		private readonly src: Source,
		private readonly index: PodIndex,
		private readonly workloads: WorkloadTable,
		/** the history's time column */
		private readonly times: () => Float64Array,
	) {}

	/** every workload container, by namespace, workload and container */
	all(): RecommendationRow[] {
		const b = this.index.base();
		const ids = this.workloads.workloadIds();
		const seen = new Map<string, GroupId>();
		const names = new Map<string, Set<string>>();
		for (let i = 0; i < b.recs.length; i++) {
			if (b.live[i] === 0) continue;
			const id = ids[i]!;
			seen.set(id.key, id);
			let set = names.get(id.key);
			if (!set) names.set(id.key, (set = new Set()));
			for (const c of runningKinds(b.recs[i]!)) set.add(c.name);
		}

		const rows: RecommendationRow[] = [];
		for (const [key, id] of seen) for (const name of names.get(key)!) rows.push(this.row(id, name));
		return rows.sort((x, y) => cmp(x.namespace, y.namespace) || cmp(x.workload, y.workload) || cmp(x.workloadKind, y.workloadKind) || cmp(x.container, y.container));
	}

	/** the row of this pod's workload container; null for a plain init container or a finished pod */
	forPod(podKey: string, container: string): RecommendationRow | null {
		const p = this.src.store.pods.get(podKey);
		if (!p || !holdsMemory(p) || !runningKinds(p).some(c => c.name === container)) return null;
		return this.row(groupId(p, 'workload'), container);
	}

	private row(id: GroupId, container: string): RecommendationRow {
		const s = this.src.snap;
		const tag = `${s.podSet}/${s.pods}/${historyTag(s)}`;
		if (tag !== this.tag) {
			this.cache = new Map();
			this.tag = tag;
		}

		const cacheKey = `${id.key}\u0000${container}`;
		const hit = this.cache.get(cacheKey);
		if (hit) return hit;
		const b = this.index.base();
		const store = this.src.store;
		const times: number[] = [];
		const values: number[] = [];
		const ringTimes = this.times();
		if (this.scratch.length !== ringTimes.length) this.scratch = new Float32Array(ringTimes.length);
		const series = this.scratch;
		let replicas = 0;
		let pooled = 0;
		let request: number | null = null;
		let limit: number | null = null;
		const members = this.workloads.membersOf(id);
		for (let m = 0; m < members.length; m++) {
			const i = members[m]!;
			if (b.live[i] === 0) continue;
			const p = b.recs[i]!;
			const c = runningKinds(p).find(x => x.name === container);
			if (!c) continue;
			if (replicas === 0) {
				request = c.requestBytes;
				limit = c.limitBytes;
			}

			replicas++;
			// a DaemonSet on 5,000 nodes: the first replicas in namespace/name order are sample enough
			if (pooled >= recommendRules.maxReplicasPooled || !store.seriesInto('container', p.key, series, container)) continue;
			pooled++;
			for (let j = 0; j < series.length; j++) {
				const v = series[j]!;
				if (Number.isNaN(v)) continue;
				times.push(ringTimes[j]!);
				values.push(v);
			}
		}

		const row: RecommendationRow = {
			namespace: id.namespace,
			workloadKind: id.kind,
			workload: id.name,
			container,
			replicas,
			pooled,
			recommendation: recommend({values, times}),
			currentRequestBytes: request,
			currentLimitBytes: limit,
			overcommitted: limitRequestRatioFlag(request, limit),
		};
		this.cache.set(cacheKey, row);
		return row;
	}
}

function cmp(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
