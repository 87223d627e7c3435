/**
 * One instant of the demo cluster, every pod: the pods table row, the pod drill-down (as the TUI
 * draws it), `--once -o json`, and its share of its workload's and its node's sums all agree.
 * The demo runs on a manual clock through the real kube layer (HTTP, list+watch, metrics and
 * Summary polls), so the figures are the ones a user sees.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {snapshotJson} from '../../../source/cli/output.js';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {openSession, type Session} from '../../../source/kube/session.js';
import {forecastText} from '../../../source/memory/forecast.js';
import {formatBytes} from '../../../source/memory/quantity.js';
import {startSim, type SimHandle} from '../../../source/sim/index.js';
import {Store} from '../../../source/store/store.js';
import {buildScreen} from '../../../source/ui/screen/index.js';
import {initialState} from '../../../source/ui/state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {ViewModel, type PodRow} from '../../../source/view/index.js';

let sim: SimHandle;
let session: Session;
let store: Store;

beforeAll(async () => {
	sim = await startSim({scenario: 'demo', clock: 'manual', seed: 1});
	store = new Store({now: () => sim.now(), historySamples: 240});
	session = await openSession({target: kubeTargetForServer(sim.url), metricsIntervalMs: 3_600_000, summaryIntervalMs: 3_600_000}, store);
	await session.ready;
	// eight simulated minutes, a metrics poll every 5 s and a Summary poll every 30 s: enough
	// history for forecasts, restarts and evictions to have happened
	for (let s = 0; s < 8 * 60; s += 5) {
		sim.advance(5000);
		await session.pollMetrics();
		if (s % 30 === 0) await session.pollSummaries();
	}

	await new Promise(resolve => setTimeout(resolve, 200)); // the watches deliver the last changes
	store.flush();
}, 60_000);

afterAll(async () => {
	await session?.stop();
	await sim?.close();
});

const sum = (xs: Array<number | null>) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);

describe('every pod of the demo at one instant', () => {
	it('pods row = drill-down = --once -o json = its share of the workload and node sums', () => {
		const now = sim.now();
		const vm = new ViewModel(store);
		vm.refresh();
		const pods = vm.allPods();
		expect(pods.length).toBeGreaterThan(20);
		const json = new Map<string, any>((snapshotJson(vm, 'pods', now) as any).items.map((p: any) => [`${p.namespace}/${p.name}`, p]));
		const theme = makeTheme('none');
		let forecasts = 0;
		for (const r of pods) {
			// --once -o json
			const j = json.get(r.key);
			expect(j, r.key).toBeDefined();
			expect(j.workingSetBytes, r.key).toBe(r.workingSet);
			expect(j.requestBytes, r.key).toBe(r.request);
			expect(j.status, r.key).toBe(r.status);
			expect(j.forecast?.text ?? null, r.key).toBe(r.forecast ? forecastText(r.forecast, now) : null);
			const containers = vm.containerRows(r.key);
			expect(j.containers.map((c: any) => [c.name, c.workingSetBytes]), r.key).toEqual(containers.map(c => [c.name, c.workingSet]));

			// the drill-down as the TUI draws it: its working set and its time to OOM
			const frame = buildScreen({vm, state: {...initialState(), stack: [{kind: 'pod', key: r.key, container: null}]}, width: 200, height: 60, now, theme})
				.lines.map(l => l.segs.map(s => s.text).join(''))
				.join('\n');
			const usage = frame.match(/^ Working set\s+(.*)$/m)?.[1] ?? '';
			if (r.workingSet !== null) expect(usage.startsWith(formatBytes(r.workingSet)), `${r.key}: ${usage}`).toBe(true);
			else expect(usage, r.key).toMatch(/^(no sample|none: )/);
			const oom = frame.match(/^ Time to OOM\s+(.*)$/m)?.[1] ?? '';
			expect(oom, r.key).toBe(drillDownForecast(vm, r, now));
			if (r.forecast?.kind === 'eta') forecasts++;
			// a pod that is its sole container: the container's figure is the pod's
			if (r.containerCount === 1) expect(containers.find(c => c.kind !== 'init')!.workingSet, r.key).toBe(r.workingSet);
		}

		expect(forecasts, 'the demo has a leak to forecast').toBeGreaterThan(0);

		// workload sums: the sum of their live members' rows
		const workloads = vm.workloadRows({sort: {key: 'namespace', desc: false}, filter: '', namespace: null, groupBy: 'workload'});
		let members = 0;
		for (let i = 0; i < workloads.length; i++) {
			const w = workloads.row(i);
			const rows = vm.podRows({sort: {key: 'name', desc: false}, filter: '', namespace: null, workload: w.key});
			const mine: PodRow[] = Array.from({length: rows.length}, (_, k) => rows.row(k));
			members += mine.length;
			const live = mine.filter(p => p.live);
			expect(w.pods, w.key).toBe(live.length);
			expect(w.finished, w.key).toBe(mine.length - live.length);
			expect(w.workingSetBytes ?? 0, w.key).toBe(sum(live.map(p => p.workingSet)));
			expect(w.requestBytes ?? 0, w.key).toBe(sum(live.map(p => p.request)));
		}

		expect(members).toBe(pods.length);

		// namespace sums: the same over namespaces
		const byNs = vm.workloadRows({sort: {key: 'namespace', desc: false}, filter: '', namespace: null, groupBy: 'namespace'});
		for (let i = 0; i < byNs.length; i++) {
			const n = byNs.row(i);
			const live = pods.filter(p => p.namespace === n.namespace && p.live);
			expect(n.workingSetBytes ?? 0, n.key).toBe(sum(live.map(p => p.workingSet)));
		}

		// node sums: requests committed and pod count are their live pods', in the table and the JSON
		const nodesJson = new Map<string, any>((snapshotJson(vm, 'nodes', now) as any).items.map((n: any) => [n.name, n]));
		for (const n of vm.allNodes()) {
			const live = pods.filter(p => p.node === n.name && p.live);
			expect(n.pods, n.name).toBe(live.length);
			expect(n.requests, n.name).toBe(sum(live.map(p => p.request)));
			expect(nodesJson.get(n.name)).toMatchObject({pods: n.pods, requestedBytes: n.requests, workingSetBytes: n.workingSet});
			expect(vm.nodeEviction(n.name, 1000).total, n.name).toBe(live.length);
		}
	});
});

/** what the drill-down's "Time to OOM" line must say for the pod with no container in focus */
function drillDownForecast(vm: ViewModel, r: PodRow, now: number): string {
	const d = vm.diagnosis(r.key, null, now).find(x => x.id === 'forecast')!.value;
	// the drill-down diagnoses the pod's sole container, whose forecast is the pod's
	if (r.forecast) expect(d).toBe(forecastText(r.forecast, now));
	return d;
}
