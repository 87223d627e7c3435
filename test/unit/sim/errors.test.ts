import {describe, expect, it} from 'vitest';
import {getJson, request, simulators} from './helpers.js';

const sim = simulators();

describe('RBAC-style 403s, shaped like the API server\'s', () => {
	it('forbids listing nodes at the cluster scope', async () => {
		const s = await sim({forbid: ['nodes'], user: 'system:serviceaccount:memtop:viewer'});
		const reply = await request(`${s.url}/api/v1/nodes`);
		expect(reply.status).toBe(403);
		expect(reply.headers['content-type']).toBe('application/json');
		expect(reply.json).toEqual({
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: 'nodes is forbidden: User "system:serviceaccount:memtop:viewer" cannot list resource "nodes" in API group "" at the cluster scope',
			reason: 'Forbidden',
			details: {kind: 'nodes'},
			code: 403,
		});
		const watch = await request(`${s.url}/api/v1/nodes?watch=1`);
		expect(watch.status).toBe(403);
		expect(watch.json.message).toContain('cannot watch resource "nodes"');
		const one = await request(`${s.url}/api/v1/nodes/worker-1`);
		expect(one.json.message).toBe('nodes "worker-1" is forbidden: User "system:serviceaccount:memtop:viewer" cannot get resource "nodes" in API group "" at the cluster scope');
		// Pods are still fine.
		expect((await request(`${s.url}/api/v1/pods`)).status).toBe(200);
	});

	it('cluster-pods forbids only the cluster scope; pods:<ns> one namespace', async () => {
		const s = await sim({forbid: ['cluster-pods', 'pods:data']});
		expect((await request(`${s.url}/api/v1/pods`)).status).toBe(403);
		expect((await request(`${s.url}/api/v1/namespaces/shop/pods`)).status).toBe(200);
		const data = await request(`${s.url}/api/v1/namespaces/data/pods`);
		expect(data.status).toBe(403);
		expect(data.json.message).toBe('pods is forbidden: User "memtop-demo" cannot list resource "pods" in API group "" in the namespace "data"');
	});

	it('watch:events forbids only watching events', async () => {
		const s = await sim({forbid: ['watch:events']});
		expect((await request(`${s.url}/api/v1/events`)).status).toBe(200);
		expect((await request(`${s.url}/api/v1/events?watch=true`)).status).toBe(403);
	});

	it('nodes/proxy forbids the Summary API and configz; per node too', async () => {
		const s = await sim({forbid: ['nodes/proxy:worker-2']});
		expect((await request(`${s.url}/api/v1/nodes/worker-1/proxy/stats/summary`)).status).toBe(200);
		const reply = await request(`${s.url}/api/v1/nodes/worker-2/proxy/stats/summary`);
		expect(reply.status).toBe(403);
		expect(reply.json).toMatchObject({reason: 'Forbidden', message: 'nodes "worker-2" is forbidden: User "memtop-demo" cannot get resource "nodes/proxy" in API group "" at the cluster scope', details: {name: 'worker-2', kind: 'nodes'}});
		const all = await sim({forbid: ['nodes/proxy']});
		expect((await request(`${all.url}/api/v1/nodes/worker-1/proxy/configz`)).status).toBe(403);
		expect((await request(`${all.url}/api/v1/nodes`)).status).toBe(200);
	});

	it('configz:<node> makes that kubelet refuse configz in plain text while stats work', async () => {
		const s = await sim({forbid: ['configz:worker-3']});
		const refused = await request(`${s.url}/api/v1/nodes/worker-3/proxy/configz`);
		expect(refused.status).toBe(403);
		expect(refused.headers['content-type']).toContain('text/plain');
		expect(refused.text).toMatch(/^Forbidden \(user=.*, verb=get, resource=nodes, subresource=configz\)$/);
		expect((await request(`${s.url}/api/v1/nodes/worker-3/proxy/stats/summary`)).status).toBe(200);
		expect((await getJson(`${s.url}/api/v1/nodes/worker-2/proxy/configz`)).kubeletconfig.evictionHard['memory.available']).toBe('100Mi');
	});

	it('metrics forbidden: pods.metrics.k8s.io is forbidden', async () => {
		const s = await sim({forbid: ['metrics']});
		const reply = await request(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`);
		expect(reply.status).toBe(403);
		expect(reply.json.message).toBe('pods.metrics.k8s.io is forbidden: User "memtop-demo" cannot list resource "pods" in API group "metrics.k8s.io" at the cluster scope');
		expect(reply.json.details).toEqual({group: 'metrics.k8s.io', kind: 'pods'});
		const ns = await request(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods`);
		expect(ns.json.message).toContain('in the namespace "shop"');
	});
});

describe('unavailable and broken things', () => {
	it('metrics backend down: discovery still lists the group, its paths 503 like the aggregator', async () => {
		const s = await sim();
		s.setMetricsAvailable(false);
		const groups = await getJson(`${s.url}/apis`);
		expect(groups.groups.map((g: any) => g.name)).toContain('metrics.k8s.io');
		const reply = await request(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`);
		expect(reply.status).toBe(503);
		expect(reply.json).toMatchObject({kind: 'Status', reason: 'ServiceUnavailable', code: 503, message: 'the server is currently unable to handle the request (get pods.metrics.k8s.io)'});
		expect((await request(`${s.url}/apis/metrics.k8s.io/v1beta1`)).status).toBe(503);
		s.setMetricsAvailable(true);
		expect((await request(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`)).status).toBe(200);
	});

	it('a kubelet that cannot be reached answers 503 through the proxy', async () => {
		const s = await sim({kubeletDown: ['worker-5']});
		const reply = await request(`${s.url}/api/v1/nodes/worker-5/proxy/stats/summary`);
		expect(reply.status).toBe(503);
		expect(reply.json.message).toMatch(/^error trying to reach service: dial tcp 10\.0\.1\.\d+:10250: connect: connection refused$/);
		const missing = await request(`${s.url}/api/v1/nodes/nope/proxy/stats/summary`);
		expect(missing.status).toBe(404);
		expect(missing.json.message).toBe('nodes "nope" not found');
	});

	it('injected faults hit the next matching requests only', async () => {
		const s = await sim();
		s.injectFault({match: '/api/v1/pods', status: 500, count: 2});
		expect((await request(`${s.url}/api/v1/nodes`)).status).toBe(200);
		const first = await request(`${s.url}/api/v1/pods`);
		expect(first.status).toBe(500);
		expect(first.json).toMatchObject({kind: 'Status', reason: 'InternalError', code: 500});
		expect((await request(`${s.url}/api/v1/pods`)).status).toBe(500);
		expect((await request(`${s.url}/api/v1/pods`)).status).toBe(200);
		s.injectFault({match: /metrics/, status: 429, reason: 'TooManyRequests', message: 'storage is (re)initializing'});
		const limited = await request(`${s.url}/apis/metrics.k8s.io/v1beta1/nodes`);
		expect(limited.status).toBe(429);
		expect(limited.json.message).toBe('storage is (re)initializing');
	});

	it('unknown paths: JSON 404 under the API, text 404 elsewhere', async () => {
		const s = await sim();
		const api = await request(`${s.url}/api/v1/widgets`);
		expect(api.status).toBe(404);
		expect(api.json).toMatchObject({kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource'});
		const other = await request(`${s.url}/nope`);
		expect(other.status).toBe(404);
		expect(other.text).toBe('404 page not found\n');
		const nsNodes = await request(`${s.url}/api/v1/namespaces/shop/nodes`);
		expect(nsNodes.status).toBe(404);
	});

	it('deleting a managed pod: DELETED, then the ReplicaSet creates a replacement with a new name and uid', async () => {
		const s = await sim();
		const before = (await getJson(`${s.url}/api/v1/namespaces/shop/pods?labelSelector=app%3Dfrontend`)).items;
		const victim = before[0];
		expect(s.deletePod('shop', victim.metadata.name)).toBeGreaterThan(0);
		expect((await request(`${s.url}/api/v1/namespaces/shop/pods/${victim.metadata.name}`)).status).toBe(404);
		s.advance(5000);
		const after = (await getJson(`${s.url}/api/v1/namespaces/shop/pods?labelSelector=app%3Dfrontend`)).items;
		expect(after).toHaveLength(4);
		const fresh = after.find((p: any) => !before.some((b: any) => b.metadata.name === p.metadata.name));
		expect(fresh.metadata.uid).not.toBe(victim.metadata.uid);
		expect(fresh.metadata.ownerReferences).toEqual(victim.metadata.ownerReferences);
		expect(fresh.status.phase).toBe('Running');
		s.advance(60_000);
		expect((await request(`${s.url}/api/v1/namespaces/shop/pods/${victim.metadata.name}`)).status).toBe(404);
	});

	it('oomKill on a raw pod outside the model still produces a real OOMKilled status', async () => {
		const s = await sim({scenario: 'empty'});
		s.addPod({
			kind: 'Pod',
			apiVersion: 'v1',
			metadata: {name: 'raw', namespace: 'default', uid: 'u-raw', resourceVersion: '', creationTimestamp: '2026-06-26T09:00:00Z'},
			spec: {containers: [{name: 'app', image: 'busybox'}]},
			status: {phase: 'Running', containerStatuses: [{name: 'app', state: {running: {startedAt: '2026-06-26T09:00:05Z'}}, lastState: {}, ready: true, restartCount: 4, image: 'busybox', imageID: '', containerID: 'containerd://0123456789abcdef', started: true}], qosClass: 'BestEffort'},
		});
		expect(s.oomKill('default', 'raw')).toBe(true);
		const pod = await getJson(`${s.url}/api/v1/namespaces/default/pods/raw`);
		expect(pod.status.containerStatuses[0].restartCount).toBe(5);
		expect(pod.status.containerStatuses[0].lastState.terminated).toMatchObject({exitCode: 137, reason: 'OOMKilled', startedAt: '2026-06-26T09:00:05Z'});
		expect(s.oomKill('default', 'nope')).toBe(false);
		// Raw pods get metrics only when pinned.
		s.setContainerMemory('default', 'raw', 'app', 300 * 2 ** 20);
		s.sampleMetrics();
		const metrics = await getJson(`${s.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/raw`);
		expect(metrics.containers).toEqual([{name: 'app', usage: {cpu: '1000000n', memory: '300Mi'}}]);
	});
});
