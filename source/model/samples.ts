/** Samples: metrics.k8s.io working sets and the kubelet Summary API breakdown, already parsed. */

/** One metrics poll, already parsed: working set in bytes. */
export interface MetricsSample {
	time: number; // epoch ms the window ended (metrics `timestamp`), else poll time
	windowMs: number;
	pods: Map<string, {workingSetBytes: number; containers: ReadonlyMap<string, number>}>; // key namespace/name
	nodes: Map<string, number>;
}

/** One line of pressure stall information: the share of wall time stalled, in %, and the total in µs. */
export interface PsiLine {
	avg10: number;
	avg60: number;
	avg300: number;
	/** cumulative stall time, µs */
	total: number;
}

/** memory PSI of a cgroup: `some` = at least one task stalled on memory, `full` = all of them */
export interface MemoryPsi {
	some: PsiLine;
	full: PsiLine;
}

/** rates between two Summary polls of the same cgroup; null when a counter is missing or reset */
export interface PressureRates {
	faultsPerSec: number | null;
	majorFaultsPerSec: number | null;
	/** % of the wall time between the polls stalled on memory (from the PSI totals) */
	someStallPct: number | null;
	fullStallPct: number | null;
	/** ms between the two polls */
	overMs: number;
}

/** Summary API breakdown of a node, pod or container (bytes); null = not reported. */
export interface MemoryBreakdown {
	workingSetBytes: number | null;
	usageBytes: number | null;
	rssBytes: number | null;
	cacheBytes: number | null; // usage - rss when both known
	swapBytes: number | null;
	/** cumulative counters since the cgroup started */
	pageFaults: number | null;
	majorPageFaults: number | null;
	/** null: the kubelet reports none (before 1.34, or PSI off) */
	psi: MemoryPsi | null;
	/** against the previous poll of the same cgroup (the store fills them in); null on the first */
	rates: PressureRates | null;
	time: number;
}

export interface NodeSummary {
	node: string;
	time: number;
	availableBytes: number | null;
	/** the node's own breakdown (working set, usage, RSS, faults, swap, PSI) */
	memory: MemoryBreakdown;
	/** hard eviction threshold for memory.available, bytes */
	evictionHardBytes: number;
	evictionHardSource: 'configz' | 'default';
	pods: Map<string, {total: MemoryBreakdown; containers: Map<string, MemoryBreakdown>}>; // key ns/name
}

export type SummaryState =
	| {status: 'ok'; summary: NodeSummary}
	| {status: 'unavailable'; reason: string; time: number};

