/**
 * Prometheus unreachable, slow, refusing, without the series, or answering too much: a banner
 * names the cause and the store keeps its live data. The server here speaks the Prometheus HTTP API
 * (a few lines of it); the real one is in test/prometheus.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {ApiClient} from '../../../source/kube/http.js';
import {startPromHistory} from '../../../source/prom/history.js';
import {defaultLabels} from '../../../source/prom/queries.js';
import {Store} from '../../../source/store/store.js';
import {metrics, Mi, pod} from '../store/records.js';

type Mode = 'ok' | 'empty' | '401' | '403' | 'slow' | 'huge' | 'error';
const servers: http.Server[] = [];
const kube = new ApiClient(kubeTargetForServer('http://127.0.0.1:9'));

async function fakePrometheus(mode: () => Mode): Promise<{url: string; server: http.Server; requests: string[]}> {
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		requests.push(`${req.method} ${req.url}`);
		const m = mode();
		if (m === 'slow') return; // never answers
		if (m === '401' || m === '403') {
			res.writeHead(Number(m), {'content-type': 'text/plain'}).end(m === '401' ? 'Unauthorized\n' : 'Forbidden: user "x"\u001b[2J\n');
			return;
		}

		if (m === 'error') {
			res.writeHead(422, {'content-type': 'application/json'}).end(JSON.stringify({status: 'error', errorType: 'execution', error: 'query processing would load too many samples'}));
			return;
		}

		const url = new URL(req.url!, 'http://x');
		const start = Number(url.searchParams.get('start'));
		const end = Number(url.searchParams.get('end'));
		const values: Array<[number, string]> = [];
		for (let t = start; t <= end + 1e-9; t += 15) values.push([t, String(100 * Mi)]);
		const result = m === 'empty' || url.pathname !== '/api/v1/query_range' ? [] : [{metric: {namespace: 'a', pod: 'p', container: 'app'}, values}];
		const body = JSON.stringify({status: 'success', data: {resultType: 'matrix', result}});
		res.writeHead(200, {'content-type': 'application/json'}).end(m === 'huge' ? body.padEnd(2 * 2 ** 20, ' ') : body);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	servers.push(server);
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests};
}

function liveStore(): Store {
	const store = new Store({historySamples: 20, notifyIntervalMs: 0});
	store.replacePods([pod('a', 'p', {limit: 512 * Mi})]);
	store.applyMetrics(metrics(Date.UTC(2026, 5, 26, 10), [['a/p', 200 * Mi]]));
	return store;
}

afterEach(async () => {
	for (const s of servers.splice(0)) {
		s.closeAllConnections();
		await new Promise(resolve => s.close(resolve));
	}
});

describe('Prometheus going wrong', () => {
	it.each<[Mode, RegExp]>([
		['401', /refused memtop \(401 Unauthorized: check the token or password\)/],
		['403', /refused memtop \(403 Forbidden\)/],
		['empty', /no series of container_memory_working_set_bytes\{container!=""\} by namespace\/pod\/container in the last 5m \(check --prometheus-labels\)/],
		['slow', /too slow: no complete answer from \/api\/v1\/query_range within 1s/],
		['huge', /answer over the size bound \(answer from \/api\/v1\/query_range passed 1Mi/],
		['error', /answered an error: 422 .*too many samples/],
	])('%s: a banner names the cause; live data goes on', async (mode, cause) => {
		const prom = await fakePrometheus(() => mode);
		const store = liveStore();
		const h = startPromHistory({endpoint: {url: prom.url}, labels: defaultLabels, stepMs: 15_000, kube, store, probeMs: 0, requestTimeoutMs: 1000, maxAnswerBytes: 16 * 2 ** 20});
		expect(await h.done).toBeNull();
		h.stop();
		const b = store.banners.get('prometheus')!;
		expect(b.level).toBe('warn');
		expect(b.text).toMatch(cause);
		expect(b.text).toMatch(/; live data only$/);
		expect(b.text).not.toContain('\u001b');
		expect(store.workingSet('a/p')).toBe(200 * Mi);
		expect(prom.requests.every(r => r.startsWith('GET '))).toBe(true);
	});

	it('unreachable: the banner says so', async () => {
		const prom = await fakePrometheus(() => 'ok');
		const url = prom.url;
		await new Promise(resolve => prom.server.close(resolve));
		const store = liveStore();
		const h = startPromHistory({endpoint: {url}, labels: defaultLabels, stepMs: 15_000, kube, store, probeMs: 0});
		expect(await h.done).toBeNull();
		expect(store.banners.get('prometheus')?.text).toMatch(new RegExp(`Prometheus ${url} unreachable \\(ECONNREFUSED`));
	});

	it('backfills, then a Prometheus going away mid-session turns the banner into a warning, and coming back clears it', async () => {
		let mode: Mode = 'ok';
		const prom = await fakePrometheus(() => mode);
		const store = liveStore();
		const h = startPromHistory({endpoint: {url: prom.url}, labels: defaultLabels, stepMs: 15_000, kube, store, probeMs: 30});
		const r = await h.done;
		expect(r).toMatchObject({columns: 19, pods: 1});
		expect(store.history('pod', 'a/p').values.filter(v => Math.abs(v - 100 * Mi) < Mi).length).toBe(19);
		expect(store.banners.get('prometheus')?.level).toBe('info');
		mode = '403';
		await expect.poll(() => store.banners.get('prometheus')?.level, {timeout: 5000}).toBe('warn');
		mode = 'ok';
		await expect.poll(() => store.banners.get('prometheus')?.text ?? '', {timeout: 5000}).toMatch(/answers again/);
		h.stop();
	});
});
