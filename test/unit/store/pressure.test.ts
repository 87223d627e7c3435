/** Summary API polls into the store: rates against the previous poll, PSI history, MemoryStall episodes, and the rows. */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {snapshotJson} from '../../../source/cli/output.js';
import {nodeSummary} from '../../../source/kube/convert.js';
import {Store} from '../../../source/store/store.js';
import {ViewModel} from '../../../source/view/index.js';
import {container, node, pod} from './records.js';

const capture = JSON.parse(readFileSync(new URL('../../../../shared/fixtures/real/kubelet-stats-summary.k8s-v1.35.0.nri-kubernetes.json', import.meta.url), 'utf8'));
const nodeName = capture.node.nodeName as string;
const first = capture.pods[0];
const firstKey = `${first.podRef.namespace}/${first.podRef.name}`;

/** the capture 30 s later: `grow(memory)` edits each memory block */
function later(grow: (m: any, path: string) => void): any {
	const next = structuredClone(capture);
	const shift = (m: any) => {
		m.time = new Date(Date.parse(m.time) + 30_000).toISOString().replace('.000', '');
	};
	shift(next.node.memory);
	grow(next.node.memory, 'node');
	for (const p of next.pods) {
		shift(p.memory);
		grow(p.memory, `${p.podRef.namespace}/${p.podRef.name}`);
		for (const c of p.containers ?? []) {
			shift(c.memory);
			grow(c.memory, `${p.podRef.namespace}/${p.podRef.name}/${c.name}`);
		}
	}

	return next;
}

function storeWithCapture(): Store {
	const t = Date.parse(capture.node.memory.time);
	const store = new Store({now: () => t});
	store.upsertNode(node(nodeName));
	store.replacePods(capture.pods.map((p: any) => pod(p.podRef.namespace, p.podRef.name, {nodeName, containers: (p.containers ?? []).map((c: any) => container(c.name))})));
	return store;
}

describe('the real 1.35 capture, served twice 30 s apart', () => {
	it('fault and stall rates are the counters\' differences over the 30 s, exactly; PSI as sent', () => {
		const store = storeWithCapture();
		store.applySummary(nodeName, {status: 'ok', summary: nodeSummary(capture, nodeName, 100 * 2 ** 20, 'default', 0)});
		// 30 s on: every cgroup took 3,000 more faults, 150 of them major, and stalled 0.6 s (some) / 0.15 s (full)
		const next = later(m => {
			m.pageFaults += 3000;
			m.majorPageFaults += 150;
			m.psi.some.total += 600_000;
			m.psi.full.total += 150_000;
			m.psi.some.avg10 = 2;
		});
		store.applySummary(nodeName, {status: 'ok', summary: nodeSummary(next, nodeName, 100 * 2 ** 20, 'default', 0)});
		const vm = new ViewModel(store);
		const r = vm.podRow(firstKey)!;
		expect(r.pressure).toEqual({faultsPerSec: 100, majorFaultsPerSec: 5, someStallPct: 2, fullStallPct: 0.5, overMs: 30_000});
		expect(r.psi).toEqual({some: {...first.memory.psi.some, total: first.memory.psi.some.total + 600_000, avg10: 2}, full: {...first.memory.psi.full, total: first.memory.psi.full.total + 150_000}});
		const n = vm.nodeRow(nodeName)!;
		expect(n.pressure).toEqual({faultsPerSec: 100, majorFaultsPerSec: 5, someStallPct: 2, fullStallPct: 0.5, overMs: 30_000});
		const c = vm.containerRows(firstKey).find(x => x.name === first.containers[0].name)!;
		expect(c.breakdown?.rates?.majorFaultsPerSec).toBe(5);
		// the JSON carries the same figures
		const j = (snapshotJson(vm, 'pods', Date.parse(capture.node.memory.time)) as any).items.find((p: any) => `${p.namespace}/${p.name}` === firstKey);
		expect(j.pressure).toEqual({faultsPerSecond: 100, majorFaultsPerSecond: 5, someStallPercent: 2, fullStallPercent: 0.5, overSeconds: 30});
		expect(j.psi.some.avg10).toBe(2);
		expect(j.containers[0].psi).toEqual(next.pods[0].containers[0].memory.psi);
		// and the PSI history has one column per Summary round
		expect(vm.series('podPsi', firstKey).values.length).toBe(2);
		expect(vm.series('nodePsi', nodeName).values[1]).toBeCloseTo(2, 2);
	});

	it('a container restart (counters back to 0) gives no rate rather than a negative one', () => {
		const store = storeWithCapture();
		store.applySummary(nodeName, {status: 'ok', summary: nodeSummary(capture, nodeName, 100 * 2 ** 20, 'default', 0)});
		store.applySummary(nodeName, {status: 'ok', summary: nodeSummary(later(m => ((m.pageFaults = 5), (m.majorPageFaults = 0))), nodeName, 100 * 2 ** 20, 'default', 0)});
		expect(new ViewModel(store).podRow(firstKey)!.pressure).toMatchObject({faultsPerSec: null});
	});
});

describe('MemoryStall in the feed', () => {
	it('once per episode of sustained full stall, again only after it ended', () => {
		const store = storeWithCapture();
		let round = 0;
		const serve = (full60: number) => {
			const s = later(() => {});
			s.pods[0].memory.psi.full.avg60 = full60;
			s.pods[0].memory.psi.some.avg10 = full60 * 3;
			for (const m of [s.node.memory, ...s.pods.map((p: any) => p.memory)]) m.time = new Date(Date.parse(capture.node.memory.time) + ++round * 30_000).toISOString();
			store.applySummary(nodeName, {status: 'ok', summary: nodeSummary(s, nodeName, 100 * 2 ** 20, 'default', 0)});
		};

		const stalls = () => store.feed.entries().filter(e => e.kind === 'MemoryStall');
		serve(1);
		serve(6);
		serve(7);
		serve(2); // still above the 1 % at which an episode ends
		expect(stalls()).toHaveLength(1);
		expect(stalls()[0]).toMatchObject({namespace: first.podRef.namespace, pod: first.podRef.name, node: nodeName, message: 'all tasks stalled on memory 6.0 % of the last 60 s (full), 18.0 % of the last 10 s (some)'});
		serve(0.5);
		serve(9);
		expect(stalls()).toHaveLength(2);
	});
});

describe('no PSI from the kubelet', () => {
	it('the PSI column says so once in its title, the cells stay empty, the JSON says null', () => {
		const store = storeWithCapture();
		const old = structuredClone(capture);
		delete old.node.memory.psi;
		for (const p of old.pods) {
			delete p.memory.psi;
			for (const c of p.containers ?? []) delete c.memory.psi;
		}

		store.applySummary(nodeName, {status: 'ok', summary: nodeSummary(old, nodeName, 100 * 2 ** 20, 'default', 0)});
		const vm = new ViewModel(store);
		expect(vm.status(0).psi).toBe(false);
		expect((snapshotJson(vm, 'pods', 0) as any).items[0].psi).toBeNull();
	});
});
