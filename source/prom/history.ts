/**
 * memtop's Prometheus for a session: connect, backfill the history rings, then keep a banner
 * saying where the history came from, or why there is none (unreachable, too slow, 401/403, no
 * series, an answer over the size bound). Nothing here blocks the screen: live data goes on.
 */
import {ApiError, LimitError, NetworkError, describe} from '../kube/errors.js';
import type {ApiClient} from '../kube/http.js';
import {clean} from '../kube/sanitize.js';
import {formatDuration} from '../memory/quantity.js';
import type {Store} from '../store/store.js';
import {backfill, NoSeriesError, type BackfillResult} from './backfill.js';
import {PromAnswerError, type PromClient} from './client.js';
import {connectPrometheus, type PromEndpoint} from './connect.js';
import type {PromLabels} from './queries.js';

export const bannerId = 'prometheus';

/** why a Prometheus request failed, as the banner says it */
export function promCause(error: unknown, name: string): string {
	if (error instanceof NoSeriesError) return `Prometheus ${name}: ${error.message}`;
	if (error instanceof NetworkError) return `Prometheus ${name} unreachable (${describe(error)})`;
	if (error instanceof LimitError) {
		return /passed/.test(error.message) ? `Prometheus ${name}: answer over the size bound (${error.message})` : `Prometheus ${name} too slow: ${error.message}`;
	}

	if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
		return `Prometheus ${name} refused memtop (${error.status} ${error.status === 401 ? 'Unauthorized: check the token or password' : 'Forbidden'}): ${error.message.slice(0, 120)}`;
	}

	if (error instanceof ApiError || error instanceof PromAnswerError) return `Prometheus ${name} answered an error: ${describe(error)}`;
	return `Prometheus ${name}: ${describe(error)}`;
}

export interface PromHistoryOptions {
	endpoint: PromEndpoint;
	labels: PromLabels;
	stepMs: number;
	kube: ApiClient;
	store: Store;
	maxAnswerBytes?: number;
	requestTimeoutMs?: number;
	/** the health check's period after the backfill (default 60 s; 0: none) */
	probeMs?: number;
	/** samples per backfill answer (see BackfillOptions.maxPoints) */
	maxPoints?: number;
	/** settles once the store has its pods: the backfill starts beside the lists (see BackfillOptions.listed) */
	listed?: Promise<unknown>;
	/** plan from Prometheus's series in this scope, before the lists are in (see BackfillOptions.scope) */
	scope?: {namespace: string | null};
	/** the first frame waits for a backfill of at most this many container series and nodes (default 20,000: ~15k pods) */
	holdSeries?: number;
	/** see BackfillOptions.noticeMs, .concurrency */
	noticeMs?: number;
	concurrency?: number;
	/** a line for stderr (--once, recommend): which Prometheus was chosen */
	say?: (line: string) => void;
}

export interface PromHistory {
	client: PromClient | null;
	/** the backfill, settled (never rejects: a failure is a banner) */
	done: Promise<BackfillResult | null>;
	/**
	 * settles when the first frame need not wait any longer: the backfill is written (or failed),
	 * or its plan is over `holdSeries` (a big scope's first frame does not wait for it)
	 */
	firstFrame: Promise<void>;
	stop(): void;
}

export function startPromHistory(o: PromHistoryOptions): PromHistory {
	const abort = new AbortController();
	let closeClient = () => {};
	let timer: NodeJS.Timeout | undefined;
	// a live column opened before the backfill's is at or after this (the session's first poll started before)
	const startedAt = o.store.now();
	let release = () => {};
	const h: PromHistory = {
		client: null,
		done: Promise.resolve(null),
		firstFrame: new Promise<void>(resolve => (release = resolve)),
		stop() {
			abort.abort();
			clearTimeout(timer);
			closeClient();
		},
	};
	const banner = (level: 'info' | 'warn' | 'error', text: string) => o.store.setBanner({id: bannerId, level, text: clean(text, 300), since: o.store.now()});
	// after the backfill: a light check, so a Prometheus going away (or coming back) shows
	function probe(client: PromClient): void {
		const every = o.probeMs ?? 60_000;
		if (every <= 0 || abort.signal.aborted) return;
		timer = setTimeout(async () => {
			try {
				await client.instant('vector(1)', Date.now(), {timeoutMs: 10_000, signal: abort.signal});
				const b = o.store.banners.get(bannerId);
				if (b && b.level !== 'info') banner('info', `Prometheus ${client.name} answers again (long windows and recommend --window work)`);
			} catch (error) {
				if (abort.signal.aborted) return;
				banner('warn', `${promCause(error, client.name)}; live data only`);
			}

			probe(client);
		}, every);
		timer.unref?.();
	}

	h.done = (async (): Promise<BackfillResult | null> => {
		let name = o.endpoint.url ?? o.endpoint.service ?? '';
		try {
			const c = await connectPrometheus(o.endpoint, o.kube, {maxAnswerBytes: o.maxAnswerBytes, requestTimeoutMs: o.requestTimeoutMs});
			if (c === null) return null;
			closeClient = c.close;
			h.client = c.client;
			name = c.client.name;
			o.say?.(`history from Prometheus ${name} (${c.how})`);
			banner('info', `history: backfilling from Prometheus ${name}…`);
			const r = await backfill({
				client: c.client,
				store: o.store,
				labels: o.labels,
				stepMs: o.stepMs,
				signal: abort.signal,
				maxPoints: o.maxPoints,
				noticeMs: o.noticeMs,
				concurrency: o.concurrency,
				listed: o.listed,
				scope: o.scope,
				beforeMs: o.store.ring.length === 0 ? startedAt : undefined,
				onPlan: plan => {
					if (plan.series + plan.nodes > (o.holdSeries ?? 20_000)) release();
				},
			});
			banner('info', `history from Prometheus ${name}: ${formatDuration(r.endMs - r.startMs + o.stepMs)} of ${r.pods} pods, ${r.nodes} nodes (${r.queries} queries, ${formatDuration(r.ms)}${r.skipped > 0 ? `; ${r.skipped} series skipped: labels not UTF-8` : ''})`);
			probe(c.client);
			return r;
		} catch (error) {
			if (abort.signal.aborted) return null;
			banner('warn', `${promCause(error, name)}; live data only`);
			if (h.client) probe(h.client);
			return null;
		}
	})();
	void h.done.finally(release);
	return h;
}
