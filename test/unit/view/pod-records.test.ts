/**
 * The pod index puts in only the records changed since the last view (view/pod-index.ts, from the
 * store's podChangesSince): the rows must be what a view built afresh shows, however many pods
 * changed, finished or came back, and however far the store's log reaches.
 */
import {describe, expect, it} from 'vitest';
import {Store} from '../../../source/store/store.js';
import {ViewModel, type PodQuery} from '../../../source/view/index.js';
import {pod} from '../store/records.js';

const q = (over: Partial<PodQuery> = {}): PodQuery => ({sort: {key: 'restarts', desc: true}, filter: '', namespace: null, ...over});

/** every row's key, restarts and liveness, in the query's order */
function shown(vm: ViewModel, query: PodQuery) {
	const rows = vm.podRows(query);
	return Array.from({length: rows.length}, (_, i) => {
		const r = rows.row(i);
		return `${r.key}:${r.restarts}:${r.live ? 'live' : 'done'}`;
	});
}

describe('pod records changed in place', () => {
	it('show as a fresh view shows them', () => {
		const store = new Store({notifyIntervalMs: 0});
		const names = Array.from({length: 500}, (_, i) => `p-${String(i).padStart(3, '0')}`);
		store.replacePods(names.map(n => pod('ns', n)));
		const vm = new ViewModel(store);
		expect(shown(vm, q())).toHaveLength(500);
		// a few changes (the log's path), then many (a lookup of every pod), then a pod changed twice
		for (const batch of [[3, 77, 140], Array.from({length: 200}, (_, i) => i * 2), [77, 77, 499]]) {
			for (const i of batch) {
				const prev = store.pods.get(`ns/${names[i]}`)!;
				store.upsertPod({...prev, restarts: prev.restarts + 1 + (i % 5), phase: i % 3 === 0 ? 'Succeeded' : 'Running', resourceVersion: `${Number(prev.resourceVersion) + 1}`});
			}

			vm.refresh();
			const fresh = new ViewModel(store);
			expect(shown(vm, q())).toEqual(shown(fresh, q()));
			expect(shown(vm, q({hideFinished: true}))).toEqual(shown(fresh, q({hideFinished: true})));
		}
	});

	it('the store says which pods changed since a version, and when that is too far back', () => {
		const store = new Store();
		store.replacePods([pod('a', 'x'), pod('a', 'y')]);
		const v = store.podsVersion;
		store.upsertPod({...store.pods.get('a/x')!, restarts: 3});
		store.deletePod('a/y');
		expect(store.podChangesSince(v)).toEqual(['a/x', 'a/y']);
		expect(store.podChangesSince(store.podsVersion)).toEqual([]);
		expect(store.podChangesSince(store.podsVersion + 1)).toBeNull();
		for (let i = 0; i < 70_000; i++) store.upsertPod({...store.pods.get('a/x')!, restarts: i});
		expect(store.podChangesSince(v)).toBeNull();
	});
});
