/**
 * End-to-end: memtop's own CLI and kube layer against a real control plane (etcd,
 * kube-apiserver, kube-controller-manager, kwok, metrics-server) started by scripts/up.sh.
 * One file so the cluster starts once; the cases run in order and the audit check runs last.
 * Every wait polls a condition with a deadline.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadKubeTarget} from '../../source/kube/config.js';
import {podFromObject} from '../../source/kube/convert.js';
import {ApiClient} from '../../source/kube/http.js';
import {podFromProto} from '../../source/kube/protobuf/pod.js';
import {openSession, type Session} from '../../source/kube/session.js';
import {Store} from '../../source/store/store.js';
import {readAudit} from './harness/audit.js';
import {
	MI,
	type Cluster,
	apiserverReady,
	create,
	ctl,
	fixturesDir,
	getRaw,
	kubectl,
	kubectlJson,
	makeUser,
	patchStatus,
	resetReusedCluster,
	startCluster,
	stopCluster,
} from './harness/cluster.js';
import {memtopJson, memtopOnce} from './harness/memtop.js';
import {quantityBytes} from './harness/quantity.js';
import {startSummaryServer, type SummaryServer} from './harness/summary-server.js';
import {waitFor} from './harness/wait.js';

let c: Cluster;
const sessions: Session[] = [];
let summaryServer: SummaryServer | undefined;
const suiteStarted = Date.now();

beforeAll(async () => {
	c = await startCluster();
	if (!c.ownedByUs) await resetReusedCluster(c);
	process.stderr.write(`[cluster] ${c.ownedByUs ? 'started' : 'reusing'} ${c.kubeconfig}: ${c.nodes} kwok nodes, ${c.pods} pods` + (c.startSeconds === null ? '\n' : `, start took ${c.startSeconds}s\n`));
}, 900_000);

afterAll(async () => {
	for (const s of sessions) await s.stop().catch(() => {});
	await summaryServer?.close();
	await stopCluster(c);
	process.stderr.write(`[cluster] suite took ${Math.round((Date.now() - suiteStarted) / 1000)}s including cluster start\n`);
}, 180_000);

// ------------------------------------------------------------------ helpers

const ns = (name: string) => ({apiVersion: 'v1', kind: 'Namespace', metadata: {name, labels: {'memtop-test': 'e2e'}}});

function pod(namespace: string, name: string, node: string, opts: {memory?: string; containers?: Array<{name: string; request?: number; limit?: number}>; labels?: Record<string, string>} = {}) {
	const containers = opts.containers ?? [{name: 'app', request: 256 * MI, limit: 1024 * MI}];
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			namespace,
			name,
			labels: {'memtop-test': 'e2e', ...opts.labels},
			annotations: opts.memory ? {'kwok.x-k8s.io/usage-memory': opts.memory} : {},
		},
		spec: {
			nodeName: node,
			automountServiceAccountToken: false,
			terminationGracePeriodSeconds: 0,
			containers: containers.map(k => ({
				name: k.name,
				image: 'registry.invalid/memtop/e2e:1',
				resources: {
					...(k.request === undefined ? {} : {requests: {memory: String(k.request)}}),
					...(k.limit === undefined ? {} : {limits: {memory: String(k.limit)}}),
				},
			})),
		},
	};
}

async function podPhase(namespace: string, name: string): Promise<string> {
	return (await kubectl(c, ['get', 'pod', name, '-n', namespace, '-o', 'jsonpath={.status.phase}'])).trim();
}

async function waitRunning(namespace: string, ...names: string[]): Promise<void> {
	for (const name of names) await waitFor(`${namespace}/${name} Running`, async () => (await podPhase(namespace, name)) === 'Running', {timeoutMs: 60_000});
}

/** per-pod working set from the raw metrics API, plus each item's timestamp */
async function rawPodMetrics(path: string): Promise<Map<string, {bytes: number; timestamp: string; containers: Map<string, number>}>> {
	const list = await getRaw(c, path);
	const out = new Map<string, {bytes: number; timestamp: string; containers: Map<string, number>}>();
	for (const item of list.items as any[]) {
		const containers = new Map<string, number>();
		let bytes = 0;
		for (const k of item.containers as any[]) {
			const b = quantityBytes(k.usage.memory);
			containers.set(k.name, b);
			bytes += b;
		}

		out.set(`${item.metadata.namespace}/${item.metadata.name}`, {bytes, timestamp: item.timestamp, containers});
	}

	return out;
}

async function podMetricBytes(namespace: string, name: string): Promise<number | undefined> {
	const m = await rawPodMetrics(`/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`);
	return m.get(`${namespace}/${name}`)?.bytes;
}

async function session(options: Parameters<typeof openSession>[0]): Promise<{store: Store; session: Session}> {
	const store = new Store({notifyIntervalMs: 0});
	const s = await openSession(options, store);
	sessions.push(s);
	await s.ready;
	return {store, session: s};
}

async function stopSession(s: Session): Promise<void> {
	const i = sessions.indexOf(s);
	if (i >= 0) sessions.splice(i, 1);
	await s.stop();
}

const podItem = (list: any, namespace: string, name: string) => (list.items as any[]).find(p => p.namespace === namespace && p.name === name);
const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

// ------------------------------------------------------------------ cases

describe('pods, nodes and memory through the real metrics pipeline', () => {
	it('shows pods and nodes created through the API', async () => {
		await create(c, ns('e2e-basic'));
		await waitFor('default service account in e2e-basic', async () => (await kubectl(c, ['get', 'sa', 'default', '-n', 'e2e-basic', '-o', 'name'])).trim() !== '');
		await create(
			c,
			pod('e2e-basic', 'mem-a', 'kwok-node-1', {memory: '300Mi'}),
			pod('e2e-basic', 'mem-b', 'kwok-node-1', {memory: '200Mi', containers: [{name: 'app', request: 128 * MI, limit: 512 * MI}, {name: 'sidecar', request: 64 * MI, limit: 128 * MI}]}),
		);
		await waitRunning('e2e-basic', 'mem-a', 'mem-b');

		const pods = await memtopJson(c, ['pods', '-n', 'e2e-basic']);
		expect(pods.kind).toBe('PodList');
		expect((pods.items as any[]).map(p => p.name).sort()).toEqual(['mem-a', 'mem-b']);
		const a = podItem(pods, 'e2e-basic', 'mem-a');
		expect(a).toMatchObject({node: 'kwok-node-1', phase: 'Running', qos: 'Burstable', requestBytes: 256 * MI, limitBytes: 1024 * MI});
		const b = podItem(pods, 'e2e-basic', 'mem-b');
		expect(b.requestBytes).toBe(192 * MI);
		expect(b.limitBytes).toBe(640 * MI);
		expect((b.containers as any[]).map(k => k.name)).toEqual(['app', 'sidecar']);

		const nodes = await memtopJson(c, ['nodes']);
		const names = new Set((nodes.items as any[]).map(n => n.name));
		for (let i = 0; i < c.nodes; i++) expect(names.has(`kwok-node-${i}`)).toBe(true);
		for (let i = 0; i < c.staticNodes; i++) expect(names.has(`static-node-${i}`)).toBe(true);
		const k0 = (nodes.items as any[]).find(n => n.name === 'kwok-node-0');
		const real = await kubectlJson(c, ['get', 'node', 'kwok-node-0']);
		expect(k0.capacityBytes).toBe(quantityBytes(real.status.capacity.memory));
		expect(k0.allocatableBytes).toBe(quantityBytes(real.status.allocatable.memory));
		expect(k0.pods).toBeGreaterThan(0);
	});

	it('lists every pod of the cluster with -A, the same set as kubectl', async () => {
		const [mine, theirs] = await Promise.all([memtopJson(c, ['pods', '-A', '--no-summary']), kubectlJson(c, ['get', 'pods', '-A'])]);
		const a = new Set((mine.items as any[]).map(p => `${p.namespace}/${p.name}`));
		const b = new Set((theirs.items as any[]).map(p => `${p.metadata.namespace}/${p.metadata.name}`));
		expect(a.size).toBeGreaterThan(0);
		expect([...a].filter(k => k.startsWith('load-')).length).toBe([...b].filter(k => k.startsWith('load-')).length);
		expect([...a].sort()).toEqual([...b].sort());
	});

	it('reports memory set through the kwok usage annotation, as metrics.k8s.io serves it', async () => {
		await waitFor('metrics for mem-a = 300Mi', async () => (await podMetricBytes('e2e-basic', 'mem-a')) === 300 * MI, {timeoutMs: 120_000});
		await kubectl(c, ['annotate', '--overwrite', 'pod', 'mem-a', '-n', 'e2e-basic', 'kwok.x-k8s.io/usage-memory=700Mi']);
		await waitFor('metrics for mem-a = 700Mi', async () => (await podMetricBytes('e2e-basic', 'mem-a')) === 700 * MI, {timeoutMs: 120_000});

		const raw = await rawPodMetrics('/apis/metrics.k8s.io/v1beta1/namespaces/e2e-basic/pods');
		const pods = await memtopJson(c, ['pods', '-n', 'e2e-basic']);
		expect(pods.metricsApi).toMatch(/^metrics\.k8s\.io\/v1(beta1)?$/);
		const a = podItem(pods, 'e2e-basic', 'mem-a');
		expect(a.workingSetBytes).toBe(700 * MI);
		expect(a.containers[0].workingSetBytes).toBe(700 * MI);
		expect(a.percentOfLimit).toBeCloseTo((700 / 1024) * 100, 1);
		expect(a.percentOfRequest).toBeCloseTo((700 / 256) * 100, 1);
		const b = podItem(pods, 'e2e-basic', 'mem-b');
		const rb = raw.get('e2e-basic/mem-b')!;
		expect(b.workingSetBytes).toBe(rb.bytes);
		for (const k of b.containers as any[]) expect(k.workingSetBytes).toBe(rb.containers.get(k.name));
	});

	it('per-pod working set equals kubectl top pods in the same metrics window', async () => {
		const namespace = 'load-0';
		let compared = 0;
		await waitFor(
			'one metrics window seen by memtop, kubectl top and the metrics API alike',
			async () => {
				const before = await rawPodMetrics(`/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`);
				const mine = await memtopJson(c, ['pods', '-n', namespace, '--no-summary']);
				const top = await kubectl(c, ['top', 'pods', '-n', namespace, '--no-headers']);
				const after = await rawPodMetrics(`/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`);
				const sameWindow = before.size === after.size && [...before].every(([k, v]) => after.get(k)?.timestamp === v.timestamp);
				if (!sameWindow) return false; // metrics-server scraped in between: read again
				const topMi = new Map<string, number>();
				for (const line of top.trim().split('\n')) {
					const [name, , mem] = line.trim().split(/\s+/);
					topMi.set(name!, Number(/^(\d+)Mi$/.exec(mem!)![1]));
				}

				expect(topMi.size).toBeGreaterThan(0);
				expect(topMi.size).toBe(before.size);
				for (const [name, mi] of topMi) {
					const p = podItem(mine, namespace, name);
					expect(p, `memtop lists ${name}`).toBeDefined();
					expect(p.workingSetBytes).toBe(before.get(`${namespace}/${name}`)!.bytes);
					expect(Math.floor(p.workingSetBytes / MI)).toBe(mi);
					compared++;
				}

				return true;
			},
			{timeoutMs: 120_000, intervalMs: 500},
		);
		expect(compared).toBeGreaterThan(0);
	});
});

describe('OOM kills, evictions and memory events reach the feed', () => {
	it('an OOMKilled restart patched into pod status reaches the live feed and --once', async () => {
		await create(c, ns('e2e-events'));
		await waitFor('default service account in e2e-events', async () => (await kubectl(c, ['get', 'sa', 'default', '-n', 'e2e-events', '-o', 'name'])).trim() !== '');
		await create(c, pod('e2e-events', 'oom-victim', 'kwok-node-2', {memory: '500Mi', containers: [{name: 'app', request: 256 * MI, limit: 512 * MI}, {name: 'helper', request: 32 * MI, limit: 64 * MI}]}));
		await waitRunning('e2e-events', 'oom-victim');
		const {store} = await session({kubeconfig: c.kubeconfig, namespace: 'e2e-events', metricsIntervalMs: 5000, summary: false});
		await waitFor('memtop sees oom-victim Running', () => store.pods.get('e2e-events/oom-victim')?.phase === 'Running');

		const current = await kubectlJson(c, ['get', 'pod', 'oom-victim', '-n', 'e2e-events']);
		const started = new Date(Date.now() - 60_000);
		const finished = new Date(Date.now() - 2000);
		const restartedAt = new Date(Date.now() - 1000);
		const statuses = (current.status.containerStatuses as any[]).map(s =>
			s.name === 'app'
				? {
						...s,
						restartCount: s.restartCount + 1,
						state: {running: {startedAt: iso(restartedAt)}},
						lastState: {terminated: {exitCode: 137, reason: 'OOMKilled', startedAt: iso(started), finishedAt: iso(finished), containerID: s.containerID}},
					}
				: s,
		);
		await patchStatus(c, 'pod', 'oom-victim', {status: {containerStatuses: statuses}}, {namespace: 'e2e-events'});

		const entry = await waitFor('an OOMKilled feed entry for oom-victim/app', () =>
			store.feed.entries().find(e => e.kind === 'OOMKilled' && e.pod === 'oom-victim' && e.container === 'app'),
		);
		expect(entry.namespace).toBe('e2e-events');
		expect(entry.exitCode).toBe(137);
		expect(entry.time).toBe(Date.parse(iso(finished)));
		expect(entry.count).toBeGreaterThanOrEqual(1);
		expect(entry.node).toBe('kwok-node-2');
		expect(store.pods.get('e2e-events/oom-victim')?.restarts).toBe(1);

		const once = await memtopJson(c, ['events', '-n', 'e2e-events']);
		const fromOnce = (once.items as any[]).find(e => e.kind === 'OOMKilled' && e.pod === 'oom-victim' && e.container === 'app');
		expect(fromOnce).toMatchObject({namespace: 'e2e-events', exitCode: 137});
		expect(Date.parse(fromOnce.time)).toBe(Date.parse(iso(finished)));
		const pods = await memtopJson(c, ['pods', '-n', 'e2e-events']);
		const app = (podItem(pods, 'e2e-events', 'oom-victim').containers as any[]).find(k => k.name === 'app');
		expect(app.restarts).toBe(1);
		expect(app.lastTermination).toEqual({reason: 'OOMKilled', exitCode: 137, finishedAt: new Date(Date.parse(iso(finished))).toISOString()});
	});

	it('an evicted pod and the kubelet / node-problem-detector memory Events reach the feed', async () => {
		await create(c, pod('e2e-events', 'evict-victim', 'kwok-node-2', {memory: '900Mi', containers: [{name: 'app', request: 128 * MI}]}));
		await waitRunning('e2e-events', 'evict-victim');
		const now = new Date();
		// The kubelet's formats (pkg/kubelet/eviction/helpers.go): node-low + threshold + offending container.
		const evictMessage = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 92160Ki. Container app was using 921600Ki, request is 128Mi, has larger consumption of memory. ';
		const current = await kubectlJson(c, ['get', 'pod', 'evict-victim', '-n', 'e2e-events']);
		await patchStatus(
			c,
			'pod',
			'evict-victim',
			{
				status: {
					phase: 'Failed',
					reason: 'Evicted',
					message: evictMessage,
					conditions: [
						{type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: evictMessage, lastTransitionTime: iso(now)},
						{type: 'Ready', status: 'False', reason: 'PodFailed', lastTransitionTime: iso(now)},
					],
					containerStatuses: (current.status.containerStatuses as any[]).map(s => ({
						...s,
						ready: false,
						started: false,
						state: {terminated: {exitCode: 137, reason: 'Error', startedAt: s.state?.running?.startedAt ?? iso(now), finishedAt: iso(now)}},
					})),
				},
			},
			{namespace: 'e2e-events'},
		);

		const rule = (JSON.parse(readFileSync(join(fixturesDir, 'node-problem-detector-kernel-monitor-config.oomkilling-rule.json'), 'utf8')).rules as any[]).find(r => r.reason === 'OOMKilling');
		// pids differ per run: a reused cluster keeps the previous run's node Events
		const npdPid = 20_000 + (Date.now() % 20_000);
		const kubeletPid = npdPid + 20_000;
		const oomKillingMessage = `Killed process ${npdPid} (stress) total-vm:1587832kB, anon-rss:1048740kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:2112kB oom_score_adj:1000`;
		expect(oomKillingMessage).toMatch(new RegExp(rule.pattern)); // the message NPD would emit for this kernel line
		const stamp = Date.now().toString(36);
		const event = (name: string, namespace: string, involved: object, reason: string, message: string, component: string, host: string, annotations: Record<string, string> = {}) => ({
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name: `${name}.${stamp}`, namespace, annotations},
			involvedObject: involved,
			reason,
			message,
			type: 'Warning',
			source: {component, host},
			firstTimestamp: iso(now),
			lastTimestamp: iso(now),
			count: 1,
			reportingComponent: component,
			reportingInstance: host,
		});
		const nodeRef = (node: string) => ({kind: 'Node', name: node, uid: node, apiVersion: 'v1'});
		await create(
			c,
			event('evict-victim.e2e1', 'e2e-events', {kind: 'Pod', namespace: 'e2e-events', name: 'evict-victim', uid: current.metadata.uid, apiVersion: 'v1'}, 'Evicted', evictMessage, 'kubelet', 'kwok-node-2', {
				offending_containers: 'app',
				offending_containers_usage: '921600Ki',
				starved_resource: 'memory',
			}),
			event('kwok-node-2.e2e1', 'default', nodeRef('kwok-node-2'), 'EvictionThresholdMet', 'Attempting to reclaim memory', 'kubelet', 'kwok-node-2'),
			// a different incident than the NPD line below (memtop folds a SystemOOM and an OOMKilling of the same pid)
			event('static-node-0.e2e1', 'default', nodeRef('static-node-0'), 'SystemOOM', `System OOM encountered, victim process: java, pid: ${kubeletPid}`, 'kubelet', 'static-node-0'),
			event('static-node-0.e2e2', 'default', nodeRef('static-node-0'), 'OOMKilling', oomKillingMessage, 'kernel-monitor', 'static-node-0'),
		);

		const feed = await waitFor('all memory incidents in memtop events -A', async () => {
			const f = await memtopJson(c, ['events', '-A', '--no-summary']);
			const items = f.items as any[];
			const seen = [
				items.some(e => e.kind === 'Evicted' && e.pod === 'evict-victim'),
				items.some(e => e.kind === 'EvictionThresholdMet' && e.node === 'kwok-node-2'),
				items.some(e => e.kind === 'SystemOOM' && e.message.includes(`pid: ${kubeletPid}`)),
				items.some(e => e.kind === 'OOMKilling' && e.message.includes(`Killed process ${npdPid} `)),
			];
			return seen.every(Boolean) ? f : false;
		});
		const items = feed.items as any[];
		const evicted = items.filter(e => e.kind === 'Evicted' && e.pod === 'evict-victim');
		expect(evicted.length).toBeGreaterThanOrEqual(1);
		expect(evicted[0]).toMatchObject({namespace: 'e2e-events'});
		expect(evicted[0].message).toContain('The node was low on resource: memory.');
		expect(items.find(e => e.kind === 'EvictionThresholdMet')).toMatchObject({node: 'kwok-node-2', message: 'Attempting to reclaim memory'});
		expect(items.find(e => e.kind === 'SystemOOM' && e.message.includes(`pid: ${kubeletPid}`))).toMatchObject({node: 'static-node-0', message: `System OOM encountered, victim process: java, pid: ${kubeletPid}`});
		const npd = items.find(e => e.kind === 'OOMKilling' && e.message.includes(`Killed process ${npdPid} `));
		expect(npd.node).toBe('static-node-0');
		expect(npd.message).toMatch(new RegExp(rule.pattern));

		const pods = await memtopJson(c, ['pods', '-n', 'e2e-events']);
		expect(podItem(pods, 'e2e-events', 'evict-victim')).toMatchObject({phase: 'Failed', reason: 'Evicted'});
	});
});

describe('nodes: memory pressure and the Summary API', () => {
	it('flags a node with MemoryPressure=True', async () => {
		const now = iso(new Date());
		await patchStatus(
			c,
			'node',
			'static-node-0',
			{status: {conditions: [{type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', lastHeartbeatTime: now, lastTransitionTime: now}]}},
			{type: 'strategic'},
		);
		const nodes = await memtopJson(c, ['nodes', '--no-summary']);
		const byName = new Map((nodes.items as any[]).map(n => [n.name, n]));
		expect(byName.get('static-node-0').memoryPressure).toBe(true);
		expect(byName.get('static-node-1').memoryPressure).toBe(false);
		expect(byName.get('kwok-node-0').memoryPressure).toBe(false);
	});

	it('a kwok node answers the Summary API with 404: columns say unavailable, nothing crashes', async () => {
		const r = await memtopOnce(c, ['nodes']);
		expect(r.code, r.stderr).toBe(0);
		const k0 = (r.json.items as any[]).find(n => n.name === 'kwok-node-0');
		expect(k0.summary).toMatch(/^unavailable: /);
		expect(k0.availableBytes).toBeNull();
		expect(typeof k0.workingSetBytes).toBe('number');
	});

	it('a node whose kubelet serves the real /stats/summary capture gives RSS and usage', async () => {
		summaryServer = await startSummaryServer({
			netns: c.netns,
			ip: c.nodeIP,
			pkiDir: join(c.state, 'pki'),
			summaryFile: join(fixturesDir, 'kubelet-stats-summary.k8s-v1.35.0.nri-kubernetes.json'),
		});
		const summary = JSON.parse(readFileSync(join(fixturesDir, 'kubelet-stats-summary.k8s-v1.35.0.nri-kubernetes.json'), 'utf8'));
		const node = summary.node.nodeName as string; // datagen-1-35: pods below are the capture's own
		const now = iso(new Date());
		await create(c, {
			apiVersion: 'v1',
			kind: 'Node',
			metadata: {name: node, labels: {type: 'summary', 'memtop-test': 'e2e'}},
			spec: {},
			status: {
				capacity: {cpu: '4', memory: '8Gi', pods: '110'},
				allocatable: {cpu: '4', memory: '7Gi', pods: '110'},
				addresses: [{type: 'InternalIP', address: c.nodeIP}],
				daemonEndpoints: {kubeletEndpoint: {Port: summaryServer.port}},
				conditions: [{type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now}],
			},
		});
		// the Node may be stored without its status: make sure the endpoint is there
		await patchStatus(c, 'node', node, {status: {addresses: [{type: 'InternalIP', address: c.nodeIP}], daemonEndpoints: {kubeletEndpoint: {Port: summaryServer.port}}}});
		const viaProxy = await getRaw(c, `/api/v1/nodes/${node}/proxy/stats/summary`);
		expect(viaProxy.node.nodeName).toBe(node);

		const picked = (summary.pods as any[]).filter(p => p.podRef.namespace === 'scraper').slice(0, 3);
		await create(c, ns('scraper'));
		await waitFor('default service account in scraper', async () => (await kubectl(c, ['get', 'sa', 'default', '-n', 'scraper', '-o', 'name'])).trim() !== '');
		await create(c, ...picked.map(p => pod('scraper', p.podRef.name, node, {containers: (p.containers as any[]).map(k => ({name: k.name}))})));

		const nodes = await memtopJson(c, ['nodes']);
		const n = (nodes.items as any[]).find(x => x.name === node);
		expect(n.summary).toBe('ok');
		expect(n.availableBytes).toBe(summary.node.memory.availableBytes);
		// memory PSI as the 1.35 kubelet sent it, through the API server's node proxy
		expect(n.psi).toEqual(summary.node.memory.psi);

		const pods = await memtopJson(c, ['pods', '-n', 'scraper']);
		for (const p of picked) {
			const item = podItem(pods, 'scraper', p.podRef.name);
			expect(item, p.podRef.name).toBeDefined();
			for (const k of p.containers as any[]) {
				const got = (item.containers as any[]).find(x => x.name === k.name);
				expect(got.rssBytes).toBe(k.memory.rssBytes);
				expect(got.usageBytes).toBe(k.memory.usageBytes);
				expect(got.psi).toEqual(k.memory.psi);
				expect(got.cacheBytes).toBe(k.memory.usageBytes - k.memory.rssBytes);
			}
		}

		expect(summaryServer.requests.some(r => r.startsWith('GET /stats/summary'))).toBe(true);
	});
});

describe('pod lists in protobuf', () => {
	it('the door makes the same record of every pod from the protobuf and the JSON list', async () => {
		const client = new ApiClient(loadKubeTarget({kubeconfig: c.kubeconfig}));
		try {
			// the same resourceVersion for both, so both are the same objects
			const rv = String((await client.getList('/api/v1/pods', {limit: 1}, () => {})).metadata.resourceVersion);
			const list = async (protobuf: boolean) => {
				const records = new Map<string, unknown>();
				let items = 0;
				let cont: string | undefined;
				do {
					const page = await client.getList('/api/v1/pods', {limit: 2000, resourceVersion: cont ? undefined : rv, resourceVersionMatch: cont ? undefined : 'Exact', continue: cont}, raw => {
						items++;
						const r = podFromObject(raw);
						if (r) records.set(r.key, r);
					}, protobuf ? {protobuf: podFromProto} : {});
					cont = page.metadata.continue || undefined;
				} while (cont);
				return {records, items};
			};

			const [proto, json] = [await list(true), await list(false)];
			expect(proto.items).toBe(json.items);
			expect(proto.records.size).toBe(json.items);
			expect(proto.records.size).toBeGreaterThan(100);
			expect([...proto.records.entries()].sort()).toEqual([...json.records.entries()].sort());
			// the suite's pods above include an OOM kill in lastState and several containers
			expect([...proto.records.values()].some((r: any) => r.containers.some((k: any) => k.lastTermination?.reason === 'OOMKilled'))).toBe(true);
		} finally {
			client.close();
		}
	});
});

describe('a user with only a namespaced Role', () => {
	let userKubeconfig = '';

	beforeAll(async () => {
		await create(c, ns('e2e-rbac'));
		await waitFor('default service account in e2e-rbac', async () => (await kubectl(c, ['get', 'sa', 'default', '-n', 'e2e-rbac', '-o', 'name'])).trim() !== '');
		await create(
			c,
			pod('e2e-rbac', 'team-a', 'kwok-node-3', {memory: '150Mi'}),
			pod('e2e-rbac', 'team-b', 'kwok-node-3', {memory: '250Mi'}),
			{
				apiVersion: 'rbac.authorization.k8s.io/v1',
				kind: 'Role',
				metadata: {namespace: 'e2e-rbac', name: 'memtop-viewer'},
				rules: [
					{apiGroups: [''], resources: ['pods', 'events'], verbs: ['get', 'list', 'watch']},
					{apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list']},
				],
			},
			{
				apiVersion: 'rbac.authorization.k8s.io/v1',
				kind: 'RoleBinding',
				metadata: {namespace: 'e2e-rbac', name: 'memtop-viewer'},
				roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'memtop-viewer'},
				subjects: [{apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'memtop-viewer'}],
			},
		);
		await waitRunning('e2e-rbac', 'team-a', 'team-b');
		await waitFor('metrics for the e2e-rbac pods', async () => (await podMetricBytes('e2e-rbac', 'team-b')) === 250 * MI, {timeoutMs: 120_000});
		userKubeconfig = await makeUser(c, 'memtop-viewer');
	}, 300_000);

	it('sees its namespace with working sets, and is told it cannot see nodes', async () => {
		const pods = await memtopJson(c, ['pods', '-n', 'e2e-rbac'], userKubeconfig);
		expect((pods.items as any[]).map(p => p.name).sort()).toEqual(['team-a', 'team-b']);
		expect(podItem(pods, 'e2e-rbac', 'team-b').workingSetBytes).toBe(250 * MI);
		expect((pods.warnings as string[]).some(w => /nodes/i.test(w) && /forbidden|cannot/i.test(w))).toBe(true);
	});

	it('is told that cluster-wide pods are forbidden', async () => {
		const r = await memtopOnce(c, ['pods', '-A'], userKubeconfig);
		expect(r.code).not.toBe(0);
		expect(r.stderr).toMatch(/forbidden/i);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('is told that the nodes view is unavailable', async () => {
		const r = await memtopOnce(c, ['nodes', '-n', 'e2e-rbac'], userKubeconfig);
		const said = r.code === 0 ? ((r.json?.warnings ?? []) as string[]).join('\n') : r.stderr;
		expect(said).toMatch(/nodes/i);
		expect(said).toMatch(/forbidden|cannot/i);
	});
});

describe('outages', () => {
	it('recovers by itself within 10 s after kube-apiserver is killed and restarted, with no ghost or missing pods', async () => {
		const {store} = await session({kubeconfig: c.kubeconfig, allNamespaces: true, metricsIntervalMs: 10_000, summary: false});
		const fresh = async () => new Set(((await kubectlJson(c, ['get', 'pods', '-A'])).items as any[]).map(p => `${p.metadata.namespace}/${p.metadata.name}`));
		const same = (a: Set<string>, b: Iterable<string>) => {
			const bb = new Set(b);
			return a.size === bb.size && [...a].every(k => bb.has(k));
		};
		expect(same(await fresh(), store.pods.keys())).toBe(true);

		await ctl(c, 'kill', 'kube-apiserver');
		await waitFor('memtop notices the outage', () => [...store.banners.values()].some(b => /pods/.test(b.text)) || store.sync.pods !== 'synced', {timeoutMs: 60_000});
		await ctl(c, 'start', 'kube-apiserver');
		await waitFor('kube-apiserver ready again', () => apiserverReady(c), {timeoutMs: 120_000, intervalMs: 100});
		const back = Date.now();

		// Change the pod set right as the server returns: memtop must catch up by itself.
		const gone = [...store.pods.values()].filter(p => p.namespace === 'load-0').slice(0, 3).map(p => p.name);
		expect(gone).toHaveLength(3);
		await kubectl(c, ['delete', 'pod', '-n', 'load-0', ...gone, '--wait=false']);
		await create(c, pod('e2e-basic', 'after-restart', 'kwok-node-4', {memory: '64Mi'}));

		await waitFor(
			'memtop pod set equal to a fresh list',
			async () => {
				const f = await fresh();
				return gone.every(n => !f.has(`load-0/${n}`)) && f.has('e2e-basic/after-restart') && same(f, store.pods.keys());
			},
			{timeoutMs: Math.max(1000, back + 10_000 - Date.now()), intervalMs: 200},
		);
		process.stderr.write(`[cluster] memtop's pod set matched a fresh list ${Date.now() - back} ms after kube-apiserver was ready again\n`);
		expect(store.sync.pods).toBe('synced');
	});

	it('metrics-server stopped: a banner, the tables keep working, metrics resume', async () => {
		const {store} = await session({kubeconfig: c.kubeconfig, namespace: 'e2e-basic', metricsIntervalMs: 2000, summary: false});
		expect(store.workingSet('e2e-basic/mem-a')).toBe(700 * MI);
		const metricsBanner = () => [...store.banners.values()].find(b => /metric/i.test(b.text));
		expect(metricsBanner()).toBeUndefined();

		await ctl(c, 'stop', 'metrics-server');
		try {
			await waitFor('a metrics banner', () => metricsBanner(), {timeoutMs: 60_000});
			await create(c, pod('e2e-basic', 'during-outage', 'kwok-node-4', {memory: '96Mi'}));
			await waitFor('the new pod in the table during the outage', () => store.pods.get('e2e-basic/during-outage')?.phase === 'Running', {timeoutMs: 60_000});
			const once = await memtopOnce(c, ['pods', '-n', 'e2e-basic']);
			// --once without metrics: either a warning with rows, or a one-line error: never a crash
			if (once.code === 0) {
				expect(podItem(once.json, 'e2e-basic', 'during-outage')).toBeDefined();
				expect((once.json.warnings as string[]).some(w => /metric/i.test(w))).toBe(true);
			} else {
				expect(once.stderr.trim().split('\n')).toHaveLength(1);
			}
		} finally {
			await ctl(c, 'start', 'metrics-server');
		}

		await waitFor('metrics resume (banner gone, new pod measured)', () => !metricsBanner() && store.workingSet('e2e-basic/during-outage') === 96 * MI, {timeoutMs: 180_000, intervalMs: 500});
		expect(store.workingSet('e2e-basic/mem-a')).toBe(700 * MI);
	});
});

describe('read-only', () => {
	it('the audit log shows memtop issued only get, list and watch', async () => {
		for (const s of [...sessions]) await stopSession(s);
		const events = readAudit(c.auditLog).filter(e => e.userAgent.startsWith('memtop/'));
		expect(events.length).toBeGreaterThan(0);
		const verbs = new Set(events.map(e => e.verb));
		expect([...verbs].filter(v => !['get', 'list', 'watch'].includes(v))).toEqual([]);
		expect(verbs.has('list')).toBe(true);
		expect(verbs.has('watch')).toBe(true);
		// both identities used memtop: the admin and the Role-only user
		const users = new Set(events.map(e => e.user));
		expect(users.has('memtop-admin')).toBe(true);
		expect(users.has('memtop-viewer')).toBe(true);
		// the harness's own kubectl writes are in the same log: the user agent is what separates them
		expect(readAudit(c.auditLog).some(e => e.userAgent.startsWith('kubectl') && e.verb === 'create')).toBe(true);
	});
});
