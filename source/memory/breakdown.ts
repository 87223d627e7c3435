/**
 * A Summary API breakdown (RSS, cache, usage) shown next to a metrics.k8s.io working set.
 *
 * The two come from different polls: metrics every 15 s, the Summary API every 30 s or more. Within
 * one sample usage ≥ working set always holds (working set = usage − inactive file pages), but
 * across samples a growing container can show a usage below its newer working set. So:
 * - the breakdown always carries its own sample time and how far it lags the working set;
 * - when it lags by more than one metrics window it is not the same sample, and the usage shown is
 *   at least the working set shown (usage ≥ working set is a fact, the older usage is not), marked
 *   as a lower bound; the raw figures stay in the JSON with their time.
 */
import type {MemoryBreakdown, MemoryPsi, PressureRates} from '../model/index.js';

export interface BreakdownView {
	rssBytes: number | null;
	cacheBytes: number | null;
	/** usage to show: the Summary's, or at least the working set shown when the samples differ */
	usageBytes: number | null;
	/** true when usageBytes was raised to the working set (show it as "≥") */
	usageAtLeast: boolean;
	/** the Summary's usage as sent */
	rawUsageBytes: number | null;
	swapBytes: number | null;
	/** memory stall and fault rates of the same sample (memory/pressure.ts) */
	psi: MemoryPsi | null;
	rates: PressureRates | null;
	/** the kubelet's working set in the same sample */
	kubeletWorkingSetBytes: number | null;
	/** epoch ms of the Summary sample */
	time: number;
	/** working-set time − breakdown time (ms); null without a working set */
	lagMs: number | null;
	/** taken within one metrics window of the working set */
	sameSample: boolean;
}

export function alignBreakdown(b: MemoryBreakdown, workingSetBytes: number | null, workingSetTime: number | null, windowMs: number | null): BreakdownView {
	const lagMs = workingSetTime === null ? null : workingSetTime - b.time;
	const sameSample = lagMs !== null && Math.abs(lagMs) <= (windowMs ?? 15_000);
	let usage = b.usageBytes;
	let usageAtLeast = false;
	if (!sameSample && workingSetBytes !== null && (usage === null || usage < workingSetBytes)) {
		usage = workingSetBytes;
		usageAtLeast = true;
	}

	return {
		rssBytes: b.rssBytes,
		cacheBytes: b.cacheBytes,
		usageBytes: usage,
		usageAtLeast,
		rawUsageBytes: b.usageBytes,
		swapBytes: b.swapBytes,
		psi: b.psi,
		rates: b.rates,
		kubeletWorkingSetBytes: b.workingSetBytes,
		time: b.time,
		lagMs,
		sameSample,
	};
}

/**
 * A pod's RSS: the sum of its running containers' Summary RSS, null when any of them has none
 * (or none runs). Finished containers hold no memory and the Summary does not report them.
 */
export function podRssBytes(containers: ReadonlyArray<{state: string; breakdown: {rssBytes: number | null} | null}>): number | null {
	let sum = 0;
	let running = 0;
	for (const c of containers) {
		if (c.state !== 'running') continue;
		const rss = c.breakdown?.rssBytes ?? null;
		if (rss === null) return null;
		sum += rss;
		running++;
	}

	return running === 0 ? null : sum;
}
