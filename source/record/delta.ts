/**
 * Numbers written as their change since the previous input of the same kind (a node's previous
 * Summary): the counters and byte figures of a Summary change little between two rounds, and a
 * small difference compresses far better than the figure. Exact: only whole numbers are written
 * as differences, anything else as it is, and the reader, holding the same previous value, knows
 * which is which. A difference of bytes (a field named ...Bytes) is written in pages when it is
 * whole pages. A difference beyond 2^53 (never, for bytes) is written whole as {"$abs": n}.
 */

const whole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);
const page = 4096;

/**
 * A difference of bytes in pages when it is whole pages (memory moves by pages: the digits
 * shrink by a factor of 4096): even = pages × 2, odd = bytes × 2 + 1. Exact both ways.
 */
export function pageCode(d: number): number {
	const e = d % page === 0 ? (d / page) * 2 : d * 2 + 1;
	return Number.isSafeInteger(e) ? e : Number.NaN;
}

export function pageDecode(e: number): number {
	return e % 2 === 0 ? (e / 2) * page : (e - 1) / 2;
}

/** `cur` against `prev`, as a number the reader turns back with `prev` (NaN: cannot, write it whole) */
function numberDelta(prev: unknown, cur: number, bytes: boolean): unknown {
	if (!whole(prev) || !whole(cur)) return cur;
	const d = cur - prev;
	const e = bytes ? pageCode(d) : d;
	return Number.isSafeInteger(d) && Number.isSafeInteger(e) ? e : {$abs: cur};
}

export function deltaEncode(prev: unknown, cur: unknown, key = ''): unknown {
	if (typeof cur === 'number') return numberDelta(prev, cur, key.endsWith('Bytes'));

	if (cur === null || typeof cur !== 'object') return cur;
	if (cur instanceof Map) {
		const p = prev instanceof Map ? prev : null;
		const out = new Map<unknown, unknown>();
		for (const [k, v] of cur) out.set(k, deltaEncode(p?.get(k), v));
		return out;
	}

	if (Array.isArray(cur)) {
		const p = Array.isArray(prev) ? prev : [];
		return cur.map((v, i) => deltaEncode(p[i], v));
	}

	const p = prev !== null && typeof prev === 'object' && !Array.isArray(prev) && !(prev instanceof Map) ? (prev as Record<string, unknown>) : {};
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(cur)) out[k] = deltaEncode(p[k], v, k);
	return out;
}

export function deltaDecode(prev: unknown, enc: unknown, key = ''): unknown {
	if (typeof enc === 'number') return whole(prev) && whole(enc) ? prev + (key.endsWith('Bytes') ? pageDecode(enc) : enc) : enc;
	if (enc === null || typeof enc !== 'object') return enc;
	if (enc instanceof Map) {
		const p = prev instanceof Map ? prev : null;
		const out = new Map<unknown, unknown>();
		for (const [k, v] of enc) out.set(k, deltaDecode(p?.get(k), v));
		return out;
	}

	if (Array.isArray(enc)) {
		const p = Array.isArray(prev) ? prev : [];
		return enc.map((v, i) => deltaDecode(p[i], v));
	}

	const o = enc as Record<string, unknown>;
	if (Object.keys(o).length === 1 && whole(o['$abs'])) return o['$abs'];
	const p = prev !== null && typeof prev === 'object' && !Array.isArray(prev) && !(prev instanceof Map) ? (prev as Record<string, unknown>) : {};
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(o)) out[k] = deltaDecode(p[k], v, k);
	return out;
}
