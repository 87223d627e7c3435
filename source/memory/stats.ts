/**
 * Small robust statistics over number arrays and typed arrays. NaN (a gap in a history ring) is
 * ignored everywhere; an input without a finite value gives NaN (or null where documented).
 */

export type Series = ArrayLike<number>;

/** The finite values of a series, copied into a Float64Array. */
function finiteValues(xs: Series): Float64Array {
	let n = 0;
	for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]!)) n++;
	const out = new Float64Array(n);
	let j = 0;
	for (let i = 0; i < xs.length; i++) {
		const v = xs[i]!;
		if (Number.isFinite(v)) out[j++] = v;
	}

	return out;
}

export function count(xs: Series): number {
	let n = 0;
	for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]!)) n++;
	return n;
}

export function min(xs: Series): number {
	let m = Number.NaN;
	for (let i = 0; i < xs.length; i++) {
		const v = xs[i]!;
		if (Number.isFinite(v) && !(v >= m)) m = v;
	}

	return m;
}

export function max(xs: Series): number {
	let m = Number.NaN;
	for (let i = 0; i < xs.length; i++) {
		const v = xs[i]!;
		if (Number.isFinite(v) && !(v <= m)) m = v;
	}

	return m;
}

export function mean(xs: Series): number {
	let s = 0;
	let n = 0;
	for (let i = 0; i < xs.length; i++) {
		const v = xs[i]!;
		if (Number.isFinite(v)) {
			s += v;
			n++;
		}
	}

	return n === 0 ? Number.NaN : s / n;
}

/** In-place selection (Hoare/Floyd–Rivest style quickselect): the k-th smallest of a[lo..hi]. */
function select(a: Float64Array, k: number): number {
	let lo = 0;
	let hi = a.length - 1;
	while (hi > lo) {
		// median of three as pivot keeps sorted and reversed input linear
		const mid = (lo + hi) >>> 1;
		const x = a[lo]!;
		const y = a[mid]!;
		const z = a[hi]!;
		const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
		let i = lo;
		let j = hi;
		while (i <= j) {
			while (a[i]! < pivot) i++;
			while (a[j]! > pivot) j--;
			if (i <= j) {
				const t = a[i]!;
				a[i] = a[j]!;
				a[j] = t;
				i++;
				j--;
			}
		}

		if (k <= j) hi = j;
		else if (k >= i) lo = i;
		else return a[k]!;
	}

	return a[k]!;
}

/** k-th smallest (0-based) of a scratch array, which it reorders. */
export function kthSmallest(scratch: Float64Array, k: number): number {
	if (scratch.length === 0 || k < 0 || k >= scratch.length) return Number.NaN;
	return select(scratch, k);
}

/**
 * Quantile q ∈ [0, 1] with linear interpolation between order statistics (R type 7, the
 * spreadsheet default): quantile(xs, 0.5) is the median.
 */
export function quantile(xs: Series, q: number): number {
	const a = finiteValues(xs);
	return quantileInPlace(a, q);
}

/** `quantile` on a Float64Array of finite values that it may reorder. */
function quantileInPlace(a: Float64Array, q: number): number {
	const n = a.length;
	if (n === 0 || !(q >= 0 && q <= 1)) return Number.NaN;
	const h = (n - 1) * q;
	const lo = Math.floor(h);
	const vLo = select(a, lo);
	if (h === lo) return vLo;
	// The next order statistic is the minimum of the part right of lo after selection.
	let vHi = Number.POSITIVE_INFINITY;
	for (let i = lo + 1; i < n; i++) if (a[i]! < vHi) vHi = a[i]!;
	return vLo + (h - lo) * (vHi - vLo);
}

export function median(xs: Series): number {
	return quantile(xs, 0.5);
}

interface LineFit {
	/** value units per time unit */
	slope: number;
	/** value at time 0 (in the time units given) */
	intercept: number;
	/** points used */
	n: number;
}

/**
 * Theil–Sen line: the slope is the median of the slopes of all point pairs with distinct times,
 * the intercept the median of v − slope × t. Breakdown point ~29 %: spikes and outliers do not
 * move it. Points where time or value is not finite are skipped. Above `maxPoints` (default 160)
 * the points are thinned evenly first, which keeps it O(maxPoints²) for long series.
 * Returns null with fewer than 2 usable points or no distinct times.
 */
export function theilSen(times: Series, values: Series, opts?: {maxPoints?: number}): LineFit | null {
	const maxPoints = Math.max(2, opts?.maxPoints ?? 160);
	const n = Math.min(times.length, values.length);
	const ti: number[] = [];
	const vi: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = times[i]!;
		const v = values[i]!;
		if (Number.isFinite(t) && Number.isFinite(v)) {
			ti.push(t);
			vi.push(v);
		}
	}

	let m = ti.length;
	if (m < 2) return null;
	let ts = ti;
	let vs = vi;
	if (m > maxPoints) {
		const tt: number[] = [];
		const vv: number[] = [];
		for (let k = 0; k < maxPoints; k++) {
			const idx = Math.round((k * (m - 1)) / (maxPoints - 1));
			tt.push(ti[idx]!);
			vv.push(vi[idx]!);
		}

		ts = tt;
		vs = vv;
		m = maxPoints;
	}

	const slopes = new Float64Array((m * (m - 1)) / 2);
	let k = 0;
	for (let i = 0; i < m; i++) {
		const t0 = ts[i]!;
		const v0 = vs[i]!;
		for (let j = i + 1; j < m; j++) {
			const dt = ts[j]! - t0;
			if (dt !== 0) slopes[k++] = (vs[j]! - v0) / dt;
		}
	}

	if (k === 0) return null;
	const slope = quantileInPlace(slopes.subarray(0, k), 0.5);
	const residuals = new Float64Array(m);
	for (let i = 0; i < m; i++) residuals[i] = vs[i]! - slope * ts[i]!;
	const intercept = quantileInPlace(residuals, 0.5);
	return {slope, intercept, n: m};
}

/** Median absolute deviation scaled to σ for normal data (× 1.4826). */
export function mad(xs: Series): number {
	const a = finiteValues(xs);
	if (a.length === 0) return Number.NaN;
	const med = quantileInPlace(a, 0.5);
	for (let i = 0; i < a.length; i++) a[i] = Math.abs(a[i]! - med);
	return 1.4826 * quantileInPlace(a, 0.5);
}
