/**
 * Hostile servers at the door: malformed items, strings that differ only in what a terminal hides,
 * absurd quantities, and answers that are not what they claim. One bad item never costs the list;
 * what was left out is said once; every message is one line.
 */
import {describe, expect, it} from 'vitest';
import {controlBytes, fakeApi, list, podMetrics, rawNode, rawPod, runCli, type CliRun} from './harness.js';

const Mi = 2 ** 20;

function json(r: CliRun): any {
	return JSON.parse(r.stdout.toString());
}

/** exit code, stderr and the check every case makes */
function clean(r: CliRun, code = 0, stderr = ''): void {
	expect(r.stderr.toString()).toBe(stderr);
	expect(r.code).toBe(code);
	expect(controlBytes(r.stdout)).toEqual([]);
	expect(controlBytes(r.stderr)).toEqual([]);
}

const good = [rawPod('web-1'), rawPod('web-2')];
const workingSets = (out: any) => out.items.map((p: any) => [p.name, p.workingSetBytes, p.requestBytes, p.limitBytes]);
const goodRows = [
	['web-1', 150 * Mi, 100 * Mi, 200 * Mi],
	['web-2', 120 * Mi, 100 * Mi, 200 * Mi],
];

/** `--once -o json` against the well-behaved cluster whose metrics server answers `items` */
async function withPodMetrics(items: unknown[]): Promise<any> {
	const api = await fakeApi([['/apis/metrics.k8s.io/v1beta1/pods', {json: {kind: 'PodMetricsList', items}}]]);
	const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
	clean(r);
	return json(r);
}

describe('one bad item never throws the list away (finding 7)', () => {
	it('pods with containers:[null], containerStatuses:{} or ownerReferences:[null] are skipped and counted; the others keep their figures', async () => {
		const base = rawPod('x') as any;
		const pods = [
			good[0],
			rawPod('bad-containers', {spec: {...base.spec, containers: [null]}}),
			rawPod('bad-statuses', {status: {...base.status, containerStatuses: {}}}),
			rawPod('bad-owners', {metadata: {...base.metadata, name: 'bad-owners', ownerReferences: [null]}}),
			good[1],
		];
		const api = await fakeApi([['/api/v1/pods', {json: list('PodList', pods)}]]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(r);
		const out = json(r);
		expect(workingSets(out)).toEqual(goodRows);
		expect(out.warnings).toEqual(['3 pods skipped: malformed (first: spec.containers[0] is not an object)']);

		const table = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		clean(table);
		expect(table.stdout.toString().split('\n')[0]).toBe('! 3 pods skipped: malformed (first: spec.containers[0] is not an object)');
	});

	it('a metrics item with containers:{} is skipped alone: every other pod keeps its working set', async () => {
		const out = await withPodMetrics([podMetrics('web-1', '150Mi'), {...podMetrics('web-3', '1Mi'), containers: {}}, podMetrics('web-2', '120Mi')]);
		expect(workingSets(out)).toEqual(goodRows);
		expect(out.warnings).toEqual(['1 metrics item skipped: malformed (first: containers is not a list)']);
	});

	it('metrics items without a name are skipped and counted', async () => {
		const out = await withPodMetrics([podMetrics('', '99Mi'), {...podMetrics('web-1', '1Mi'), metadata: {namespace: 'shop', name: 7}}, podMetrics('web-1', '150Mi'), podMetrics('web-2', '120Mi')]);
		expect(workingSets(out)).toEqual(goodRows);
		expect(out.warnings).toEqual(['2 metrics items skipped: malformed (first: metadata.name is missing)']);
	});

	it('a pod with each field of the wrong type is skipped, naming the field; the good pods keep their exact figures', async () => {
		const base = rawPod('x') as any;
		const c = base.spec.containers[0];
		const s = base.status.containerStatuses[0];
		const meta = (over: Record<string, unknown>) => ({metadata: {...base.metadata, name: `bad-${JSON.stringify(over)}`, ...over}});
		const wrong: Array<[string, Record<string, unknown>]> = [
			['metadata.name is not a string', {metadata: {...base.metadata, name: 42}}],
			['metadata.namespace is not a string', meta({namespace: ['shop']})],
			['metadata is not an object', {metadata: 'web'}],
			['spec is not an object', {spec: []}],
			['spec.containers is not a list', {spec: {...base.spec, containers: {app: c}}}],
			['spec.containers[0].name is missing', {spec: {...base.spec, containers: [{...c, name: ''}]}}],
			['spec.containers[0].resources is not an object', {spec: {...base.spec, containers: [{...c, resources: 'big'}]}}],
			['spec.containers[0].resources.limits is not an object', {spec: {...base.spec, containers: [{...c, resources: {limits: 5}}]}}],
			['spec.nodeName is not a string', {spec: {...base.spec, nodeName: {name: 'node-a'}}}],
			['spec.priority is not a number', {spec: {...base.spec, priority: '1000'}}],
			['status.phase is not a string', {status: {...base.status, phase: true}}],
			['status.containerStatuses[0].restartCount is not a number', {status: {...base.status, containerStatuses: [{...s, restartCount: '3'}]}}],
			['status.containerStatuses[0].state.waiting is not an object', {status: {...base.status, containerStatuses: [{...s, state: {waiting: 'yes'}}]}}],
			['metadata.ownerReferences[0].name is not a string', meta({ownerReferences: [{kind: 'ReplicaSet', name: 1}]})],
			['metadata.creationTimestamp is not a string', meta({creationTimestamp: 1764583200})],
			['the item is not an object', {}],
		];
		const pods = [good[0], ...wrong.map(([, over], i) => (i === wrong.length - 1 ? ['not', 'a', 'pod'] : rawPod(`bad-${i}`, over))), good[1]];
		const api = await fakeApi([['/api/v1/pods', {json: list('PodList', pods)}]]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(r);
		const out = json(r);
		expect(workingSets(out)).toEqual(goodRows);
		expect(out.warnings).toEqual([`${wrong.length} pods skipped: malformed (first: ${wrong[0]![0]})`]);
	});

	it('a Summary pod entry of the wrong shape is skipped; the other pod keeps its exact RSS', async () => {
		const memory = (rss: unknown) => ({time: '2026-12-01T10:00:00Z', workingSetBytes: 100, usageBytes: 300, rssBytes: rss});
		const entry = (name: string, rss: unknown) => ({podRef: {name, namespace: 'shop'}, memory: memory(rss), containers: [{name: 'app', memory: memory(rss)}]});
		const summary = {node: {nodeName: 'node-a', memory: {time: '2026-12-01T10:00:00Z', availableBytes: 4 * 2 ** 30, workingSetBytes: 3 * 2 ** 30}}, pods: [entry('web-1', 123_456_789), {podRef: 'web-2'}, entry('web-2', -5)]};
		const api = await fakeApi([[/^\/api\/v1\/nodes\/node-a\/proxy\/stats\/summary/, {json: summary}]]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(r);
		const out = json(r);
		expect(out.items.map((p: any) => [p.name, p.containers[0].rssBytes])).toEqual([
			['web-1', 123_456_789],
			['web-2', null],
		]);
		expect(out.warnings).toEqual(['1 Summary entry skipped: malformed (first: pods[1].podRef is not an object); 2 Summary entry figures ignored: invalid (first: pods[2].containers[0].memory.rssBytes -5: out of range)']);
	});
});

describe('cluster strings are keys as sent, escaped when shown (finding 12)', () => {
	it('web-1, web\\u200b-1 and web\\u001b-1 are three pods, and -o json says what the server sent', async () => {
		const names = ['web-1', 'web\u200b-1', 'web\u001b-1'];
		const api = await fakeApi([
			['/api/v1/pods', {json: list('PodList', names.map(n => rawPod(n)))}],
			['/apis/metrics.k8s.io/v1beta1/pods', {json: {kind: 'PodMetricsList', items: names.map((n, i) => podMetrics(n, `${i + 1}Mi`))}}],
		]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(r);
		// raw bytes: no zero-width or escape character on stdout, only their JSON escapes
		expect(r.stdout.toString()).not.toMatch(/[\u200b\u001b]/);
		expect(r.stdout.toString()).toContain('"web\\u200b-1"');
		expect(json(r).items.map((p: any) => [p.name, p.workingSetBytes]).sort()).toEqual([
			['web\u001b-1', 3 * Mi],
			['web-1', 1 * Mi],
			['web\u200b-1', 2 * Mi],
		]);
		const table = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		clean(table);
		// the scope line (#), the header row, one row a pod
		expect(table.stdout.toString().trimEnd().split('\n')).toHaveLength(2 + names.length);
	});

	it('a pod deleted by a watch event is gone, whatever its name holds: no ghost', async () => {
		const {Store} = await import('../../../source/store/store.js');
		const {openSession} = await import('../../../source/kube/session.js');
		const pods = ['web\u200b-1', 'web\u001b-1', 'web-2'].map(n => rawPod(n));
		const api = await fakeApi([
			[
				/^\/api\/v1\/pods\?.*watch=/,
				(_req, res) => {
					res.writeHead(200, {'content-type': 'application/json'});
					res.write(`${JSON.stringify({type: 'DELETED', object: pods[0]})}\n${JSON.stringify({type: 'DELETED', object: pods[1]})}\n`);
				},
			],
			['/api/v1/pods', {json: list('PodList', pods)}],
		]);
		const store = new Store({notifyIntervalMs: 0});
		const session = await openSession({kubeconfig: api.kubeconfig(), metrics: false, summary: false}, store);
		try {
			await session.ready;
			await expect.poll(() => [...store.pods.values()].map(p => p.name), {timeout: 5000}).toEqual(['web-2']);
		} finally {
			await session.stop();
		}
	});
});

describe('absurd quantities are refused per figure (finding 13)', () => {
	it('99999999999999999999Ei and -5Mi are dropped from their pods, which are kept; a -5Mi working set is skipped', async () => {
		const base = rawPod('x') as any;
		const c = base.spec.containers[0];
		const pods = [
			good[0],
			rawPod('huge', {spec: {...base.spec, containers: [{...c, resources: {requests: {memory: '100Mi'}, limits: {memory: '99999999999999999999Ei'}}}]}}),
			rawPod('negative', {spec: {...base.spec, containers: [{...c, resources: {requests: {memory: '-5Mi'}, limits: {memory: '200Mi'}}}]}}),
			good[1],
		];
		const metrics = [podMetrics('web-1', '150Mi'), podMetrics('huge', '150Mi'), podMetrics('negative', '-5Mi'), podMetrics('web-2', '120Mi')];
		const api = await fakeApi([
			['/api/v1/pods', {json: list('PodList', pods)}],
			['/apis/metrics.k8s.io/v1beta1/pods', {json: {kind: 'PodMetricsList', items: metrics}}],
		]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(r);
		const out = json(r);
		expect(workingSets(out)).toEqual([
			['huge', 150 * Mi, 100 * Mi, null],
			['negative', null, 200 * Mi, 200 * Mi],
			...goodRows,
		]);
		expect(out.items.find((p: any) => p.name === 'huge').percentOfLimit).toBeNull();
		expect(out.warnings).toEqual([
			'2 pod figures ignored: invalid (first: spec.containers[0].resources.limits.memory "99999999999999999999Ei": beyond 2^63 bytes)',
			'1 metrics item skipped: malformed (first: containers[0].usage.memory is negative)',
		]);
		const table = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		clean(table);
		expect(table.stdout.toString()).not.toMatch(/e\+|-5/);
	});

	it('a byte figure above 2^53 is null in -o json, never digits that are not the figure', async () => {
		const base = rawPod('x') as any;
		const c = base.spec.containers[0];
		const pods = [rawPod('big', {spec: {...base.spec, containers: [{...c, resources: {requests: {memory: '7Pi'}, limits: {memory: '9007199254740993'}}}]}})];
		const api = await fakeApi([
			['/api/v1/pods', {json: list('PodList', pods)}],
			['/apis/metrics.k8s.io/v1beta1/pods', {json: {kind: 'PodMetricsList', items: [podMetrics('big', '6Pi')]}}],
		]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(r);
		expect(workingSets(json(r))).toEqual([['big', 6 * 2 ** 50, 7 * 2 ** 50, null]]);
		expect(r.stdout.toString()).not.toContain('9007199254740992');
	});

	it('a node with a negative capacity is kept without it; events with absurd counts count once', async () => {
		const node = rawNode('node-a') as any;
		const ev = (minute: number, count: unknown) => ({
			metadata: {name: `e${minute}`, namespace: 'default', uid: `e${minute}`, resourceVersion: '3', creationTimestamp: `2026-12-01T09:${minute}:00Z`},
			reason: 'OOMKilling',
			message: `Memory cgroup out of memory: Killed process ${minute} (app)`,
			type: 'Warning',
			involvedObject: {kind: 'Node', name: 'node-a'},
			source: {component: 'kernel-monitor'},
			count,
			firstTimestamp: `2026-12-01T09:${minute}:00Z`,
			lastTimestamp: `2026-12-01T09:${minute}:00Z`,
		});
		const api = await fakeApi([
			['/api/v1/nodes', {json: list('NodeList', [{...node, status: {...node.status, capacity: {memory: '-8Gi'}}}])}],
			['/api/v1/events', {json: list('EventList', [ev(10, 1e300), ev(20, -5), ev(30, 2.5)])}],
		]);
		const nodes = await runCli(['nodes', '--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(nodes);
		const n = json(nodes);
		expect(n.items.map((x: any) => [x.name, x.capacityBytes, x.allocatableBytes, x.workingSetBytes])).toEqual([['node-a', null, 7 * 2 ** 30, 3 * 2 ** 30]]);
		expect(n.warnings).toEqual([
			'1 node figure ignored: invalid (first: status.capacity.memory "-8Gi": negative)',
			'3 event figures ignored: invalid (first: count 1e+300: not a count)',
		]);
		const events = await runCli(['events', '--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(events);
		expect(json(events).items.map((e: any) => [e.kind, e.count])).toEqual([
			['OOMKilling', 1],
			['OOMKilling', 1],
			['OOMKilling', 1],
		]);
	});
});

describe('one clear line for what broke (finding 14)', () => {
	it('--metrics-interval -5s is a negative duration, not the flags -5 and -s', async () => {
		const r = await runCli(['--once', '--metrics-interval', '-5s', '--kubeconfig', '/nonexistent']);
		clean(r, 2, 'memtop: --metrics-interval: "-5s" is negative (a duration is at least 0, e.g. 15s, 2m, 1h)\n');
	});

	it('a Status whose message is not a string is read as having none', async () => {
		const api = await fakeApi([['/version', {status: 500, json: {kind: 'Status', status: 'Failure', reason: 'InternalError', code: 500, message: {text: 'boom'}}}]]);
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		clean(r, 1, 'memtop: the API server answered 500 InternalError to read /version: InternalError\n');
	});

	it('https:// to a plain HTTP port: one line that says so, not OpenSSL text', async () => {
		const api = await fakeApi();
		const server = api.url.replace('http:', 'https:');
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig({server})]);
		clean(r, 1, `memtop: cannot reach the API server at ${server} (context hostile): the server does not answer in TLS (wrong version number): is it an http:// server?\n`);
	});

	it('a top-level array instead of the node list or the metrics list: a warning saying so, not an empty table', async () => {
		const api = await fakeApi([
			['/api/v1/nodes', {json: [{kind: 'Node'}]}],
			['/apis/metrics.k8s.io/v1beta1/pods', {json: []}],
		]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout.toString());
		expect(out.warnings.join('\n')).toMatch(/answer from \/api\/v1\/nodes is not a list \(a JSON object with items\)/);
		expect(out.warnings.join('\n')).toMatch(/answer from \/apis\/metrics\.k8s\.io\/v1beta1\/pods is not a list \(a JSON object with items\)/);
		expect(controlBytes(r.stdout)).toEqual([]);
	});

	it('a top-level array instead of a pod list ends the run with one line', async () => {
		const api = await fakeApi([['/api/v1/pods', {json: [rawPod('web-1')]}]]);
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		clean(r, 1, `memtop: the API server at ${api.url} answered the pod list with a JSON array, not a PodList: is it a Kubernetes API server?\n`);
	});
});
