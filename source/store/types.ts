/**
 * Slim records: what memtop keeps of each Kubernetes object. `source/kube` builds them at the
 * door (every string already stripped of control characters); nothing here holds a whole object.
 *
 * Byte figures are plain numbers (exact integers up to 2^53). `null` means "not set" (no request,
 * no limit) or "not known yet" (no metrics sample), never zero.
 */

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface Termination {
	reason: string; // OOMKilled, Error, Completed, ... ('' when the kubelet gave none)
	exitCode: number;
	signal: number | null;
	finishedAt: number | null; // epoch ms
	startedAt: number | null; // epoch ms
	message: string;
}

export interface ContainerRecord {
	name: string;
	/** app: spec.containers; init: plain init container; sidecar: init container with restartPolicy Always */
	kind: 'app' | 'init' | 'sidecar';
	requestBytes: number | null;
	limitBytes: number | null;
	restarts: number;
	/** running | waiting | terminated | unknown */
	state: 'running' | 'waiting' | 'terminated' | 'unknown';
	/** waiting/terminated reason (CrashLoopBackOff, OOMKilled, ...) */
	stateReason: string;
	lastTermination: Termination | null;
	/** state.terminated when the container is terminated now */
	currentTermination: Termination | null;
}

export interface OwnerRef {
	kind: string; // ReplicaSet, StatefulSet, DaemonSet, Job, Node, ...
	name: string;
}

export interface PodRecord {
	/** namespace/name */
	key: string;
	uid: string;
	namespace: string;
	name: string;
	nodeName: string; // '' when unscheduled
	phase: string; // Pending Running Succeeded Failed Unknown
	reason: string; // status.reason (Evicted, ...)
	message: string; // status.message, cut to 300 chars
	qos: QosClass;
	priority: number;
	/** pod-level by the scheduler's rule (see memory/pod-resources), overhead included */
	requestBytes: number | null;
	/** null when any container has no limit (unbounded) */
	limitBytes: number | null;
	containers: ContainerRecord[];
	restarts: number; // sum over containers
	owner: OwnerRef | null;
	createdAt: number; // epoch ms
	deleting: boolean;
	resourceVersion: string;
}

export interface NodeRecord {
	name: string;
	uid: string;
	capacityBytes: number | null;
	allocatableBytes: number | null;
	memoryPressure: boolean;
	/** when MemoryPressure last changed (epoch ms) */
	memoryPressureSince: number | null;
	ready: boolean;
	unschedulable: boolean;
	kubeletPort: number | null;
	internalIP: string;
	createdAt: number;
	resourceVersion: string;
}

export type FeedKind =
	| 'OOMKilled' // container killed by the cgroup OOM killer (status or Event)
	| 'Killed' // exit 137 / SIGKILL without OOMKilled
	| 'Evicted' // pod evicted by the kubelet
	| 'SystemOOM' // node event from the kubelet
	| 'OOMKilling' // node event from node-problem-detector
	| 'EvictionThresholdMet'
	| 'NodeHasInsufficientMemory'
	| 'MemoryPressure' // MemoryPressure turned on
	| 'MemoryPressureCleared'; // MemoryPressure turned off

export interface FeedEntry {
	/** identity used to fold the same incident seen through several sources */
	id: string;
	time: number; // epoch ms
	kind: FeedKind;
	namespace: string;
	pod: string;
	container: string;
	node: string;
	init: boolean; // the container was an init container
	exitCode: number | null;
	reason: string;
	message: string;
	/** how many times this incident was reported (Event count, repeated status) */
	count: number;
	/** where it was seen: 'status' | 'event' | 'node' */
	sources: string[];
	/** flags raised on this entry: 'repeated-oom' (>3 OOM in 1h for this container), 'mass-eviction' */
	flags: string[];
}

/** A raw Event reduced to what the feed needs. */
export interface EventRecord {
	uid: string;
	reason: string;
	message: string;
	type: string; // Normal | Warning
	involvedKind: string; // Pod | Node
	namespace: string;
	name: string; // involved object name
	fieldPath: string; // spec.containers{name}
	source: string; // kubelet, kernel-monitor, ...
	count: number;
	firstTime: number;
	lastTime: number;
	resourceVersion: string;
}

/** One metrics poll, already parsed: working set in bytes. */
export interface MetricsSample {
	time: number; // epoch ms the window ended (metrics `timestamp`), else poll time
	windowMs: number;
	pods: Map<string, {workingSetBytes: number; containers: Map<string, number>}>; // key namespace/name
	nodes: Map<string, number>;
}

/** Summary API breakdown per container (bytes); null = not reported. */
export interface MemoryBreakdown {
	workingSetBytes: number | null;
	usageBytes: number | null;
	rssBytes: number | null;
	cacheBytes: number | null; // usage - rss when both known
	swapBytes: number | null;
	pageFaults: number | null;
	majorPageFaults: number | null;
	time: number;
}

export interface NodeSummary {
	node: string;
	time: number;
	availableBytes: number | null;
	workingSetBytes: number | null;
	usageBytes: number | null;
	rssBytes: number | null;
	/** hard eviction threshold for memory.available, bytes */
	evictionHardBytes: number;
	evictionHardSource: 'configz' | 'default';
	pods: Map<string, {total: MemoryBreakdown; containers: Map<string, MemoryBreakdown>}>; // key ns/name
}

export type SummaryState =
	| {status: 'ok'; summary: NodeSummary}
	| {status: 'unavailable'; reason: string; time: number};

/** Conditions memtop shows as banners while it keeps running. */
export interface Banner {
	id: string; // stable id, e.g. 'metrics', 'watch:pods', 'rbac:nodes'
	level: 'info' | 'warn' | 'error';
	text: string;
	since: number;
}

export interface ConnectionInfo {
	context: string;
	cluster: string;
	server: string;
	user: string;
	namespace: string | null; // null = all namespaces
	selector: string;
	metricsApi: string | null; // e.g. metrics.k8s.io/v1beta1, null when absent
	demo: boolean;
}
