/**
 * The demo's story of pressure before death, through the real kube layer: shop/sessions leaks
 * toward its limit and is OOM-killed at about 1,310 s; before the kill memtop shows its memory
 * stall rising and a diagnosis that says an OOM kill is likely soon. data/postgres thrashes its
 * page cache without a leak; worker-4 stalls while it is under MemoryPressure.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {openSession, type Session} from '../../../source/kube/session.js';
import {startSim, type SimHandle} from '../../../source/sim/index.js';
import {Store} from '../../../source/store/store.js';
import {ViewModel, type PodRow} from '../../../source/view/index.js';

let sim: SimHandle;
let session: Session;
let store: Store;
/** what memtop showed of shop/sessions at each second, until it was first OOM-killed */
const seen: Array<{t: number; some10: number | null; full60: number | null; diagnosis: string; level: string; stalled: boolean}> = [];
let killedAt: number | null = null;
let postgres: PodRow | null = null;
let worker4Under: Array<number | null> = [];

beforeAll(async () => {
	sim = await startSim({scenario: 'demo', clock: 'manual', seed: 1});
	const start = sim.now();
	store = new Store({now: () => sim.now(), historySamples: 400});
	session = await openSession({target: kubeTargetForServer(sim.url), metricsIntervalMs: 3_600_000, summaryIntervalMs: 3_600_000}, store);
	await session.ready;
	const vm = new ViewModel(store);
	for (let t = 5; t <= 1400 && killedAt === null; t += 5) {
		sim.advance(start + t * 1000 - sim.now());
		await session.pollMetrics();
		if (t % 10 === 0) await session.pollSummaries();
		await new Promise(resolve => setTimeout(resolve, 5)); // the watches deliver the changes
		vm.refresh();
		const row = vm.allPods().find(p => p.key.startsWith('shop/sessions-'));
		if (!row) continue;
		if (row.restarts > 0) {
			killedAt = t;
			break;
		}

		const d = vm.diagnosis(row.key, null, sim.now()).find(r => r.id === 'pressure');
		seen.push({t, some10: row.psi?.some.avg10 ?? null, full60: row.psi?.full.avg60 ?? null, diagnosis: d?.value ?? '', level: d?.level ?? '', stalled: row.stalled});
		if (t === 600) postgres = vm.allPods().find(p => p.key === 'data/postgres-1') ?? null;
		const w4 = vm.nodeRow('worker-4');
		if (w4?.memoryPressure) worker4Under.push(w4.psi?.some.avg10 ?? null);
	}
}, 120_000);

afterAll(async () => {
	await session?.stop();
	await sim?.close();
});

describe('pressure before death, in the demo', () => {
	it('the leaking pod\'s stall rises before its OOM kill and the diagnosis says so', () => {
		expect(killedAt, 'sessions was OOM-killed').not.toBeNull();
		// far below its limit: no stall, and the diagnosis says the plain figures
		const early = seen.find(s => s.t === 300)!;
		expect(early.some10).toBeLessThan(1);
		expect(early.diagnosis).toMatch(/^stall \d/);
		// in the minute before the kill: stalled more than a tenth of the time, against its limit
		const lastMinute = seen.filter(s => s.t >= killedAt! - 60 && s.some10 !== null);
		expect(lastMinute.length).toBeGreaterThan(3);
		const warned = lastMinute.find(s => s.level === 'crit');
		expect(warned, JSON.stringify(lastMinute.slice(-3))).toBeDefined();
		expect(warned!.diagnosis).toMatch(/^stalled \d+(\.\d)? % of the last 10 s on memory \(some\), working set at \d+ % of its limit: reclaim is thrashing; an OOM kill is likely soon/);
		expect(Math.max(...lastMinute.map(s => s.full60 ?? 0))).toBeGreaterThan(5);
		// the pods table flags it while the episode lasts, and the feed said MemoryStall before the OOMKilled entry
		expect(lastMinute.some(s => s.stalled)).toBe(true);
		expect(early.stalled).toBe(false);
		const stall = store.feed.entries().find(e => e.kind === 'MemoryStall' && e.pod.startsWith('sessions-'));
		expect(stall).toBeDefined();
	});

	it('the page-cache pod faults hard with a low working set: not a leak', () => {
		expect(postgres).not.toBeNull();
		expect(postgres!.pressure?.majorFaultsPerSec).toBeGreaterThan(100);
		expect(postgres!.pctLimit).toBeLessThan(60);
		const d = new ViewModel(store).diagnosis('data/postgres-1', null, sim.now()).find(r => r.id === 'pressure')!;
		expect(d.value).toMatch(/^high major-fault rate \(\d+\/s\) with a low working set: page cache thrash, not a leak/);
	});

	it('a node under MemoryPressure shows node-level stall', () => {
		expect(worker4Under.length).toBeGreaterThan(0);
		expect(Math.max(...worker4Under.map(x => x ?? 0))).toBeGreaterThanOrEqual(10);
	});
});
