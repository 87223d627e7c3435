/**
 * The backfill: at start, the history rings get the last --history of every pod, container and
 * node in scope from Prometheus, at the metrics interval, into columns before the first live one.
 * - Chunked, bounded queries: namespaces grouped up to `groupPods` pods per query; the window cut
 *   so one answer holds at most `maxPoints` samples (an answer over the size bound is cut in half
 *   and asked again); newest chunk first, so what the sparklines show arrives first.
 * - Paced: answers are written `podsPerSlice` pods at a time with a turn of the event loop between,
 *   and at most `concurrency` queries are in flight, so the screen stays responsive; nothing waits for it.
 */
import {LimitError} from '../kube/errors.js';
import type {Store} from '../store/store.js';
import type {PromClient, PromSeries} from './client.js';
import {containerWorkingSets, nodeWorkingSets, type PromLabels} from './queries.js';

export interface BackfillOptions {
	client: PromClient;
	store: Store;
	labels: PromLabels;
	stepMs: number;
	/** the newest past column is before this (default: the oldest column there is, else now) */
	beforeMs?: number;
	/** samples per query answer (default 50,000: about 2 MB of JSON) */
	maxPoints?: number;
	/** pods per namespace group (default 4,000) */
	groupPods?: number;
	concurrency?: number;
	podsPerSlice?: number;
	signal?: AbortSignal;
	/** after each chunk is written */
	onChunk?: (done: number, total: number) => void;
}

export interface BackfillResult {
	/** past columns opened */
	columns: number;
	startMs: number;
	endMs: number;
	queries: number;
	/** container series read (a container once per chunk of the window); pods and nodes written */
	series: number;
	pods: number;
	nodes: number;
	samples: number;
	ms: number;
}

export class NoSeriesError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NoSeriesError';
	}
}

const turn = () => new Promise<void>(resolve => setImmediate(resolve));

interface Chunk {
	namespaces: string[] | null;
	pods: number;
	times: number[];
	kind: 'pods' | 'nodes';
}

/** namespaces in groups of at most `max` pods (a bigger namespace alone), at most 200 names a group */
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

export async function backfill(o: BackfillOptions): Promise<BackfillResult> {
	const t0 = performance.now();
	const {store, client, labels, stepMs} = o;
	const maxPoints = o.maxPoints ?? 50_000;
	const ring = store.ring;
	const have = ring.times();
	const before = o.beforeMs ?? (have.length > 0 ? have[0]! : store.now());
	const k = ring.samples - ring.length;
	const times: number[] = [];
	for (let i = k; i >= 1; i--) times.push(before - i * stepMs);
	const result: BackfillResult = {columns: 0, startMs: times[0] ?? before, endMs: times[times.length - 1] ?? before, queries: 0, series: 0, pods: 0, nodes: 0, samples: 0, ms: 0};
	if (k === 0) return result;
	result.columns = store.openPastColumns(times);

	const chunks: Chunk[] = [];
	// ~1.3 containers a pod; never fewer than one column a query
	for (const g of namespaceGroups(store.namespaces(), o.groupPods ?? 4000)) {
		const per = Math.max(1, Math.min(times.length, Math.floor(maxPoints / (g.pods * 1.3))));
		for (const r of runs(times, per)) chunks.push({namespaces: g.namespaces, pods: g.pods, times: r, kind: 'pods'});
	}

	const nodes = store.nodes.size;
	if (nodes > 0) {
		const per = Math.max(1, Math.min(times.length, Math.floor(maxPoints / nodes)));
		for (const r of runs(times, per)) chunks.push({namespaces: null, pods: nodes, times: r, kind: 'nodes'});
	}

	// newest first across groups too: interleave the groups' runs by their newest time
	chunks.sort((a, b) => b.times[b.times.length - 1]! - a.times[a.times.length - 1]! || (a.kind === b.kind ? 0 : a.kind === 'pods' ? -1 : 1));
	let done = 0;
	const podsSeen = new Set<string>();
	const nodesSeen = new Set<string>();
	const ask = async (c: Chunk, depth = 0): Promise<PromSeries[]> => {
		const expr = c.kind === 'pods' ? containerWorkingSets(labels, {namespaces: c.namespaces!}) : nodeWorkingSets(labels);
		result.queries++;
		try {
			return await client.range(expr, c.times[0]!, c.times[c.times.length - 1]!, stepMs, {signal: o.signal});
		} catch (error) {
			// over the size bound: the same query over half the window, twice (at most a sixteenth)
			if (!(error instanceof LimitError) || !/passed/.test(error.message) || c.times.length < 2 || depth >= 4) throw error;
			const half = Math.ceil(c.times.length / 2);
			const a = await ask({...c, times: c.times.slice(half)}, depth + 1);
			const b = await ask({...c, times: c.times.slice(0, half)}, depth + 1);
			return [...a, ...b];
		}
	};

	const write = async (c: Chunk, series: PromSeries[]): Promise<void> => {
		if (c.kind === 'nodes') {
			for (const s of series) {
				const name = s.labels[labels.node];
				if (name === undefined) continue;
				const n = store.backfillNode(name, s.times, s.values);
				if (n > 0) nodesSeen.add(name);
				result.samples += n;
			}

			return;
		}

		result.series += series.length;
		const byPod = new Map<string, Map<string, {times: number[]; values: number[]}>>();
		for (const s of series) {
			const ns = s.labels[labels.namespace];
			const pod = s.labels[labels.pod];
			const container = s.labels[labels.container];
			if (ns === undefined || pod === undefined || container === undefined) continue;
			const key = `${ns}/${pod}`;
			let m = byPod.get(key);
			if (!m) byPod.set(key, (m = new Map()));
			const prev = m.get(container);
			if (prev) {
				// two answers for one container (a window asked in halves): one series, in time order
				const merged = [...prev.times.map((t, i) => [t, prev.values[i]!] as const), ...s.times.map((t, i) => [t, s.values[i]!] as const)].sort((x, y) => x[0] - y[0]);
				m.set(container, {times: merged.map(x => x[0]), values: merged.map(x => x[1])});
			} else {
				m.set(container, {times: s.times, values: s.values});
			}
		}

		let slice = 0;
		for (const [key, containers] of byPod) {
			const n = store.backfillPod(key, containers);
			if (n > 0) podsSeen.add(key);
			result.samples += n;
			if (++slice >= (o.podsPerSlice ?? 1000)) {
				slice = 0;
				store.backfilled();
				await turn();
				o.signal?.throwIfAborted();
			}
		}
	};

	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < chunks.length) {
			const c = chunks[next++]!;
			const series = await ask(c);
			await write(c, series);
			store.backfilled();
			o.onChunk?.(++done, chunks.length);
			await turn();
		}
	};

	await Promise.all(Array.from({length: Math.min(o.concurrency ?? 2, chunks.length)}, worker));
	result.ms = performance.now() - t0;
	result.pods = podsSeen.size;
	result.nodes = nodesSeen.size;
	if (store.pods.size > 0 && result.series === 0) {
		throw new NoSeriesError(
			`no series of container_memory_working_set_bytes{${labels.container}!=""} by ${labels.namespace}/${labels.pod}/${labels.container} in the last ${Math.round((result.endMs - result.startMs + stepMs) / 60_000)}m (check --prometheus-labels)`,
		);
	}

	return result;
}
