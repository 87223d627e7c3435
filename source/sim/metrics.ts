/**
 * What metrics-server serves: a sample of every running container's and node's memory, taken at
 * each resolution boundary, and the metrics.k8s.io items built from it. A container instance
 * shows only from its second scrape on, and a pod only when all its containers do, as with
 * metrics-server. The kubelet's Summary API (kubelet-api.ts) reads the same sample.
 */
import type {Cluster} from './cluster.js';
import type {JsonObj} from './objects.js';
import {modelNodeLabels} from './node-json.js';
import {podLabels} from './pod-json.js';
import {quietCgroup, type PsiFigures} from './pressure.js';
import {hashString, mix} from './prng.js';
import {binarySI, formatBytes, metricsWindow, metricsWindowMs, nanoCores, rfc3339, type QuantityStyle} from './quantity.js';
import type {MetricsQuery, MetricsSnapshot, ScenarioRun} from './scenario.js';

interface ContainerSample {
	name: string;
	startedAt: number;
	ws: number;
	usage: number;
	rss: number;
	swap: number;
	pageFaults: number;
	majorFaults: number;
	psi: PsiFigures;
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
	pageFaults: number;
	majorFaults: number;
	psi: PsiFigures;
	inMetrics: boolean;
}

interface NodeSample {
	name: string;
	labels: Record<string, string>;
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
	psi: PsiFigures;
}

export interface Sample {
	time: number;
	pods: PodSample[];
	nodes: Map<string, NodeSample>;
}

/** The times every item of one metrics response carries. */
interface MetricsStamp {
	/** creationTimestamp: metrics are made on request */
	created: string;
	timestamp: string;
	window: string;
}

/** The stamp of a sample taken at `sampleTime`, the `seq`th: served now. */
export function metricsStamp(run: ScenarioRun, sampleTime: number, seq: number): MetricsStamp {
	return {created: rfc3339(run.now), timestamp: rfc3339(sampleTime), window: metricsWindow(run.resolution, run.seed, seq)};
}

export function podMatches(query: MetricsQuery, namespace: string, name: string, labels: Readonly<Record<string, string>> | undefined): boolean {
	if ((query.namespace !== null && namespace !== query.namespace) || (query.name !== null && name !== query.name)) {
		return false;
	}

	if (query.labels && !query.labels(labels)) {
		return false;
	}

	return !query.fields || query.fields((f) => (f === 'metadata.name' ? name : f === 'metadata.namespace' ? namespace : undefined));
}

export function nodeMatches(query: MetricsQuery, name: string, labels: Readonly<Record<string, string>>): boolean {
	if ((query.name !== null && name !== query.name) || (query.labels && !query.labels(labels))) {
		return false;
	}

	return !query.fields || query.fields((f) => (f === 'metadata.name' ? name : undefined));
}

// The items are strings put together: names are DNS-1123 names or labels, with nothing to escape.

/** One entry of a PodMetrics item's containers; `memory` is the quantity as served. */
export function containerUsageJson(name: string, cpuNano: number, memory: string): string {
	return `{"name":"${name}","usage":{"cpu":"${nanoCores(cpuNano)}","memory":"${memory}"}}`;
}

/** A PodMetrics item without kind/apiVersion; `labelsJson` and `containersJson` are JSON already. */
export function podMetricsJson(name: string, namespace: string, labelsJson: string, containersJson: string, stamp: MetricsStamp): string {
	return `{"metadata":{"name":"${name}","namespace":"${namespace}","creationTimestamp":"${stamp.created}","labels":${labelsJson}},"timestamp":"${stamp.timestamp}","window":"${stamp.window}","containers":[${containersJson}]}`;
}

export function nodeMetricsJson(name: string, labelsJson: string, cpuNano: number, memoryBytes: number, stamp: MetricsStamp): string {
	return `{"metadata":{"name":"${name}","creationTimestamp":"${stamp.created}","labels":${labelsJson}},"timestamp":"${stamp.timestamp}","window":"${stamp.window}","usage":{"cpu":"${nanoCores(cpuNano)}","memory":"${binarySI(memoryBytes)}"}}`;
}

export class Metrics {
	/** the sample being served; null before the first */
	current: Sample | null = null;
	/** bumped by every sample */
	seq = 0;
	/** working sets pinned for pods outside the model (raw objects), by namespace/name */
	private readonly pinned = new Map<string, Map<string, number>>();

	constructor(private readonly cluster: Cluster) {}

	/** Pin (or with null, unpin) the working set of a raw pod's container. */
	pin(namespace: string, name: string, container: string, bytes: number | null): void {
		const key = `${namespace}/${name}`;
		const map = this.pinned.get(key) ?? new Map<string, number>();
		if (bytes === null) {
			map.delete(container);
		} else {
			map.set(container, bytes);
		}

		if (map.size === 0) {
			this.pinned.delete(key);
		} else {
			this.pinned.set(key, map);
		}
	}

	sample(now: number): void {
		const previous = this.current;
		const prevInstances = new Set<string>();
		if (previous) {
			for (const pod of previous.pods) {
				for (const c of pod.containers) {
					prevInstances.add(`${pod.uid}/${c.name}/${c.startedAt}`);
				}
			}
		}

		const pods: PodSample[] = [];
		for (const pod of this.cluster.pods) {
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
				psi: c.psi.read(),
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
				labels: podLabels(pod),
				startTime: pod.startTime,
				containers,
				pauseBytes: pod.pauseBytes,
				limit: limits.every((x) => x !== null) ? limits.reduce((a: number, b) => a + (b ?? 0), 0) : null,
				pageFaults: pod.pageFaults,
				majorFaults: pod.majorFaults,
				psi: pod.psi.read(),
				// metrics-server skips a pod while any of its containers has only one scrape.
				inMetrics: containers.every((c) => c.metrics),
			});
		}

		pods.push(...this.pinnedPods(now));
		pods.sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
		const nodes = new Map<string, NodeSample>();
		for (const node of this.cluster.nodes) {
			nodes.set(node.name, {
				name: node.name,
				labels: modelNodeLabels(node),
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
				psi: node.psi.read(),
			});
		}

		this.current = {time: now, pods, nodes};
		this.seq++;
	}

	/** Samples of the raw pods whose memory is pinned (while they exist in the store). */
	private pinnedPods(now: number): PodSample[] {
		const pods: PodSample[] = [];
		for (const [key, containers] of this.pinned) {
			const [namespace = '', name = ''] = key.split('/');
			const stored = this.cluster.store.get('pods', namespace, name);
			if (!stored) {
				continue;
			}

			const value = (stored.obj as JsonObj).value as {metadata: {uid?: string; labels?: Record<string, string>; creationTimestamp?: string}; spec?: {nodeName?: string}};
			const start = Date.parse(value.metadata.creationTimestamp ?? '') || now;
			const uid = value.metadata.uid ?? '';
			const age = (now - start) / 1000;
			pods.push({
				namespace,
				name,
				uid,
				node: value.spec?.nodeName ?? '',
				labels: value.metadata.labels ?? {},
				startTime: start,
				containers: [...containers].map(([cname, bytes]) => ({name: cname, startedAt: start, ws: bytes, usage: bytes, rss: bytes, swap: 0, ...quietCgroup(mix(hashString(uid), hashString(cname)), age), cpuNano: 1_000_000, cpuCoreNs: 0, limit: null, style: 'binary', metrics: true})),
				pauseBytes: 0,
				limit: null,
				...quietCgroup(hashString(uid), age),
				inMetrics: true,
			});
		}

		return pods;
	}

	snapshot(): MetricsSnapshot {
		const sample = this.current;
		if (!sample) {
			return {time: 0, windowMs: this.cluster.resolution, pods: [], nodes: []};
		}

		return {
			time: sample.time,
			windowMs: metricsWindowMs(this.cluster.resolution, this.cluster.seed, this.seq),
			pods: sample.pods.filter((p) => p.inMetrics).map((p) => ({namespace: p.namespace, name: p.name, containers: p.containers.map((c) => ({name: c.name, workingSetBytes: c.ws}))})),
			nodes: [...sample.nodes.values()].map((n) => ({name: n.name, workingSetBytes: n.ws})),
		};
	}

	podMetrics(query: MetricsQuery): string[] {
		const sample = this.current;
		if (!sample) {
			return [];
		}

		const stamp = metricsStamp(this.cluster, sample.time, this.seq);
		return sample.pods.filter((pod) => pod.inMetrics && podMatches(query, pod.namespace, pod.name, pod.labels)).map((pod) => {
			const containers = pod.containers.map((c) => containerUsageJson(c.name, c.cpuNano, formatBytes(c.ws, c.style)));
			return podMetricsJson(pod.name, pod.namespace, JSON.stringify(pod.labels), containers.join(','), stamp);
		});
	}

	nodeMetrics(query: MetricsQuery): string[] {
		const sample = this.current;
		if (!sample) {
			return [];
		}

		const stamp = metricsStamp(this.cluster, sample.time, this.seq);
		const nodes = [...sample.nodes.values()].filter((node) => nodeMatches(query, node.name, node.labels));
		return nodes.map((node) => nodeMetricsJson(node.name, JSON.stringify(node.labels), node.cpuNano, node.ws, stamp));
	}
}
