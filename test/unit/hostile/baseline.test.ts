/** The fake API server itself, well-behaved: memtop reads it as it reads a cluster (the baseline every hostile case departs from). */
import {describe, expect, it} from 'vitest';
import {controlBytes, fakeApi, runCli} from './harness.js';

describe('the fake API server, well-behaved', () => {
	it('--once -o json lists its pods with their working sets, only with GETs', async () => {
		const api = await fakeApi();
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		expect(r.stderr.toString()).toBe('');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout.toString());
		expect(out.items.map((p: any) => [p.name, p.workingSetBytes])).toEqual([
			['web-1', 150 * 2 ** 20],
			['web-2', 120 * 2 ** 20],
		]);
		expect(controlBytes(r.stdout)).toEqual([]);
		expect(new Set(api.requests.map(q => q.method))).toEqual(new Set(['GET']));
	});
});
