/**
 * A real Prometheus against the real test cluster (issue 11): it scrapes kwok's kubelet resource
 * endpoints (the series cAdvisor and the kubelet expose, container_memory_working_set_bytes), and
 * is reached the way users reach one: through the API server's service proxy
 * (monitoring/prometheus-k8s:9090, a selector-less Service whose Endpoints is Prometheus on the
 * host side of the test network). memtop's backfill must agree with metrics.k8s.io for the same
 * pods; `--prometheus auto` finds the service; `recommend --window 7d` answers from it; Prometheus
 * stopping mid-session leaves a banner and live data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openSession, type Session} from '../../source/kube/session.js';
import {connectPrometheus} from '../../source/prom/connect.js';
import {startPromHistory} from '../../source/prom/history.js';
import {LongCharts} from '../../source/prom/long-window.js';
import {defaultLabels} from '../../source/prom/queries.js';
import {HistoryRing} from '../../source/store/history.js';
import {Store} from '../../source/store/store.js';
import {startPrometheus, type RunningPrometheus} from '../prometheus/harness.js';
import {type Cluster, kubectl, kubectlJson, patchStatus, startCluster, stopCluster} from './harness/cluster.js';
import {memtopMain} from './harness/memtop.js';
import {run} from './harness/run.js';
import {waitFor} from './harness/wait.js';

let c: Cluster;
let prom: RunningPrometheus;
let dir: string;
const sessions: Session[] = [];
const service = 'monitoring/prometheus-k8s:9090';

function clusterEnv(state: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of fs.readFileSync(path.join(state, 'cluster.env'), 'utf8').split('\n')) {
		const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
		if (m) out[m[1]!] = m[2]!;
	}

	return out;
}

async function promQuery(expr: string): Promise<Array<{metric: Record<string, string>; value: [number, string]}>> {
	const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
	return ((await res.json()) as {data: {result: Array<{metric: Record<string, string>; value: [number, string]}>}}).data.result;
}

async function memtop(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	return run(process.execPath, [memtopMain, ...args, '--kubeconfig', c.kubeconfig], {timeoutMs: 180_000});
}

beforeAll(async () => {
	c = await startCluster();
	const env = clusterEnv(c.state);
	const host = env['MEMTOP_CLUSTER_HOST_IP'] ?? '198.18.0.1';
	const kwokPort = env['MEMTOP_CLUSTER_KWOK_PORT'] ?? '26250';
	const nodes = (await kubectlJson<{items: Array<{metadata: {name: string}}>}>(c, ['get', 'nodes', '-l', 'type=kwok'])).items.map(n => n.metadata.name);
	const targets = nodes.map(n => `      - targets: ['${host}:${kwokPort}']\n        labels: {node: '${n}', __metrics_path__: '/metrics/nodes/${n}/metrics/resource'}`).join('\n');
	const config = `global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: kwok-resource\n    scheme: https\n    tls_config: {insecure_skip_verify: true}\n    static_configs:\n${targets}\n`;
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-prom-cluster-'));
	prom = await startPrometheus({storage: path.join(dir, 'data'), config, host});
	// The well-known service, with Prometheus as its endpoint: what the API server's proxy reaches.
	// The proxy takes an Endpoints address only with a targetRef to a pod that has that IP: a pod
	// on a node kwok does not manage, its status written by hand (apply: a reused cluster has them
	// from the last run, with another port).
	const objects = [
		{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'monitoring'}},
		{apiVersion: 'v1', kind: 'Pod', metadata: {name: 'prometheus-k8s-0', namespace: 'monitoring'}, spec: {nodeName: 'static-node-1', containers: [{name: 'prometheus', image: 'registry.invalid/prometheus:test'}]}},
		{apiVersion: 'v1', kind: 'Service', metadata: {name: 'prometheus-k8s', namespace: 'monitoring'}, spec: {ports: [{name: 'web', port: 9090, targetPort: prom.port}]}},
		{
			apiVersion: 'v1',
			kind: 'Endpoints',
			metadata: {name: 'prometheus-k8s', namespace: 'monitoring'},
			subsets: [{addresses: [{ip: host, targetRef: {kind: 'Pod', namespace: 'monitoring', name: 'prometheus-k8s-0'}}], ports: [{name: 'web', port: prom.port}]}],
		},
	];
	await kubectl(c, ['apply', '-f', '-'], JSON.stringify({apiVersion: 'v1', kind: 'List', items: objects}));
	await patchStatus(c, 'pod', 'prometheus-k8s-0', {status: {phase: 'Running', podIP: host, podIPs: [{ip: host}]}}, {namespace: 'monitoring'});
	// every load pod scraped a few times (kwok reports each container of each pod)
	await waitFor(
		'Prometheus to have 6 samples of every load pod',
		async () => {
			const r = await promQuery('count(count_over_time(container_memory_working_set_bytes{namespace=~"load-.*",container!=""}[5m]) >= 6)');
			return r.length > 0 && Number(r[0]!.value[1]) >= c.pods;
		},
		{timeoutMs: 180_000, intervalMs: 2000},
	);
}, 900_000);

afterAll(async () => {
	for (const s of sessions) await s.stop().catch(() => {});
	await prom?.stop();
	await stopCluster(c);
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
}, 180_000);

/** a value as the history ring holds it */
function quantized(v: number): number {
	const ring = new HistoryRing(2, 1);
	const s = ring.alloc();
	ring.tick(1);
	ring.set(s, v);
	return ring.read(s).values[0]!;
}

describe('memtop with Prometheus scraping the test cluster', () => {
	it('backfills through the service proxy, and the backfill agrees with metrics.k8s.io for every pod', async () => {
		const store = new Store({historySamples: 240, notifyIntervalMs: 0});
		const session = await openSession({kubeconfig: c.kubeconfig, metricsIntervalMs: 15_000, summary: false}, store);
		sessions.push(session);
		await session.ready;
		const h = startPromHistory({endpoint: {service}, labels: defaultLabels, stepMs: 15_000, kube: session.client, store, probeMs: 0});
		const r = await h.done;
		h.stop();
		expect(store.banners.get('prometheus')?.text).toContain(`history from Prometheus service ${service}`);
		const load = [...store.pods.values()].filter(p => p.namespace.startsWith('load-'));
		expect(load.length).toBe(c.pods);
		expect(r!.pods).toBeGreaterThanOrEqual(c.pods);
		let compared = 0;
		for (const p of load) {
			const live = store.workingSet(p.key);
			expect(live, `${p.key} has a live working set`).not.toBeNull();
			const {values} = store.history('pod', p.key);
			const past = values.slice(0, -1).filter(v => !Number.isNaN(v));
			expect(past.length, `${p.key} has backfilled samples`).toBeGreaterThan(0);
			// kwok's usage is steady: what Prometheus scraped is what metrics-server reports
			expect(past[past.length - 1], p.key).toBe(quantized(live!));
			compared++;
		}

		expect(compared).toBe(c.pods);
	});

	it('--prometheus auto finds the well-known service and says so; --once reports the backfilled history', async () => {
		const r = await memtop(['pods', '-n', 'load-0', '--once', '-o', 'json', '--prometheus', 'auto']);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stderr).toContain(`memtop: history from Prometheus service ${service} (auto: ${service} answered)`);
		const json = JSON.parse(r.stdout) as {warnings: string[]};
		expect(json.warnings.some(w => w.startsWith(`history from Prometheus service ${service}:`))).toBe(true);
	});

	it('recommend --window 7d answers from Prometheus, with the window and source stated', async () => {
		const r = await memtop(['recommend', '-n', 'load-0', '--prometheus-service', service, '--window', '7d', '-o', 'json']);
		expect(r.code, r.stderr).toBe(0);
		const json = JSON.parse(r.stdout) as {windowMs: number; source: string; items: Array<{samples: number; steadyBytes: number | null; recommendedRequestBytes: number | null; krrSimpleBytes: number | null}>};
		expect(json).toMatchObject({windowMs: 7 * 86_400_000, source: `Prometheus service ${service}`});
		expect(json.items.length).toBeGreaterThan(0);
		for (const i of json.items) {
			expect(i.samples).toBeGreaterThanOrEqual(6);
			expect(i.recommendedRequestBytes).toBeGreaterThan(0);
		}
	});

	it('charts 7 days of one pod on demand through the service proxy: what kwok reports', async () => {
		const store = new Store({historySamples: 240, notifyIntervalMs: 0});
		const session = await openSession({kubeconfig: c.kubeconfig, namespace: 'load-2', metricsIntervalMs: 15_000, summary: false}, store);
		sessions.push(session);
		await session.ready;
		const p = [...store.pods.values()][0]!;
		const conn = (await connectPrometheus({service}, session.client))!;
		const long = new LongCharts(() => conn.client, defaultLabels, () => {});
		const subject = {kind: 'pod' as const, namespace: p.namespace, name: p.name, container: null};
		long.get(subject, 7 * 86_400_000);
		await long.settled();
		const chart = long.get(subject, 7 * 86_400_000);
		expect(chart.status, chart.note).toBe('ok');
		expect(chart.series.map(s => s.name).sort()).toEqual(p.containers.map(x => x.name).sort());
		for (const s of chart.series) {
			const live = store.containerWorkingSet(p.key, s.name) ?? store.workingSet(p.key);
			expect(s.values[s.values.length - 1], `${p.key}/${s.name}`).toBe(Math.fround(live!));
		}

		expect(chart.ooms).toEqual([]);
	});

	it('Prometheus stopping mid-session: a banner names the cause, live data goes on', async () => {
		const store = new Store({historySamples: 240, notifyIntervalMs: 0});
		const session = await openSession({kubeconfig: c.kubeconfig, namespace: 'load-1', metricsIntervalMs: 15_000, summary: false}, store);
		sessions.push(session);
		await session.ready;
		const h = startPromHistory({endpoint: {service}, labels: defaultLabels, stepMs: 15_000, kube: session.client, store, probeMs: 500});
		await h.done;
		expect(store.banners.get('prometheus')?.level).toBe('info');
		await prom.stop();
		const banner = await waitFor('the Prometheus banner to turn into a warning', () => (store.banners.get('prometheus')?.level === 'warn' ? store.banners.get('prometheus')!.text : false), {timeoutMs: 30_000});
		expect(banner).toMatch(new RegExp(`^Prometheus service ${service} .*; live data only$`));
		h.stop();
		const before = store.metricsVersion;
		await session.pollMetrics();
		expect(store.metricsVersion).toBeGreaterThan(before);
		expect([...store.pods.values()].every(p => store.workingSet(p.key) !== null)).toBe(true);
	});
});
