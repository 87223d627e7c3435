/**
 * A list item that is not JSON (its brackets balance, its text does not parse) costs only itself:
 * the metrics poll keeps every other pod's working set and says one was skipped. Over HTTP, against
 * a server that sends such an answer, through the real CLI.
 */
import {describe, expect, it} from 'vitest';
import {fakeApi, podMetrics, runCli} from '../hostile/harness.js';

const Mi = 2 ** 20;

describe('a metrics item that is not JSON', () => {
	it('is skipped and counted; the items around it keep their working sets', async () => {
		const items = [JSON.stringify(podMetrics('web-1', '150Mi')), '{"metadata":{"name":"web-3","namespace":"shop"},"containers":[{"usage":{"memory":1Mi}}]}', JSON.stringify(podMetrics('web-2', '120Mi'))];
		const api = await fakeApi([['/apis/metrics.k8s.io/v1beta1/pods', {text: `{"kind":"PodMetricsList","items":[${items.join(',')}]}`, headers: {'content-type': 'application/json'}}]]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		expect(r.stderr.toString()).toBe('');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout.toString());
		expect(out.items.map((p: any) => [p.name, p.workingSetBytes])).toEqual([
			['web-1', 150 * Mi],
			['web-2', 120 * Mi],
		]);
		expect(out.warnings).toEqual(['1 metrics item skipped: malformed (first: item 2 is not JSON)']);
	});
});
