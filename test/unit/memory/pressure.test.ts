import {describe, expect, it} from 'vitest';
import {counterRate, pressureDiagnosis, pressureLevel, pressureRates, stallEpisode} from '../../../source/memory/pressure.js';
import type {MemoryBreakdown, MemoryPsi} from '../../../source/model/index.js';

const psi = (some10: number, full10: number, full60 = full10, totals: [number, number] = [0, 0]): MemoryPsi => ({
	some: {avg10: some10, avg60: some10, avg300: some10, total: totals[0]},
	full: {avg10: full10, avg60: full60, avg300: full10, total: totals[1]},
});

function sample(time: number, faults: number | null, major: number | null, p: MemoryPsi | null): MemoryBreakdown {
	return {workingSetBytes: null, usageBytes: null, rssBytes: null, cacheBytes: null, swapBytes: null, pageFaults: faults, majorPageFaults: major, psi: p, rates: null, time};
}

describe('rates between two Summary polls', () => {
	it('faults per second and the share of the interval stalled, from the totals', () => {
		// 30 s apart: 9,000 faults, 3,000 major; 4.5 s of some-stall and 1.5 s of full-stall (µs)
		const r = pressureRates(sample(0, 1000, 10, psi(0, 0, 0, [1e6, 2e5])), sample(30_000, 10_000, 3010, psi(0, 0, 0, [5.5e6, 1.7e6])));
		expect(r).toEqual({faultsPerSec: 300, majorFaultsPerSec: 100, someStallPct: 15, fullStallPct: 5, overMs: 30_000});
	});

	it('a counter that went back (a new cgroup after a restart) gives no rate, not a negative one', () => {
		expect(counterRate(5000, 10, 30_000)).toBeNull();
		expect(counterRate(null, 10, 30_000)).toBeNull();
		expect(counterRate(10, 20, 0)).toBeNull();
		expect(pressureRates(sample(0, 1, 1, null), sample(0, 2, 2, null))).toBeNull();
	});
});

describe('levels and episodes', () => {
	it('some ≥ 10 % warns, and crits at ≥ 90 % of the limit; full ≥ 2 % warns, ≥ 10 % crits', () => {
		expect(pressureLevel(null, 99)).toBe('ok');
		expect(pressureLevel(psi(9.9, 0), 95)).toBe('ok');
		expect(pressureLevel(psi(10, 0), 50)).toBe('warn');
		expect(pressureLevel(psi(10, 0), 90)).toBe('crit');
		expect(pressureLevel(psi(3, 2), null)).toBe('warn');
		expect(pressureLevel(psi(12, 10), null)).toBe('crit');
	});

	it('an episode starts at full avg60 ≥ 5 % and lasts until it falls below 1 %', () => {
		expect(stallEpisode(psi(20, 8, 4.9), false)).toBe(false);
		expect(stallEpisode(psi(20, 8, 5), false)).toBe(true);
		expect(stallEpisode(psi(2, 1, 1.5), true)).toBe(true);
		expect(stallEpisode(psi(2, 1, 0.9), true)).toBe(false);
		expect(stallEpisode(null, true)).toBe(false);
	});
});

describe('what the diagnosis says', () => {
	it('stall near the limit: reclaim is thrashing, an OOM kill is likely soon', () => {
		const d = pressureDiagnosis({psi: psi(14, 4), rates: {faultsPerSec: 900, majorFaultsPerSec: 42, someStallPct: 13, fullStallPct: 4, overMs: 30_000}, pctOfLimit: 97});
		expect(d).toEqual({value: 'stalled 14 % of the last 10 s on memory (some), working set at 97 % of its limit: reclaim is thrashing; an OOM kill is likely soon · 42 major faults/s', level: 'crit'});
	});

	it('many major faults with a low working set: page cache thrash, not a leak', () => {
		const d = pressureDiagnosis({psi: psi(0.4, 0), rates: {faultsPerSec: 5000, majorFaultsPerSec: 340, someStallPct: 0.4, fullStallPct: 0, overMs: 30_000}, pctOfLimit: 35});
		expect(d).toEqual({value: 'high major-fault rate (340/s) with a low working set: page cache thrash, not a leak · stall 0.4 % (some, 10 s)', level: 'warn'});
	});

	it('otherwise the figures; and without PSI it says the kubelet has none', () => {
		expect(pressureDiagnosis({psi: psi(0, 0), rates: null, pctOfLimit: 40})).toEqual({value: 'stall 0 % some · 0 % full (10 s; 0 % some over 60 s)', level: 'ok'});
		expect(pressureDiagnosis({psi: null, rates: null, pctOfLimit: 40})).toEqual({value: 'no PSI from the kubelet (Kubernetes ≥ 1.34 reports it)', level: 'info'});
	});
});
