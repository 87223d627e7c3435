import {describe, expect, it} from 'vitest';
import {forecastOom, type Forecast} from '../../../source/memory/forecast.js';

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;
const minute = 60_000;
const now = 1_800_000_000_000;
const step = 15_000;

/** Deterministic uniform [0, 1) generator (LCG) so every run sees the same "noise". */
function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** Samples every 15 s over the last `minutes`, ending at `now`; f gets minutes since the start. */
function series(minutes: number, f: (m: number, i: number) => number): {times: Float64Array; values: Float64Array} {
	const n = Math.floor((minutes * minute) / step);
	const times = new Float64Array(n);
	const values = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		times[i] = now - (n - 1 - i) * step;
		values[i] = f((i * step) / minute, i);
	}

	return {times, values};
}

function eta(f: Forecast): {etaMin: number; slopeMiPerMin: number} {
	if (f.kind !== 'eta') throw new Error(`expected an ETA, got ${f.why}: ${f.text}`);
	expect(f.atLimitAt).toBe(now + f.etaMs);
	return {etaMin: f.etaMs / minute, slopeMiPerMin: (f.slopeBytesPerSec * 60) / Mi};
}

function why(f: Forecast): string {
	return f.kind === 'none' ? f.why : `eta ${(f.etaMs / minute).toFixed(1)}m`;
}

describe('forecastOom: leaks', () => {
	it('finds the ETA of a noisy linear leak (analytic answer within 5 %)', () => {
		const r = rng(1);
		// 200Mi + 1Mi/min ± 1Mi, limit 512Mi, one hour of 15 s samples
		const {times, values} = series(60, (m) => 200 * Mi + m * Mi + (r() - 0.5) * 2 * Mi);
		const lastMinute = 59.75;
		const analytic = (512 - (200 + lastMinute)) / 1; // minutes
		const f = forecastOom(times, values, 512 * Mi, now);
		const got = eta(f);
		expect(got.slopeMiPerMin).toBeGreaterThan(0.97);
		expect(got.slopeMiPerMin).toBeLessThan(1.03);
		expect(Math.abs(got.etaMin - analytic) / analytic).toBeLessThan(0.05);
		expect(f.kind === 'eta' && f.text).toMatch(/^OOM in 4h\d+m$/);
	});

	it('copes with gaps (NaN) and uneven spacing', () => {
		const r = rng(2);
		const {times, values} = series(60, (m) => 300 * Mi + 2 * m * Mi + (r() - 0.5) * 4 * Mi);
		for (let i = 0; i < values.length; i++) {
			if (r() < 0.3) values[i] = Number.NaN;
			else times[i] = times[i]! + Math.round((r() - 0.5) * 5000);
		}

		const lastMinute = 59.75;
		const analytic = (1024 - (300 + 2 * lastMinute)) / 2;
		const got = eta(forecastOom(times, values, 1 * Gi, now));
		expect(Math.abs(got.etaMin - analytic) / analytic).toBeLessThan(0.05);
	});

	it('uses the trend, not the last two samples', () => {
		const r = rng(3);
		const {times, values} = series(60, (m) => 200 * Mi + m * Mi + (r() - 0.5) * 2 * Mi);
		const base = eta(forecastOom(times, values, 512 * Mi, now)).etaMin;
		// A last-two-samples estimate would see a fall (or a wild rise) here.
		values[values.length - 1] = 150 * Mi;
		expect(Math.abs(eta(forecastOom(times, values, 512 * Mi, now)).etaMin - base) / base).toBeLessThan(0.02);
		values[values.length - 1] = 400 * Mi;
		expect(Math.abs(eta(forecastOom(times, values, 512 * Mi, now)).etaMin - base) / base).toBeLessThan(0.02);
	});

	it('treats a GC sawtooth with rising troughs as a leak and aims at its peaks', () => {
		const r = rng(4);
		// troughs 300Mi + 2Mi/min, +80Mi sawtooth every 3 min, limit 1Gi
		const period = 3;
		const {times, values} = series(60, (m) => 300 * Mi + 2 * m * Mi + 80 * Mi * ((m % period) / period) + (r() - 0.5) * Mi);
		// The highest sampled phase is 11/12 of the tooth (samples every 15 s in a 3 min tooth).
		const peakNow = 300 + 2 * 59.75 + 80 * (11 / 12);
		const analytic = (1024 - peakNow) / 2;
		const got = eta(forecastOom(times, values, 1 * Gi, now));
		expect(got.slopeMiPerMin).toBeGreaterThan(1.9);
		expect(got.slopeMiPerMin).toBeLessThan(2.1);
		expect(Math.abs(got.etaMin - analytic) / analytic).toBeLessThan(0.05);
	});

	it('finds the baseline leak under spikes, with spikes counted in the highs', () => {
		const r = rng(5);
		const {times, values} = series(60, (m) => 200 * Mi + m * Mi + (r() < 0.08 ? (100 + r() * 100) * Mi : (r() - 0.5) * 2 * Mi));
		const baseNow = 200 + 59.75;
		const got = eta(forecastOom(times, values, 1 * Gi, now));
		expect(got.slopeMiPerMin).toBeGreaterThan(0.95);
		expect(got.slopeMiPerMin).toBeLessThan(1.05);
		// between "the spikes (up to +200Mi) reach the limit" and "the baseline reaches it"
		expect(got.etaMin).toBeGreaterThan((1024 - baseNow - 200) / 1 - 5);
		expect(got.etaMin).toBeLessThan(1024 - baseNow);
	});

	it('ignores samples before the last restart', () => {
		const r = rng(6);
		// leaked to 480Mi, restarted at minute 30, leaking 3Mi/min since from 100Mi
		const {times, values} = series(60, (m) => (m < 30 ? 300 * Mi + 6 * m * Mi : 100 * Mi + 3 * (m - 30) * Mi) + (r() - 0.5) * Mi);
		const restart = now - 29.75 * minute - 1;
		const analytic = (512 - (100 + 3 * 29.75)) / 3;
		const got = eta(forecastOom(times, values, 512 * Mi, now, {startedAt: restart}));
		expect(Math.abs(got.etaMin - analytic) / analytic).toBeLessThan(0.05);
	});

	it('says OOM imminent when the highs already touch the limit', () => {
		// square wave +60Mi every other minute on a 2Mi/min leak; the last sample is a low one
		const {times, values} = series(30, (m) => 400 * Mi + 2 * m * Mi + (m % 2 < 1 ? 60 * Mi : 0));
		expect(values[values.length - 1]).toBeLessThan(0.99 * 515 * Mi);
		const f = forecastOom(times, values, 515 * Mi, now);
		expect(f.kind).toBe('eta');
		if (f.kind === 'eta') {
			expect(f.etaMs).toBe(0);
			expect(f.text).toBe('OOM imminent');
		}
	});
});

describe('forecastOom: no forecast, and why', () => {
	it('calls a GC sawtooth with level troughs flat, whatever its period', () => {
		for (const period of [0.5, 1, 2, 3, 5, 7, 10, 13]) {
			const r = rng(10 + period);
			const {times, values} = series(60, (m) => 300 * Mi + 100 * Mi * ((m % period) / period) + (r() - 0.5) * 2 * Mi);
			expect(`${period}: ${why(forecastOom(times, values, 512 * Mi, now))}`).toBe(`${period}: flat`);
		}
	});

	it('calls a spiky series with a level baseline flat', () => {
		const r = rng(20);
		const {times, values} = series(60, (m) => 300 * Mi + (r() < 0.1 ? (50 + r() * 150) * Mi : (r() - 0.5) * 4 * Mi));
		expect(why(forecastOom(times, values, 512 * Mi, now))).toBe('flat');
	});

	it('calls a noisy level series flat and a falling one falling', () => {
		const r = rng(21);
		const level = series(60, () => 300 * Mi + (r() - 0.5) * 10 * Mi);
		const flat = forecastOom(level.times, level.values, 512 * Mi, now);
		expect(why(flat)).toBe('flat');
		expect(flat.kind === 'none' && flat.text).toBe('flat');
		const down = series(60, (m) => 400 * Mi - m * Mi + (r() - 0.5) * 2 * Mi);
		const falling = forecastOom(down.times, down.values, 512 * Mi, now);
		expect(why(falling)).toBe('falling');
		expect(falling.kind === 'none' && falling.slopeBytesPerSec).toBeLessThan(0);
	});

	it('needs a limit', () => {
		const {times, values} = series(60, (m) => 200 * Mi + m * Mi);
		expect(why(forecastOom(times, values, null, now))).toBe('no-limit');
		expect(why(forecastOom(times, values, 0, now))).toBe('no-limit');
	});

	it('needs at least 10 samples over at least 2 minutes', () => {
		const few = series(60, (m) => 200 * Mi + m * Mi);
		// 9 samples spread over an hour
		const t9 = Array.from({length: 9}, (_, i) => few.times[i * 25]!);
		const v9 = Array.from({length: 9}, (_, i) => few.values[i * 25]!);
		const f9 = forecastOom(t9, v9, 512 * Mi, now);
		expect(why(f9)).toBe('too-little-history');
		expect(f9.text).toContain('9 samples');
		// 20 samples 5 s apart: enough samples, but only 95 s of them
		const dense = {times: Array.from({length: 20}, (_, i) => now - (19 - i) * 5000), values: Array.from({length: 20}, (_, i) => 200 * Mi + i * Mi)};
		expect(why(forecastOom(dense.times, dense.values, 512 * Mi, now))).toBe('too-little-history');
		// the same leak sampled for 2 minutes is enough
		const dense2 = {times: Array.from({length: 25}, (_, i) => now - (24 - i) * 5000), values: Array.from({length: 25}, (_, i) => 200 * Mi + i * Mi)};
		expect(why(forecastOom(dense2.times, dense2.values, 512 * Mi, now))).toMatch(/^eta/);
		// NaN gaps do not count as samples
		const gappy = series(60, (m, i) => (i % 30 === 0 ? 200 * Mi + m * Mi : Number.NaN));
		expect(why(forecastOom(gappy.times, gappy.values, 512 * Mi, now))).toBe('too-little-history');
		// exactly enough: 21 samples over 5 minutes
		const enough = series(5.25, (m) => 200 * Mi + 10 * m * Mi);
		expect(why(forecastOom(enough.times, enough.values, 512 * Mi, now))).toMatch(/^eta/);
	});

	it('refuses stale history and a container already at its limit', () => {
		const {times, values} = series(60, (m) => 200 * Mi + m * Mi);
		expect(why(forecastOom(times, values, 512 * Mi, now + 20 * minute))).toBe('stale');
		const full = series(60, (m) => 400 * Mi + m * 2 * Mi);
		expect(why(forecastOom(full.times, full.values, 515 * Mi, now))).toBe('already-at-limit');
	});

	it('gives no ETA past the horizon', () => {
		const {times, values} = series(60, (m) => 200 * Mi + m * Mi);
		const f = forecastOom(times, values, 4 * Gi, now, {horizonMs: 24 * 3_600_000});
		expect(why(f)).toBe('beyond-horizon');
		expect(f.text).toMatch(/^rising 60Mi\/h; limit > 1d away$/);
	});

	it('accepts samples out of order', () => {
		const r = rng(30);
		const {times, values} = series(60, (m) => 200 * Mi + m * Mi + (r() - 0.5) * 2 * Mi);
		const sorted = eta(forecastOom(times, values, 512 * Mi, now)).etaMin;
		const idx = Array.from(times.keys()).reverse();
		const shuffledT = idx.map((i) => times[i]!);
		const shuffledV = idx.map((i) => values[i]!);
		expect(eta(forecastOom(shuffledT, shuffledV, 512 * Mi, now)).etaMin).toBeCloseTo(sorted, 6);
	});
});
