/**
 * The live state of the demo cluster that the controllers, the scheduler and the kubelets read and
 * change: the models and the event recorder, beside the store, the generator and the clock.
 */
import type {ClusterSpec} from './cluster-spec.js';
import {EventRecorder} from './events.js';
import type {NodeModel, PodModel, WorkloadModel} from './models.js';
import {ScenarioRun, type Incident, type ScenarioContext} from './scenario.js';

export class Cluster extends ScenarioRun {
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
		super(context);
		this.events = new EventRecorder(this.store, this.rng, this);
	}

	findPod(namespace: string, name: string): PodModel | undefined {
		return this.podByKey.get(`${namespace}/${name}`);
	}

	containerId(): string {
		return `containerd://${this.rng.hex(64)}`;
	}
}
