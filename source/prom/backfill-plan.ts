/**
 * The backfill's plan: which range queries cover the window for every container and node in
 * scope, each answer at most `maxPoints` samples. Prometheus's cost is mostly per series and per
 * chunk of its storage a query touches, not per sample returned: so a query asks the whole window
 * for as many containers as fit (namespaces grouped), and only a namespace too big for one answer
 * is cut in time (newest run first). The container counts come from Prometheus itself (an instant
 * count by namespace), so the plan is ready before the pods are listed; else from the store's pods.
 */
import type {Store} from '../store/store.js';
import type {PromClient} from './client.js';
import {containerCountByNamespace, nodeWorkingSets, type PromLabels} from './queries.js';

export interface Chunk {
	kind: 'pods' | 'nodes';
	/** null: every namespace (nodes) */
	namespaces: string[] | null;
	/** container series (or nodes) expected in the answer */
	series: number;
	times: number[];
}

export interface Plan {
	chunks: Chunk[];
	/** container series and nodes in scope, and the samples the plan reads */
	series: number;
	nodes: number;
	samples: number;
}

/** namespaces in groups of at most `max` (pods or series; a bigger namespace alone), at most 200 names a group */
export function namespaceGroups(counts: ReadonlyMap<string, number>, max: number): Array<{namespaces: string[]; pods: number}> {
	const groups: Array<{namespaces: string[]; pods: number}> = [];
	let current: {namespaces: string[]; pods: number} | null = null;
	for (const [ns, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
		if (n === 0) continue;
		if (current === null || current.pods + n > max || current.namespaces.length >= 200) {
			current = {namespaces: [], pods: 0};
			groups.push(current);
		}

		current.namespaces.push(ns);
		current.pods += n;
	}

	return groups;
}

/** `times` cut into runs of at most `size`, newest run first */
function runs(times: number[], size: number): number[][] {
	const out: number[][] = [];
	for (let end = times.length; end > 0; end -= size) out.push(times.slice(Math.max(0, end - size), end));
	return out;
}

/** the chunks for `series` containers per namespace and `nodes` nodes over `times` */
export function chunksFor(series: ReadonlyMap<string, number>, nodes: number, times: number[], maxPoints: number): Plan {
	const chunks: Chunk[] = [];
	const steps = Math.max(1, times.length);
	let total = 0;
	for (const g of namespaceGroups(series, Math.max(1, Math.floor(maxPoints / steps)))) {
		total += g.pods;
		const per = Math.max(1, Math.min(steps, Math.floor(maxPoints / g.pods)));
		for (const r of runs(times, per)) chunks.push({kind: 'pods', namespaces: g.namespaces, series: g.pods, times: r});
	}

	if (nodes > 0) {
		const per = Math.max(1, Math.min(steps, Math.floor(maxPoints / nodes)));
		for (const r of runs(times, per)) chunks.push({kind: 'nodes', namespaces: null, series: nodes, times: r});
	}

	// newest first across groups too: interleave the groups' runs by their newest time
	chunks.sort((a, b) => b.times[b.times.length - 1]! - a.times[a.times.length - 1]! || (a.kind === b.kind ? 0 : a.kind === 'pods' ? -1 : 1));
	return {chunks, series: total, nodes, samples: (total + nodes) * times.length};
}

/** from the store's pods (~1.3 containers a pod) and nodes: once they are listed */
export function planFromStore(store: Store, times: number[], maxPoints: number): Plan {
	const series = new Map<string, number>();
	for (const [ns, pods] of store.namespaces()) series.set(ns, Math.ceil(pods * 1.3));
	return chunksFor(series, store.nodes.size, times, maxPoints);
}

/**
 * From Prometheus: the containers each namespace of the scope has now, and the nodes; null when
 * it has none now (then the store's pods plan it, once listed).
 */
export async function planFromPrometheus(client: PromClient, labels: PromLabels, namespace: string | null, atMs: number, times: number[], maxPoints: number, signal?: AbortSignal): Promise<Plan | null> {
	const [byNamespace, nodes] = await Promise.all([
		client.instant(containerCountByNamespace(labels, namespace === null ? {} : {namespaces: [namespace]}), atMs, {signal}),
		client.instant(`count(${nodeWorkingSets(labels)})`, atMs, {signal}),
	]);
	const series = new Map<string, number>();
	for (const s of byNamespace) {
		const ns = s.labels[labels.namespace];
		const n = s.values[0];
		if (ns !== undefined && n !== undefined && n > 0) series.set(ns, n);
	}

	return series.size === 0 ? null : chunksFor(series, nodes[0]?.values[0] ?? 0, times, maxPoints);
}
