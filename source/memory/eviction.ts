/**
 * The kubelet's eviction order under memory pressure (pkg/kubelet/eviction/helpers.go,
 * `rankMemoryPressure` = orderedBy(exceedMemoryRequests, priority, memory)):
 * 1. pods without usage stats first, then pods whose working set exceeds their memory request;
 * 2. then lower priority first;
 * 3. then the larger working set − request first (can be negative).
 * The request is the pod request by the scheduler's rule, 0 when unset. Ties keep input order
 * (the kubelet's sort is not stable, so among exact ties its order is arbitrary).
 * Pods at or above system-critical priority (2000000000) are ranked but never evicted: the
 * kubelet refuses to evict critical pods; `evictable` says so.
 */
import {parseQuantityOrNull} from './quantity.js';

const systemCriticalPriority = 2_000_000_000;

export interface EvictionInput {
	key: string;
	/** null: no stats for the pod (the kubelet ranks those first) */
	workingSetBytes: number | null;
	requestBytes: number | null;
	priority: number;
	/** static/mirror pod or otherwise critical (never evicted) */
	critical?: boolean;
}

export interface EvictionRank {
	key: string;
	exceedsRequest: boolean;
	/** working set − request (negative when below the request; 0 when there are no stats) */
	overRequestBytes: number;
	/** 1 = first to go */
	rank: number;
	noStats: boolean;
	evictable: boolean;
}

export function rankEviction(pods: ReadonlyArray<EvictionInput>): EvictionRank[] {
	const rows = pods.map((p, index) => {
		const noStats = p.workingSetBytes === null || !Number.isFinite(p.workingSetBytes);
		const request = p.requestBytes ?? 0;
		const ws = noStats ? 0 : (p.workingSetBytes as number);
		return {
			index,
			key: p.key,
			noStats,
			exceedsRequest: !noStats && ws > request,
			overRequestBytes: noStats ? 0 : ws - request,
			priority: Number.isFinite(p.priority) ? p.priority : 0,
			evictable: !p.critical && !(p.priority >= systemCriticalPriority),
		};
	});
	rows.sort((a, b) => {
		if (a.noStats !== b.noStats) return a.noStats ? -1 : 1;
		if (a.exceedsRequest !== b.exceedsRequest) return a.exceedsRequest ? -1 : 1;
		if (a.priority !== b.priority) return a.priority - b.priority;
		if (a.overRequestBytes !== b.overRequestBytes) return b.overRequestBytes - a.overRequestBytes;
		return a.index - b.index;
	});
	return rows.map((r, i) => ({
		key: r.key,
		exceedsRequest: r.exceedsRequest,
		overRequestBytes: r.overRequestBytes,
		rank: i + 1,
		noStats: r.noStats,
		evictable: r.evictable,
	}));
}

/**
 * How far the node is from its hard eviction threshold: available − threshold (bytes). Negative
 * means the threshold is crossed (the kubelet evicts). null when either is unknown.
 */
export function nodeDistanceToThreshold(availableBytes: number | null | undefined, evictionHardBytes: number | null | undefined): number | null {
	if (availableBytes === null || availableBytes === undefined || !Number.isFinite(availableBytes)) return null;
	if (evictionHardBytes === null || evictionHardBytes === undefined || !Number.isFinite(evictionHardBytes)) return null;
	return availableBytes - evictionHardBytes;
}

/** The kubelet's default hard threshold for memory.available. */
export const defaultEvictionHardBytes = 100 * 1024 * 1024;

/**
 * A `memory.available` threshold from kubelet config ("100Mi", "5%") in bytes. A percentage is of
 * the node's memory capacity (the kubelet uses available + working set, which is capacity).
 */
export function evictionThresholdBytes(value: string, capacityBytes: number | null): number | null {
	const v = value.trim();
	if (v.endsWith('%')) {
		const p = Number(v.slice(0, -1));
		if (!Number.isFinite(p) || p < 0 || capacityBytes === null) return null;
		return Math.trunc((capacityBytes * p) / 100);
	}

	return parseQuantityOrNull(v);
}
