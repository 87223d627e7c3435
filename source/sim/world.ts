/**
 * A small simulated cluster with real controller and kubelet behaviour, driven tick by tick:
 * ReplicaSet/StatefulSet/DaemonSet/CronJob controllers, a scheduler, and per node a kubelet that
 * runs containers (init, sidecar, app), restarts them with the kubelet's back-off, lets the cgroup
 * OOM killer act at the limit, raises MemoryPressure and evicts by the kubelet's ranking.
 *
 * Every object it writes is a full Kubernetes JSON object; memory lives only in the metrics
 * samples (metrics.k8s.io and the Summary API), like in a real cluster.
 */
import {JsonObj, type ObjectStore} from './objects.js';
import {hashString, mix, Rng, unit} from './prng.js';
import {binarySI, formatBytes, goDuration, metricsWindow, metricsWindowMs, milliCores, nanoCores, parseBytes, rfc3339, roundForStyle, type QuantityStyle} from './quantity.js';
import {namespaceObject} from './resources.js';
import type {Incident, MetricsQuery, MetricsSnapshot, Scenario, ScenarioContext} from './scenario.js';

const KI = 1024;
const MI = 1024 * 1024;
const GI = 1024 * MI;

export type Pattern =
	| {kind: 'steady'; base: number; jitter?: number}
	| {kind: 'leak'; base: number; rate: number}
	| {kind: 'sawtooth'; low: number; high: number; period: number}
	| {kind: 'spiky'; base: number; spike: number; every: number; duration: number}
	| {kind: 'grow'; base: number; rate: number}
	| {kind: 'ramp'; base: number; peak: number; seconds: number};

export interface ContainerSpec {
	name: string;
	kind?: 'app' | 'init' | 'sidecar';
	image: string;
	requests?: {cpu?: string; memory?: string};
	limits?: {cpu?: string; memory?: string};
	pattern: Pattern;
	/** first instance only (e.g. an init container that OOMs once) */
	firstPattern?: Pattern;
	/** process name the kernel reports when it kills this container */
	process: string;
	rssRatio?: number;
	cacheRatio?: number;
	cpuMilli?: number;
	/** how metrics.k8s.io writes this container's memory (metrics-server uses binary) */
	metricsStyle?: QuantityStyle;
	/** init containers and Job containers: seconds until they exit 0 */
	runSeconds?: number;
	/** an HTTP liveness probe in the spec */
	probe?: {path: string; port: number};
	swapBytes?: number;
	ports?: Array<{name?: string; containerPort: number; protocol: string}>;
}

export interface PodTemplate {
	labels: Record<string, string>;
	annotations?: Record<string, string>;
	containers: ContainerSpec[];
	priorityClassName?: string;
	priority?: number;
	nodeSelector?: Record<string, string>;
	tolerations?: Array<Record<string, unknown>>;
	runtimeClassName?: string;
	overhead?: {cpu?: string; memory?: string};
	restartPolicy?: 'Always' | 'OnFailure' | 'Never';
	serviceAccountName?: string;
	hostNetwork?: boolean;
}

export interface InitialPod {
	node: string;
	/** seconds before t0 the pod was created */
	createdAgo: number;
	/** seconds before t0 the current app container instances started (default createdAgo - 6) */
	startedAgo?: number;
	restarts?: number;
	/** last termination of `lastContainer` (default: first app container) */
	last?: {reason: string; exitCode: number; endedAgo: number; ranFor: number};
	lastContainer?: string;
	memoryFactor?: number;
	/** still starting at t0: seconds since creation when containers start (default: already running) */
	starting?: boolean;
	/** liveness-probe kills of the first app container (SIGKILL, exit 137, reason Error) at sim second `first`, then every `every` */
	livenessKill?: {first: number; every: number};
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Static' | 'Bare';

export interface WorkloadSpec {
	kind: WorkloadKind;
	namespace: string;
	name: string;
	template: PodTemplate;
	replicas?: number;
	initial?: InitialPod[];
	/** CronJob: first run at sim second `firstAt`, then every `every` s; keep `keep` finished pods */
	cron?: {firstAt: number; every: number; keep: number};
	/** memory factors for replicas created later, cycled */
	memoryFactors?: number[];
}

export interface NodeSpec {
	name: string;
	capacityKi: number;
	/** reserved for system + kube (bytes), subtracted with the eviction threshold from allocatable */
	reservedBytes: number;
	evictionHard: string; // memory.available
	/** kubelet evictionPressureTransitionPeriod (seconds) */
	pressureTransition: number;
	cpu: number;
	labels?: Record<string, string>;
	controlPlane?: boolean;
	/** node-level memory outside pods: kernel, kubelet, runtime (bytes) */
	systemBytes: number;
	/** page cache outside pods (bytes), for usage */
	cacheBytes: number;
	createdAgo: number;
	swapBytes?: number;
	zone: string;
	instanceType: string;
}

export interface ClusterSpec {
	name: string;
	namespaces: string[];
	nodes: NodeSpec[];
	workloads: WorkloadSpec[];
	/** a system OOM on this node when its available memory first drops below `below` in a pressure cycle */
	systemOom?: {node: string; below: number; victim: {namespace: string; pod: string; container: string}};
}

interface Term {
	exitCode: number;
	reason: string;
	message?: string;
	startedAt: number;
	finishedAt: number;
	containerID: string;
}

interface CondState {
	status: 'True' | 'False';
	reason?: string;
	message?: string;
	time: number;
}

class CModel {
	readonly kind: 'app' | 'init' | 'sidecar';
	readonly reqMem: number | null;
	readonly limMem: number | null;
	readonly hash: number;
	state: 'waiting' | 'running' | 'terminated' = 'waiting';
	waitingReason = 'ContainerCreating';
	waitingMessage = '';
	startedAt = 0;
	instance = 0;
	restartCount = 0;
	last: Term | null = null;
	term: Term | null = null;
	containerID = '';
	ready = false;
	started = false;
	/** kubelet back-off entry */
	backoff = 0;
	backoffUpdated = Number.NEGATIVE_INFINITY;
	restartAt = 0;
	lastFinishedAt = 0;
	nextLivenessKill = Number.POSITIVE_INFINITY;
	livenessEvery = 0;
	override: number | null = null;
	ws = 0;
	usage = 0;
	rss = 0;
	swap = 0;
	pageFaults = 0;
	majorFaults = 0;
	cpuNano = 0;
	cpuCoreNs = 0;
	pid = 0;

	constructor(
		readonly spec: ContainerSpec,
		readonly factor: number,
		podUid: string,
	) {
		this.kind = spec.kind ?? 'app';
		const request = spec.requests?.memory ?? spec.limits?.memory;
		this.reqMem = request === undefined ? null : parseBytes(request);
		this.limMem = spec.limits?.memory === undefined ? null : parseBytes(spec.limits.memory);
		this.hash = mix(hashString(podUid), hashString(spec.name));
	}

	get running(): boolean {
		return this.state === 'running';
	}
}

class PModel {
	node = '';
	phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' = 'Pending';
	reason = '';
	message = '';
	ip = '';
	startTime = 0;
	stage: 'unscheduled' | 'creating' | 'init' | 'running' | 'done' = 'unscheduled';
	stageUntil = 0;
	readonly conds = new Map<string, CondState>();
	deletionAt: number | null = null;
	finishedAt = 0;
	lastScheduleAttempt = Number.NEGATIVE_INFINITY;
	dirty = true;
	/** memory of the pod sandbox (pause container) */
	readonly pauseBytes: number;

	constructor(
		readonly namespace: string,
		readonly name: string,
		readonly uid: string,
		readonly workload: WModel,
		readonly createdAt: number,
		readonly containers: CModel[],
		readonly ordinal: number,
		readonly generateName: string | null,
	) {
		this.pauseBytes = (300 + (hashString(uid) % 400)) * KI;
	}

	get key(): string {
		return `${this.namespace}/${this.name}`;
	}

	get active(): boolean {
		return this.phase !== 'Succeeded' && this.phase !== 'Failed' && this.deletionAt === null;
	}

	get apps(): CModel[] {
		return this.containers.filter((c) => c.kind === 'app');
	}

	cond(type: string, status: 'True' | 'False', now: number, reason?: string, message?: string): void {
		const current = this.conds.get(type);
		if (current && current.status === status && current.reason === reason && current.message === message) {
			return;
		}

		this.conds.set(type, {status, reason, message, time: current && current.status === status ? current.time : now});
		this.dirty = true;
	}
}

class WModel {
	readonly uid: string;
	readonly ownerUid: string;
	readonly hash: string;
	created = 0;
	/** CronJob bookkeeping */
	nextRun = 0;
	readonly jobs: Array<{name: string; uid: string; scheduled: number}> = [];
	factorIndex = 0;

	constructor(
		readonly spec: WorkloadSpec,
		rng: Rng,
	) {
		this.uid = rng.uuid();
		this.ownerUid = rng.uuid();
		this.hash = spec.kind === 'Deployment' ? rng.suffix(rng.range(9, 10)) : rng.suffix(10);
	}

	/** the name of the controller object that owns the pods */
	get ownerName(): string {
		return this.spec.kind === 'Deployment' ? `${this.spec.name}-${this.hash}` : this.spec.name;
	}
}

class NModel {
	readonly capacity: number;
	readonly allocatable: number;
	readonly threshold: number;
	readonly uid: string;
	readonly ip: string;
	readonly created: number;
	readonly index: number;
	pressure = false;
	pressureChanged: number;
	lastThresholdMet = Number.NEGATIVE_INFINITY;
	heartbeat: number;
	readyTransition: number;
	tainted = false;
	dirty = true;
	systemOomFired = false;
	podCount = 0;
	ws = 0;
	usage = 0;
	rss = 0;
	available = 0;
	pageFaults = 0;
	majorFaults = 0;
	cpuNano = 0;
	cpuCoreNs = 0;

	constructor(
		readonly spec: NodeSpec,
		index: number,
		epoch: number,
		rng: Rng,
	) {
		this.index = index;
		this.capacity = spec.capacityKi * KI;
		this.threshold = parseBytes(spec.evictionHard);
		this.allocatable = Math.floor((this.capacity - spec.reservedBytes - this.threshold) / KI) * KI;
		this.uid = rng.uuid();
		this.ip = `10.0.1.${11 + index * 7}`;
		this.created = epoch - spec.createdAgo * 1000;
		this.pressureChanged = this.created + 8000;
		this.heartbeat = epoch - 37_000 - index * 11_000;
		this.readyTransition = this.created + 31_000;
		this.pageFaults = 1_000_000 + index * 77_777;
	}

	get name(): string {
		return this.spec.name;
	}
}

interface EventRef {
	kind: string;
	namespace: string;
	name: string;
	uid: string;
	apiVersion: string;
	fieldPath?: string;
	resourceVersion?: string;
}

interface EventRecord {
	key: string;
	namespace: string;
	name: string;
	uid: string;
	value: Record<string, unknown> & {metadata: Record<string, unknown>};
	count: number;
	first: number;
	last: number;
}

interface ContainerSample {
	name: string;
	startedAt: number;
	ws: number;
	usage: number;
	rss: number;
	swap: number;
	pageFaults: number;
	majorFaults: number;
	cpuNano: number;
	cpuCoreNs: number;
	limit: number | null;
	style: QuantityStyle;
	/** reported by metrics.k8s.io (needs two scrapes of the same instance) */
	metrics: boolean;
}

interface PodSample {
	namespace: string;
	name: string;
	uid: string;
	node: string;
	labels: Record<string, string>;
	startTime: number;
	containers: ContainerSample[];
	pauseBytes: number;
	limit: number | null;
	inMetrics: boolean;
}

interface NodeSample {
	name: string;
	labels: Record<string, string>;
	capacity: number;
	ws: number;
	usage: number;
	rss: number;
	available: number;
	pageFaults: number;
	majorFaults: number;
	cpuNano: number;
	cpuCoreNs: number;
	swapCapacity: number;
	swapUsage: number;
	startTime: number;
	pressureLevel: number;
}

interface Sample {
	time: number;
	pods: PodSample[];
	nodes: Map<string, NodeSample>;
}

const KUBE_VERSION = 'v1.35.0';

function roundPage(bytes: number): number {
	return Math.max(4096, Math.round(bytes / 4096) * 4096);
}

function cpuMilli(text: string | undefined): number | null {
	if (text === undefined) {
		return null;
	}

	return text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

/** kubelet's oom_score_adj for a container (pkg/kubelet/qos/policy.go) */
export function oomScoreAdj(qos: string, requestBytes: number, capacity: number, critical: boolean): number {
	if (critical) {
		return -997;
	}

	if (qos === 'Guaranteed') {
		return -997;
	}

	if (qos === 'BestEffort') {
		return 1000;
	}

	const adj = 1000 - Math.floor((1000 * requestBytes) / capacity);
	return Math.min(999, Math.max(2, adj));
}

export class World implements Scenario {
	readonly incidents: Incident[] = [];
	sampleSeq = 0;
	private store!: ObjectStore;
	private rng!: Rng;
	private seed = 1;
	private epoch = 0;
	private tickMs = 1000;
	private resolution = 15_000;
	private now = 0;
	private readonly nodes: NModel[] = [];
	private readonly nodeByName = new Map<string, NModel>();
	private readonly workloads: WModel[] = [];
	private pods: PModel[] = [];
	private readonly podByKey = new Map<string, PModel>();
	private readonly events = new Map<string, EventRecord>();
	private eventSeq = 0;
	private podIpSeq = 0;
	private sampleCur: Sample | null = null;
	private readonly rawMemory = new Map<string, Map<string, number>>();

	constructor(
		readonly name: string,
		private readonly cluster: ClusterSpec,
	) {}

	init(context: ScenarioContext): void {
		this.store = context.store;
		this.seed = context.seed;
		this.epoch = context.epoch;
		this.now = context.epoch;
		this.tickMs = context.tickMs;
		this.resolution = context.metricsResolutionMs;
		this.rng = new Rng(context.seed);
		const rng = this.rng;

		const nsObjects = this.cluster.namespaces.map((ns, i) =>
			new JsonObj(namespaceObject(ns, rng.uuid(), rfc3339(this.epoch - (400 - i) * 86_400_000 / 10))),
		);
		this.store.load('namespaces', nsObjects);

		this.cluster.nodes.forEach((spec, i) => {
			const node = new NModel(spec, i, this.epoch, rng);
			this.nodes.push(node);
			this.nodeByName.set(spec.name, node);
		});

		for (const spec of this.cluster.workloads) {
			const workload = new WModel(spec, rng);
			this.workloads.push(workload);
			if (spec.kind === 'DaemonSet') {
				for (const node of this.nodes) {
					if (this.tolerates(spec, node) && this.selects(spec.template, node)) {
						const age = Math.min(spec.initial?.[0]?.createdAgo ?? 86_400, node.spec.createdAgo - 30);
						this.initialPod(workload, {node: node.name, createdAgo: age, memoryFactor: 0.85 + unit(this.seed, node.index, 3) * 0.3});
					}
				}
			} else if (spec.kind === 'CronJob') {
				workload.nextRun = this.epoch + (spec.cron?.firstAt ?? 60) * 1000;
			} else {
				for (const initial of spec.initial ?? []) {
					this.initialPod(workload, initial);
				}
			}
		}

		// Bring every running container to its t0 memory, then take two scrapes so metrics exist now.
		for (const pod of this.pods) {
			for (const c of pod.containers) {
				if (c.running) {
					this.updateMemory(pod, c, this.now);
				}
			}
		}

		this.computeNodes(this.now);
		this.sample(this.now);
		this.sample(this.now);
		for (const node of this.nodes) {
			node.dirty = false;
		}

		this.store.load('nodes', this.nodes.map((n) => new JsonObj(this.nodeJson(n))));
		this.store.load('pods', this.pods.map((p) => new JsonObj(this.podJson(p))));
		for (const pod of this.pods) {
			pod.dirty = false;
		}
	}

	// ---- set-up -------------------------------------------------------------------------------

	private newPodName(workload: WModel, ordinal: number): {name: string; generateName: string | null} {
		const spec = workload.spec;
		switch (spec.kind) {
			case 'StatefulSet': {
				return {name: `${spec.name}-${ordinal}`, generateName: `${spec.name}-`};
			}

			case 'Static': {
				return {name: `${spec.name}-${spec.initial?.[0]?.node ?? 'node'}`, generateName: null};
			}

			case 'Bare': {
				return {name: spec.name, generateName: null};
			}

			default: {
				const prefix = `${workload.ownerName}-`;
				return {name: prefix + this.rng.suffix(5), generateName: prefix};
			}
		}
	}

	private makePod(workload: WModel, created: number, ordinal: number, factor: number, nameOverride?: {name: string; generateName: string | null}): PModel {
		const {name, generateName} = nameOverride ?? this.newPodName(workload, ordinal);
		const uid = this.rng.uuid();
		const containers = workload.spec.template.containers.map((spec) => new CModel(spec, factor, uid));
		if (containers.some((c) => c.kind !== 'app')) {
			for (const c of containers) {
				c.waitingReason = 'PodInitializing';
			}
		}

		const pod = new PModel(workload.spec.namespace, name, uid, workload, created, containers, ordinal, generateName);
		this.pods.push(pod);
		this.podByKey.set(pod.key, pod);
		return pod;
	}

	private initialPod(workload: WModel, initial: InitialPod): void {
		const spec = workload.spec;
		const ordinal = this.pods.filter((p) => p.workload === workload).length;
		const created = this.epoch - initial.createdAgo * 1000;
		let nameOverride: {name: string; generateName: string | null} | undefined;
		if (spec.kind === 'Static') {
			nameOverride = {name: `${spec.name}-${initial.node}`, generateName: null};
		} else if (spec.kind === 'DaemonSet') {
			const prefix = `${spec.name}-`;
			nameOverride = {name: prefix + this.rng.suffix(5), generateName: prefix};
		}

		const pod = this.makePod(workload, created, ordinal, initial.memoryFactor ?? 1, nameOverride);
		const node = this.nodeByName.get(initial.node);
		if (!node) {
			throw new Error(`unknown node ${initial.node}`);
		}

		this.bind(pod, node, created + 1000);
		if (initial.starting) {
			pod.stage = 'creating';
			pod.stageUntil = Math.max(this.epoch + 1000, created + 3000);
			return;
		}

		const started = this.epoch - (initial.startedAgo ?? Math.max(1, initial.createdAgo - 6)) * 1000;
		pod.startTime = created + 1000;
		// Init containers completed long ago; sidecars and apps run.
		for (const c of pod.containers) {
			if (c.kind === 'init') {
				const end = Math.min(started - 1000, created + 4000 + (c.spec.runSeconds ?? 2) * 1000);
				c.state = 'terminated';
				c.containerID = this.containerId();
				c.term = {exitCode: 0, reason: 'Completed', startedAt: created + 3000, finishedAt: end, containerID: c.containerID};
			} else {
				this.startInstance(pod, c, c.kind === 'sidecar' ? created + 3000 : started);
			}
		}

		const restarts = initial.restarts ?? 0;
		if (restarts > 0) {
			const target = pod.containers.find((c) => c.spec.name === initial.lastContainer) ?? pod.apps[0];
			if (target) {
				target.restartCount = restarts;
				if (initial.last) {
					const finishedAt = this.epoch - initial.last.endedAgo * 1000;
					target.last = {
						exitCode: initial.last.exitCode,
						reason: initial.last.reason,
						startedAt: finishedAt - initial.last.ranFor * 1000,
						finishedAt,
						containerID: this.containerId(),
					};
					target.lastFinishedAt = finishedAt;
					// A back-off entry from the previous crashes, as the kubelet would hold.
					target.backoff = Math.min(300_000, 10_000 * 2 ** Math.max(0, restarts - 2));
					target.backoffUpdated = finishedAt;
				}
			}
		}

		pod.stage = 'running';
		pod.phase = 'Running';
		const initialized = created + 3000;
		pod.cond('PodReadyToStartContainers', 'True', created + 2000);
		pod.cond('Initialized', 'True', initialized);
		pod.cond('Ready', 'True', started + 2000);
		pod.cond('ContainersReady', 'True', started + 2000);
		for (const c of pod.containers) {
			if (c.running) {
				c.ready = true;
			}
		}

		const app = pod.apps[0];
		if (initial.livenessKill && app) {
			app.nextLivenessKill = this.epoch + initial.livenessKill.first * 1000;
			app.livenessEvery = initial.livenessKill.every * 1000;
		}
	}

	private containerId(): string {
		return `containerd://${this.rng.hex(64)}`;
	}

	private bind(pod: PModel, node: NModel, at: number): void {
		pod.node = node.name;
		pod.ip = `10.244.${node.index}.${2 + (this.podIpSeq++ % 250)}`;
		pod.cond('PodScheduled', 'True', at);
		pod.stage = 'creating';
		pod.stageUntil = at + 2000;
		pod.dirty = true;
	}

	// ---- the tick ----------------------------------------------------------------------------

	tick(now: number): void {
		const previous = this.now;
		this.now = now;
		this.controllers(now);
		this.schedule(now);
		for (const pod of this.pods) {
			this.kubelet(pod, now);
		}

		this.computeNodes(now);
		this.systemOom(now);
		if (Math.floor((now - this.epoch) / 10_000) !== Math.floor((previous - this.epoch) / 10_000)) {
			for (const node of this.nodes) {
				this.evictionManager(node, now);
			}
		}

		this.nodeStatus(now);
		this.cleanup(now);
		if (Math.floor((now - this.epoch) / this.resolution) !== Math.floor((previous - this.epoch) / this.resolution)) {
			this.sample(now);
		}
	}

	flush(): void {
		for (const node of this.nodes) {
			if (node.dirty) {
				node.dirty = false;
				this.store.put('nodes', new JsonObj(this.nodeJson(node)));
			}
		}

		const remaining: PModel[] = [];
		for (const pod of this.pods) {
			if (pod.deletionAt !== null && pod.deletionAt <= this.now) {
				this.store.delete('pods', pod.namespace, pod.name);
				this.podByKey.delete(pod.key);
				continue;
			}

			remaining.push(pod);
			if (pod.dirty) {
				pod.dirty = false;
				this.store.put('pods', new JsonObj(this.podJson(pod)));
			}
		}

		this.pods = remaining;
	}

	// ---- controllers ----------------------------------------------------------------------------

	private controllers(now: number): void {
		for (const workload of this.workloads) {
			const spec = workload.spec;
			const mine = this.pods.filter((p) => p.workload === workload);
			switch (spec.kind) {
				case 'Deployment': {
					const active = mine.filter((p) => p.active).length;
					for (let i = active; i < (spec.replicas ?? 1); i++) {
						const pod = this.makePod(workload, now, i, this.nextFactor(workload));
						this.event({kind: 'ReplicaSet', namespace: spec.namespace, name: workload.ownerName, uid: workload.uid, apiVersion: 'apps/v1'}, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.name}`, 'replicaset-controller');
					}

					break;
				}

				case 'StatefulSet': {
					for (let ordinal = 0; ordinal < (spec.replicas ?? 1); ordinal++) {
						const name = `${spec.name}-${ordinal}`;
						const existing = this.podByKey.get(`${spec.namespace}/${name}`);
						if (existing && existing.phase === 'Failed' && existing.deletionAt === null) {
							// The StatefulSet controller deletes a failed pod and recreates it under the same name.
							existing.deletionAt = now + this.tickMs;
							existing.dirty = true;
							this.event({kind: 'StatefulSet', namespace: spec.namespace, name: spec.name, uid: workload.uid, apiVersion: 'apps/v1'}, 'Warning', 'RecreatingFailedPod', `StatefulSet ${spec.namespace}/${spec.name} is recreating failed Pod ${name}`, 'statefulset-controller');
						} else if (!existing) {
							this.makePod(workload, now, ordinal, this.nextFactor(workload), {name, generateName: `${spec.name}-`});
							this.event({kind: 'StatefulSet', namespace: spec.namespace, name: spec.name, uid: workload.uid, apiVersion: 'apps/v1'}, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${spec.name} successful`, 'statefulset-controller');
						}
					}

					break;
				}

				case 'CronJob': {
					this.cronJob(workload, mine, now);
					break;
				}

				default: {
					break;
				}
			}
		}
	}

	private nextFactor(workload: WModel): number {
		const factors = workload.spec.memoryFactors ?? [1];
		const factor = factors[workload.factorIndex % factors.length] ?? 1;
		workload.factorIndex++;
		return factor;
	}

	private cronJob(workload: WModel, mine: PModel[], now: number): void {
		const spec = workload.spec;
		const cron = spec.cron ?? {firstAt: 60, every: 300, keep: 3};
		if (now >= workload.nextRun) {
			const scheduled = workload.nextRun;
			workload.nextRun += cron.every * 1000;
			const jobName = `${spec.name}-${Math.floor(scheduled / 60_000)}`;
			const job = {name: jobName, uid: this.rng.uuid(), scheduled};
			workload.jobs.push(job);
			const cronRef: EventRef = {kind: 'CronJob', namespace: spec.namespace, name: spec.name, uid: workload.uid, apiVersion: 'batch/v1'};
			this.event(cronRef, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`, 'cronjob-controller');
			const prefix = `${jobName}-`;
			const pod = this.makePod(workload, now, 0, this.nextFactor(workload), {name: prefix + this.rng.suffix(5), generateName: prefix});
			this.event({kind: 'Job', namespace: spec.namespace, name: jobName, uid: job.uid, apiVersion: 'batch/v1'}, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.name}`, 'job-controller');
		}

		// Keep only the newest `keep` finished job pods.
		const finished = mine.filter((p) => p.phase === 'Succeeded' && p.deletionAt === null);
		for (let i = 0; i < finished.length - cron.keep; i++) {
			const pod = finished[i];
			if (pod) {
				pod.deletionAt = now + this.tickMs;
				pod.dirty = true;
			}
		}
	}

	// ---- scheduler ----------------------------------------------------------------------------

	private selects(template: PodTemplate, node: NModel): boolean {
		for (const [key, value] of Object.entries(template.nodeSelector ?? {})) {
			if (node.spec.labels?.[key] !== value) {
				return false;
			}
		}

		return true;
	}

	private taintsOf(node: NModel): Array<{key: string; effect: string}> {
		const taints: Array<{key: string; effect: string}> = [];
		if (node.spec.controlPlane) {
			taints.push({key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'});
		}

		if (node.tainted) {
			taints.push({key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule'});
		}

		return taints;
	}

	private tolerates(workload: WorkloadSpec, node: NModel): boolean {
		const tolerations = this.tolerationsOf(workload);
		for (const taint of this.taintsOf(node)) {
			const ok = tolerations.some((t) => (t['operator'] === 'Exists' && t['key'] === undefined) || (t['key'] === taint.key && (t['effect'] === undefined || t['effect'] === taint.effect)));
			if (!ok) {
				return false;
			}
		}

		return true;
	}

	/** the pod's tolerations; the DaemonSet controller adds the node-condition ones */
	private tolerationsOf(workload: WorkloadSpec): Array<Record<string, unknown>> {
		const own = workload.template.tolerations ?? [];
		if (workload.kind !== 'DaemonSet') {
			return own;
		}

		return [
			...own,
			{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute'},
			{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute'},
			{key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule'},
			{key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule'},
			{key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule'},
			{key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule'},
		];
	}

	private podRequest(pod: PModel): number {
		let apps = 0;
		let maxInit = 0;
		for (const c of pod.containers) {
			const request = c.reqMem ?? 0;
			if (c.kind === 'init') {
				maxInit = Math.max(maxInit, apps + request);
			} else {
				apps += request;
			}
		}

		const overhead = pod.workload.spec.template.overhead?.memory;
		return Math.max(apps, maxInit) + (overhead === undefined ? 0 : parseBytes(overhead));
	}

	private schedule(now: number): void {
		for (const pod of this.pods) {
			if (pod.stage !== 'unscheduled' || pod.deletionAt !== null || now - pod.lastScheduleAttempt < 5000) {
				continue;
			}

			pod.lastScheduleAttempt = now;
			const template = pod.workload.spec.template;
			const request = this.podRequest(pod);
			const reasons = new Map<string, number>();
			let best: NModel | null = null;
			let bestScore = Number.POSITIVE_INFINITY;
			for (const node of this.nodes) {
				let reason = '';
				if (!this.selects(template, node)) {
					reason = "node(s) didn't match Pod's node affinity/selector";
				} else if (!this.tolerates(pod.workload.spec, node)) {
					const taint = this.taintsOf(node).find((t) => !this.tolerationsOf(pod.workload.spec).some((tol) => tol['key'] === t.key));
					reason = `node(s) had untolerated taint {${taint?.key ?? ''}: }`;
				} else {
					const used = this.pods.filter((p) => p.node === node.name && p.active).reduce((sum, p) => sum + this.podRequest(p), 0);
					if (used + request > node.allocatable) {
						reason = 'Insufficient memory';
					} else {
						const score = (used + request) / node.allocatable;
						if (score < bestScore) {
							bestScore = score;
							best = node;
						}
					}
				}

				if (reason !== '') {
					reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
				}
			}

			if (best) {
				this.bind(pod, best, now);
				this.event(this.podRef(pod), 'Normal', 'Scheduled', `Successfully assigned ${pod.namespace}/${pod.name} to ${best.name}`, 'default-scheduler');
			} else {
				// The scheduler sorts the "<count> <reason>" strings.
				const parts = [...reasons.entries()].map(([reason, count]) => `${count} ${reason}`).sort();
				const total = this.nodes.length;
				const message = `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
				pod.cond('PodScheduled', 'False', now, 'Unschedulable', message);
				this.event(this.podRef(pod), 'Warning', 'FailedScheduling', message, 'default-scheduler');
			}
		}
	}

	// ---- kubelet ------------------------------------------------------------------------------

	private startInstance(pod: PModel, c: CModel, at: number): void {
		c.state = 'running';
		c.waitingReason = '';
		c.waitingMessage = '';
		c.startedAt = at;
		c.instance += c.containerID === '' ? 0 : 1;
		c.containerID = this.containerId();
		c.started = true;
		c.ready = false;
		c.term = null;
		c.pid = 1000 + (mix(c.hash, c.instance, 11) % 60_000);
		pod.dirty = true;
	}

	private kubelet(pod: PModel, now: number): void {
		if (pod.stage === 'unscheduled' || pod.stage === 'done' || pod.deletionAt !== null) {
			return;
		}

		if (pod.stage === 'creating') {
			if (now < pod.stageUntil) {
				for (const c of pod.containers) {
					const reason = c.kind === 'app' && pod.containers.every((x) => x.kind === 'app') ? 'ContainerCreating' : 'PodInitializing';
					if (c.waitingReason !== reason) {
						c.waitingReason = reason;
						pod.dirty = true;
					}
				}

				return;
			}

			pod.startTime = pod.startTime || now;
			pod.cond('PodReadyToStartContainers', 'True', now);
			pod.cond('Initialized', pod.containers.some((c) => c.kind !== 'app') ? 'False' : 'True', now, pod.containers.some((c) => c.kind !== 'app') ? 'ContainersNotInitialized' : undefined, pod.containers.some((c) => c.kind !== 'app') ? `containers with incomplete status: [${pod.containers.filter((c) => c.kind === 'init').map((c) => c.spec.name).join(' ')}]` : undefined);
			pod.cond('Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${pod.apps.map((c) => c.spec.name).join(' ')}]`);
			pod.cond('ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${pod.apps.map((c) => c.spec.name).join(' ')}]`);
			pod.stage = 'init';
			pod.dirty = true;
		}

		if (pod.stage === 'init') {
			let initDone = true;
			for (const c of pod.containers) {
				if (c.kind === 'app') {
					continue;
				}

				if (c.kind === 'sidecar') {
					if (c.state === 'waiting' && c.waitingReason !== 'CrashLoopBackOff') {
						this.startInstance(pod, c, now);
					}

					if (!c.running) {
						initDone = false;
						break;
					}

					continue;
				}

				// plain init container
				if (c.state === 'terminated' && c.term?.exitCode === 0) {
					continue;
				}

				initDone = false;
				if (c.state === 'waiting' && c.waitingReason !== 'CrashLoopBackOff') {
					this.startInstance(pod, c, now);
				} else if (c.state === 'waiting' && now >= c.restartAt) {
					this.nextBackoff(c, c.lastFinishedAt);
					this.startInstance(pod, c, now);
				} else if (c.running && now - c.startedAt >= (c.spec.runSeconds ?? 3) * 1000) {
					c.state = 'terminated';
					c.term = {exitCode: 0, reason: 'Completed', startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
					c.ready = false;
					pod.dirty = true;
				}

				break;
			}

			if (initDone) {
				pod.cond('Initialized', 'True', now);
				for (const c of pod.apps) {
					this.startInstance(pod, c, now);
				}

				pod.stage = 'running';
				pod.phase = 'Running';
				pod.dirty = true;
			}
		}

		if (pod.stage === 'running') {
			for (const c of pod.containers) {
				if (c.kind === 'init') {
					continue;
				}

				if (c.state === 'waiting' && c.waitingReason === 'CrashLoopBackOff' && now >= c.restartAt) {
					this.nextBackoff(c, c.lastFinishedAt);
					this.startInstance(pod, c, now);
				}

				if (c.running && !c.ready && now - c.startedAt >= 2000) {
					c.ready = true;
					pod.dirty = true;
				}

				if (c.running && now >= c.nextLivenessKill) {
					c.nextLivenessKill += c.livenessEvery;
					this.livenessKill(pod, c, now);
				}

				const run = c.spec.runSeconds;
				if (c.kind === 'app' && run !== undefined && c.running && now - c.startedAt >= run * 1000) {
					c.state = 'terminated';
					c.term = {exitCode: 0, reason: 'Completed', startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
					c.ready = false;
					c.ws = 0;
					pod.dirty = true;
				}
			}

			const apps = pod.apps;
			const allReady = apps.every((c) => c.ready) && pod.containers.every((c) => c.kind !== 'sidecar' || c.running);
			const unready = apps.filter((c) => !c.ready).map((c) => c.spec.name);
			if (allReady) {
				pod.cond('Ready', 'True', now);
				pod.cond('ContainersReady', 'True', now);
			} else {
				const message = `containers with unready status: [${unready.join(' ')}]`;
				pod.cond('Ready', 'False', now, 'ContainersNotReady', message);
				pod.cond('ContainersReady', 'False', now, 'ContainersNotReady', message);
			}

			if (apps.length > 0 && apps.every((c) => c.state === 'terminated' && c.term?.exitCode === 0) && pod.workload.spec.template.restartPolicy !== 'Always') {
				pod.phase = 'Succeeded';
				pod.stage = 'done';
				pod.finishedAt = now;
				for (const c of pod.containers) {
					if (c.kind === 'sidecar' && c.running) {
						c.state = 'terminated';
						c.term = {exitCode: 0, reason: 'Completed', startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
					}
				}

				pod.cond('Ready', 'False', now, 'PodCompleted');
				pod.cond('ContainersReady', 'False', now, 'PodCompleted');
				pod.cond('PodReadyToStartContainers', 'False', now);
				pod.dirty = true;
			}
		}

		// Memory and the cgroup OOM killer.
		if (pod.stage === 'init' || pod.stage === 'running') {
			for (const c of pod.containers) {
				if (!c.running) {
					continue;
				}

				this.updateMemory(pod, c, now);
				if (c.limMem !== null && c.ws >= c.limMem) {
					c.ws = c.limMem;
					this.containerDied(pod, c, now, 'OOMKilled', 'cgroup');
				}
			}
		}
	}

	/** kubelet back-off: the first failure restarts at once, later ones wait 10s, 20s, ... 5m. */
	private nextBackoff(c: CModel, finishedAt: number): void {
		if (c.backoff === 0 || finishedAt - c.backoffUpdated > 600_000) {
			c.backoff = 10_000;
		} else {
			c.backoff = Math.min(300_000, c.backoff * 2);
		}

		c.backoffUpdated = finishedAt;
	}

	private containerDied(pod: PModel, c: CModel, now: number, reason: 'OOMKilled' | 'Error', killer: 'cgroup' | 'system' | 'liveness'): void {
		const node = this.nodeByName.get(pod.node);
		const term: Term = {exitCode: 137, reason, startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
		const rssAtDeath = c.rss;
		const pid = c.pid;
		c.restartCount++;
		c.last = term;
		c.lastFinishedAt = now;
		c.ready = false;
		c.ws = 0;
		c.usage = 0;
		c.rss = 0;
		pod.dirty = true;
		const inBackoff = c.backoff > 0 && now - c.backoffUpdated <= 600_000;
		if (inBackoff) {
			c.state = 'waiting';
			c.waitingReason = 'CrashLoopBackOff';
			c.restartAt = now + c.backoff;
			c.waitingMessage = `back-off ${goDuration(c.backoff)} restarting failed container=${c.spec.name} pod=${pod.name}_${pod.namespace}(${pod.uid})`;
			c.containerID = term.containerID;
			this.event(this.podRef(pod, c), 'Warning', 'BackOff', `Back-off restarting failed container ${c.spec.name} in pod ${pod.name}_${pod.namespace}(${pod.uid})`, 'kubelet', pod.node);
		} else {
			this.nextBackoff(c, now);
			this.startInstance(pod, c, now);
		}

		if (c.kind !== 'app' && pod.stage === 'init') {
			pod.dirty = true;
		}

		if (reason === 'OOMKilled' && node) {
			const qos = this.qos(pod);
			const critical = (pod.workload.spec.template.priority ?? 0) >= 2_000_000_000;
			const adj = oomScoreAdj(qos, this.podRequest(pod), node.capacity, critical);
			const anon = Math.floor(rssAtDeath / KI);
			const totalVm = anon * 3 + 123_456;
			const file = 1000 + (mix(c.hash, c.instance) % 20_000);
			const prefix = killer === 'system' ? 'Out of memory' : 'Memory cgroup out of memory';
			const kmsg = `${prefix}: Killed process ${pid} (${c.spec.process}) total-vm:${totalVm}kB, anon-rss:${anon}kB, file-rss:${file}kB, shmem-rss:0kB, UID:${c.spec.process === 'postgres' ? 999 : 0} pgtables:${Math.floor(totalVm / 500)}kB oom_score_adj:${adj}`;
			this.event(this.nodeRef(node), 'Warning', 'OOMKilling', kmsg, 'kernel-monitor', node.name);
			if (killer === 'system') {
				this.event(this.nodeRef(node), 'Warning', 'SystemOOM', `System OOM encountered, victim process: ${c.spec.process}, pid: ${pid}`, 'kubelet', node.name);
			}
		}

		this.incidents.push({
			time: now,
			kind: reason === 'OOMKilled' ? (c.kind === 'init' ? 'InitOOMKilled' : killer === 'system' ? 'SystemOOM' : 'OOMKilled') : 'Killed',
			namespace: pod.namespace,
			pod: pod.name,
			container: c.spec.name,
			node: pod.node,
			detail: `${reason} exit 137 (${killer}), restartCount ${c.restartCount}`,
		});
	}

	private livenessKill(pod: PModel, c: CModel, now: number): void {
		const ref = this.podRef(pod, c);
		const probe = c.spec.probe ?? {path: '/healthz', port: 8080};
		this.event(ref, 'Warning', 'Unhealthy', `Liveness probe failed: Get "http://${pod.ip}:${probe.port}${probe.path}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, 'kubelet', pod.node);
		this.event(ref, 'Normal', 'Killing', `Container ${c.spec.name} failed liveness probe, will be restarted`, 'kubelet', pod.node);
		this.containerDied(pod, c, now, 'Error', 'liveness');
	}

	private patternValue(pattern: Pattern, age: number, c: CModel, now: number): number {
		const second = Math.floor((now - this.epoch) / 1000);
		const noise = unit(this.seed, c.hash, second) - 0.5;
		switch (pattern.kind) {
			case 'steady': {
				return pattern.base * (1 + (pattern.jitter ?? 0.03) * 2 * noise);
			}

			case 'leak': {
				return pattern.base + pattern.rate * age + pattern.base * 0.01 * noise;
			}

			case 'grow': {
				return pattern.base + pattern.rate * age + pattern.base * 0.005 * noise;
			}

			case 'sawtooth': {
				const phase = (age % pattern.period) / pattern.period;
				return pattern.low + (pattern.high - pattern.low) * phase + pattern.low * 0.01 * noise;
			}

			case 'spiky': {
				const window = Math.floor(age / pattern.every);
				const offset = unit(this.seed, c.hash, window, 7) * (pattern.every - pattern.duration);
				const into = age - window * pattern.every - offset;
				let value = pattern.base * (1 + 0.04 * noise);
				if (into >= 0 && into < pattern.duration) {
					value += pattern.spike * Math.sin((Math.PI * into) / pattern.duration) * (0.7 + 0.3 * unit(this.seed, c.hash, window, 9));
				}

				return value;
			}

			case 'ramp': {
				return pattern.base + (pattern.peak - pattern.base) * Math.min(1, age / pattern.seconds) * (1 + 0.02 * noise);
			}
		}
	}

	private updateMemory(pod: PModel, c: CModel, now: number): void {
		const age = Math.max(0, (now - c.startedAt) / 1000);
		const pattern = c.instance === 0 && c.spec.firstPattern ? c.spec.firstPattern : c.spec.pattern;
		let ws = c.override ?? this.patternValue(pattern, age, c, now) * c.factor;
		const style = c.spec.metricsStyle ?? 'binary';
		ws = c.override ?? (style === 'binary' ? roundPage(ws) : roundForStyle(ws, style));
		const previous = c.ws;
		c.ws = ws;
		const rssRatio = c.spec.rssRatio ?? 0.9;
		c.rss = Math.min(ws, roundPage(ws * rssRatio));
		c.usage = Math.max(ws, roundPage(ws * (1 + (c.spec.cacheRatio ?? 0.08))));
		c.swap = c.spec.swapBytes ?? 0;
		const growthPages = Math.max(0, Math.floor((ws - previous) / 4096));
		c.pageFaults += growthPages + 20 + (mix(c.hash, Math.floor(now / 1000)) % 40);
		const node = this.nodeByName.get(pod.node);
		if (node && node.available < node.threshold * 3 && mix(c.hash, Math.floor(now / 1000), 5) % 4 === 0) {
			c.majorFaults += 1 + (mix(c.hash, Math.floor(now / 1000), 6) % 3);
		}

		const milli = c.spec.cpuMilli ?? 20;
		c.cpuNano = Math.max(1000, Math.round(milli * 1e6 * (1 + 0.3 * (unit(this.seed, c.hash, Math.floor(now / 1000), 2) - 0.5))));
		c.cpuCoreNs += Math.round((c.cpuNano * this.tickMs) / 1000);
	}

	private computeNodes(now: number): void {
		const second = Math.floor((now - this.epoch) / 1000);
		for (const node of this.nodes) {
			let ws = roundPage(node.spec.systemBytes * (1 + 0.01 * (unit(this.seed, node.index, second, 4) - 0.5)));
			let usage = ws + node.spec.cacheBytes;
			let rss = roundPage(ws * 0.7);
			let cpu = 150e6 + unit(this.seed, node.index, second, 8) * 60e6;
			let count = 0;
			for (const pod of this.pods) {
				if (pod.node !== node.name || !pod.containers.some((c) => c.running)) {
					continue;
				}

				count++;
				ws += pod.pauseBytes;
				usage += pod.pauseBytes;
				rss += pod.pauseBytes;
				for (const c of pod.containers) {
					if (c.running) {
						ws += c.ws;
						usage += c.usage;
						rss += c.rss;
						cpu += c.cpuNano;
					}
				}
			}

			node.podCount = count;
			node.ws = ws;
			node.usage = Math.max(usage, ws);
			node.rss = Math.min(rss, ws);
			node.available = Math.max(0, node.capacity - ws);
			node.pageFaults += 500 + (mix(node.index, second) % 300);
			node.cpuNano = Math.round(cpu);
			node.cpuCoreNs += Math.round((cpu * this.tickMs) / 1000);
			if (node.available < node.threshold * 2) {
				node.majorFaults += 3 + (mix(node.index, second, 1) % 20);
			}
		}
	}

	private systemOom(now: number): void {
		const rule = this.cluster.systemOom;
		if (!rule) {
			return;
		}

		const node = this.nodeByName.get(rule.node);
		if (!node || node.systemOomFired || node.available >= rule.below) {
			return;
		}

		const pod = this.pods.find((p) => p.namespace === rule.victim.namespace && p.name === rule.victim.pod && p.node === node.name && p.active);
		const c = pod?.containers.find((x) => x.spec.name === rule.victim.container && x.running);
		if (!pod || !c) {
			return;
		}

		node.systemOomFired = true;
		// A burst in the victim just before the kernel picked it.
		c.rss = c.ws + 256 * MI;
		this.containerDied(pod, c, now, 'OOMKilled', 'system');
	}

	// ---- eviction -----------------------------------------------------------------------------

	qos(pod: PModel): 'Guaranteed' | 'Burstable' | 'BestEffort' {
		let any = false;
		let guaranteed = true;
		for (const c of pod.containers) {
			const spec = c.spec;
			const requests = {cpu: spec.requests?.cpu ?? spec.limits?.cpu, memory: spec.requests?.memory ?? spec.limits?.memory};
			const limits = spec.limits ?? {};
			if (requests.cpu !== undefined || requests.memory !== undefined || limits.cpu !== undefined || limits.memory !== undefined) {
				any = true;
			}

			if (limits.cpu === undefined || limits.memory === undefined || requests.cpu === undefined || requests.memory === undefined) {
				guaranteed = false;
			} else if (cpuMilli(requests.cpu) !== cpuMilli(limits.cpu) || parseBytes(requests.memory) !== parseBytes(limits.memory)) {
				guaranteed = false;
			}
		}

		if (!any) {
			return 'BestEffort';
		}

		return guaranteed ? 'Guaranteed' : 'Burstable';
	}

	private podWorkingSet(pod: PModel): number {
		let ws = 0;
		for (const c of pod.containers) {
			if (c.running) {
				ws += c.ws;
			}
		}

		return ws;
	}

	/** kubelet rankMemoryPressure: exceeds requests, then priority (low first), then usage above request. */
	rankForEviction(node: string): PModel[] {
		const pods = this.pods.filter((p) => p.node === node && p.active && p.containers.some((c) => c.running));
		const candidates = pods.filter((p) => (p.workload.spec.template.priority ?? 0) < 2_000_000_000 && p.workload.spec.kind !== 'Static');
		const info = new Map(candidates.map((p) => {
			const ws = this.podWorkingSet(p);
			const request = p.containers.filter((c) => c.kind !== 'init').reduce((sum, c) => sum + (c.reqMem ?? 0), 0);
			return [p, {ws, request, exceeds: ws > request, priority: p.workload.spec.template.priority ?? 0}] as const;
		}));
		return candidates.sort((a, b) => {
			const x = info.get(a);
			const y = info.get(b);
			if (!x || !y) {
				return 0;
			}

			if (x.exceeds !== y.exceeds) {
				return x.exceeds ? -1 : 1;
			}

			if (x.priority !== y.priority) {
				return x.priority - y.priority;
			}

			return y.ws - y.request - (x.ws - x.request);
		});
	}

	private evictionManager(node: NModel, now: number): void {
		const met = node.available < node.threshold;
		if (met) {
			node.lastThresholdMet = now;
			if (!node.pressure) {
				node.pressure = true;
				node.pressureChanged = now;
				node.dirty = true;
				this.event(this.nodeRef(node), 'Normal', 'NodeHasInsufficientMemory', `Node ${node.name} status is now: NodeHasInsufficientMemory`, 'kubelet', node.name);
				this.incidents.push({time: now, kind: 'MemoryPressure', namespace: '', pod: '', container: '', node: node.name, detail: `available ${binarySI(Math.floor(node.available / KI) * KI)} < ${node.spec.evictionHard}`});
			}

			this.event(this.nodeRef(node), 'Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory', 'kubelet', node.name);
			this.incidents.push({time: now, kind: 'EvictionThresholdMet', namespace: '', pod: '', container: '', node: node.name, detail: 'Attempting to reclaim memory'});
			const victim = this.rankForEviction(node.name)[0];
			if (victim) {
				this.evictPod(victim, now, node);
			}
		} else if (node.pressure && now - node.lastThresholdMet >= node.spec.pressureTransition * 1000) {
			node.pressure = false;
			node.pressureChanged = now;
			node.dirty = true;
			node.systemOomFired = false;
			this.event(this.nodeRef(node), 'Normal', 'NodeHasSufficientMemory', `Node ${node.name} status is now: NodeHasSufficientMemory`, 'kubelet', node.name);
			this.incidents.push({time: now, kind: 'MemoryPressureCleared', namespace: '', pod: '', container: '', node: node.name, detail: ''});
		}
	}

	evictionMessage(pod: PModel, node: NModel): string {
		const available = Math.floor(node.available / KI) * KI;
		let message = `The node was low on resource: memory. Threshold quantity: ${node.spec.evictionHard}, available: ${binarySI(available)}. `;
		for (const c of pod.containers) {
			if (!c.running || c.kind === 'init') {
				continue;
			}

			const request = c.spec.requests?.memory ?? c.spec.limits?.memory ?? '0';
			if (c.ws > (c.reqMem ?? 0)) {
				message += `Container ${c.spec.name} was using ${binarySI(Math.floor(c.ws / KI) * KI)}, request is ${request}, has larger consumption of memory. `;
			}
		}

		return message;
	}

	private evictPod(pod: PModel, now: number, node: NModel): void {
		const message = this.evictionMessage(pod, node);
		pod.phase = 'Failed';
		pod.reason = 'Evicted';
		pod.message = message;
		pod.stage = 'done';
		pod.finishedAt = now;
		pod.cond('DisruptionTarget', 'True', now, 'TerminationByKubelet', message);
		pod.cond('Ready', 'False', now, 'PodFailed');
		pod.cond('ContainersReady', 'False', now, 'PodFailed');
		pod.cond('PodReadyToStartContainers', 'False', now);
		const offending: string[] = [];
		for (const c of pod.containers) {
			if (c.running) {
				if (c.ws > (c.reqMem ?? 0) && c.kind !== 'init') {
					offending.push(c.spec.name);
				}

				c.state = 'terminated';
				c.term = {exitCode: 137, reason: 'Error', startedAt: c.startedAt, finishedAt: now, containerID: c.containerID};
				c.ready = false;
				c.ws = 0;
				c.usage = 0;
				c.rss = 0;
			}
		}

		pod.dirty = true;
		this.event(this.podRef(pod), 'Warning', 'Evicted', message, 'kubelet', node.name);
		this.incidents.push({time: now, kind: 'Evicted', namespace: pod.namespace, pod: pod.name, container: offending.join(','), node: node.name, detail: message});
		this.computeNodes(now);
	}

	// ---- node status ----------------------------------------------------------------------------

	private nodeStatus(now: number): void {
		for (const node of this.nodes) {
			if (node.tainted !== node.pressure) {
				node.tainted = node.pressure;
				node.dirty = true;
			}

			if (now - node.heartbeat >= 300_000) {
				node.heartbeat = now;
				node.dirty = true;
			} else if (node.dirty) {
				node.heartbeat = now;
			}
		}
	}

	private cleanup(now: number): void {
		for (const pod of this.pods) {
			if (pod.reason === 'Evicted' && pod.deletionAt === null && now - pod.finishedAt >= 15 * 60_000) {
				pod.deletionAt = now;
			}
		}

		for (const [key, record] of this.events) {
			if (now - record.last >= 3_600_000) {
				this.events.delete(key);
				this.store.delete('events', record.namespace, record.name);
			}
		}
	}

	// ---- events -------------------------------------------------------------------------------

	private podRef(pod: PModel, c?: CModel): EventRef {
		const ref: EventRef = {kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid, apiVersion: 'v1'};
		if (c) {
			ref.fieldPath = c.kind === 'app' ? `spec.containers{${c.spec.name}}` : `spec.initContainers{${c.spec.name}}`;
		}

		return ref;
	}

	private nodeRef(node: NModel): EventRef {
		// The kubelet and node-problem-detector use the node name as the reference UID.
		return {kind: 'Node', namespace: '', name: node.name, uid: node.name, apiVersion: 'v1'};
	}

	private event(ref: EventRef, type: 'Normal' | 'Warning', reason: string, message: string, component: string, host?: string): void {
		const namespace = ref.namespace === '' ? 'default' : ref.namespace;
		const key = `${namespace}|${ref.kind}|${ref.name}|${ref.uid}|${ref.fieldPath ?? ''}|${reason}|${message}|${component}`;
		const now = this.now;
		const existing = this.events.get(key);
		if (existing && now - existing.last < 600_000) {
			existing.count++;
			existing.last = now;
			existing.value = {...existing.value, count: existing.count, lastTimestamp: rfc3339(now)};
			this.store.put('events', new JsonObj(existing.value));
			return;
		}

		if (existing) {
			this.store.delete('events', existing.namespace, existing.name);
		}

		const nanos = BigInt(now) * 1_000_000n + BigInt(this.eventSeq++ % 1_000_000);
		const name = `${ref.name}.${nanos.toString(16)}`;
		const uid = this.rng.uuid();
		const involved: Record<string, unknown> = {kind: ref.kind};
		if (ref.namespace !== '') {
			involved['namespace'] = ref.namespace;
		}

		involved['name'] = ref.name;
		involved['uid'] = ref.uid;
		involved['apiVersion'] = ref.apiVersion;
		if (ref.fieldPath) {
			involved['fieldPath'] = ref.fieldPath;
		}

		const source: Record<string, unknown> = {component};
		if (host) {
			source['host'] = host;
		}

		const value = {
			kind: 'Event',
			apiVersion: 'v1',
			metadata: {name, namespace, uid, resourceVersion: '', creationTimestamp: rfc3339(now)},
			involvedObject: involved,
			reason,
			message,
			source,
			firstTimestamp: rfc3339(now),
			lastTimestamp: rfc3339(now),
			count: 1,
			type,
			eventTime: null,
			reportingComponent: component === 'default-scheduler' ? 'default-scheduler' : component,
			reportingInstance: host ?? '',
		};
		this.events.set(key, {key, namespace, name, uid, value, count: 1, first: now, last: now});
		this.store.put('events', new JsonObj(value));
	}

	// ---- metrics samples ----------------------------------------------------------------------

	sample(now: number): void {
		const previous = this.sampleCur;
		const prevInstances = new Set<string>();
		if (previous) {
			for (const pod of previous.pods) {
				for (const c of pod.containers) {
					prevInstances.add(`${pod.uid}/${c.name}/${c.startedAt}`);
				}
			}
		}

		const pods: PodSample[] = [];
		for (const pod of this.pods) {
			const running = pod.containers.filter((c) => c.running);
			if (running.length === 0 || pod.node === '') {
				continue;
			}

			const containers: ContainerSample[] = running.map((c) => ({
				name: c.spec.name,
				startedAt: c.startedAt,
				ws: c.ws,
				usage: c.usage,
				rss: c.rss,
				swap: c.swap,
				pageFaults: c.pageFaults,
				majorFaults: c.majorFaults,
				cpuNano: c.cpuNano,
				cpuCoreNs: c.cpuCoreNs,
				limit: c.limMem,
				style: c.spec.metricsStyle ?? 'binary',
				metrics: previous === null || prevInstances.has(`${pod.uid}/${c.spec.name}/${c.startedAt}`),
			}));
			const limits = pod.containers.filter((c) => c.kind !== 'init').map((c) => c.limMem);
			pods.push({
				namespace: pod.namespace,
				name: pod.name,
				uid: pod.uid,
				node: pod.node,
				labels: this.podLabels(pod),
				startTime: pod.startTime,
				containers,
				pauseBytes: pod.pauseBytes,
				limit: limits.every((x) => x !== null) ? limits.reduce((a: number, b) => a + (b ?? 0), 0) : null,
				// metrics-server skips a pod while any of its containers has only one scrape.
				inMetrics: containers.every((c) => c.metrics),
			});
		}

		for (const [key, containers] of this.rawMemory) {
			const [namespace = '', name = ''] = key.split('/');
			const stored = this.store.get('pods', namespace, name);
			if (!stored) {
				continue;
			}

			const value = (stored.obj as JsonObj).value as {metadata: {uid?: string; labels?: Record<string, string>; creationTimestamp?: string}; spec?: {nodeName?: string}};
			const start = Date.parse(value.metadata.creationTimestamp ?? '') || now;
			pods.push({
				namespace,
				name,
				uid: value.metadata.uid ?? '',
				node: value.spec?.nodeName ?? '',
				labels: value.metadata.labels ?? {},
				startTime: start,
				containers: [...containers].map(([cname, bytes]) => ({name: cname, startedAt: start, ws: bytes, usage: bytes, rss: bytes, swap: 0, pageFaults: 0, majorFaults: 0, cpuNano: 1_000_000, cpuCoreNs: 0, limit: null, style: 'binary', metrics: true})),
				pauseBytes: 0,
				limit: null,
				inMetrics: true,
			});
		}

		pods.sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
		const nodes = new Map<string, NodeSample>();
		for (const node of this.nodes) {
			nodes.set(node.name, {
				name: node.name,
				labels: this.nodeLabels(node),
				capacity: node.capacity,
				ws: node.ws,
				usage: node.usage,
				rss: node.rss,
				available: node.available,
				pageFaults: node.pageFaults,
				majorFaults: node.majorFaults,
				cpuNano: node.cpuNano,
				cpuCoreNs: node.cpuCoreNs,
				swapCapacity: node.spec.swapBytes ?? 0,
				swapUsage: 0,
				startTime: node.created,
				pressureLevel: node.available < node.threshold * 2 ? Math.min(90, (node.threshold * 2 - node.available) / node.threshold * 40) : 0,
			});
		}

		this.sampleCur = {time: now, pods, nodes};
		this.sampleSeq++;
	}

	metricsSnapshot(): MetricsSnapshot {
		const sample = this.sampleCur;
		if (!sample) {
			return {time: 0, windowMs: this.resolution, pods: [], nodes: []};
		}

		return {
			time: sample.time,
			windowMs: metricsWindowMs(this.resolution, this.seed, this.sampleSeq),
			pods: sample.pods.filter((p) => p.inMetrics).map((p) => ({namespace: p.namespace, name: p.name, containers: p.containers.map((c) => ({name: c.name, workingSetBytes: c.ws}))})),
			nodes: [...sample.nodes.values()].map((n) => ({name: n.name, workingSetBytes: n.ws})),
		};
	}

	podMetrics(query: MetricsQuery): string[] {
		const sample = this.sampleCur;
		if (!sample) {
			return [];
		}

		const window = metricsWindow(this.resolution, this.seed, this.sampleSeq);
		const out: string[] = [];
		for (const pod of sample.pods) {
			if (!pod.inMetrics || (query.namespace !== null && pod.namespace !== query.namespace) || (query.name !== null && pod.name !== query.name)) {
				continue;
			}

			if (query.labels && !query.labels(pod.labels)) {
				continue;
			}

			if (query.fields && !query.fields((f) => (f === 'metadata.name' ? pod.name : f === 'metadata.namespace' ? pod.namespace : undefined))) {
				continue;
			}

			const containers = pod.containers.map((c) => `{"name":${JSON.stringify(c.name)},"usage":{"cpu":"${nanoCores(c.cpuNano)}","memory":"${formatBytes(c.ws, c.style)}"}}`);
			out.push(`{"metadata":{"name":${JSON.stringify(pod.name)},"namespace":${JSON.stringify(pod.namespace)},"creationTimestamp":"${rfc3339(this.now)}","labels":${JSON.stringify(pod.labels)}},"timestamp":"${rfc3339(sample.time)}","window":"${window}","containers":[${containers.join(',')}]}`);
		}

		return out;
	}

	nodeMetrics(query: MetricsQuery): string[] {
		const sample = this.sampleCur;
		if (!sample) {
			return [];
		}

		const window = metricsWindow(this.resolution, this.seed, this.sampleSeq);
		const out: string[] = [];
		for (const node of sample.nodes.values()) {
			if ((query.name !== null && node.name !== query.name) || (query.labels && !query.labels(node.labels))) {
				continue;
			}

			if (query.fields && !query.fields((f) => (f === 'metadata.name' ? node.name : undefined))) {
				continue;
			}

			out.push(`{"metadata":{"name":${JSON.stringify(node.name)},"creationTimestamp":"${rfc3339(this.now)}","labels":${JSON.stringify(node.labels)}},"timestamp":"${rfc3339(sample.time)}","window":"${window}","usage":{"cpu":"${nanoCores(node.cpuNano)}","memory":"${binarySI(node.ws)}"}}`);
		}

		return out;
	}

	hasNode(node: string): boolean {
		return this.nodeByName.has(node);
	}

	nodeAddress(node: string): string {
		return this.nodeByName.get(node)?.ip ?? '';
	}

	configz(name: string): Record<string, unknown> | null {
		const node = this.nodeByName.get(name);
		if (!node) {
			return null;
		}

		return {
			kubeletconfig: {
				enableServer: true,
				staticPodPath: '/etc/kubernetes/manifests',
				syncFrequency: '1m0s',
				fileCheckFrequency: '20s',
				httpCheckFrequency: '20s',
				address: '0.0.0.0',
				port: 10_250,
				authentication: {x509: {clientCAFile: '/etc/kubernetes/pki/ca.crt'}, webhook: {enabled: true, cacheTTL: '2m0s'}, anonymous: {enabled: false}},
				authorization: {mode: 'Webhook', webhook: {cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s'}},
				registryPullQPS: 5,
				registryBurst: 10,
				eventRecordQPS: 50,
				eventBurst: 100,
				enableDebuggingHandlers: true,
				healthzPort: 10_248,
				healthzBindAddress: '127.0.0.1',
				oomScoreAdj: -999,
				clusterDomain: 'cluster.local',
				clusterDNS: ['10.96.0.10'],
				nodeStatusUpdateFrequency: '10s',
				nodeStatusReportFrequency: '5m0s',
				imageMinimumGCAge: '2m0s',
				imageGCHighThresholdPercent: 85,
				imageGCLowThresholdPercent: 80,
				volumeStatsAggPeriod: '1m0s',
				cgroupsPerQOS: true,
				cgroupDriver: 'systemd',
				cpuManagerPolicy: 'none',
				memoryManagerPolicy: 'None',
				topologyManagerPolicy: 'none',
				runtimeRequestTimeout: '2m0s',
				hairpinMode: 'promiscuous-bridge',
				maxPods: 110,
				podPidsLimit: -1,
				resolvConf: '/run/systemd/resolve/resolv.conf',
				cpuCFSQuota: true,
				cpuCFSQuotaPeriod: '100ms',
				maxOpenFiles: 1_000_000,
				contentType: 'application/vnd.kubernetes.protobuf',
				kubeAPIQPS: 50,
				kubeAPIBurst: 100,
				serializeImagePulls: true,
				evictionHard: {
					'imagefs.available': '15%',
					'imagefs.inodesFree': '5%',
					'memory.available': node.spec.evictionHard,
					'nodefs.available': '10%',
					'nodefs.inodesFree': '5%',
				},
				evictionPressureTransitionPeriod: goDuration(node.spec.pressureTransition * 1000),
				enableControllerAttachDetach: true,
				makeIPTablesUtilChains: true,
				iptablesMasqueradeBit: 14,
				iptablesDropBit: 15,
				failSwapOn: node.spec.swapBytes === undefined,
				memorySwap: node.spec.swapBytes === undefined ? {} : {swapBehavior: 'LimitedSwap'},
				containerLogMaxSize: '10Mi',
				containerLogMaxFiles: 5,
				systemReserved: {memory: binarySI(Math.floor(node.spec.reservedBytes / 2 / MI) * MI)},
				kubeReserved: {memory: binarySI(node.spec.reservedBytes - Math.floor(node.spec.reservedBytes / 2 / MI) * MI)},
				enforceNodeAllocatable: ['pods'],
				volumePluginDir: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/',
				logging: {format: 'text', flushFrequency: '5s', verbosity: 0, options: {json: {infoBufferSize: '0'}}},
				enableSystemLogHandler: true,
				shutdownGracePeriod: '0s',
				shutdownGracePeriodCriticalPods: '0s',
				enableProfilingHandler: true,
				enableDebugFlagsHandler: true,
				seccompDefault: false,
				memoryThrottlingFactor: 0.9,
				registerNode: true,
				localStorageCapacityIsolation: true,
				containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
			},
		};
	}

	summary(name: string, onlyCpuAndMemory: boolean): string | null {
		const node = this.nodeByName.get(name);
		const sample = this.sampleCur;
		if (!node || !sample) {
			return null;
		}

		const ns = sample.nodes.get(name);
		if (!ns) {
			return null;
		}

		const time = rfc3339(sample.time);
		const psi = (level: number): Record<string, unknown> => ({
			full: {total: Math.round(level * 1000), avg10: Math.round(level * 50) / 100, avg60: Math.round(level * 30) / 100, avg300: Math.round(level * 10) / 100},
			some: {total: Math.round(level * 1200), avg10: Math.round(level * 60) / 100, avg60: Math.round(level * 35) / 100, avg300: Math.round(level * 12) / 100},
		});
		const cpu = (nano: number, coreNs: number): Record<string, unknown> => ({time, usageNanoCores: nano, usageCoreNanoSeconds: coreNs});
		const fs = (used: number): Record<string, unknown> => ({time, availableBytes: 82_120_321_024, capacityBytes: 102_888_095_744, usedBytes: used, inodesFree: 5_920_660, inodes: 6_071_091, inodesUsed: 4_300});
		const podsOnNode = sample.pods.filter((p) => p.node === name);
		const podWs = podsOnNode.reduce((sum, p) => sum + p.pauseBytes + p.containers.reduce((s, c) => s + c.ws, 0), 0);
		const podUsage = podsOnNode.reduce((sum, p) => sum + p.pauseBytes + p.containers.reduce((s, c) => s + c.usage, 0), 0);
		const podRss = podsOnNode.reduce((sum, p) => sum + p.pauseBytes + p.containers.reduce((s, c) => s + c.rss, 0), 0);
		const kubeletWs = roundPage(62 * MI + (node.index % 5) * 3 * MI);
		const runtimeWs = roundPage(48 * MI + (node.index % 3) * 5 * MI);
		const allocatableForPods = node.allocatable;
		const system = [
			{name: 'kubelet', startTime: rfc3339(node.created + 20_000), cpu: cpu(25e6, 3_492_960_000), memory: {time, usageBytes: kubeletWs + 4 * MI, workingSetBytes: kubeletWs, rssBytes: roundPage(kubeletWs * 0.92), pageFaults: 10_296, majorPageFaults: 0}},
			{name: 'runtime', startTime: rfc3339(node.created + 5000), cpu: cpu(12e6, 1_902_311_000), memory: {time, usageBytes: runtimeWs + 30 * MI, workingSetBytes: runtimeWs, rssBytes: roundPage(runtimeWs * 0.8), pageFaults: 40_102, majorPageFaults: 4}},
			{name: 'pods', startTime: rfc3339(node.created + 8000), cpu: cpu(Math.round(ns.cpuNano * 0.8), Math.round(ns.cpuCoreNs * 0.8)), memory: {time, availableBytes: Math.max(0, allocatableForPods - podWs), usageBytes: podUsage, workingSetBytes: podWs, rssBytes: Math.min(podRss, podWs), pageFaults: Math.round(ns.pageFaults * 0.6), majorPageFaults: Math.round(ns.majorFaults * 0.8)}},
		];
		const nodeMemory: Record<string, unknown> = {
			time,
			availableBytes: ns.available,
			usageBytes: ns.usage,
			workingSetBytes: ns.ws,
			rssBytes: ns.rss,
			pageFaults: ns.pageFaults,
			majorPageFaults: ns.majorFaults,
		};
		if (!onlyCpuAndMemory) {
			nodeMemory['psi'] = psi(ns.pressureLevel);
		}

		const nodeOut: Record<string, unknown> = {nodeName: name, systemContainers: system, startTime: rfc3339(node.created), cpu: cpu(ns.cpuNano, ns.cpuCoreNs), memory: nodeMemory};
		if (!onlyCpuAndMemory) {
			nodeOut['network'] = {time, name: 'eth0', rxBytes: 772_921_510 + node.index * 1_000_003, rxErrors: 0, txBytes: 13_888_023 + node.index * 77_001, txErrors: 0, interfaces: [{name: 'eth0', rxBytes: 772_921_510 + node.index * 1_000_003, rxErrors: 0, txBytes: 13_888_023 + node.index * 77_001, txErrors: 0}]};
			nodeOut['fs'] = fs(20_561_338_368);
			nodeOut['runtime'] = {imageFs: fs(6_715_707_904), containerFs: fs(6_715_707_904)};
			nodeOut['rlimit'] = {time, maxpid: 4_194_304, curproc: 420 + ns.pageFaults % 100};
			nodeOut['swap'] = {time, swapAvailableBytes: ns.swapCapacity - ns.swapUsage, swapUsageBytes: ns.swapUsage};
		}

		const pods = podsOnNode.map((p) => {
			const containers = p.containers.map((c) => {
				const memory: Record<string, unknown> = {time};
				if (c.limit !== null) {
					memory['availableBytes'] = Math.max(0, c.limit - c.ws);
				}

				Object.assign(memory, {usageBytes: c.usage, workingSetBytes: c.ws, rssBytes: c.rss, pageFaults: c.pageFaults, majorPageFaults: c.majorFaults});
				const out: Record<string, unknown> = {name: c.name, startTime: rfc3339(c.startedAt), cpu: cpu(c.cpuNano, c.cpuCoreNs), memory};
				if (!onlyCpuAndMemory) {
					out['rootfs'] = fs(86_016 + (hashString(c.name) % 100) * 4096);
					out['logs'] = fs(32_768);
					out['swap'] = {time, swapAvailableBytes: c.limit === null ? 0 : Math.max(0, c.limit - c.ws), swapUsageBytes: c.swap};
				}

				return out;
			});
			const ws = p.pauseBytes + p.containers.reduce((s, c) => s + c.ws, 0);
			const usage = p.pauseBytes + p.containers.reduce((s, c) => s + c.usage, 0);
			const rss = p.pauseBytes + p.containers.reduce((s, c) => s + c.rss, 0);
			const memory: Record<string, unknown> = {time};
			if (p.limit !== null) {
				memory['availableBytes'] = Math.max(0, p.limit - ws);
			}

			Object.assign(memory, {
				usageBytes: usage,
				workingSetBytes: ws,
				rssBytes: rss,
				pageFaults: p.containers.reduce((s, c) => s + c.pageFaults, 0) + 900,
				majorPageFaults: p.containers.reduce((s, c) => s + c.majorFaults, 0),
			});
			const out: Record<string, unknown> = {
				podRef: {name: p.name, namespace: p.namespace, uid: p.uid},
				startTime: rfc3339(p.startTime),
				containers,
				cpu: cpu(p.containers.reduce((s, c) => s + c.cpuNano, 0), p.containers.reduce((s, c) => s + c.cpuCoreNs, 0)),
				memory,
			};
			if (!onlyCpuAndMemory) {
				out['network'] = {time, name: 'eth0', rxBytes: 1_234_567 + (hashString(p.uid) % 1_000_000), rxErrors: 0, txBytes: 765_432 + (hashString(p.uid) % 500_000), txErrors: 0};
				out['ephemeral-storage'] = fs(122_880);
				out['process_stats'] = {process_count: p.containers.length};
				out['swap'] = {time, swapUsageBytes: p.containers.reduce((s, c) => s + c.swap, 0)};
			}

			return out;
		});
		return JSON.stringify({node: nodeOut, pods});
	}

	// ---- hooks ----------------------------------------------------------------------------------

	private findPod(namespace: string, name: string): PModel | undefined {
		return this.podByKey.get(`${namespace}/${name}`);
	}

	oomKill(namespace: string, name: string, container?: string): boolean {
		const pod = this.findPod(namespace, name);
		const c = pod?.containers.find((x) => x.running && (container === undefined ? x.kind === 'app' : x.spec.name === container));
		if (!pod || !c) {
			return false;
		}

		c.ws = c.limMem ?? c.ws;
		this.containerDied(pod, c, this.now, 'OOMKilled', 'cgroup');
		return true;
	}

	evict(namespace: string, name: string): boolean {
		const pod = this.findPod(namespace, name);
		const node = pod ? this.nodeByName.get(pod.node) : undefined;
		if (!pod || !node || !pod.active) {
			return false;
		}

		this.evictPod(pod, this.now, node);
		return true;
	}

	deletePod(namespace: string, name: string): boolean {
		const pod = this.findPod(namespace, name);
		if (!pod) {
			return false;
		}

		pod.deletionAt = this.now;
		for (const c of pod.containers) {
			c.state = 'terminated';
			c.ws = 0;
		}

		this.computeNodes(this.now);
		return true;
	}

	setContainerMemory(namespace: string, name: string, container: string, bytes: number | null): void {
		const pod = this.findPod(namespace, name);
		const c = pod?.containers.find((x) => x.spec.name === container);
		if (pod && c) {
			c.override = bytes;
			if (c.running) {
				this.updateMemory(pod, c, this.now);
			}

			return;
		}

		const key = `${namespace}/${name}`;
		const map = this.rawMemory.get(key) ?? new Map<string, number>();
		if (bytes === null) {
			map.delete(container);
		} else {
			map.set(container, bytes);
		}

		if (map.size === 0) {
			this.rawMemory.delete(key);
		} else {
			this.rawMemory.set(key, map);
		}
	}

	/** Current (tick-level) working set of a model container, for tests. */
	containerWorkingSet(namespace: string, name: string, container: string): number | null {
		const c = this.findPod(namespace, name)?.containers.find((x) => x.spec.name === container);
		return c?.running ? c.ws : null;
	}

	nodeAvailable(name: string): number | null {
		return this.nodeByName.get(name)?.available ?? null;
	}

	evictionOrder(node: string): string[] {
		return this.rankForEviction(node).map((p) => p.key);
	}

	// ---- JSON -----------------------------------------------------------------------------------

	private podLabels(pod: PModel): Record<string, string> {
		const spec = pod.workload.spec;
		const labels: Record<string, string> = {...spec.template.labels};
		switch (spec.kind) {
			case 'Deployment': {
				labels['pod-template-hash'] = pod.workload.hash;
				break;
			}

			case 'StatefulSet': {
				labels['apps.kubernetes.io/pod-index'] = String(pod.ordinal);
				labels['controller-revision-hash'] = `${spec.name}-${pod.workload.hash.slice(0, 10)}`;
				labels['statefulset.kubernetes.io/pod-name'] = pod.name;
				break;
			}

			case 'DaemonSet': {
				labels['controller-revision-hash'] = pod.workload.hash.slice(0, 10);
				labels['pod-template-generation'] = '1';
				break;
			}

			case 'CronJob': {
				const job = pod.generateName?.slice(0, -1) ?? '';
				const jobUid = pod.workload.jobs.find((j) => j.name === job)?.uid ?? '';
				labels['batch.kubernetes.io/controller-uid'] = jobUid;
				labels['batch.kubernetes.io/job-name'] = job;
				labels['controller-uid'] = jobUid;
				labels['job-name'] = job;
				break;
			}

			default: {
				break;
			}
		}

		return labels;
	}

	private nodeLabels(node: NModel): Record<string, string> {
		const labels: Record<string, string> = {
			'beta.kubernetes.io/arch': 'amd64',
			'beta.kubernetes.io/instance-type': node.spec.instanceType,
			'beta.kubernetes.io/os': 'linux',
			'kubernetes.io/arch': 'amd64',
			'kubernetes.io/hostname': node.name,
			'kubernetes.io/os': 'linux',
			'node.kubernetes.io/instance-type': node.spec.instanceType,
			'topology.kubernetes.io/region': 'eu-west-1',
			'topology.kubernetes.io/zone': node.spec.zone,
			...node.spec.labels,
		};
		if (node.spec.controlPlane) {
			labels['node-role.kubernetes.io/control-plane'] = '';
		}

		return labels;
	}

	private ownerRefs(pod: PModel): Array<Record<string, unknown>> | undefined {
		const workload = pod.workload;
		switch (workload.spec.kind) {
			case 'Deployment': {
				return [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: workload.ownerName, uid: workload.uid, controller: true, blockOwnerDeletion: true}];
			}

			case 'StatefulSet': {
				return [{apiVersion: 'apps/v1', kind: 'StatefulSet', name: workload.spec.name, uid: workload.uid, controller: true, blockOwnerDeletion: true}];
			}

			case 'DaemonSet': {
				return [{apiVersion: 'apps/v1', kind: 'DaemonSet', name: workload.spec.name, uid: workload.uid, controller: true, blockOwnerDeletion: true}];
			}

			case 'CronJob': {
				const job = pod.generateName?.slice(0, -1) ?? '';
				const jobUid = workload.jobs.find((j) => j.name === job)?.uid ?? '';
				return [{apiVersion: 'batch/v1', kind: 'Job', name: job, uid: jobUid, controller: true, blockOwnerDeletion: true}];
			}

			case 'Static': {
				const node = this.nodeByName.get(pod.node);
				return [{apiVersion: 'v1', kind: 'Node', name: pod.node, uid: node?.uid ?? '', controller: true}];
			}

			case 'Bare': {
				return undefined;
			}
		}
	}

	private containerJson(c: CModel, withRestartPolicy: boolean): Record<string, unknown> {
		const spec = c.spec;
		const out: Record<string, unknown> = {name: spec.name, image: spec.image};
		if (spec.ports) {
			out['ports'] = spec.ports;
		}

		const resources: Record<string, unknown> = {};
		if (spec.limits) {
			resources['limits'] = {...spec.limits};
		}

		// API defaulting: a limit without a request sets the request to the limit.
		const requests = {...(spec.limits ?? {}), ...(spec.requests ?? {})};
		if (Object.keys(requests).length > 0) {
			resources['requests'] = requests;
		}

		out['resources'] = resources;
		if (withRestartPolicy) {
			out['restartPolicy'] = 'Always';
		}

		out['volumeMounts'] = [{name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount'}];
		if (spec.probe) {
			out['livenessProbe'] = {httpGet: {path: spec.probe.path, port: spec.probe.port, scheme: 'HTTP'}, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3};
		}

		out['terminationMessagePath'] = '/dev/termination-log';
		out['terminationMessagePolicy'] = 'File';
		out['imagePullPolicy'] = 'IfNotPresent';
		return out;
	}

	private termJson(term: Term): Record<string, unknown> {
		const out: Record<string, unknown> = {exitCode: term.exitCode, reason: term.reason};
		if (term.message) {
			out['message'] = term.message;
		}

		out['startedAt'] = rfc3339(term.startedAt);
		out['finishedAt'] = rfc3339(term.finishedAt);
		out['containerID'] = term.containerID;
		return out;
	}

	private statusJson(c: CModel): Record<string, unknown> {
		let state: Record<string, unknown>;
		if (c.state === 'running') {
			state = {running: {startedAt: rfc3339(c.startedAt)}};
		} else if (c.state === 'terminated' && c.term) {
			state = {terminated: this.termJson(c.term)};
		} else {
			const waiting: Record<string, unknown> = {reason: c.waitingReason || 'ContainerCreating'};
			if (c.waitingMessage) {
				waiting['message'] = c.waitingMessage;
			}

			state = {waiting};
		}

		const out: Record<string, unknown> = {
			name: c.spec.name,
			state,
			lastState: c.last ? {terminated: this.termJson(c.last)} : {},
			ready: c.ready,
			restartCount: c.restartCount,
			image: c.spec.image,
			imageID: `${c.spec.image.replace(/:[^:/]+$/, '')}@sha256:${hashHex(c.spec.image)}`,
		};
		if (c.containerID !== '') {
			out['containerID'] = c.containerID;
		} else {
			out['imageID'] = '';
		}

		out['started'] = c.running;
		const requests = {...(c.spec.limits ?? {}), ...(c.spec.requests ?? {})};
		if (Object.keys(requests).length > 0) {
			out['allocatedResources'] = requests;
		}

		const resources: Record<string, unknown> = {};
		if (c.spec.limits) {
			resources['limits'] = {...c.spec.limits};
		}

		if (Object.keys(requests).length > 0) {
			resources['requests'] = requests;
		}

		out['resources'] = resources;
		return out;
	}

	private podJson(pod: PModel): Record<string, unknown> & {metadata: Record<string, unknown>} {
		const template = pod.workload.spec.template;
		const metadata: Record<string, unknown> = {name: pod.name};
		if (pod.generateName) {
			metadata['generateName'] = pod.generateName;
		}

		metadata['namespace'] = pod.namespace;
		metadata['uid'] = pod.uid;
		metadata['resourceVersion'] = '';
		metadata['generation'] = 1;
		metadata['creationTimestamp'] = rfc3339(pod.createdAt);
		if (pod.deletionAt !== null) {
			metadata['deletionTimestamp'] = rfc3339(pod.deletionAt);
			metadata['deletionGracePeriodSeconds'] = 0;
		}

		metadata['labels'] = this.podLabels(pod);
		const annotations: Record<string, string> = {...template.annotations};
		if (pod.workload.spec.kind === 'Static') {
			annotations['kubernetes.io/config.hash'] = pod.uid.replaceAll('-', '').slice(0, 32);
			annotations['kubernetes.io/config.mirror'] = pod.uid.replaceAll('-', '').slice(0, 32);
			annotations['kubernetes.io/config.source'] = 'file';
		}

		if (Object.keys(annotations).length > 0) {
			metadata['annotations'] = annotations;
		}

		const owners = this.ownerRefs(pod);
		if (owners) {
			metadata['ownerReferences'] = owners;
		}

		const spec: Record<string, unknown> = {
			volumes: [{name: 'kube-api-access', projected: {sources: [{serviceAccountToken: {expirationSeconds: 3607, path: 'token'}}, {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}}], defaultMode: 420}}],
		};
		const inits = pod.containers.filter((c) => c.kind !== 'app');
		if (inits.length > 0) {
			spec['initContainers'] = inits.map((c) => this.containerJson(c, c.kind === 'sidecar'));
		}

		spec['containers'] = pod.apps.map((c) => this.containerJson(c, false));
		spec['restartPolicy'] = template.restartPolicy ?? 'Always';
		spec['terminationGracePeriodSeconds'] = 30;
		spec['dnsPolicy'] = template.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst';
		if (template.nodeSelector) {
			spec['nodeSelector'] = template.nodeSelector;
		}

		spec['serviceAccountName'] = template.serviceAccountName ?? 'default';
		spec['serviceAccount'] = template.serviceAccountName ?? 'default';
		if (pod.node !== '') {
			spec['nodeName'] = pod.node;
		}

		if (template.hostNetwork) {
			spec['hostNetwork'] = true;
		}

		spec['securityContext'] = {};
		spec['schedulerName'] = 'default-scheduler';
		spec['tolerations'] = pod.workload.spec.kind === 'DaemonSet'
			? this.tolerationsOf(pod.workload.spec)
			: [
				...(template.tolerations ?? []),
				{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
				{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
			];
		if (template.priorityClassName) {
			spec['priorityClassName'] = template.priorityClassName;
		}

		spec['priority'] = template.priority ?? 0;
		if (template.runtimeClassName) {
			spec['runtimeClassName'] = template.runtimeClassName;
		}

		spec['enableServiceLinks'] = true;
		spec['preemptionPolicy'] = 'PreemptLowerPriority';
		if (template.overhead) {
			spec['overhead'] = template.overhead;
		}

		const status: Record<string, unknown> = {observedGeneration: 1, phase: pod.phase};
		const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'DisruptionTarget'];
		const conditions: Array<Record<string, unknown>> = [];
		for (const type of order) {
			const cond = pod.conds.get(type);
			if (!cond) {
				continue;
			}

			const out: Record<string, unknown> = {type, observedGeneration: 1, status: cond.status, lastProbeTime: null, lastTransitionTime: rfc3339(cond.time)};
			if (cond.reason) {
				out['reason'] = cond.reason;
			}

			if (cond.message) {
				out['message'] = cond.message;
			}

			conditions.push(out);
		}

		status['conditions'] = conditions;
		if (pod.message) {
			status['message'] = pod.message;
		}

		if (pod.reason) {
			status['reason'] = pod.reason;
		}

		const node = this.nodeByName.get(pod.node);
		if (node && pod.stage !== 'unscheduled') {
			status['hostIP'] = node.ip;
			status['hostIPs'] = [{ip: node.ip}];
			if (pod.stage !== 'creating' && pod.phase !== 'Failed') {
				const ip = template.hostNetwork ? node.ip : pod.ip;
				status['podIP'] = ip;
				status['podIPs'] = [{ip}];
			}

			if (pod.startTime) {
				status['startTime'] = rfc3339(pod.startTime);
			}

			if (inits.length > 0) {
				status['initContainerStatuses'] = inits.map((c) => this.statusJson(c));
			}

			status['containerStatuses'] = pod.apps.map((c) => this.statusJson(c));
		}

		status['qosClass'] = this.qos(pod);
		return {kind: 'Pod', apiVersion: 'v1', metadata, spec, status};
	}

	private nodeJson(node: NModel): Record<string, unknown> & {metadata: Record<string, unknown>} {
		const spec: Record<string, unknown> = {podCIDR: `10.244.${node.index}.0/24`, podCIDRs: [`10.244.${node.index}.0/24`], providerID: `aws:///${node.spec.zone}/i-0${hashHex(node.name).slice(0, 16)}`};
		const taints = this.taintsOf(node).map((t) => (t.key === 'node.kubernetes.io/memory-pressure' ? {key: t.key, effect: t.effect, timeAdded: rfc3339(node.pressureChanged)} : {key: t.key, effect: t.effect}));
		if (taints.length > 0) {
			spec['taints'] = taints;
		}

		const heartbeat = rfc3339(node.heartbeat);
		const memoryCondition = node.pressure
			? {type: 'MemoryPressure', status: 'True', lastHeartbeatTime: heartbeat, lastTransitionTime: rfc3339(node.pressureChanged), reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available'}
			: {type: 'MemoryPressure', status: 'False', lastHeartbeatTime: heartbeat, lastTransitionTime: rfc3339(node.pressureChanged), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available'};
		const created = rfc3339(node.created + 8000);
		const capacity = {cpu: String(node.spec.cpu), 'ephemeral-storage': '101203028Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${node.spec.capacityKi}Ki`, pods: '110'};
		const allocatable = {cpu: milliCores(node.spec.cpu * 1000 - 100), 'ephemeral-storage': '93270255340', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${node.allocatable / KI}Ki`, pods: '110'};
		const nodeInfo: Record<string, unknown> = {
			machineID: hashHex(`${node.name}m`).slice(0, 32),
			systemUUID: hashHex(`${node.name}s`).slice(0, 32),
			bootID: this.nodeBootId(node),
			kernelVersion: '6.8.0-1021-aws',
			osImage: 'Ubuntu 24.04.2 LTS',
			containerRuntimeVersion: 'containerd://2.1.4',
			kubeletVersion: KUBE_VERSION,
			kubeProxyVersion: '',
			operatingSystem: 'linux',
			architecture: 'amd64',
		};
		if (node.spec.swapBytes !== undefined) {
			nodeInfo['swap'] = {capacity: node.spec.swapBytes};
		}

		return {
			kind: 'Node',
			apiVersion: 'v1',
			metadata: {
				name: node.name,
				uid: node.uid,
				resourceVersion: '',
				creationTimestamp: rfc3339(node.created),
				labels: this.nodeLabels(node),
				annotations: {
					'node.alpha.kubernetes.io/ttl': '0',
					'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
				},
			},
			spec,
			status: {
				capacity,
				allocatable,
				conditions: [
					memoryCondition,
					{type: 'DiskPressure', status: 'False', lastHeartbeatTime: heartbeat, lastTransitionTime: created, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure'},
					{type: 'PIDPressure', status: 'False', lastHeartbeatTime: heartbeat, lastTransitionTime: created, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available'},
					{type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat, lastTransitionTime: rfc3339(node.readyTransition), reason: 'KubeletReady', message: 'kubelet is posting ready status'},
				],
				addresses: [
					{type: 'InternalIP', address: node.ip},
					{type: 'InternalDNS', address: `ip-${node.ip.replaceAll('.', '-')}.eu-west-1.compute.internal`},
					{type: 'Hostname', address: node.name},
				],
				daemonEndpoints: {kubeletEndpoint: {Port: 10_250}},
				nodeInfo,
			},
		};
	}

	private nodeBootId(node: NModel): string {
		const h = hashHex(`${node.name}boot`);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
	}
}

function hashHex(text: string): string {
	let out = '';
	for (let i = 0; out.length < 64; i++) {
		out += mix(hashString(text), i).toString(16).padStart(8, '0');
	}

	return out.slice(0, 64);
}

export const UNITS = {KI, MI, GI};
