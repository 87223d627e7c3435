/**
 * Kubernetes resource quantities as the API server serialises them (canonical form), plus a small
 * parser for the sim's own spec strings. The sim writes memory in every form a client may meet:
 * binary suffixes (Ki Mi Gi ...), decimal suffixes (k M G ...), decimal exponents (1e9), plain
 * bytes and milli-bytes (VPA leaves those behind).
 */

export const KI = 1024;
export const MI = 1024 * KI;
export const GI = 1024 * MI;

const BINARY: ReadonlyArray<[string, number]> = [
	['Ei', 2 ** 60],
	['Pi', 2 ** 50],
	['Ti', 2 ** 40],
	['Gi', 2 ** 30],
	['Mi', 2 ** 20],
	['Ki', 2 ** 10],
];

const DECIMAL: ReadonlyArray<[string, number]> = [
	['E', 1e18],
	['P', 1e15],
	['T', 1e12],
	['G', 1e9],
	['M', 1e6],
	['k', 1e3],
];

/** The largest of `units` that divides a whole byte count exactly (none for 0). */
function exactUnit(bytes: number, units: ReadonlyArray<[string, number]>): [string, number] | undefined {
	if (!Number.isSafeInteger(bytes)) {
		throw new Error(`not an integer byte count: ${bytes}`);
	}

	if (bytes !== 0) {
		for (const unit of units) {
			if (bytes % unit[1] === 0) {
				return unit;
			}
		}
	}

	return undefined;
}

/**
 * Canonical BinarySI form of an integer byte count, as apimachinery's Quantity.String() gives it
 * for `resource.NewQuantity(n, resource.BinarySI)` (what metrics-server and the kubelet emit):
 * the largest binary suffix that divides exactly, else plain digits.
 */
export function binarySI(bytes: number): string {
	const unit = exactUnit(bytes, BINARY);
	return unit ? `${bytes / unit[1]}${unit[0]}` : String(bytes);
}

/** Canonical DecimalSI form (largest power of 1000 that divides exactly). */
export function decimalSI(bytes: number): string {
	const unit = exactUnit(bytes, DECIMAL);
	return unit ? `${bytes / unit[1]}${unit[0]}` : String(bytes);
}

/** Canonical DecimalExponent form (exponent a multiple of 3): 1000000000 → "1e9". */
export function decimalExponent(bytes: number): string {
	const unit = exactUnit(bytes, DECIMAL);
	return unit ? `${bytes / unit[1]}e${Math.round(Math.log10(unit[1]))}` : String(bytes);
}

export type QuantityStyle = 'binary' | 'decimal' | 'exponent' | 'plain';

export function formatBytes(bytes: number, style: QuantityStyle = 'binary'): string {
	switch (style) {
		case 'binary': {
			return binarySI(bytes);
		}

		case 'decimal': {
			return decimalSI(bytes);
		}

		case 'exponent': {
			return decimalExponent(bytes);
		}

		case 'plain': {
			return String(bytes);
		}
	}
}

/** Whole 4 KiB pages, at least one: how the kernel accounts memory. */
export function roundPage(bytes: number): number {
	return Math.max(4096, Math.round(bytes / 4096) * 4096);
}

/** Round a byte count so `formatBytes(rounded, style)` still shows that style (not plain digits). */
export function roundForStyle(bytes: number, style: QuantityStyle): number {
	switch (style) {
		case 'binary': {
			return roundPage(bytes);
		}

		case 'decimal':
		case 'exponent': {
			return Math.max(1000, Math.round(bytes / 1000) * 1000);
		}

		case 'plain': {
			// Deliberately not a multiple of 1024, so it serialises as plain digits.
			const value = Math.round(bytes);
			return value % 1024 === 0 ? value + 7 : value;
		}
	}
}

/** CPU as metrics-server writes it: nanocores, `123456789n`. */
export function nanoCores(nano: number): string {
	const value = Math.max(0, Math.round(nano));
	return value === 0 ? '0' : `${value}n`;
}

/** CPU request/limit form: millicores, whole cores when exact. */
export function milliCores(milli: number): string {
	return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

const SUFFIX: Record<string, number> = {
	'': 1,
	Ki: 2 ** 10,
	Mi: 2 ** 20,
	Gi: 2 ** 30,
	Ti: 2 ** 40,
	Pi: 2 ** 50,
	Ei: 2 ** 60,
	m: 1e-3,
	k: 1e3,
	M: 1e6,
	G: 1e9,
	T: 1e12,
	P: 1e15,
	E: 1e18,
};

/**
 * Parse a quantity string to a number of base units, rounded up to an integer the way
 * Quantity.Value() does (the sim only uses it for memory, which is whole bytes).
 */
export function parseBytes(text: string): number {
	const match = /^([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/.exec(text.trim());
	if (!match) {
		throw new Error(`bad quantity: ${text}`);
	}

	const mantissa = match[1] ?? '0';
	const suffix = match[2] ?? '';
	const exponent = match[3];
	let value: number;
	if (exponent === undefined) {
		const scale = SUFFIX[suffix];
		if (scale === undefined) {
			throw new Error(`bad quantity: ${text}`);
		}

		value = suffix === 'm' ? Number(mantissa) / 1000 : Number(mantissa) * scale;
	} else {
		value = Number(`${mantissa}e${exponent}`);
	}

	return Math.ceil(value - 1e-9);
}

/** Go's time.Duration String() for whole milliseconds: 15s, 1m0s, 1.5s, 250ms. */
export function goDuration(ms: number): string {
	if (ms === 0) {
		return '0s';
	}

	if (ms < 1000) {
		return `${ms}ms`;
	}

	const hours = Math.floor(ms / 3_600_000);
	const minutes = Math.floor((ms % 3_600_000) / 60_000);
	const secondsMs = ms % 60_000;
	const seconds = secondsMs % 1000 === 0 ? String(secondsMs / 1000) : (secondsMs / 1000).toFixed(3).replace(/0+$/, '');
	if (hours > 0) {
		return `${hours}h${minutes}m${seconds}s`;
	}

	if (minutes > 0) {
		return `${minutes}m${seconds}s`;
	}

	return `${seconds}s`;
}

const PAD2: string[] = Array.from({length: 100}, (_, i) => String(i).padStart(2, '0'));

/**
 * metrics-server's `window`: the real time between the two scrapes behind a sample, a little
 * under the resolution and rarely a round number ("9.953s").
 */
export function metricsWindowMs(resolutionMs: number, seed: number, sample: number): number {
	let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(sample, 0xc2b2ae35);
	h ^= h >>> 15;
	return resolutionMs - ((h >>> 0) % Math.max(1, Math.min(200, Math.floor(resolutionMs / 50))));
}

export function metricsWindow(resolutionMs: number, seed: number, sample: number): string {
	return goDuration(metricsWindowMs(resolutionMs, seed, sample));
}

/** RFC 3339 with whole seconds, as metav1.Time serialises (fast: no Date object). */
export function rfc3339(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	let days = Math.floor(seconds / 86_400);
	const rest = seconds - days * 86_400;
	// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
	days += 719_468;
	const era = Math.floor(days / 146_097);
	const doe = days - era * 146_097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
	const hour = Math.floor(rest / 3600);
	const minute = Math.floor((rest % 3600) / 60);
	const second = rest % 60;
	return `${year}-${PAD2[month]}-${PAD2[day]}T${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}Z`;
}
