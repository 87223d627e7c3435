import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {SimHandle} from '../../../source/sim/index.js';
import {getJson, simulators} from './helpers.js';

const FIXTURES = new URL('../../../../shared/fixtures/real/', import.meta.url);
const NODES = ['cp-1', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5'];

const demo = simulators({scenario: 'demo'});
const scale = simulators({scenario: 'scale', pods: 600, nodes: 6});

function summary(s: SimHandle, node: string, query = ''): Promise<any> {
	return getJson(`${s.url}/api/v1/nodes/${node}/proxy/stats/summary${query}`);
}

/** seconds since sim start */
function advanceTo(s: SimHandle, start: number, second: number): void {
	s.advance(start + second * 1000 - s.now());
}

/** The keys of a value, all the way down (the values themselves left out). */
function shape(value: unknown): unknown {
	if (value === null || typeof value !== 'object') {
		return typeof value;
	}

	return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
}

/** Every memory block of a summary, named: the node's, its system containers' (the scale scenario has none), each pod's and container's. */
function memoryBlocks(body: any): Array<{name: string; memory: any}> {
	const blocks = [{name: `node ${body.node.nodeName}`, memory: body.node.memory}];
	for (const system of body.node.systemContainers ?? []) {
		blocks.push({name: `system ${body.node.nodeName}/${system.name}`, memory: system.memory});
	}

	for (const pod of body.pods) {
		blocks.push({name: `pod ${pod.podRef.uid}`, memory: pod.memory});
		for (const c of pod.containers) {
			blocks.push({name: `container ${pod.podRef.uid}/${c.name}@${c.startTime}`, memory: c.memory});
		}
	}

	return blocks;
}

const limitOf = (memory: any): number => memory.availableBytes + memory.workingSetBytes;

describe('sim Summary API: memory pressure (PSI), page faults, swap', () => {
	it('every memory block has the real kubelet\'s keys and PSI shape, with only_cpu_and_memory too', async () => {
		const s = await demo();
		s.advance(30_000);
		const real = JSON.parse(readFileSync(new URL('kubelet-stats-summary.k8s-v1.35.0.nri-kubernetes.json', FIXTURES), 'utf8'));
		const keys = (memory: any): string[] => Object.keys(memory).filter((k) => k !== 'availableBytes');
		const realPod = real.pods[0];
		for (const node of NODES) {
			for (const query of ['', '?only_cpu_and_memory=true']) {
				const body = await summary(s, node, query);
				expect(keys(body.node.memory)).toEqual(keys(real.node.memory));
				for (const {name, memory} of memoryBlocks(body)) {
					expect(keys(memory), name).toEqual(keys(real.node.memory));
					expect(shape(memory.psi), name).toEqual(shape(real.node.memory.psi));
					for (const line of [memory.psi.some, memory.psi.full]) {
						expect(Number.isInteger(line.total), name).toBe(true);
						for (const avg of [line.avg10, line.avg60, line.avg300]) {
							expect(avg, name).toBeGreaterThanOrEqual(0);
							expect(avg, name).toBeLessThanOrEqual(100);
							expect(Math.round(avg * 100) / 100, name).toBe(avg);
						}
					}
				}
			}

			const body = await summary(s, node);
			expect(shape(body.node.swap)).toEqual(shape(real.node.swap));
			for (const pod of body.pods) {
				expect(shape(pod.swap)).toEqual(shape(realPod.swap));
				for (const c of pod.containers) {
					expect(shape(c.swap)).toEqual(shape(realPod.containers[0].swap));
				}
			}
		}
	});

	it('between polls totals and fault counters only grow, full <= some; a restarted container starts again from zero', async () => {
		const s = await demo();
		const start = s.now();
		const last = new Map<string, any>();
		/** each container's current instance: its start time and its last memory block */
		const instances = new Map<string, {startTime: string; memory: any}>();
		const restarted: string[] = [];
		for (let t = 0; t <= 300; t += 5) {
			advanceTo(s, start, t);
			for (const node of NODES) {
				const body = await summary(s, node);
				for (const {name, memory} of memoryBlocks(body)) {
					for (const k of ['total', 'avg10', 'avg60', 'avg300']) {
						expect(memory.psi.full[k], `${name} ${k} at ${t}s`).toBeLessThanOrEqual(memory.psi.some[k]);
					}

					expect(memory.majorPageFaults, name).toBeLessThanOrEqual(memory.pageFaults);
					const before = last.get(name);
					if (before) {
						expect(memory.psi.some.total, `${name} at ${t}s`).toBeGreaterThanOrEqual(before.psi.some.total);
						expect(memory.psi.full.total, `${name} at ${t}s`).toBeGreaterThanOrEqual(before.psi.full.total);
						expect(memory.pageFaults, `${name} at ${t}s`).toBeGreaterThanOrEqual(before.pageFaults);
						expect(memory.majorPageFaults, `${name} at ${t}s`).toBeGreaterThanOrEqual(before.majorPageFaults);
					}

					last.set(name, memory);
				}

				for (const pod of body.pods) {
					for (const c of pod.containers) {
						const key = `${pod.podRef.name}/${c.name}`;
						const previous = instances.get(key);
						if (previous && previous.startTime !== c.startTime) {
							restarted.push(key);
							expect(c.memory.pageFaults, key).toBeLessThan(previous.memory.pageFaults);
							// no more stall than the new instance has been alive (µs)
							expect(c.memory.psi.some.total, key).toBeLessThanOrEqual((s.now() - Date.parse(c.startTime)) * 1000);
						}

						instances.set(key, {startTime: c.startTime, memory: c.memory});
					}
				}
			}
		}

		// shop/cart was OOM-killed at t≈76 s and 247 s: new instances, new counters.
		expect(restarted.filter((k) => k.startsWith('cart-')).length).toBe(2);
	});

	it('the leaking shop/sessions stalls and refaults in the minute before its OOM kill, not while far below its limit', async () => {
		const s = await demo();
		const start = s.now();
		const pod = (await getJson(`${s.url}/api/v1/namespaces/shop/pods?labelSelector=app%3Dsessions`)).items[0];
		const container = async (): Promise<any> => (await summary(s, pod.spec.nodeName)).pods.find((p: any) => p.podRef.name === pod.metadata.name).containers[0];
		const early = await container();
		expect(early.memory.workingSetBytes / limitOf(early.memory)).toBeLessThan(0.6);
		expect(early.memory.psi.some.avg10).toBeLessThan(1);
		expect(early.memory.psi.full.avg60).toBeLessThan(1);
		advanceTo(s, start, 600);
		const calm = await container();
		advanceTo(s, start, 660);
		const calmLater = await container();
		expect(calmLater.memory.workingSetBytes / limitOf(calmLater.memory)).toBeLessThan(0.8);
		expect(calmLater.memory.psi.some.avg10).toBeLessThan(1);
		expect(calmLater.memory.psi.full.avg60).toBeLessThan(1);
		expect((calmLater.memory.majorPageFaults - calm.memory.majorPageFaults) / 60).toBeLessThan(1);

		const polls: Array<{t: number; c: any}> = [];
		const killed = (): number | undefined => s.incidents.find((i) => i.kind === 'OOMKilled' && i.pod === pod.metadata.name)?.time;
		for (let t = 1000; killed() === undefined && t < 1600; t += 5) {
			advanceTo(s, start, t);
			polls.push({t: s.now(), c: await container()});
		}

		const kill = killed() ?? Number.NaN;
		const lastMinute = polls.filter((p) => p.t >= kill - 60_000 && p.t < kill);
		expect(lastMinute.length).toBeGreaterThanOrEqual(11);
		for (const {c} of lastMinute) {
			expect(c.startTime).toBe(early.startTime);
			expect(c.memory.psi.some.avg10).toBeGreaterThan(10);
			expect(c.memory.psi.full.avg60).toBeGreaterThan(5);
		}

		const first = lastMinute[0];
		const final = lastMinute.at(-1);
		expect((final?.c.memory.majorPageFaults - first?.c.memory.majorPageFaults) / ((final?.t ?? 0) - (first?.t ?? 0)) * 1000).toBeGreaterThan(100);
	});

	it('data/postgres thrashes its page cache: hundreds of major faults a second at a low, flat working set, little stall', async () => {
		const s = await demo();
		const pods = (await getJson(`${s.url}/api/v1/namespaces/data/pods?labelSelector=app%3Dpostgres`)).items;
		expect(pods).toHaveLength(2);
		s.advance(60_000);
		const poll = async (): Promise<any[]> => Promise.all(pods.map(async (p: any) => (await summary(s, p.spec.nodeName)).pods.find((x: any) => x.podRef.name === p.metadata.name).containers.find((c: any) => c.name === 'postgres')));
		const before = await poll();
		s.advance(10_000);
		const after = await poll();
		for (const [i, c] of after.entries()) {
			const limit = limitOf(c.memory);
			expect(limit).toBe(2 * 2 ** 30);
			expect(c.memory.workingSetBytes / limit).toBeLessThan(0.6);
			expect(Math.abs(c.memory.workingSetBytes - before[i].memory.workingSetBytes) / limit).toBeLessThan(0.05);
			// the file cache fills the cgroup to near its limit
			expect(c.memory.usageBytes / limit).toBeGreaterThan(0.8);
			expect((c.memory.majorPageFaults - before[i].memory.majorPageFaults) / 10).toBeGreaterThan(100);
			expect(c.memory.psi.some.avg10).toBeLessThan(10);
			expect(c.memory.psi.full.avg60).toBeLessThan(2);
		}
	});

	it('worker-4 stalls while it is under MemoryPressure and hardly otherwise', async () => {
		const s = await demo();
		const start = s.now();
		const seen: Array<{t: number; pressure: boolean; some10: number}> = [];
		for (let t = 0; t <= 400; t += 5) {
			advanceTo(s, start, t);
			const node = await getJson(`${s.url}/api/v1/nodes/worker-4`);
			const pressure = node.status.conditions.find((c: any) => c.type === 'MemoryPressure').status === 'True';
			seen.push({t, pressure, some10: (await summary(s, 'worker-4')).node.memory.psi.some.avg10});
		}

		const under = seen.filter((x) => x.pressure);
		// two pressure spells: t=60..90 s and t≈330 s
		expect(under.length).toBeGreaterThanOrEqual(10);
		for (const x of under) {
			expect(x.some10, `at ${x.t}s`).toBeGreaterThanOrEqual(10);
		}

		const calm = seen.filter((x) => x.t <= 30 || (x.t >= 150 && x.t <= 280));
		for (const x of calm) {
			expect(x.some10, `at ${x.t}s`).toBeLessThan(1);
		}
	});

	it('quiet containers hardly stall; minor faults in the thousands a minute, major faults rare', async () => {
		const s = await demo();
		const pick = (body: any, app: string): any => body.pods.find((p: any) => p.podRef.name.startsWith(app)).containers[0].memory;
		s.advance(60_000);
		const before = await summary(s, 'worker-2');
		s.advance(60_000);
		const after = await summary(s, 'worker-2');
		for (const app of ['grafana-', 'gateway-']) {
			const [a, b] = [pick(before, app), pick(after, app)];
			expect(b.pageFaults - a.pageFaults, app).toBeGreaterThan(1000);
			expect(b.pageFaults - a.pageFaults, app).toBeLessThan(10_000);
			expect(b.majorPageFaults - a.majorPageFaults, app).toBeLessThanOrEqual(2);
			expect(b.psi.some.avg10, app).toBeLessThan(1);
			expect(b.psi.some.avg300, app).toBeLessThan(1);
		}
	});

	it('the scale scenario serves the same memory blocks: quiet PSI, counters that grow', async () => {
		const s = await scale();
		const nodes = (await getJson(`${s.url}/api/v1/nodes?limit=1`)).items;
		const name = nodes[0].metadata.name;
		const real = JSON.parse(readFileSync(new URL('kubelet-stats-summary.k8s-v1.35.0.nri-kubernetes.json', FIXTURES), 'utf8'));
		const first = await summary(s, name);
		s.advance(60_000);
		const second = await summary(s, name);
		const earlier = new Map(memoryBlocks(first).map((b) => [b.name, b.memory]));
		let compared = 0;
		for (const {name: block, memory} of memoryBlocks(second)) {
			expect(shape(memory.psi), block).toEqual(shape(real.node.memory.psi));
			expect(memory.psi.full.total, block).toBeLessThanOrEqual(memory.psi.some.total);
			const before = earlier.get(block);
			if (before) {
				compared++;
				expect(memory.pageFaults, block).toBeGreaterThanOrEqual(before.pageFaults);
				expect(memory.majorPageFaults, block).toBeGreaterThanOrEqual(before.majorPageFaults);
				expect(memory.psi.some.total, block).toBeGreaterThanOrEqual(before.psi.some.total);
			}
		}

		expect(compared).toBeGreaterThan(10);
	});
});
