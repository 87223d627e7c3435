/**
 * Right-sizing over a window read from Prometheus: each replica's container is summed up there
 * (median, peak, sample count, first and last sample, OOM kills, restarts); here the replicas are
 * pooled into the figures memory/recommend.ts `recommendFrom` takes, and krr's default rule is
 * given beside it on the same figures.
 */

/** one container of one pod over the window */
export interface WindowSummary {
	medianBytes: number;
	peakBytes: number;
	samples: number;
	firstMs: number;
	lastMs: number;
	/** null: no series says (no cAdvisor OOM counter, no kube-state-metrics) */
	oomKills: number | null;
	restarts: number | null;
}

export interface PooledWindow {
	/** the replicas' medians, weighted by their sample counts */
	steadyBytes: number;
	peakBytes: number;
	samples: number;
	observedMs: number;
	oomKills: number | null;
	restarts: number | null;
	replicas: number;
}

/** the weighted median: the smallest value whose cumulative weight reaches half the total (the mean of two when it lands exactly on a boundary) */
export function weightedMedian(items: ReadonlyArray<{value: number; weight: number}>): number {
	const sorted = items.filter(i => i.weight > 0 && Number.isFinite(i.value)).sort((a, b) => a.value - b.value);
	const total = sorted.reduce((s, i) => s + i.weight, 0);
	if (sorted.length === 0) return Number.NaN;
	let acc = 0;
	for (let i = 0; i < sorted.length; i++) {
		acc += sorted[i]!.weight;
		if (acc * 2 === total && i + 1 < sorted.length) return (sorted[i]!.value + sorted[i + 1]!.value) / 2;
		if (acc * 2 > total) return sorted[i]!.value;
	}

	return sorted[sorted.length - 1]!.value;
}

const sumOrNull = (xs: Array<number | null>): number | null => (xs.every(x => x === null) ? null : xs.reduce<number>((s, x) => s + Math.round(x ?? 0), 0));

/** the replicas of one workload container pooled; null without samples */
export function poolWindow(list: readonly WindowSummary[]): PooledWindow | null {
	const used = list.filter(s => s.samples > 0);
	if (used.length === 0) return null;
	return {
		steadyBytes: weightedMedian(used.map(s => ({value: s.medianBytes, weight: s.samples}))),
		peakBytes: Math.max(...used.map(s => s.peakBytes)),
		samples: used.reduce((s, x) => s + x.samples, 0),
		observedMs: Math.max(...used.map(s => s.lastMs)) - Math.min(...used.map(s => s.firstMs)),
		oomKills: sumOrNull(used.map(s => s.oomKills)),
		restarts: sumOrNull(used.map(s => s.restarts)),
		replicas: used.length,
	};
}

/**
 * krr's default strategy ("simple", robusta-dev/krr robusta_krr/strategies/simple.py) for memory:
 * request = limit = the highest working set of any pod over the window × (1 + 15 %), and no
 * answer with fewer than 100 data points. (Its OOM bump is off by default; its window 14 days.)
 */
export const krrSimple = {memoryBufferPercent: 15, pointsRequired: 100, historyDays: 14} as const;

export function krrSimpleMemory(peakBytes: number, samples: number): number | null {
	if (samples < krrSimple.pointsRequired || !Number.isFinite(peakBytes)) return null;
	return (peakBytes * (100 + krrSimple.memoryBufferPercent)) / 100;
}
