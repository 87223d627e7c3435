/**
 * A read-only Prometheus HTTP API client (GET /api/v1/query, /api/v1/query_range, buildinfo),
 * over the one ApiClient (its size bound on each answer and its deadline), either straight to a
 * Prometheus URL or through the API server's service proxy with the kubeconfig's login. Only GET:
 * a query's URL carries the PromQL (memtop's are short; the pod lists it queries are chunked).
 */
import type {ApiClient, Query} from '../kube/http.js';
import {ApiError} from '../kube/errors.js';
import {clean} from '../kube/sanitize.js';
import {gridOf, scanGridSliced, scanMatrixSliced, type Grid, type GridSeries} from './matrix.js';
import type {Pacer} from './pacer.js';

/** one series of an answer: its labels (strings only, as sent) and [epoch ms, value] pairs */
export interface PromSeries {
	labels: Record<string, string>;
	times: number[];
	values: number[];
}

export class PromAnswerError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PromAnswerError';
	}
}

export interface PromClient {
	/** what it talks to, for banners and output ("http://prom:9090", "service monitoring/prometheus-k8s:9090") */
	readonly name: string;
	instant(expr: string, timeMs: number, opts?: {timeoutMs?: number; signal?: AbortSignal}): Promise<PromSeries[]>;
	range(expr: string, startMs: number, endMs: number, stepMs: number, opts?: {timeoutMs?: number; signal?: AbortSignal}): Promise<PromSeries[]>;
	/**
	 * The same, each series as a row of values on the query's steps (the backfill: one allocation
	 * per 64 series, no arrays per series), with only the labels `keep` (default all), scanned in
	 * the slices of `pacer`. `skipped`: series left out, their label bytes not UTF-8.
	 */
	rangeGrid(expr: string, startMs: number, endMs: number, stepMs: number, opts?: RangeGridOptions): Promise<{grid: Grid; series: GridSeries[]; skipped: number}>;
	/** GET /api/v1/status/buildinfo: the version, or a throw when it does not answer as Prometheus */
	version(opts?: {timeoutMs?: number}): Promise<string>;
	/** requests sent */
	readonly requests: number;
}

export interface RangeGridOptions {
	timeoutMs?: number;
	signal?: AbortSignal;
	keep?: readonly string[];
	pacer?: Pacer;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3).replace(/\.?0+$/, '');

/** the `data.result` of an answer as series; anything else is a PromAnswerError naming what was wrong */
export function parseResult(body: unknown, what: string): PromSeries[] {
	const b = body as {status?: unknown; data?: {resultType?: unknown; result?: unknown}; error?: unknown};
	if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new PromAnswerError(`${what}: the answer is not a Prometheus API object`);
	if (b.status !== 'success') throw new PromAnswerError(`${what}: ${clean(b.error ?? b.status, 200)}`);
	const type = b.data?.resultType;
	const result = b.data?.result;
	if (!Array.isArray(result)) throw new PromAnswerError(`${what}: the answer has no result list`);
	const out: PromSeries[] = [];
	for (const r of result as Array<{metric?: unknown; values?: unknown; value?: unknown}>) {
		const labels: Record<string, string> = {};
		if (typeof r?.metric === 'object' && r.metric !== null) {
			for (const [k, v] of Object.entries(r.metric)) if (typeof v === 'string') labels[k] = v;
		}

		const pairs = type === 'matrix' ? r?.values : type === 'vector' ? [r?.value] : null;
		if (!Array.isArray(pairs)) continue; // one bad item skipped
		const times: number[] = [];
		const values: number[] = [];
		for (const p of pairs as unknown[]) {
			if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string') continue;
			const v = Number(p[1]);
			if (!Number.isFinite(v)) continue;
			times.push(Math.round(p[0] * 1000));
			values.push(v);
		}

		out.push({labels, times, values});
	}

	return out;
}

/** a Prometheus error answer (400/422/503 with {"status":"error","error":...}) as its own message */
function promError(error: unknown): unknown {
	if (!(error instanceof ApiError)) return error;
	try {
		const parsed = JSON.parse(error.message) as {error?: unknown};
		if (typeof parsed?.error === 'string') return new ApiError(error.status, error.reason, parsed.error, error.path);
	} catch {
		// not JSON: keep it
	}

	return error;
}

/**
 * A PromClient over `api`, whose paths start at `prefix`: '' for a Prometheus URL (its own path
 * prefix is in the URL), '/api/v1/namespaces/NS/services/NAME:PORT/proxy' through the API server.
 */
export function promClient(api: ApiClient, prefix: string, name: string): PromClient {
	let requests = 0;
	const get = async (path: string, query: Query, opts: {timeoutMs?: number; signal?: AbortSignal} = {}): Promise<unknown> => {
		requests++;
		try {
			return await api.getJson<unknown>(`${prefix}${path}`, query, opts);
		} catch (error) {
			throw promError(error);
		}
	};

	const rangeBytes = async (expr: string, startMs: number, endMs: number, stepMs: number, opts?: {timeoutMs?: number; signal?: AbortSignal}): Promise<Buffer> => {
		requests++;
		try {
			const {timeoutMs, signal} = opts ?? {};
			return await api.getBytes(`${prefix}/api/v1/query_range`, {query: expr, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs)}, {timeoutMs, signal});
		} catch (error) {
			throw promError(error);
		}
	};

	const parsed = (bytes: Buffer): PromSeries[] => {
		let body: unknown;
		try {
			body = JSON.parse(bytes.toString('utf8'));
		} catch {
			throw new PromAnswerError('query_range: the answer is not JSON');
		}

		return parseResult(body, 'query_range');
	};

	return {
		name,
		get requests() {
			return requests;
		},
		async instant(expr, timeMs, opts) {
			return parseResult(await get('/api/v1/query', {query: expr, time: seconds(timeMs)}, opts), 'query');
		},
		async range(expr, startMs, endMs, stepMs, opts) {
			const bytes = await rangeBytes(expr, startMs, endMs, stepMs, opts);
			// scanned in slices: a big answer does not hold the keys
			return (await scanMatrixSliced(bytes)) ?? parsed(bytes);
		},
		async rangeGrid(expr, startMs, endMs, stepMs, opts = {}) {
			const bytes = await rangeBytes(expr, startMs, endMs, stepMs, opts);
			const grid = gridOf(startMs, endMs, stepMs);
			const scanned = await scanGridSliced(bytes, grid, opts);
			if (scanned) return {grid, series: scanned.rows, skipped: scanned.skipped};
			// not as Prometheus writes it (another server behind the same API): the JSON onto the grid
			const series = parsed(bytes).map(s => {
				const values = new Float64Array(grid.times.length).fill(Number.NaN);
				for (let j = 0; j < s.times.length; j++) {
					const k = (s.times[j]! - startMs) / stepMs;
					if (k >= 0 && k < values.length && k === Math.floor(k)) values[k] = s.values[j]!;
				}

				return {labels: s.labels, values};
			});
			return {grid, series, skipped: 0};
		},
		async version(opts) {
			const b = (await get('/api/v1/status/buildinfo', {}, opts)) as {status?: unknown; data?: {version?: unknown}};
			if (b?.status !== 'success') throw new PromAnswerError('the server does not answer as Prometheus (no buildinfo)');
			return clean(b.data?.version ?? 'unknown', 64);
		},
	};
}
