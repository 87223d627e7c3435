import {describe, expect, it} from 'vitest';
import {resolveOptions} from '../../../source/cli/flags.js';
import {recommend, recommendFrom} from '../../../source/memory/recommend.js';
import {krrSimpleMemory, poolWindow, weightedMedian} from '../../../source/memory/window.js';
import {parseResult} from '../../../source/prom/client.js';
import {parseService, serviceProxyPrefix} from '../../../source/prom/connect.js';
import {chunksFor, namespaceGroups} from '../../../source/prom/backfill-plan.js';
import {containerWorkingSets, nodeWorkingSets, parseLabels} from '../../../source/prom/queries.js';
import {pastWorkload} from '../../../source/prom/window.js';

const Mi = 1024 * 1024;

describe('Prometheus flags', () => {
	it('takes a URL with a token, a service, or auto; refuses what cannot work with exit code 2', () => {
		const o = resolveOptions([], {prometheus: 'https://prom:9090', prometheusToken: 't', prometheusInsecure: true});
		expect(o.prometheus?.endpoint).toMatchObject({url: 'https://prom:9090', auth: {token: 't', insecure: true}});
		expect(resolveOptions([], {prometheusService: 'monitoring/prometheus-k8s:9090'}).prometheus?.endpoint.service).toBe('monitoring/prometheus-k8s:9090');
		expect(resolveOptions([], {}).prometheus).toBeNull();
		expect(resolveOptions(['recommend'], {prometheus: 'auto', window: '7d'}).windowMs).toBe(7 * 86_400_000);
		const bad: Array<[Record<string, unknown>, string]> = [
			[{prometheusToken: 't'}, 'go with --prometheus'],
			[{prometheus: 'auto', prometheusToken: 't'}, 'logs in with the kubeconfig'],
			[{prometheus: 'http://a', prometheusService: 'a/b:1'}, 'exclude each other'],
			[{prometheusService: 'prometheus-k8s'}, 'NAMESPACE/NAME:PORT'],
			[{prometheus: 'http://a', prometheusUser: 'u'}, 'MEMTOP_PROMETHEUS_PASSWORD'],
			[{prometheus: 'http://a', prometheusLabels: 'pod'}, 'KEY=LABEL'],
			[{window: '7d'}, 'goes with memtop recommend'],
		];
		for (const [flags, text] of bad) {
			expect(() => resolveOptions([], flags as never), text).toThrow(text);
		}

		expect(() => resolveOptions(['recommend'], {window: '7d'})).toThrow('reads the window from Prometheus');
		expect(() => resolveOptions(['recommend'], {prometheus: 'auto', window: '10m'})).toThrow('between 1h and 90d');
	});

	it('reads relabelled label names into the queries', () => {
		const l = parseLabels('pod=pod_name,container=container_name');
		expect(containerWorkingSets(l, {namespaces: ['a', 'b.c']})).toBe(
			'max by (namespace,pod_name,container_name) (container_memory_working_set_bytes{container_name!="",container_name!="POD",namespace=~"a|b\\\\.c"})',
		);
		expect(nodeWorkingSets(l)).toContain('max by (node) (node_memory_working_set_bytes)');
	});

	it('parses a service and builds its proxy path', () => {
		expect(serviceProxyPrefix(parseService('monitoring/prometheus-k8s:web'))).toBe('/api/v1/namespaces/monitoring/services/prometheus-k8s%3Aweb/proxy');
	});
});

describe('Prometheus answers', () => {
	it('takes matrix and vector results, skipping bad items and non-finite values', () => {
		const body = {status: 'success', data: {resultType: 'matrix', result: [{metric: {pod: 'a', x: 1}, values: [[1.5, '10'], [3, 'NaN'], ['x', '1'], [4, '+Inf']]}, {metric: {}, values: 'nope'}]}};
		expect(parseResult(body, 'q')).toEqual([{labels: {pod: 'a'}, times: [1500], values: [10]}]);
		expect(parseResult({status: 'success', data: {resultType: 'vector', result: [{metric: {}, value: [2, '7']}]}}, 'q')[0]!.values).toEqual([7]);
		expect(() => parseResult({status: 'error', error: 'bad\u001b[31m'}, 'q')).toThrow(/q: bad/);
		expect(() => parseResult([], 'q')).toThrow('not a Prometheus API object');
	});
});

describe('backfill plan', () => {
	it('groups namespaces up to a pod budget, a big one alone', () => {
		expect(namespaceGroups(new Map([['a', 10], ['b', 3000], ['c', 5000], ['d', 1]]), 4000)).toEqual([
			{namespaces: ['a', 'b'], pods: 3010},
			{namespaces: ['c'], pods: 5000},
			{namespaces: ['d'], pods: 1},
		]);
	});

	it('asks the whole window for as many containers as fit an answer; cuts only a namespace too big for one, newest first', () => {
		const times = Array.from({length: 240}, (_, i) => i * 15_000);
		const plan = chunksFor(new Map([['a', 500], ['b', 400], ['c', 3000]]), 300, times, 250_000);
		expect(plan).toMatchObject({series: 3900, nodes: 300, samples: 4200 * 240});
		const pods = plan.chunks.filter(c => c.kind === 'pods');
		// 250,000 / 240 steps = 1,041 containers an answer: a + b whole; c (3,000) in runs of 83 steps
		expect(pods.filter(c => c.times.length === 240).map(c => c.namespaces)).toEqual([['a', 'b']]);
		const cut = pods.filter(c => c.namespaces![0] === 'c');
		expect(cut.map(c => c.times.length)).toEqual([83, 83, 74]);
		expect(cut[0]!.times.at(-1)).toBe(times.at(-1));
		for (const c of plan.chunks) expect(c.series * c.times.length).toBeLessThanOrEqual(250_000);
		expect(plan.chunks.filter(c => c.kind === 'nodes').map(c => c.times.length)).toEqual([240]);
	});
});

describe('recommend over a window', () => {
	it('is the same rule as from samples', () => {
		const values = [100, 120, 110, 300].map(v => v * Mi);
		const a = recommend({values, times: [0, 1, 2, 3]});
		expect(recommendFrom({observedMs: 3, samples: 4, steadyBytes: a.steadyBytes!, peakBytes: a.peakBytes!})).toEqual(a);
	});

	it('raises the limit after OOM kills: the peak was cut at the limit', () => {
		const r = recommendFrom({observedMs: 86_400_000, samples: 100, steadyBytes: 100 * Mi, peakBytes: 250 * Mi, oomKills: 2, currentLimitBytes: 256 * Mi});
		expect(r.limitBytes).toBe(Math.ceil(256 * 1.2) * Mi);
		expect(r.note).toContain('2 OOM kills');
		expect(recommendFrom({observedMs: 1, samples: 1, steadyBytes: 100 * Mi, peakBytes: 250 * Mi, oomKills: 0, currentLimitBytes: 256 * Mi}).limitBytes).toBe(300 * Mi);
	});

	it('pools replicas: medians weighted by samples, the highest peak, kills summed', () => {
		expect(weightedMedian([{value: 1, weight: 1}, {value: 5, weight: 10}, {value: 9, weight: 1}])).toBe(5);
		expect(weightedMedian([{value: 1, weight: 1}, {value: 3, weight: 1}])).toBe(2);
		const p = poolWindow([
			{medianBytes: 10, peakBytes: 20, samples: 100, firstMs: 0, lastMs: 50, oomKills: 1, restarts: 2},
			{medianBytes: 30, peakBytes: 90, samples: 300, firstMs: 20, lastMs: 100, oomKills: null, restarts: 1},
		]);
		expect(p).toEqual({steadyBytes: 30, peakBytes: 90, samples: 400, observedMs: 100, oomKills: 1, restarts: 3, replicas: 2});
		expect(poolWindow([])).toBeNull();
	});

	it("gives krr's simple strategy: peak + 15 %, nothing under 100 points", () => {
		expect(krrSimpleMemory(100 * Mi, 100)).toBe(115 * Mi);
		expect(krrSimpleMemory(100 * Mi, 99)).toBeNull();
	});

	it('finds the workload of a pod that is gone by its name', () => {
		const known = new Map([
			['shop/Deployment/web', {key: 'shop/Deployment/web', namespace: 'shop', kind: 'Deployment', name: 'web'}],
			['db/StatefulSet/pg', {key: 'db/StatefulSet/pg', namespace: 'db', kind: 'StatefulSet', name: 'pg'}],
		]);
		expect(pastWorkload('shop', 'web-5d78c9869d-x2k9p', known)?.name).toBe('web');
		expect(pastWorkload('db', 'pg-3', known)?.name).toBe('pg');
		expect(pastWorkload('shop', 'other-5d78c9869d-x2k9p', known)).toBeNull();
	});
});

describe('range answers scanned without a JSON tree', () => {
	it('reads what JSON.parse reads, and gives up (null) on anything else', async () => {
		const {scanMatrix} = await import('../../../source/prom/matrix.js');
		const answer = {
			status: 'success',
			data: {
				resultType: 'matrix',
				result: [
					{metric: {pod: 'a "quoted" } brace', container: 'c\\d'}, values: [[1700000000.123, '123456789'], [1700000015, '1.5e+09'], [1700000030.5, 'NaN'], [1700000045, '0.25']]},
					{metric: {}, values: []},
				],
			},
		};
		for (const text of [JSON.stringify(answer), JSON.stringify(answer, null, 2)]) {
			expect(scanMatrix(Buffer.from(text))).toEqual(parseResult(JSON.parse(text), 'q'));
		}

		expect(scanMatrix(Buffer.from(JSON.stringify(answer)))![0]).toEqual({labels: {pod: 'a "quoted" } brace', container: 'c\\d'}, times: [1700000000123, 1700000015000, 1700000045000], values: [123456789, 1.5e9, 0.25]});
		expect(scanMatrix(Buffer.from('{"status":"success","data":{"resultType":"matrix","result":[]}}'))).toEqual([]);
		expect(scanMatrix(Buffer.from('{"status":"success","data":{"resultType":"vector","result":[]}}'))).toBeNull();
		expect(scanMatrix(Buffer.from('{"status":"success","data":{"resultType":"matrix","result":[{"values":[],"metric":{}}]}}'))).toBeNull();
		expect(scanMatrix(Buffer.from('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"]'))).toBeNull();
	});

	it('the fast path and the general one read the same numbers', async () => {
		const {scanMatrix} = await import('../../../source/prom/matrix.js');
		const odd = ['0', '7', '123456789012345', '1234567890123456789', '0.000001', '3.14159265358979', '12.5', '-4', '+Inf', '-Inf', 'NaN', '1e+21', '2.5e-7', '999999999999999.9'];
		const values = odd.map((v, i) => [1700000000 + i * 15 + [0, 0.5, 0.25, 0.125, 0.0625][i % 5]!, v]);
		const text = JSON.stringify({status: 'success', data: {resultType: 'matrix', result: [{metric: {pod: 'p'}, values}]}});
		const want = parseResult(JSON.parse(text), 'q');
		expect(scanMatrix(Buffer.from(text))).toEqual(want);
		expect(scanMatrix(Buffer.from(text.replace(/,"/g, ', "')))).toEqual(want);
	});

	it('onto the grid of the query: one row of values per series, NaN where it had no sample', async () => {
		const {gridOf, scanGridSliced} = await import('../../../source/prom/matrix.js');
		const grid = gridOf(1_700_000_000_000, 1_700_000_060_000, 15_000);
		expect(Array.from(grid.times)).toEqual([0, 1, 2, 3, 4].map(k => 1_700_000_000_000 + k * 15_000));
		const answer = {
			status: 'success',
			data: {
				resultType: 'matrix',
				result: [
					{metric: {pod: 'a'}, values: [[1700000000, '1'], [1700000030, '3'], [1700000060, '5']]},
					// off the grid: dropped
					{metric: {pod: 'b'}, values: [[1700000015, '2'], [1700000016, '9']]},
				],
			},
		};
		for (const text of [JSON.stringify(answer), JSON.stringify(answer, null, 1)]) {
			const {rows} = (await scanGridSliced(Buffer.from(text), grid))!;
			expect(rows.map(r => r.labels)).toEqual([{pod: 'a'}, {pod: 'b'}]);
			expect(Array.from(rows[0]!.values)).toEqual([1, Number.NaN, 3, Number.NaN, 5]);
			expect(Array.from(rows[1]!.values)).toEqual([Number.NaN, 2, Number.NaN, Number.NaN, Number.NaN]);
		}

		expect(await scanGridSliced(Buffer.from('{"status":"success","data":{"resultType":"vector","result":[]}}'), grid)).toBeNull();
	});
});

describe('long chart windows', () => {
	it('cycles 5m, 15m, 1h, and 6h, 24h, 7d only with a source for them', async () => {
		const {initialState, reducer} = await import('../../../source/ui/state.js');
		let s = initialState('pods');
		const seen: number[] = [];
		for (let i = 0; i < 6; i++) seen.push((s = reducer(s, {type: 'chartWindow', long: true})).chartWindow);
		expect(seen).toEqual([3_600_000, 21_600_000, 86_400_000, 604_800_000, 300_000, 900_000]);
		expect(reducer({...s, chartWindow: 3_600_000}, {type: 'chartWindow'}).chartWindow).toBe(300_000);
	});

	it('marks OOM kills with an X on the time axis', async () => {
		const {renderChart} = await import('../../../source/ui/chart.js');
		const times = Array.from({length: 100}, (_, i) => i * 60_000);
		const values = times.map(() => 100 * Mi);
		const lines = renderChart({series: [{name: 'a', times, values}], refs: [], windowMs: 99 * 60_000, now: 99 * 60_000, width: 60, rows: 6, colors: [], marks: [0, 50 * 60_000, 10 ** 9]});
		const axis = lines[lines.length - 1]!;
		expect([...axis].filter(c => c === 'X').length).toBe(2);
		expect(axis.indexOf('X')).toBe(7);
		expect(renderChart({series: [{name: 'a', times, values}], refs: [], windowMs: 99 * 60_000, now: 99 * 60_000, width: 60, rows: 6, colors: []}).at(-1)).not.toContain('X');
	});
});

describe('Prometheus in the config file', () => {
	it('is used unless a flag names another; a bad value is one line naming the key', async () => {
		const {readConfigText} = await import('../../../source/cli/config-file.js');
		const loaded = readConfigText('prometheus: auto\nprometheusLabels: pod=pod_name\n', '/c.yaml');
		expect(loaded.problems).toEqual([]);
		const o = resolveOptions([], {}, loaded);
		expect(o.prometheus?.endpoint.url).toBe('auto');
		expect(o.prometheus?.labels.pod).toBe('pod_name');
		expect(resolveOptions([], {prometheusService: 'm/p:9090'}, loaded).prometheus?.endpoint).toMatchObject({url: undefined, service: 'm/p:9090'});
		expect(resolveOptions(['recommend'], {window: '7d'}, loaded).windowMs).toBe(7 * 86_400_000);
		const bad = readConfigText('prometheus: ftp://x\nprometheusService: nope\n', '/c.yaml');
		expect(bad.problems.join('\n')).toMatch(/prometheus.*is not auto or an http\(s\):\/\/ URL/);
		expect(bad.problems.join('\n')).toMatch(/prometheusService.*is not NAMESPACE\/NAME:PORT/);
		expect(resolveOptions([], {}, bad).prometheus).toBeNull();
	});
});
