/**
 * Kubernetes resource quantities (`resource.Quantity`) as byte counts, and the human formats
 * memtop prints.
 *
 * Grammar (apimachinery `pkg/api/resource`):
 *   <quantity> ::= <signedNumber><suffix>
 *   <suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei          binary, powers of 2^10
 *                | n | u | m | "" | k | M | G | T | P | E   decimal SI
 *                | e<signedInt> | E<signedInt>         decimal exponent
 * A number is digits with an optional fraction ("1.5", ".5", "5."). The value is taken to an
 * integer the way `Quantity.Value()` does it: any fraction rounds away from zero (1.1 → 2,
 * -1.1 → -2). The arithmetic is done on BigInt, so the result is exact for every integer up to
 * 2^53 and only then turned into a Number.
 */

export class QuantityError extends Error {
	readonly input: string;

	constructor(input: string, why: string) {
		super(`invalid quantity ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}: ${why}`);
		this.name = 'QuantityError';
		this.input = input;
	}
}

const binarySuffix: Record<string, number> = {Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60};
const decimalSuffix: Record<string, number> = {n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18};

// Anything beyond these exponents is far outside int64, which is all a Quantity can hold as a value.
const maxExponent = 40;
const numberPattern = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;
const exponentPattern = /^[eE]([+-]?\d+)$/;

const big10 = 10n;

function divideAwayFromZero(numerator: bigint, denominator: bigint): bigint {
	const q = numerator / denominator;
	return numerator % denominator === 0n ? q : q + 1n; // numerator >= 0 here
}

/** Parse a Kubernetes quantity string into bytes (an integer, rounded like `Quantity.Value()`). */
/** the forms metrics and specs use almost always: whole digits with no or a binary/decimal suffix */
const plainPattern = /^(\d{1,15})(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const plainFactor: Record<string, number> = {'': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12};

export function parseQuantity(s: string): number {
	// Fast path, no BigInt: "123456Ki", "300Mi", "2G", "1073741824". Exact while the product stays
	// below 2^53 (15 digits × 2^40 can pass it: then the exact path below decides).
	const plain = typeof s === 'string' ? plainPattern.exec(s) : null;
	if (plain) {
		const value = Number(plain[1]) * plainFactor[plain[2] ?? '']!;
		if (Number.isSafeInteger(value)) return value;
	}

	if (typeof s !== 'string') throw new QuantityError(String(s), 'not a string');
	if (s.length === 0) throw new QuantityError(s, 'empty');
	if (s.length > 100) throw new QuantityError(s, 'too long');
	const m = numberPattern.exec(s);
	if (!m) throw new QuantityError(s, 'not a number');
	const sign = m[1] === '-' ? -1n : 1n;
	const intDigits = m[2] ?? '';
	const fracDigits = m[3] ?? '';
	const suffix = m[4] ?? '';
	if (intDigits.length === 0 && fracDigits.length === 0) throw new QuantityError(s, 'no digits');

	let exp10 = 0;
	let exp2 = 0;
	if (suffix in binarySuffix) {
		exp2 = binarySuffix[suffix]!;
	} else if (suffix in decimalSuffix) {
		exp10 = decimalSuffix[suffix]!;
	} else {
		const e = exponentPattern.exec(suffix);
		if (!e) throw new QuantityError(s, `unknown suffix ${JSON.stringify(suffix)}`);
		const n = Number(e[1]);
		if (!Number.isSafeInteger(n) || Math.abs(n) > 1000) throw new QuantityError(s, 'exponent out of range');
		exp10 = n;
	}

	const digits = (intDigits + fracDigits).replace(/^0+/, '');
	if (digits.length === 0) return 0;
	exp10 -= fracDigits.length;
	// Magnitude check before building big numbers: digits × 10^exp10 × 2^exp2.
	const magnitude = digits.length + exp10 + exp2 * 0.30103;
	if (magnitude > maxExponent) throw new QuantityError(s, 'too large');

	let numerator = BigInt(digits) << BigInt(exp2);
	let denominator = 1n;
	if (exp10 >= 0) numerator *= big10 ** BigInt(exp10);
	else if (magnitude < -2) return Number(sign); // a positive value far below 1 rounds away from zero to ±1
	else denominator = big10 ** BigInt(-exp10);
	const value = divideAwayFromZero(numerator, denominator) * sign;
	return Number(value);
}

/** the largest byte figure taken from the cluster: a Quantity's Value() is an int64 */
const maxBytes = 2 ** 63;

/**
 * A byte figure from the cluster: the bytes (a quantity string, or a finite number rounded up
 * like a quantity), null when absent (undefined or null), or, when present but not a byte count
 * (not a quantity, negative, beyond 2^63 bytes), why not.
 */
export function readBytes(v: unknown): number | string | null {
	if (v === undefined || v === null) return null;
	let n: number;
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) return 'not a finite number';
		n = Math.ceil(v);
	} else if (typeof v === 'string') {
		try {
			n = parseQuantity(v);
		} catch {
			return 'not a quantity';
		}
	} else {
		return 'not a quantity';
	}

	if (n < 0) return 'negative';
	return n > maxBytes ? 'beyond 2^63 bytes' : n;
}

/** Bytes from a quantity string (or a finite number), null when missing or not a byte count (see readBytes). */
export function parseQuantityOrNull(v: unknown): number | null {
	const n = readBytes(v);
	return typeof n === 'number' ? n : null;
}

const units = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * Bytes in binary units for tables: "0", "512", "512Ki", "300Mi", "1.5Gi"; "—" for null/NaN.
 * Values below 10 in their unit keep `precision` decimals (default 1, trailing ".0" dropped),
 * larger values are whole numbers. Rounding never prints "1024Ki": it moves up a unit.
 */
export function formatBytes(n: number | null | undefined, opts?: {precision?: number}): string {
	if (n === null || n === undefined || !Number.isFinite(n)) return '—';
	const precision = Math.max(0, Math.min(3, opts?.precision ?? 1));
	const sign = n < 0 ? '-' : '';
	let abs = Math.abs(n);
	if (abs < 1024) return sign + String(Math.round(abs));
	let unit = -1;
	while (abs >= 1024 && unit < units.length - 1) {
		abs /= 1024;
		unit++;
	}

	let text = render(abs, precision);
	if (Number(text) >= 1024 && unit < units.length - 1) {
		abs /= 1024;
		unit++;
		text = render(abs, precision);
	}

	return sign + text + units[unit]!;
}

function render(value: number, precision: number): string {
	if (value < 10 && precision > 0) {
		const fixed = value.toFixed(precision);
		return fixed.replace(/0+$/, '').replace(/\.$/, '');
	}

	return String(Math.round(value));
}

/** "87%", "<1%" for small positive values, "—" for null/NaN. */
export function formatPercent(p: number | null | undefined): string {
	if (p === null || p === undefined || !Number.isFinite(p)) return '—';
	const r = Math.round(p);
	if (r === 0 && p > 0) return '<1%';
	return `${r}%`;
}

/** a stall share in % with a decimal below 1 % ("14%", "0.4%", "0%"); PSI is reported to 0.01 % */
export function formatStall(p: number): string {
	return p > 0 && p < 1 ? `${p.toFixed(1)}%` : formatPercent(p);
}

/** "45s", "12m", "3h5m", "2d4h" (two units at most, truncated); "0s" for ≤ 0; "—" for null/NaN. */
export function formatDuration(ms: number | null | undefined): string {
	if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
	if (ms === Number.POSITIVE_INFINITY) return '∞';
	if (ms <= 0) return '0s';
	const s = Math.floor(ms / 1000);
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m}m`;
	const h = Math.floor(m / 60);
	if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
	const d = Math.floor(h / 24);
	return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
}

/**
 * A Go-style duration ("15s", "2m", "1h30m", "500ms", "1.5h") in ms; null when the text is not
 * one (or is too long to hold). metrics.k8s.io writes its `window` this way, and memtop's flags
 * take the same form.
 */
export function parseDuration(text: string): number | null {
	const s = text.trim();
	if (s === '') return null;
	const re = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/gy;
	let total = 0;
	let matched = 0;
	for (const m of s.matchAll(re)) {
		const n = Number(m[1]);
		total += m[2] === 'd' ? n * 86_400_000 : m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
		matched += m[0].length;
	}

	return matched === s.length && Number.isFinite(total) ? Math.round(total) : null;
}
