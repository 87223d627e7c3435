/**
 * The transport against hostile and broken servers (issue 12): every answer bounded in size and
 * time, every failure backed off, every list finite, a silent watch shown as stale, nothing left
 * listening on a long-lived signal. The CLI cases run the built CLI; the cases about a running
 * session drive openSession + Store in-process, with a scheduler whose back-off sleeps the test
 * releases one by one (no real waiting, and each step's requests counted exactly).
 */
import {getEventListeners} from 'node:events';
import http from 'node:http';
import v8 from 'node:v8';
import {runInNewContext} from 'node:vm';
import zlib from 'node:zlib';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {ApiClient} from '../../../source/kube/http.js';
import {Scheduler} from '../../../source/kube/scheduler.js';
import {openSession, type Session, type SessionOptions} from '../../../source/kube/session.js';
import {Store} from '../../../source/store/store.js';
import {headerLine} from '../../../source/ui/screen/index.js';
import {initialState} from '../../../source/ui/state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {ViewModel} from '../../../source/view/index.js';
import {controlBytes, fakeApi, list, pour, rawPod, rssProbe, runCli, type Answer, type FakeApi} from './harness.js';

const podsWatch = /^\/api\/v1\/pods\?.*watch=/;
// a page of the pod list (not the preflight's one-item probe, limit=1): --once asks pages of 10000, a session 500
const podsPage = /^\/api\/v1\/pods\?limit=(?!1(&|$))\d+/;
const MiB = 2 ** 20;

/** a Scheduler whose back-off sleeps wait for wake() (or, `auto`, end at once): `sleeps` is every delay asked for */
class HeldSleeps extends Scheduler {
	readonly sleeps: number[] = [];
	private held: Array<() => void> = [];

	constructor(private readonly auto = false) {
		super();
	}

	override sleep = (ms: number, signal: AbortSignal): Promise<void> =>
		new Promise<void>(resolve => {
			const done = () => {
				signal.removeEventListener('abort', done);
				resolve();
			};

			this.sleeps.push(ms);
			signal.addEventListener('abort', done);
			if (this.auto) setImmediate(done);
			else this.held.push(done);
		});

	wake(): void {
		for (const done of this.held.splice(0)) done();
	}
}

const sessions: Session[] = [];
afterEach(async () => {
	await Promise.all(sessions.splice(0).map(s => s.stop()));
});

async function session(api: FakeApi, options: Partial<SessionOptions> = {}): Promise<{store: Store; sess: Session}> {
	const store = new Store();
	const sess = await openSession({target: kubeTargetForServer(api.url, 'hostile'), metricsIntervalMs: 3_600_000, summaryIntervalMs: 3_600_000, ...options}, store);
	sessions.push(sess);
	await sess.ready;
	return {store, sess};
}

/** how vi.waitFor polls here: every 10 ms, for at most 10 s */
const wait = {timeout: 10_000, interval: 10};

function header(store: Store): string {
	const vm = new ViewModel(store);
	const ctx = {vm, status: vm.status(store.now()), state: initialState(), width: 200, now: store.now(), theme: makeTheme('none')};
	return headerLine(ctx).segs.map(seg => seg.text).join('');
}

function requests(api: FakeApi, pattern: RegExp): number {
	return api.requests.filter(r => pattern.test(r.url)).length;
}

function sendJson(res: http.ServerResponse, value: unknown, status = 200): void {
	res.writeHead(status, {'content-type': 'application/json'});
	res.end(JSON.stringify(value));
}

/** a watch that sends a bookmark now and every `everyMs` */
function bookmarks(everyMs = 200): Answer {
	return (_req, res) => {
		res.writeHead(200, {'content-type': 'application/json'});
		const send = () => res.write(JSON.stringify({type: 'BOOKMARK', object: {kind: 'Pod', apiVersion: 'v1', metadata: {resourceVersion: '100'}}}) + '\n');
		send();
		const timer = setInterval(send, everyMs);
		res.on('close', () => clearInterval(timer));
	};
}

/** headers and `head` at once, then one space every 500 ms for ever */
function trickle(head: string): Answer {
	return (_req, res) => {
		res.writeHead(200, {'content-type': 'application/json'});
		res.write(head);
		const timer = setInterval(() => res.write(' '), 500);
		res.on('close', () => clearInterval(timer));
	};
}

const expired = {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version: 100 (200)'};
const goneForms: Array<[string, Answer]> = [
	['410 answers', {status: 410, json: expired}],
	['200 answers whose first event is ERROR 410', (_req, res) => res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({type: 'ERROR', object: expired}) + '\n')],
];

/** `ms` was the back-off of attempt `n`: 250 ms doubling up to 30 s, ±25 % */
function backoffOf(n: number, ms: number): boolean {
	const base = Math.min(30_000, 250 * 2 ** (n - 1));
	return ms >= base * 0.75 && ms <= base * 1.25;
}

function clean(r: {stdout: Buffer; stderr: Buffer}): void {
	expect(controlBytes(r.stdout)).toEqual([]);
	expect(controlBytes(r.stderr)).toEqual([]);
}

describe('2. one answer is bounded in size', () => {
	it('a pod page past --max-answer: one line naming the bound, exit 1, read no further', async () => {
		let written: Promise<number> | undefined;
		const pod = JSON.stringify(rawPod('big'));
		const api = await fakeApi([[podsPage, (_req, res) => void (written = pour(res, {head: '{"kind":"PodList","metadata":{"resourceVersion":"100"},"items":[', piece: `${pod},`.repeat(100), times: 10_000, tail: `${pod}]}`}))]]);
		const rss = rssProbe();
		const r = await runCli(['--once', '--max-answer', '16Mi', '--kubeconfig', api.kubeconfig()], {env: rss.env});
		expect(r.stderr.toString()).toBe('memtop: list pods in all namespaces failed: answer from /api/v1/pods passed 16Mi (raise the bound with --max-answer)\n');
		expect(r.code).toBe(1);
		clean(r);
		expect(requests(api, podsPage)).toBe(1);
		// the server had 600 MB to send; memtop hung up at 16 MiB (what the sockets buffer aside)
		expect((await written!) / MiB).toBeLessThan(48);
		expect(rss.peakMiB()).toBeLessThan(300);
	}, 30_000);

	it('/version past the bound for a small answer (a sixteenth: 16Mi): one line, exit 1', async () => {
		const api = await fakeApi([['/version', (_req, res) => void pour(res, {head: '{"major":"1","minor":"35","gitVersion":"', piece: 'x'.repeat(64 * 1024), times: 320, tail: '"}'})]]);
		const rss = rssProbe();
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()], {env: rss.env});
		expect(r.stderr.toString()).toBe('memtop: read /version failed: answer from /version passed 16Mi (raise the bound with --max-answer)\n');
		expect(r.code).toBe(1);
		clean(r);
		// the preflight's three and the lists asked beside it (kube/snapshot.ts) go at once, each
		// once: nothing is asked again, or after /version failed
		const asked = api.requests.map(q => q.url);
		expect(asked).toContain('/version');
		const atOnce = ['/version', '/apis', '/api/v1/pods?limit=1', '/api/v1/pods?limit=10000', '/api/v1/nodes?limit=10000', '/apis/metrics.k8s.io/v1beta1/pods'];
		expect(asked.filter(u => !atOnce.includes(u))).toEqual([]);
		expect(new Set(asked).size).toBe(asked.length);
		expect(rss.peakMiB()).toBeLessThan(250);
	});

	it('a kubelet Summary past the small bound: that node unavailable with the bound named, the pods still there', async () => {
		const api = await fakeApi([
			['/api/v1/nodes/node-a/proxy/stats/summary', (_req, res) => void pour(res, {head: '{"node":{"nodeName":"node-a"},"pods":[', piece: ' '.repeat(64 * 1024), times: 40, tail: ']}'})],
		]);
		const rss = rssProbe();
		// a bound of 16Mi makes the small one 1Mi: the 2.5 MB answer passes it well within the
		// Summary's grace after the node list (0.3 s), on a loaded machine too
		const nodes = await runCli(['nodes', '--once', '-o', 'json', '--max-answer', '16Mi', '--kubeconfig', api.kubeconfig()], {env: rss.env});
		expect(nodes.stderr.toString()).toBe('');
		expect(nodes.code).toBe(0);
		clean(nodes);
		expect(JSON.parse(nodes.stdout.toString()).items.map((n: any) => [n.name, n.summary])).toEqual([
			['node-a', 'unavailable: answer from /api/v1/nodes/node-a/proxy/stats/summary passed 1Mi (raise the bound with --max-answer)'],
		]);
		expect(rss.peakMiB()).toBeLessThan(250);
		const pods = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		expect(pods.code).toBe(0);
		expect(JSON.parse(pods.stdout.toString()).items.map((p: any) => p.name)).toEqual(['web-1', 'web-2']);
	});

	it('a metrics list past the bound in a running session: a banner naming it, polling goes on', async () => {
		let written: Promise<number> | undefined;
		const api = await fakeApi();
		const {store, sess} = await session(api, {maxAnswerBytes: 16 * MiB});
		api.route('/apis/metrics.k8s.io/v1beta1/pods', (_req, res) => void (written = pour(res, {head: '{"kind":"PodMetricsList","items":[', piece: ' '.repeat(64 * 1024), times: 4096, tail: ']}'})));
		await sess.pollMetrics();
		expect(store.banners.get('metrics')?.text).toBe(
			'metrics unavailable (answer from /apis/metrics.k8s.io/v1beta1/pods passed 16Mi (raise the bound with --max-answer)): showing the last working sets received (WS~ once stale); retrying every 3600s',
		);
		expect((await written!) / MiB).toBeLessThan(48);
		expect(store.workingSet('shop/web-1')).toBe(150 * MiB);
	});

	it('refuses a --max-answer or --request-timeout that is no size or out of range, in one line', async () => {
		for (const [flags, line] of [
			[['--max-answer', 'lots'], 'memtop: --max-answer: "lots" is not a size (examples: 256Mi, 1Gi)'],
			[['--max-answer', '1Mi'], 'memtop: --max-answer must be between 16Mi and 4Gi'],
			[['--request-timeout', 'soon'], 'memtop: --request-timeout: "soon" is not a duration (examples: 15s, 2m, 1h)'],
			[['--request-timeout', '10ms'], 'memtop: --request-timeout must be between 1s and 1h'],
		] as const) {
			const r = await runCli(['--once', ...flags]);
			expect(r.stderr.toString()).toBe(`${line}\n`);
			expect(r.code).toBe(2);
		}
	});
});

describe('3. every failure backs off, 410 included', () => {
	it.each(goneForms)('%s: one relist and one watch per back-off (250 ms doubling to 30 s), a banner once relists repeat, cleared when the watch works', async (_form, gone) => {
		const sched = new HeldSleeps();
		const api = await fakeApi([[podsWatch, gone]]);
		const {store} = await session(api, {scheduler: sched});
		for (let n = 1; n <= 12; n++) {
			await vi.waitFor(() => expect(sched.sleeps.length).toBeGreaterThanOrEqual(n), wait);
			expect(requests(api, podsWatch)).toBe(n);
			expect(requests(api, podsPage)).toBe(n);
			expect(backoffOf(n, sched.sleeps[n - 1]!)).toBe(true);
			expect(store.banners.get('relist:pods')?.text).toBe(n === 1 ? undefined : `pods watch answered 410 Gone ${n} times in a row: relisting each time, backing off`);
			expect([...store.pods.keys()]).toEqual(['shop/web-1', 'shop/web-2']);
			sched.wake();
		}

		api.route(podsWatch, bookmarks());
		await vi.waitFor(() => expect([store.banners.has('relist:pods'), store.sync.pods]).toEqual([false, 'synced']), wait);
		expect(sched.sleeps.length).toBe(12);
		expect(requests(api, podsPage)).toBe(13);
	});

	it('a watch that sends garbage (with terminal escapes) backs off, and its banner carries none of it', async () => {
		const sched = new HeldSleeps();
		const api = await fakeApi([[podsWatch, (_req, res) => res.writeHead(200, {'content-type': 'application/json'}).end('\u001b]0;owned\u0007\u009b2J not json\n')]]);
		const {store} = await session(api, {scheduler: sched});
		for (let n = 1; n <= 3; n++) {
			await vi.waitFor(() => expect(sched.sleeps.length).toBeGreaterThanOrEqual(n), wait);
			expect(requests(api, podsWatch)).toBe(n);
			expect(backoffOf(n, sched.sleeps[n - 1]!)).toBe(true);
			const text = store.banners.get('watch:pods')?.text ?? '';
			expect(text).toBe(`pods watch interrupted (EBADWATCH: unparseable watch line from /api/v1/pods); reconnecting (attempt ${n})`);
			expect(controlBytes(Buffer.from(text))).toEqual([]);
			sched.wake();
		}

		expect(requests(api, podsPage)).toBe(1);
		expect(store.pods.size).toBe(2);
	});
});

describe('4. no listener left on a long-lived signal', () => {
	it('400 requests with one signal, ended every way (answered, refused, past the deadline, a watch closed): no listener left on it', async () => {
		const api = await fakeApi([
			[podsWatch, (_req, res) => res.writeHead(200, {'content-type': 'application/json'}).end()],
			['/refused', {status: 403, json: {kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message: 'no'}}],
			['/slow', trickle('{')],
		]);
		const client = new ApiClient(kubeTargetForServer(api.url), {requestTimeoutMs: 1000});
		const signal = new AbortController().signal;
		const failed: string[] = [];
		try {
			for (let i = 0; i < 100; i++) {
				await client.getList('/api/v1/pods', {limit: 500}, () => {}, {signal});
				await client.getJson('/version', undefined, {signal});
				await client.getJson('/refused', undefined, {signal}).catch((e: Error) => failed.push(e.name));
				await client.watch('/api/v1/pods', {}, () => {}, {signal});
			}

			await client.getJson('/slow', undefined, {signal}).catch((e: Error) => failed.push(e.name));
		} finally {
			client.close();
		}

		expect(failed).toEqual([...Array<string>(100).fill('ApiError'), 'LimitError']);
		expect(getEventListeners(signal, 'abort')).toHaveLength(0);
	});

	it('2000 relists in a session leave no heap behind', async () => {
		v8.setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const api = await fakeApi([[podsWatch, goneForms[0]![1]]]);
		await session(api, {scheduler: new HeldSleeps(true)});
		await vi.waitFor(() => expect(requests(api, podsPage)).toBeGreaterThanOrEqual(50), {...wait, timeout: 30_000});
		gc();
		const before = process.memoryUsage().heapUsed;
		await vi.waitFor(() => expect(requests(api, podsPage)).toBeGreaterThanOrEqual(2050), {...wait, timeout: 60_000});
		gc();
		// before: ~11 KB a relist (two abort listeners holding their requests), 22 MB here
		expect((process.memoryUsage().heapUsed - before) / MiB).toBeLessThan(6);
	}, 90_000);
});

describe('5. every request and every list has a deadline', () => {
	it('--once against a pod page that trickles a byte at a time: gives up at --request-timeout, one line, exit 1', async () => {
		const api = await fakeApi([[podsPage, trickle('{"kind":"PodList","items":[')]]);
		const r = await runCli(['--once', '--request-timeout', '2s', '--kubeconfig', api.kubeconfig()], {timeoutMs: 30_000});
		expect(r.timedOut).toBe(false);
		expect(r.stderr.toString()).toBe('memtop: list pods in all namespaces failed: no complete answer from /api/v1/pods within 2s (raise with --request-timeout)\n');
		expect(r.code).toBe(1);
		clean(r);
		expect(requests(api, podsPage)).toBe(1);
	}, 40_000);

	it('--once against a list whose pages never end (a fresh continue token each): gives up after ten request timeouts', async () => {
		const api = await fakeApi([
			[
				podsPage,
				(req, res) => {
					const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('continue') ?? '0') + 1;
					setTimeout(() => sendJson(res, list('PodList', [rawPod(`p-${n}`)], {continue: String(n)})), 250);
				},
			],
		]);
		const r = await runCli(['--once', '--request-timeout', '1s', '--kubeconfig', api.kubeconfig()], {timeoutMs: 30_000});
		expect(r.timedOut).toBe(false);
		const pages = requests(api, podsPage);
		expect(r.stderr.toString()).toBe(`memtop: list pods in all namespaces failed: the list of /api/v1/pods was not complete within 10s (${pages} pages; raise with --request-timeout)\n`);
		expect(r.code).toBe(1);
		clean(r);
		// ten seconds of 250 ms pages
		expect(pages).toBeLessThanOrEqual(41);
	}, 40_000);

	it('metrics that trickle: the poll gives up with a banner, and the next poll after the server recovers works', async () => {
		const api = await fakeApi();
		const {store, sess} = await session(api, {requestTimeoutMs: 1000});
		api.route('/apis/metrics.k8s.io/v1beta1/pods', trickle('{"kind":"PodMetricsList","items":['));
		const polled = await Promise.race([sess.pollMetrics().then(() => 'done'), new Promise(resolve => setTimeout(resolve, 15_000, 'still polling'))]);
		expect(polled).toBe('done');
		expect(store.banners.get('metrics')?.text).toBe(
			'metrics unavailable (no complete answer from /apis/metrics.k8s.io/v1beta1/pods within 1s (raise with --request-timeout)): showing the last working sets received (WS~ once stale); retrying every 3600s',
		);
		api.route('/apis/metrics.k8s.io/v1beta1/pods', {json: {kind: 'PodMetricsList', items: [{metadata: {name: 'web-1', namespace: 'shop'}, timestamp: '2026-12-01T10:01:00Z', window: '15s', containers: [{name: 'app', usage: {memory: '170Mi'}}]}]}});
		await sess.pollMetrics();
		expect(store.banners.has('metrics')).toBe(false);
		expect(store.workingSet('shop/web-1')).toBe(170 * MiB);
		expect(api.count('/apis/metrics.k8s.io/v1beta1/pods')).toBe(3);
	}, 30_000);
});

describe('6. a list is finite', () => {
	it('--once against continue tokens that cycle (A, B, A): one line, exit 1, three pages asked', async () => {
		const next: Record<string, string> = {'': 'A', A: 'B', B: 'A'};
		const api = await fakeApi([
			[
				podsPage,
				(req, res) => {
					const token = new URL(req.url ?? '/', 'http://x').searchParams.get('continue') ?? '';
					sendJson(res, list('PodList', [rawPod(`p-${token || '0'}`)], {continue: next[token]}));
				},
			],
		]);
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()], {timeoutMs: 15_000});
		expect(r.timedOut).toBe(false);
		expect(r.stderr.toString()).toBe('memtop: list pods in all namespaces failed: page 3 of /api/v1/pods repeated a continue token the server had sent before: a list that never ends\n');
		expect(r.code).toBe(1);
		clean(r);
		expect(requests(api, podsPage)).toBe(3);
	});

	const brokenRelists: Array<[string, Answer, string]> = [
		[
			'a continue token that repeats',
			(_req, res) => sendJson(res, list('PodList', [rawPod('ghost')], {continue: 'again'})),
			'page 2 of /api/v1/pods repeated a continue token the server had sent before: a list that never ends',
		],
		[
			'a connection closed mid-list',
			(_req, res) => {
				res.writeHead(200, {'content-type': 'application/json'});
				res.write(`{"kind":"PodList","metadata":{"resourceVersion":"100"},"items":[${JSON.stringify(rawPod('half'))},`);
				setTimeout(() => res.socket?.destroy(), 50);
			},
			'ECONNRESET: connection closed before the answer from /api/v1/pods was complete',
		],
	];

	it.each(brokenRelists)('a relist that meets %s: a banner, the last good pods kept, then the full list once it recovers', async (_what, broken, reason) => {
		const sched = new HeldSleeps();
		const api = await fakeApi([[podsWatch, goneForms[0]![1]]]);
		const {store} = await session(api, {scheduler: sched});
		await vi.waitFor(() => expect(sched.sleeps.length).toBe(1), wait);
		api.route(podsPage, broken);
		sched.wake();
		await vi.waitFor(() => expect(sched.sleeps.length).toBe(2), wait);
		expect(store.banners.get('watch:pods')?.text).toBe(`pods watch interrupted (${reason}); reconnecting (attempt 2)`);
		expect([...store.pods.keys()]).toEqual(['shop/web-1', 'shop/web-2']);
		api.route(podsPage, {json: list('PodList', [rawPod('web-1'), rawPod('web-3')])});
		api.route(podsWatch, bookmarks());
		sched.wake();
		await vi.waitFor(() => expect([store.sync.pods, store.banners.has('watch:pods')]).toEqual(['synced', false]), wait);
		expect([...store.pods.keys()].sort()).toEqual(['shop/web-1', 'shop/web-3']);
	});
});

describe('9. a silent watch shows as stale', () => {
	it('a pod watch silent past the bookmark interval: "pods stale" in the header and a banner, reopened, fresh again once it speaks', async () => {
		const api = await fakeApi([
			[/^\/api\/v1\/nodes\?.*watch=/, bookmarks()],
			[/^\/api\/v1\/events\?.*watch=/, bookmarks()],
		]);
		const {store} = await session(api, {watchSilenceMs: 1000, backoffMaxMs: 100});
		expect(header(store)).not.toContain('stale');
		await vi.waitFor(() => expect(store.sync.pods).toBe('stale'), wait);
		expect(store.banners.get('watch:pods')?.text).toBe('pods watch silent for 1s: figures may be behind; reopened');
		expect(header(store)).toContain(' │ pods stale');
		expect([store.sync.nodes, store.sync.events]).toEqual(['synced', 'synced']);
		await vi.waitFor(() => expect(requests(api, podsWatch)).toBeGreaterThanOrEqual(2), wait);
		// reopened but still silent: still stale
		expect(store.sync.pods).toBe('stale');
		api.route(podsWatch, bookmarks());
		await vi.waitFor(() => expect(store.sync.pods).toBe('synced'), wait);
		expect(store.banners.has('watch:pods')).toBe(false);
		expect(header(store)).not.toContain('stale');
		expect(store.pods.size).toBe(2);
		// one reopen per silence, not a storm
		expect(requests(api, podsWatch)).toBeLessThanOrEqual(4);
	});
});

describe('11. one watch line is bounded', () => {
	it('a watch event that never ends: read to the bound (a sixteenth of --max-answer) and no further, a banner, the watch reopened', async () => {
		const sched = new HeldSleeps();
		let written: Promise<number> | undefined;
		const api = await fakeApi([[podsWatch, (_req, res) => void (written ??= pour(res, {head: '{"type":"ADDED","object":{"metadata":{"name":"', piece: 'x'.repeat(64 * 1024), times: 4096}))]]);
		const {store} = await session(api, {scheduler: sched, maxAnswerBytes: 16 * MiB});
		await vi.waitFor(() => expect(sched.sleeps.length).toBe(1), wait);
		expect(store.banners.get('watch:pods')?.text).toBe('pods watch interrupted (one watch event from /api/v1/pods passed 1Mi (raise the bound with --max-answer)); reconnecting (attempt 1)');
		expect((await written!) / MiB).toBeLessThan(32);
		expect(store.pods.size).toBe(2);
		sched.wake();
		await vi.waitFor(() => expect(requests(api, podsWatch)).toBe(2), wait);
	});
});

describe('what the transport never does', () => {
	it('follows no redirect: a 302 is an answer, the place it points to is never asked', async () => {
		const elsewhere = await fakeApi();
		const api = await fakeApi([['/version', {status: 302, headers: {location: `${elsewhere.url}/version`}, text: ''}]]);
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		expect(r.stderr.toString()).toMatch(/^memtop: the API server answered 302 Found to read \/version: [^\n]*\n$/);
		expect(r.code).toBe(1);
		clean(r);
		expect(elsewhere.requests).toEqual([]);
	});

	it('asks for gzip and bounds what it inflates to: a 64 MiB gzip bomb for /version stops at the 16 MiB small-answer bound', async () => {
		const bomb = zlib.gzipSync(Buffer.alloc(64 * MiB));
		const asked: Array<string | undefined> = [];
		const api = await fakeApi([
			[
				'/version',
				(req, res) => {
					asked.push(req.headers['accept-encoding']);
					res.writeHead(200, {'content-type': 'application/json', 'content-encoding': 'gzip'}).end(bomb);
				},
			],
		]);
		const rss = rssProbe();
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()], {env: rss.env});
		expect(r.stderr.toString()).toBe('memtop: read /version failed: answer from /version passed 16Mi (raise the bound with --max-answer)\n');
		expect(r.code).toBe(1);
		clean(r);
		expect(asked).toEqual(['gzip']);
		expect(rss.peakMiB()).toBeLessThan(250);
	});

	it('a gzipped pod list is the same pods; one that inflates past --max-answer stops at the bound', async () => {
		const pods = Array.from({length: 300}, (_, i) => rawPod(`p-${i}`));
		const gzipped = zlib.gzipSync(JSON.stringify(list('PodList', pods)));
		const encodings: Array<string | undefined> = [];
		const answer = (body: Buffer) => (req: http.IncomingMessage, res: http.ServerResponse) => {
			encodings.push(req.headers['accept-encoding']);
			res.writeHead(200, {'content-type': 'application/json', 'content-encoding': 'gzip'}).end(body);
		};

		const api = await fakeApi([[podsPage, answer(gzipped)]]);
		const r = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		clean(r);
		expect(r.code).toBe(0);
		expect(JSON.parse(r.stdout.toString()).items.map((p: {name: string}) => p.name).sort()).toEqual(pods.map(p => (p['metadata'] as {name: string}).name).sort());
		expect(encodings).toEqual(['gzip']);

		// well under 16 MiB on the wire, 64 MiB of pods once inflated
		const pod = JSON.stringify(rawPod('big'));
		const bomb = zlib.gzipSync(`{"kind":"PodList","metadata":{},"items":[${`${pod},`.repeat(Math.ceil((64 * MiB) / pod.length))}${pod}]}`);
		const bombApi = await fakeApi([[podsPage, answer(bomb)]]);
		const rss = rssProbe();
		const big = await runCli(['--once', '--max-answer', '16Mi', '--kubeconfig', bombApi.kubeconfig()], {env: rss.env});
		expect(big.stderr.toString()).toBe('memtop: list pods in all namespaces failed: answer from /api/v1/pods passed 16Mi (raise the bound with --max-answer)\n');
		expect(big.code).toBe(1);
		clean(big);
		expect(rss.peakMiB()).toBeLessThan(300);
	}, 60_000);

	it('reads only the start of a refusal whose body never ends', async () => {
		let written: Promise<number> | undefined;
		const api = await fakeApi([['/version', (_req, res) => void (written = pour(res, {status: 403, head: '', piece: 'denied '.repeat(10_000), times: 100_000}))]]);
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()], {timeoutMs: 15_000});
		expect(r.timedOut).toBe(false);
		expect(r.stderr.toString()).toMatch(/^memtop: forbidden: user "u" cannot read \/version \(denied [^\n]*\)\n$/);
		expect(r.code).toBe(1);
		clean(r);
		expect((await written!) / MiB).toBeLessThan(32);
	});
});
