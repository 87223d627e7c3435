/**
 * The description of a simulated cluster (what demo.ts writes): nodes, workloads and their pod
 * templates, with the memory pattern of every container and the state the cluster is in at t0.
 */
import type {QuantityStyle} from './quantity.js';

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
	/** major faults a second from a file cache the limit leaves no room for (the kernel evicts it, the process reads it again) */
	refaults?: number;
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
