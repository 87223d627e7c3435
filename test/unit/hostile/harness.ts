/**
 * The hostile-server suite's parts: a fake Kubernetes API server of our own on loopback whose
 * answers each test writes (broken, slow, huge, malicious), a kubeconfig pointing at it, the built
 * CLI run as a user runs it, and the checks every case makes (no control byte from the server on
 * stdout or stderr, request counts, RSS).
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {afterEach} from 'vitest';

export const main = path.resolve(import.meta.dirname, '../../../dist/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-hostile-'));

/** what a route answers: a status and JSON (or text, or bytes), or a hand-written answer */
export type Answer = {status?: number; json?: unknown; text?: string | Buffer; headers?: Record<string, string>} | ((req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>);

export interface FakeApi {
	url: string;
	/** every request: method and path with query, and its headers */
	requests: Array<{method: string; url: string; headers: http.IncomingHttpHeaders}>;
	/** requests whose path starts with `prefix` */
	count(prefix: string): number;
	/** replace the answer of a route while running */
	route(pattern: string | RegExp, answer: Answer): void;
	/** `server`: another URL for the cluster (e.g. with user:password); `contextUser`: the user the context names (default u, the one defined) */
	kubeconfig(opts?: {context?: string; user?: Record<string, unknown>; extra?: string; server?: string; contextUser?: string}): string;
	close(): Promise<void>;
}

export function rawPod(name: string, over: Record<string, unknown> = {}, ns = 'shop'): Record<string, unknown> {
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name, namespace: ns, uid: `uid-${ns}-${name}`, resourceVersion: '10', creationTimestamp: '2026-11-30T10:00:00Z'},
		spec: {nodeName: 'node-a', containers: [{name: 'app', resources: {requests: {memory: '100Mi'}, limits: {memory: '200Mi'}}}]},
		status: {phase: 'Running', qosClass: 'Burstable', containerStatuses: [{name: 'app', ready: true, restartCount: 0, state: {running: {startedAt: '2026-11-30T10:00:05Z'}}}]},
		...over,
	};
}

export function rawNode(name: string): Record<string, unknown> {
	return {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {name, uid: `uid-${name}`, resourceVersion: '5'},
		status: {capacity: {memory: '8Gi'}, allocatable: {memory: '7Gi'}, conditions: [{type: 'Ready', status: 'True'}, {type: 'MemoryPressure', status: 'False'}]},
	};
}

export function list(kind: string, items: unknown[], meta: Record<string, unknown> = {}): Record<string, unknown> {
	return {kind, apiVersion: 'v1', metadata: {resourceVersion: '100', ...meta}, items};
}

export function podMetrics(name: string, bytes: string, ns = 'shop'): Record<string, unknown> {
	return {metadata: {name, namespace: ns}, timestamp: '2026-12-01T10:00:00Z', window: '15s', containers: [{name: 'app', usage: {cpu: '1m', memory: bytes}}]};
}

/** a well-behaved cluster of two pods on one node; each test replaces the routes it attacks */
function defaults(): Array<[string | RegExp, Answer]> {
	return [
		['/version', {json: {major: '1', minor: '35', gitVersion: 'v1.35.0'}}],
		['/apis', {json: {kind: 'APIGroupList', groups: [{name: 'metrics.k8s.io', versions: [{groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1'}], preferredVersion: {groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1'}}]}}],
		['/apis/metrics.k8s.io/v1beta1/pods', {json: {kind: 'PodMetricsList', items: [podMetrics('web-1', '150Mi'), podMetrics('web-2', '120Mi')]}}],
		['/apis/metrics.k8s.io/v1beta1/nodes', {json: {kind: 'NodeMetricsList', items: [{metadata: {name: 'node-a'}, timestamp: '2026-12-01T10:00:00Z', window: '15s', usage: {memory: '3Gi'}}]}}],
		[/^\/api\/v1\/pods\?.*watch=/, (_req, res) => res.writeHead(200, {'content-type': 'application/json'})],
		[/^\/api\/v1\/nodes\?.*watch=/, (_req, res) => res.writeHead(200, {'content-type': 'application/json'})],
		[/^\/api\/v1\/events\?.*watch=/, (_req, res) => res.writeHead(200, {'content-type': 'application/json'})],
		['/api/v1/pods', {json: list('PodList', [rawPod('web-1'), rawPod('web-2')])}],
		['/api/v1/nodes', {json: list('NodeList', [rawNode('node-a')])}],
		['/api/v1/events', {json: list('EventList', [])}],
		[/^\/api\/v1\/nodes\/[^/]+\/proxy\//, {status: 404, json: {kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'no kubelet'}}],
	];
}

const open: FakeApi[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map(s => s.close()));
});

/** a self-signed certificate for 127.0.0.1 (test only; kubeconfigs skip verification) */
const tlsFiles = path.join(import.meta.dirname, 'tls');

/**
 * start a fake API server; `routes` come before the defaults (first match wins; a string matches a
 * path prefix up to the query). `tls`: https (kubectl sends a user's credentials only over TLS).
 */
export async function fakeApi(routes: Array<[string | RegExp, Answer]> = [], opts: {tls?: boolean} = {}): Promise<FakeApi> {
	let table: Array<[string | RegExp, Answer]> = [...routes, ...defaults()];
	const requests: FakeApi['requests'] = [];
	const sockets = new Set<import('node:net').Socket>();
	const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
		const url = req.url ?? '/';
		requests.push({method: req.method ?? '', url, headers: req.headers});
		const pathOnly = url.split('?')[0]!;
		const hit = table.find(([p]) => (typeof p === 'string' ? pathOnly === p : p.test(url)));
		if (!hit) {
			res.writeHead(404, {'content-type': 'application/json'});
			res.end(JSON.stringify({kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `not found: ${pathOnly}`}));
			return;
		}

		const answer = hit[1];
		if (typeof answer === 'function') {
			await answer(req, res);
			return;
		}

		const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? '');
		res.writeHead(answer.status ?? 200, {'content-type': answer.json !== undefined ? 'application/json' : 'text/plain', ...answer.headers});
		res.end(body);
	};
	const server = opts.tls
		? https.createServer({key: fs.readFileSync(path.join(tlsFiles, 'key.pem')), cert: fs.readFileSync(path.join(tlsFiles, 'cert.pem'))}, handler)
		: http.createServer(handler);
	server.on('connection', s => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as import('node:net').AddressInfo).port;
	const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
	const api: FakeApi = {
		url,
		requests,
		count: prefix => requests.filter(r => r.url.startsWith(prefix)).length,
		route(pattern, answer) {
			table = [[pattern, answer], ...table.filter(([p]) => String(p) !== String(pattern))];
		},
		kubeconfig(opts = {}) {
			const context = opts.context ?? 'hostile';
			const user = opts.user ?? {token: 'test-token'};
			const file = path.join(tmp, `config-${port}-${Math.random().toString(36).slice(2)}`);
			const text = [
				'apiVersion: v1',
				'kind: Config',
				`current-context: ${JSON.stringify(context)}`,
				'clusters:',
				`- name: c`,
				`  cluster: {server: ${JSON.stringify(opts.server ?? url)}, insecure-skip-tls-verify: true}`,
				'users:',
				`- name: u`,
				`  user: ${JSON.stringify(user)}`,
				'contexts:',
				`- name: ${JSON.stringify(context)}`,
				`  context: {cluster: c, user: ${JSON.stringify(opts.contextUser ?? 'u')}}`,
				opts.extra ?? '',
			].join('\n');
			fs.writeFileSync(file, text);
			return file;
		},
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
	open.push(api);
	return api;
}

export interface CliRun {
	code: number;
	stdout: Buffer;
	stderr: Buffer;
	/** killed after the deadline */
	timedOut: boolean;
}

/** the built CLI as a user runs it, killed after `timeoutMs` (the suite's own bound, not an assertion on time) */
export function runCli(args: string[], opts: {env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<CliRun> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [main, ...args], {env: {HOME: tmp, PATH: process.env['PATH'], ...opts.env}, stdio: ['ignore', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, opts.timeoutMs ?? 20_000);
		child.stdout.on('data', (c: Buffer) => out.push(c));
		child.stderr.on('data', (c: Buffer) => err.push(c));
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err), timedOut});
		});
	});
}

/**
 * Code points that steer a terminal: C0 controls but newline, DEL, C1 controls. The check every
 * hostile case makes on stdout and stderr (bidi and zero-width characters are checked where a
 * case sends them).
 */
export function controlBytes(buf: Buffer): string[] {
	const found: string[] = [];
	for (const ch of buf.toString('utf8')) {
		const c = ch.codePointAt(0)!;
		if ((c < 0x20 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f)) found.push(`U+${c.toString(16).padStart(4, '0')}`);
	}

	return found;
}

/**
 * Answer with `head`, then `piece` `times` over as fast as the client reads (minding
 * backpressure), then `tail`; stops when the client goes away. Resolves with the bytes written,
 * which says how far memtop read before it gave up.
 */
export async function pour(res: http.ServerResponse, a: {status?: number; head: string; piece: string | Buffer; times: number; tail?: string}): Promise<number> {
	let gone = false;
	res.on('close', () => (gone = true));
	res.writeHead(a.status ?? 200, {'content-type': 'application/json'});
	let written = Buffer.byteLength(a.head);
	res.write(a.head);
	for (let i = 0; i < a.times && !gone; i++) {
		written += Buffer.byteLength(a.piece);
		if (!res.write(a.piece)) {
			await new Promise<void>(resolve => {
				const on = () => {
					res.off('drain', on);
					res.off('close', on);
					resolve();
				};
				res.on('drain', on);
				res.on('close', on);
			});
		}
	}

	if (!gone) res.end(a.tail ?? '');
	return written;
}

/** the env that makes the CLI write its peak resident set (VmHWM) to a file as it exits; `peakMiB()` reads it */
export function rssProbe(): {env: NodeJS.ProcessEnv; peakMiB(): number} {
	const dir = fs.mkdtempSync(path.join(tmp, 'rss-'));
	const hook = path.join(dir, 'hook.mjs');
	const out = path.join(dir, 'peak');
	fs.writeFileSync(hook, `import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, /VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]));\n`);
	return {
		env: {NODE_OPTIONS: `--import=${hook}`},
		peakMiB: () => Number(fs.readFileSync(out, 'utf8')) / 1024,
	};
}
