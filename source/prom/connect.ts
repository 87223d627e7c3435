/**
 * Where memtop's Prometheus is: --prometheus URL, --prometheus-service NS/NAME:PORT (through the
 * API server's service proxy, with the kubeconfig's login: no port-forward), or --prometheus auto
 * (the well-known services, tried in order; the first that answers as Prometheus is used and named).
 */
import {ApiClient} from '../kube/http.js';
import {describe, MemtopError} from '../kube/errors.js';
import {prometheusTarget, type PrometheusAuth} from '../kube/prom-target.js';
import {promClient, type PromClient} from './client.js';

export interface PromEndpoint {
	/** --prometheus: a URL or 'auto' */
	url?: string;
	/** --prometheus-service NS/NAME:PORT */
	service?: string;
	auth?: PrometheusAuth;
}

export interface ServiceRef {
	namespace: string;
	name: string;
	port: string;
}

/** the services `--prometheus auto` tries, in order: kube-prometheus, the operator's, the charts' defaults */
export const wellKnownServices: readonly string[] = [
	'monitoring/prometheus-k8s:9090',
	'monitoring/prometheus-operated:9090',
	'monitoring/kube-prometheus-stack-prometheus:9090',
	'monitoring/prometheus-kube-prometheus-prometheus:9090',
	'kube-prometheus-stack/kube-prometheus-stack-prometheus:9090',
	'prometheus/prometheus-server:80',
	'monitoring/prometheus-server:80',
	'prometheus/prometheus-operated:9090',
	'default/prometheus-operated:9090',
	'observability/prometheus-operated:9090',
];

const dns = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** NS/NAME:PORT (PORT a number or a port name; an optional scheme "https:NAME:PORT" as the proxy takes it) */
export function parseService(text: string): ServiceRef {
	const m = /^([^/]+)\/((?:https?:)?[^:/]+):([^:/]+)$/.exec(text.trim());
	const name = m?.[2]?.replace(/^https?:/, '') ?? '';
	if (!m || !dns.test(m[1]!) || !dns.test(name) || !/^[a-z0-9-]+$/.test(m[3]!)) {
		throw new MemtopError(`--prometheus-service: "${text}" is not NAMESPACE/NAME:PORT (e.g. monitoring/prometheus-k8s:9090)`, 2);
	}

	return {namespace: m[1]!, name: m[2]!, port: m[3]!};
}

export function serviceProxyPrefix(s: ServiceRef): string {
	return `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/services/${encodeURIComponent(`${s.name}:${s.port}`)}/proxy`;
}

function viaService(kube: ApiClient, s: ServiceRef): PromClient {
	return promClient(kube, serviceProxyPrefix(s), `service ${s.namespace}/${s.name}:${s.port}`);
}

export interface Connected {
	client: PromClient;
	/** how it was found ("--prometheus-service", "auto: the first of N answered") */
	how: string;
	/** a client this module opened (a Prometheus URL's): close it when done */
	close(): void;
}

/**
 * The client for `endpoint`; `kube` is the session's API client (for the service proxy). A URL
 * is checked only when used (a banner says when it does not answer); auto checks each candidate
 * with buildinfo and throws a MemtopError naming what it tried when none answers.
 */
export async function connectPrometheus(endpoint: PromEndpoint, kube: ApiClient, bounds: {maxAnswerBytes?: number; requestTimeoutMs?: number} = {}): Promise<Connected | null> {
	if (endpoint.service !== undefined) {
		return {client: viaService(kube, parseService(endpoint.service)), how: '--prometheus-service', close() {}};
	}

	if (endpoint.url === undefined) return null;
	if (endpoint.url === 'auto') {
		const tried: string[] = [];
		for (const text of wellKnownServices) {
			const client = viaService(kube, parseService(text));
			try {
				await client.version({timeoutMs: 5000});
				return {client, how: `auto: ${text} answered`, close() {}};
			} catch (error) {
				tried.push(`${text} (${describe(error).slice(0, 60)})`);
			}
		}

		throw new MemtopError(`--prometheus auto: none of the well-known Prometheus services answered: ${tried.slice(0, 3).join('; ')}${tried.length > 3 ? `; and ${tried.length - 3} more` : ''} (give --prometheus URL or --prometheus-service NS/NAME:PORT)`);
	}

	const target = prometheusTarget(endpoint.url, endpoint.auth);
	const api = new ApiClient(target, bounds);
	return {client: promClient(api, '', target.server), how: '--prometheus', close: () => api.close()};
}
