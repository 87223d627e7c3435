/**
 * Percentages and the colour levels memtop uses (thresholds from memory-semantics.md, which
 * takes them from the seed documents' alert rules):
 * - container/pod working set as % of its limit: ≥ 85 % warn, ≥ 95 % crit (OOM risk);
 * - node working set as % of allocatable: ≥ 85 % warn, ≥ 95 % crit; MemoryPressure=True is crit.
 * - a node's headroom to its hard eviction threshold (memory.available − threshold): below 0 crit
 *   (the kubelet evicts), below one threshold more warn.
 * % of request is shown but not coloured by these: above 100 % is normal for Burstable pods and
 * only makes the pod an earlier eviction candidate.
 */

import type {FeedKind} from '../model/index.js';

export type Level = 'ok' | 'warn' | 'crit';

export const warnPercent = 85;
export const critPercent = 95;

export interface Thresholds {
	warn: number;
	crit: number;
}

let levels: Thresholds = {warn: warnPercent, crit: critPercent};

/** the % where levels turn warn and crit (the config file's thresholds; the defaults above until set) */
export function thresholds(): Thresholds {
	return levels;
}

/** set once at start-up, before any row is built (0 < warn < crit ≤ 100, checked by the caller) */
export function setThresholds(t: Thresholds): void {
	levels = {warn: t.warn, crit: t.crit};
}

/** value / denom × 100; null when either is null/NaN or the denominator is ≤ 0. */
export function percentOf(value: number | null | undefined, denom: number | null | undefined): number | null {
	if (value === null || value === undefined || denom === null || denom === undefined) return null;
	if (!Number.isFinite(value) || !Number.isFinite(denom) || denom <= 0) return null;
	return (value / denom) * 100;
}

/** Level of a working set as % of its limit (null: no limit or no sample → ok). */
export function usageLevel(pctOfLimit: number | null | undefined): Level {
	if (pctOfLimit === null || pctOfLimit === undefined || !Number.isFinite(pctOfLimit)) return 'ok';
	if (pctOfLimit >= levels.crit) return 'crit';
	if (pctOfLimit >= levels.warn) return 'warn';
	return 'ok';
}

/** Level of a node: % of allocatable by the same thresholds, MemoryPressure always crit. */
export function nodeLevel(pctOfAllocatable: number | null | undefined, memoryPressure: boolean): Level {
	if (memoryPressure) return 'crit';
	return usageLevel(pctOfAllocatable);
}

/** The worse of two levels. */
export function worstLevel(a: Level, b: Level): Level {
	const order: Record<Level, number> = {ok: 0, warn: 1, crit: 2};
	return order[a] >= order[b] ? a : b;
}

/** Level of a node's headroom above its hard eviction threshold (available − threshold). */
export function headroomLevel(distanceBytes: number | null, thresholdBytes: number | null): Level {
	if (distanceBytes === null || thresholdBytes === null) return 'ok';
	if (distanceBytes < 0) return 'crit';
	if (distanceBytes < thresholdBytes) return 'warn';
	return 'ok';
}

/** Level of a feed entry: kills, evictions and pressure crit; a plain SIGKILL and node warnings warn; pressure cleared ok. */
export function feedLevel(kind: FeedKind): Level {
	if (kind === 'MemoryPressureCleared') return 'ok';
	if (kind === 'Killed' || kind === 'NodeHasInsufficientMemory' || kind === 'EvictionThresholdMet' || kind === 'MemoryStall') return 'warn';
	return 'crit';
}
