import fs from 'node:fs';
import path from 'node:path';
import {load} from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {eventFromObject, MetricsBuilder, nodeFromObject, nodeSummary, podFromObject} from '../../../source/kube/convert.js';

const real = path.resolve(import.meta.dirname, '../../../../shared/fixtures/real');
const json = (f: string) => JSON.parse(fs.readFileSync(path.join(real, f), 'utf8'));

describe('pods from a real kubelet pod list (k8s 1.35)', () => {
	const list = json('kubelet-podlist.k8s-v1.35.0.nri-kubernetes.json');
	const records = list.items.map((o: any) => podFromObject(o));

	it('converts every pod and keeps the API server QoS class', () => {
		expect(records).toHaveLength(list.items.length);
		for (let i = 0; i < records.length; i++) {
			expect(records[i].qos).toBe(list.items[i].status.qosClass);
			expect(records[i].key).toBe(`${list.items[i].metadata.namespace}/${list.items[i].metadata.name}`);
		}
	});

	it('reads the last termination and restart count of the crash-looping container', () => {
		const raw = list.items.find((o: any) => o.metadata.name.startsWith('e2e-container-creating') || (o.status.containerStatuses ?? []).some((c: any) => c.lastState?.terminated));
		const rec = podFromObject(raw)!;
		const rawStatus = raw.status.containerStatuses.find((c: any) => c.lastState?.terminated);
		const c = rec.containers.find(x => x.name === rawStatus.name)!;
		expect(c.restarts).toBe(rawStatus.restartCount);
		expect(c.lastTermination?.reason).toBe(rawStatus.lastState.terminated.reason);
		expect(c.lastTermination?.exitCode).toBe(rawStatus.lastState.terminated.exitCode);
		expect(c.lastTermination?.finishedAt).toBe(Date.parse(rawStatus.lastState.terminated.finishedAt));
		expect(rec.restarts).toBe(raw.status.containerStatuses.reduce((s: number, x: any) => s + x.restartCount, 0));
	});

	it('sums memory requests of app containers by the scheduler rule', () => {
		for (let i = 0; i < records.length; i++) {
			const spec = list.items[i].spec;
			const hasInit = (spec.initContainers ?? []).length > 0;
			if (hasInit || spec.overhead) continue;
			const reqs = spec.containers.map((c: any) => c.resources?.requests?.memory ?? c.resources?.limits?.memory);
			if (reqs.every((r: unknown) => r === undefined)) {
				expect(records[i].requestBytes).toBeNull();
			} else {
				expect(records[i].requestBytes).toBeGreaterThan(0);
			}
		}
	});

	it('records the controller owner', () => {
		const withOwner = list.items.findIndex((o: any) => o.metadata.ownerReferences?.length);
		expect(withOwner).toBeGreaterThanOrEqual(0);
		const ref = list.items[withOwner].metadata.ownerReferences[0];
		expect(records[withOwner].owner).toEqual({kind: ref.kind, name: ref.name});
	});
});

describe('nodes from a real NodeList', () => {
	const list = load(fs.readFileSync(path.join(real, 'node-list-with-memorypressure-condition.k8s-v1.35.0.nri-kubernetes.yaml'), 'utf8')) as any;
	const items = list.items ?? [list];
	it('reads capacity, allocatable, MemoryPressure and the kubelet port', () => {
		const n = nodeFromObject(items[0])!;
		expect(n.name).toBe(items[0].metadata.name);
		// minikube serves both as "8024304Ki"
		expect(n.capacityBytes).toBe(Number(/^(\d+)Ki$/.exec(items[0].status.capacity.memory)![1]) * 1024);
		expect(n.allocatableBytes).toBe(Number(/^(\d+)Ki$/.exec(items[0].status.allocatable.memory)![1]) * 1024);
		expect(n.memoryPressure).toBe(false);
		expect(n.kubeletPort).toBe(items[0].status.daemonEndpoints.kubeletEndpoint.Port);
		expect(n.ready).toBe(true);
	});

	it('sees MemoryPressure=True when the condition flips', () => {
		const raw = structuredClone(items[0]);
		const cond = raw.status.conditions.find((c: any) => c.type === 'MemoryPressure');
		cond.status = 'True';
		cond.lastTransitionTime = '2026-11-23T03:00:00Z';
		const n = nodeFromObject(raw)!;
		expect(n.memoryPressure).toBe(true);
		expect(n.memoryPressureSince).toBe(Date.parse('2026-11-23T03:00:00Z'));
	});
});

describe('metrics.k8s.io lists captured from GKE', () => {
	const pods = json('metrics-k8s-io-v1beta1-podmetricslist.gke.libcloud.json');
	const nodes = json('metrics-k8s-io-v1beta1-nodemetricslist.gke.libcloud.json');
	const sample = (() => {
		const b = new MetricsBuilder(0);
		for (const item of pods.items) b.pod(item);
		for (const item of nodes.items) b.node(item);
		return b.done();
	})();

	it('sums container working sets per pod, exactly', () => {
		for (const item of pods.items) {
			const key = `${item.metadata.namespace}/${item.metadata.name}`;
			const entry = sample.pods.get(key)!;
			let sum = 0;
			for (const c of item.containers) {
				const m = /^(\d+)Ki$/.exec(c.usage.memory);
				const bytes = m ? Number(m[1]) * 1024 : Number.NaN;
				expect(entry.containers.get(c.name)).toBe(bytes);
				sum += bytes;
			}

			expect(entry.workingSetBytes).toBe(sum);
		}
	});

	it('reads node usage, the newest timestamp and the window', () => {
		const n = nodes.items[0];
		expect(sample.nodes.get(n.metadata.name)).toBe(Number(/^(\d+)Ki$/.exec(n.usage.memory)![1]) * 1024);
		expect(sample.windowMs).toBe(30_000);
		const newest = Math.max(...[...pods.items, ...nodes.items].map((i: any) => Date.parse(i.timestamp)));
		expect(sample.time).toBe(newest);
	});
});

describe('kubelet Summary API capture', () => {
	const raw = json('kubelet-stats-summary.k8s-v1.35.0.nri-kubernetes.json');
	const s = nodeSummary(raw, raw.node.nodeName, 100 * 1024 * 1024, 'default', 0);

	it('reads node available bytes and the breakdown of every pod', () => {
		expect(s.availableBytes).toBe(raw.node.memory.availableBytes);
		expect(s.memory.workingSetBytes).toBe(raw.node.memory.workingSetBytes);
		expect(s.pods.size).toBe(raw.pods.length);
	});

	it('reads memory PSI of the node, every pod and every container exactly as the 1.35 kubelet sent it', () => {
		const line = (l: any) => ({avg10: l.avg10, avg60: l.avg60, avg300: l.avg300, total: l.total});
		const psiOf = (m: any) => ({some: line(m.psi.some), full: line(m.psi.full)});
		expect(s.memory.psi).toEqual(psiOf(raw.node.memory));
		expect(s.memory.psi).toEqual({some: {avg10: 0, avg60: 0, avg300: 0, total: 15}, full: {avg10: 0, avg60: 0, avg300: 0, total: 2}});
		expect(s.memory).toMatchObject({pageFaults: 871_539, majorPageFaults: 6});
		let containers = 0;
		for (const p of raw.pods) {
			const rec = s.pods.get(`${p.podRef.namespace}/${p.podRef.name}`)!;
			expect(rec.total.psi).toEqual(psiOf(p.memory));
			expect(rec.total.swapBytes).toBe(p.swap?.swapUsageBytes ?? null);
			for (const c of p.containers ?? []) {
				expect(rec.containers.get(c.name)!.psi).toEqual(psiOf(c.memory));
				containers++;
			}
		}

		expect(containers).toBeGreaterThan(15);
	});

	it('a memory block without PSI (before 1.34) or with a malformed one has none, not zeros', () => {
		const old = structuredClone(raw);
		delete old.node.memory.psi;
		old.pods[0].memory.psi = {some: {avg10: 'x'}};
		const t = nodeSummary(old, 'n', 100 * 1024 * 1024, 'default', 0);
		expect(t.memory.psi).toBeNull();
		expect(t.pods.get(`${old.pods[0].podRef.namespace}/${old.pods[0].podRef.name}`)!.total.psi).toBeNull();
	});

	it('keeps usage ≥ working set ≥ RSS and derives cache = usage − RSS', () => {
		let checked = 0;
		for (const p of raw.pods) {
			const rec = s.pods.get(`${p.podRef.namespace}/${p.podRef.name}`)!;
			for (const c of p.containers ?? []) {
				const b = rec.containers.get(c.name)!;
				expect(b.rssBytes).toBe(c.memory.rssBytes ?? null);
				expect(b.usageBytes).toBe(c.memory.usageBytes ?? null);
				if (b.usageBytes !== null && b.rssBytes !== null) {
					expect(b.cacheBytes).toBe(b.usageBytes - b.rssBytes);
					expect(b.usageBytes).toBeGreaterThanOrEqual(b.workingSetBytes!);
					expect(b.workingSetBytes!).toBeGreaterThanOrEqual(b.rssBytes);
					checked++;
				}

				expect(b.majorPageFaults).toBe(c.memory.majorPageFaults ?? null);
			}
		}

		expect(checked).toBeGreaterThan(10);
	});
});

describe('events and control characters', () => {
	it('keeps memory events and escapes terminal escapes in every string', () => {
		const e = eventFromObject({
			metadata: {uid: 'u1', namespace: 'shop', name: 'x.1', resourceVersion: '7'},
			involvedObject: {kind: 'Pod', namespace: 'shop', name: 'api\u001b[2J-1', fieldPath: 'spec.containers{app}'},
			reason: 'Evicted',
			message: 'The node was low on resource: memory.\u0007\u001b]0;pwned\u0007',
			type: 'Warning',
			source: {component: 'kubelet'},
			count: 2,
			firstTimestamp: '2026-11-23T03:00:00Z',
			lastTimestamp: '2026-11-23T03:01:00Z',
		})!;
		expect(e.name).toBe('api\\x1b[2J-1');
		expect(e.message).toBe('The node was low on resource: memory.\\x07\\x1b]0;pwned\\x07');
		expect(e.count).toBe(2);
		expect(e.lastTime - e.firstTime).toBe(60_000);
		expect(eventFromObject({metadata: {uid: 'u2'}, reason: 'Scheduled', involvedObject: {}})).toBeNull();
	});

	it('escapes controls and bidi overrides in pod names, reasons and messages at the door', () => {
		const p = podFromObject({
			metadata: {namespace: 'a\u009b31m', name: 'p\u202eevil', uid: 'x'},
			spec: {containers: [{name: 'c\r\n1', resources: {limits: {memory: '1Gi'}}}]},
			status: {phase: 'Running', reason: '\u001bX', qosClass: 'Burstable'},
		})!;
		expect(p.namespace).toBe('a\\x9b31m');
		expect(p.name).toBe('p\\u202eevil');
		expect(p.containers[0]!.name).toBe('c\\r\\n1');
		expect(p.reason).toBe('\\x1bX');
		expect(p.limitBytes).toBe(1024 ** 3);
		expect(p.requestBytes).toBe(1024 ** 3);
	});
});
