/**
 * `--once`: one snapshot of the cluster into the store, through the same door as a session (the
 * preflight, the reflectors' paged list and conversions, the metrics and Summary polls), with
 * nothing left running: no watch is opened, and everything after the preflight is asked at once.
 */
import type {Store} from '../store/store.js';
import {loadKubeTarget} from './config.js';
import {seconds} from './errors.js';
import {ApiClient} from './http.js';
import {wholeListBytes} from './json-list.js';
import {MetricsPoller} from './metrics-poller.js';
import {askedScope} from './preflight.js';
import {Scheduler} from './scheduler.js';
import {prepare, watchScope, type SessionOptions} from './session.js';
import {SummaryPoller} from './summary-poller.js';
import {Watches, type WatchScope} from './watches.js';

/** what the view to print needs beyond pods and their metrics */
export interface SnapshotNeeds {
	/** node working sets (the nodes view) */
	nodeMetrics: boolean;
	/** the events list (the events view) */
	events: boolean;
	/** the kubelet Summary API (RSS, cache, PSI) */
	summaries: boolean;
}

/**
 * Pods a list page: 10,000 (~63 MB of JSON or ~20 MB of protobuf a page). Measured at 10k pods on the test cluster
 * (README, "--once"): pages of 500 took 1.5× as long as pages of 5000; one unpaged answer was no
 * faster, and would be ~480 MB at 150k pods, past the answer bound; resourceVersion=0 (served
 * from the watch cache, any age) ignores the limit and is no faster than a consistent list, which
 * kube-apiserver ≥ 1.31 also serves from its watch cache.
 */
export const snapshotPageSize = 10_000;
/**
 * Summaries are waited for until the lists are in, or this long after the node list if later. At
 * 10k pods the pod list takes longer than that, so a snapshot never waits for a kubelet; with 1 s
 * (before) `--once` waited 0.6 s more for nodes whose Summary was slow to refuse (kwok: 0.2–0.45 s a 404).
 */
export const summaryGraceMs = 300;
/** nodes asked for their Summary at the same time */
const summaryConcurrency = 24;

export interface SnapshotOptions extends SessionOptions {
	summaryGraceMs?: number;
	/** called once the lists are asked for: what the caller loads meanwhile does not hold them up */
	onAsked?: () => void;
}

/** names, at most five of them */
function some(names: string[]): string {
	return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/** the metrics.k8s.io version asked for before discovery answers: the one metrics-server serves */
const guessedMetricsVersion = 'v1beta1';

type Lists = ReturnType<typeof Watches.once>;

/**
 * Fill `store` with one list of pods (and nodes, and events when asked), one metrics poll and,
 * within a deadline, one Summary per node; then `after` (with the client, still open) when given. Refusals are what a session makes of them: the pod
 * list's a MemtopError, the others' a banner.
 *
 * The lists and the metrics poll are asked beside the preflight, not after it, for the scope it
 * will most likely find (preflight.ts, askedScope) and the metrics version metrics-server serves:
 * one round trip less (a VPN away, 30 ms or more). Nothing asked early reaches the store unless
 * the preflight agrees: its failure is the one told; another scope (a 403 on the cluster-wide list
 * narrowed it, so that early list was refused as well) or metrics version is asked again.
 */
export async function takeSnapshot(options: SnapshotOptions, needs: SnapshotNeeds, store: Store, after?: (client: ApiClient) => Promise<void>): Promise<void> {
	const target = options.target ?? loadKubeTarget({kubeconfig: options.kubeconfig, context: options.context});
	const client = new ApiClient(target, {userAgent: options.userAgent, maxAnswerBytes: options.maxAnswerBytes, requestTimeoutMs: options.requestTimeoutMs});
	const scheduler = new Scheduler();
	const stop = new AbortController();
	try {
		const prepared = prepare(client, target, scheduler, options, store);
		prepared.catch(() => {});
		const askLists = (scope: WatchScope) => {
			const lists = Watches.once({client, target, store, scheduler, pageSize: snapshotPageSize}, scope, {events: needs.events});
			lists.done.catch(() => {});
			return lists;
		};

		// node metrics go where the node list put its nodes: that (short) list first
		const askMetrics = (scope: WatchScope, lists: Lists, version: string | null, keep: Promise<boolean>) =>
			version
				? (needs.nodeMetrics ? lists.nodes : Promise.resolve(false)).then(async hasNodes => {
						const poller = new MetricsPoller({client, store, scheduler, watches: {scope, hasNodes}, version, intervalMs: 15_000, wholeBytes: wholeListBytes});
						await poller.poll(undefined, keep);
					})
				: Promise.resolve();

		const asked = askedScope(options, target.namespace);
		// the same selectors whatever the preflight finds: only the namespace can differ
		const guess = watchScope(asked.namespace, options);
		const guessedVersion = options.metrics === false ? null : guessedMetricsVersion;
		// an events list refused cluster-wide leaves a banner, though a 403 may narrow the scope
		// after all: the events view waits for the preflight where it can
		const early = needs.events && asked.fallback ? null : askLists(guess);
		const confirmed = prepared.then(
			p => p.metricsVersion === guessedVersion && p.scope.namespace === guess.namespace,
			() => false,
		);
		const earlyMetrics = early && askMetrics(guess, early, guessedVersion, confirmed);
		options.onAsked?.();
		const {scope, metricsVersion} = await prepared;
		let lists = early;
		if (lists === null || scope.namespace !== guess.namespace) {
			await early?.done.catch(() => {});
			lists = askLists(scope);
		}

		const metrics = lists === early && metricsVersion === guessedVersion ? earlyMetrics! : askMetrics(scope, lists, metricsVersion, Promise.resolve(true));
		const summaries = lists.nodes.then(async hasNodes => {
			if (!hasNodes || !needs.summaries || options.summary === false) return null;
			const grace = new Promise<void>(resolve => scheduler.once(options.summaryGraceMs ?? summaryGraceMs, resolve));
			const poller = new SummaryPoller({client, store, scheduler, concurrency: summaryConcurrency});
			const poll = poller.poll(stop.signal);
			return {grace, poll};
		});

		await lists.done;
		await metrics;
		const pending = await summaries;
		if (pending) {
			await Promise.race([pending.grace, pending.poll]);
			stop.abort();
			const leftOut = await pending.poll;
			if (leftOut.length > 0) {
				const waited = seconds(options.summaryGraceMs ?? summaryGraceMs);
				store.setBanner({id: 'summary:deadline', level: 'warn', text: `Summary API: ${leftOut.length} of ${store.nodes.size} nodes did not answer within ${waited} of the node list (${some(leftOut)}): no RSS/cache breakdown for them`, since: scheduler.now()});
			}
		}

		await after?.(client);
	} finally {
		stop.abort();
		scheduler.stop();
		client.close();
	}
}
