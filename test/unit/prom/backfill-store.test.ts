import {describe, expect, it} from 'vitest';
import {HistoryRing} from '../../../source/store/history.js';
import {Store} from '../../../source/store/store.js';
import {container, metrics, Mi, node, pod} from '../store/records.js';

const round = (v: ArrayLike<number>) => Array.from(v, x => (Number.isNaN(x) ? null : Math.round(x)));

describe('HistoryRing past columns', () => {
	it('opens past columns before the live ones, in time order, and keeps only what fits', () => {
		const ring = new HistoryRing(5, 2);
		const a = ring.alloc();
		const b = ring.alloc();
		const c = ring.alloc(); // a second chunk
		ring.tick(100);
		ring.set(a, 1);
		ring.tick(110);
		ring.set(a, 2);
		ring.set(c, 9);
		// 100 is not older than the oldest column; only the newest three of the rest fit
		expect(ring.prepend([50, 60, 70, 80, 90, 100])).toBe(3);
		expect([...ring.times()]).toEqual([70, 80, 90, 100, 110]);
		expect(round(ring.read(a).values)).toEqual([null, null, null, 1, 2]);
		expect(round(ring.read(c).values)).toEqual([null, null, null, null, 9]);
		expect(ring.writePast(a, [60, 80, 100, 110], [7, 8, 99, 99])).toBe(1);
		expect(round(ring.read(a).values)).toEqual([null, 8, null, 1, 2]);
		expect(ring.writePast(b, [70, 90], [3, 4])).toBe(2);
		expect(round(ring.read(b).values)).toEqual([3, null, 4, null, null]);
		expect(ring.latest(a)).toBe(2);
		expect(ring.latest(b)).toBeNull();
		// live ticks go on after them, and the oldest past column goes first
		ring.tick(120);
		ring.set(a, 3);
		expect([...ring.times()]).toEqual([80, 90, 100, 110, 120]);
		expect(round(ring.read(a).values)).toEqual([8, null, 1, 2, 3]);
		expect(ring.prepend([1, 2])).toBe(0);
	});

	it('opens past columns into an empty ring', () => {
		const ring = new HistoryRing(4, 8);
		const a = ring.alloc();
		expect(ring.prepend([10, 20, 30])).toBe(3);
		expect(ring.writePast(a, [10, 20, 30], [1, 2, 3])).toBe(3);
		ring.tick(40);
		ring.set(a, 4);
		expect(round(ring.read(a).values)).toEqual([1, 2, 3, 4]);
		expect(ring.ticks).toBe(1);
	});
});

describe('Store backfill', () => {
	it('writes a sole container into the pod series, several containers into their own and the pod the sum', () => {
		const store = new Store({historySamples: 6, notifyIntervalMs: 0});
		store.replacePods([pod('a', 'one', {limit: 100 * Mi}), pod('a', 'two', {containers: [container('app'), container('side')]})]);
		store.replaceNodes([node('n1')]);
		store.applyMetrics(metrics(1000, [['a/one', 5 * Mi], ['a/two', 30, {app: 10, side: 20}]], [['n1', 1000]]));
		const [metricsAt, historyAt] = [store.metricsVersion, store.historyVersion];
		expect(store.openPastColumns([600, 700, 800, 900])).toBe(4);
		expect(store.backfillPod('a/one', new Map([['app', {times: [700, 900], values: [3 * Mi, 4 * Mi]}]]))).toBe(2);
		const two = new Map([
			['app', {times: [800, 900], values: [11, 12]}],
			['side', {times: [900], values: [21]}],
		]);
		expect(store.backfillPod('a/two', two)).toBe(2 + 3);
		expect(store.backfillPod('a/gone', two)).toBe(0);
		expect(store.backfillNode('n1', [900], [900])).toBe(1);
		store.backfilled();
		// the history moved, the latest working sets did not
		expect([store.metricsVersion, store.historyVersion > historyAt]).toEqual([metricsAt, true]);
		expect(round(store.history('pod', 'a/one').values.map(v => v / Mi))).toEqual([null, 3, null, 4, 5]);
		expect(round(store.history('pod', 'a/two').values)).toEqual([null, null, 11, 33, 30]);
		expect(round(store.history('container', 'a/two', 'side').values)).toEqual([null, null, null, 21, 20]);
		expect(round(store.history('node', 'n1').values)).toEqual([null, null, null, 900, 1000]);
		expect(store.workingSet('a/one')).toBe(5 * Mi);
	});
});
