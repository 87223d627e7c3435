/**
 * A small simulated cluster with real controller and kubelet behaviour, driven tick by tick: the
 * demo (and empty) scenario. World only coordinates; each concern has its file:
 *
 *   cluster-spec.ts    what the cluster is made of (demo.ts writes one)
 *   cluster.ts         the live state all parts share; models.ts the objects in it
 *   initial-state.ts   the cluster at t0
 *   controllers.ts     ReplicaSet, StatefulSet, CronJob/Job, pod GC
 *   scheduler.ts       selectors, taints, memory requests against allocatable
 *   kubelet.ts         containers, back-off restarts, liveness kills, cgroup OOM kills, node status
 *   memory.ts          working sets from the patterns; node totals
 *   pressure.ts        page faults and memory PSI of every container, pod and node
 *   eviction.ts        MemoryPressure, the eviction ranking, the kernel's system OOM
 *   events.ts, pod-json.ts, node-json.ts   the objects written to the store
 *   metrics.ts         metrics-server samples; kubelet-api.ts configz and the Summary API
 *
 * Every object it writes is a full Kubernetes JSON object; memory lives only in the metrics
 * samples (metrics.k8s.io and the Summary API), like in a real cluster.
 */
import {Cluster} from './cluster.js';
import type {ClusterSpec} from './cluster-spec.js';
import {collectEvictedPods, runControllers} from './controllers.js';
import {evictionManager, evictPod, rankForEviction, systemOom} from './eviction.js';
import {createInitialState} from './initial-state.js';
import {containerDied, syncPod, updateNodeStatus} from './kubelet.js';
import {kubeletConfigz, statsSummary} from './kubelet-api.js';
import {computeNodes, updateMemory} from './memory.js';
import {Metrics} from './metrics.js';
import type {PodModel} from './models.js';
import {modelNodeObject} from './node-json.js';
import {JsonObj} from './objects.js';
import {podObject} from './pod-json.js';
import {updatePressure} from './pressure.js';
import type {Incident, MetricsQuery, MetricsSnapshot, Scenario, ScenarioContext} from './scenario.js';
import {schedule} from './scheduler.js';

export class World implements Scenario {
	readonly incidents: Incident[] = [];
	private cluster!: Cluster;
	private metrics!: Metrics;

	constructor(
		readonly name: string,
		private readonly spec: ClusterSpec,
	) {}

	get sampleSeq(): number {
		return this.metrics.seq;
	}

	init(context: ScenarioContext): void {
		const cluster = new Cluster(this.spec, context, this.incidents);
		this.cluster = cluster;
		this.metrics = new Metrics(cluster);
		createInitialState(cluster);

		// Bring every running container to its t0 memory (and the faults and PSI of the time it has
		// run), then take two scrapes so metrics exist now.
		for (const pod of cluster.pods) {
			for (const c of pod.containers) {
				if (c.running) {
					updateMemory(cluster, c, cluster.now);
				}
			}
		}

		computeNodes(cluster, cluster.now);
		updatePressure(cluster, cluster.now, Number.POSITIVE_INFINITY);
		this.metrics.sample(cluster.now);
		this.metrics.sample(cluster.now);
		for (const node of cluster.nodes) {
			node.dirty = false;
		}

		cluster.store.load('nodes', cluster.nodes.map((n) => new JsonObj(modelNodeObject(n))));
		cluster.store.load('pods', cluster.pods.map((p) => new JsonObj(podObject(cluster, p))));
		for (const pod of cluster.pods) {
			pod.dirty = false;
		}
	}

	tick(now: number): void {
		const cluster = this.cluster;
		const previous = cluster.now;
		cluster.now = now;
		runControllers(cluster, now);
		schedule(cluster, now);
		for (const pod of cluster.pods) {
			syncPod(cluster, pod, now);
		}

		computeNodes(cluster, now);
		systemOom(cluster, now);
		if (cluster.crossed(previous, 10_000)) {
			for (const node of cluster.nodes) {
				evictionManager(cluster, node, now);
			}
		}

		updateNodeStatus(cluster, now);
		updatePressure(cluster, now, (now - previous) / 1000);
		collectEvictedPods(cluster, now);
		cluster.events.expire(now);
		if (cluster.crossed(previous, cluster.resolution)) {
			this.metrics.sample(now);
		}
	}

	flush(): void {
		const cluster = this.cluster;
		for (const node of cluster.nodes) {
			if (node.dirty) {
				node.dirty = false;
				cluster.store.put('nodes', new JsonObj(modelNodeObject(node)));
			}
		}

		const remaining: PodModel[] = [];
		for (const pod of cluster.pods) {
			if (pod.deletionAt !== null && pod.deletionAt <= cluster.now) {
				cluster.store.delete('pods', pod.namespace, pod.name);
				cluster.podByKey.delete(pod.key);
				continue;
			}

			remaining.push(pod);
			if (pod.dirty) {
				pod.dirty = false;
				cluster.store.put('pods', new JsonObj(podObject(cluster, pod)));
			}
		}

		cluster.pods = remaining;
	}

	// ---- metrics-server and the kubelet API ----------------------------------------------------

	sample(now: number): void {
		this.metrics.sample(now);
	}

	metricsSnapshot(): MetricsSnapshot {
		return this.metrics.snapshot();
	}

	podMetrics(query: MetricsQuery): string[] {
		return this.metrics.podMetrics(query);
	}

	nodeMetrics(query: MetricsQuery): string[] {
		return this.metrics.nodeMetrics(query);
	}

	hasNode(node: string): boolean {
		return this.cluster.nodeByName.has(node);
	}

	nodeAddress(node: string): string {
		return this.cluster.nodeByName.get(node)?.ip ?? '';
	}

	configz(name: string): Record<string, unknown> | null {
		const node = this.cluster.nodeByName.get(name);
		return node ? kubeletConfigz(node.spec) : null;
	}

	summary(name: string, onlyCpuAndMemory: boolean): string | null {
		const node = this.cluster.nodeByName.get(name);
		const sample = this.metrics.current;
		return node && sample ? statsSummary(node, sample, onlyCpuAndMemory) : null;
	}

	// ---- hooks ----------------------------------------------------------------------------------

	oomKill(namespace: string, name: string, container?: string): boolean {
		const pod = this.cluster.findPod(namespace, name);
		const c = pod?.containers.find((x) => x.running && (container === undefined ? x.kind === 'app' : x.spec.name === container));
		if (!pod || !c) {
			return false;
		}

		c.ws = c.limMem ?? c.ws;
		containerDied(this.cluster, pod, c, this.cluster.now, 'OOMKilled', 'cgroup');
		return true;
	}

	evict(namespace: string, name: string): boolean {
		const pod = this.cluster.findPod(namespace, name);
		const node = pod ? this.cluster.nodeByName.get(pod.node) : undefined;
		if (!pod || !node || !pod.active) {
			return false;
		}

		evictPod(this.cluster, pod, this.cluster.now, node);
		return true;
	}

	deletePod(namespace: string, name: string): boolean {
		const pod = this.cluster.findPod(namespace, name);
		if (!pod) {
			return false;
		}

		pod.deletionAt = this.cluster.now;
		for (const c of pod.containers) {
			c.state = 'terminated';
			c.ws = 0;
		}

		computeNodes(this.cluster, this.cluster.now);
		return true;
	}

	setContainerMemory(namespace: string, name: string, container: string, bytes: number | null): void {
		const pod = this.cluster.findPod(namespace, name);
		const c = pod?.containers.find((x) => x.spec.name === container);
		if (!pod || !c) {
			this.metrics.pin(namespace, name, container, bytes);
			return;
		}

		c.override = bytes;
		if (c.running) {
			updateMemory(this.cluster, c, this.cluster.now);
		}
	}

	/** The pods of a node in the order the kubelet would evict them (namespace/name), for tests. */
	evictionOrder(node: string): string[] {
		return rankForEviction(this.cluster, node).map((p) => p.key);
	}
}
