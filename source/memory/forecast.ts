/**
 * Time to OOM from a working-set history.
 *
 * Method (robust, not the last two samples):
 * 1. Keep the finite samples at or before `now` (and after `opts.startedAt`, the container's last
 *    start, when the caller knows it: a restart resets the working set).
 * 2. Require at least `minSamples` (10) samples spanning at least `minSpanMs` (2 min), and a
 *    sample no older than `staleMs` (10 min).
 * 3. Cut the observed span into K equal time buckets (K = 4…8, about five samples each) and take
 *    each bucket's minimum (the trough) and maximum (the peak), with their sample times.
 * 4. The trend is the Theil–Sen slope of the troughs. A GC sawtooth whose troughs stay level has
 *    no trend; a sawtooth whose troughs climb is a leak; isolated spikes never set a minimum.
 * 5. The trend must be real: its rise over the span must exceed the larger of three robust
 *    standard deviations of the troughs around the line, 1 % of the limit and 1 MiB. Otherwise
 *    the series is "flat" (or "falling" when the same test holds downwards).
 * 6. The peak line has the trend's slope through the bucket maxima (median offset). Its value now
 *    is where the container's highs are; the ETA is when that line reaches the limit, since the
 *    highs, not the troughs, trigger the OOM killer. Past `horizonMs` (7 days) no ETA is given.
 */
import {formatBytes, formatDuration} from './quantity.js';
import {mad, theilSen} from './stats.js';

type ForecastNoneReason =
	| 'not-running'
	| 'no-limit'
	| 'too-little-history'
	| 'stale'
	| 'already-at-limit'
	| 'flat'
	| 'falling'
	| 'beyond-horizon';

export type Forecast =
	| {
			kind: 'eta';
			/** ms from `now` until the peak line reaches the limit (0: the highs are there already) */
			etaMs: number;
			slopeBytesPerSec: number;
			/** epoch ms: now + etaMs */
			atLimitAt: number;
			/** where the highs are now on the trend line (bytes) */
			peakNowBytes: number;
			text: string;
			/** the container it is about, when a pod's forecast is one of its containers' */
			container?: string;
	  }
	| {kind: 'none'; why: ForecastNoneReason; text: string; slopeBytesPerSec: number | null; container?: string};

interface ForecastOptions {
	/** epoch ms of the container's (or pod's newest container's) last start: earlier samples are ignored */
	startedAt?: number | null;
	/** default 10 */
	minSamples?: number;
	/** default 5 min */
	minSpanMs?: number;
	/** newest sample must be at most this old (default 10 min) */
	staleMs?: number;
	/** no ETA beyond this (default 7 days) */
	horizonMs?: number;
}

const forecastDefaults = {
	minSamples: 10,
	minSpanMs: 2 * 60_000,
	staleMs: 10 * 60_000,
	horizonMs: 7 * 24 * 3_600_000,
	/** relative part of the flat tolerance: 1 % of the limit over the observed span */
	flatFractionOfLimit: 0.01,
	/** absolute floor of the flat tolerance */
	flatFloorBytes: 1024 * 1024,
	/** trough noise multiplier of the flat tolerance */
	flatNoiseSigmas: 3,
	/** the last sample at or above this fraction of the limit counts as "at the limit" */
	atLimitFraction: 0.99,
} as const;

export function none(why: ForecastNoneReason, text: string, slopeBytesPerSec: number | null = null): Forecast {
	return {kind: 'none', why, text, slopeBytesPerSec};
}

export function forecastOom(
	times: ArrayLike<number>,
	values: ArrayLike<number>,
	limitBytes: number | null,
	now: number,
	opts?: ForecastOptions,
): Forecast {
	if (limitBytes === null || !(limitBytes > 0)) return none('no-limit', 'no limit');
	const minSamples = opts?.minSamples ?? forecastDefaults.minSamples;
	const minSpanMs = opts?.minSpanMs ?? forecastDefaults.minSpanMs;
	const staleMs = opts?.staleMs ?? forecastDefaults.staleMs;
	const horizonMs = opts?.horizonMs ?? forecastDefaults.horizonMs;
	const since = opts?.startedAt ?? Number.NEGATIVE_INFINITY;

	// Times relative to now (ms, ≤ 0) keep the arithmetic small and exact.
	const ts: number[] = [];
	const vs: number[] = [];
	const n = Math.min(times.length, values.length);
	for (let i = 0; i < n; i++) {
		const t = times[i]!;
		const v = values[i]!;
		if (!Number.isFinite(t) || !Number.isFinite(v) || t > now || t < since) continue;
		ts.push(t - now);
		vs.push(v);
	}

	// Ring buffers hand samples over in time order; sort only if they are not.
	let sorted = true;
	for (let i = 1; i < ts.length; i++) {
		if (ts[i]! < ts[i - 1]!) {
			sorted = false;
			break;
		}
	}

	if (!sorted) {
		const order = ts.map((_, i) => i).sort((a, b) => ts[a]! - ts[b]!);
		const t2 = order.map((i) => ts[i]!);
		const v2 = order.map((i) => vs[i]!);
		ts.splice(0, ts.length, ...t2);
		vs.splice(0, vs.length, ...v2);
	}

	const m = ts.length;
	const span = m > 0 ? ts[m - 1]! - ts[0]! : 0;
	if (m < minSamples || span < minSpanMs) {
		const have = m < minSamples ? `${m} samples` : formatDuration(span);
		return none('too-little-history', `too little history (${have}; need ${minSamples} over ${formatDuration(minSpanMs)})`);
	}

	if (-ts[m - 1]! > staleMs) return none('stale', `no sample for ${formatDuration(-ts[m - 1]!)}`);
	const last = vs[m - 1]!;
	if (last >= limitBytes * forecastDefaults.atLimitFraction) return none('already-at-limit', 'at the limit');

	// Buckets: troughs and peaks with the times they occurred.
	const k = Math.max(4, Math.min(8, Math.round(m / 5)));
	const start = ts[0]!;
	const width = span / k;
	const troughT = new Float64Array(k).fill(Number.NaN);
	const troughV = new Float64Array(k).fill(Number.NaN);
	const peakT = new Float64Array(k).fill(Number.NaN);
	const peakV = new Float64Array(k).fill(Number.NaN);
	for (let i = 0; i < m; i++) {
		const b = Math.min(k - 1, Math.floor((ts[i]! - start) / width));
		const v = vs[i]!;
		if (!(v >= troughV[b]!)) {
			troughV[b] = v;
			troughT[b] = ts[i]!;
		}

		if (!(v <= peakV[b]!)) {
			peakV[b] = v;
			peakT[b] = ts[i]!;
		}
	}

	const fit = theilSen(troughT, troughV);
	if (fit === null) return none('too-little-history', 'too little history');
	const slope = fit.slope; // bytes per ms
	const slopePerSec = slope * 1000;
	const residuals: number[] = [];
	for (let b = 0; b < k; b++) {
		if (Number.isFinite(troughV[b]!)) residuals.push(troughV[b]! - (fit.intercept + slope * troughT[b]!));
	}

	const noise = mad(residuals);
	const rise = slope * span;
	const tolerance = Math.max(
		forecastDefaults.flatNoiseSigmas * (Number.isFinite(noise) ? noise : 0),
		forecastDefaults.flatFractionOfLimit * limitBytes,
		forecastDefaults.flatFloorBytes,
	);
	if (rise <= -tolerance) return none('falling', 'falling', slopePerSec);
	if (rise < tolerance) return none('flat', 'flat', slopePerSec);

	const offsets: number[] = [];
	for (let b = 0; b < k; b++) {
		if (Number.isFinite(peakV[b]!)) offsets.push(peakV[b]! - slope * peakT[b]!);
	}

	offsets.sort((a, b) => a - b);
	const mid = offsets.length >> 1;
	const peakIntercept = offsets.length % 2 === 1 ? offsets[mid]! : (offsets[mid - 1]! + offsets[mid]!) / 2;
	// The highs now: the peak line at t = 0 (now). Not the latest sample: a spike there must not
	// move the forecast.
	const peakNow = peakIntercept;
	const etaMs = Math.max(0, (limitBytes - peakNow) / slope);
	if (etaMs > horizonMs) {
		return none('beyond-horizon', `rising ${formatBytes(slopePerSec * 3600)}/h; limit > ${formatDuration(horizonMs)} away`, slopePerSec);
	}

	return {
		kind: 'eta',
		etaMs,
		slopeBytesPerSec: slopePerSec,
		atLimitAt: now + etaMs,
		peakNowBytes: peakNow,
		text: etaMs < 1000 ? 'OOM imminent' : `OOM in ${formatDuration(etaMs)}`,
	};
}

/**
 * A pod's forecast from its containers' (each against its own limit): the soonest ETA wins and
 * names its container; without any ETA, "at the limit" wins (named), then the first reason that
 * says more than "too little history"; no container with a limit means no limit.
 */
export function soonestForecast(containers: ReadonlyArray<{name: string; forecast: Forecast}>): Forecast {
	let best: Forecast | null = null;
	let fallback: Forecast | null = null;
	for (const {name, forecast: f} of containers) {
		if (f.kind === 'none' && (f.why === 'no-limit' || f.why === 'not-running')) continue;
		const named: Forecast = {...f, container: name};
		if (f.kind === 'eta') {
			if (best === null || (best.kind === 'eta' && f.etaMs < best.etaMs)) best = named;
		} else if (f.why === 'already-at-limit') {
			if (fallback === null || fallback.kind !== 'none' || fallback.why !== 'already-at-limit') fallback = named;
		} else if (f.why === 'too-little-history') {
			// every container may say so: not one container's news
			fallback ??= f;
		} else if (fallback === null || (fallback.kind === 'none' && fallback.why === 'too-little-history')) {
			fallback = named;
		}
	}

	return best ?? fallback ?? none('no-limit', 'no limit');
}

/** how alarming a forecast is: an ETA under an hour or the limit reached is crit, a later ETA warn, flat or falling ok */
export function forecastLevel(f: Forecast, now: number): 'ok' | 'warn' | 'crit' | 'info' {
	if (f.kind === 'eta') return f.atLimitAt - now < 3_600_000 ? 'crit' : 'warn';
	if (f.why === 'already-at-limit') return 'crit';
	return f.why === 'flat' || f.why === 'falling' ? 'ok' : 'info';
}

/**
 * A forecast in words at `now`: the ETA counts down from when it was made ("OOM in 6m", "OOM
 * imminent"), the reason otherwise; prefixed with the container it is about. Every screen and
 * output says a forecast this way.
 */
export function forecastText(f: Forecast, now: number): string {
	const prefix = f.container === undefined ? '' : `${f.container}: `;
	if (f.kind !== 'eta') return prefix + f.text;
	const left = f.atLimitAt - now;
	return prefix + (left < 1000 ? 'OOM imminent' : `OOM in ${formatDuration(left)}`);
}

/** the same forecast in at most 7 cells, for an OOM-IN column: "6m", "1h5m", "now", "at lim"; null when there is nothing to count down */
export function forecastCell(f: Forecast, now: number): string | null {
	if (f.kind === 'eta') {
		const left = f.atLimitAt - now;
		return left < 1000 ? 'now' : formatDuration(left);
	}

	return f.why === 'already-at-limit' ? 'at lim' : null;
}
