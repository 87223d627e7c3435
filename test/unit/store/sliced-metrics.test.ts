import {describe, expect, it} from 'vitest';
import {Rng} from '../../../source/sim/prng.js';
import {Store} from '../../../source/store/store.js';
import {container, metrics, Mi, node, pod} from './records.js';

const t0 = 1_700_000_000_000;

/** a store of `n` pods p0…p(n-1) in namespace ns, one metrics sample at t0 (each pod i MiB) */
function filled(n: number): Store {
	const store = new Store({historySamples: 8, now: () => t0, notifyIntervalMs: 0});
	store.replacePods(Array.from({length: n}, (_, i) => pod('ns', `p${i}`)));
	store.replaceNodes([node('n1')]);
	store.applyMetrics(metrics(t0, Array.from({length: n}, (_, i) => [`ns/p${i}`, (i + 1) * Mi] as [string, number]), [['n1', 100 * Mi]]));
	return store;
}

describe('Store.beginMetrics (a sample in steps)', () => {
	it('changes nothing a reader sees until the last step, then the whole sample at once', () => {
		const n = 2000;
		const store = filled(n);
		const version = store.version;
		const metricsVersion = store.metricsVersion;
		let told = 0;
		store.subscribe(() => told++);
		const next = metrics(t0 + 15_000, Array.from({length: n}, (_, i) => [`ns/p${i}`, (i + 1) * 2 * Mi] as [string, number]), [['n1', 200 * Mi]]);
		const apply = store.beginMetrics(next);
		let steps = 0;
		while (!apply.step(() => true)) {
			steps++;
			// mid-way: every figure is still the previous sample's, no version moved, nobody told
			expect(store.workingSet('ns/p0')).toBe(1 * Mi);
			expect(store.workingSet(`ns/p${n - 1}`)).toBe(n * Mi);
			expect(store.nodeWorkingSet('n1')).toBe(100 * Mi);
			expect(store.history('pod', 'ns/p0').values.length).toBe(1);
			expect([store.version, store.metricsVersion, told]).toEqual([version, metricsVersion, 0]);
		}

		expect(steps).toBeGreaterThan(3);
		expect(store.workingSet('ns/p0')).toBe(2 * Mi);
		expect(store.workingSet(`ns/p${n - 1}`)).toBe(2 * n * Mi);
		expect(store.nodeWorkingSet('n1')).toBe(200 * Mi);
		expect(store.history('pod', 'ns/p7').values.length).toBe(2);
		expect(store.metricsVersion).toBe(metricsVersion + 1);
		expect(told).toBe(1);
		expect(apply.step(() => true)).toBe(true);
		expect(store.metricsVersion).toBe(metricsVersion + 1);
	});

	it('drops the staged value of a pod removed meanwhile, even when a new pod took its slot', () => {
		const store = filled(600);
		const apply = store.beginMetrics(metrics(t0 + 15_000, [['ns/p0', 7 * Mi], ['ns/p599', 9 * Mi], ...Array.from({length: 598}, (_, i) => [`ns/p${i + 1}`, 3 * Mi] as [string, number])]));
		expect(apply.step(() => true)).toBe(false);
		const slot = store.podSlot('ns/p0');
		store.deletePod('ns/p0');
		store.upsertPod(pod('ns', 'newcomer'));
		expect(store.podSlot('ns/newcomer')).toBe(slot);
		while (!apply.step(() => true));
		expect(store.workingSet('ns/newcomer')).toBeNull();
		expect(store.workingSet('ns/p599')).toBe(9 * Mi);
	});

	it('ends as the sample applied at once at the last step: a pod listed meanwhile, after its turn, gets its figure', () => {
		const store = filled(600);
		const sample = metrics(t0 + 15_000, [...Array.from({length: 599}, (_, i) => [`ns/p${i}`, 3 * Mi] as [string, number]), ['ns/late', 5 * Mi]]);
		const apply = store.beginMetrics(sample);
		expect(apply.step(() => true)).toBe(false);
		store.upsertPod(pod('ns', 'late'));
		store.deletePod('ns/p1');
		while (!apply.step(() => true));
		expect(store.workingSet('ns/late')).toBe(5 * Mi);
		expect(store.workingSet('ns/p1')).toBeNull();
		expect(store.workingSet('ns/p598')).toBe(3 * Mi);
	});

	it('gives containers their own series at the last step (a pod of two containers)', () => {
		const store = new Store({historySamples: 8, now: () => t0, notifyIntervalMs: 0});
		store.replacePods([pod('ns', 'duo', {containers: [container('app'), container('proxy')]})]);
		const apply = store.beginMetrics(metrics(t0, [['ns/duo', 90 * Mi, {app: 60 * Mi, proxy: 30 * Mi}]]));
		expect(store.containerSeriesNames('ns/duo')).toEqual([]);
		while (!apply.step(() => false));
		expect(store.containerSeriesNames('ns/duo').sort()).toEqual(['app', 'proxy']);
		expect(store.containerWorkingSet('ns/duo', 'proxy')).toBe(30 * Mi);
	});
});

describe('Store.addPodsListed (the first pod list, page by page)', () => {
	it('gives pods listed after the metrics arrived their figures, and the whole list ends the listing', () => {
		const store = new Store({historySamples: 8, now: () => t0, notifyIntervalMs: 0});
		const page1 = [pod('ns', 'a'), pod('ns', 'b')];
		const page2 = [pod('ns', 'c'), pod('ns', 'duo', {containers: [container('app'), container('proxy')]})];
		store.addPodsListed(page1, 2, 2);
		expect(store.podsListing).toEqual({seen: 2, remaining: 2});
		store.applyMetrics(metrics(t0, [['ns/a', 1 * Mi], ['ns/b', 2 * Mi], ['ns/c', 3 * Mi], ['ns/duo', 9 * Mi, {app: 6 * Mi, proxy: 3 * Mi}], ['ns/later', 4 * Mi]]));
		expect(store.workingSet('ns/b')).toBe(2 * Mi);
		store.addPodsListed(page2, 4, 0);
		expect(store.workingSet('ns/c')).toBe(3 * Mi);
		expect(store.workingSet('ns/duo')).toBe(9 * Mi);
		expect(store.containerWorkingSet('ns/duo', 'proxy')).toBe(3 * Mi);
		const version = store.podsVersion;
		store.replacePods([...page1, ...page2]);
		// the same records are not put again; the listing is over and later pods get no stale figures
		expect(store.podsVersion).toBe(version);
		expect(store.podsListing).toBeNull();
		store.upsertPod(pod('ns', 'later'));
		expect(store.workingSet('ns/later')).toBeNull();
	});

	it('a sample that comes before the first page (marked with an empty page) still reaches the pods listed after it', () => {
		const store = new Store({historySamples: 8, now: () => t0, notifyIntervalMs: 0});
		store.addPodsListed([], 0, null);
		store.applyMetrics(metrics(t0, [['ns/a', 1 * Mi], ['ns/b', 2 * Mi]]));
		store.addPodsListed([pod('ns', 'a'), pod('ns', 'b')], 2, 0);
		expect(store.workingSet('ns/a')).toBe(1 * Mi);
		expect(store.workingSet('ns/b')).toBe(2 * Mi);
	});
});

describe('Store.beginMetrics against the sample applied at once', () => {
	/** a seeded generator (the simulator's), so a failure can be replayed */
	const random = (seed: number) => {
		const rng = new Rng(seed);
		return () => rng.next();
	};

	const shape = (n: number) => (n % 3 === 0 ? [container('app'), container('proxy')] : [container('app')]);
	const everything = (store: Store, keys: string[]) =>
		keys.map(key => [key, store.workingSet(key), store.history('pod', key).values.length, store.containerSeriesNames(key).sort(), store.containerSeriesNames(key).map(c => store.containerWorkingSet(key, c))]);

	for (const seed of [1, 2, 3, 4, 5, 6]) {
		it(`ends where the at-once sample does with pods added, removed, re-added and changing shape between the steps (seed ${seed})`, () => {
			const next = random(seed);
			const n = 3000;
			const stores = [0, 1].map(() => new Store({historySamples: 8, now: () => t0, notifyIntervalMs: 0}));
			const first = Array.from({length: n}, (_, i) => pod('ns', `p${i}`, {containers: shape(i)}));
			// the second sample reports a second container for every fourth pod: series to make at the last step
			const sample = (t: number, second: boolean) =>
				metrics(
					t,
					Array.from({length: n + 50}, (_, i) => {
						const cs = second && i % 4 === 0 ? {app: (i + 1) * Mi, proxy: 2 * Mi} : {app: (i + 1) * Mi};
						return [`ns/p${i}`, Object.values(cs).reduce((a, b) => a + b, 0), cs] as [string, number, Record<string, number>];
					}),
				);
			for (const store of stores) {
				store.replacePods(first);
				store.applyMetrics(sample(t0, false));
			}

			// the changes made meanwhile: the same on both stores
			const changes: Array<(s: Store) => void> = [];
			const s2 = sample(t0 + 15_000, true);
			const apply = stores[0]!.beginMetrics(s2);
			let steps = 0;
			while (!apply.step(() => true)) {
				steps++;
				for (let k = 1 + Math.floor(next() * 4); k > 0; k--) {
					const i = Math.floor(next() * (n + 50));
					const r = next();
					const change = r < 0.35 ? (s: Store) => s.deletePod(`ns/p${i}`) : r < 0.7 ? (s: Store) => s.upsertPod(pod('ns', `p${i}`, {containers: shape(i + 1)})) : (s: Store) => s.upsertPod(pod('ns', `p${i}`, {containers: shape(i)}));
					change(stores[0]!);
					changes.push(change);
				}
			}

			for (const change of changes) change(stores[1]!);
			stores[1]!.applyMetrics(s2);
			expect(steps).toBeGreaterThan(3);
			expect(changes.length).toBeGreaterThan(10);
			const keys = Array.from({length: n + 50}, (_, i) => `ns/p${i}`);
			expect(everything(stores[0]!, keys)).toEqual(everything(stores[1]!, keys));
		});
	}
});
