/**
 * Pressure before death: memory stall (PSI), page-fault rates and swap.
 *
 * PSI (Kubernetes ≥ 1.34 in the Summary API, per node, pod and container): `some` is the share of
 * wall time in which at least one task of the cgroup waited for memory (reclaim, refaults, swap-in),
 * `full` the share in which all of them did; avg10/60/300 are the kernel's running averages, the
 * total is the cumulative stall in µs. The rules, chosen for what they say about an OOM kill to come:
 * - some avg10 ≥ 10 %: the cgroup loses a tenth of its time to memory: warn. At ≥ 90 % of its limit
 *   as well, reclaim is thrashing against the limit and an OOM kill is likely soon: crit.
 * - full avg10 ≥ 10 %: every task stalls a tenth of the time: crit; ≥ 2 %: warn.
 * - a MemoryStall episode (the feed, once): full avg60 ≥ 5 % (sustained for about a minute); it
 *   ends when full avg60 falls below 1 % (the gap keeps one episode from flapping into many).
 * - major faults ≥ 100/s with the working set under 60 % of its limit: the cgroup re-reads file
 *   pages it had evicted: page cache thrash, not a leak (a bigger limit helps; the working set will not say so).
 * Fault counters are totals since the cgroup started; memtop shows rates between two polls.
 */
import type {MemoryBreakdown, MemoryPsi, PressureRates} from '../model/index.js';
import {formatPercent, formatStall} from './quantity.js';
import type {Level} from './percent.js';

export const pressureRules = {
	someWarnPct: 10,
	fullWarnPct: 2,
	fullCritPct: 10,
	/** % of the limit at which a stall means reclaim is thrashing against it */
	thrashPctOfLimit: 90,
	episodeOnFullAvg60: 5,
	episodeOffFullAvg60: 1,
	majorFaultsHighPerSec: 100,
	/** below this % of the limit, high major faults are page cache thrash, not a leak */
	cacheThrashPctOfLimit: 60,
} as const;

/** a counter's rate per second between two samples; null when either is missing, or the counter went back (a restart) */
export function counterRate(prev: number | null, cur: number | null, overMs: number): number | null {
	if (prev === null || cur === null || !(overMs > 0) || cur < prev) return null;
	return ((cur - prev) * 1000) / overMs;
}

/** fault rates and stall shares between two polls of the same cgroup */
export function pressureRates(prev: MemoryBreakdown, cur: MemoryBreakdown): PressureRates | null {
	const overMs = cur.time - prev.time;
	if (!(overMs > 0)) return null;
	// PSI totals are µs of stall: Δtotal / Δt(µs) × 100 is the % of the interval stalled
	const stall = (a: number | undefined, b: number | undefined) => {
		const r = counterRate(a ?? null, b ?? null, overMs);
		return r === null ? null : r / 10_000;
	};

	return {
		faultsPerSec: counterRate(prev.pageFaults, cur.pageFaults, overMs),
		majorFaultsPerSec: counterRate(prev.majorPageFaults, cur.majorPageFaults, overMs),
		someStallPct: stall(prev.psi?.some.total, cur.psi?.some.total),
		fullStallPct: stall(prev.psi?.full.total, cur.psi?.full.total),
		overMs,
	};
}

/** how alarming a cgroup's memory stall is, by the rules above */
export function pressureLevel(psi: MemoryPsi | null, pctOfLimit: number | null): Level {
	if (psi === null) return 'ok';
	if (psi.full.avg10 >= pressureRules.fullCritPct) return 'crit';
	if (psi.some.avg10 >= pressureRules.someWarnPct && pctOfLimit !== null && pctOfLimit >= pressureRules.thrashPctOfLimit) return 'crit';
	if (psi.some.avg10 >= pressureRules.someWarnPct || psi.full.avg10 >= pressureRules.fullWarnPct) return 'warn';
	return 'ok';
}

/** true while a MemoryStall episode lasts: it starts at full avg60 ≥ 5 % and ends below 1 % */
export function stallEpisode(psi: MemoryPsi | null, inEpisode: boolean): boolean {
	if (psi === null) return false;
	return inEpisode ? psi.full.avg60 >= pressureRules.episodeOffFullAvg60 : psi.full.avg60 >= pressureRules.episodeOnFullAvg60;
}

const pct = (p: number) => formatStall(p).replace('%', ' %');

/**
 * What stall and faults say, in words, for the diagnosis: the thrash against the limit, a page
 * cache thrash that is not a leak, or the plain figures.
 */
export function pressureDiagnosis(input: {psi: MemoryPsi | null; rates: PressureRates | null; pctOfLimit: number | null}): {value: string; level: Level | 'info'} {
	const {psi, rates, pctOfLimit} = input;
	const faults = rates?.majorFaultsPerSec ?? null;
	const faultText = faults === null ? '' : ` · ${faults < 10 ? faults.toFixed(1) : Math.round(faults)} major faults/s`;
	if (psi === null) {
		return faults === null ? {value: 'no PSI from the kubelet (Kubernetes ≥ 1.34 reports it)', level: 'info'} : {value: `no PSI${faultText}`, level: 'info'};
	}

	const level = pressureLevel(psi, pctOfLimit);
	const some = psi.some.avg10;
	if (some >= pressureRules.someWarnPct && pctOfLimit !== null && pctOfLimit >= pressureRules.thrashPctOfLimit) {
		return {
			value: `stalled ${pct(some)} of the last 10 s on memory (some), working set at ${formatPercent(pctOfLimit).replace('%', ' %')} of its limit: reclaim is thrashing; an OOM kill is likely soon${faultText}`,
			level,
		};
	}

	if (faults !== null && faults >= pressureRules.majorFaultsHighPerSec && (pctOfLimit === null || pctOfLimit < pressureRules.cacheThrashPctOfLimit)) {
		return {value: `high major-fault rate (${Math.round(faults)}/s) with a low working set: page cache thrash, not a leak · stall ${pct(some)} (some, 10 s)`, level: level === 'ok' ? 'warn' : level};
	}

	return {value: `stall ${pct(some)} some · ${pct(psi.full.avg10)} full (10 s; ${pct(psi.some.avg60)} some over 60 s)${faultText}`, level};
}
