/**
 * memtop through a real `kubectl proxy` in front of the test cluster: a kubeconfig whose server
 * is the proxy's plain http:// address and whose user has no credentials (the proxy adds the
 * admin's), as on a jump box that only has `kubectl proxy`. The pods and their working sets are
 * the ones the admin kubeconfig gives. Its own cluster (the cluster project runs files one at a
 * time), or the running one with MEMTOP_CLUSTER_KUBECONFIG.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {kubectlBin, resetReusedCluster, startCluster, stopCluster, type Cluster} from './harness/cluster.js';
import {memtopJson, memtopOnce} from './harness/memtop.js';

let c: Cluster;
let proxy: ChildProcess | undefined;
let proxied: string;
let proxiedLoad0: string;

/** `kubectl proxy --port=0`: the port it serves on, from its "Starting to serve on" line */
function startProxy(kubeconfig: string): Promise<{child: ChildProcess; port: number}> {
	return new Promise((resolve, reject) => {
		const child = spawn(kubectlBin(), ['--kubeconfig', kubeconfig, 'proxy', '--port=0', '--address=127.0.0.1'], {stdio: ['ignore', 'pipe', 'pipe']});
		let out = '';
		const timer = setTimeout(() => reject(new Error(`kubectl proxy said nothing in 30s: ${out}`)), 30_000);
		const onData = (chunk: Buffer) => {
			out += chunk.toString();
			const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve({child, port: Number(m[1])});
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('exit', code => reject(new Error(`kubectl proxy exited ${code}: ${out}`)));
	});
}

beforeAll(async () => {
	c = await startCluster();
	if (!c.ownedByUs) await resetReusedCluster(c);
	const p = await startProxy(c.kubeconfig);
	proxy = p.child;
	const dir = mkdtempSync(join(tmpdir(), 'memtop-proxy-'));
	const kubeconfig = (namespace: string | null) => [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		'- name: proxy',
		'  cluster:',
		`    server: http://127.0.0.1:${p.port}`,
		'users:',
		'- name: nobody',
		'  user: {}',
		'contexts:',
		'- name: proxy',
		`  context: {cluster: proxy, user: nobody${namespace ? `, namespace: ${namespace}` : ''}}`,
		'current-context: proxy',
		'',
	].join('\n');
	proxied = join(dir, 'kubeconfig');
	writeFileSync(proxied, kubeconfig(null));
	proxiedLoad0 = join(dir, 'kubeconfig-load-0');
	writeFileSync(proxiedLoad0, kubeconfig('load-0'));
}, 900_000);

afterAll(async () => {
	proxy?.kill('SIGTERM');
	await stopCluster(c);
}, 180_000);

type Pods = {server: string; items: Array<{namespace: string; name: string; workingSetBytes: number | null}>};
const byKey = (out: Pods) => new Map(out.items.map(p => [`${p.namespace}/${p.name}`, p.workingSetBytes]));

it('memtop --once -o json through kubectl proxy gives the pods and working sets the admin kubeconfig gives', async () => {
	const args = ['pods', '-A', '--no-summary'];
	// metrics-server moves every 10 s: the proxied figures are the ones of the run just before or just after
	for (let attempt = 1; ; attempt++) {
		const before = byKey(await memtopJson<Pods>(c, args));
		const through = await memtopJson<Pods>(c, args, proxied);
		const after = byKey(await memtopJson<Pods>(c, args));
		expect(through.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const mine = byKey(through);
		expect([...mine.keys()].sort()).toEqual([...before.keys()].sort());
		expect([...mine.values()].filter(v => v !== null).length).toBeGreaterThan(mine.size / 2);
		const same = [...mine].every(([k, ws]) => ws === before.get(k) || ws === after.get(k));
		if (same || attempt === 3) {
			expect(same).toBe(true);
			break;
		}
	}
});

it("through the proxy: the context's namespace, -n, and a namespace that is not there, as with kubectl", async () => {
	const ctx = await memtopJson<Pods & {namespace: string; namespaceFrom: string}>(c, ['pods', '--no-summary'], proxiedLoad0);
	expect(ctx).toMatchObject({namespace: 'load-0', namespaceFrom: 'context'});
	const one = await memtopJson<Pods & {namespace: string; namespaceFrom: string}>(c, ['pods', '-n', 'load-0', '--no-summary'], proxied);
	expect(one).toMatchObject({namespace: 'load-0', namespaceFrom: 'flag'});
	expect(one.items.length).toBeGreaterThan(0);
	expect(one.items.every(p => p.namespace === 'load-0')).toBe(true);
	expect([...byKey(ctx).keys()].sort()).toEqual([...byKey(one).keys()].sort());
	const nope = await memtopOnce(c, ['pods', '-n', 'nope', '--no-summary'], proxied);
	expect(nope.code).toBe(1);
	expect(nope.json).toBeNull();
	expect(JSON.parse(nope.stdout)).toMatchObject({namespace: 'nope', namespaceMissing: true, items: []});
});
