/**
 * `--once` asks its lists beside the preflight (kube/snapshot.ts), for the scope and metrics
 * version the preflight will most likely find; what it asked early counts only where the preflight
 * agrees. Against a fake API server over HTTP, with the built CLI.
 */
import {describe, expect, it} from 'vitest';
import {fakeApi, list, podMetrics, rawPod, runCli} from '../hostile/harness.js';

const forbidden = (what: string) => ({status: 403, json: {kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message: `${what} is forbidden: User "u" cannot list resource`}});

describe('--once asks its lists beside the preflight', () => {
	it('the pod list, the node list and the metrics go out before /version has answered', async () => {
		let listed!: () => void;
		const asked = new Promise<void>(resolve => (listed = resolve));
		let before = false;
		const api = await fakeApi([
			// /version answers once the pod list is asked for (or after 5 s: then it was asked after)
			['/version', async (_req, res) => {
				before = await Promise.race([asked.then(() => true), new Promise<boolean>(resolve => setTimeout(() => resolve(false), 5000))]);
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(JSON.stringify({major: '1', minor: '35', gitVersion: 'v1.35.0'}));
			}],
			[/^\/api\/v1\/pods\?limit=10000/, (_req, res) => {
				listed();
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(JSON.stringify(list('PodList', [rawPod('web-1'), rawPod('web-2')])));
			}],
		]);
		const r = await runCli(['--once', '-A', '--kubeconfig', api.kubeconfig()]);
		expect(r.stderr.toString()).toBe('');
		expect(r.code).toBe(0);
		expect(before).toBe(true);
		const urls = api.requests.map(q => q.url);
		expect(urls.indexOf('/api/v1/nodes?limit=10000')).toBeGreaterThanOrEqual(0);
		expect(urls.indexOf('/apis/metrics.k8s.io/v1beta1/pods')).toBeGreaterThanOrEqual(0);
		// each asked once: the preflight agreed, nothing asked again
		expect(api.count('/api/v1/pods?limit=10000')).toBe(1);
		expect(api.count('/apis/metrics.k8s.io/v1beta1/pods')).toBe(1);
		expect(r.stdout.toString()).toMatch(/web-1\s+Running\s+150Mi/);
	});

	it('a 403 on the cluster-wide list narrows to the namespace: its pods and its metrics, nothing of the early cluster-wide asks', async () => {
		const api = await fakeApi([
			['/api/v1/pods', forbidden('pods')],
			// asked early for all namespaces, refused: that refusal is not told (the namespace's answer is)
			['/apis/metrics.k8s.io/v1beta1/pods', forbidden('pods.metrics.k8s.io')],
			['/api/v1/namespaces/default/pods', {json: list('PodList', [rawPod('db-1', {}, 'default')])}],
			['/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', {json: {kind: 'PodMetricsList', items: [podMetrics('db-1', '321Mi', 'default')]}}],
		]);
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(0);
		const out = r.stdout.toString();
		expect(out).toContain('! cannot list pods in all namespaces (403 Forbidden): showing namespace default only');
		expect(out).not.toMatch(/metrics|Forbidden, cluster-wide/i);
		expect(out).toMatch(/db-1\s+Running\s+321Mi/);
		expect(out).not.toContain('web-1');
		expect(api.count('/api/v1/namespaces/default/pods?limit=10000')).toBe(1);
		expect(api.count('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods')).toBe(1);
	});

	it('discovery offers metrics.k8s.io/v1 only: asked again there, and that answer is the one shown', async () => {
		const api = await fakeApi([
			['/apis', {json: {kind: 'APIGroupList', groups: [{name: 'metrics.k8s.io', versions: [{groupVersion: 'metrics.k8s.io/v1', version: 'v1'}], preferredVersion: {groupVersion: 'metrics.k8s.io/v1', version: 'v1'}}]}}],
			['/apis/metrics.k8s.io/v1beta1/pods', {status: 404, json: {kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource'}}],
			['/apis/metrics.k8s.io/v1/pods', {json: {kind: 'PodMetricsList', items: [podMetrics('web-1', '77Mi'), podMetrics('web-2', '88Mi')]}}],
		]);
		const r = await runCli(['--once', '-A', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(0);
		const out = r.stdout.toString();
		expect(out).not.toMatch(/metrics API not answering|metrics unavailable/);
		expect(out).toMatch(/web-1\s+Running\s+77Mi/);
		expect(out).toMatch(/web-2\s+Running\s+88Mi/);
		expect(api.count('/apis/metrics.k8s.io/v1/pods')).toBe(1);
	});

	it('no metrics.k8s.io at all: the preflight\'s one line, exit 1, whatever the early asks met', async () => {
		const api = await fakeApi([['/apis', {json: {kind: 'APIGroupList', groups: []}}]]);
		const r = await runCli(['--once', '-A', '--kubeconfig', api.kubeconfig()]);
		expect(r.stdout.toString()).toBe('');
		expect(r.stderr.toString()).toMatch(/^memtop: the cluster at http:\/\/127\.0\.0\.1:\d+ does not serve metrics\.k8s\.io \(is metrics-server installed\?\); pass --no-metrics to watch requests and limits without usage\n$/);
		expect(r.code).toBe(1);
	});
});
