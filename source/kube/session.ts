/**
 * A connection to a cluster that keeps the store fed, composed of: the preflight (version,
 * discovery, where pods may be listed), the watches (pods, nodes, events), the metrics and
 * Summary pollers, and the scheduler that owns every timer of the session.
 */
import type {ConnectionInfo} from '../model/index.js';
import type {Store} from '../store/store.js';
import {loadKubeTarget, type KubeTarget} from './config.js';
import type {ExecCredentials} from './exec-credential.js';
import {ApiClient} from './http.js';
import {MetricsPoller} from './metrics-poller.js';
import {preflight} from './preflight.js';
import {clean} from './sanitize.js';
import {Scheduler} from './scheduler.js';
import {SummaryPoller} from './summary-poller.js';
import {Watches, type WatchScope} from './watches.js';

export interface SessionOptions {
	kubeconfig?: string;
	context?: string;
	/** -n: watch one namespace */
	namespace?: string;
	/** -A: all namespaces, and fail rather than fall back when that is forbidden */
	allNamespaces?: boolean;
	/** -l */
	selector?: string;
	/** --field-selector (pods) */
	fieldSelector?: string;
	/** the config file's namespaceScope ('context' unless it says 'all') */
	namespaceScope?: 'context' | 'all';
	/** metrics poll interval (default 15 s) */
	metricsIntervalMs?: number;
	/** false: don't touch metrics.k8s.io at all */
	metrics?: boolean;
	/** false: don't poll the kubelet Summary API */
	summary?: boolean;
	summaryIntervalMs?: number;
	summaryConcurrency?: number;
	/** a ready-made target instead of the kubeconfig (the demo's simulated cluster) */
	target?: KubeTarget;
	demo?: boolean;
	userAgent?: string;
	/** --max-answer: the bound on one answer (default defaultMaxAnswerBytes) */
	maxAnswerBytes?: number;
	/** --request-timeout: the longest one request may take (default defaultRequestTimeoutMs) */
	requestTimeoutMs?: number;
	/** watch tuning, for tests */
	watchTimeoutSeconds?: number;
	/** a watch silent this long is stale, and reopened */
	watchSilenceMs?: number;
	backoffMaxMs?: number;
	/** for tests: the session's timers and clock (stop() stops it) */
	scheduler?: Scheduler;
	/**
	 * the live view: return once connected, with the lists under way (pods page by page into the
	 * store) and the first metrics poll beside them; `ready` says when they are done, or rejects
	 * when pods cannot be listed
	 */
	progressive?: boolean;
	/** the first metrics poll is applied once this settles (default: as soon as it is in); the Prometheus backfill holds it */
	firstMetricsAfter?: (listed: Promise<void>) => Promise<unknown>;
}

export interface Session {
	info: ConnectionInfo;
	client: ApiClient;
	/** the user's exec credential plugin, when memtop runs one (the live view renews through it) */
	credentials: ExecCredentials | null;
	/** initial lists and the first metrics poll are done */
	ready: Promise<void>;
	setSelector(selector: string): Promise<void>;
	/** watch another namespace (null: all); the old watch stays until the new list is in */
	setNamespace(namespace: string | null): Promise<void>;
	/** poll metrics now (used by --once and tests) */
	pollMetrics(): Promise<void>;
	pollSummaries(): Promise<void>;
	stop(): Promise<void>;
}

interface Connected {
	info: ConnectionInfo;
	watches: Watches;
	metricsVersion: string | null;
	/** the lists are in (rejects when pods cannot be listed); nodes listed or refused */
	listed: Promise<void>;
	nodesListed: Promise<void>;
}

/** what is watched (listed) in `namespace` with the options' selectors */
export function watchScope(namespace: string | null, options: Pick<SessionOptions, 'selector' | 'fieldSelector'>): WatchScope {
	return {namespace, selector: options.selector ?? '', fieldSelector: options.fieldSelector ?? ''};
}

/** the preflight, and what it found as the store's connection: what a session and a snapshot (--once) start with */
export async function prepare(client: ApiClient, target: KubeTarget, scheduler: Scheduler, options: SessionOptions, store: Store): Promise<{info: ConnectionInfo; scope: WatchScope; metricsVersion: string | null}> {
	const pre = await preflight(client, target, options, store, scheduler.now);
	const scope = watchScope(pre.namespace, options);
	// kubeconfig text, shown in the header and --once output: escaped like the cluster's
	const info: ConnectionInfo = {
		context: clean(target.context),
		cluster: clean(target.cluster),
		server: clean(target.server),
		user: clean(target.user),
		...scope,
		metricsApi: pre.metricsVersion ? `metrics.k8s.io/${pre.metricsVersion}` : null,
		demo: Boolean(options.demo),
		namespaceFrom: pre.namespaceFrom,
		namespaceMissing: pre.namespaceMissing,
	};
	store.setConnection({...info});
	return {info, scope, metricsVersion: pre.metricsVersion};
}

/** preflight, then the first lists (or, progressive, their start): what the session needs before it can poll */
async function connect(client: ApiClient, target: KubeTarget, scheduler: Scheduler, options: SessionOptions, store: Store): Promise<Connected> {
	const {info, scope, metricsVersion} = await prepare(client, target, scheduler, options, store);
	const {watchTimeoutSeconds, watchSilenceMs: silenceMs, backoffMaxMs} = options;
	const wo = {client, target, store, scheduler, watchTimeoutSeconds, silenceMs, backoffMaxMs};
	if (options.progressive) {
		const {watches, listed, nodesListed} = Watches.begin(wo, scope);
		return {info, watches, metricsVersion, listed, nodesListed};
	}

	const watches = await Watches.start(wo, scope);
	return {info, watches, metricsVersion, listed: Promise.resolve(), nodesListed: Promise.resolve()};
}

/**
 * Connect to a cluster and keep the store fed: pods, nodes and events by list + watch, metrics
 * polled, Summary API polled per node. Problems before the first list (no server, bad
 * credentials, forbidden pods) throw a MemtopError with one line for the user; problems later
 * become banners and the rest keeps working.
 */
export async function openSession(options: SessionOptions, store: Store): Promise<Session> {
	const target = options.target ?? loadKubeTarget({kubeconfig: options.kubeconfig, context: options.context});
	const client = new ApiClient(target, {userAgent: options.userAgent, maxAnswerBytes: options.maxAnswerBytes, requestTimeoutMs: options.requestTimeoutMs});
	const scheduler = options.scheduler ?? new Scheduler();
	const credentials = target.credentials ?? null;
	credentials?.report({
		onProblem: text => (text === null ? store.clearBanner('login') : store.setBanner({id: 'login', level: 'error', text, since: scheduler.now()})),
	});
	const intervalMs = options.metricsIntervalMs ?? 15_000;
	const {info, watches, metricsVersion, listed, nodesListed} = await connect(client, target, scheduler, options, store).catch((error: unknown) => {
		scheduler.stop();
		client.close();
		throw error;
	});

	const metrics = metricsVersion ? new MetricsPoller({client, store, scheduler, watches, version: metricsVersion, intervalMs, nodesListed}) : null;
	let summaries: SummaryPoller | null = null;
	const pollMetrics = async (): Promise<void> => metrics?.poll();
	const pollSummaries = async (): Promise<void> => void (await summaries?.poll());
	const summaryEvery = options.summaryIntervalMs ?? Math.max(30_000, intervalMs * 2);
	const ready = (async () => {
		// the first metrics poll goes beside the lists (progressive; else they are in already) and
		// is applied as soon as it is in: pods listed after it get their figures from it (the
		// store keeps the sample while the pod list is under way, from before its first page);
		// with a Prometheus backfill, once `firstMetricsAfter` settles
		const first = metrics?.poll(options.firstMetricsAfter?.(listed));
		await listed;
		if (options.summary !== false && watches.hasNodes) summaries = new SummaryPoller({client, store, scheduler, concurrency: options.summaryConcurrency ?? 8});
		await Promise.all([first, pollSummaries()]);
		if (metrics) scheduler.repeat(() => metrics.poll(), () => intervalMs);
		if (summaries) scheduler.repeat(pollSummaries, () => summaryEvery);
	})();

	const rescope = async (scope: WatchScope, failure: string): Promise<void> => {
		await watches.rescope(scope, failure);
		if (info.namespace !== scope.namespace) Object.assign(info, {namespaceFrom: 'picked', namespaceMissing: false});
		info.namespace = scope.namespace;
		info.selector = scope.selector;
		store.setConnection({...info});
		store.clearBanner('rbac:pods');
		await pollMetrics();
	};

	return {
		info,
		client,
		credentials,
		ready,
		pollMetrics,
		pollSummaries,
		async setSelector(next: string): Promise<void> {
			await rescope({...watches.scope, selector: next}, `label selector "${next}" rejected`);
		},
		async setNamespace(next: string | null): Promise<void> {
			await rescope({...watches.scope, namespace: next}, `cannot watch ${next === null ? 'all namespaces' : `namespace ${next}`}`);
		},
		async stop(): Promise<void> {
			scheduler.stop();
			await watches.stop();
			client.close();
		},
	};
}
