/** What memtop knows about its own connection, and the conditions it shows as banners. */

/** Conditions memtop shows as banners while it keeps running. */
export interface Banner {
	id: string; // stable id, e.g. 'metrics', 'watch:pods', 'rbac:nodes'
	level: 'info' | 'warn' | 'error';
	text: string;
	since: number;
}

export interface ConnectionInfo {
	context: string;
	cluster: string;
	server: string;
	user: string;
	namespace: string | null; // null = all namespaces
	selector: string;
	metricsApi: string | null; // e.g. metrics.k8s.io/v1beta1, null when absent
	demo: boolean;
	/** why the namespace scope is what it is (the header and --once say it) */
	namespaceFrom?: NamespaceFrom;
	/** --field-selector for pods ('' or absent: none) */
	fieldSelector?: string;
	/** the asked namespace does not exist (404): "No resources found in nope namespace." */
	namespaceMissing?: boolean;
}

/**
 * Where the namespace scope came from: -n or -A ('flag'); the kubeconfig context's namespace
 * ('context'); a context that names none, so all namespaces ('context-none'); the config file's
 * namespaceScope: all ('config'); the simulated cluster ('demo'); a cluster-wide list that was
 * forbidden, so the context's namespace ('fallback'); picked in the live view ('picked').
 */
export type NamespaceFrom = 'flag' | 'context' | 'context-none' | 'config' | 'demo' | 'fallback' | 'picked';

