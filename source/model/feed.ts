/** The OOM / eviction feed: entries, and the Events it is built from. */

export type FeedKind =
	| 'OOMKilled' // container killed by the cgroup OOM killer (status or Event)
	| 'Killed' // exit 137 / SIGKILL without OOMKilled
	| 'Evicted' // pod evicted by the kubelet
	| 'SystemOOM' // node event from the kubelet
	| 'OOMKilling' // node event from node-problem-detector
	| 'EvictionThresholdMet'
	| 'NodeHasInsufficientMemory'
	| 'MemoryPressure' // MemoryPressure turned on
	| 'MemoryPressureCleared' // MemoryPressure turned off
	| 'MemoryStall'; // a pod under sustained full memory stall (PSI), once per episode

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
	/** where it was seen: 'status' | 'event' | 'node' | 'summary' */
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
