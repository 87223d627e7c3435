/**
 * The pods filter goes on from the previous key press (view/pod-filter.ts): typed a character at a
 * time, erased, typed again, with pods coming and going in between, its rows are always those of a
 * filter computed afresh (rows.ts fuzzyMatch over every key).
 */
import {describe, expect, it} from 'vitest';
import {Store} from '../../../source/store/store.js';
import {ViewModel, type PodQuery} from '../../../source/view/index.js';
import {fuzzyMatch} from '../../../source/view/rows.js';
import {pod} from '../store/records.js';

const q = (filter: string): PodQuery => ({sort: {key: 'name', desc: false}, filter, namespace: null});
const keys = (vm: ViewModel, filter: string) => {
	const rows = vm.podRows(q(filter));
	return Array.from({length: rows.length}, (_, i) => rows.key(i));
};

describe('the pods filter, typed on', () => {
	it('matches what a fresh match of every key gives, at every key press', () => {
		const store = new Store({notifyIntervalMs: 0});
		const names = ['aab-1', 'abab-2', 'ba-3', 'pod-10', 'pod-1', 'p-o-d-1', 'dop-1', 'aaa', 'b', 'podpod-11'];
		store.replacePods(names.flatMap((n, i) => [pod(i % 2 === 0 ? 'ns-a' : 'ns-b', n), pod('other', `${n}-x`)]));
		const vm = new ViewModel(store);
		const want = (filter: string) =>
			[...store.pods.keys()]
				.filter(k => fuzzyMatch(filter, k))
				.sort((x, y) => {
					const [a, b] = [x.slice(x.indexOf('/') + 1), y.slice(y.indexOf('/') + 1)];
					return a < b ? -1 : a > b ? 1 : x < y ? -1 : 1;
				});
		const typed = ['a', 'aa', 'aab', 'aa', 'a', '', 'p', 'po', 'pod', 'pod-', 'pod-1', 'pod-11', 'pod-1', 'b', 'ba', 'bab', 'n', 'ns', 'ns-a/', 'ns-a/p'];
		for (const [i, filter] of typed.entries()) {
			if (i === 10) {
				// pods come and go under the same filter
				store.upsertPod(pod('ns-a', 'pod-12'));
				store.deletePod('ns-a/p-o-d-1');
				vm.refresh();
				expect(keys(vm, 'pod-')).toEqual(want('pod-'));
			}

			expect(keys(vm, filter), `after typing "${filter}"`).toEqual(filter === '' ? want('') : want(filter));
		}
	});
});
