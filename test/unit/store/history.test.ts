import {describe, expect, it} from 'vitest';
import {HistoryRing} from '../../../source/store/history.js';

const nan = (v: number) => Number.isNaN(v);
/** ring reads are within ±0.034 %: small whole numbers round back exactly */
const r = (v: ArrayLike<number>) => Array.from(v, x => (Number.isNaN(x) ? x : Math.round(x)));

describe('HistoryRing', () => {
	it('returns samples in time order and wraps around keeping only the newest', () => {
		const ring = new HistoryRing(4, 8);
		const s = ring.alloc();
		for (let i = 1; i <= 6; i++) {
			ring.tick(i * 1000);
			ring.set(s, i * 10);
		}

		const {times, values} = ring.read(s);
		expect([...times]).toEqual([3000, 4000, 5000, 6000]);
		expect(r(values)).toEqual([30, 40, 50, 60]);
		expect(ring.length).toBe(4);
		expect(ring.latest(s)).toBe(60);
		expect(r(ring.read(s, 2).values)).toEqual([50, 60]);
	});

	it('marks a column NaN for a series that got no sample in that poll', () => {
		const ring = new HistoryRing(5, 2);
		const a = ring.alloc();
		const b = ring.alloc();
		const c = ring.alloc(); // second chunk
		ring.tick(1);
		ring.set(a, 1);
		ring.set(c, 7);
		ring.tick(2);
		ring.set(b, 2);
		const va = [...ring.read(a).values];
		expect(Math.round(va[0]!)).toBe(1);
		expect(nan(va[1]!)).toBe(true);
		expect(nan(ring.read(b).values[0]!)).toBe(true);
		expect(Math.round(ring.read(b).values[1]!)).toBe(2);
		expect(nan(ring.read(c).values[1]!)).toBe(true);
	});

	it('reuses a column when the same time arrives twice', () => {
		const ring = new HistoryRing(4);
		const s = ring.alloc();
		expect(ring.tick(1000)).toBe(true);
		ring.set(s, 1);
		expect(ring.tick(1000)).toBe(false);
		ring.set(s, 2);
		expect(r(ring.read(s).values)).toEqual([2]);
	});

	it('reuses released slots from the free list and wipes their old samples', () => {
		const ring = new HistoryRing(3, 4);
		const a = ring.alloc();
		const b = ring.alloc();
		ring.tick(1);
		ring.set(a, 100);
		ring.set(b, 200);
		ring.release(a);
		expect(ring.size).toBe(1);
		expect(ring.freeCount).toBe(1);
		expect(ring.latest(a)).toBeNull();
		const c = ring.alloc();
		expect(c).toBe(a); // same slot
		expect(ring.capacity).toBe(2); // no growth
		expect(nan(ring.read(c).values[0]!)).toBe(true); // not the old 100
		expect(ring.latest(c)).toBeNull();
		expect(Math.round(ring.read(b).values[0]!)).toBe(200);
	});

	it('treats a latest value as stale after maxAgeTicks polls without it', () => {
		const ring = new HistoryRing(10);
		const s = ring.alloc();
		ring.tick(1);
		ring.set(s, 5);
		ring.tick(2);
		expect(ring.latest(s, 1)).toBe(5);
		ring.tick(3);
		expect(ring.latest(s, 1)).toBeNull();
		expect(ring.latest(s)).toBe(5);
	});

	it('readInto pads the front with NaN when the history is shorter than the buffer', () => {
		const ring = new HistoryRing(10);
		const s = ring.alloc();
		ring.tick(1);
		ring.set(s, 1);
		ring.tick(2);
		ring.set(s, 2);
		const out = new Float32Array(4);
		ring.readInto(s, out);
		expect(nan(out[0]!) && nan(out[1]!)).toBe(true);
		expect(r([out[2]!, out[3]!])).toEqual([1, 2]);
	});

	it('allocates value slabs in chunks, on demand', () => {
		const ring = new HistoryRing(10, 16);
		expect(ring.slabBytes).toBe(0);
		for (let i = 0; i < 17; i++) ring.alloc();
		expect(ring.slabBytes).toBe(2 * 16 * 10 * 2);
	});

	it('keeps every size from 0 to 2^53 bytes within ±0.034 %, and 0 exactly', () => {
		const ring = new HistoryRing(4, 4);
		const s = ring.alloc();
		const sizes = [0, 1, 4096, 123_456_789, 5_323_976_704, 3 * 1024 ** 4, 2 ** 53];
		for (const bytes of sizes) {
			ring.tick(ring.ticks + 1);
			ring.set(s, bytes);
			const got = ring.read(s, 1).values[0]!;
			if (bytes === 0) expect(got).toBe(0);
			else expect(Math.abs(got - bytes) / bytes).toBeLessThan(0.00035);
			expect(ring.latest(s)).toBe(bytes); // the latest value stays exact
		}
	});
});
