/**
 * The simulated cluster's live objects, one model per kind: a container instance (state, restarts,
 * back-off, memory), a pod (phase, conditions, its containers), a workload (the controller that
 * owns pods) and a node (capacity, pressure, memory totals). The other parts mutate these; the
 * JSON builders turn them into Kubernetes objects.
 */
import type {ContainerSpec, NodeSpec, WorkloadSpec} from './cluster-spec.js';
import {Psi} from './pressure.js';
import {hashString, mix, type Rng} from './prng.js';
import {KI, parseBytes} from './quantity.js';

export interface Term {
	exitCode: number;
	reason: string;
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

/** What the kubelet reads of a cgroup (a container's or a node's): memory, page faults, memory PSI and CPU. */
class CgroupStats {
	/** working set: usage less inactive file pages */
	ws = 0;
	usage = 0;
	rss = 0;
	pageFaults = 0;
	majorFaults = 0;
	psi = new Psi();
	cpuNano = 0;
	cpuCoreNs = 0;
}

export class ContainerModel extends CgroupStats {
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
	/** kubelet back-off entry */
	backoff = 0;
	backoffUpdated = Number.NEGATIVE_INFINITY;
	restartAt = 0;
	lastFinishedAt = 0;
	nextLivenessKill = Number.POSITIVE_INFINITY;
	livenessEvery = 0;
	/** a pinned working set (setContainerMemory), instead of the pattern */
	override: number | null = null;
	swap = 0;
	pid = 0;
	/** the highest working set this instance has had: growth beyond it is first-touch page faults */
	peakWs = 0;

	constructor(
		readonly spec: ContainerSpec,
		readonly factor: number,
		podUid: string,
	) {
		super();
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

export class PodModel {
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
	/** the pod cgroup's counters and PSI: they outlive its containers' restarts */
	pageFaults = 0;
	majorFaults = 0;
	readonly psi = new Psi();

	constructor(
		readonly namespace: string,
		readonly name: string,
		readonly uid: string,
		readonly workload: WorkloadModel,
		readonly createdAt: number,
		readonly containers: ContainerModel[],
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

	get apps(): ContainerModel[] {
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

export class WorkloadModel {
	readonly uid: string;
	readonly hash: string;
	/** CronJob: the time of the next run, and the Jobs it created */
	nextRun = 0;
	readonly jobs: Array<{name: string; uid: string}> = [];
	/** how many pods were created after t0 (picks the next memory factor) */
	factorIndex = 0;

	constructor(
		readonly spec: WorkloadSpec,
		rng: Rng,
	) {
		this.uid = rng.uuid();
		// A second uid is drawn and not used: every later draw, and so the whole run, stays as it was.
		rng.uuid();
		this.hash = spec.kind === 'Deployment' ? rng.suffix(rng.range(9, 10)) : rng.suffix(10);
	}

	/** the name of the controller object that owns the pods */
	get ownerName(): string {
		return this.spec.kind === 'Deployment' ? `${this.spec.name}-${this.hash}` : this.spec.name;
	}
}

export class NodeModel extends CgroupStats {
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
	available = 0;

	constructor(
		readonly spec: NodeSpec,
		index: number,
		epoch: number,
		rng: Rng,
	) {
		super();
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
	}

	get name(): string {
		return this.spec.name;
	}
}
