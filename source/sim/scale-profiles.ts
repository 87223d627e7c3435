/**
 * What the scale scenario draws its cluster from: pod profiles (with weights) of containers like
 * the demo's, with the same memory patterns; the demo's DaemonSets, on every node; and the words
 * its namespace and workload names are made of.
 */
import type {ContainerSpec, Pattern, WorkloadSpec} from './cluster-spec.js';
import {DEMO_CLUSTER, istioProxy} from './demo.js';
import {MI} from './quantity.js';

/** Patterns around a typical working set: flat, a garbage collector's sawtooth, a slow leak, load spikes. */
const steady = (base: number): Pattern => ({kind: 'steady', base, jitter: 0.02});
const gc = (base: number): Pattern => ({kind: 'sawtooth', low: base * 0.8, high: base * 1.2, period: 120});
const leak = (base: number): Pattern => ({kind: 'leak', base: base * 0.7, rate: base * 0.000_06});
const spiky = (base: number): Pattern => ({kind: 'spiky', base, spike: base * 0.5, every: 300, duration: 45});

interface PodProfile {
	containers: ContainerSpec[];
	weight: number;
}

export const PROFILES: PodProfile[] = [
	{weight: 14, containers: [{name: 'web', image: 'ghcr.io/acme/web:4.12.0', requests: {cpu: '100m', memory: '128Mi'}, limits: {memory: '256Mi'}, pattern: steady(96 * MI), process: 'node'}]},
	{weight: 10, containers: [{name: 'api', image: 'ghcr.io/acme/api:2.31.4', requests: {cpu: '500m', memory: '1Gi'}, limits: {cpu: '500m', memory: '1Gi'}, pattern: gc(690 * MI), process: 'java'}]},
	{weight: 9, containers: [{name: 'worker', image: 'ghcr.io/acme/worker:7.4.0', requests: {cpu: '250m', memory: '512Mi'}, pattern: steady(610 * MI), process: 'python3'}]},
	{weight: 9, containers: [
		{name: 'app', image: 'ghcr.io/acme/orders:3.3.1', requests: {cpu: '200m', memory: '384Mi'}, limits: {memory: '768Mi'}, pattern: gc(420 * MI), process: 'java'},
		istioProxy(),
	]},
	{weight: 6, containers: [{name: 'cache', image: 'docker.io/library/redis:8.2.1', requests: {cpu: '250m', memory: '2Gi'}, limits: {memory: '4Gi'}, pattern: steady(2600 * MI), process: 'redis-server'}]},
	{weight: 5, containers: [{name: 'job', image: 'docker.io/library/python:3.13-slim', pattern: spiky(180 * MI), process: 'python3'}]},
	{weight: 7, containers: [
		{name: 'app', image: 'ghcr.io/acme/catalog:1.4.0', requests: {cpu: '100m', memory: '256Mi'}, limits: {memory: '512Mi'}, pattern: leak(250 * MI), process: 'node'},
		{name: 'envoy', image: 'docker.io/envoyproxy/envoy:v1.35.1', requests: {cpu: '50m', memory: '64Mi'}, limits: {memory: '1e8'}, pattern: steady(41 * MI), process: 'envoy'},
		{name: 'log-shipper', image: 'docker.io/fluent/fluent-bit:4.0.8', requests: {cpu: '10m', memory: '32Mi'}, limits: {memory: '64Mi'}, pattern: steady(21 * MI), process: 'fluent-bit'},
	]},
	{weight: 6, containers: [{name: 'gateway', image: 'ghcr.io/acme/gateway:3.0.7', requests: {cpu: '250m', memory: '300M'}, limits: {memory: '600M'}, pattern: spiky(230 * MI), process: 'gateway'}]},
	{weight: 5, containers: [{name: 'search', image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.2', requests: {cpu: '1', memory: '2Gi'}, limits: {cpu: '1', memory: '2Gi'}, pattern: gc(1500 * MI), process: 'java'}]},
	{weight: 5, containers: [{name: 'ml', image: 'ghcr.io/acme/model:0.9.3', requests: {cpu: '1', memory: '1288490188800m'}, limits: {memory: '1536Mi'}, pattern: leak(1100 * MI), process: 'python3'}]},
	{weight: 4, containers: [
		{name: 'db', image: 'docker.io/library/postgres:17.6', requests: {cpu: '2', memory: '4Gi'}, limits: {cpu: '2', memory: '4Gi'}, pattern: steady(2300 * MI), process: 'postgres'},
		{name: 'exporter', image: 'quay.io/prometheuscommunity/postgres-exporter:v0.17.1', requests: {cpu: '50m', memory: '64Mi'}, limits: {cpu: '50m', memory: '64Mi'}, pattern: steady(22 * MI), process: 'postgres_export'},
	]},
	{weight: 4, containers: [{name: 'frontend', image: 'ghcr.io/acme/frontend:4.12.0', requests: {cpu: '50m', memory: '96Mi'}, limits: {memory: '192Mi'}, pattern: leak(110 * MI), process: 'node'}]},
	{weight: 3, containers: [{name: 'batch', image: 'ghcr.io/acme/etl:7.4.0', requests: {cpu: '500m', memory: '1Gi'}, pattern: spiky(1400 * MI), process: 'java'}]},
	{weight: 3, containers: [{name: 'agent', image: 'ghcr.io/acme/agent:0.4.2', limits: {memory: '300Mi'}, pattern: steady(150 * MI), process: 'agent'}]},
];

/** The DaemonSets on every node: the demo cluster's. */
export const DAEMON_SETS: readonly WorkloadSpec[] = DEMO_CLUSTER.workloads.filter((w) => w.kind === 'DaemonSet');

export const WORDS = ['cart', 'checkout', 'search', 'orders', 'billing', 'ledger', 'auth', 'profile', 'catalog', 'pricing', 'inventory', 'shipping', 'reviews', 'ads', 'media', 'thumbs', 'mailer', 'notify', 'chat', 'feed', 'ranker', 'fraud', 'risk', 'quotes', 'reports', 'etl', 'ingest', 'stream', 'gateway', 'edge', 'graph', 'geo', 'maps', 'ledger', 'wallet', 'tax', 'invoice', 'rewards', 'loyalty', 'promo', 'session', 'tokens', 'vault', 'audit', 'events', 'metrics', 'traces', 'logs', 'backup', 'sync'];
export const ROLES = ['api', 'worker', 'web', 'consumer', 'cron', 'svc', 'backend', 'indexer', 'scheduler', 'proxy'];
export const TEAMS = ['team', 'app', 'svc', 'prod', 'stage', 'dev', 'data', 'ml', 'platform', 'infra'];
export const PRIORITIES: Array<[string, number] | null> = [null, null, null, ['business-critical', 1_000_000], ['batch-low', -100], ['shop-high', 100_000]];
