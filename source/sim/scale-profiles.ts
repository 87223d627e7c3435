/**
 * What the scale scenario draws its cluster from: container profiles (with weights), the
 * DaemonSets on every node, and the words its namespace and workload names are made of.
 */
import {MI} from './quantity.js';

export interface ContainerProfile {
	name: string;
	image: string;
	memRequest?: string;
	memLimit?: string;
	cpuRequest?: string;
	cpuLimit?: string;
	/** typical working set, bytes */
	base: number;
	/** 0 steady, 1 GC sawtooth, 2 leak (resets on restart), 3 spiky */
	pattern: 0 | 1 | 2 | 3;
	sidecar?: boolean;
}

interface PodProfile {
	containers: ContainerProfile[];
	weight: number;
}

export const PROFILES: PodProfile[] = [
	{weight: 14, containers: [{name: 'web', image: 'ghcr.io/acme/web:4.12.0', memRequest: '128Mi', memLimit: '256Mi', cpuRequest: '100m', base: 96 * MI, pattern: 0}]},
	{weight: 10, containers: [{name: 'api', image: 'ghcr.io/acme/api:2.31.4', memRequest: '1Gi', memLimit: '1Gi', cpuRequest: '500m', cpuLimit: '500m', base: 690 * MI, pattern: 1}]},
	{weight: 9, containers: [{name: 'worker', image: 'ghcr.io/acme/worker:7.4.0', memRequest: '512Mi', cpuRequest: '250m', base: 610 * MI, pattern: 0}]},
	{weight: 9, containers: [
		{name: 'app', image: 'ghcr.io/acme/orders:3.3.1', memRequest: '384Mi', memLimit: '768Mi', cpuRequest: '200m', base: 420 * MI, pattern: 1},
		{name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.1', memRequest: '64Mi', memLimit: '128Mi', cpuRequest: '50m', base: 48 * MI, pattern: 0, sidecar: true},
	]},
	{weight: 6, containers: [{name: 'cache', image: 'docker.io/library/redis:8.2.1', memRequest: '2Gi', memLimit: '4Gi', cpuRequest: '250m', base: 2600 * MI, pattern: 0}]},
	{weight: 5, containers: [{name: 'job', image: 'docker.io/library/python:3.13-slim', base: 180 * MI, pattern: 3}]},
	{weight: 7, containers: [
		{name: 'app', image: 'ghcr.io/acme/catalog:1.4.0', memRequest: '256Mi', memLimit: '512Mi', cpuRequest: '100m', base: 250 * MI, pattern: 2},
		{name: 'envoy', image: 'docker.io/envoyproxy/envoy:v1.35.1', memRequest: '64Mi', memLimit: '1e8', cpuRequest: '50m', base: 41 * MI, pattern: 0},
		{name: 'log-shipper', image: 'docker.io/fluent/fluent-bit:4.0.8', memRequest: '32Mi', memLimit: '64Mi', cpuRequest: '10m', base: 21 * MI, pattern: 0},
	]},
	{weight: 6, containers: [{name: 'gateway', image: 'ghcr.io/acme/gateway:3.0.7', memRequest: '300M', memLimit: '600M', cpuRequest: '250m', base: 230 * MI, pattern: 3}]},
	{weight: 5, containers: [{name: 'search', image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.2', memRequest: '2Gi', memLimit: '2Gi', cpuRequest: '1', cpuLimit: '1', base: 1500 * MI, pattern: 1}]},
	{weight: 5, containers: [{name: 'ml', image: 'ghcr.io/acme/model:0.9.3', memRequest: '1288490188800m', memLimit: '1536Mi', cpuRequest: '1', base: 1100 * MI, pattern: 2}]},
	{weight: 4, containers: [
		{name: 'db', image: 'docker.io/library/postgres:17.6', memRequest: '4Gi', memLimit: '4Gi', cpuRequest: '2', cpuLimit: '2', base: 2300 * MI, pattern: 0},
		{name: 'exporter', image: 'quay.io/prometheuscommunity/postgres-exporter:v0.17.1', memRequest: '64Mi', memLimit: '64Mi', cpuRequest: '50m', cpuLimit: '50m', base: 22 * MI, pattern: 0},
	]},
	{weight: 4, containers: [{name: 'frontend', image: 'ghcr.io/acme/frontend:4.12.0', memRequest: '96Mi', memLimit: '192Mi', cpuRequest: '50m', base: 110 * MI, pattern: 2}]},
	{weight: 3, containers: [{name: 'batch', image: 'ghcr.io/acme/etl:7.4.0', memRequest: '1Gi', cpuRequest: '500m', base: 1400 * MI, pattern: 3}]},
	{weight: 3, containers: [{name: 'agent', image: 'ghcr.io/acme/agent:0.4.2', memLimit: '300Mi', base: 150 * MI, pattern: 0}]},
];

export const DS_PROFILES: Array<{name: string; namespace: string; containers: ContainerProfile[]; priority: [string, number]}> = [
	{name: 'kube-proxy', namespace: 'kube-system', containers: [{name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.35.0', base: 19 * MI, pattern: 0}], priority: ['system-node-critical', 2_000_001_000]},
	{name: 'node-exporter', namespace: 'monitoring', containers: [
		{name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.9.1', memRequest: '180Mi', memLimit: '180Mi', cpuRequest: '102m', cpuLimit: '250m', base: 21 * MI, pattern: 0},
		{name: 'kube-rbac-proxy', image: 'quay.io/brancz/kube-rbac-proxy:v0.19.1', memRequest: '20Mi', memLimit: '40Mi', cpuRequest: '10m', cpuLimit: '20m', base: 13 * MI, pattern: 0},
	], priority: ['system-node-critical', 2_000_001_000]},
];

export const WORDS = ['cart', 'checkout', 'search', 'orders', 'billing', 'ledger', 'auth', 'profile', 'catalog', 'pricing', 'inventory', 'shipping', 'reviews', 'ads', 'media', 'thumbs', 'mailer', 'notify', 'chat', 'feed', 'ranker', 'fraud', 'risk', 'quotes', 'reports', 'etl', 'ingest', 'stream', 'gateway', 'edge', 'graph', 'geo', 'maps', 'ledger', 'wallet', 'tax', 'invoice', 'rewards', 'loyalty', 'promo', 'session', 'tokens', 'vault', 'audit', 'events', 'metrics', 'traces', 'logs', 'backup', 'sync'];
export const ROLES = ['api', 'worker', 'web', 'consumer', 'cron', 'svc', 'backend', 'indexer', 'scheduler', 'proxy'];
export const TEAMS = ['team', 'app', 'svc', 'prod', 'stage', 'dev', 'data', 'ml', 'platform', 'infra'];
export const PRIORITIES: Array<[string, number] | null> = [null, null, null, ['business-critical', 1_000_000], ['batch-low', -100], ['shop-high', 100_000]];
