/**
 * The live state of a simulated cluster that the controllers, the scheduler and the kubelets read
 * and change: the models, the object store they are written to, the one random generator (its
 * calls come in a fixed order, which makes a run repeatable), the event recorder and the clock.
 */
import type {ClusterSpec} from './cluster-spec.js';
import {EventRecorder} from './events.js';
import type {NodeModel, PodModel, WorkloadModel} from './models.js';
import type {ObjectStore} from './objects.js';
import {Rng} from './prng.js';
import type {Incident, ScenarioContext} from './scenario.js';

export class Cluster {
	readonly store: ObjectStore;
	readonly rng: Rng;
	readonly seed: number;
	/** sim epoch: wall time of sim t = 0 */
	readonly epoch: number;
	readonly tickMs: number;
	/** the time of the current tick, epoch ms */
	now: number;
	readonly nodes: NodeModel[] = [];
	readonly nodeByName = new Map<string, NodeModel>();
	readonly workloads: WorkloadModel[] = [];
	/** pods in creation order (deleted ones leave at the next flush) */
	pods: PodModel[] = [];
	readonly podByKey = new Map<string, PodModel>();
	readonly events: EventRecorder;
	/** pod IPs are handed out in turn on each node's range */
	podIpSeq = 0;

	constructor(
		readonly spec: ClusterSpec,
		context: ScenarioContext,
		readonly incidents: Incident[],
	) {
		this.store = context.store;
		this.seed = context.seed;
		this.epoch = context.epoch;
		this.now = context.epoch;
		this.tickMs = context.tickMs;
		this.rng = new Rng(context.seed);
		this.events = new EventRecorder(this.store, this.rng, this);
	}

	findPod(namespace: string, name: string): PodModel | undefined {
		return this.podByKey.get(`${namespace}/${name}`);
	}

	containerId(): string {
		return `containerd://${this.rng.hex(64)}`;
	}
}
