import type * as Http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import zlib from 'node:zlib';
import {formatBytes} from '../memory/quantity.js';
import type {KubeTarget} from './config.js';
import {ApiError, LimitError, NetworkError, seconds} from './errors.js';
import {LineSplitter} from './items.js';
import {JsonListReader} from './json-list.js';
import {ProtoListSplitter, protobufType, statusFromProto} from './protobuf/list.js';
import {ProtoError, type Reader as ProtoReader} from './protobuf/wire.js';

/**
 * node:http through getBuiltinModule, not `import`: Node's ES module facade of a built-in reads all
 * its exports, and node:http's lazy WebSocket and EventSource load Node's whole fetch (undici):
 * `import('node:http')` alone took 52–150 ms against 4–15 ms, and a whole start ~20 ms more
 * (README, "A lighter start"; source/package/builtins.ts does the same for the bundles)
 */
const http = process.getBuiltinModule('node:http');

export type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
	/** the whole answer, first byte to last, within this long (never longer than the client's request timeout) */
	timeoutMs?: number;
	signal?: AbortSignal;
}

interface ListOptions extends RequestOptions {
	/**
	 * Ask for Kubernetes' protobuf encoding (JSON still accepted: the server picks) and decode each
	 * item with this into the shape of its JSON. Only where a decoder exists (pods: protobuf/pod.ts).
	 */
	protobuf?: (item: ProtoReader) => unknown;
	/** a JSON item that is not JSON (its brackets balance, its text does not parse) is skipped and told here; without, the answer fails */
	onBadItem?: (why: string) => void;
	/** a JSON answer up to this many bytes is parsed whole, not as it comes (json-list.ts: one-shots only, where no frame waits) */
	wholeBytes?: number;
}

/**
 * The bound on one answer (a list page, a metrics list) unless --max-answer says otherwise: a page
 * of 500 pods is ~2 MB, the 150k-pod PodMetricsList (never paged) ~52 MB.
 */
export const defaultMaxAnswerBytes = 256 * 2 ** 20;
/** the longest one request may take unless --request-timeout says otherwise */
export const defaultRequestTimeoutMs = 60_000;
/** how much of a refusal's body is read: a Status object is a few hundred bytes */
const refusalBytes = 64 * 1024;

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

/** the error for a non-2xx answer: the Status object's reason and message when it sent one (ApiError escapes them) */
function statusFromBody(status: number, bytes: Buffer, path: string): ApiError {
	const body = bytes.toString('utf8');
	let reason = http.STATUS_CODES[status] ?? '';
	let message = body.trim().slice(0, 300) || reason;
	try {
		// asked for protobuf, a server refuses in protobuf too
		const parsed = (statusFromProto(bytes) ?? JSON.parse(body)) as {kind?: unknown; reason?: unknown; message?: unknown};
		if (parsed && parsed.kind === 'Status') {
			// a Status from a broken server may have fields of any type: only strings are taken
			if (typeof parsed.reason === 'string') reason = parsed.reason;
			message = typeof parsed.message === 'string' ? parsed.message : reason;
		}
	} catch {
		// not a Status object: keep the text
	}

	return new ApiError(status, reason, message, path);
}

/** what a 2xx answer's body goes to as it arrives; either method may throw to give up on the answer */
interface Reader {
	data(chunk: Buffer): void;
	end(): void;
}

interface Head {
	status: number;
	/** the path with its query, as sent */
	full: string;
	/** re-arm the `idleMs` watchdog */
	alive(): void;
	/** the answer's Content-Type */
	type: string;
}

/**
 * Lists and small answers are asked for gzipped (kube-apiserver compresses answers past 128 KB
 * when asked, as kubectl asks): at 10k pods the pod list is 32 MB of JSON and ~2 MB gzipped, which
 * pays off a link away (README, "Far from the API server"). Watches are not: their events are
 * small, and a gzip stream would hold them back. MEMTOP_GZIP=0 asks for none (for measuring).
 * Every bound counts the bytes as inflated, so a small gzip bomb is as big as what it inflates to.
 */
const gzipWanted = process.env['MEMTOP_GZIP'] !== '0';
/** MEMTOP_PROTOBUF=0: lists in JSON only (for the bench's before/after) */
const protobufWanted = process.env['MEMTOP_PROTOBUF'] !== '0';

interface Bounds {
	/** null: no overall deadline (a watch) */
	deadlineMs: number | null;
	/** no sign of life (Head.alive) for this long ends the request */
	idleMs?: number;
	signal?: AbortSignal;
	/** ask for a gzipped answer (and inflate it) */
	gzip?: boolean;
	/** the Accept header; application/json unless given */
	accept?: string;
}

function tooBig(what: string, maxBytes: number): LimitError {
	return new LimitError(`${what} passed ${formatBytes(maxBytes)} (raise the bound with --max-answer)`);
}

/** counts an answer's bytes and throws once they pass `maxBytes` */
function budget(path: string, maxBytes: number): (chunk: Buffer) => void {
	let bytes = 0;
	return chunk => {
		bytes += chunk.length;
		if (bytes > maxBytes) throw tooBig(`answer from ${path}`, maxBytes);
	};
}

/** a non-2xx answer: the first `refusalBytes` of its body make the error */
function refusal(status: number, full: string): Reader {
	const parts: Buffer[] = [];
	let size = 0;
	const refuse = () => statusFromBody(status, Buffer.concat(parts), full);
	return {
		data(chunk) {
			parts.push(chunk);
			size += chunk.length;
			if (size >= refusalBytes) throw refuse();
		},
		end() {
			throw refuse();
		},
	};
}

/** the TLS material as one secure context, or as it is when Node refuses it (the connection then says why, as before) */
function secureContextOf(material: tls.SecureContextOptions): https.RequestOptions & tls.ConnectionOptions {
	try {
		return {secureContext: tls.createSecureContext(material)};
	} catch {
		return material;
	}
}

/**
 * A read-only client for the Kubernetes API: GET requests and watch streams over node:http(s),
 * with TLS material and credentials from the kubeconfig (client-node's KubeConfig does the auth:
 * certificates, tokens, exec plugins). It has no method that writes, follows no redirect, and
 * bounds every answer: its size (`maxAnswerBytes`; a sixteenth of it for small answers and for one
 * watch event) and its time (a deadline from the request to the last byte; a watchdog on watches).
 */
export class ApiClient {
	readonly server: URL;
	private readonly target: KubeTarget;
	private agent: Http.Agent | undefined;
	private tls: https.RequestOptions & tls.ConnectionOptions = {};
	private headers: Record<string, string> = {};
	private headersAt = 0;
	/** the exec plugin's credential the headers carry (ExecCredentials' version) */
	private credentialVersion = -1;
	/** the client certificate the agent was made with */
	private agentCert = '';
	private readonly basePath: string;
	readonly userAgent: string;
	/** the bound on one answer: a list page, a metrics list */
	readonly maxAnswerBytes: number;
	/** the bound on one small answer (/version, a Summary, configz) and on one watch event */
	readonly smallAnswerBytes: number;
	/** no request takes longer */
	readonly requestTimeoutMs: number;
	/** every request sent, for tests and the read-only guarantee */
	requestCount = 0;

	constructor(target: KubeTarget, opts: {userAgent?: string; maxAnswerBytes?: number; requestTimeoutMs?: number} = {}) {
		this.target = target;
		this.server = new URL(target.server);
		this.basePath = this.server.pathname.replace(/\/$/, '');
		this.userAgent = opts.userAgent ?? userAgent;
		this.maxAnswerBytes = opts.maxAnswerBytes ?? defaultMaxAnswerBytes;
		this.smallAnswerBytes = Math.floor(this.maxAnswerBytes / 16);
		this.requestTimeoutMs = opts.requestTimeoutMs ?? defaultRequestTimeoutMs;
	}

	/** requests asked at once share one prepare(): one kubeconfig read, one exec plugin run, one agent */
	private preparing: Promise<void> | null = null;

	private prepare(): Promise<void> {
		this.preparing ??= this.prepareNow().finally(() => {
			this.preparing = null;
		});
		return this.preparing;
	}

	private async prepareNow(): Promise<void> {
		const now = Date.now();
		const exec = this.target.credentials;
		if (this.agent && now - this.headersAt < 30_000 && (!exec || exec.isCurrent(this.credentialVersion))) return;
		const opts: https.RequestOptions = {headers: {}};
		await this.target.kc.applyToHTTPSOptions(opts);
		if (exec) {
			// the user's exec plugin, run by memtop (client-node never sees it): a token, or a client certificate
			const c = await exec.get();
			if (c.token) opts.headers = {...opts.headers, Authorization: `Bearer ${c.token}`};
			if (c.cert && c.key) Object.assign(opts, {cert: c.cert, key: c.key});
			this.credentialVersion = c.version;
			const cert = `${c.cert ?? ''}${c.key ?? ''}`;
			if (this.agent && cert !== this.agentCert) {
				// a new client certificate needs new connections (client-go closes the old ones too)
				this.agent.destroy();
				this.agent = undefined;
			}

			this.agentCert = cert;
		}

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
				const material = {ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase};
				this.tls = {
					// one secure context for every connection: given the PEMs instead, each of the
					// dozens a --once opens (Summaries beside the lists) parsed them again
					...secureContextOf(material),
					servername: opts.servername,
					...(opts.rejectUnauthorized === undefined ? {} : {rejectUnauthorized: opts.rejectUnauthorized}),
				};
				this.agent = new https.Agent({keepAlive: true, maxSockets: 32, ...this.tls} as https.AgentOptions);
			} else {
				this.agent = new http.Agent({keepAlive: true, maxSockets: 32});
			}
		}
	}

	/** the overall deadline of a request that asked for `timeoutMs` */
	private deadline(timeoutMs: number | undefined): number {
		return Math.min(timeoutMs ?? Infinity, this.requestTimeoutMs);
	}

	/**
	 * One GET, its 2xx body handed to the Reader `reader` makes, a refusal's turned into an ApiError.
	 * Resolves once the answer is complete. Every timer and the listener on `signal` go when it ends,
	 * however it ends: nothing stays attached to a long-lived signal.
	 */
	private async exchange(path: string, query: Query | undefined, bounds: Bounds, reader: (head: Head) => Reader): Promise<void> {
		await this.prepare();
		const used = this.credentialVersion;
		try {
			await this.send(path, query, bounds, reader);
		} catch (error) {
			// a 401 to an exec plugin's credential runs the plugin again (as client-go does), and the request goes once more
			const exec = this.target.credentials;
			if (!exec || !(error instanceof ApiError) || error.status !== 401 || !(await exec.rejected(used))) throw error;
			await this.prepare();
			await this.send(path, query, bounds, reader);
		}
	}

	/** the request itself, with the headers and agent prepare() made */
	private send(path: string, query: Query | undefined, bounds: Bounds, reader: (head: Head) => Reader): Promise<void> {
		const full = this.basePath + buildPath(path, query);
		const mod = this.server.protocol === 'https:' ? https : http;
		this.requestCount++;
		return new Promise<void>((resolve, reject) => {
			let settled = false;
			let res: Http.IncomingMessage | undefined;
			let inflate: zlib.Gunzip | undefined;
			let idle: NodeJS.Timeout | undefined;
			const {deadlineMs, idleMs, signal} = bounds;
			const deadline = deadlineMs === null ? undefined : setTimeout(() => settle(new LimitError(`no complete answer from ${path} within ${seconds(deadlineMs)} (raise with --request-timeout)`)), deadlineMs);
			const alive = () => {
				if (!idleMs || settled) return;
				clearTimeout(idle);
				idle = setTimeout(() => settle(new NetworkError('EIDLE', `watch ${path} silent for ${seconds(idleMs)}`)), idleMs);
			};

			const onAbort = () => settle(new NetworkError('ABORTED', 'aborted'));
			const settle = (error?: unknown) => {
				if (settled) return;
				settled = true;
				clearTimeout(deadline);
				clearTimeout(idle);
				signal?.removeEventListener('abort', onAbort);
				if (error === undefined) {
					resolve();
					return;
				}

				res?.destroy();
				inflate?.destroy();
				req.destroy();
				reject(error);
			};

			const req = mod.request(
				{
					protocol: this.server.protocol,
					hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
					port: this.server.port || (this.server.protocol === 'https:' ? 443 : 80),
					method: 'GET',
					path: full,
					agent: this.agent,
					headers: {...this.headers, 'User-Agent': this.userAgent, Accept: bounds.accept ?? 'application/json', ...(bounds.gzip && gzipWanted ? {'Accept-Encoding': 'gzip'} : {})},
					...this.tls,
				},
				answer => {
					res = answer;
					const status = answer.statusCode ?? 0;
					const sink = status >= 200 && status < 300 ? reader({status, full, alive, type: String(answer.headers['content-type'] ?? '')}) : refusal(status, full);
					const encoding = String(answer.headers['content-encoding'] ?? 'identity').toLowerCase();
					let body: NodeJS.ReadableStream = answer;
					// only what was asked for is inflated: an answer gzipped unasked is bytes, as before
					if (bounds.gzip && gzipWanted && encoding === 'gzip') {
						// 64 KiB a chunk, not 16: a 20 MB list is a quarter of the callbacks and of the items cut across two chunks (the 10k pod list read with ~30% less CPU)
						inflate = zlib.createGunzip({chunkSize: 64 * 1024});
						inflate.on('error', () => settle(new ApiError(status, 'BadResponse', `answer from ${path} is not valid gzip`, full)));
						answer.pipe(inflate);
						body = inflate;
					}

					body.on('data', (chunk: Buffer) => {
						if (settled) return;
						try {
							sink.data(chunk);
						} catch (error) {
							settle(error);
						}
					});
					body.on('end', () => {
						if (settled) return;
						try {
							sink.end();
							settle();
						} catch (error) {
							settle(error);
						}
					});
					// the body only breaks when the connection does
					// (a gzipped answer may be complete before its last bytes are inflated)
					const broken = () => {
						if (!(inflate && answer.complete)) settle(new NetworkError('ECONNRESET', `connection closed before the answer from ${path} was complete`));
					};
					answer.on('error', broken);
					answer.on('close', broken);
				},
			);
			req.on('error', (e: Error & {code?: string}) => settle(e instanceof ApiError || e instanceof NetworkError ? e : new NetworkError(e.code ?? 'ERROR', e.message)));
			if (signal?.aborted) {
				onAbort();
				return;
			}

			signal?.addEventListener('abort', onAbort, {once: true});
			alive();
			req.end();
		});
	}

	/** GET a small answer (/version, a Summary, configz: at most `smallAnswerBytes`) and parse its JSON; non-2xx answers throw ApiError. */
	async getJson<T>(path: string, query?: Query, opts: RequestOptions = {}): Promise<T> {
		let value: T | undefined;
		const spend = budget(path, this.smallAnswerBytes);
		const parts: Buffer[] = [];
		await this.exchange(path, query, {deadlineMs: this.deadline(opts.timeoutMs), signal: opts.signal, gzip: true}, head => ({
			data(chunk) {
				spend(chunk);
				parts.push(chunk);
			},
			end() {
				try {
					value = JSON.parse(Buffer.concat(parts).toString('utf8')) as T;
				} catch {
					throw new ApiError(head.status, 'BadResponse', `answer from ${path} is not JSON`, head.full);
				}
			},
		}));
		return value as T;
	}

	/** GET a small answer (at most `smallAnswerBytes`) as text, for a reader that parses it itself (Prometheus matrices); non-2xx answers throw ApiError. */
	async getText(path: string, query?: Query, opts: RequestOptions = {}): Promise<string> {
		return (await this.getBytes(path, query, opts)).toString('utf8');
	}

	/** the same as getText, the answer as it came in bytes (a reader that scans bytes: no string of a big answer is made) */
	async getBytes(path: string, query?: Query, opts: RequestOptions = {}): Promise<Buffer> {
		const spend = budget(path, this.smallAnswerBytes);
		const parts: Buffer[] = [];
		let size = 0;
		await this.exchange(path, query, {deadlineMs: this.deadline(opts.timeoutMs), signal: opts.signal}, () => ({
			data(chunk) {
				spend(chunk);
				parts.push(chunk);
				size += chunk.length;
			},
			end() {},
		}));
		return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
	}

	/**
	 * GET a list and hand each item to `onItem`: a small JSON answer once it is whole, a big one as
	 * its bytes arrive (json-list.ts), protobuf item by item; it never becomes one big string nor
	 * one long JSON.parse, and stops at `maxAnswerBytes`. Resolves with
	 * the list's envelope (kind, metadata.continue, metadata.resourceVersion) once the answer is complete.
	 */
	async getList(path: string, query: Query | undefined, onItem: (item: any) => void, opts: ListOptions = {}): Promise<any> {
		let envelope: any;
		const spend = budget(path, this.maxAnswerBytes);
		const proto = protobufWanted ? opts.protobuf : undefined;
		const accept = proto ? `${protobufType}, application/json` : undefined;
		await this.exchange(path, query, {deadlineMs: this.deadline(opts.timeoutMs), signal: opts.signal, gzip: true, accept}, head => {
			const bad = (what: string) => new ApiError(head.status, 'BadResponse', `answer from ${path} is not ${what}`, head.full);
			if (proto && head.type.startsWith(protobufType)) {
				const list = new ProtoListSplitter(proto, onItem);
				return {
					data(chunk) {
						spend(chunk);
						try {
							list.push(chunk);
						} catch (error) {
							throw error instanceof ProtoError ? bad(`a protobuf list (${error.message})`) : error;
						}
					},
					end() {
						try {
							envelope = list.end();
						} catch (error) {
							throw error instanceof ProtoError ? bad(`a complete protobuf list (${error.message})`) : error;
						}
					},
				};
			}

			const list = new JsonListReader(onItem, opts.onBadItem, opts.wholeBytes);
			return {
				data(chunk) {
					spend(chunk);
					try {
						list.push(chunk);
					} catch (error) {
						throw error instanceof SyntaxError ? bad('JSON') : error;
					}
				},
				end() {
					try {
						list.flush();
					} catch (error) {
						throw error instanceof SyntaxError ? bad('JSON') : error;
					}

					try {
						envelope = list.end();
					} catch {
						throw bad('a complete JSON list');
					}

					// a top-level array, string or number is no Kubernetes list: say so, not "0 items"
					if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw bad('a list (a JSON object with items)');
				},
			};
		});
		return envelope;
	}

	/**
	 * Open a watch stream and call `onEvent` for each JSON line (at most `smallAnswerBytes`).
	 * Resolves when the server ends the stream; rejects on a non-2xx answer or a broken connection.
	 * `idleMs`: the watchdog for a silent watch, a NetworkError EIDLE when no line (not even a
	 * bookmark) came for that long, counted from the request.
	 */
	async watch(path: string, query: Query, onEvent: (type: string, object: any) => void, opts: {signal?: AbortSignal; idleMs?: number} = {}): Promise<void> {
		const maxLine = this.smallAnswerBytes;
		await this.exchange(path, {...query, watch: 'true'}, {deadlineMs: null, ...opts}, head => {
			const lines = new LineSplitter(maxLine, () => tooBig(`one watch event from ${path}`, maxLine));
			const line = (text: string) => {
				if (text.trim() === '') return;
				let parsed: {type?: string; object?: unknown};
				try {
					parsed = JSON.parse(text) as {type?: string; object?: unknown};
				} catch {
					throw new NetworkError('EBADWATCH', `unparseable watch line from ${path}`);
				}

				head.alive();
				onEvent(parsed?.type ?? '', parsed?.object);
			};

			return {data: chunk => lines.push(chunk, line), end() {}};
		});
	}

	close(): void {
		this.agent?.destroy();
		this.target.credentials?.close();
	}
}
