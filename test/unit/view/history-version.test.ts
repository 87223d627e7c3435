/**
 * A backfill's notice moves the store's history version, not its metrics version: the view keeps
 * what reads only the latest working sets (the sort columns, the sorted rows, the filter's
 * matches) and makes again what reads the history (the forecasts the rows show, the time-to-OOM
 * order, the sparklines, recommendations).
 */
import {describe, expect, it} from 'vitest';
import {Store} from '../../../source/store/store.js';
import {ViewModel, type PodQuery, type PodRow} from '../../../source/view/index.js';
import type {IndexRowSet} from '../../../source/view/rows.js';
import {Gi, metrics, Mi, pod} from '../store/records.js';

const t0 = 1_700_000_000_000;
const step = 15_000;
const q = (over: Partial<PodQuery> = {}): PodQuery => ({sort: {key: 'workingSet', desc: true}, filter: '', namespace: null, ...over});
const keys = (rows: IndexRowSet<PodRow>) => Array.from({length: rows.length}, (_, i) => rows.key(i));

function fixture() {
	const store = new Store({historySamples: 40, now: () => t0, notifyIntervalMs: 0});
	store.replacePods([pod('a', 'leaky', {limit: 1 * Gi}), pod('a', 'big', {limit: 1 * Gi}), pod('b', 'small', {limit: 1 * Gi})]);
	store.applyMetrics(
		metrics(t0, [
			['a/leaky', 900 * Mi],
			['a/big', 950 * Mi],
			['b/small', 100 * Mi],
		]),
	);
	const vm = new ViewModel(store);
	return {store, vm};
}

/** 20 samples before t0 of the leaky pod, rising 5 MiB a step to just below its live sample */
function backfill(store: Store): void {
	const times = Array.from({length: 20}, (_, i) => t0 - (20 - i) * step);
	expect(store.openPastColumns(times)).toBe(20);
	const values = times.map((_, i) => (800 + i * 5) * Mi);
	expect(store.backfillPod('a/leaky', new Map([['app', {times, values}]]))).toBe(20);
	store.backfilled();
}

describe('a history-only change (a backfill)', () => {
	it('keeps the sorted rows and the filter matches, and makes again the forecasts and sparklines they show', () => {
		const {store, vm} = fixture();
		const bySet = vm.podRows(q()) as IndexRowSet<PodRow>;
		const filtered = vm.podRows(q({filter: 'a/'})) as IndexRowSet<PodRow>;
		expect(keys(bySet)).toEqual(['a/big', 'a/leaky', 'b/small']);
		expect(bySet.row(1).forecast?.kind).toBe('none');
		const spark = new Float32Array(8);
		vm.seriesInto('pod', 'a/leaky', spark);
		expect(Array.from(spark).filter(Number.isFinite)).toHaveLength(1);

		const metricsVersion = store.metricsVersion;
		backfill(store);
		expect(store.metricsVersion).toBe(metricsVersion);
		expect(vm.refresh()).toBe(true);
		const after = vm.podRows(q()) as IndexRowSet<PodRow>;
		const afterFiltered = vm.podRows(q({filter: 'a/'})) as IndexRowSet<PodRow>;
		// the same order, the same object: nothing sorted or matched again
		expect(after.rows).toBe(bySet.rows);
		expect(afterFiltered.rows).toBe(filtered.rows);
		// the row shows what the history says now
		expect(after.row(1).key).toBe('a/leaky');
		expect(after.row(1).forecast?.kind).toBe('eta');
		expect(vm.podRow('a/leaky')?.forecast).toEqual(after.row(1).forecast);
		vm.seriesInto('pod', 'a/leaky', spark);
		expect(Array.from(spark).filter(Number.isFinite)).toHaveLength(8);
		expect(after.row(1).workingSet).toBe(bySet.row(1).workingSet);
	});

	it('sorts the time-to-OOM order again, and warm() prepares it', () => {
		const {store, vm} = fixture();
		const oom = q({sort: {key: 'oomIn', desc: false}});
		expect(keys(vm.podRows(oom) as IndexRowSet<PodRow>)).toEqual(['a/big', 'a/leaky', 'b/small']);
		backfill(store);
		vm.refresh();
		while (vm.warm(1));
		const rows = vm.podRows(oom) as IndexRowSet<PodRow>;
		expect(keys(rows)).toEqual(['a/leaky', 'a/big', 'b/small']);
		expect(rows.row(0).forecast?.kind).toBe('eta');
	});

	it('a live sample still sorts again (the latest working sets moved)', () => {
		const {store, vm} = fixture();
		const before = vm.podRows(q()) as IndexRowSet<PodRow>;
		store.applyMetrics(
			metrics(t0 + step, [
				['a/leaky', 990 * Mi],
				['a/big', 950 * Mi],
				['b/small', 100 * Mi],
			]),
		);
		vm.refresh();
		const after = vm.podRows(q()) as IndexRowSet<PodRow>;
		expect(after.rows).not.toBe(before.rows);
		expect(keys(after)).toEqual(['a/leaky', 'a/big', 'b/small']);
	});
});
