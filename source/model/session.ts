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
}
