/**
 * The scale scenario: N pods on M nodes (150,000 / 5,000 and beyond) with realistic variety,
 * held compactly. Static facts live in typed arrays and a few shared tables (workloads,
 * container profiles); each pod version is a small struct; JSON is built as strings on demand,
 * per page, from precomputed fragments. Memory changes every metrics sample (a function of the
 * seed, the pod, the container and the time); a few containers are OOM-killed every tick and
 * node heartbeats trickle in, so watches see realistic traffic.
 */
import {JsonObj, type ObjectStore, type SimObj} from './objects.js';
import {hashString, hexFrom, mix, Rng, suffixFrom, unit, uuidFrom} from './prng.js';
import {binarySI, metricsWindow, metricsWindowMs, nanoCores, parseBytes, rfc3339} from './quantity.js';
import {namespaceObject} from './resources.js';
import type {Incident, MetricsQuery, MetricsSnapshot, Scenario, ScenarioContext} from './scenario.js';

const KI = 1024;
const MI = 1024 * KI;
const GI = 1024 * MI;

interface ContainerProfile {
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

const PROFILES: PodProfile[] = [
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

const DS_PROFILES: Array<{name: string; namespace: string; containers: ContainerProfile[]; priority: [string, number]}> = [
	{name: 'kube-proxy', namespace: 'kube-system', containers: [{name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.35.0', base: 19 * MI, pattern: 0}], priority: ['system-node-critical', 2_000_001_000]},
	{name: 'node-exporter', namespace: 'monitoring', containers: [
		{name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.9.1', memRequest: '180Mi', memLimit: '180Mi', cpuRequest: '102m', cpuLimit: '250m', base: 21 * MI, pattern: 0},
		{name: 'kube-rbac-proxy', image: 'quay.io/brancz/kube-rbac-proxy:v0.19.1', memRequest: '20Mi', memLimit: '40Mi', cpuRequest: '10m', cpuLimit: '20m', base: 13 * MI, pattern: 0},
	], priority: ['system-node-critical', 2_000_001_000]},
];

const WORDS = ['cart', 'checkout', 'search', 'orders', 'billing', 'ledger', 'auth', 'profile', 'catalog', 'pricing', 'inventory', 'shipping', 'reviews', 'ads', 'media', 'thumbs', 'mailer', 'notify', 'chat', 'feed', 'ranker', 'fraud', 'risk', 'quotes', 'reports', 'etl', 'ingest', 'stream', 'gateway', 'edge', 'graph', 'geo', 'maps', 'ledger', 'wallet', 'tax', 'invoice', 'rewards', 'loyalty', 'promo', 'session', 'tokens', 'vault', 'audit', 'events', 'metrics', 'traces', 'logs', 'backup', 'sync'];
const ROLES = ['api', 'worker', 'web', 'consumer', 'cron', 'svc', 'backend', 'indexer', 'scheduler', 'proxy'];
const TEAMS = ['team', 'app', 'svc', 'prod', 'stage', 'dev', 'data', 'ml', 'platform', 'infra'];
const PRIORITIES: Array<[string, number] | null> = [null, null, null, ['business-critical', 1_000_000], ['batch-low', -100], ['shop-high', 100_000]];

type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'Bare';

interface Workload {
	kind: WorkloadKind;
	ns: number;
	name: string;
	uid: string;
	hash: string;
	profile: number; // index into PROFILES (or DS_PROFILES for DaemonSets)
	priority: [string, number] | null;
	labelsJson: string;
	ownersJson: string; // `,"ownerReferences":[...]` or ''
	generateName: string | null;
	/** spec JSON up to (not including) nodeName, and the rest */
	specHead: string;
	specTail: string;
	qos: string;
	containers: ContainerProfile[];
	/** per container: `"allocatedResources":..,"resources":..` fragment and image id */
	statusTail: string[];
	imageIds: string[];
	limits: Array<number | null>;
}

function requestsOf(c: ContainerProfile): Record<string, string> {
	const out: Record<string, string> = {};
	const cpu = c.cpuRequest ?? c.cpuLimit;
	const memory = c.memRequest ?? c.memLimit;
	if (cpu !== undefined) {
		out['cpu'] = cpu;
	}

	if (memory !== undefined) {
		out['memory'] = memory;
	}

	return out;
}

function limitsOf(c: ContainerProfile): Record<string, string> {
	const out: Record<string, string> = {};
	if (c.cpuLimit !== undefined) {
		out['cpu'] = c.cpuLimit;
	}

	if (c.memLimit !== undefined) {
		out['memory'] = c.memLimit;
	}

	return out;
}

function resourcesJson(c: ContainerProfile): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const limits = limitsOf(c);
	const requests = requestsOf(c);
	if (Object.keys(limits).length > 0) {
		out['limits'] = limits;
	}

	if (Object.keys(requests).length > 0) {
		out['requests'] = requests;
	}

	return out;
}

function qosOf(containers: ContainerProfile[]): string {
	let any = false;
	let guaranteed = true;
	for (const c of containers) {
		if (c.memRequest || c.memLimit || c.cpuRequest || c.cpuLimit) {
			any = true;
		}

		const requests = requestsOf(c);
		if (!c.memLimit || !c.cpuLimit || requests['memory'] !== c.memLimit || requests['cpu'] !== c.cpuLimit) {
			guaranteed = false;
		}
	}

	return any ? (guaranteed ? 'Guaranteed' : 'Burstable') : 'BestEffort';
}

/** One version of a pod: its index plus the fields that change. */
class ScalePod implements SimObj {
	constructor(
		private readonly model: ScaleScenario,
		readonly i: number,
		readonly restarts: number,
		/** container that last terminated */
		readonly termContainer: number,
		readonly termAt: number,
		/** 0 none, 1 OOMKilled, 2 Error */
		readonly termReason: number,
		readonly termStarted: number,
		readonly startedAt: number,
	) {}

	get namespace(): string {
		return this.model.podNamespace(this.i);
	}

	get name(): string {
		return this.model.podNames[this.i] ?? '';
	}

	labels(): Readonly<Record<string, string>> | undefined {
		return this.model.podLabels(this.i);
	}

	field(path: string): string | undefined {
		return this.model.podField(this.i, path);
	}

	json(rv: number): string {
		return this.model.podJson(this, rv);
	}
}

export class ScaleScenario implements Scenario {
	readonly name = 'scale';
	readonly incidents: Incident[] = [];
	sampleSeq = 0;
	private store!: ObjectStore;
	private seed = 1;
	private epoch = 0;
	private tickMs = 15_000;
	private resolution = 15_000;
	private now = 0;
	private rng!: Rng;
	readonly podNames: string[] = [];
	private namespaces: string[] = [];
	private workloads: Workload[] = [];
	private podWl!: Int32Array;
	private podNode!: Int32Array;
	private podCreated!: Float64Array;
	private podBaseFactor!: Float32Array;
	private current: ScalePod[] = [];
	private nodeNames: string[] = [];
	private nodeIps: string[] = [];
	private nodeCapacity!: Float64Array;
	private nodeThreshold: string[] = [];
	private nodeStart!: Int32Array;
	private nodePods!: Int32Array;
	private nodeObjects: Array<Record<string, unknown> & {metadata: Record<string, unknown>}> = [];
	private nodeHeartbeatSlot!: Int32Array;
	/** working set per pod container (3 slots per pod) at the current sample */
	private ws!: Float64Array;
	private nodeWs!: Float64Array;
	private sampleTime = 0;
	private labelsCache: Array<Record<string, string>> = [];
	private eventSeq = 0;
	private eventNames: Array<{namespace: string; name: string; at: number}> = [];

	constructor(
		readonly podCount: number,
		readonly nodeCount: number,
	) {}

	// ---- set-up -------------------------------------------------------------------------------

	init(context: ScenarioContext): void {
		this.store = context.store;
		this.seed = context.seed;
		this.epoch = context.epoch;
		this.now = context.epoch;
		this.tickMs = context.tickMs;
		this.resolution = context.metricsResolutionMs;
		this.rng = new Rng(context.seed);
		const rng = this.rng;
		const pods = Math.max(0, Math.floor(this.podCount));
		const nodes = Math.max(1, Math.floor(this.nodeCount));

		// Namespaces.
		const nsTarget = Math.min(200, Math.max(4, Math.ceil(pods / 750)));
		const nsSet = new Set<string>(['kube-system', 'monitoring', 'default']);
		while (nsSet.size < nsTarget + 3) {
			nsSet.add(`${rng.pick(WORDS)}-${rng.pick(TEAMS)}`);
		}

		this.namespaces = [...nsSet].sort();
		this.store.load('namespaces', this.namespaces.concat(['kube-node-lease', 'kube-public']).sort().map((ns) => new JsonObj(namespaceObject(ns, uuidFrom(this.seed, hashString(ns)), rfc3339(this.epoch - 90 * 86_400_000)))));

		// Nodes.
		this.nodeCapacity = new Float64Array(nodes);
		this.nodeHeartbeatSlot = new Int32Array(nodes);
		const seenIps = new Set<string>();
		for (let n = 0; n < nodes; n++) {
			let ip = '';
			do {
				ip = `10.${rng.range(0, 63)}.${rng.range(0, 255)}.${rng.range(1, 254)}`;
			} while (seenIps.has(ip));

			seenIps.add(ip);
			this.nodeIps.push(ip);
			this.nodeNames.push(`ip-${ip.replaceAll('.', '-')}.ec2.internal`);
			const gib = rng.pick([16, 32, 32, 64, 64, 128]);
			this.nodeCapacity[n] = gib * GI - rng.range(200, 400) * MI;
			this.nodeThreshold.push(rng.next() < 0.05 ? '500Mi' : rng.next() < 0.1 ? '200Mi' : '100Mi');
			this.nodeHeartbeatSlot[n] = rng.int(300_000);
		}

		// Workloads and pods.
		const ds = pods >= nodes * 4 ? 2 : pods >= nodes * 2 ? 1 : 0;
		const total = pods;
		this.podWl = new Int32Array(total);
		this.podNode = new Int32Array(total);
		this.podCreated = new Float64Array(total);
		this.podBaseFactor = new Float32Array(total);
		const ordinals: number[] = [];
		let i = 0;
		for (let d = 0; d < ds; d++) {
			const profile = DS_PROFILES[d];
			if (!profile) {
				continue;
			}

			const w = this.addWorkload('DaemonSet', this.namespaces.indexOf(profile.namespace), profile.name, d, profile.containers, profile.priority);
			for (let n = 0; n < nodes && i < total; n++, i++) {
				this.placePod(i, w, n, n);
				ordinals.push(n);
			}
		}

		const free = new Float64Array(nodes);
		for (let n = 0; n < nodes; n++) {
			free[n] = (this.nodeCapacity[n] ?? 0) * 0.85 - 1.2 * GI;
		}

		const weights = PROFILES.reduce((s, p) => s + p.weight, 0);
		const userNamespaces = this.namespaces.filter((x) => x !== 'kube-system' && x !== 'monitoring' && x !== 'default');
		const names = new Set<string>();
		while (i < total) {
			const roll = rng.next();
			const kind: WorkloadKind = roll < 0.8 ? 'Deployment' : roll < 0.9 ? 'StatefulSet' : roll < 0.96 ? 'Job' : 'Bare';
			let replicas = kind === 'Deployment' ? 1 + Math.floor(-Math.log(1 - rng.next()) * 6) : kind === 'StatefulSet' ? rng.range(1, 5) : 1;
			replicas = Math.min(replicas, 80, total - i);
			let pick = rng.next() * weights;
			let profile = 0;
			for (let p = 0; p < PROFILES.length; p++) {
				pick -= PROFILES[p]?.weight ?? 0;
				if (pick < 0) {
					profile = p;
					break;
				}
			}

			const ns = this.namespaces.indexOf(userNamespaces[rng.int(userNamespaces.length)] ?? 'default');
			let name = `${rng.pick(WORDS)}-${rng.pick(ROLES)}`;
			while (names.has(`${ns}/${name}`)) {
				name = `${name}-${rng.suffix(3)}`;
			}

			names.add(`${ns}/${name}`);
			const containers = PROFILES[profile]?.containers ?? [];
			const w = this.addWorkload(kind, ns, name, profile, containers, rng.pick(PRIORITIES));
			for (let r = 0; r < replicas; r++, i++) {
				// The scheduler's spread, cheaply: the emptier of two random nodes.
				const a = rng.int(nodes);
				const b = rng.int(nodes);
				const node = (free[a] ?? 0) >= (free[b] ?? 0) ? a : b;
				const demand = containers.reduce((sum, c) => sum + c.base, 0) * (0.6 + unit(this.seed, i, 27) * 0.8) * 1.4;
				free[node] = (free[node] ?? 0) - demand;
				this.placePod(i, w, node, r);
				ordinals.push(r);
			}
		}

		// Node → pods index (CSR).
		this.nodeStart = new Int32Array(nodes + 1);
		for (let p = 0; p < total; p++) {
			this.nodeStart[(this.podNode[p] ?? 0) + 1]!++;
		}

		for (let n = 0; n < nodes; n++) {
			this.nodeStart[n + 1]! += this.nodeStart[n]!;
		}

		this.nodePods = new Int32Array(total);
		const fill = this.nodeStart.slice(0, nodes);
		for (let p = 0; p < total; p++) {
			const n = this.podNode[p] ?? 0;
			this.nodePods[fill[n]!++] = p;
		}

		// Pod names (unique: generated suffixes can collide in big ReplicaSets) and initial versions.
		const taken = new Set<string>();
		for (let p = 0; p < total; p++) {
			const w = this.workloads[this.podWl[p] ?? 0];
			if (!w) {
				continue;
			}

			const ordinal = ordinals[p] ?? 0;
			let name: string;
			switch (w.kind) {
				case 'StatefulSet': {
					name = `${w.name}-${ordinal}`;
					break;
				}

				case 'Bare': {
					name = w.name;
					break;
				}

				default: {
					let attempt = 0;
					do {
						name = `${w.generateName ?? ''}${suffixFrom(5, this.seed, p, 17, attempt++)}`;
					} while (taken.has(name));
				}
			}

			taken.add(name);

			this.podNames.push(name);
			const created = this.podCreated[p] ?? this.epoch;
			let restarts = 0;
			let termAt = 0;
			let termReason = 0;
			let termStarted = 0;
			let startedAt = created + 4000;
			const r = unit(this.seed, p, 23);
			if (r < 0.06 && w.kind !== 'Job') {
				restarts = 1 + Math.floor(unit(this.seed, p, 24) * 12);
				termReason = unit(this.seed, p, 25) < 0.7 ? 1 : 2;
				startedAt = this.epoch - Math.floor(unit(this.seed, p, 26) * 3_600_000);
				termAt = startedAt - 10_000;
				termStarted = termAt - 600_000;
			}

			this.current.push(new ScalePod(this, p, restarts, 0, termAt, termReason, termStarted, startedAt));
			this.podBaseFactor[p] = 0.6 + unit(this.seed, p, 27) * 0.8; // as assumed when placing
		}

		this.ws = new Float64Array(total * 3);
		this.nodeWs = new Float64Array(nodes);
		for (let n = 0; n < nodes; n++) {
			this.nodeObjects.push(this.nodeJson(n, this.epoch - ((this.nodeHeartbeatSlot[n] ?? 0) % 60_000)));
		}

		this.store.load('nodes', this.nodeObjects.map((o) => new JsonObj(o)));
		this.store.load('pods', this.current);
		this.sample(this.now);
	}

	private addWorkload(kind: WorkloadKind, ns: number, name: string, profile: number, containers: ContainerProfile[], priority: [string, number] | null): number {
		const index = this.workloads.length;
		const uid = uuidFrom(this.seed, index, 31);
		const hash = suffixFrom(10, this.seed, index, 32);
		const namespace = this.namespaces[ns] ?? 'default';
		const labels: Record<string, string> = {app: name};
		let owner = '';
		let generateName: string | null = `${name}-`;
		switch (kind) {
			case 'Deployment': {
				labels['pod-template-hash'] = hash;
				generateName = `${name}-${hash}-`;
				owner = JSON.stringify([{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-${hash}`, uid, controller: true, blockOwnerDeletion: true}]);
				break;
			}

			case 'StatefulSet': {
				labels['controller-revision-hash'] = `${name}-${hash}`;
				owner = JSON.stringify([{apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid, controller: true, blockOwnerDeletion: true}]);
				break;
			}

			case 'DaemonSet': {
				labels['controller-revision-hash'] = hash;
				labels['pod-template-generation'] = '1';
				owner = JSON.stringify([{apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid, controller: true, blockOwnerDeletion: true}]);
				break;
			}

			case 'Job': {
				const job = `${name}-${29_000_000 + (mix(this.seed, index) % 900_000)}`;
				labels['batch.kubernetes.io/job-name'] = job;
				labels['job-name'] = job;
				generateName = `${job}-`;
				owner = JSON.stringify([{apiVersion: 'batch/v1', kind: 'Job', name: job, uid, controller: true, blockOwnerDeletion: true}]);
				break;
			}

			case 'Bare': {
				generateName = null;
				break;
			}
		}

		const spec: Record<string, unknown> = {
			volumes: [{name: 'kube-api-access', projected: {sources: [{serviceAccountToken: {expirationSeconds: 3607, path: 'token'}}, {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}}], defaultMode: 420}}],
		};
		const sidecars = containers.filter((c) => c.sidecar);
		const apps = containers.filter((c) => !c.sidecar);
		const containerJson = (c: ContainerProfile): Record<string, unknown> => ({
			name: c.name,
			image: c.image,
			resources: resourcesJson(c),
			...(c.sidecar ? {restartPolicy: 'Always'} : {}),
			volumeMounts: [{name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount'}],
			terminationMessagePath: '/dev/termination-log',
			terminationMessagePolicy: 'File',
			imagePullPolicy: 'IfNotPresent',
		});
		if (sidecars.length > 0) {
			spec['initContainers'] = sidecars.map(containerJson);
		}

		spec['containers'] = apps.map(containerJson);
		spec['restartPolicy'] = kind === 'Job' ? 'OnFailure' : 'Always';
		spec['terminationGracePeriodSeconds'] = 30;
		spec['dnsPolicy'] = 'ClusterFirst';
		spec['serviceAccountName'] = 'default';
		spec['serviceAccount'] = 'default';
		const head = JSON.stringify(spec).slice(0, -1);
		const tail: Record<string, unknown> = {securityContext: {}, schedulerName: 'default-scheduler'};
		tail['tolerations'] = kind === 'DaemonSet'
			? [{operator: 'Exists'}]
			: [
				{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
				{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
			];
		if (priority) {
			tail['priorityClassName'] = priority[0];
		}

		tail['priority'] = priority?.[1] ?? 0;
		tail['enableServiceLinks'] = true;
		tail['preemptionPolicy'] = 'PreemptLowerPriority';
		// Container order in status follows the spec: sidecars (init) first, then apps.
		const ordered = [...sidecars, ...apps];
		this.workloads.push({
			kind,
			ns,
			name,
			uid,
			hash,
			profile,
			priority,
			labelsJson: JSON.stringify(labels),
			ownersJson: owner === '' ? '' : `,"ownerReferences":${owner}`,
			generateName,
			specHead: `${head},"nodeName":"`,
			specTail: `",${JSON.stringify(tail).slice(1)}`,
			qos: qosOf(containers),
			containers: ordered,
			statusTail: ordered.map((c) => {
				const requests = requestsOf(c);
				const alloc = Object.keys(requests).length > 0 ? `,"allocatedResources":${JSON.stringify(requests)}` : '';
				return `${alloc},"resources":${JSON.stringify(resourcesJson(c))}}`;
			}),
			imageIds: ordered.map((c) => `${c.image.replace(/:[^:/]+$/, '')}@sha256:${hexFrom(64, hashString(c.image))}`),
			limits: ordered.map((c) => (c.memLimit === undefined ? null : parseBytes(c.memLimit))),
		});
		this.labelsCache.push(labels);
		void namespace;
		return index;
	}

	private placePod(i: number, workload: number, node: number, ordinal: number): void {
		this.podWl[i] = workload;
		this.podNode[i] = node;
		const w = this.workloads[workload];
		const age = w?.kind === 'DaemonSet' ? 40 * 86_400 : w?.kind === 'Job' ? 60 + (mix(this.seed, i, 3) % 3000) : 3600 + (mix(this.seed, i, 4) % (30 * 86_400));
		this.podCreated[i] = this.epoch - age * 1000 - ordinal * 1000;
	}

	// ---- pod fields ---------------------------------------------------------------------------

	podNamespace(i: number): string {
		return this.namespaces[this.workloads[this.podWl[i] ?? 0]?.ns ?? 0] ?? 'default';
	}

	podLabels(i: number): Record<string, string> {
		return this.labelsCache[this.podWl[i] ?? 0] ?? {};
	}

	podField(i: number, path: string): string | undefined {
		switch (path) {
			case 'metadata.name': {
				return this.podNames[i] ?? '';
			}

			case 'metadata.namespace': {
				return this.podNamespace(i);
			}

			case 'spec.nodeName': {
				return this.nodeNames[this.podNode[i] ?? 0] ?? '';
			}

			case 'status.phase': {
				return 'Running';
			}

			case 'spec.restartPolicy': {
				return this.workloads[this.podWl[i] ?? 0]?.kind === 'Job' ? 'OnFailure' : 'Always';
			}

			case 'spec.schedulerName': {
				return 'default-scheduler';
			}

			case 'spec.serviceAccountName': {
				return 'default';
			}

			case 'spec.hostNetwork': {
				return 'false';
			}

			case 'status.podIP': {
				return this.podIp(i);
			}

			default: {
				return '';
			}
		}
	}

	private podIp(i: number): string {
		return `100.${64 + ((i >>> 16) & 63)}.${(i >>> 8) & 255}.${i & 255}`;
	}

	podJson(pod: ScalePod, rv: number): string {
		const i = pod.i;
		const w = this.workloads[this.podWl[i] ?? 0];
		if (!w) {
			return '{}';
		}

		const node = this.podNode[i] ?? 0;
		const created = this.podCreated[i] ?? 0;
		const createdText = rfc3339(created);
		const ready = rfc3339(Math.max(pod.startedAt, created) + 2000);
		const hostIp = this.nodeIps[node] ?? '';
		const podIp = this.podIp(i);
		const name = this.podNames[i] ?? '';
		const namespace = this.namespaces[w.ns] ?? '';
		let out = `{"kind":"Pod","apiVersion":"v1","metadata":{"name":"${name}"`;
		if (w.generateName !== null) {
			out += `,"generateName":"${w.generateName}"`;
		}

		out += `,"namespace":"${namespace}","uid":"${uuidFrom(this.seed, i, 77)}","resourceVersion":"${rv}","generation":1,"creationTimestamp":"${createdText}","labels":${w.labelsJson}${w.ownersJson}},"spec":${w.specHead}${this.nodeNames[node] ?? ''}${w.specTail}`;
		out += `,"status":{"observedGeneration":1,"phase":"Running","conditions":[`
			+ `{"type":"PodReadyToStartContainers","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${createdText}"},`
			+ `{"type":"Initialized","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${createdText}"},`
			+ `{"type":"Ready","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${ready}"},`
			+ `{"type":"ContainersReady","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${ready}"},`
			+ `{"type":"PodScheduled","observedGeneration":1,"status":"True","lastProbeTime":null,"lastTransitionTime":"${createdText}"}]`
			+ `,"hostIP":"${hostIp}","hostIPs":[{"ip":"${hostIp}"}],"podIP":"${podIp}","podIPs":[{"ip":"${podIp}"}],"startTime":"${createdText}"`;
		const statuses = (from: number, to: number): string => {
			let text = '';
			for (let c = from; c < to; c++) {
				const profile = w.containers[c];
				if (!profile) {
					continue;
				}

				const mine = c === pod.termContainer;
				const started = mine ? pod.startedAt : created + 4000;
				const restarts = mine ? pod.restarts : 0;
				const last = mine && pod.termReason !== 0
					? `{"terminated":{"exitCode":137,"reason":"${pod.termReason === 1 ? 'OOMKilled' : 'Error'}","startedAt":"${rfc3339(pod.termStarted)}","finishedAt":"${rfc3339(pod.termAt)}","containerID":"containerd://${hexFrom(64, this.seed, i, c, restarts - 1)}"}}`
					: '{}';
				if (text !== '') {
					text += ',';
				}

				text += `{"name":"${profile.name}","state":{"running":{"startedAt":"${rfc3339(started)}"}},"lastState":${last},"ready":true,"restartCount":${restarts},"image":"${profile.image}","imageID":"${w.imageIds[c] ?? ''}","containerID":"containerd://${hexFrom(64, this.seed, i, c, restarts)}","started":true${w.statusTail[c] ?? '}'}`;
			}

			return text;
		};

		const sidecars = w.containers.filter((c) => c.sidecar).length;
		if (sidecars > 0) {
			out += `,"initContainerStatuses":[${statuses(0, sidecars)}]`;
		}

		out += `,"containerStatuses":[${statuses(sidecars, w.containers.length)}],"qosClass":"${w.qos}"}}`;
		return out;
	}

	// ---- ticks --------------------------------------------------------------------------------

	tick(now: number): void {
		const previous = this.now;
		this.now = now;
		const total = this.current.length;
		if (total > 0) {
			const kills = Math.max(1, Math.round(total * 0.0003));
			for (let k = 0; k < kills; k++) {
				const i = this.rng.int(total);
				const pod = this.current[i];
				const w = pod ? this.workloads[this.podWl[i] ?? 0] : undefined;
				if (!pod || !w || w.kind === 'DaemonSet') {
					continue;
				}

				const c = this.rng.int(w.containers.length);
				if (c !== pod.termContainer && pod.restarts > 0) {
					continue;
				}

				const oom = w.limits[c] !== null && this.rng.next() < 0.85;
				const started = c === pod.termContainer ? pod.startedAt : (this.podCreated[i] ?? 0) + 4000;
				const next = new ScalePod(this, i, (c === pod.termContainer ? pod.restarts : 0) + 1, c, now, oom ? 1 : 2, started, now);
				this.current[i] = next;
				this.store.put('pods', next);
				this.incidents.push({time: now, kind: oom ? 'OOMKilled' : 'Killed', namespace: this.namespaces[w.ns] ?? '', pod: this.podNames[i] ?? '', container: w.containers[c]?.name ?? '', node: this.nodeNames[this.podNode[i] ?? 0] ?? '', detail: `restartCount ${next.restarts}`});
				if (this.incidents.length > 10_000) {
					this.incidents.splice(0, 5000);
				}

				if (oom) {
					const node = this.podNode[i] ?? 0;
					const base = w.containers[c]?.base ?? 0;
					this.event(this.nodeNames[node] ?? '', 'OOMKilling', `Memory cgroup out of memory: Killed process ${1000 + (mix(this.seed, i, now) % 60_000)} (${w.containers[c]?.name ?? 'app'}) total-vm:${Math.floor((base * 3) / KI)}kB, anon-rss:${Math.floor(base / KI)}kB, file-rss:${1000 + (i % 9000)}kB, shmem-rss:0kB, UID:0 pgtables:${Math.floor(base / KI / 500)}kB oom_score_adj:${w.qos === 'Guaranteed' ? -997 : w.qos === 'BestEffort' ? 1000 : 900}`);
				}
			}
		}

		// Node status heartbeats, spread over the 5-minute report period.
		for (let n = 0; n < this.nodeNames.length; n++) {
			const slot = this.nodeHeartbeatSlot[n] ?? 0;
			if (Math.floor((now - this.epoch + slot) / 300_000) !== Math.floor((previous - this.epoch + slot) / 300_000)) {
				this.nodeObjects[n] = this.nodeJson(n, now);
				this.store.put('nodes', new JsonObj(this.nodeObjects[n]!));
			}
		}

		// Event TTL (1h).
		while (this.eventNames.length > 0 && now - (this.eventNames[0]?.at ?? now) >= 3_600_000) {
			const old = this.eventNames.shift();
			if (old) {
				this.store.delete('events', old.namespace, old.name);
			}
		}

		if (Math.floor((now - this.epoch) / this.resolution) !== Math.floor((previous - this.epoch) / this.resolution)) {
			this.sample(now);
		}
	}

	private event(node: string, reason: string, message: string): void {
		const now = this.now;
		const name = `${node}.${(BigInt(now) * 1_000_000n + BigInt(this.eventSeq++ % 1_000_000)).toString(16)}`;
		const time = rfc3339(now);
		this.store.put('events', new JsonObj({
			kind: 'Event',
			apiVersion: 'v1',
			metadata: {name, namespace: 'default', uid: uuidFrom(this.seed, this.eventSeq, 91), resourceVersion: '', creationTimestamp: time},
			involvedObject: {kind: 'Node', name: node, uid: node, apiVersion: 'v1'},
			reason,
			message,
			source: {component: 'kernel-monitor', host: node},
			firstTimestamp: time,
			lastTimestamp: time,
			count: 1,
			type: 'Warning',
			eventTime: null,
			reportingComponent: 'kernel-monitor',
			reportingInstance: node,
		}));
		this.eventNames.push({namespace: 'default', name, at: now});
	}

	flush(): void {
		// Writes go to the store as they happen.
	}

	// ---- memory -------------------------------------------------------------------------------

	private containerWs(i: number, c: number, profile: ContainerProfile, limit: number | null, startedAt: number, now: number): number {
		const factor = this.podBaseFactor[i] ?? 1;
		const base = profile.base * factor;
		const sec = Math.floor((now - this.epoch) / 1000);
		const noise = unit(this.seed, i, c, sec) - 0.5;
		let value: number;
		switch (profile.pattern) {
			case 0: {
				value = base * (1 + 0.04 * noise);
				break;
			}

			case 1: {
				const period = 60 + (mix(this.seed, i, c) % 120);
				const phase = (((now - startedAt) / 1000) % period) / period;
				value = base * (0.8 + 0.4 * phase) * (1 + 0.01 * noise);
				break;
			}

			case 2: {
				const age = Math.max(0, (now - startedAt) / 1000);
				const rate = base * (0.00002 + 0.00008 * unit(this.seed, i, c, 5));
				value = base * 0.7 + rate * age;
				break;
			}

			case 3: {
				const window = Math.floor(sec / 60);
				value = base * (1 + 0.03 * noise);
				if (unit(this.seed, i, c, window) < 0.15) {
					value *= 1.3 + 0.4 * unit(this.seed, i, c, window, 1);
				}

				break;
			}
		}

		if (limit !== null && value >= limit) {
			value = limit * (0.9 + 0.08 * unit(this.seed, i, c, sec, 3));
		}

		return Math.max(4096, Math.round(value / 4096) * 4096);
	}

	sample(now: number): void {
		this.sampleTime = now;
		this.sampleSeq++;
		this.nodeWs.fill(0);
		for (let i = 0; i < this.current.length; i++) {
			const pod = this.current[i];
			const w = this.workloads[this.podWl[i] ?? 0];
			if (!pod || !w) {
				continue;
			}

			let podWs = 0;
			for (let c = 0; c < w.containers.length; c++) {
				const profile = w.containers[c];
				if (!profile) {
					continue;
				}

				const started = c === pod.termContainer ? pod.startedAt : (this.podCreated[i] ?? 0) + 4000;
				const value = this.containerWs(i, c, profile, w.limits[c] ?? null, started, now);
				this.ws[i * 3 + c] = value;
				podWs += value;
			}

			const node = this.podNode[i] ?? 0;
			this.nodeWs[node] = (this.nodeWs[node] ?? 0) + podWs + 512 * KI;
		}

		for (let n = 0; n < this.nodeWs.length; n++) {
			this.nodeWs[n] = (this.nodeWs[n] ?? 0) + 900 * MI + (mix(this.seed, n, Math.floor(now / 1000)) % 64) * MI;
		}
	}

	metricsSnapshot(): MetricsSnapshot {
		const pods: MetricsSnapshot['pods'] = [];
		for (let i = 0; i < this.current.length; i++) {
			const w = this.workloads[this.podWl[i] ?? 0];
			if (!w) {
				continue;
			}

			pods.push({namespace: this.namespaces[w.ns] ?? '', name: this.podNames[i] ?? '', containers: w.containers.map((c, k) => ({name: c.name, workingSetBytes: this.ws[i * 3 + k] ?? 0}))});
		}

		return {time: this.sampleTime, windowMs: metricsWindowMs(this.resolution, this.seed, this.sampleSeq), pods, nodes: this.nodeNames.map((name, n) => ({name, workingSetBytes: this.nodeWs[n] ?? 0}))};
	}

	podMetrics(query: MetricsQuery): string[] {
		const out: string[] = [];
		const created = rfc3339(this.now);
		const head = `","creationTimestamp":"${created}","labels":`;
		const tail = `},"timestamp":"${rfc3339(this.sampleTime)}","window":"${metricsWindow(this.resolution, this.seed, this.sampleSeq)}","containers":[`;
		for (let i = 0; i < this.current.length; i++) {
			const w = this.workloads[this.podWl[i] ?? 0];
			if (!w) {
				continue;
			}

			const namespace = this.namespaces[w.ns] ?? '';
			const name = this.podNames[i] ?? '';
			if ((query.namespace !== null && namespace !== query.namespace) || (query.name !== null && name !== query.name)) {
				continue;
			}

			if (query.labels && !query.labels(this.labelsCache[this.podWl[i] ?? 0])) {
				continue;
			}

			if (query.fields && !query.fields((f) => (f === 'metadata.name' ? name : f === 'metadata.namespace' ? namespace : undefined))) {
				continue;
			}

			let containers = '';
			for (let c = 0; c < w.containers.length; c++) {
				const profile = w.containers[c];
				if (!profile) {
					continue;
				}

				const cpu = 1_000_000 + (mix(this.seed, i, c, this.sampleSeq) % 300_000_000);
				containers += `${c === 0 ? '' : ','}{"name":"${profile.name}","usage":{"cpu":"${nanoCores(cpu)}","memory":"${binarySI(this.ws[i * 3 + c] ?? 0)}"}}`;
			}

			out.push(`{"metadata":{"name":"${name}","namespace":"${namespace}${head}${w.labelsJson}${tail}${containers}]}`);
		}

		return out;
	}

	nodeMetrics(query: MetricsQuery): string[] {
		const out: string[] = [];
		const created = rfc3339(this.now);
		const time = rfc3339(this.sampleTime);
		const window = metricsWindow(this.resolution, this.seed, this.sampleSeq);
		for (let n = 0; n < this.nodeNames.length; n++) {
			const name = this.nodeNames[n] ?? '';
			const labels = (this.nodeObjects[n]?.metadata['labels'] ?? {}) as Record<string, string>;
			if ((query.name !== null && name !== query.name) || (query.labels && !query.labels(labels))) {
				continue;
			}

			if (query.fields && !query.fields((f) => (f === 'metadata.name' ? name : undefined))) {
				continue;
			}

			const cpu = 200_000_000 + (mix(this.seed, n, this.sampleSeq) % 3_000_000_000);
			out.push(`{"metadata":{"name":"${name}","creationTimestamp":"${created}","labels":${JSON.stringify(labels)}},"timestamp":"${time}","window":"${window}","usage":{"cpu":"${nanoCores(cpu)}","memory":"${binarySI(this.nodeWs[n] ?? 0)}"}}`);
		}

		return out;
	}

	summary(name: string, onlyCpuAndMemory: boolean): string | null {
		const n = this.nodeNames.indexOf(name);
		if (n < 0) {
			return null;
		}

		const time = rfc3339(this.sampleTime);
		const capacity = this.nodeCapacity[n] ?? 0;
		const nodeWs = this.nodeWs[n] ?? 0;
		const pods: Array<Record<string, unknown>> = [];
		for (let k = this.nodeStart[n] ?? 0; k < (this.nodeStart[n + 1] ?? 0); k++) {
			const i = this.nodePods[k] ?? 0;
			const pod = this.current[i];
			const w = this.workloads[this.podWl[i] ?? 0];
			if (!pod || !w) {
				continue;
			}

			let podWs = 512 * KI;
			const containers = w.containers.map((profile, c) => {
				const ws = this.ws[i * 3 + c] ?? 0;
				podWs += ws;
				const limit = w.limits[c] ?? null;
				const memory: Record<string, unknown> = {time};
				if (limit !== null) {
					memory['availableBytes'] = Math.max(0, limit - ws);
				}

				Object.assign(memory, {usageBytes: ws + Math.round(ws * 0.1 / 4096) * 4096, workingSetBytes: ws, rssBytes: Math.round(ws * 0.85 / 4096) * 4096, pageFaults: 10_000 + (mix(i, c) % 90_000), majorPageFaults: mix(i, c, 1) % 7});
				const started = c === pod.termContainer ? pod.startedAt : (this.podCreated[i] ?? 0) + 4000;
				return {name: profile.name, startTime: rfc3339(started), cpu: {time, usageNanoCores: 1_000_000 + (mix(i, c, this.sampleSeq) % 300_000_000), usageCoreNanoSeconds: 1_000_000_000_000 + (mix(i, c) % 1_000_000_000)}, memory};
			});
			pods.push({
				podRef: {name: this.podNames[i] ?? '', namespace: this.namespaces[w.ns] ?? '', uid: uuidFrom(this.seed, i, 77)},
				startTime: rfc3339(this.podCreated[i] ?? 0),
				containers,
				memory: {time, usageBytes: podWs + Math.round(podWs * 0.1 / 4096) * 4096, workingSetBytes: podWs, rssBytes: Math.round(podWs * 0.85 / 4096) * 4096, pageFaults: 20_000 + (mix(i) % 90_000), majorPageFaults: 0},
				...(onlyCpuAndMemory ? {} : {swap: {time, swapUsageBytes: 0}}),
			});
		}

		const node: Record<string, unknown> = {
			nodeName: name,
			startTime: rfc3339(this.epoch - 40 * 86_400_000),
			cpu: {time, usageNanoCores: 500_000_000 + (mix(n, this.sampleSeq) % 2_000_000_000), usageCoreNanoSeconds: 9_000_000_000_000 + mix(n) * 1000},
			memory: {time, availableBytes: Math.max(0, capacity - nodeWs), usageBytes: nodeWs + 3 * GI, workingSetBytes: nodeWs, rssBytes: Math.round(nodeWs * 0.8 / 4096) * 4096, pageFaults: 1_000_000 + mix(n) % 1_000_000, majorPageFaults: mix(n, 2) % 50},
		};
		if (!onlyCpuAndMemory) {
			node['swap'] = {time, swapAvailableBytes: 0, swapUsageBytes: 0};
		}

		return JSON.stringify({node, pods});
	}

	configz(name: string): Record<string, unknown> | null {
		const n = this.nodeNames.indexOf(name);
		if (n < 0) {
			return null;
		}

		return {kubeletconfig: {evictionHard: {'imagefs.available': '15%', 'memory.available': this.nodeThreshold[n] ?? '100Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%'}, evictionPressureTransitionPeriod: '5m0s', maxPods: 110}};
	}

	hasNode(name: string): boolean {
		return this.nodeNames.includes(name);
	}

	nodeAddress(name: string): string {
		return this.nodeIps[this.nodeNames.indexOf(name)] ?? '';
	}

	oomKill(namespace: string, name: string, container?: string): boolean {
		for (let i = 0; i < this.current.length; i++) {
			if (this.podNames[i] !== name || this.podNamespace(i) !== namespace) {
				continue;
			}

			const pod = this.current[i];
			const w = this.workloads[this.podWl[i] ?? 0];
			if (!pod || !w) {
				return false;
			}

			const c = container === undefined ? 0 : w.containers.findIndex((x) => x.name === container);
			if (c < 0) {
				return false;
			}

			const restarts = c === pod.termContainer ? pod.restarts : 0;
			const next = new ScalePod(this, i, restarts + 1, c, this.now, 1, c === pod.termContainer ? pod.startedAt : (this.podCreated[i] ?? 0) + 4000, this.now);
			this.current[i] = next;
			this.store.put('pods', next);
			return true;
		}

		return false;
	}

	evict(): boolean {
		return false;
	}

	deletePod(): boolean {
		return false;
	}

	setContainerMemory(): void {
		// Not supported at scale: memory is a pure function of the seed and time.
	}

	private nodeJson(n: number, heartbeat: number): Record<string, unknown> & {metadata: Record<string, unknown>} {
		const name = this.nodeNames[n] ?? '';
		const capacity = this.nodeCapacity[n] ?? 0;
		const capacityKi = Math.floor(capacity / KI);
		const threshold = parseBytes(this.nodeThreshold[n] ?? '100Mi');
		const allocatableKi = capacityKi - Math.floor((capacity > 64 * GI ? 4 * GI : capacity > 20 * GI ? 2 * GI : GI) / KI) - Math.floor(threshold / KI);
		const created = rfc3339(this.epoch - (40 * 86_400_000 + (mix(this.seed, n, 9) % 86_400_000)));
		const beat = rfc3339(heartbeat);
		const zone = `us-east-1${'abcdef'[n % 6] ?? 'a'}`;
		const type = capacity > 100 * GI ? 'r6i.4xlarge' : capacity > 50 * GI ? 'r6i.2xlarge' : capacity > 20 * GI ? 'm6i.2xlarge' : 'm6i.xlarge';
		const ip = this.nodeIps[n] ?? '';
		return {
			kind: 'Node',
			apiVersion: 'v1',
			metadata: {
				name,
				uid: uuidFrom(this.seed, n, 51),
				resourceVersion: '',
				creationTimestamp: created,
				labels: {
					'beta.kubernetes.io/arch': 'amd64',
					'beta.kubernetes.io/instance-type': type,
					'beta.kubernetes.io/os': 'linux',
					'kubernetes.io/arch': 'amd64',
					'kubernetes.io/hostname': name,
					'kubernetes.io/os': 'linux',
					'node.kubernetes.io/instance-type': type,
					'topology.kubernetes.io/region': 'us-east-1',
					'topology.kubernetes.io/zone': zone,
				},
				annotations: {'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true'},
			},
			spec: {podCIDR: `100.${64 + (n >> 8)}.${n & 255}.0/24`, podCIDRs: [`100.${64 + (n >> 8)}.${n & 255}.0/24`], providerID: `aws:///${zone}/i-0${hexFrom(16, this.seed, n)}`},
			status: {
				capacity: {cpu: String(Math.round(capacity / (4 * GI))), 'ephemeral-storage': '101203028Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${capacityKi}Ki`, pods: '110'},
				allocatable: {cpu: `${Math.round(capacity / (4 * GI)) * 1000 - 90}m`, 'ephemeral-storage': '93270255340', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${allocatableKi}Ki`, pods: '110'},
				conditions: [
					{type: 'MemoryPressure', status: 'False', lastHeartbeatTime: beat, lastTransitionTime: created, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available'},
					{type: 'DiskPressure', status: 'False', lastHeartbeatTime: beat, lastTransitionTime: created, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure'},
					{type: 'PIDPressure', status: 'False', lastHeartbeatTime: beat, lastTransitionTime: created, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available'},
					{type: 'Ready', status: 'True', lastHeartbeatTime: beat, lastTransitionTime: created, reason: 'KubeletReady', message: 'kubelet is posting ready status'},
				],
				addresses: [{type: 'InternalIP', address: ip}, {type: 'Hostname', address: name}],
				daemonEndpoints: {kubeletEndpoint: {Port: 10_250}},
				nodeInfo: {machineID: hexFrom(32, this.seed, n, 1), systemUUID: hexFrom(32, this.seed, n, 2), bootID: uuidFrom(this.seed, n, 3), kernelVersion: '6.8.0-1021-aws', osImage: 'Ubuntu 24.04.2 LTS', containerRuntimeVersion: 'containerd://2.1.4', kubeletVersion: 'v1.35.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64'},
			},
		};
	}
}
