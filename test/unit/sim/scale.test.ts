import http from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSim, type SimHandle} from '../../../source/sim/index.js';
import {bytesOf, getJson, WatchStream} from './helpers.js';

const PODS = 150_000;
const NODES = 5000;

let s: SimHandle;
let startupMs = 0;
const agent = new http.Agent({keepAlive: true});

function get(url: string): Promise<{text: string; bytes: number}> {
	return new Promise((resolve, reject) => {
		http.get(url, {agent}, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				if (res.statusCode !== 200) {
					reject(new Error(`${url}: ${res.statusCode} ${body.toString().slice(0, 200)}`));
					return;
				}

				resolve({text: body.toString('utf8'), bytes: body.length});
			});
		}).on('error', reject);
	});
}

beforeAll(async () => {
	const started = performance.now();
	s = await startSim({scenario: 'scale', pods: PODS, nodes: NODES, seed: 1, clock: 'manual'});
	startupMs = performance.now() - started;
	console.log(`scale sim: ${PODS} pods / ${NODES} nodes ready in ${Math.round(startupMs)} ms, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
}, 60_000);

afterAll(async () => {
	agent.destroy();
	await s?.close();
});

describe(`scale scenario: ${PODS} pods on ${NODES} nodes`, () => {
	it('serves the whole pod list in pages of 500, complete, unique and consistent while ticking', async () => {
		const started = performance.now();
		let token = '';
		let pages = 0;
		let bytes = 0;
		let count = 0;
		let previous = '';
		let snapshot = '';
		const seen = new Set<string>();
		const namespaces = new Set<string>();
		const owners = new Set<string>();
		const qos = new Set<string>();
		let multiContainer = 0;
		let restarted = 0;
		let renderMs = 0;
		do {
			const t = performance.now();
			const page = await get(`${s.url}/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
			renderMs += performance.now() - t;
			bytes += page.bytes;
			pages++;
			const list = JSON.parse(page.text);
			snapshot ||= list.metadata.resourceVersion;
			expect(list.metadata.resourceVersion).toBe(snapshot);
			if (pages === 1) {
				expect(list.metadata.remainingItemCount).toBe(PODS - 500);
			}

			for (const pod of list.items) {
				const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
				expect(key > previous).toBe(true);
				previous = key;
				seen.add(key);
				namespaces.add(pod.metadata.namespace);
				owners.add(pod.metadata.ownerReferences?.[0]?.kind ?? 'none');
				qos.add(pod.status.qosClass);
				multiContainer += pod.spec.containers.length + (pod.spec.initContainers?.length ?? 0) > 1 ? 1 : 0;
				restarted += pod.status.containerStatuses.some((c: any) => c.restartCount > 0) ? 1 : 0;
				expect(Number(pod.metadata.resourceVersion)).toBeLessThanOrEqual(Number(snapshot));
				count++;
			}

			token = list.metadata.continue ?? '';
			if (pages % 60 === 0) {
				s.advance(15_000); // the cluster moves on between pages
			}
		} while (token);

		const totalMs = performance.now() - started;
		console.log(`scale list: ${count} pods in ${pages} pages, ${(bytes / 1e6).toFixed(0)} MB, ${Math.round(totalMs)} ms total (${Math.round(renderMs)} ms waiting on the server incl. transfer)`);
		expect(count).toBe(PODS);
		expect(seen.size).toBe(PODS);
		expect(pages).toBe(PODS / 500);
		expect(s.resourceVersion()).toBeGreaterThan(Number(snapshot));
		expect(namespaces.size).toBeGreaterThanOrEqual(150);
		expect([...owners].sort()).toEqual(['DaemonSet', 'Job', 'ReplicaSet', 'StatefulSet', 'none']);
		expect(qos).toEqual(new Set(['Guaranteed', 'Burstable', 'BestEffort']));
		expect(multiContainer).toBeGreaterThan(PODS / 10);
		expect(restarted).toBeGreaterThan(PODS / 50);
	}, 180_000);

	it('serves 150k pod metrics in one response and node metrics, matching the sample', async () => {
		s.advance(15_000);
		const started = performance.now();
		const body = await get(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`);
		const firstMs = performance.now() - started;
		const again = performance.now();
		await get(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`);
		const cachedMs = performance.now() - again;
		const list = JSON.parse(body.text);
		console.log(`scale metrics: ${list.items.length} PodMetrics, ${(body.bytes / 1e6).toFixed(1)} MB in ${Math.round(firstMs)} ms (same sample again: ${Math.round(cachedMs)} ms)`);
		expect(list.items).toHaveLength(PODS);
		const snapshot = s.metricsSnapshot();
		const byKey = new Map(snapshot.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
		for (let i = 0; i < list.items.length; i += 997) {
			const item = list.items[i];
			const want = byKey.get(`${item.metadata.namespace}/${item.metadata.name}`);
			expect(item.containers.map((c: any) => bytesOf(c.usage.memory))).toEqual(want?.containers.map((c) => c.workingSetBytes));
			expect(Date.parse(item.timestamp)).toBe(snapshot.time);
		}

		const nodes = JSON.parse((await get(`${s.url}/apis/metrics.k8s.io/v1beta1/nodes`)).text);
		expect(nodes.items).toHaveLength(NODES);
		// Memory changes from sample to sample.
		s.advance(15_000);
		const next = JSON.parse((await get(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`)).text);
		let changed = 0;
		for (let i = 0; i < 1000; i++) {
			changed += next.items[i].containers[0].usage.memory === list.items[i].containers[0].usage.memory ? 0 : 1;
		}

		expect(changed).toBeGreaterThan(500);
	}, 120_000);

	it('a node\'s Summary API lists exactly the pods bound to it, with RSS <= working set <= usage', async () => {
		const nodes = await getJson(`${s.url}/api/v1/nodes?limit=3`);
		expect(nodes.metadata.remainingItemCount).toBe(NODES - 3);
		const node = nodes.items[1].metadata.name;
		const bound = await getJson(`${s.url}/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
		const summary = await getJson(`${s.url}/api/v1/nodes/${node}/proxy/stats/summary`);
		expect(summary.pods.map((p: any) => `${p.podRef.namespace}/${p.podRef.name}`).sort()).toEqual(bound.items.map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`).sort());
		for (const pod of summary.pods) {
			for (const c of pod.containers) {
				expect(c.memory.rssBytes).toBeLessThanOrEqual(c.memory.workingSetBytes);
				expect(c.memory.workingSetBytes).toBeLessThanOrEqual(c.memory.usageBytes);
			}
		}

		expect(summary.node.memory.availableBytes).toBe(bytesOf(nodes.items[1].status.capacity.memory) - summary.node.memory.workingSetBytes);
	}, 60_000);

	it('watches see OOM restarts and node heartbeats each tick', async () => {
		const w = new WatchStream(`${s.url}/api/v1/pods?watch=1&resourceVersion=${s.resourceVersion()}`);
		const n = new WatchStream(`${s.url}/api/v1/nodes?watch=1&resourceVersion=${s.resourceVersion()}`);
		try {
			await Promise.all([w.ready, n.ready]);
			s.advance(15_000);
			await w.until((ev) => ev.length >= 10);
			const oom = w.events.find((e) => e.object.status.containerStatuses.some((c: any) => c.lastState.terminated?.reason === 'OOMKilled' && Date.parse(c.lastState.terminated.finishedAt) === s.now()));
			expect(oom?.type).toBe('MODIFIED');
			await n.until((ev) => ev.length >= 100);
			expect(n.events.every((e) => e.type === 'MODIFIED')).toBe(true);
		} finally {
			w.close();
			n.close();
		}
	}, 60_000);
});
