/**
 * The state of the scale scenario, held compactly: the static facts of N pods on M nodes in typed
 * arrays and a table of workloads, the current version of each pod as a small struct, and the
 * Node objects. Pod JSON is built as a string when served (scale-pod-json.ts).
 */
import type {ContainerSpec} from './cluster-spec.js';
import {typicalBytes} from './memory.js';
import {nodeLabels, nodeObject} from './node-json.js';
import {JsonObj, type SimObj} from './objects.js';
import {hashString, hexFrom, mix, suffixFrom, unit, uuidFrom} from './prng.js';
import {GI, KI, MI, parseBytes, rfc3339} from './quantity.js';
import {namespaceObject} from './resources.js';
import {buildWorkload, scalePodJson, type ScaleWorkloadKind, type Workload} from './scale-pod-json.js';
import {DAEMON_SETS, PRIORITIES, PROFILES, ROLES, TEAMS, WORDS} from './scale-profiles.js';
import {ScenarioRun, type ScenarioContext} from './scenario.js';

type NodeObject = Record<string, unknown> & {metadata: Record<string, unknown>};

/** One version of a pod: its index plus the fields that change. */
export class ScalePod implements SimObj {
	constructor(
		private readonly cluster: ScaleCluster,
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
		return this.cluster.podNamespace(this.i);
	}

	get name(): string {
		return this.cluster.podNames[this.i] ?? '';
	}

	labels(): Readonly<Record<string, string>> | undefined {
		return this.cluster.workloadOf(this.i)?.labels;
	}

	field(path: string): string | undefined {
		return this.cluster.podField(this.i, path);
	}

	json(rv: number): string {
		return scalePodJson(this.cluster, this, rv);
	}
}

export class ScaleCluster extends ScenarioRun {
	namespaces: string[] = [];
	readonly workloads: Workload[] = [];
	readonly podNames: string[] = [];
	/** per pod: workload index, node index, creation time, memory factor */
	readonly podWl: Int32Array;
	readonly podNode: Int32Array;
	readonly podCreated: Float64Array;
	readonly podBaseFactor: Float32Array;
	/** the current version of each pod */
	readonly current: ScalePod[] = [];
	readonly nodeNames: string[] = [];
	readonly nodeIps: string[] = [];
	readonly nodeCapacity: Float64Array;
	readonly nodeThreshold: string[] = [];
	/** node → pods index (CSR): the pods of node n are nodePods[nodeStart[n] .. nodeStart[n + 1]) */
	readonly nodeStart: Int32Array;
	readonly nodePods: Int32Array;
	readonly nodeObjects: NodeObject[] = [];
	/** when in the 5-minute report period each node posts its status */
	readonly nodeHeartbeatSlot: Int32Array;

	constructor(context: ScenarioContext, podCount: number, nodeCount: number) {
		super(context);
		const pods = Math.max(0, Math.floor(podCount));
		const nodes = Math.max(1, Math.floor(nodeCount));
		this.createNamespaces(pods);
		this.nodeCapacity = new Float64Array(nodes);
		this.nodeHeartbeatSlot = new Int32Array(nodes);
		this.createNodes(nodes);
		this.podWl = new Int32Array(pods);
		this.podNode = new Int32Array(pods);
		this.podCreated = new Float64Array(pods);
		this.podBaseFactor = new Float32Array(pods);
		const ordinals = this.createPods(pods, nodes);
		this.nodeStart = new Int32Array(nodes + 1);
		for (let p = 0; p < pods; p++) {
			this.nodeStart[(this.podNode[p] ?? 0) + 1]!++;
		}

		for (let n = 0; n < nodes; n++) {
			this.nodeStart[n + 1]! += this.nodeStart[n]!;
		}

		this.nodePods = new Int32Array(pods);
		const fill = this.nodeStart.slice(0, nodes);
		for (let p = 0; p < pods; p++) {
			const n = this.podNode[p] ?? 0;
			this.nodePods[fill[n]!++] = p;
		}

		this.namePods(ordinals);
		for (let n = 0; n < nodes; n++) {
			this.nodeObjects.push(this.nodeJson(n, this.epoch - ((this.nodeHeartbeatSlot[n] ?? 0) % 60_000)));
		}

		this.store.load('nodes', this.nodeObjects.map((o) => new JsonObj(o)));
		this.store.load('pods', this.current);
	}

	private createNamespaces(pods: number): void {
		const target = Math.min(200, Math.max(4, Math.ceil(pods / 750)));
		const names = new Set<string>(['kube-system', 'monitoring', 'default']);
		while (names.size < target + 3) {
			names.add(`${this.rng.pick(WORDS)}-${this.rng.pick(TEAMS)}`);
		}

		this.namespaces = [...names].sort();
		this.store.load('namespaces', this.namespaces.concat(['kube-node-lease', 'kube-public']).sort().map((ns) => new JsonObj(namespaceObject(ns, uuidFrom(this.seed, hashString(ns)), rfc3339(this.epoch - 90 * 86_400_000)))));
	}

	private createNodes(nodes: number): void {
		const rng = this.rng;
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
	}

	private addWorkload(kind: ScaleWorkloadKind, ns: number, name: string, containers: readonly ContainerSpec[], priority: [string, number] | null): number {
		this.workloads.push(buildWorkload(this.seed, this.workloads.length, kind, ns, name, containers, priority));
		return this.workloads.length - 1;
	}

	/** Workloads and their pods: a DaemonSet pod on every node, then random workloads, spread over the nodes. Returns the pods' ordinals. */
	private createPods(total: number, nodes: number): number[] {
		const rng = this.rng;
		const ds = total >= nodes * 4 ? 2 : total >= nodes * 2 ? 1 : 0;
		const ordinals: number[] = [];
		let i = 0;
		for (const daemonSet of DAEMON_SETS.slice(0, ds)) {
			const {priorityClassName, priority, containers} = daemonSet.template;
			const w = this.addWorkload('DaemonSet', this.namespaces.indexOf(daemonSet.namespace), daemonSet.name, containers, priorityClassName === undefined ? null : [priorityClassName, priority ?? 0]);
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
			const kind: ScaleWorkloadKind = roll < 0.8 ? 'Deployment' : roll < 0.9 ? 'StatefulSet' : roll < 0.96 ? 'Job' : 'Bare';
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
			const w = this.addWorkload(kind, ns, name, containers, rng.pick(PRIORITIES));
			for (let r = 0; r < replicas; r++, i++) {
				// The scheduler's spread, cheaply: the emptier of two random nodes.
				const a = rng.int(nodes);
				const b = rng.int(nodes);
				const node = (free[a] ?? 0) >= (free[b] ?? 0) ? a : b;
				const demand = containers.reduce((sum, c) => sum + typicalBytes(c.pattern), 0) * (0.6 + unit(this.seed, i, 27) * 0.8) * 1.4;
				free[node] = (free[node] ?? 0) - demand;
				this.placePod(i, w, node, r);
				ordinals.push(r);
			}
		}

		return ordinals;
	}

	private placePod(i: number, workload: number, node: number, ordinal: number): void {
		this.podWl[i] = workload;
		this.podNode[i] = node;
		const w = this.workloads[workload];
		const age = w?.kind === 'DaemonSet' ? 40 * 86_400 : w?.kind === 'Job' ? 60 + (mix(this.seed, i, 3) % 3000) : 3600 + (mix(this.seed, i, 4) % (30 * 86_400));
		this.podCreated[i] = this.epoch - age * 1000 - ordinal * 1000;
	}

	/** Pod names (unique: generated suffixes can collide in big ReplicaSets) and the versions at t0, some with past restarts. */
	private namePods(ordinals: number[]): void {
		const taken = new Set<string>();
		for (let p = 0; p < this.podWl.length; p++) {
			const w = this.workloadOf(p);
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
	}

	// ---- pod facts ----------------------------------------------------------------------------

	workloadOf(i: number): Workload | undefined {
		return this.workloads[this.podWl[i] ?? 0];
	}

	podNamespace(i: number): string {
		return this.namespaces[this.workloadOf(i)?.ns ?? 0] ?? 'default';
	}

	podNodeName(i: number): string {
		return this.nodeNames[this.podNode[i] ?? 0] ?? '';
	}

	/** When container c of the pod's current version started: the one that last restarted, or all at creation. */
	containerStarted(pod: ScalePod, c: number): number {
		return c === pod.termContainer ? pod.startedAt : (this.podCreated[pod.i] ?? 0) + 4000;
	}

	/** Container c of the pod was killed at `now` (OOM or not) and restarted: the pod's next version, written to the store. */
	restart(pod: ScalePod, c: number, oom: boolean, now: number): ScalePod {
		const restarts = c === pod.termContainer ? pod.restarts : 0;
		const next = new ScalePod(this, pod.i, restarts + 1, c, now, oom ? 1 : 2, this.containerStarted(pod, c), now);
		this.current[pod.i] = next;
		this.store.put('pods', next);
		return next;
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
				return this.podNodeName(i);
			}

			case 'status.phase': {
				return 'Running';
			}

			case 'spec.restartPolicy': {
				return this.workloadOf(i)?.kind === 'Job' ? 'OnFailure' : 'Always';
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

	podIp(i: number): string {
		return `100.${64 + ((i >>> 16) & 63)}.${(i >>> 8) & 255}.${i & 255}`;
	}

	/** memory reserved for the system and the kubelet, by node size */
	reservedBytes(n: number): number {
		const capacity = this.nodeCapacity[n] ?? 0;
		return capacity > 64 * GI ? 4 * GI : capacity > 20 * GI ? 2 * GI : GI;
	}

	nodeJson(n: number, heartbeat: number): NodeObject {
		const name = this.nodeNames[n] ?? '';
		const capacity = this.nodeCapacity[n] ?? 0;
		const capacityKi = Math.floor(capacity / KI);
		const threshold = parseBytes(this.nodeThreshold[n] ?? '100Mi');
		const created = this.epoch - (40 * 86_400_000 + (mix(this.seed, n, 9) % 86_400_000));
		const zone = `us-east-1${'abcdef'[n % 6] ?? 'a'}`;
		const type = capacity > 100 * GI ? 'r6i.4xlarge' : capacity > 50 * GI ? 'r6i.2xlarge' : capacity > 20 * GI ? 'm6i.2xlarge' : 'm6i.xlarge';
		const cores = Math.round(capacity / (4 * GI));
		return nodeObject({
			name,
			uid: uuidFrom(this.seed, n, 51),
			created,
			labels: nodeLabels(name, type, 'us-east-1', zone),
			podCIDR: `100.${64 + (n >> 8)}.${n & 255}.0/24`,
			providerID: `aws:///${zone}/i-0${hexFrom(16, this.seed, n)}`,
			taints: [],
			cpuCores: cores,
			allocatableMilliCpu: cores * 1000 - 90,
			capacityKi,
			allocatableKi: capacityKi - Math.floor(this.reservedBytes(n) / KI) - Math.floor(threshold / KI),
			heartbeat,
			memoryPressure: false,
			transitions: {memory: created, pressure: created, ready: created},
			addresses: [{type: 'InternalIP', address: this.nodeIps[n] ?? ''}, {type: 'Hostname', address: name}],
			ids: {machineID: hexFrom(32, this.seed, n, 1), systemUUID: hexFrom(32, this.seed, n, 2), bootID: uuidFrom(this.seed, n, 3)},
		});
	}
}
