import type {Store} from '../store/store.js';
import type {ConnectionInfo, EventRecord, NodeRecord, PodRecord} from '../model/index.js';
import {loadKubeTarget, type KubeTarget} from './config.js';
import {MetricsBuilder, evictionHardFromConfigz, evictionHardPercent, eventFromObject, nodeFromObject, nodeSummary, podFromObject} from './convert.js';
import {ApiError, MemtopError, NetworkError, describe, isForbidden, isNotFound, isUnauthorized} from './errors.js';
import {ApiClient, type Query} from './http.js';
import {Reflector, type ReflectorStatus} from './reflector.js';

export interface SessionOptions {
	kubeconfig?: string;
	context?: string;
	/** -n: watch one namespace */
	namespace?: string;
	/** -A: all namespaces, and fail rather than fall back when that is forbidden */
	allNamespaces?: boolean;
	/** -l */
	selector?: string;
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
	/** watch tuning, for tests */
	watchTimeoutSeconds?: number;
	backoffMaxMs?: number;
}

export interface Session {
	info: ConnectionInfo;
	client: ApiClient;
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

const podKeyOfRaw = (raw: any): string => `${raw?.metadata?.namespace ?? ''}/${raw?.metadata?.name ?? ''}`;

function fatal(error: unknown, target: KubeTarget, what: string): MemtopError {
	if (error instanceof MemtopError) return error;
	if (error instanceof NetworkError) {
		return new MemtopError(`cannot reach the API server at ${target.server} (context ${target.context}): ${error.message}`);
	}

	if (isUnauthorized(error)) {
		return new MemtopError(`the API server at ${target.server} rejected the credentials of user "${target.user}" (401 Unauthorized): log in again or check the kubeconfig`);
	}

	if (isForbidden(error)) {
		return new MemtopError(`forbidden: user "${target.user}" cannot ${what} (${(error as ApiError).message.slice(0, 200)})`);
	}

	if (error instanceof ApiError) {
		return new MemtopError(`the API server answered ${error.status} ${error.reason} to ${what}: ${error.message.slice(0, 200)}`);
	}

	return new MemtopError(`${what} failed: ${describe(error)}`);
}

/** metrics.k8s.io/v1 when discovery offers it, else v1beta1; null when the group is absent. */
export function pickMetricsVersion(groups: any): string | null {
	for (const g of (groups?.groups ?? []) as any[]) {
		if (g?.name !== 'metrics.k8s.io') continue;
		const versions = new Set(((g.versions ?? []) as any[]).map(v => v?.version));
		if (versions.has('v1')) return 'v1';
		if (versions.has('v1beta1')) return 'v1beta1';
	}

	return null;
}

async function parallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const workers = Array.from({length: Math.min(limit, items.length)}, async () => {
		while (next < items.length) {
			const item = items[next++]!;
			await fn(item);
		}
	});
	await Promise.all(workers);
}

/**
 * Connect to a cluster and keep the store fed: pods, nodes and events by list + watch, metrics
 * polled, Summary API polled per node. Problems before the first list (no server, bad
 * credentials, forbidden pods) throw a MemtopError with one line for the user; problems later
 * become banners and the rest keeps working.
 */
export async function openSession(options: SessionOptions, store: Store): Promise<Session> {
	const target = options.target ?? loadKubeTarget({kubeconfig: options.kubeconfig, context: options.context});
	const client = new ApiClient(target, {userAgent: options.userAgent});
	const intervalMs = options.metricsIntervalMs ?? 15_000;
	const timers = new Set<NodeJS.Timeout>();
	let stopped = false;

	try {
		await client.getJson('/version', undefined, {timeoutMs: 10_000});
	} catch (error) {
		client.close();
		throw fatal(error, target, 'read /version');
	}

	let metricsVersion: string | null = null;
	if (options.metrics !== false) {
		let groups: any;
		try {
			groups = await client.getJson('/apis', undefined, {timeoutMs: 15_000});
		} catch (error) {
			client.close();
			throw fatal(error, target, 'read API discovery (/apis)');
		}

		metricsVersion = pickMetricsVersion(groups);
		if (!metricsVersion) {
			client.close();
			throw new MemtopError(`the cluster at ${target.server} does not serve metrics.k8s.io (is metrics-server installed?); pass --no-metrics to watch requests and limits without usage`);
		}
	}

	let namespace: string | null = options.namespace ?? null;
	let selector = options.selector ?? '';
	const info: ConnectionInfo = {
		context: target.context,
		cluster: target.cluster,
		server: target.server,
		user: target.user,
		namespace,
		selector,
		metricsApi: metricsVersion ? `metrics.k8s.io/${metricsVersion}` : null,
		demo: Boolean(options.demo),
	};
	store.setConnection({...info});

	const watchStatus = (resource: string) => (s: ReflectorStatus) => {
		if (s.state === 'retrying') {
			store.setBanner({id: `watch:${resource}`, level: 'warn', text: `${resource} watch interrupted (${describe(s.error)}); reconnecting (attempt ${s.attempt})`, since: Date.now()});
		} else if (s.state === 'watching') {
			store.clearBanner(`watch:${resource}`);
		}

		store.setSynced(resource as 'pods' | 'nodes' | 'events', s.state === 'watching');
	};

	const tuning = {watchTimeoutSeconds: options.watchTimeoutSeconds, backoffMaxMs: options.backoffMaxMs};

	const makePods = (ns: string | null, sel: string) =>
		new Reflector<PodRecord>({
			client,
			path: ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : '/api/v1/pods',
			query: {labelSelector: sel || undefined},
			convert: podFromObject,
			keyOf: podKeyOfRaw,
			onReplace: r => store.replacePods(r),
			onUpsert: r => store.upsertPod(r),
			onDelete: k => store.deletePod(k),
			onStatus: watchStatus('pods'),
			...tuning,
		});

	let pods = makePods(namespace, selector);
	try {
		await pods.start();
	} catch (error) {
		if (isForbidden(error) && namespace === null && !options.allNamespaces) {
			namespace = target.namespace ?? 'default';
			info.namespace = namespace;
			store.setConnection({...info});
			store.setBanner({id: 'rbac:pods', level: 'warn', text: `cannot list pods in all namespaces (403 Forbidden): showing namespace ${namespace} only`, since: Date.now()});
			pods = makePods(namespace, selector);
			try {
				await pods.start();
			} catch (error2) {
				client.close();
				throw fatal(error2, target, `list pods in namespace ${namespace}`);
			}
		} else {
			client.close();
			if (error instanceof ApiError && error.status === 400) {
				throw new MemtopError(`the API server rejected the label selector "${selector}": ${error.message.slice(0, 200)}`);
			}

			throw fatal(error, target, namespace ? `list pods in namespace ${namespace}` : 'list pods in all namespaces');
		}
	}

	// Nodes: optional (namespace-only RBAC cannot see them).
	let nodes: Reflector<NodeRecord> | null = new Reflector<NodeRecord>({
		client,
		path: '/api/v1/nodes',
		convert: nodeFromObject,
		keyOf: raw => String(raw?.metadata?.name ?? ''),
		onReplace: r => store.replaceNodes(r),
		onUpsert: r => store.upsertNode(r),
		onDelete: k => store.deleteNode(k),
		onStatus: watchStatus('nodes'),
		...tuning,
	});
	try {
		await nodes.start();
	} catch (error) {
		nodes = null;
		store.setBanner({
			id: 'rbac:nodes',
			level: 'warn',
			text: isForbidden(error) ? 'cannot list nodes (403 Forbidden): no nodes view, no % of allocatable, no node events' : `nodes unavailable: ${describe(error)}`,
			since: Date.now(),
		});
	}

	const makeEvents = (ns: string | null) =>
		new Reflector<EventRecord>({
			client,
			path: ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/events` : '/api/v1/events',
			convert: eventFromObject,
			keyOf: raw => String(raw?.metadata?.uid ?? ''),
			onReplace: r => store.replaceEvents(r),
			onUpsert: r => store.upsertEvent(r),
			onDelete: () => {},
			onStatus: watchStatus('events'),
			...tuning,
		});
	let events: Reflector<EventRecord> | null = makeEvents(namespace);
	try {
		await events.start();
	} catch (error) {
		events = null;
		store.setBanner({id: 'rbac:events', level: 'warn', text: `cannot watch events (${describe(error)}): the feed shows pod status only`, since: Date.now()});
	}

	// Metrics
	let nodeMetricsForbidden = false;
	const pollMetrics = async (): Promise<void> => {
		if (!metricsVersion || stopped) return;
		const base = `/apis/metrics.k8s.io/${metricsVersion}`;
		const q: Query = {labelSelector: selector || undefined};
		const started = Date.now();
		try {
			const builder = new MetricsBuilder(started);
			const timeoutMs = Math.max(20_000, intervalMs);
			await client.getList(namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/pods` : `${base}/pods`, q, item => builder.pod(item), {timeoutMs});
			if (nodes && !nodeMetricsForbidden) {
				try {
					await client.getList(`${base}/nodes`, undefined, item => builder.node(item), {timeoutMs});
				} catch (error) {
					if (!isForbidden(error)) throw error;
					nodeMetricsForbidden = true;
					store.setBanner({id: 'rbac:node-metrics', level: 'warn', text: 'cannot read node metrics (403 Forbidden): node working set unknown', since: Date.now()});
				}
			}

			if (stopped) return;
			store.applyMetrics(builder.done());
			store.clearBanner('metrics');
		} catch (error) {
			if (stopped) return;
			let text = `metrics unavailable (${describe(error)}): showing requests and limits; retrying every ${Math.round(intervalMs / 1000)}s`;
			if (isForbidden(error)) text = `cannot read pod metrics (403 Forbidden${namespace ? '' : ', cluster-wide'}): working set unknown`;
			else if (error instanceof ApiError && (error.status === 503 || isNotFound(error))) text = `metrics API not answering (${error.status} ${error.reason}; metrics-server down?): showing requests and limits; retrying`;
			store.setBanner({id: 'metrics', level: 'error', text, since: Date.now()});
		}
	};

	// Summary API
	const summaryState = new Map<string, {configzDone: boolean; evictionHard: number; source: 'configz' | 'default'}>();
	let summaryForbidden = false;
	const pollSummaries = async (): Promise<void> => {
		if (options.summary === false || !nodes || stopped) return;
		const names = [...store.nodes.keys()];
		let forbidden = 0;
		await parallel(names, options.summaryConcurrency ?? 8, async name => {
			if (stopped) return;
			const path = `/api/v1/nodes/${encodeURIComponent(name)}/proxy`;
			let st = summaryState.get(name);
			if (!st) {
				st = {configzDone: false, evictionHard: 100 * 1024 * 1024, source: 'default'};
				summaryState.set(name, st);
			}

			try {
				const raw = await client.getJson<any>(`${path}/stats/summary`, undefined, {timeoutMs: 10_000});
				if (!st.configzDone) {
					st.configzDone = true;
					try {
						const cfg = await client.getJson<any>(`${path}/configz`, undefined, {timeoutMs: 10_000});
						const bytes = evictionHardFromConfigz(cfg);
						const pct = evictionHardPercent(cfg);
						const capacity = store.nodes.get(name)?.capacityBytes ?? null;
						if (bytes !== null) {
							st.evictionHard = bytes;
							st.source = 'configz';
						} else if (pct !== null && capacity !== null) {
							st.evictionHard = Math.round((capacity * pct) / 100);
							st.source = 'configz';
						}
					} catch {
						// configz forbidden or absent: keep the kubelet default (100Mi) and say so
					}
				}

				store.applySummary(name, {status: 'ok', summary: nodeSummary(raw, name, st.evictionHard, st.source, Date.now())});
			} catch (error) {
				let reason = describe(error);
				if (isForbidden(error)) {
					forbidden++;
					reason = 'forbidden: no RBAC on nodes/proxy';
				} else if (isNotFound(error)) {
					reason = 'kubelet has no /stats/summary (404)';
				} else if (error instanceof ApiError && error.status >= 500) {
					reason = `kubelet unreachable (${error.status})`;
				}

				store.applySummary(name, {status: 'unavailable', reason, time: Date.now()});
			}
		});
		summaryForbidden = names.length > 0 && forbidden === names.length;
		if (summaryForbidden) {
			store.setBanner({id: 'rbac:summary', level: 'info', text: 'no access to nodes/proxy (403): RSS/cache breakdown unavailable', since: Date.now()});
		} else {
			store.clearBanner('rbac:summary');
		}
	};

	const schedule = (fn: () => Promise<void>, every: () => number) => {
		const tick = async () => {
			if (stopped) return;
			await fn();
			if (stopped) return;
			const t = setTimeout(tick, every());
			t.unref?.();
			timers.add(t);
		};

		const t = setTimeout(tick, every());
		t.unref?.();
		timers.add(t);
	};

	const ready = (async () => {
		await Promise.all([pollMetrics(), pollSummaries()]);
		schedule(pollMetrics, () => intervalMs);
		const summaryEvery = options.summaryIntervalMs ?? Math.max(30_000, intervalMs * 2);
		schedule(pollSummaries, () => (summaryForbidden ? Math.max(300_000, summaryEvery) : summaryEvery));
	})();

	/** swap the pod (and event) watches for a new scope; on failure the old ones keep running */
	const rescope = async (ns: string | null, sel: string, failure: string): Promise<void> => {
		const fresh = makePods(ns, sel);
		try {
			await fresh.start();
		} catch (error) {
			await fresh.stop();
			throw new MemtopError(`${failure}: ${describe(error)}`);
		}

		const old = pods;
		pods = fresh;
		const nsChanged = ns !== namespace;
		namespace = ns;
		selector = sel;
		info.namespace = ns;
		info.selector = sel;
		store.setConnection({...info});
		store.clearBanner('rbac:pods');
		await old.stop();
		if (nsChanged && events) {
			const freshEvents = makeEvents(ns);
			try {
				await freshEvents.start();
				await events.stop();
				events = freshEvents;
			} catch {
				await freshEvents.stop();
			}
		}

		await pollMetrics();
	};

	return {
		info,
		client,
		ready,
		pollMetrics,
		pollSummaries,
		async setSelector(next: string): Promise<void> {
			await rescope(namespace, next, `label selector "${next}" rejected`);
		},
		async setNamespace(next: string | null): Promise<void> {
			await rescope(next, selector, `cannot watch ${next === null ? 'all namespaces' : `namespace ${next}`}`);
		},
		async stop(): Promise<void> {
			stopped = true;
			for (const t of timers) clearTimeout(t);
			await Promise.all([pods.stop(), nodes?.stop(), events?.stop()]);
			client.close();
		},
	};
}
