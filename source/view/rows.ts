/**
 * Row sets and the small caches the view model is built from.
 * A row set is an ordered list of row indices; row objects are made only for the rows asked for
 * (the visible window), once each.
 */

export interface RowSet<R> {
	/** rows after scope + filter */
	readonly length: number;
	/** rows in scope before the text filter */
	readonly scoped: number;
	key(i: number): string;
	row(i: number): R;
	/** index of the row with this key, -1 if absent */
	indexOf(key: string): number;
}

export class IndexRowSet<R> implements RowSet<R> {
	private readonly cache = new Map<number, R>();
	constructor(
		readonly rows: Uint32Array,
		readonly scoped: number,
		private readonly keyOf: (base: number) => string,
		private readonly make: (base: number) => R,
		/** base index of a key, for a scan of integers instead of strings */
		private readonly baseOf?: (key: string) => number | undefined,
	) {}

	get length(): number {
		return this.rows.length;
	}

	key(i: number): string {
		return this.keyOf(this.rows[i]!);
	}

	row(i: number): R {
		const b = this.rows[i]!;
		let r = this.cache.get(b);
		if (r === undefined) {
			r = this.make(b);
			this.cache.set(b, r);
		}

		return r;
	}

	indexOf(key: string): number {
		if (this.baseOf) {
			const b = this.baseOf(key);
			return b === undefined ? -1 : this.rows.indexOf(b);
		}

		for (let i = 0; i < this.rows.length; i++) if (this.keyOf(this.rows[i]!) === key) return i;
		return -1;
	}
}

/** Case-insensitive subsequence match ("wbap" matches "web-api"). `needle` must be lower case. */
export function fuzzyMatch(needle: string, haystackLower: string): boolean {
	return fuzzyRange(needle, haystackLower, 0, haystackLower.length);
}

/** fuzzyMatch on haystack[from, to) without slicing; haystack is lower case */
export function fuzzyRange(needle: string, haystack: string, from: number, to: number): boolean {
	return fuzzyEnd(needle, haystack, from, to) >= 0;
}

/**
 * The same, and where the match ended: the index after the needle's last character (each found at
 * its first place, so a longer needle's match goes on from there), `from` for an empty needle, -1
 * when it does not match.
 */
export function fuzzyEnd(needle: string, haystack: string, from: number, to: number): number {
	let j = 0;
	const n = needle.length;
	let i = from;
	for (; i < to && j < n; i++) {
		if (haystack.charCodeAt(i) === needle.charCodeAt(j)) j++;
	}

	return j === n ? i : -1;
}

/** a small cache: keep the newest `max` entries */
export function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
	map.delete(key);
	map.set(key, value);
	while (map.size > max) map.delete(map.keys().next().value!);
}

/** one value, rebuilt when its tag changes */
export class Lazy<T> {
	private tag = '';
	private value: T | undefined;
	get(tag: string, make: () => T): T {
		if (this.value === undefined || tag !== this.tag) {
			this.value = make();
			this.tag = tag;
		}

		return this.value;
	}
}
