/**
 * Pod records: what memtop keeps of each Pod. `source/kube` builds them at the door (every string
 * already cleaned); nothing here holds a whole object.
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
	/** namespace/name as the server sent them, escaped into printable ASCII (kube/door.ts podKey): distinct pods never share one */
	key: string;
	uid: string;
	/** namespace and name as shown (escaped by clean) */
	namespace: string;
	name: string;
	/** namespace and name as the server sent them, for JSON output (never printed as they are) */
	rawNamespace: string;
	rawName: string;
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
