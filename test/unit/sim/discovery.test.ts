import {CoreV1Api, KubeConfig} from '@kubernetes/client-node';
import {describe, expect, it} from 'vitest';
import {simKubeconfig} from '../../../source/sim/index.js';
import {getJson, request, simulators} from './helpers.js';

const sim = simulators();

describe('discovery', () => {
	it('serves /version, /api, /api/v1 like a v1.35 API server', async () => {
		const s = await sim();
		const version = await getJson(`${s.url}/version`);
		expect(version).toMatchObject({major: '1', minor: '35', gitVersion: 'v1.35.0'});
		const api = await getJson(`${s.url}/api`);
		expect(api.kind).toBe('APIVersions');
		expect(api.versions).toEqual(['v1']);
		const core = await getJson(`${s.url}/api/v1`);
		expect(core.kind).toBe('APIResourceList');
		expect(core.groupVersion).toBe('v1');
		const byName = new Map<string, any>(core.resources.map((r: any) => [r.name, r]));
		expect(byName.get('pods')).toMatchObject({namespaced: true, kind: 'Pod', singularName: 'pod'});
		expect(byName.get('pods').verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch']));
		expect(byName.get('nodes')).toMatchObject({namespaced: false, kind: 'Node'});
		expect(byName.get('nodes/proxy')).toBeDefined();
		expect(byName.get('events')).toMatchObject({namespaced: true, kind: 'Event'});
		expect(byName.get('namespaces')).toMatchObject({namespaced: false});
	});

	it('lists metrics.k8s.io v1beta1 by default, and v1 preferred when enabled', async () => {
		const plain = await sim();
		const groups = await getJson(`${plain.url}/apis`);
		expect(groups.kind).toBe('APIGroupList');
		const metrics = groups.groups.find((g: any) => g.name === 'metrics.k8s.io');
		expect(metrics.versions.map((v: any) => v.version)).toEqual(['v1beta1']);
		expect(metrics.preferredVersion.groupVersion).toBe('metrics.k8s.io/v1beta1');
		const resources = await getJson(`${plain.url}/apis/metrics.k8s.io/v1beta1`);
		expect(resources.resources.map((r: any) => `${r.name}:${r.kind}`)).toEqual(['nodes:NodeMetrics', 'pods:PodMetrics']);
		expect((await request(`${plain.url}/apis/metrics.k8s.io/v1/pods`)).status).toBe(404);

		const v1 = await sim({metricsV1: true});
		const g1 = (await getJson(`${v1.url}/apis`)).groups.find((g: any) => g.name === 'metrics.k8s.io');
		expect(g1.versions.map((v: any) => v.version)).toEqual(['v1', 'v1beta1']);
		expect(g1.preferredVersion.version).toBe('v1');
		const list = await getJson(`${v1.url}/apis/metrics.k8s.io/v1/pods`);
		expect(list.kind).toBe('PodMetricsList');
		expect(list.apiVersion).toBe('metrics.k8s.io/v1');
		expect(list.items.length).toBeGreaterThan(10);
	});

	it('noMetrics: the group is absent from discovery and its paths 404', async () => {
		const s = await sim({noMetrics: true});
		const groups = await getJson(`${s.url}/apis`);
		expect(groups.groups.map((g: any) => g.name)).not.toContain('metrics.k8s.io');
		const reply = await request(`${s.url}/apis/metrics.k8s.io/v1beta1/pods`);
		expect(reply.status).toBe(404);
		expect(reply.json).toMatchObject({kind: 'Status', reason: 'NotFound', code: 404});
	});

	it('rejects every non-GET with 405 and counts it', async () => {
		const s = await sim();
		expect(s.writes).toBe(0);
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			const reply = await request(`${s.url}/api/v1/namespaces/shop/pods`, {method, body: '{}', headers: {'content-type': 'application/json'}});
			expect(reply.status).toBe(405);
			expect(reply.json).toMatchObject({kind: 'Status', status: 'Failure', reason: 'MethodNotAllowed', code: 405});
		}

		expect(s.writes).toBe(4);
		expect(s.writeLog.map((w) => w.method)).toEqual(['POST', 'PUT', 'PATCH', 'DELETE']);
		// Nothing changed.
		const before = s.resourceVersion();
		await request(`${s.url}/api/v1/namespaces/shop/pods/x`, {method: 'DELETE'});
		expect(s.resourceVersion()).toBe(before);
	});

	it('records every request with its user agent', async () => {
		const s = await sim();
		await request(`${s.url}/api/v1/pods?limit=5`, {headers: {'user-agent': 'memtop-test/1.0'}});
		const last = s.requests.at(-1);
		expect(last).toMatchObject({method: 'GET', path: '/api/v1/pods', query: 'limit=5', userAgent: 'memtop-test/1.0', status: 200});
	});

	it('requireToken: 401 without the bearer token, 200 with it', async () => {
		const s = await sim({requireToken: 's3cret'});
		const denied = await request(`${s.url}/api/v1/pods`);
		expect(denied.status).toBe(401);
		expect(denied.json).toMatchObject({kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401});
		expect((await request(`${s.url}/api/v1/pods`, {headers: {authorization: 'Bearer wrong'}})).status).toBe(401);
		expect((await request(`${s.url}/api/v1/pods`, {headers: {authorization: 'Bearer s3cret'}})).status).toBe(200);
	});

	it('client-node loads simKubeconfig and talks to the sim through its own API client', async () => {
		const s = await sim({requireToken: 'tok-123'});
		const kc = new KubeConfig();
		kc.loadFromString(simKubeconfig(s.url, {token: 'tok-123', context: 'sim-ctx', namespace: 'shop'}));
		expect(kc.getCurrentContext()).toBe('sim-ctx');
		expect(kc.getCurrentCluster()?.server).toBe(s.url);
		expect(kc.getContextObject('sim-ctx')?.namespace).toBe('shop');
		const api = kc.makeApiClient(CoreV1Api);
		const pods = await api.listNamespacedPod({namespace: 'shop'});
		expect(pods.items.length).toBeGreaterThan(5);
		expect(pods.items.every((p) => p.metadata?.namespace === 'shop')).toBe(true);
		const cart = pods.items.find((p) => p.metadata?.name?.startsWith('cart-'));
		expect(cart?.spec?.containers[0]?.resources?.limits?.['memory']).toBe('512Mi');
		expect(s.requests.at(-1)?.path).toBe('/api/v1/namespaces/shop/pods');

		// Without a token.
		const open = await sim();
		const kc2 = new KubeConfig();
		kc2.loadFromString(open.kubeconfig());
		expect(kc2.getCurrentContext()).toBe('memtop-demo');
		const nodes = await kc2.makeApiClient(CoreV1Api).listNode();
		expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['cp-1', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5']);
	});
});
