/**
 * The pods table's text filter at 150,000 pods: a fuzzy match (subsequence, rows.ts fuzzyEnd) of
 * every pod key, kept from one key press to the next.
 * - Each matching key remembers where its match ended: a filter that extends the previous one
 *   (typing) goes on from there for the new characters only, over the keys that matched before.
 * - When pods came and went under the same filter, the matches are carried over and only the
 *   newcomers are tried.
 * - Two end buffers take turns: no 600 KB array per key press.
 */
import type {PodBase, PodIndex} from './pod-index.js';
import {fuzzyEnd} from './rows.js';

export class PodFilter {
	/** per base index: where the key's match of `filter` ended (from the key's start), -1 when it does not match */
	private last: {base: PodBase; filter: string; ends: Int32Array} | null = null;
	private spare: Int32Array | null = null;

	constructor(private readonly index: PodIndex) {}

	/** the `sorted` rows (base indices) whose key matches `filter` (lower case), in their order */
	rows(b: PodBase, sorted: Uint32Array, filter: string): Uint32Array {
		const prev = this.last;
		const n = b.keys.length;
		const ends = this.buffer(n);
		if (prev !== null && prev.filter === filter && prev.base !== b && b.from?.base === prev.base) {
			// pods came and went: carry the matches over, try only the newcomers
			const from = b.from.index;
			for (let r = 0; r < n; r++) {
				const old = from[r]!;
				const key = b.keys[r]!;
				ends[r] = old >= 0 ? prev.ends[old]! : fuzzyEnd(filter, key, 0, key.length);
			}
		} else {
			// over one contiguous string (cache friendly); typing on goes on from the previous ends
			const {joined, offsets} = this.index.text(b);
			const on = prev !== null && prev.base === b && filter.startsWith(prev.filter) ? prev : null;
			const rest = on === null ? filter : filter.slice(on.filter.length);
			for (let r = 0; r < n; r++) {
				const start = offsets[r]!;
				const at = on === null ? 0 : on.ends[r]!;
				if (at < 0) continue;
				const end = fuzzyEnd(rest, joined, start + at, offsets[r + 1]! - 1);
				if (end >= 0) ends[r] = end - start;
			}
		}

		if (prev !== null) this.spare = prev.ends;
		this.last = {base: b, filter, ends};
		let m = 0;
		for (let i = 0; i < sorted.length; i++) if (ends[sorted[i]!]! >= 0) m++;
		const out = new Uint32Array(m);
		m = 0;
		for (let i = 0; i < sorted.length; i++) {
			const r = sorted[i]!;
			if (ends[r]! >= 0) out[m++] = r;
		}

		return out;
	}

	/** an end buffer of length n, all -1, reusing the one the filter before let go */
	private buffer(n: number): Int32Array {
		const spare = this.spare;
		this.spare = null;
		return spare !== null && spare.length === n ? spare.fill(-1) : new Int32Array(n).fill(-1);
	}
}
