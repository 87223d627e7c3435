import {describe, expect, it} from 'vitest';
import {rankStrings, sortRows} from '../../../source/view/sort.js';

/** a small deterministic PRNG so failures reproduce */
function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

function reference(rows: number[], key: Float64Array, desc: boolean): number[] {
	const finite = rows.filter(r => !Number.isNaN(key[r]!));
	const nans = rows.filter(r => Number.isNaN(key[r]!));
	// Array.prototype.sort is stable: ties keep input order.
	finite.sort((a, b) => (desc ? key[b]! - key[a]! : key[a]! - key[b]!));
	return [...finite, ...nans];
}

describe('sortRows', () => {
	for (const n of [0, 1, 5, 63, 64, 1000, 20_000]) {
		it(`matches a stable reference sort on ${n} rows (both directions, NaN last)`, () => {
			const r = rng(n + 1);
			const key = new Float64Array(n);
			for (let i = 0; i < n; i++) {
				const x = r();
				// bytes-like integers, negatives, exact ties, fractions and unknowns
				key[i] = x < 0.1 ? Number.NaN : x < 0.2 ? -Math.floor(r() * 1e6) : x < 0.3 ? 42 : x < 0.4 ? r() : Math.floor(r() * 64 * 2 ** 30);
			}

			const rows = Array.from({length: n}, (_, i) => i);
			for (const desc of [false, true]) {
				const got = [...sortRows(Uint32Array.from(rows), key, desc)];
				expect(got).toEqual(reference(rows, key, desc));
			}
		});
	}

	it('sorts a subset of rows given in any order, keeping that order for ties', () => {
		const key = new Float64Array([5, 1, 5, 3, 5]);
		expect([...sortRows(new Uint32Array([4, 2, 0, 1]), key, true)]).toEqual([4, 2, 0, 1]);
		expect([...sortRows(new Uint32Array([4, 2, 0, 1]), key, false)]).toEqual([1, 4, 2, 0]);
	});

	it('orders -0 and 0 as equal and handles infinities', () => {
		const key = new Float64Array([0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1]);
		expect([...sortRows(new Uint32Array([0, 1, 2, 3, 4]), key, false)]).toEqual([3, 0, 1, 4, 2]);
	});

	it('distinguishes large byte values that differ by one byte', () => {
		const key = new Float64Array([2 ** 40 + 1, 2 ** 40, 2 ** 40 + 2]);
		const rows = new Uint32Array(200).map((_, i) => i % 3);
		const got = sortRows(rows, key, false);
		expect(got[0]).toBe(1);
		expect(got[199]).toBe(2);
	});
});

describe('rankStrings', () => {
	it('gives equal strings the same rank and keeps code-unit order', () => {
		expect([...rankStrings(['b', 'a', 'b', 'C', ''])]).toEqual([3, 2, 3, 1, 0]);
	});
});
