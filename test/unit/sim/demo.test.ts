import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {type SimHandle} from '../../../source/sim/index.js';
import type {World} from '../../../source/sim/world.js';
import {bytesOf, getJson, request, simulators, WatchStream} from './helpers.js';

const FIXTURES = new URL('../../../../shared/fixtures/real/', import.meta.url);

const demo = simulators({scenario: 'demo'});
let watches: WatchStream[] = [];

afterEach(async () => {
	for (const w of watches) {
		w.close();
	}

	watches = [];
});

const key = (o: any): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** seconds since sim start */
function advanceTo(s: SimHandle, start: number, second: number): void {
	s.advance(start + second * 1000 - s.now());
}

async function pods(s: SimHandle): Promise<any[]> {
	return (await getJson(`${s.url}/api/v1/pods`)).items;
}

async function events(s: SimHandle): Promise<any[]> {
	return (await getJson(`${s.url}/api/v1/events`)).items;
}

describe('demo scenario: the cluster', () => {
	it('has the promised variety: owners, QoS classes, priorities, sidecars, overhead, quantity forms', async () => {
		const s = await demo();
		const all = await pods(s);
		const nodes = (await getJson(`${s.url}/api/v1/nodes`)).items;
		expect(nodes).toHaveLength(6);
		for (const node of nodes) {
			const capacity = bytesOf(node.status.capacity.memory);
			const allocatable = bytesOf(node.status.allocatable.memory);
			expect(allocatable).toBeLessThan(capacity);
			expect(capacity).toBeGreaterThanOrEqual(7.5 * 2 ** 30);
			expect(capacity).toBeLessThanOrEqual(32 * 2 ** 30);
			expect(node.status.conditions.map((c: any) => c.type)).toEqual(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
			expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBe(10_250);
		}

		const namespaces = new Set(all.map((p) => p.metadata.namespace));
		for (const ns of ['shop', 'payments', 'data', 'monitoring', 'kube-system', 'batch']) {
			expect(namespaces).toContain(ns);
		}

		const ownerKinds = new Set(all.map((p) => p.metadata.ownerReferences?.[0]?.kind ?? 'none'));
		expect([...ownerKinds].sort()).toEqual(['DaemonSet', 'Node', 'ReplicaSet', 'StatefulSet', 'none']);
		// Deployment pods: <deployment>-<pod-template-hash>-<5 chars>, owned by the ReplicaSet.
		const api = all.filter((p) => p.metadata.labels.app === 'api');
		expect(api).toHaveLength(3);
		for (const pod of api) {
			const hash = pod.metadata.labels['pod-template-hash'];
			expect(pod.metadata.name).toMatch(new RegExp(`^api-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
			expect(pod.metadata.ownerReferences[0]).toMatchObject({apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `api-${hash}`, controller: true});
			// Sidecar init container with restartPolicy Always, running.
			expect(pod.spec.initContainers[0]).toMatchObject({name: 'istio-proxy', restartPolicy: 'Always'});
			expect(pod.status.initContainerStatuses[0].state.running).toBeDefined();
		}

		// One DaemonSet pod per node.
		const proxies = all.filter((p) => p.metadata.labels['k8s-app'] === 'kube-proxy');
		expect(new Set(proxies.map((p) => p.spec.nodeName)).size).toBe(6);
		expect(proxies.every((p) => p.status.qosClass === 'BestEffort' && p.spec.priority === 2_000_001_000)).toBe(true);
		expect(all.find((p) => p.metadata.name === 'postgres-0')?.metadata.ownerReferences[0].kind).toBe('StatefulSet');
		expect(all.find((p) => p.metadata.name === 'debug-shell')?.metadata.ownerReferences).toBeUndefined();
		expect(new Set(all.map((p) => p.status.qosClass))).toEqual(new Set(['Guaranteed', 'Burstable', 'BestEffort']));
		expect(new Set(all.map((p) => p.spec.priority)).size).toBeGreaterThanOrEqual(5);
		expect(all.some((p) => p.spec.priority < 0)).toBe(true);
		const fraud = all.find((p) => p.metadata.labels.app === 'fraud-model');
		expect(fraud.spec.overhead).toEqual({cpu: '250m', memory: '160Mi'});
		expect(fraud.spec.runtimeClassName).toBe('kata-qemu');
		// A Burstable pod without a memory limit.
		const redis = all.find((p) => p.metadata.labels.app === 'redis-cache');
		expect(redis.status.qosClass).toBe('Burstable');
		expect(redis.spec.containers[0].resources.limits).toBeUndefined();
		expect(redis.spec.containers[0].resources.requests.memory).toBe('256Mi');
		// Memory quantities in several forms.
		const forms = new Set<string>();
		for (const pod of all) {
			for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
				for (const q of [c.resources.requests?.memory, c.resources.limits?.memory]) {
					if (q !== undefined) {
						forms.add(/^\d+$/.test(q) ? 'plain' : /e\d+$/.test(q) ? 'exponent' : (/[a-zA-Z]+$/.exec(q)?.[0] ?? ''));
					}
				}
			}
		}

		expect([...forms].sort()).toEqual(['Gi', 'M', 'Mi', 'exponent', 'm', 'plain']);
		// A limit-only container gets its request defaulted to the limit, as the API server does.
		const ledger = all.find((p) => p.metadata.labels.app === 'ledger' && p.status.phase === 'Running');
		expect(ledger.status.qosClass).toBe('Guaranteed');
	});

	it('is deterministic under a seed, and the seed matters', async () => {
		const a = await demo({seed: 7});
		const b = await demo({seed: 7});
		const c = await demo({seed: 8});
		a.advance(200_000);
		for (let i = 0; i < 200; i++) {
			b.advance(1000);
		}

		c.advance(200_000);
		for (const path of ['/api/v1/pods', '/api/v1/events', '/api/v1/nodes', '/apis/metrics.k8s.io/v1beta1/pods', '/apis/metrics.k8s.io/v1beta1/nodes', '/api/v1/nodes/worker-4/proxy/stats/summary']) {
			const [x, y, z] = await Promise.all([request(a.url + path), request(b.url + path), request(c.url + path)]);
			expect(x.status).toBe(200);
			expect(x.text).toBe(y.text);
			expect(z.text).not.toBe(x.text);
		}

		expect(a.incidents).toEqual(b.incidents);
		expect(a.resourceVersion()).toBe(b.resourceVersion());
	});
});

describe('demo scenario: OOM kills', () => {
	it('a leaking container reaches its limit and is OOMKilled: restartCount+1, lastState, CrashLoopBackOff, a watch sees it', async () => {
		const s = await demo();
		const start = s.now();
		const cart = (await pods(s)).find((p) => p.metadata.labels.app === 'cart');
		const before = cart.status.containerStatuses[0];
		expect(before.restartCount).toBe(2);
		expect(before.lastState.terminated.reason).toBe('OOMKilled');
		const w = new WatchStream(`${s.url}/api/v1/namespaces/shop/pods?watch=1&resourceVersion=${s.resourceVersion()}&fieldSelector=metadata.name%3D${cart.metadata.name}`);
		watches.push(w);
		await w.ready;
		advanceTo(s, start, 120);
		const seen = await w.until((ev) => ev.some((e) => e.object.status.containerStatuses[0].restartCount === 3));
		const killed = seen.find((e) => e.object.status.containerStatuses[0].restartCount === 3);
		expect(killed?.type).toBe('MODIFIED');
		const status = killed?.object.status.containerStatuses[0];
		expect(status.lastState.terminated).toMatchObject({exitCode: 137, reason: 'OOMKilled'});
		const finished = Date.parse(status.lastState.terminated.finishedAt);
		expect(finished - start).toBeGreaterThan(30_000);
		expect(finished - start).toBeLessThan(120_000);
		expect(Date.parse(status.lastState.terminated.startedAt)).toBeLessThan(finished);
		expect(status.lastState.terminated.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
		// The kubelet's back-off: waiting in CrashLoopBackOff, then running again with a new start time.
		expect(status.state.waiting).toMatchObject({reason: 'CrashLoopBackOff'});
		expect(status.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=cart pod=cart-/);
		const running = seen.filter((e) => e.object.status.containerStatuses[0].restartCount === 3 && e.object.status.containerStatuses[0].state.running);
		expect(running.length).toBeGreaterThan(0);
		expect(Date.parse(running[0]?.object.status.containerStatuses[0].state.running.startedAt)).toBeGreaterThan(finished);
		// The metrics sample just before the kill was close to the 512Mi limit.
		expect(s.incidents.some((i) => i.kind === 'OOMKilled' && i.pod === cart.metadata.name && i.container === 'cart')).toBe(true);
		// The kernel's OOM message reached the node as a node-problem-detector event.
		const oomKilling = (await events(s)).filter((e) => e.reason === 'OOMKilling' && e.involvedObject.name === cart.spec.nodeName);
		expect(oomKilling.length).toBeGreaterThan(0);
	});

	it('an init container OOMs once, early, then the pod starts', async () => {
		const s = await demo();
		const start = s.now();
		const starting = (await pods(s)).find((p) => p.metadata.labels.app === 'ledger' && p.status.phase === 'Pending');
		expect(starting).toBeDefined();
		advanceTo(s, start, 20);
		const during = await getJson(`${s.url}/api/v1/namespaces/payments/pods/${starting.metadata.name}`);
		const init = during.status.initContainerStatuses[0];
		expect(init.name).toBe('db-migrate');
		expect(init.restartCount).toBe(1);
		expect(init.lastState.terminated).toMatchObject({reason: 'OOMKilled', exitCode: 137});
		expect(during.status.phase).toBe('Pending');
		expect(during.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
		advanceTo(s, start, 45);
		const after = await getJson(`${s.url}/api/v1/namespaces/payments/pods/${starting.metadata.name}`);
		expect(after.status.phase).toBe('Running');
		expect(after.status.initContainerStatuses[0].state.terminated).toMatchObject({reason: 'Completed', exitCode: 0});
		expect(after.status.initContainerStatuses[0].restartCount).toBe(1);
		expect(after.status.containerStatuses[0].state.running).toBeDefined();
		expect(s.incidents.find((i) => i.kind === 'InitOOMKilled')?.container).toBe('db-migrate');
	});

	it('a liveness-probe kill is exit 137 with reason Error, not OOMKilled', async () => {
		const s = await demo();
		const start = s.now();
		advanceTo(s, start, 105);
		const searches = (await pods(s)).filter((p) => p.metadata.labels.app === 'search');
		const killed = searches.find((p) => p.status.containerStatuses[0].restartCount === 1);
		expect(killed.status.containerStatuses[0].lastState.terminated).toMatchObject({exitCode: 137, reason: 'Error'});
		const podEvents = (await events(s)).filter((e) => e.involvedObject.name === killed.metadata.name);
		expect(podEvents.map((e) => e.reason)).toEqual(expect.arrayContaining(['Unhealthy', 'Killing']));
		const killing = podEvents.find((e) => e.reason === 'Killing');
		expect(killing).toMatchObject({type: 'Normal', message: 'Container search failed liveness probe, will be restarted', source: {component: 'kubelet', host: killed.spec.nodeName}});
		expect(killing.involvedObject.fieldPath).toBe('spec.containers{search}');
	});

	it('node Events SystemOOM and OOMKilling use the kubelet and node-problem-detector formats', async () => {
		const s = await demo();
		const start = s.now();
		advanceTo(s, start, 120);
		const rule = JSON.parse(readFileSync(new URL('node-problem-detector-kernel-monitor-config.oomkilling-rule.json', FIXTURES), 'utf8'));
		const pattern = new RegExp(rule.rules.find((r: any) => r.reason === 'OOMKilling').pattern);
		const all = await events(s);
		const oomKilling = all.filter((e) => e.reason === 'OOMKilling');
		expect(oomKilling.length).toBeGreaterThanOrEqual(3);
		for (const e of oomKilling) {
			expect(e.message).toMatch(pattern);
			expect(e).toMatchObject({type: 'Warning', source: {component: 'kernel-monitor'}, involvedObject: {kind: 'Node'}});
			expect(e.metadata.namespace).toBe('default');
			expect(e.involvedObject.uid).toBe(e.involvedObject.name);
		}

		const system = all.filter((e) => e.reason === 'SystemOOM');
		expect(system).toHaveLength(1);
		expect(system[0]).toMatchObject({type: 'Warning', source: {component: 'kubelet', host: 'worker-4'}, involvedObject: {kind: 'Node', name: 'worker-4'}});
		expect(system[0].message).toMatch(/^System OOM encountered, victim process: python3, pid: \d+$/);
		const pid = /pid: (\d+)/.exec(system[0].message)?.[1];
		expect(oomKilling.some((e) => e.message.startsWith(`Out of memory: Killed process ${pid} (python3)`))).toBe(true);
		const shell = await getJson(`${s.url}/api/v1/namespaces/default/pods/debug-shell`);
		expect(shell.status.containerStatuses[0].lastState.terminated.reason).toBe('OOMKilled');
	});
});

describe('demo scenario: memory pressure and eviction', () => {
	it('worker-4 crosses its threshold, the kubelet evicts the top-ranked pod, pressure clears, the ReplicaSet replaces it', async () => {
		const s = await demo();
		const start = s.now();
		const world = s.scenario as World;
		advanceTo(s, start, 50);
		const ranked = world.evictionOrder('worker-4');
		expect(ranked[0]).toMatch(/^batch\/etl-worker-/);
		expect(ranked[1]).toBe('default/debug-shell');
		const etl = (await pods(s)).find((p) => key(p) === ranked[0]);
		// The Summary API shows the node running out before the kubelet acts.
		const summary = await getJson(`${s.url}/api/v1/nodes/worker-4/proxy/stats/summary`);
		expect(summary.node.memory.availableBytes).toBeLessThan(2 * 500 * 2 ** 20);
		advanceTo(s, start, 62);

		const node = await getJson(`${s.url}/api/v1/nodes/worker-4`);
		const pressure = node.status.conditions.find((c: any) => c.type === 'MemoryPressure');
		expect(pressure).toMatchObject({status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available'});
		const transition = Date.parse(pressure.lastTransitionTime);
		expect(transition - start).toBeGreaterThanOrEqual(50_000);
		expect(transition - start).toBeLessThanOrEqual(62_000);
		expect(node.spec.taints).toContainEqual(expect.objectContaining({key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule'}));

		const evicted = await getJson(`${s.url}/api/v1/namespaces/batch/pods/${etl.metadata.name}`);
		expect(evicted.status.phase).toBe('Failed');
		expect(evicted.status.reason).toBe('Evicted');
		expect(evicted.status.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 500Mi, available: \d+Ki\. Container etl was using \d+Ki, request is 1Gi, has larger consumption of memory\. $/);
		const available = bytesOf(/available: (\d+Ki)/.exec(evicted.status.message)?.[1] ?? '');
		expect(available).toBeLessThan(500 * 2 ** 20);
		const using = bytesOf(/was using (\d+Ki)/.exec(evicted.status.message)?.[1] ?? '');
		expect(using).toBeGreaterThan(2 ** 30);
		expect(evicted.status.conditions.find((c: any) => c.type === 'DisruptionTarget')).toMatchObject({status: 'True', reason: 'TerminationByKubelet'});

		const all = await events(s);
		const nodeEvents = all.filter((e) => e.involvedObject.kind === 'Node' && e.involvedObject.name === 'worker-4');
		expect(nodeEvents.find((e) => e.reason === 'EvictionThresholdMet')).toMatchObject({type: 'Warning', message: 'Attempting to reclaim memory', source: {component: 'kubelet', host: 'worker-4'}});
		expect(nodeEvents.find((e) => e.reason === 'NodeHasInsufficientMemory')?.message).toBe('Node worker-4 status is now: NodeHasInsufficientMemory');
		const evictedEvent = all.find((e) => e.reason === 'Evicted');
		expect(evictedEvent).toMatchObject({type: 'Warning', involvedObject: {kind: 'Pod', namespace: 'batch', name: etl.metadata.name, uid: etl.metadata.uid}, source: {component: 'kubelet'}});
		expect(evictedEvent.message).toBe(evicted.status.message);

		// A replacement: new name, new uid, same owner; Pending while the taint is on.
		const replacement = (await pods(s)).find((p) => p.metadata.labels.app === 'etl-worker' && p.metadata.name !== etl.metadata.name);
		expect(replacement.metadata.uid).not.toBe(etl.metadata.uid);
		expect(replacement.metadata.ownerReferences).toEqual(etl.metadata.ownerReferences);
		expect(replacement.status.phase).toBe('Pending');
		expect(replacement.status.conditions.find((c: any) => c.type === 'PodScheduled')).toMatchObject({status: 'False', reason: 'Unschedulable'});

		advanceTo(s, start, 100);
		const later = await getJson(`${s.url}/api/v1/nodes/worker-4`);
		const cleared = later.status.conditions.find((c: any) => c.type === 'MemoryPressure');
		expect(cleared).toMatchObject({status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available'});
		expect(Date.parse(cleared.lastTransitionTime) - transition).toBeGreaterThanOrEqual(30_000);
		expect(later.spec.taints ?? []).not.toContainEqual(expect.objectContaining({key: 'node.kubernetes.io/memory-pressure'}));
		expect((await events(s)).some((e) => e.reason === 'NodeHasSufficientMemory' && e.involvedObject.name === 'worker-4')).toBe(true);
		const scheduled = await getJson(`${s.url}/api/v1/namespaces/batch/pods/${replacement.metadata.name}`);
		expect(scheduled.spec.nodeName).toBe('worker-4');
		expect(scheduled.status.phase).toBe('Running');
	});

	it('every story happens in the first two minutes and keeps recurring', async () => {
		const s = await demo();
		const start = s.now();
		advanceTo(s, start, 120);
		const early = new Set((await events(s)).map((e) => e.reason));
		for (const reason of ['OOMKilling', 'SystemOOM', 'EvictionThresholdMet', 'NodeHasInsufficientMemory', 'NodeHasSufficientMemory', 'Evicted', 'BackOff', 'Killing', 'FailedScheduling']) {
			expect(early, reason).toContain(reason);
		}

		const kinds = new Set(s.incidents.map((i) => i.kind));
		expect([...kinds].sort()).toEqual(['Evicted', 'EvictionThresholdMet', 'InitOOMKilled', 'Killed', 'MemoryPressure', 'MemoryPressureCleared', 'OOMKilled', 'SystemOOM']);
		advanceTo(s, start, 20 * 60);
		const count = (kind: string): number => s.incidents.filter((i) => i.kind === kind).length;
		expect(count('Evicted')).toBeGreaterThanOrEqual(4);
		expect(count('MemoryPressure')).toBe(count('Evicted'));
		expect(count('OOMKilled')).toBeGreaterThanOrEqual(6);
		expect(s.incidents.filter((i) => i.kind === 'OOMKilled' && i.pod.startsWith('cart-')).length).toBeGreaterThanOrEqual(4);
		// Old evicted pods are cleaned up eventually; the live set stays bounded.
		const live = await pods(s);
		expect(live.filter((p) => p.status.reason === 'Evicted').length).toBeLessThanOrEqual(4);
		expect(live.length).toBeLessThan(50);
		// CronJob pods ran to completion and old ones were removed.
		const reports = live.filter((p) => p.metadata.labels.app === 'report');
		expect(reports.filter((p) => p.status.phase === 'Succeeded').length).toBe(3);
		expect(reports.every((p) => p.metadata.ownerReferences[0].kind === 'Job')).toBe(true);
	});
});

describe('demo scenario: metrics, Summary API, configz', () => {
	it('metrics.k8s.io serves exactly the sampled working sets, in varied quantity forms', async () => {
		const s = await demo();
		s.advance(37_000);
		const snapshot = s.metricsSnapshot();
		const list = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`);
		expect(list.kind).toBe('PodMetricsList');
		expect(list.items.length).toBe(snapshot.pods.length);
		const forms = new Set<string>();
		for (const item of list.items) {
			// Like metrics-server: the time between two scrapes, a little under the resolution.
			expect(item.window).toMatch(/^4\.\d{1,3}s$|^5s$/);
			expect(Number.parseFloat(item.window) * 1000).toBe(snapshot.windowMs);
			expect(Date.parse(item.timestamp)).toBe(snapshot.time);
			const expected = snapshot.pods.find((p) => p.namespace === item.metadata.namespace && p.name === item.metadata.name);
			expect(expected).toBeDefined();
			expect(item.containers.map((c: any) => c.name)).toEqual(expected?.containers.map((c) => c.name));
			for (const c of item.containers) {
				const want = expected?.containers.find((x) => x.name === c.name)?.workingSetBytes;
				expect(bytesOf(c.usage.memory)).toBe(want);
				expect(c.usage.cpu).toMatch(/^\d+n$/);
				forms.add(/^\d+$/.test(c.usage.memory) ? 'plain' : /e\d+$/.test(c.usage.memory) ? 'exponent' : (/[a-zA-Z]+$/.exec(c.usage.memory)?.[0] ?? ''));
			}
		}

		// metrics-server's binary form, plus plain bytes, a decimal suffix and a decimal exponent.
		expect(forms).toContain('Ki');
		expect(forms).toContain('plain');
		expect(forms).toContain('exponent');
		expect(forms.has('k') || forms.has('M')).toBe(true);

		const nodes = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/nodes`);
		expect(nodes.items.map((n: any) => [n.metadata.name, bytesOf(n.usage.memory)])).toEqual(snapshot.nodes.map((n) => [n.name, n.workingSetBytes]));
		const one = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods/${list.items.find((i: any) => i.metadata.namespace === 'shop').metadata.name}`);
		expect(one.kind).toBe('PodMetrics');
		const scoped = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods?labelSelector=app%3Dfrontend`);
		expect(scoped.items).toHaveLength(4);
		const missing = await request(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods/nope`);
		expect(missing.status).toBe(404);
		expect(missing.json).toMatchObject({message: 'pods "nope" not found', reason: 'NotFound', details: {name: 'nope', kind: 'pods'}});
		// Between samples the served values do not move (only metadata.creationTimestamp, which
		// metrics-server sets to the request time); the next sample changes them.
		const usage = (l: any): unknown => l.items.map((i: any) => [i.metadata.name, i.timestamp, i.containers]);
		s.advance(2000);
		const same = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`);
		expect(usage(same)).toEqual(usage(list));
		expect(same.items[0].metadata.creationTimestamp).not.toBe(list.items[0].metadata.creationTimestamp);
		s.advance(3000);
		const next = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`);
		expect(next.items[0].timestamp).not.toBe(list.items[0].timestamp);
		expect(usage(next)).not.toEqual(usage(list));
	});

	it('a restarted container drops out of metrics for one scrape, like metrics-server', async () => {
		const s = await demo();
		s.advance(10_000);
		const name = (await pods(s)).find((p) => p.metadata.labels.app === 'frontend').metadata.name;
		expect(s.oomKill('shop', name, 'web')).toBe(true);
		s.advance(5000);
		const after = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods`);
		expect(after.items.map((i: any) => i.metadata.name)).not.toContain(name);
		s.advance(5000);
		const later = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods`);
		expect(later.items.map((i: any) => i.metadata.name)).toContain(name);
	});

	it('Summary API mirrors the real kubelet shape; RSS <= working set <= usage; matches metrics', async () => {
		const s = await demo();
		s.advance(45_000);
		const real = JSON.parse(readFileSync(new URL('kubelet-stats-summary.k8s-v1.35.0.nri-kubernetes.json', FIXTURES), 'utf8'));
		const metrics = s.metricsSnapshot();
		const podList = await pods(s);
		for (const nodeName of ['cp-1', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5']) {
			const summary = await getJson(`${s.url}/api/v1/nodes/${nodeName}/proxy/stats/summary`);
			// Same keys as the real capture at each level.
			expect(Object.keys(summary)).toEqual(Object.keys(real));
			expect(Object.keys(summary.node.memory).filter((k) => k !== 'psi')).toEqual(Object.keys(real.node.memory).filter((k) => k !== 'psi'));
			for (const k of ['nodeName', 'systemContainers', 'startTime', 'cpu', 'memory', 'swap']) {
				expect(summary.node).toHaveProperty(k);
			}

			const mem = summary.node.memory;
			expect(mem.rssBytes).toBeLessThanOrEqual(mem.workingSetBytes);
			expect(mem.workingSetBytes).toBeLessThanOrEqual(mem.usageBytes);
			const nodeObject = await getJson(`${s.url}/api/v1/nodes/${nodeName}`);
			expect(mem.availableBytes).toBe(bytesOf(nodeObject.status.capacity.memory) - mem.workingSetBytes);
			expect(mem.workingSetBytes).toBe(metrics.nodes.find((n) => n.name === nodeName)?.workingSetBytes);
			for (const pod of summary.pods) {
				const match = podList.find((p) => p.metadata.namespace === pod.podRef.namespace && p.metadata.name === pod.podRef.name);
				expect(match?.metadata.uid).toBe(pod.podRef.uid);
				expect(match?.spec.nodeName).toBe(nodeName);
				expect(pod.memory.rssBytes).toBeLessThanOrEqual(pod.memory.workingSetBytes);
				expect(pod.memory.workingSetBytes).toBeLessThanOrEqual(pod.memory.usageBytes);
				let sum = 0;
				for (const c of pod.containers) {
					expect(Object.keys(c.memory)).toEqual(expect.arrayContaining(['time', 'usageBytes', 'workingSetBytes', 'rssBytes', 'pageFaults', 'majorPageFaults']));
					expect(c.memory.rssBytes).toBeLessThanOrEqual(c.memory.workingSetBytes);
					expect(c.memory.workingSetBytes).toBeLessThanOrEqual(c.memory.usageBytes);
					sum += c.memory.workingSetBytes;
					const spec = [...match.spec.containers, ...(match.spec.initContainers ?? [])].find((x: any) => x.name === c.name);
					const limit = spec.resources.limits?.memory;
					if (limit === undefined) {
						expect(c.memory.availableBytes).toBeUndefined();
					} else {
						expect(c.memory.availableBytes).toBe(bytesOf(limit) - c.memory.workingSetBytes);
					}

					const served = metrics.pods.find((p) => p.namespace === pod.podRef.namespace && p.name === pod.podRef.name)?.containers.find((x) => x.name === c.name)?.workingSetBytes;
					if (served !== undefined) {
						expect(c.memory.workingSetBytes).toBe(served);
					}
				}

				expect(pod.memory.workingSetBytes).toBeGreaterThan(sum);
			}
		}

		// Postgres: page cache makes usage far above the working set.
		const w3 = await getJson(`${s.url}/api/v1/nodes/worker-3/proxy/stats/summary`);
		const pg = w3.pods.find((p: any) => p.podRef.name === 'postgres-0').containers.find((c: any) => c.name === 'postgres');
		expect(pg.memory.usageBytes / pg.memory.workingSetBytes).toBeGreaterThan(1.4);
		expect(pg.memory.rssBytes / pg.memory.workingSetBytes).toBeLessThan(0.5);
		// Swap where the node has it.
		const w5 = await getJson(`${s.url}/api/v1/nodes/worker-5/proxy/stats/summary`);
		expect(w5.node.swap.swapAvailableBytes).toBe(4 * 2 ** 30);
		const redis = w5.pods.find((p: any) => p.podRef.name.startsWith('redis-cache-'));
		expect(redis.containers[0].swap.swapUsageBytes).toBe(48 * 2 ** 20);
		const only = await getJson(`${s.url}/api/v1/nodes/worker-5/proxy/stats/summary?only_cpu_and_memory=true`);
		expect(only.node.fs).toBeUndefined();
		expect(only.node.memory.workingSetBytes).toBe(w5.node.memory.workingSetBytes);
	});

	it('configz carries each kubelet\'s evictionHard (worker-4 500Mi, worker-3 200Mi, others 100Mi)', async () => {
		const s = await demo();
		const thresholds: Record<string, string> = {};
		for (const node of ['cp-1', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5']) {
			const config = await getJson(`${s.url}/api/v1/nodes/${node}/proxy/configz`);
			thresholds[node] = config.kubeletconfig.evictionHard['memory.available'];
		}

		expect(thresholds).toEqual({'cp-1': '100Mi', 'worker-1': '100Mi', 'worker-2': '100Mi', 'worker-3': '200Mi', 'worker-4': '500Mi', 'worker-5': '100Mi'});
		const w4 = await getJson(`${s.url}/api/v1/nodes/worker-4/proxy/configz`);
		expect(w4.kubeletconfig.evictionPressureTransitionPeriod).toBe('30s');
	});

	it('setContainerMemory pins a working set from the next sample', async () => {
		const s = await demo();
		const name = (await pods(s)).find((p) => p.metadata.labels['app.kubernetes.io/name'] === 'grafana').metadata.name;
		s.setContainerMemory('monitoring', name, 'grafana', 123_456_789);
		s.advance(5000);
		const item = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods/${name}`);
		expect(item.containers[0].usage.memory).toBe('123456789');
		s.setContainerMemory('monitoring', name, 'grafana', null);
		s.advance(5000);
		const back = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods/${name}`);
		expect(back.containers[0].usage.memory).not.toBe('123456789');
	});
});
