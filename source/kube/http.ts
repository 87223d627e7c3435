import http from 'node:http';
import https from 'node:https';
import type {KubeTarget} from './config.js';
import {ApiError, NetworkError} from './errors.js';
import {ItemSplitter} from './items.js';

export type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
	timeoutMs?: number;
	signal?: AbortSignal;
}

export const userAgent = 'memtop/0.1.0';

/** a collection under `base` (/api/v1, /apis/metrics.k8s.io/v1beta1): in one namespace, or cluster-wide when `namespace` is null */
export function scopedPath(base: string, resource: string, namespace: string | null): string {
	return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}` : `${base}/${resource}`;
}

function buildPath(path: string, query?: Query): string {
	if (!query) return path;
	const parts: string[] = [];
	for (const [k, v] of Object.entries(query)) {
		if (v === undefined || v === '') continue;
		parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
	}

	return parts.length > 0 ? `${path}?${parts.join('&')}` : path;
}

function statusFromBody(status: number, body: string, path: string): ApiError {
	let reason = http.STATUS_CODES[status] ?? '';
	let message = body.trim().slice(0, 300) || reason;
	try {
		const parsed = JSON.parse(body) as {kind?: unknown; reason?: unknown; message?: unknown};
		if (parsed && parsed.kind === 'Status') {
			// a Status from a broken server may have fields of any type: only strings are taken
			if (typeof parsed.reason === 'string') reason = parsed.reason;
			message = typeof parsed.message === 'string' ? parsed.message : reason;
		}
	} catch {
		// not a Status object: keep the text
	}

	return new ApiError(status, reason, message.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '), path);
}

/**
 * A read-only client for the Kubernetes API: GET requests and watch streams over node:http(s),
 * with TLS material and credentials from the kubeconfig (client-node's KubeConfig does the auth:
 * certificates, tokens, exec plugins). It has no method that writes.
 */
export class ApiClient {
	readonly server: URL;
	private readonly target: KubeTarget;
	private agent: http.Agent | undefined;
	private tls: https.RequestOptions = {};
	private headers: Record<string, string> = {};
	private headersAt = 0;
	private readonly basePath: string;
	readonly userAgent: string;
	/** every request sent, for tests and the read-only guarantee */
	requestCount = 0;

	constructor(target: KubeTarget, opts: {userAgent?: string} = {}) {
		this.target = target;
		this.server = new URL(target.server);
		this.basePath = this.server.pathname.replace(/\/$/, '');
		this.userAgent = opts.userAgent ?? userAgent;
	}

	private async prepare(): Promise<void> {
		const now = Date.now();
		if (this.agent && now - this.headersAt < 30_000) return;
		const opts: https.RequestOptions = {headers: {}};
		await this.target.kc.applyToHTTPSOptions(opts);
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(opts.headers ?? {})) {
			if (v !== undefined) headers[k] = String(v);
		}

		if (opts.auth) {
			headers['Authorization'] = `Basic ${Buffer.from(String(opts.auth)).toString('base64')}`;
		}

		this.headers = headers;
		this.headersAt = now;
		if (!this.agent) {
			if (this.target.kc.getCurrentCluster()?.proxyUrl && opts.agent instanceof http.Agent) {
				// proxy-url: client-node builds the proxying agent
				this.agent = opts.agent;
			} else if (this.server.protocol === 'https:') {
				this.tls = {
					ca: opts.ca,
					cert: opts.cert,
					key: opts.key,
					pfx: opts.pfx,
					passphrase: opts.passphrase,
					servername: opts.servername,
					...(opts.rejectUnauthorized === undefined ? {} : {rejectUnauthorized: opts.rejectUnauthorized}),
				};
				this.agent = new https.Agent({keepAlive: true, maxSockets: 32, ...this.tls} as https.AgentOptions);
			} else {
				this.agent = new http.Agent({keepAlive: true, maxSockets: 32});
			}
		}
	}

	private async open(path: string, query: Query | undefined, opts: RequestOptions): Promise<{res: http.IncomingMessage; full: string}> {
		await this.prepare();
		const full = this.basePath + buildPath(path, query);
		const mod = this.server.protocol === 'https:' ? https : http;
		this.requestCount++;
		return new Promise((resolve, reject) => {
			const req = mod.request(
				{
					protocol: this.server.protocol,
					hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
					port: this.server.port || (this.server.protocol === 'https:' ? 443 : 80),
					method: 'GET',
					path: full,
					agent: this.agent,
					headers: {...this.headers, 'User-Agent': this.userAgent, Accept: 'application/json'},
					...this.tls,
				},
				res => resolve({res, full}),
			);
			const fail = (error: Error & {code?: string}) => {
				reject(error instanceof ApiError || error instanceof NetworkError ? error : new NetworkError(error.code ?? 'ERROR', error.message));
			};

			req.on('error', fail);
			if (opts.timeoutMs) {
				req.setTimeout(opts.timeoutMs, () => {
					req.destroy(new NetworkError('ETIMEDOUT', `no answer from ${this.server.host} within ${Math.round(opts.timeoutMs! / 1000)}s`));
				});
			}

			if (opts.signal) {
				if (opts.signal.aborted) req.destroy(new NetworkError('ABORTED', 'aborted'));
				opts.signal.addEventListener('abort', () => req.destroy(new NetworkError('ABORTED', 'aborted')), {once: true});
			}

			req.end();
		});
	}

	private static readBody(res: http.IncomingMessage): Promise<string> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			res.on('error', (e: Error & {code?: string}) => reject(new NetworkError(e.code ?? 'ERROR', e.message)));
			res.on('aborted', () => reject(new NetworkError('ECONNRESET', 'response aborted')));
		});
	}

	/** GET a path and parse the JSON answer; non-2xx answers throw ApiError. */
	async getJson<T>(path: string, query?: Query, opts: RequestOptions = {}): Promise<T> {
		const {res, full} = await this.open(path, query, {timeoutMs: 60_000, ...opts});
		const body = await ApiClient.readBody(res);
		const status = res.statusCode ?? 0;
		if (status < 200 || status >= 300) throw statusFromBody(status, body, full);
		try {
			return JSON.parse(body) as T;
		} catch {
			throw new ApiError(status, 'BadResponse', `answer from ${path} is not JSON`, full);
		}
	}

	/**
	 * GET a list and hand each item to `onItem` as its bytes arrive (see ItemSplitter): a big list
	 * never becomes one string nor one long JSON.parse. Resolves with the list's envelope
	 * (kind, metadata.continue, metadata.resourceVersion) once the answer is complete.
	 */
	async getList(path: string, query: Query | undefined, onItem: (item: any) => void, opts: RequestOptions = {}): Promise<any> {
		const {res, full} = await this.open(path, query, {timeoutMs: 60_000, ...opts});
		const status = res.statusCode ?? 0;
		if (status < 200 || status >= 300) throw statusFromBody(status, await ApiClient.readBody(res), full);
		const splitter = new ItemSplitter(onItem);
		return new Promise((resolve, reject) => {
			let failed = false;
			const fail = (error: Error) => {
				if (failed) return;
				failed = true;
				res.destroy();
				reject(error);
			};

			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				if (failed) return;
				try {
					splitter.push(chunk);
				} catch (error) {
					fail(error instanceof SyntaxError ? new ApiError(status, 'BadResponse', `answer from ${path} is not JSON`, full) : (error as Error));
				}
			});
			res.on('end', () => {
				if (failed) return;
				try {
					resolve(splitter.end());
				} catch {
					fail(new ApiError(status, 'BadResponse', `answer from ${path} is not a complete JSON list`, full));
				}
			});
			res.on('error', (e: Error & {code?: string}) => fail(new NetworkError(e.code ?? 'ERROR', e.message)));
			res.on('aborted', () => fail(new NetworkError('ECONNRESET', 'response aborted')));
		});
	}

	/**
	 * Open a watch stream and call `onEvent` for each JSON line. Resolves when the server closes the
	 * stream; rejects on a non-2xx answer or a broken connection. `idleMs`: abort when no byte
	 * (not even a bookmark) arrived for that long — the watchdog for a silent watch.
	 */
	async watch(path: string, query: Query, onEvent: (type: string, object: any) => void, opts: RequestOptions & {idleMs?: number} = {}): Promise<void> {
		const {res, full} = await this.open(path, {...query, watch: 'true'}, opts);
		const status = res.statusCode ?? 0;
		if (status < 200 || status >= 300) {
			throw statusFromBody(status, await ApiClient.readBody(res), full);
		}

		return new Promise((resolve, reject) => {
			let rest = '';
			let timer: NodeJS.Timeout | undefined;
			let done = false;
			const finish = (error?: Error) => {
				if (done) return;
				done = true;
				if (timer) clearTimeout(timer);
				res.destroy();
				if (error) reject(error);
				else resolve();
			};

			const arm = () => {
				if (!opts.idleMs) return;
				if (timer) clearTimeout(timer);
				timer = setTimeout(() => finish(new NetworkError('EIDLE', `watch ${path} silent for ${Math.round(opts.idleMs! / 1000)}s`)), opts.idleMs);
			};

			arm();
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				arm();
				rest += chunk;
				let nl = rest.indexOf('\n');
				while (nl >= 0) {
					const line = rest.slice(0, nl);
					rest = rest.slice(nl + 1);
					nl = rest.indexOf('\n');
					if (line.trim() === '') continue;
					let parsed: {type?: string; object?: unknown};
					try {
						parsed = JSON.parse(line) as {type?: string; object?: unknown};
					} catch {
						finish(new NetworkError('EBADWATCH', `unparseable watch line from ${path}`));
						return;
					}

					try {
						onEvent(parsed.type ?? '', parsed.object);
					} catch (error) {
						finish(error as Error);
						return;
					}

					if (done) return;
				}
			});
			res.on('end', () => finish());
			res.on('error', (e: Error & {code?: string}) => finish(new NetworkError(e.code ?? 'ECONNRESET', e.message)));
			res.on('aborted', () => finish(new NetworkError('ECONNRESET', 'watch stream aborted')));
			res.on('close', () => finish());
			opts.signal?.addEventListener('abort', () => finish(), {once: true});
		});
	}

	close(): void {
		this.agent?.destroy();
	}
}
