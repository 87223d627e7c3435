/**
 * What a session checks before it watches anything: that the API server answers (/version), which
 * metrics.k8s.io version it serves (discovery), and where the user may list pods (a one-item list:
 * cluster-wide, or the kubeconfig's namespace when cluster-wide is forbidden). Each failure is one
 * MemtopError line for the user.
 */
import type {Store} from '../store/store.js';
import type {KubeTarget} from './config.js';
import {ApiError, MemtopError, fatal, isForbidden} from './errors.js';
import {scopedPath, type ApiClient} from './http.js';

interface PreflightOptions {
	/** false: don't look for metrics.k8s.io */
	metrics?: boolean;
	namespace?: string;
	/** fail rather than fall back to one namespace when a cluster-wide pod list is forbidden */
	allNamespaces?: boolean;
	selector?: string;
}

interface Preflight {
	/** 'v1' or 'v1beta1'; null when metrics are off */
	metricsVersion: string | null;
	/** the namespace to watch (null: all), after any fallback */
	namespace: string | null;
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

/** the pod list failure as the user's one line (a 400 is the label selector) */
export function podsRefused(error: unknown, target: KubeTarget, namespace: string | null, selector: string): MemtopError {
	if (error instanceof ApiError && error.status === 400) {
		return new MemtopError(`the API server rejected the label selector "${selector}": ${error.message.slice(0, 200)}`);
	}

	return fatal(error, target, namespace ? `list pods in namespace ${namespace}` : 'list pods in all namespaces');
}

/** the namespace the user may list pods in: the asked one, or the kubeconfig's when cluster-wide is forbidden */
async function podScope(client: ApiClient, target: KubeTarget, options: PreflightOptions, store: Store, now: () => number): Promise<string | null> {
	const selector = options.selector ?? '';
	const probe = async (namespace: string | null): Promise<void> => {
		const answer = await client.getJson(scopedPath('/api/v1', 'pods', namespace), {limit: 1, labelSelector: selector || undefined}, {timeoutMs: 30_000});
		const what = notAList(answer);
		if (what) throw new MemtopError(`the API server at ${target.server} answered the pod list with ${what}, not a PodList: is it a Kubernetes API server?`);
	};

	const asked = options.namespace ?? null;
	try {
		await probe(asked);
		return asked;
	} catch (error) {
		if (!isForbidden(error) || asked !== null || options.allNamespaces) throw podsRefused(error, target, asked, selector);
	}

	const fallback = target.namespace ?? 'default';
	try {
		await probe(fallback);
	} catch (error) {
		throw podsRefused(error, target, fallback, selector);
	}

	store.setBanner({id: 'rbac:pods', level: 'warn', text: `cannot list pods in all namespaces (403 Forbidden): showing namespace ${fallback} only`, since: now()});
	return fallback;
}

export async function preflight(client: ApiClient, target: KubeTarget, options: PreflightOptions, store: Store, now: () => number): Promise<Preflight> {
	try {
		await client.getJson('/version', undefined, {timeoutMs: 10_000});
	} catch (error) {
		throw fatal(error, target, 'read /version');
	}

	return {
		metricsVersion: options.metrics === false ? null : await metricsVersion(client, target),
		namespace: await podScope(client, target, options, store, now),
	};
}
