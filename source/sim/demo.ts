/**
 * The demo cluster: six nodes, the usual namespaces, and workloads chosen so every memory story
 * memtop tells happens in the first two minutes and keeps recurring:
 *
 *  t≈1s    payments/ledger (2nd replica) starts; its init container db-migrate OOMs at t≈12s (once)
 *  t≈13s   payments/fraud-model loads a model bigger than its limit: OOMKilled, CrashLoopBackOff,
 *          again every ~5 min (kubelet back-off)
 *  t=20s   batch/report CronJob runs a Job pod (every 5 min, ~95 s each)
 *  t≈43s   worker-4 runs low: the kernel's global OOM killer kills python3 in default/debug-shell
 *          (SystemOOM + OOMKilling node Events)
 *  t=60s   worker-4 memory.available < 500Mi: MemoryPressure=True, EvictionThresholdMet, the kubelet
 *          evicts batch/etl-worker (lowest priority, far above its request); the replacement stays
 *          Pending (memory-pressure taint) until the pressure clears at t=90s, then grows again:
 *          the cycle repeats every ~4.5 min
 *  t≈75s   shop/cart (slow leak) reaches its 512Mi limit: OOMKilled, restarts; every few minutes
 *  t=100s  shop/search (replica on worker-3) is killed by its liveness probe: exit 137, reason Error
 *          (a SIGKILL that is not an OOM), again every 8 min
 *  t≈22m   shop/sessions (slow leak) reaches its 1Gi limit: OOMKilled, again every ~30 min
 *
 * Memory PSI and page faults (pressure.ts) tell the same stories: the leaking containers stall and
 * refault more and more in the minutes before each OOM kill, worker-4 stalls while it runs out of
 * memory and is under MemoryPressure, and data/postgres shows page cache thrash (hundreds of major
 * faults a second at a low, flat working set, little stall). Everything else hardly stalls.
 */
import type {ClusterSpec, ContainerSpec, WorkloadSpec} from './cluster-spec.js';
import {GI, MI} from './quantity.js';

const SYSTEM_NODE_CRITICAL = {priorityClassName: 'system-node-critical', priority: 2_000_001_000};
const SYSTEM_CLUSTER_CRITICAL = {priorityClassName: 'system-cluster-critical', priority: 2_000_000_000};
const TOLERATE_ALL = [{operator: 'Exists'}];
const DAY = 86_400;

export function istioProxy(): ContainerSpec {
	return {
		name: 'istio-proxy',
		kind: 'sidecar',
		image: 'docker.io/istio/proxyv2:1.27.1',
		requests: {cpu: '50m', memory: '64Mi'},
		limits: {memory: '128Mi'},
		pattern: {kind: 'steady', base: 47 * MI},
		process: 'envoy',
		cpuMilli: 12,
		rssRatio: 0.93,
	};
}

const workloads: WorkloadSpec[] = [
	// ---- kube-system ----
	{
		kind: 'Static',
		namespace: 'kube-system',
		name: 'kube-apiserver',
		template: {
			labels: {component: 'kube-apiserver', tier: 'control-plane'},
			containers: [{name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.35.0', requests: {cpu: '250m'}, pattern: {kind: 'steady', base: 612 * MI}, process: 'kube-apiserver', cpuMilli: 180, rssRatio: 0.97}],
			hostNetwork: true,
			...SYSTEM_NODE_CRITICAL,
		},
		initial: [{node: 'cp-1', createdAgo: 40 * DAY, startedAgo: 9 * DAY}],
	},
	{
		kind: 'Static',
		namespace: 'kube-system',
		name: 'etcd',
		template: {
			labels: {component: 'etcd', tier: 'control-plane'},
			containers: [{name: 'etcd', image: 'registry.k8s.io/etcd:3.6.6-0', requests: {cpu: '100m', memory: '100Mi'}, pattern: {kind: 'steady', base: 141 * MI}, process: 'etcd', cpuMilli: 60, rssRatio: 0.95, cacheRatio: 0.9}],
			hostNetwork: true,
			...SYSTEM_NODE_CRITICAL,
		},
		initial: [{node: 'cp-1', createdAgo: 40 * DAY, startedAgo: 9 * DAY}],
	},
	{
		kind: 'Deployment',
		namespace: 'kube-system',
		name: 'coredns',
		replicas: 2,
		template: {
			labels: {'k8s-app': 'kube-dns'},
			containers: [{name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.13.1', requests: {cpu: '100m', memory: '70Mi'}, limits: {memory: '170Mi'}, pattern: {kind: 'steady', base: 23 * MI}, process: 'coredns', cpuMilli: 4, ports: [{name: 'dns', containerPort: 53, protocol: 'UDP'}]}],
			tolerations: [{key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'}],
			...SYSTEM_CLUSTER_CRITICAL,
		},
		initial: [
			{node: 'cp-1', createdAgo: 40 * DAY, startedAgo: 40 * DAY - 60},
			{node: 'worker-1', createdAgo: 40 * DAY, startedAgo: 40 * DAY - 60, memoryFactor: 1.1},
		],
	},
	{
		kind: 'DaemonSet',
		namespace: 'kube-system',
		name: 'kube-proxy',
		template: {
			labels: {'k8s-app': 'kube-proxy'},
			containers: [{name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.35.0', pattern: {kind: 'steady', base: 19 * MI}, process: 'kube-proxy', cpuMilli: 2}],
			hostNetwork: true,
			tolerations: TOLERATE_ALL,
			serviceAccountName: 'kube-proxy',
			...SYSTEM_NODE_CRITICAL,
		},
	},
	{
		kind: 'Deployment',
		namespace: 'kube-system',
		name: 'metrics-server',
		replicas: 1,
		template: {
			labels: {'k8s-app': 'metrics-server'},
			containers: [{name: 'metrics-server', image: 'registry.k8s.io/metrics-server/metrics-server:v0.8.0', requests: {cpu: '100m', memory: '200Mi'}, pattern: {kind: 'steady', base: 27 * MI}, process: 'metrics-server', cpuMilli: 6}],
			serviceAccountName: 'metrics-server',
			...SYSTEM_CLUSTER_CRITICAL,
		},
		initial: [{node: 'worker-1', createdAgo: 40 * DAY}],
	},
	// ---- monitoring ----
	{
		kind: 'DaemonSet',
		namespace: 'monitoring',
		name: 'node-exporter',
		template: {
			labels: {'app.kubernetes.io/name': 'node-exporter', 'app.kubernetes.io/part-of': 'kube-prometheus'},
			containers: [
				{name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.9.1', requests: {cpu: '102m', memory: '180Mi'}, limits: {cpu: '250m', memory: '180Mi'}, pattern: {kind: 'steady', base: 21 * MI}, process: 'node_exporter', cpuMilli: 9},
				{name: 'kube-rbac-proxy', image: 'quay.io/brancz/kube-rbac-proxy:v0.19.1', requests: {cpu: '10m', memory: '20Mi'}, limits: {cpu: '20m', memory: '40Mi'}, pattern: {kind: 'steady', base: 13 * MI}, process: 'kube-rbac-proxy', cpuMilli: 1},
			],
			tolerations: TOLERATE_ALL,
			hostNetwork: true,
		},
	},
	{
		kind: 'StatefulSet',
		namespace: 'monitoring',
		name: 'prometheus-k8s',
		replicas: 1,
		template: {
			labels: {'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'k8s'},
			containers: [
				{name: 'prometheus', image: 'quay.io/prometheus/prometheus:v3.5.0', requests: {cpu: '500m', memory: '2Gi'}, limits: {memory: '4Gi'}, pattern: {kind: 'sawtooth', low: 2150 * MI, high: 3070 * MI, period: 120}, process: 'prometheus', cpuMilli: 240, rssRatio: 0.9, cacheRatio: 0.7},
				{name: 'config-reloader', image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.85.0', requests: {cpu: '10m', memory: '50Mi'}, limits: {cpu: '10m', memory: '50Mi'}, pattern: {kind: 'steady', base: 15 * MI}, process: 'prometheus-conf', cpuMilli: 1},
			],
			priorityClassName: 'monitoring-critical',
			priority: 500_000,
		},
		initial: [{node: 'worker-3', createdAgo: 12 * DAY, startedAgo: 12 * DAY - 40}],
	},
	{
		kind: 'Deployment',
		namespace: 'monitoring',
		name: 'grafana',
		replicas: 1,
		template: {
			labels: {'app.kubernetes.io/name': 'grafana'},
			// Served by metrics.k8s.io as plain bytes (not a multiple of 1024).
			containers: [{name: 'grafana', image: 'docker.io/grafana/grafana:12.1.0', requests: {cpu: '100m', memory: '134217728'}, limits: {memory: '256Mi'}, pattern: {kind: 'steady', base: 93 * MI}, process: 'grafana', cpuMilli: 8, metricsStyle: 'plain'}],
		},
		initial: [{node: 'worker-2', createdAgo: 6 * DAY}],
	},
	// ---- shop ----
	{
		kind: 'Deployment',
		namespace: 'shop',
		name: 'frontend',
		replicas: 4,
		template: {
			labels: {app: 'frontend', tier: 'web'},
			containers: [{name: 'web', image: 'ghcr.io/acme/shop-frontend:4.12.0', requests: {cpu: '100m', memory: '128Mi'}, limits: {memory: '256Mi'}, pattern: {kind: 'steady', base: 96 * MI, jitter: 0.05}, process: 'node', cpuMilli: 35, ports: [{name: 'http', containerPort: 8080, protocol: 'TCP'}]}],
		},
		initial: [
			{node: 'worker-1', createdAgo: 3 * DAY, memoryFactor: 0.9},
			{node: 'worker-2', createdAgo: 3 * DAY, memoryFactor: 1.04},
			{node: 'worker-4', createdAgo: 3 * DAY, memoryFactor: 0.97},
			{node: 'worker-5', createdAgo: 3 * DAY, memoryFactor: 1.58},
		],
		memoryFactors: [1.0, 1.12],
	},
	{
		kind: 'Deployment',
		namespace: 'shop',
		name: 'api',
		replicas: 3,
		template: {
			labels: {app: 'api', tier: 'backend'},
			containers: [
				istioProxy(),
				{name: 'api', image: 'ghcr.io/acme/shop-api:2.31.4', requests: {cpu: '500m', memory: '512Mi'}, limits: {memory: '1Gi'}, pattern: {kind: 'sawtooth', low: 560 * MI, high: 890 * MI, period: 45}, process: 'java', cpuMilli: 320, rssRatio: 0.96, cacheRatio: 0.03},
			],
			priorityClassName: 'shop-high',
			priority: 100_000,
		},
		initial: [
			{node: 'worker-1', createdAgo: 2 * DAY},
			{node: 'worker-2', createdAgo: 2 * DAY, memoryFactor: 1.06},
			{node: 'worker-3', createdAgo: 2 * DAY, memoryFactor: 0.95},
		],
	},
	{
		kind: 'Deployment',
		namespace: 'shop',
		name: 'cart',
		replicas: 1,
		template: {
			labels: {app: 'cart', tier: 'backend'},
			containers: [{name: 'cart', image: 'ghcr.io/acme/shop-cart:1.8.2', requests: {cpu: '200m', memory: '256Mi'}, limits: {memory: '512Mi'}, pattern: {kind: 'leak', base: 190 * MI, rate: 2 * MI}, process: 'node', cpuMilli: 60, rssRatio: 0.94}],
		},
		initial: [{node: 'worker-2', createdAgo: 5 * DAY, startedAgo: 86, restarts: 2, last: {reason: 'OOMKilled', exitCode: 137, endedAgo: 96, ranFor: 161}}],
	},
	{
		kind: 'Deployment',
		namespace: 'shop',
		name: 'search',
		replicas: 2,
		template: {
			labels: {app: 'search', tier: 'backend'},
			containers: [{name: 'search', image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.2', requests: {cpu: '500m', memory: '1Gi'}, limits: {memory: '2Gi'}, pattern: {kind: 'spiky', base: 1130 * MI, spike: 560 * MI, every: 90, duration: 20}, probe: {path: '/_cluster/health', port: 9200}, process: 'java', cpuMilli: 210, rssRatio: 0.88, cacheRatio: 0.4}],
		},
		initial: [
			{node: 'worker-3', createdAgo: 9 * DAY, livenessKill: {first: 100, every: 480}},
			{node: 'worker-5', createdAgo: 9 * DAY, memoryFactor: 0.92},
		],
	},
	// ---- payments ----
	{
		kind: 'Deployment',
		namespace: 'payments',
		name: 'ledger',
		replicas: 2,
		template: {
			labels: {app: 'ledger'},
			containers: [
				{
					name: 'db-migrate',
					kind: 'init',
					image: 'ghcr.io/acme/ledger-migrate:5.2.0',
					requests: {cpu: '200m', memory: '128Mi'},
					limits: {cpu: '200m', memory: '128Mi'},
					pattern: {kind: 'steady', base: 61 * MI},
					// The first run loads the whole changelog into memory and hits the limit.
					firstPattern: {kind: 'leak', base: 40 * MI, rate: 8 * MI},
					process: 'flyway',
					runSeconds: 14,
					cpuMilli: 150,
				},
				{name: 'ledger', image: 'ghcr.io/acme/ledger:5.2.0', requests: {cpu: '500m', memory: '768Mi'}, limits: {cpu: '500m', memory: '768Mi'}, pattern: {kind: 'steady', base: 538 * MI}, process: 'java', cpuMilli: 140, rssRatio: 0.95},
			],
			priorityClassName: 'business-critical',
			priority: 1_000_000,
		},
		initial: [
			{node: 'worker-1', createdAgo: 4 * DAY},
			{node: 'worker-5', createdAgo: 2, starting: true},
		],
	},
	{
		kind: 'Deployment',
		namespace: 'payments',
		name: 'gateway',
		replicas: 2,
		template: {
			labels: {app: 'gateway'},
			containers: [
				// Decimal quantities, served by metrics.k8s.io in decimal form too.
				{name: 'gateway', image: 'ghcr.io/acme/payments-gateway:3.0.7', requests: {cpu: '250m', memory: '300M'}, limits: {memory: '600M'}, pattern: {kind: 'steady', base: 212_000_000}, process: 'gateway', cpuMilli: 70, metricsStyle: 'decimal'},
				{name: 'envoy', image: 'docker.io/envoyproxy/envoy:v1.35.1', requests: {cpu: '100m', memory: '64Mi'}, limits: {memory: '1e8'}, pattern: {kind: 'steady', base: 41_000_000}, process: 'envoy', cpuMilli: 25, metricsStyle: 'exponent'},
			],
			priorityClassName: 'business-critical',
			priority: 1_000_000,
		},
		initial: [
			{node: 'worker-2', createdAgo: 8 * DAY},
			{node: 'worker-3', createdAgo: 8 * DAY, memoryFactor: 1.07},
		],
	},
	{
		kind: 'Deployment',
		namespace: 'payments',
		name: 'fraud-model',
		replicas: 1,
		template: {
			labels: {app: 'fraud-model'},
			annotations: {'vpa.acme.io/updated': 'true'},
			containers: [
				// A VPA-written request in milli-bytes; the model it loads is bigger than the limit.
				{name: 'model', image: 'ghcr.io/acme/fraud-model:0.9.3', requests: {cpu: '1', memory: '1288490188800m'}, limits: {memory: '1536Mi'}, pattern: {kind: 'ramp', base: 300 * MI, peak: 2048 * MI, seconds: 20}, process: 'python3', cpuMilli: 900, rssRatio: 0.97},
			],
			runtimeClassName: 'kata-qemu',
			overhead: {cpu: '250m', memory: '160Mi'},
		},
		initial: [{node: 'worker-3', createdAgo: 1 * DAY, startedAgo: 1, restarts: 7, last: {reason: 'OOMKilled', exitCode: 137, endedAgo: 161, ranFor: 14}}],
	},
	// ---- data ----
	{
		kind: 'StatefulSet',
		namespace: 'data',
		name: 'postgres',
		replicas: 2,
		template: {
			labels: {app: 'postgres', 'app.kubernetes.io/component': 'database'},
			containers: [
				// Shared buffers and the file cache fill the cgroup to near its limit while the working set
				// stays low and flat: the kernel keeps evicting cached pages that postgres reads again,
				// hundreds of major faults a second with little stall (page cache thrash, not a leak).
				{name: 'postgres', image: 'docker.io/library/postgres:17.6', requests: {cpu: '1', memory: '2Gi'}, limits: {cpu: '1', memory: '2Gi'}, pattern: {kind: 'steady', base: 1000 * MI, jitter: 0.02}, process: 'postgres', cpuMilli: 180, rssRatio: 0.34, cacheRatio: 0.95, refaults: 320},
				{name: 'exporter', image: 'quay.io/prometheuscommunity/postgres-exporter:v0.17.1', requests: {cpu: '50m', memory: '64Mi'}, limits: {cpu: '50m', memory: '64Mi'}, pattern: {kind: 'steady', base: 22 * MI}, process: 'postgres_export', cpuMilli: 3},
			],
			nodeSelector: {disktype: 'ssd'},
			priorityClassName: 'business-critical',
			priority: 1_000_000,
		},
		initial: [
			{node: 'worker-3', createdAgo: 30 * DAY, startedAgo: 30 * DAY - 30},
			{node: 'worker-5', createdAgo: 30 * DAY, startedAgo: 11 * DAY, memoryFactor: 0.86},
		],
	},
	{
		kind: 'Deployment',
		namespace: 'data',
		name: 'redis-cache',
		replicas: 1,
		template: {
			labels: {app: 'redis-cache'},
			// A request and no limit: Burstable, unbounded up to the node.
			containers: [{name: 'redis', image: 'docker.io/library/redis:8.2.1', requests: {cpu: '100m', memory: '256Mi'}, pattern: {kind: 'steady', base: 421 * MI, jitter: 0.01}, process: 'redis-server', cpuMilli: 30, rssRatio: 0.98, swapBytes: 48 * MI}],
		},
		initial: [{node: 'worker-5', createdAgo: 20 * DAY}],
	},
	// ---- batch ----
	{
		kind: 'Deployment',
		namespace: 'batch',
		name: 'etl-worker',
		replicas: 1,
		template: {
			labels: {app: 'etl-worker'},
			containers: [{name: 'etl', image: 'ghcr.io/acme/etl:7.4.0', requests: {cpu: '500m', memory: '1Gi'}, pattern: {kind: 'grow', base: 900 * MI, rate: 24 * MI}, process: 'java', cpuMilli: 450, rssRatio: 0.91, cacheRatio: 0.12}],
			nodeSelector: {'memtop.dev/pool': 'batch'},
			priorityClassName: 'batch-low',
			priority: -100,
		},
		initial: [{node: 'worker-4', createdAgo: 700, startedAgo: 174}],
	},
	{
		kind: 'CronJob',
		namespace: 'batch',
		name: 'report',
		template: {
			labels: {app: 'report'},
			containers: [{name: 'report', image: 'ghcr.io/acme/report:2025.9', requests: {cpu: '250m', memory: '512Mi'}, limits: {memory: '1Gi'}, pattern: {kind: 'ramp', base: 80 * MI, peak: 700 * MI, seconds: 60}, process: 'python3', cpuMilli: 600, runSeconds: 95}],
			restartPolicy: 'OnFailure',
		},
		cron: {firstAt: 20, every: 300, keep: 3},
	},
	// ---- default ----
	{
		kind: 'Bare',
		namespace: 'default',
		name: 'debug-shell',
		template: {
			labels: {run: 'debug-shell'},
			// No requests or limits: BestEffort, the kernel's first choice in a system OOM.
			containers: [{name: 'shell', image: 'docker.io/library/python:3.13-slim', pattern: {kind: 'steady', base: 46 * MI}, process: 'python3', cpuMilli: 1}],
		},
		initial: [{node: 'worker-4', createdAgo: 2 * 3600}],
	},
	// ---- a slow leak: the time-to-OOM forecast counts down for ~20 minutes ----
	{
		kind: 'Deployment',
		namespace: 'shop',
		name: 'sessions',
		replicas: 1,
		template: {
			labels: {app: 'sessions', tier: 'backend'},
			containers: [{name: 'sessions', image: 'ghcr.io/acme/shop-sessions:0.9.4', requests: {cpu: '100m', memory: '384Mi'}, limits: {memory: '1Gi'}, pattern: {kind: 'leak', base: 300 * MI, rate: 0.4 * MI}, process: 'node', cpuMilli: 40, rssRatio: 0.9}],
		},
		initial: [{node: 'worker-1', createdAgo: 3 * DAY, startedAgo: 500}],
	},
];

export const DEMO_CLUSTER: ClusterSpec = {
	name: 'demo',
	namespaces: ['batch', 'data', 'default', 'kube-node-lease', 'kube-public', 'kube-system', 'monitoring', 'payments', 'shop'],
	nodes: [
		{name: 'cp-1', capacityKi: 8_148_524, reservedBytes: 0, evictionHard: '100Mi', pressureTransition: 300, cpu: 2, controlPlane: true, systemBytes: 690 * MI, cacheBytes: 1300 * MI, createdAgo: 40 * DAY + 600, zone: 'eu-west-1a', instanceType: 'm6i.large'},
		{name: 'worker-1', capacityKi: 16_393_220, reservedBytes: GI, evictionHard: '100Mi', pressureTransition: 300, cpu: 4, systemBytes: 780 * MI, cacheBytes: 2600 * MI, createdAgo: 40 * DAY, zone: 'eu-west-1a', instanceType: 'm6i.xlarge'},
		{name: 'worker-2', capacityKi: 16_393_220, reservedBytes: GI, evictionHard: '100Mi', pressureTransition: 300, cpu: 4, systemBytes: 760 * MI, cacheBytes: 2100 * MI, createdAgo: 40 * DAY, zone: 'eu-west-1b', instanceType: 'm6i.xlarge'},
		{name: 'worker-3', capacityKi: 32_888_348, reservedBytes: 2 * GI, evictionHard: '200Mi', pressureTransition: 300, cpu: 8, labels: {disktype: 'ssd'}, systemBytes: 910 * MI, cacheBytes: 6200 * MI, createdAgo: 31 * DAY, zone: 'eu-west-1c', instanceType: 'r6i.xlarge'},
		{name: 'worker-4', capacityKi: 8_131_372, reservedBytes: 512 * MI, evictionHard: '500Mi', pressureTransition: 30, cpu: 2, labels: {'memtop.dev/pool': 'batch'}, systemBytes: 850 * MI, cacheBytes: 300 * MI, createdAgo: 15 * DAY, zone: 'eu-west-1a', instanceType: 't3.large'},
		{name: 'worker-5', capacityKi: 32_888_348, reservedBytes: 2 * GI, evictionHard: '100Mi', pressureTransition: 300, cpu: 8, labels: {disktype: 'ssd'}, systemBytes: 880 * MI, cacheBytes: 5400 * MI, createdAgo: 31 * DAY, zone: 'eu-west-1b', instanceType: 'r6i.xlarge', swapBytes: 4 * GI},
	],
	workloads,
	systemOom: {node: 'worker-4', below: 800 * MI, victim: {namespace: 'default', pod: 'debug-shell', container: 'shell'}},
};

export const EMPTY_CLUSTER: ClusterSpec = {
	name: 'empty',
	namespaces: ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
	nodes: [],
	workloads: [],
};
