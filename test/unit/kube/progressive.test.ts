/**
 * The live view's session (progressive): the pod list goes into the store page by page with a
 * progress line, the first metrics poll runs beside it, and pods listed after the metrics arrived
 * still get their figures. Against the simulated cluster over real HTTP.
 */
import {describe, expect, it} from 'vitest';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {MemtopError} from '../../../source/kube/errors.js';
import {openSession} from '../../../source/kube/session.js';
import type {SimHandle} from '../../../source/sim/index.js';
import {Store} from '../../../source/store/store.js';
import {headerLine} from '../../../source/ui/screen/index.js';
import {initialState} from '../../../source/ui/state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {ViewModel} from '../../../source/view/index.js';
import {cleanups, sim} from './sim-harness.js';


function header(store: Store): string {
	const vm = new ViewModel(store);
	const ctx = {vm, status: vm.status(store.now()), state: initialState(), width: 200, now: store.now(), theme: makeTheme('none')};
	return headerLine(ctx).segs.map(seg => seg.text).join('');
}

async function open(s: SimHandle, progressive: boolean): Promise<{store: Store; seen: Array<{pods: number; header: string; figures: boolean}>; returnedWith: number; ready: Promise<void>}> {
	const store = new Store({notifyIntervalMs: 0});
	const seen: Array<{pods: number; header: string; figures: boolean}> = [];
	store.subscribe(() => seen.push({pods: store.pods.size, header: header(store), figures: [...store.pods.keys()].some(k => store.workingSet(k) !== null)}));
	const session = await openSession({target: kubeTargetForServer(s.url, 'test'), metricsIntervalMs: 3_600_000, summaryIntervalMs: 3_600_000, summary: false, progressive}, store);
	cleanups.push(() => session.stop());
	return {store, seen, returnedWith: store.pods.size, ready: session.ready};
}

describe('progressive session (the live view)', () => {
	it('shows pods page by page with a progress line, and ends with every pod and its working set', async () => {
		const s = await sim({scenario: 'scale', pods: 2345, nodes: 17});
		const {store, seen, returnedWith, ready} = await open(s, true);
		expect(returnedWith).toBeLessThan(2345);
		await ready;
		expect(store.pods.size).toBe(2345);
		const partial = seen.filter(x => x.pods > 0 && x.pods < 2345);
		expect(partial.length).toBeGreaterThanOrEqual(3);
		expect(partial.some(x => x.header.includes('listing pods 500 / ~2,345'))).toBe(true);
		// the first table with memory figures comes before the list is complete
		expect(partial.some(x => x.figures)).toBe(true);
		expect(header(store)).not.toContain('listing pods');
		expect(store.podsListing).toBeNull();

		// the same working sets as a session that waited for the whole list before polling metrics
		const whole = await open(s, false);
		await whole.ready;
		const keys = [...whole.store.pods.keys()];
		const withFigures = keys.filter(k => whole.store.workingSet(k) !== null);
		expect(withFigures.length).toBeGreaterThan(2000);
		const differ = keys.filter(k => store.workingSet(k) !== whole.store.workingSet(k));
		expect(differ.map(k => [k, store.workingSet(k), whole.store.workingSet(k)]).slice(0, 5)).toEqual([]);
	});

	it('a refused pod list rejects ready with the one line the user sees', async () => {
		const s = await sim({scenario: 'demo', forbid: ['pods'], user: 'alice'});
		// refused by the preflight or by the list: either way the one line, never a half-open view
		const error = await open(s, true).then(
			async o => o.ready.then(() => null),
			(e: unknown) => e,
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(MemtopError);
		expect((error as Error).message).toMatch(/^forbidden: user "demo" cannot list pods in namespace default/);
	});
});
