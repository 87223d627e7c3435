/**
 * `memtop recommend --window 7d`: each container of each pod in scope summed up by Prometheus over
 * the window (median, peak, samples, first sample, OOM kills, restarts: instant queries, a few
 * hundred bytes a container), pods matched to their workloads (the ones that are gone by their
 * names: a Deployment's `<name>-<hash>-<5>`, a StatefulSet's `<name>-<n>`), then memory/window.ts
 * pools the replicas and memory/recommend.ts gives the figures by the one rule.
 */
import {groupId, ownerWorkload, type GroupId} from '../memory/workloads.js';
import {recommendFrom, limitRequestRatioFlag, type Recommendation} from '../memory/recommend.js';
import {krrSimpleMemory, poolWindow, type PooledWindow, type WindowSummary} from '../memory/window.js';
import type {Store} from '../store/store.js';
import type {RecommendationRow} from '../view/index.js';
import {namespaceGroups} from './backfill-plan.js';
import type {PromClient, PromSeries} from './client.js';
import {containerSelector, oomKills, restarts, type PromLabels} from './queries.js';

export interface WindowRow extends RecommendationRow {
	window: PooledWindow | null;
	/** krr's default strategy on the same figures (request = limit); null: too few points */
	krrBytes: number | null;
}

const dur = (ms: number) => `${Math.round(ms / 1000)}s`;

/** the summaries of every container of the pods in `namespaces`, keyed "ns/pod/container" */
async function summaries(client: PromClient, l: PromLabels, namespaces: readonly string[], windowMs: number, nowMs: number): Promise<Map<string, WindowSummary>> {
	const sel = containerSelector(l, {namespaces});
	const by = `max by (${l.namespace},${l.pod},${l.container})`;
	const w = dur(windowMs);
	// the first sample's time, at a resolution of 1/2000 of the window (at least 15 s)
	const res = dur(Math.max(15_000, Math.ceil(windowMs / 2000 / 1000) * 1000));
	const [med, peak, count, first, last, oom, rst] = await Promise.all([
		client.instant(`${by} (quantile_over_time(0.5, ${sel}[${w}]))`, nowMs),
		client.instant(`${by} (max_over_time(${sel}[${w}]))`, nowMs),
		client.instant(`${by} (count_over_time(${sel}[${w}]))`, nowMs),
		client.instant(`${by.replace('max', 'min')} (min_over_time(timestamp(${sel})[${w}:${res}]))`, nowMs),
		client.instant(`${by} (timestamp(last_over_time(${sel}[${w}])))`, nowMs),
		client.instant(oomKills(l, windowMs, {namespaces}), nowMs).catch(() => [] as PromSeries[]),
		client.instant(restarts(l, windowMs, {namespaces}), nowMs).catch(() => [] as PromSeries[]),
	]);
	const key = (s: PromSeries) => `${s.labels[l.namespace]}/${s.labels[l.pod]}/${s.labels[l.container]}`;
	const value = (list: PromSeries[]) => new Map(list.filter(s => s.values.length > 0).map(s => [key(s), s.values[0]!]));
	const [pk, ct, fs, ls, om, rs] = [peak, count, first, last, oom, rst].map(value) as Array<Map<string, number>>;
	const out = new Map<string, WindowSummary>();
	for (const s of med) {
		const k = key(s);
		if (s.values.length === 0 || !pk!.has(k)) continue;
		out.set(k, {
			medianBytes: s.values[0]!,
			peakBytes: pk!.get(k)!,
			samples: ct!.get(k) ?? 0,
			firstMs: (fs!.get(k) ?? nowMs / 1000) * 1000,
			lastMs: (ls!.get(k) ?? nowMs / 1000) * 1000,
			oomKills: om!.get(k) ?? (oom.length > 0 ? 0 : null),
			restarts: rs!.get(k) ?? (rst.length > 0 ? 0 : null),
		});
	}

	return out;
}

/** the workload a pod of `namespace` named `name` belonged to, among `known` ("ns/Kind/name" keys); null: none known */
export function pastWorkload(namespace: string, name: string, known: ReadonlyMap<string, GroupId>): GroupId | null {
	const guesses: Array<{kind: string; name: string}> = [];
	const rs = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{5}$/.exec(name);
	if (rs) {
		guesses.push({kind: 'ReplicaSet', name: rs[1]!}, {kind: 'DaemonSet', name: rs[1]!}, {kind: 'Job', name: rs[1]!});
	}

	const sts = /^(.+)-\d+$/.exec(name);
	if (sts) guesses.push({kind: 'StatefulSet', name: sts[1]!});
	for (const owner of guesses) {
		const w = ownerWorkload({namespace, name, owner});
		const hit = known.get(`${namespace}/${w.kind}/${w.name}`);
		if (hit) return hit;
	}

	return null;
}

export interface WindowOptions {
	client: PromClient;
	labels: PromLabels;
	store: Store;
	windowMs: number;
	nowMs: number;
	/** the workload containers to answer for, as `memtop recommend` lists them (the view model's rows) */
	rows: readonly RecommendationRow[];
	critical?: boolean;
}

export async function windowRecommendations(o: WindowOptions): Promise<WindowRow[]> {
	const {store, labels} = o;
	const ownerOf = new Map<string, GroupId>();
	const known = new Map<string, GroupId>();
	for (const p of store.pods.values()) {
		const id = groupId(p, 'workload');
		ownerOf.set(p.key, id);
		known.set(id.key, id);
	}

	const pooled = new Map<string, WindowSummary[]>();
	for (const g of namespaceGroups(store.namespaces(), 4000)) {
		for (const [k, s] of await summaries(o.client, labels, g.namespaces, o.windowMs, o.nowMs)) {
			const [ns, pod, container] = k.split('/') as [string, string, string];
			const id = ownerOf.get(`${ns}/${pod}`) ?? pastWorkload(ns, pod, known);
			if (!id) continue;
			const wk = `${id.key}\u0000${container}`;
			let list = pooled.get(wk);
			if (!list) pooled.set(wk, (list = []));
			list.push(s);
		}
	}

	return o.rows.map(r => {
		const id = `${r.namespace}/${r.workloadKind}/${r.workload}`;
		const w = poolWindow(pooled.get(`${id}\u0000${r.container}`) ?? []);
		const recommendation: Recommendation =
			w === null
				? {observedMs: 0, samples: 0, steadyBytes: null, peakBytes: null, requestBytes: null, limitBytes: null, confidence: 'low', note: 'no samples in the window'}
				: recommendFrom({...w, critical: o.critical, currentLimitBytes: r.currentLimitBytes});
		return {
			...r,
			pooled: w?.replicas ?? 0,
			recommendation,
			overcommitted: limitRequestRatioFlag(r.currentRequestBytes, r.currentLimitBytes),
			window: w,
			krrBytes: w === null ? null : krrSimpleMemory(w.peakBytes, w.samples),
		};
	});
}
