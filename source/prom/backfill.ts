/**
 * The backfill: the history rings get the last --history of every pod, container and node in
 * scope from Prometheus, at the metrics interval, into columns before the first live one.
 * - Early: with `scope`, the plan comes from Prometheus (backfill-plan.ts) and the queries start
 *   beside the pod lists; answers for pods not listed yet are held (at most `maxHeldSamples`,
 *   then the queries wait for the lists) and written once `listed` settles. The past columns are
 *   opened first, while the store has few rows to move.
 * - Bounded: each answer at most `maxPoints` samples (one over the size bound is asked again in
 *   halves), at most `concurrency` queries in flight.
 * - Paced: answers are scanned (matrix.ts) and written in slices of about `sliceMs`, one slice a
 *   turn of the event loop for all of them together (pacer.ts); what reads the history is told at
 *   most every 5 s (the store's history version: forecasts and sparklines, not the sort orders).
 */
import {LimitError} from '../kube/errors.js';
import type {Store} from '../store/store.js';
import {planFromPrometheus, planFromStore, type Chunk, type Plan} from './backfill-plan.js';
import type {PromClient} from './client.js';
import type {Grid, GridSeries} from './matrix.js';
import {Pacer} from './pacer.js';
import {containerWorkingSets, nodeWorkingSets, type PromLabels} from './queries.js';

export {namespaceGroups} from './backfill-plan.js';
export type {Plan} from './backfill-plan.js';

export interface BackfillOptions {
	client: PromClient;
	store: Store;
	labels: PromLabels;
	stepMs: number;
	/** the newest past column is before this (default: the oldest column there is, else now) */
	beforeMs?: number;
	/** samples per query answer (default 250,000: about 6 MB of JSON) */
	maxPoints?: number;
	concurrency?: number;
	/** settles once the store has its pods (the first lists are in); default: it has them */
	listed?: Promise<unknown>;
	/** plan from Prometheus's series in this scope (null: all namespaces), before `listed`; default: from the store's pods once listed */
	scope?: {namespace: string | null};
	/** samples held for pods not listed yet (default 2,000,000: ~32 MB); beyond, the queries wait for the lists */
	maxHeldSamples?: number;
	/** a write slice (ms, default 8) */
	sliceMs?: number;
	/** what reads the history is told of the writes at most this often (ms, default 5000) and at the end */
	noticeMs?: number;
	signal?: AbortSignal;
	/** the plan, once made */
	onPlan?: (plan: Plan) => void;
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
	/** series left out: their label bytes were not UTF-8 */
	skipped: number;
	ms: number;
}

export class NoSeriesError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NoSeriesError';
	}
}

type Containers = Map<string, {times: Float64Array; values: Float64Array}>;
type Answer = {grid: Grid; series: GridSeries[]};

export async function backfill(o: BackfillOptions): Promise<BackfillResult> {
	const t0 = performance.now();
	const {store, client, labels, stepMs} = o;
	const maxPoints = o.maxPoints ?? 250_000;
	// one slice a turn for the scans and the writes together
	const pacer = new Pacer(o.sliceMs ?? 8);
	const ring = store.ring;
	const have = ring.times();
	const before = o.beforeMs ?? (have.length > 0 ? have[0]! : store.now());
	const k = ring.samples - ring.length;
	const times: number[] = [];
	for (let i = k; i >= 1; i--) times.push(before - i * stepMs);
	const result: BackfillResult = {columns: 0, startMs: times[0] ?? before, endMs: times[times.length - 1] ?? before, queries: 0, series: 0, pods: 0, nodes: 0, samples: 0, skipped: 0, ms: 0};
	if (k === 0) return result;
	result.columns = store.openPastColumns(times);
	let listed = o.listed === undefined;
	const lists = (o.listed ?? Promise.resolve()).then(
		() => {},
		() => {},
	);
	void lists.then(() => (listed = true));
	let plan = o.scope ? await planFromPrometheus(client, labels, o.scope.namespace, before, times, maxPoints, o.signal) : null;
	if (plan === null) {
		await lists;
		plan = planFromStore(store, times, maxPoints);
	}

	o.onPlan?.(plan);
	const {chunks} = plan;
	const podsSeen = new Set<string>();
	const nodesSeen = new Set<string>();
	// answers for pods not in the store yet, by pod: one containers map per answer
	const held = new Map<string, Containers[]>();
	let heldSamples = 0;
	let noticed = performance.now();
	/** a turn of the event loop once the slice is used up; what reads the history is told at most every `noticeMs` */
	const pace = async (): Promise<void> => {
		if (!pacer.spent()) return;
		const now = performance.now();
		if (now - noticed >= (o.noticeMs ?? 5000)) {
			noticed = now;
			store.backfilled();
		}

		await pacer.turn();
		o.signal?.throwIfAborted();
	};

	/** the answers of one chunk (an answer over the size bound: the window in halves, at most a sixteenth) */
	const ask = async (c: Chunk, depth = 0): Promise<Answer[]> => {
		const expr = c.kind === 'pods' ? containerWorkingSets(labels, {namespaces: c.namespaces!}) : nodeWorkingSets(labels);
		const keep = c.kind === 'pods' ? [labels.namespace, labels.pod, labels.container] : [labels.node];
		result.queries++;
		try {
			const answer = await client.rangeGrid(expr, c.times[0]!, c.times[c.times.length - 1]!, stepMs, {signal: o.signal, keep, pacer});
			result.skipped += answer.skipped;
			return [answer];
		} catch (error) {
			if (!(error instanceof LimitError) || !/passed/.test(error.message) || c.times.length < 2 || depth >= 4) throw error;
			const half = Math.ceil(c.times.length / 2);
			return [...(await ask({...c, times: c.times.slice(half)}, depth + 1)), ...(await ask({...c, times: c.times.slice(0, half)}, depth + 1))];
		}
	};

	const writePod = (key: string, containers: Containers): void => {
		const n = store.backfillPod(key, containers);
		if (n > 0) podsSeen.add(key);
		result.samples += n;
	};

	const write = async (c: Chunk, {grid, series}: Answer): Promise<void> => {
		if (c.kind === 'nodes') {
			for (const s of series) {
				const name = s.labels[labels.node];
				if (name === undefined) continue;
				const n = store.backfillNode(name, grid.times, s.values);
				if (n > 0) nodesSeen.add(name);
				result.samples += n;
			}

			return;
		}

		result.series += series.length;
		const byPod = new Map<string, Containers>();
		for (const s of series) {
			const ns = s.labels[labels.namespace];
			const pod = s.labels[labels.pod];
			const container = s.labels[labels.container];
			if (ns === undefined || pod === undefined || container === undefined) continue;
			const key = `${ns}/${pod}`;
			let m = byPod.get(key);
			if (!m) byPod.set(key, (m = new Map()));
			m.set(container, {times: grid.times, values: s.values});
		}

		for (const [key, containers] of byPod) {
			if (store.pods.has(key)) writePod(key, containers);
			else if (!listed) {
				// not listed yet: kept for when the lists are in
				let list = held.get(key);
				if (!list) held.set(key, (list = []));
				list.push(containers);
				heldSamples += containers.size * grid.times.length;
			}

			await pace();
		}
	};

	const writeHeld = async (): Promise<void> => {
		for (const [key, list] of held) {
			held.delete(key);
			for (const containers of list) writePod(key, containers);
			await pace();
		}

		heldSamples = 0;
	};

	let next = 0;
	let done = 0;
	const worker = async (): Promise<void> => {
		while (next < chunks.length) {
			// too much held: the rest waits for the lists
			if (!listed && heldSamples >= (o.maxHeldSamples ?? 2_000_000)) await lists;
			if (listed && held.size > 0) await writeHeld();
			const c = chunks[next++]!;
			for (const answer of await ask(c)) await write(c, answer);
			o.onChunk?.(++done, chunks.length);
			await pace();
		}
	};

	await Promise.all(Array.from({length: Math.min(o.concurrency ?? 2, chunks.length)}, worker));
	await lists;
	await writeHeld();
	store.backfilled();
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
