/**
 * What a session checks before it watches anything: that the API server answers (/version), which
 * metrics.k8s.io version it serves (discovery), and where the user may list pods (a one-item list:
 * cluster-wide, or the kubeconfig's namespace when cluster-wide is forbidden). Each failure is one
 * MemtopError line for the user.
 */
import type {NamespaceFrom} from '../model/index.js';
import type {Store} from '../store/store.js';
import type {KubeTarget} from './config.js';
import {ApiError, MemtopError, fatal, isForbidden, isNotFound} from './errors.js';
import {scopedPath, type ApiClient} from './http.js';

interface PreflightOptions {
	/** false: don't look for metrics.k8s.io */
	metrics?: boolean;
	namespace?: string;
	/** fail rather than fall back to one namespace when a cluster-wide pod list is forbidden */
	allNamespaces?: boolean;
	/** the config file's namespaceScope: 'context' (default, as kubectl) or 'all' */
	namespaceScope?: 'context' | 'all';
	/** the simulated cluster: all its namespaces */
	demo?: boolean;
	selector?: string;
	fieldSelector?: string;
}

interface Preflight {
	/** 'v1' or 'v1beta1'; null when metrics are off */
	metricsVersion: string | null;
	/** the namespace to watch (null: all), after any fallback */
	namespace: string | null;
	/** why that namespace */
	namespaceFrom: NamespaceFrom;
	/** the namespace asked for does not exist (its pod list is empty and a GET of it is 404) */
	namespaceMissing: boolean;
}

/**
 * Which namespace to ask for, and why: -n, -A, then the context's namespace as kubectl does. Where
 * kubectl would fall back to "default" for a context that names none, memtop watches all
 * namespaces (a memory monitor of the cluster; the header says so); namespaceScope: all in the
 * config file asks for all namespaces whatever the context says. `fallback`: a 403 on the
 * cluster-wide list may narrow it to the context's namespace (not after -A).
 */
export function askedScope(options: PreflightOptions, contextNamespace: string | null): {namespace: string | null; from: NamespaceFrom; fallback: boolean} {
	if (options.namespace !== undefined) return {namespace: options.namespace, from: 'flag', fallback: false};
	if (options.allNamespaces) return {namespace: null, from: 'flag', fallback: false};
	if (options.demo) return {namespace: null, from: 'demo', fallback: true};
	if (options.namespaceScope === 'all') return {namespace: null, from: 'config', fallback: true};
	if (contextNamespace) return {namespace: contextNamespace, from: 'context', fallback: false};
	return {namespace: null, from: 'context-none', fallback: true};
}

/** metrics.k8s.io/v1 when discovery offers it, else v1beta1; null when the group is absent. */
function pickMetricsVersion(groups: any): string | null {
	for (const g of (groups?.groups ?? []) as any[]) {
		if (g?.name !== 'metrics.k8s.io') continue;
		const versions = new Set(((g.versions ?? []) as any[]).map(v => v?.version));
		if (versions.has('v1')) return 'v1';
		if (versions.has('v1beta1')) return 'v1beta1';
	}

	return null;
}

async function metricsVersion(client: ApiClient, target: KubeTarget): Promise<string> {
	let groups: any;
	try {
		groups = await client.getJson('/apis', undefined, {timeoutMs: 15_000});
	} catch (error) {
		throw fatal(error, target, 'read API discovery (/apis)');
	}

	const version = pickMetricsVersion(groups);
	if (!version) {
		throw new MemtopError(`the cluster at ${target.server} does not serve metrics.k8s.io (is metrics-server installed?); pass --no-metrics to watch requests and limits without usage`);
	}

	return version;
}

/** what a list answer is when it is not one (a JSON array, an object without items), null when it is one */
function notAList(answer: unknown): string | null {
	if (Array.isArray(answer)) return 'a JSON array';
	if (typeof answer !== 'object' || answer === null) return `a JSON ${answer === null ? 'null' : typeof answer}`;
	return Array.isArray((answer as {items?: unknown}).items) ? null : 'an object without items';
}

/** the pod list failure as the user's one line (a 400 is a selector: the label one, the field one, or either) */
export function podsRefused(error: unknown, target: KubeTarget, namespace: string | null, selector: string, fieldSelector = ''): MemtopError {
	if (error instanceof ApiError && error.status === 400) {
		const which = fieldSelector === '' ? `label selector "${selector}"` : selector === '' ? `field selector "${fieldSelector}"` : `selectors -l "${selector}" --field-selector "${fieldSelector}"`;
		return new MemtopError(`the API server rejected the ${which}: ${error.message.slice(0, 200)}`);
	}

	return fatal(error, target, namespace ? `list pods in namespace ${namespace}` : 'list pods in all namespaces');
}

/** a namespace with no pods: does it exist? (a refusal to say, e.g. 403, counts as yes) */
async function namespaceMissing(client: ApiClient, namespace: string): Promise<boolean> {
	try {
		await client.getJson(`/api/v1/namespaces/${encodeURIComponent(namespace)}`, undefined, {timeoutMs: 15_000});
		return false;
	} catch (error) {
		return isNotFound(error);
	}
}

/** the namespace the user may list pods in: the asked one, or the kubeconfig's when cluster-wide is forbidden */
async function podScope(client: ApiClient, target: KubeTarget, options: PreflightOptions, store: Store, now: () => number): Promise<Omit<Preflight, 'metricsVersion'>> {
	const selector = options.selector ?? '';
	const fieldSelector = options.fieldSelector ?? '';
	/** the number of pods the one-item page holds */
	const probe = async (namespace: string | null): Promise<number> => {
		const answer = await client.getJson(scopedPath('/api/v1', 'pods', namespace), {limit: 1, labelSelector: selector || undefined, fieldSelector: fieldSelector || undefined}, {timeoutMs: 30_000});
		const what = notAList(answer);
		if (what) throw new MemtopError(`the API server at ${target.server} answered the pod list with ${what}, not a PodList: is it a Kubernetes API server?`);
		return (answer as {items: unknown[]}).items.length;
	};

	const asked = askedScope(options, target.namespace);
	const scoped = async (namespace: string | null, from: NamespaceFrom, found: number) => ({
		namespace,
		namespaceFrom: from,
		namespaceMissing: namespace !== null && found === 0 && (await namespaceMissing(client, namespace)),
	});
	try {
		return await scoped(asked.namespace, asked.from, await probe(asked.namespace));
	} catch (error) {
		if (!isForbidden(error) || asked.namespace !== null || !asked.fallback) throw podsRefused(error, target, asked.namespace, selector, fieldSelector);
	}

	const fallback = target.namespace ?? 'default';
	let found: number;
	try {
		found = await probe(fallback);
	} catch (error) {
		throw podsRefused(error, target, fallback, selector, fieldSelector);
	}

	store.setBanner({id: 'rbac:pods', level: 'warn', text: `cannot list pods in all namespaces (403 Forbidden): showing namespace ${fallback} only`, since: now()});
	return scoped(fallback, 'fallback', found);
}

/**
 * /version, discovery and the pod probe, asked at once (one round trip, not three: a VPN away each
 * is 30 ms or more). The failure told is the first one of that order, as when they ran one after
 * another: no server or no login is said as such, not as a refused pod list.
 */
export async function preflight(client: ApiClient, target: KubeTarget, options: PreflightOptions, store: Store, now: () => number): Promise<Preflight> {
	const version = client.getJson('/version', undefined, {timeoutMs: 10_000});
	const metrics = options.metrics === false ? Promise.resolve(null) : metricsVersion(client, target);
	const scope = podScope(client, target, options, store, now);
	metrics.catch(() => {});
	scope.catch(() => {});
	try {
		await version;
	} catch (error) {
		throw fatal(error, target, 'read /version');
	}

	return {metricsVersion: await metrics, ...(await scope)};
}
