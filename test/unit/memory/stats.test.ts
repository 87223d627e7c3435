import {describe, expect, it} from 'vitest';
import {nodeLevel, percentOf, usageLevel, worstLevel} from '../../../source/memory/percent.js';
import {count, kthSmallest, mad, max, mean, median, min, quantile, theilSen} from '../../../source/memory/stats.js';

function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

describe('stats', () => {
	it('ignores NaN and works on typed arrays', () => {
		const xs = new Float64Array([5, Number.NaN, 1, 4, Number.NaN, 2, 3]);
		expect(count(xs)).toBe(5);
		expect(min(xs)).toBe(1);
		expect(max(xs)).toBe(5);
		expect(mean(xs)).toBe(3);
		expect(median(xs)).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(quantile([1, 2, 3, 4, 5], 0)).toBe(1);
		expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
		expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
		expect(quantile([10], 0.3)).toBe(10);
	});

	it('gives NaN for empty input', () => {
		for (const f of [min, max, mean, median]) expect(f([Number.NaN, Number.NaN])).toBeNaN();
		expect(quantile([], 0.5)).toBeNaN();
		expect(quantile([1, 2], 1.5)).toBeNaN();
	});

	it('selects order statistics like a sort does, duplicates and all', () => {
		const r = rng(7);
		for (let trial = 0; trial < 50; trial++) {
			const n = 1 + Math.floor(r() * 300);
			const xs = Array.from({length: n}, () => Math.floor(r() * 20));
			const sorted = [...xs].sort((a, b) => a - b);
			const k = Math.floor(r() * n);
			expect(kthSmallest(Float64Array.from(xs), k)).toBe(sorted[k]);
			const q = r();
			const h = (n - 1) * q;
			const lo = Math.floor(h);
			const want = sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, n - 1)] ?? 0) - sorted[lo]!);
			expect(quantile(xs, q)).toBeCloseTo(want, 9);
		}

		const asc = Float64Array.from({length: 1000}, (_, i) => i);
		expect(kthSmallest(asc, 500)).toBe(500);
	});

	it('fits Theil–Sen through outliers where least squares would not', () => {
		const t = Array.from({length: 50}, (_, i) => i * 1000);
		const v = t.map((x) => 3 * x + 100);
		for (const i of [5, 17, 30, 31, 44]) v[i] = v[i]! + 1e9; // 10 % wild outliers
		v[20] = Number.NaN;
		const fit = theilSen(t, v)!;
		expect(fit.slope).toBeCloseTo(3, 9);
		expect(fit.intercept).toBeCloseTo(100, 3);
		expect(fit.n).toBe(49);
		expect(theilSen([1], [1])).toBeNull();
		expect(theilSen([1, 1], [1, 2])).toBeNull();
	});

	it('thins long series but keeps the slope', () => {
		const t = Array.from({length: 720}, (_, i) => i * 15_000);
		const v = t.map((x, i) => 2e-3 * x + (i % 7) * 10);
		const fit = theilSen(t, v, {maxPoints: 100})!;
		expect(fit.n).toBe(100);
		expect(fit.slope).toBeCloseTo(2e-3, 4);
	});

	it('computes a scaled MAD', () => {
		expect(mad([1, 1, 2, 2, 4, 6, 9])).toBeCloseTo(1.4826, 6);
		expect(mad([])).toBeNaN();
	});
});

describe('percent and levels', () => {
	it('computes percentages with null for unknown or non-positive denominators', () => {
		expect(percentOf(50, 200)).toBe(25);
		expect(percentOf(300, 200)).toBe(150);
		expect(percentOf(null, 200)).toBeNull();
		expect(percentOf(50, null)).toBeNull();
		expect(percentOf(50, 0)).toBeNull();
		expect(percentOf(50, -1)).toBeNull();
		expect(percentOf(Number.NaN, 10)).toBeNull();
	});

	it('colours by 85 % and 95 %', () => {
		expect(usageLevel(null)).toBe('ok');
		expect(usageLevel(84.99)).toBe('ok');
		expect(usageLevel(85)).toBe('warn');
		expect(usageLevel(94.99)).toBe('warn');
		expect(usageLevel(95)).toBe('crit');
		expect(usageLevel(130)).toBe('crit');
		expect(nodeLevel(50, true)).toBe('crit');
		expect(nodeLevel(90, false)).toBe('warn');
		expect(nodeLevel(null, false)).toBe('ok');
		expect(worstLevel('warn', 'ok')).toBe('warn');
		expect(worstLevel('warn', 'crit')).toBe('crit');
	});
});
