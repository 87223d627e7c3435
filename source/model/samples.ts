/** Samples: metrics.k8s.io working sets and the kubelet Summary API breakdown, already parsed. */

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

