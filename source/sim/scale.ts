/**
 * The scale scenario: N pods on M nodes (150,000 / 5,000 and beyond) with realistic variety,
 * held compactly (scale-cluster.ts). Memory changes every metrics sample, from the containers'
 * patterns (the demo's, memory.ts): a function of the seed, the pod, the container and the time.
 * A few containers are OOM-killed every tick and node heartbeats trickle in, so watches see
 * realistic traffic. It serves the same Event, metrics, Summary and configz shapes as the demo;
 * its cgroups are quiet ones (pressure.ts): slowly growing fault counters and stall totals.
 */
import type {ContainerSpec} from './cluster-spec.js';
import {eventName, eventObject, nodeRef} from './events.js';
import {oomKillMessage} from './kubelet.js';
import {cpuStats, kubeletConfigz, memoryStats} from './kubelet-api.js';
import {patternValue} from './memory.js';
import {containerUsageJson, metricsStamp, nodeMatches, nodeMetricsJson, podMatches, podMetricsJson} from './metrics.js';
import {JsonObj} from './objects.js';
import {quietCgroup} from './pressure.js';
import {mix, unit, uuidFrom} from './prng.js';
import {oomScoreAdj} from './qos.js';
import {binarySI, GI, KI, metricsWindowMs, MI, rfc3339, roundPage} from './quantity.js';
import {ScaleCluster} from './scale-cluster.js';
import type {Incident, MetricsQuery, MetricsSnapshot, Scenario, ScenarioContext} from './scenario.js';

export class ScaleScenario implements Scenario {
	readonly name = 'scale';
	readonly incidents: Incident[] = [];
	sampleSeq = 0;
	private cluster!: ScaleCluster;
	/** working set per pod container (3 slots per pod) at the current sample */
	private ws!: Float64Array;
	private nodeWs!: Float64Array;
	private sampleTime = 0;
	private eventSeq = 0;
	private readonly eventNames: Array<{namespace: string; name: string; at: number}> = [];

	constructor(
		readonly podCount: number,
		readonly nodeCount: number,
	) {}

	init(context: ScenarioContext): void {
		this.cluster = new ScaleCluster(context, this.podCount, this.nodeCount);
		this.ws = new Float64Array(this.cluster.current.length * 3);
		this.nodeWs = new Float64Array(this.cluster.nodeNames.length);
		this.sample(this.cluster.now);
	}

	tick(now: number): void {
		const cluster = this.cluster;
		const previous = cluster.now;
		cluster.now = now;
		const total = cluster.current.length;
		if (total > 0) {
			const kills = Math.max(1, Math.round(total * 0.0003));
			for (let k = 0; k < kills; k++) {
				this.killSome(cluster.rng.int(total), now);
			}
		}

		// Node status heartbeats, spread over the 5-minute report period.
		for (let n = 0; n < cluster.nodeNames.length; n++) {
			if (cluster.crossed(previous, 300_000, cluster.nodeHeartbeatSlot[n] ?? 0)) {
				cluster.nodeObjects[n] = cluster.nodeJson(n, now);
				cluster.store.put('nodes', new JsonObj(cluster.nodeObjects[n]!));
			}
		}

		// Event TTL (1h).
		while (this.eventNames.length > 0 && now - (this.eventNames[0]?.at ?? now) >= 3_600_000) {
			const old = this.eventNames.shift();
			if (old) {
				cluster.store.delete('events', old.namespace, old.name);
			}
		}

		if (cluster.crossed(previous, cluster.resolution)) {
			this.sample(now);
		}
	}

	/** Kill a random container of pod i (OOM when it has a limit, mostly), unless another one already restarted. */
	private killSome(i: number, now: number): void {
		const cluster = this.cluster;
		const pod = cluster.current[i];
		const w = pod ? cluster.workloadOf(i) : undefined;
		if (!pod || !w || w.kind === 'DaemonSet') {
			return;
		}

		const c = cluster.rng.int(w.containers.length);
		if (c !== pod.termContainer && pod.restarts > 0) {
			return;
		}

		const oom = w.limits[c] !== null && cluster.rng.next() < 0.85;
		const next = cluster.restart(pod, c, oom, now);
		this.incidents.push({time: now, kind: oom ? 'OOMKilled' : 'Killed', namespace: cluster.namespaces[w.ns] ?? '', pod: cluster.podNames[i] ?? '', container: w.containers[c]?.name ?? '', node: cluster.podNodeName(i), detail: `restartCount ${next.restarts}`});
		if (this.incidents.length > 10_000) {
			this.incidents.splice(0, 5000);
		}

		if (oom) {
			// The kernel's report, with the working set of the last sample as the RSS killed.
			const anon = Math.floor((this.ws[i * 3 + c] ?? 0) / KI);
			const adj = oomScoreAdj(w.qos, w.memoryRequest, cluster.nodeCapacity[cluster.podNode[i] ?? 0] ?? 0, w.critical);
			const kmsg = oomKillMessage(false, 1000 + (mix(cluster.seed, i, now) % 60_000), w.containers[c]?.process ?? 'app', {totalVm: anon * 3, anonRss: anon, fileRss: 1000 + (i % 9000), pgtables: Math.floor(anon / 500)}, 0, adj);
			this.event(cluster.podNodeName(i), 'OOMKilling', kmsg);
		}
	}

	private event(node: string, reason: string, message: string): void {
		const now = this.cluster.now;
		const name = eventName(node, now, this.eventSeq++);
		const uid = uuidFrom(this.cluster.seed, this.eventSeq, 91);
		this.cluster.store.put('events', new JsonObj(eventObject(nodeRef(node), 'Warning', reason, message, 'kernel-monitor', node, name, uid, now)));
		this.eventNames.push({namespace: 'default', name, at: now});
	}

	flush(): void {
		// Writes go to the store as they happen.
	}

	// ---- memory -------------------------------------------------------------------------------

	/** A container's working set now: its pattern, scaled by the pod's factor; kept under the limit (kills here are random, not at the limit). */
	private containerWs(i: number, c: number, spec: ContainerSpec, limit: number | null, startedAt: number, now: number): number {
		const {seed, epoch} = this.cluster;
		const second = Math.floor((now - epoch) / 1000);
		let value = patternValue(spec.pattern, Math.max(0, (now - startedAt) / 1000), seed, mix(i, c), second) * (this.cluster.podBaseFactor[i] ?? 1);
		if (limit !== null && value >= limit) {
			value = limit * (0.9 + 0.08 * unit(seed, i, c, second, 3));
		}

		return roundPage(value);
	}

	sample(now: number): void {
		const cluster = this.cluster;
		this.sampleTime = now;
		this.sampleSeq++;
		this.nodeWs.fill(0);
		for (let i = 0; i < cluster.current.length; i++) {
			const pod = cluster.current[i];
			const w = cluster.workloadOf(i);
			if (!pod || !w) {
				continue;
			}

			let podWs = 0;
			for (let c = 0; c < w.containers.length; c++) {
				const profile = w.containers[c];
				if (!profile) {
					continue;
				}

				const value = this.containerWs(i, c, profile, w.limits[c] ?? null, cluster.containerStarted(pod, c), now);
				this.ws[i * 3 + c] = value;
				podWs += value;
			}

			const node = cluster.podNode[i] ?? 0;
			this.nodeWs[node] = (this.nodeWs[node] ?? 0) + podWs + 512 * KI;
		}

		for (let n = 0; n < this.nodeWs.length; n++) {
			this.nodeWs[n] = (this.nodeWs[n] ?? 0) + 900 * MI + (mix(cluster.seed, n, Math.floor(now / 1000)) % 64) * MI;
		}
	}

	// ---- metrics-server and the kubelet API ----------------------------------------------------

	metricsSnapshot(): MetricsSnapshot {
		const cluster = this.cluster;
		const pods: MetricsSnapshot['pods'] = [];
		for (let i = 0; i < cluster.current.length; i++) {
			const w = cluster.workloadOf(i);
			if (w) {
				pods.push({namespace: cluster.namespaces[w.ns] ?? '', name: cluster.podNames[i] ?? '', containers: w.containers.map((c, k) => ({name: c.name, workingSetBytes: this.ws[i * 3 + k] ?? 0}))});
			}
		}

		return {time: this.sampleTime, windowMs: metricsWindowMs(cluster.resolution, cluster.seed, this.sampleSeq), pods, nodes: cluster.nodeNames.map((name, n) => ({name, workingSetBytes: this.nodeWs[n] ?? 0}))};
	}

	podMetrics(query: MetricsQuery): string[] {
		const cluster = this.cluster;
		const stamp = metricsStamp(cluster, this.sampleTime, this.sampleSeq);
		const out: string[] = [];
		for (let i = 0; i < cluster.current.length; i++) {
			const w = cluster.workloadOf(i);
			if (!w) {
				continue;
			}

			const namespace = cluster.namespaces[w.ns] ?? '';
			const name = cluster.podNames[i] ?? '';
			if (!podMatches(query, namespace, name, w.labels)) {
				continue;
			}

			let containers = '';
			for (let c = 0; c < w.containers.length; c++) {
				const cpu = 1_000_000 + (mix(cluster.seed, i, c, this.sampleSeq) % 300_000_000);
				containers += `${c === 0 ? '' : ','}${containerUsageJson(w.containers[c]?.name ?? '', cpu, binarySI(this.ws[i * 3 + c] ?? 0))}`;
			}

			out.push(podMetricsJson(name, namespace, w.labelsJson, containers, stamp));
		}

		return out;
	}

	nodeMetrics(query: MetricsQuery): string[] {
		const cluster = this.cluster;
		const stamp = metricsStamp(cluster, this.sampleTime, this.sampleSeq);
		const out: string[] = [];
		for (let n = 0; n < cluster.nodeNames.length; n++) {
			const name = cluster.nodeNames[n] ?? '';
			const labels = (cluster.nodeObjects[n]?.metadata['labels'] ?? {}) as Record<string, string>;
			if (nodeMatches(query, name, labels)) {
				out.push(nodeMetricsJson(name, JSON.stringify(labels), 200_000_000 + (mix(cluster.seed, n, this.sampleSeq) % 3_000_000_000), this.nodeWs[n] ?? 0, stamp));
			}
		}

		return out;
	}

	summary(name: string, onlyCpuAndMemory: boolean): string | null {
		const cluster = this.cluster;
		const n = cluster.nodeNames.indexOf(name);
		if (n < 0) {
			return null;
		}

		const time = rfc3339(this.sampleTime);
		const capacity = cluster.nodeCapacity[n] ?? 0;
		const nodeWs = this.nodeWs[n] ?? 0;
		const pods: Array<Record<string, unknown>> = [];
		for (let k = cluster.nodeStart[n] ?? 0; k < (cluster.nodeStart[n + 1] ?? 0); k++) {
			const i = cluster.nodePods[k] ?? 0;
			const pod = cluster.current[i];
			const w = cluster.workloadOf(i);
			if (!pod || !w) {
				continue;
			}

			let podWs = 512 * KI;
			const containers = w.containers.map((profile, c) => {
				const ws = this.ws[i * 3 + c] ?? 0;
				podWs += ws;
				const limit = w.limits[c] ?? null;
				const started = cluster.containerStarted(pod, c);
				const memory = memoryStats(time, {available: limit === null ? null : Math.max(0, limit - ws), usage: ws + Math.round(ws * 0.1 / 4096) * 4096, workingSet: ws, rss: Math.round(ws * 0.85 / 4096) * 4096, ...quietCgroup(mix(i, c), (this.sampleTime - started) / 1000)});
				return {name: profile.name, startTime: rfc3339(started), cpu: cpuStats(time, 1_000_000 + (mix(i, c, this.sampleSeq) % 300_000_000), 1_000_000_000_000 + (mix(i, c) % 1_000_000_000)), memory};
			});
			pods.push({
				podRef: {name: cluster.podNames[i] ?? '', namespace: cluster.namespaces[w.ns] ?? '', uid: uuidFrom(cluster.seed, i, 77)},
				startTime: rfc3339(cluster.podCreated[i] ?? 0),
				containers,
				memory: memoryStats(time, {available: null, usage: podWs + Math.round(podWs * 0.1 / 4096) * 4096, workingSet: podWs, rss: Math.round(podWs * 0.85 / 4096) * 4096, ...quietCgroup(mix(i), (this.sampleTime - (cluster.podCreated[i] ?? 0)) / 1000)}),
				...(onlyCpuAndMemory ? {} : {swap: {time, swapUsageBytes: 0}}),
			});
		}

		const booted = cluster.epoch - 40 * 86_400_000;
		const node: Record<string, unknown> = {
			nodeName: name,
			startTime: rfc3339(booted),
			cpu: cpuStats(time, 500_000_000 + (mix(n, this.sampleSeq) % 2_000_000_000), 9_000_000_000_000 + mix(n) * 1000),
			memory: memoryStats(time, {available: Math.max(0, capacity - nodeWs), usage: nodeWs + 3 * GI, workingSet: nodeWs, rss: Math.round(nodeWs * 0.8 / 4096) * 4096, ...quietCgroup(mix(n, 2), (this.sampleTime - booted) / 1000)}),
		};
		if (!onlyCpuAndMemory) {
			node['swap'] = {time, swapAvailableBytes: 0, swapUsageBytes: 0};
		}

		return JSON.stringify({node, pods});
	}

	configz(name: string): Record<string, unknown> | null {
		const n = this.cluster.nodeNames.indexOf(name);
		if (n < 0) {
			return null;
		}

		return kubeletConfigz({evictionHard: this.cluster.nodeThreshold[n] ?? '100Mi', pressureTransition: 300, reservedBytes: this.cluster.reservedBytes(n)});
	}

	hasNode(name: string): boolean {
		return this.cluster.nodeNames.includes(name);
	}

	nodeAddress(name: string): string {
		return this.cluster.nodeIps[this.cluster.nodeNames.indexOf(name)] ?? '';
	}

	// ---- hooks ----------------------------------------------------------------------------------

	oomKill(namespace: string, name: string, container?: string): boolean {
		const cluster = this.cluster;
		for (let i = 0; i < cluster.current.length; i++) {
			if (cluster.podNames[i] !== name || cluster.podNamespace(i) !== namespace) {
				continue;
			}

			const pod = cluster.current[i];
			const w = cluster.workloadOf(i);
			if (!pod || !w) {
				return false;
			}

			const c = container === undefined ? 0 : w.containers.findIndex((x) => x.name === container);
			if (c < 0) {
				return false;
			}

			cluster.restart(pod, c, true, cluster.now);
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
}
