/** Node records: what memtop keeps of each Node (see model/pod.ts for the conventions). */

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
