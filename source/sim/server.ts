/**
 * The simulated API server's HTTP layer: discovery, list (pagination from a consistent snapshot),
 * watch (chunked JSON lines, 410 on an expired resourceVersion, bookmarks), metrics.k8s.io and the
 * node proxy to the kubelet's Summary API and configz. Errors are `Status` objects shaped like the
 * real API server's. Only GET is allowed; anything else answers 405 and is counted.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {gzip} from 'node:zlib';
import {parseFieldSelector} from './field-selectors.js';
import {parseLabelSelector, SelectorError} from './label-selectors.js';
import type {LogEntry, ObjectStore, ObjectWatcher, ResourceDef, SimObj, WatchEventType} from './objects.js';
import {uuidFrom} from './prng.js';
import type {MetricsQuery, Scenario} from './scenario.js';

interface ServerOptions {
	metricsV1: boolean;
	noMetrics: boolean;
	forbid: string[];
	requireToken: string | null;
	user: string;
	gzip: boolean;
	kubeletDown: string[];
	bookmarkIntervalMs: number;
	/** 401 unless this accepts the bearer token (with requireToken: either may accept it) */
	acceptToken?: ((token: string) => boolean) | null;
}

export interface RequestRecord {
	method: string;
	path: string;
	query: string;
	userAgent: string;
	status: number;
}

export interface Fault {
	/** substring of the path (or a RegExp) the fault applies to */
	match: string | RegExp;
	status: number;
	/** how many requests it hits; default 1 */
	count?: number;
	/** Status reason (default from the code) */
	reason?: string;
	message?: string;
}

const KUBE_VERSION = {
	major: '1',
	minor: '35',
	emulationMajor: '1',
	emulationMinor: '35',
	minCompatibilityMajor: '1',
	minCompatibilityMinor: '34',
	gitVersion: 'v1.35.0',
	gitCommit: '66452049f3d692768c39c797b21b793dce80314e',
	gitTreeState: 'clean',
	buildDate: '2025-12-17T12:41:44Z',
	goVersion: 'go1.25.5',
	compiler: 'gc',
	platform: 'linux/amd64',
};

const REASONS: Record<number, string> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'NotFound',
	405: 'MethodNotAllowed',
	406: 'NotAcceptable',
	409: 'Conflict',
	410: 'Expired',
	422: 'Invalid',
	429: 'TooManyRequests',
	500: 'InternalError',
	503: 'ServiceUnavailable',
	504: 'Timeout',
};

const OTHER_GROUPS: Array<[string, string[]]> = [
	['apiregistration.k8s.io', ['v1']],
	['apps', ['v1']],
	['events.k8s.io', ['v1']],
	['authentication.k8s.io', ['v1']],
	['authorization.k8s.io', ['v1']],
	['autoscaling', ['v2', 'v1']],
	['batch', ['v1']],
	['certificates.k8s.io', ['v1']],
	['networking.k8s.io', ['v1']],
	['policy', ['v1']],
	['rbac.authorization.k8s.io', ['v1']],
	['storage.k8s.io', ['v1']],
	['admissionregistration.k8s.io', ['v1']],
	['apiextensions.k8s.io', ['v1']],
	['scheduling.k8s.io', ['v1']],
	['coordination.k8s.io', ['v1']],
	['node.k8s.io', ['v1']],
	['discovery.k8s.io', ['v1']],
	['flowcontrol.apiserver.k8s.io', ['v1']],
	['resource.k8s.io', ['v1']],
];

const CORE_EXTRA: Array<{name: string; singularName: string; namespaced: boolean; kind: string; verbs: string[]; shortNames?: string[]}> = [
	{name: 'bindings', singularName: 'binding', namespaced: true, kind: 'Binding', verbs: ['create']},
	{name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['cm']},
	{name: 'endpoints', singularName: 'endpoints', namespaced: true, kind: 'Endpoints', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ep']},
	{name: 'limitranges', singularName: 'limitrange', namespaced: true, kind: 'LimitRange', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['limits']},
	{name: 'persistentvolumeclaims', singularName: 'persistentvolumeclaim', namespaced: true, kind: 'PersistentVolumeClaim', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['pvc']},
	{name: 'resourcequotas', singularName: 'resourcequota', namespaced: true, kind: 'ResourceQuota', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['quota']},
	{name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']},
	{name: 'serviceaccounts', singularName: 'serviceaccount', namespaced: true, kind: 'ServiceAccount', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['sa']},
	{name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['svc']},
];

function statusBody(code: number, message: string, reason?: string, details?: Record<string, unknown>, extraMeta?: Record<string, unknown>): string {
	const body: Record<string, unknown> = {kind: 'Status', apiVersion: 'v1', metadata: extraMeta ?? {}, status: 'Failure', message, reason: reason ?? REASONS[code] ?? 'Unknown'};
	if (details) {
		body['details'] = details;
	}

	body['code'] = code;
	return JSON.stringify(body);
}

class HttpError extends Error {
	constructor(
		readonly code: number,
		message: string,
		readonly reason?: string,
		readonly details?: Record<string, unknown>,
	) {
		super(message);
	}
}

interface ContinueToken {
	rv: number;
	start: string;
}

/** The API server's token: base64 of {"v","rv","start"}, start being the etcd key suffix after the last item. */
function encodeContinue(rv: number, start: string): string {
	return Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv, start: `/${start}\u0000`})).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
	try {
		const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {v?: string; rv?: number; start?: string};
		if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string' || !parsed.start.startsWith('/') || !parsed.start.endsWith('\u0000')) {
			throw new Error('bad token');
		}

		return {rv: parsed.rv, start: parsed.start.slice(1, -1)};
	} catch (error) {
		const reason = error instanceof SyntaxError ? error.message : 'incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
		throw new HttpError(400, `invalid continue token: continue key is not valid: ${reason}`);
	}
}

type Predicate = (obj: SimObj) => boolean;

class Watch implements ObjectWatcher {
	private pending = '';
	private scheduled = false;
	closed = false;
	stalled = false;
	private bookmarkTimer: NodeJS.Timeout | null = null;
	private timeoutTimer: NodeJS.Timeout | null = null;

	constructor(
		readonly resource: string,
		readonly def: ResourceDef,
		private readonly res: ServerResponse,
		private readonly predicate: Predicate,
		readonly bookmarks: boolean,
		private readonly server: SimServer,
	) {}

	onEvent(entry: LogEntry): void {
		if (this.closed || this.stalled) {
			return;
		}

		const type = this.typeFor(entry);
		if (type === null) {
			return;
		}

		this.write(lineFor(entry, type));
	}

	typeFor(entry: LogEntry): WatchEventType | null {
		const now = this.predicate(entry.obj);
		if (entry.type !== 'MODIFIED' || entry.prev === null) {
			return now ? entry.type : null;
		}

		const before = this.predicate(entry.prev);
		if (now && before) {
			return 'MODIFIED';
		}

		if (now) {
			return 'ADDED';
		}

		return before ? 'DELETED' : null;
	}

	write(line: string): void {
		this.pending += line;
		if (!this.scheduled) {
			this.scheduled = true;
			setImmediate(() => this.flush());
		}
	}

	flush(): void {
		this.scheduled = false;
		if (this.closed || this.pending === '') {
			return;
		}

		const chunk = this.pending;
		this.pending = '';
		this.res.write(chunk);
	}

	bookmark(rv: number, initialEventsEnd = false): void {
		if (this.closed || this.stalled) {
			return;
		}

		// As a v1.34+ API server writes them: an empty object carrying only the resourceVersion.
		const meta = initialEventsEnd ? `{"resourceVersion":"${rv}","annotations":{"k8s.io/initial-events-end":"true"}}` : `{"resourceVersion":"${rv}"}`;
		const apiVersion = this.def.group === '' ? this.def.version : `${this.def.group}/${this.def.version}`;
		this.write(`{"type":"BOOKMARK","object":{"kind":"${this.def.kind}","apiVersion":"${apiVersion}","metadata":${meta}}}\n`);
	}

	start(timeoutSeconds: number | null, bookmarkIntervalMs: number): void {
		if (this.bookmarks && bookmarkIntervalMs > 0) {
			this.bookmarkTimer = setInterval(() => this.bookmark(this.server.store.rv), bookmarkIntervalMs);
			this.bookmarkTimer.unref();
		}

		if (timeoutSeconds !== null && timeoutSeconds > 0) {
			this.timeoutTimer = setTimeout(() => this.end(), timeoutSeconds * 1000);
			this.timeoutTimer.unref();
		}
	}

	end(): void {
		if (this.closed) {
			return;
		}

		this.flush();
		this.close();
		this.res.end();
	}

	/** drop the connection without a clean end (what a crashed server or a network cut does) */
	destroy(): void {
		this.close();
		this.res.destroy();
	}

	close(): void {
		this.closed = true;
		if (this.bookmarkTimer) {
			clearInterval(this.bookmarkTimer);
		}

		if (this.timeoutTimer) {
			clearTimeout(this.timeoutTimer);
		}

		this.server.store.removeWatcher(this);
		this.server.watches.delete(this);
	}
}

/**
 * `head + items.join(',') + tail` as UTF-8 bytes, written item by item into one buffer: much
 * cheaper than flattening a 100 MB string and encoding it again.
 */
function joinToBuffer(head: string, items: readonly string[], tail: string): Buffer {
	let size = head.length + tail.length + items.length;
	for (const item of items) {
		size += item.length;
	}

	const buffer = Buffer.allocUnsafe(size * 3);
	let offset = buffer.write(head, 0, 'utf8');
	for (let i = 0; i < items.length; i++) {
		if (i > 0) {
			buffer[offset++] = 0x2c;
		}

		offset += buffer.write(items[i] ?? '', offset, 'utf8');
	}

	offset += buffer.write(tail, offset, 'utf8');
	return buffer.subarray(0, offset);
}

function lineFor(entry: LogEntry, type: WatchEventType): string {
	const cache = (entry.lines ??= {});
	let line = cache[type];
	if (line === undefined) {
		// A DELETED object carries the deletion's resourceVersion, like the real watch cache.
		line = `{"type":"${type}","object":${entry.obj.json(entry.rv)}}\n`;
		cache[type] = line;
	}

	return line;
}

export class SimServer {
	readonly requests: RequestRecord[] = [];
	writes = 0;
	readonly writeLog: Array<{method: string; path: string}> = [];
	metricsAvailable = true;
	readonly watches = new Set<Watch>();
	private readonly faults: Fault[] = [];
	private auditSeq = 0;
	private metricsCache: {seq: number; key: string; body: Buffer} | null = null;
	address = '127.0.0.1:0';

	constructor(
		readonly store: ObjectStore,
		readonly scenario: Scenario & {sampleSeq: number},
		readonly options: ServerOptions,
	) {}

	injectFault(fault: Fault): void {
		this.faults.push({...fault, count: fault.count ?? 1});
	}

	/** send a BOOKMARK with the current resourceVersion on every watch that asked for them */
	bookmarkAll(): void {
		for (const watch of this.watches) {
			if (watch.bookmarks) {
				watch.bookmark(this.store.rv);
			}
		}
	}

	/** end every open watch cleanly (like an API server rolling its watches) */
	endWatches(): void {
		for (const watch of [...this.watches]) {
			watch.end();
		}
	}

	/** cut every open watch connection */
	dropWatches(): void {
		for (const watch of [...this.watches]) {
			watch.destroy();
		}
	}

	/** keep open watches connected but silent */
	stallWatches(): void {
		for (const watch of this.watches) {
			watch.stalled = true;
		}
	}

	handle(req: IncomingMessage, res: ServerResponse): void {
		const url = new URL(req.url ?? '/', 'http://sim');
		const record: RequestRecord = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.search.startsWith('?') ? url.search.slice(1) : url.search,
			userAgent: String(req.headers['user-agent'] ?? ''),
			status: 0,
		};
		this.requests.push(record);
		if (this.requests.length > 200_000) {
			this.requests.splice(0, 100_000);
		}

		res.on('finish', () => {
			record.status = res.statusCode;
		});
		try {
			this.route(req, res, url, record);
		} catch (error) {
			if (error instanceof HttpError) {
				this.sendStatus(res, error.code, error.message, error.reason, error.details);
			} else {
				this.sendStatus(res, 500, `internal error: ${(error as Error).message}`);
			}
		}
	}

	private headers(res: ServerResponse, contentType = 'application/json'): void {
		res.setHeader('Audit-Id', uuidFrom(0x5a, this.auditSeq++));
		res.setHeader('Cache-Control', 'no-cache, private');
		res.setHeader('Content-Type', contentType);
		res.setHeader('X-Kubernetes-Pf-Flowschema-Uid', 'b4c7d1a2-6f3e-4b7e-9a6d-2f1e0c9b8a70');
		res.setHeader('X-Kubernetes-Pf-Prioritylevel-Uid', '9e1f2d3c-4b5a-4c6d-8e7f-1a2b3c4d5e6f');
	}

	private sendStatus(res: ServerResponse, code: number, message: string, reason?: string, details?: Record<string, unknown>): void {
		if (res.headersSent) {
			res.destroy();
			return;
		}

		this.headers(res);
		res.statusCode = code;
		res.end(statusBody(code, message, reason, details));
	}

	private sendJson(req: IncomingMessage, res: ServerResponse, body: string | Buffer, code = 200): void {
		this.headers(res);
		res.statusCode = code;
		const accept = String(req.headers['accept-encoding'] ?? '');
		if (this.options.gzip && body.length >= 128 * 1024 && /\bgzip\b/.test(accept)) {
			gzip(body, {level: 1}, (error, zipped) => {
				if (error) {
					res.end(body);
					return;
				}

				res.setHeader('Content-Encoding', 'gzip');
				res.setHeader('Content-Length', zipped.length);
				res.end(zipped);
			});
			return;
		}

		// Like the Go server: a Content-Length for small answers, chunked for big ones.
		if (body.length < 64 * 1024) {
			res.setHeader('Content-Length', Buffer.byteLength(body));
		}

		res.end(body);
	}

	private sendText(res: ServerResponse, code: number, text: string): void {
		res.statusCode = code;
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.setHeader('X-Content-Type-Options', 'nosniff');
		res.end(text);
	}

	private route(req: IncomingMessage, res: ServerResponse, url: URL, record: RequestRecord): void {
		for (const fault of this.faults) {
			const hit = typeof fault.match === 'string' ? url.pathname.includes(fault.match) : fault.match.test(url.pathname + url.search);
			if (hit && (fault.count ?? 0) > 0) {
				fault.count = (fault.count ?? 1) - 1;
				throw new HttpError(fault.status, fault.message ?? `injected fault ${fault.status}`, fault.reason);
			}
		}

		if (this.options.requireToken !== null || this.options.acceptToken) {
			const auth = String(req.headers.authorization ?? '');
			const token = auth.startsWith('Bearer ') ? auth.slice(7) : null;
			const accepted = token !== null && (token === this.options.requireToken || Boolean(this.options.acceptToken?.(token)));
			if (!accepted) {
				throw new HttpError(401, 'Unauthorized');
			}
		}

		if (record.method !== 'GET') {
			this.writes++;
			this.writeLog.push({method: record.method, path: url.pathname});
			req.resume();
			throw new HttpError(405, 'the server does not allow this method on the requested resource');
		}

		const parts = url.pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
		const q = url.searchParams;
		const path = url.pathname.replace(/\/+$/, '') || '/';
		switch (path) {
			case '/version': {
				this.sendJson(req, res, JSON.stringify(KUBE_VERSION, null, 2));
				return;
			}

			case '/healthz':
			case '/livez':
			case '/readyz': {
				this.sendText(res, 200, 'ok');
				return;
			}

			case '/api': {
				this.sendJson(req, res, JSON.stringify({kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: this.address}]}));
				return;
			}

			case '/api/v1': {
				this.sendJson(req, res, this.coreResources());
				return;
			}

			case '/apis': {
				this.sendJson(req, res, this.groupList());
				return;
			}

			default: {
				break;
			}
		}

		if (parts[0] === 'apis' && parts[1] === 'metrics.k8s.io') {
			this.metrics(req, res, parts.slice(2), q);
			return;
		}

		if (parts[0] === 'apis') {
			const group = OTHER_GROUPS.find(([name]) => name === parts[1]);
			if (group && parts.length === 2) {
				const versions = group[1].map((v) => ({groupVersion: `${group[0]}/${v}`, version: v}));
				this.sendJson(req, res, JSON.stringify({kind: 'APIGroup', apiVersion: 'v1', name: group[0], versions, preferredVersion: versions[0]}));
				return;
			}

			if (group && parts.length === 3 && group[1].includes(parts[2] ?? '')) {
				this.sendJson(req, res, JSON.stringify({kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group[0]}/${parts[2]}`, resources: []}));
				return;
			}

			throw new HttpError(404, 'the server could not find the requested resource');
		}

		if (parts[0] !== 'api' || parts[1] !== 'v1') {
			this.sendText(res, 404, '404 page not found\n');
			return;
		}

		let rest = parts.slice(2);
		let watch = q.get('watch') === 'true' || q.get('watch') === '1';
		if (rest[0] === 'watch') {
			rest = rest.slice(1);
			watch = true;
		}

		// /api/v1/nodes/{n}/proxy/...
		if (rest[0] === 'nodes' && rest[2] === 'proxy' && rest[1] !== undefined) {
			this.proxy(res, rest[1], rest.slice(3).join('/'), q);
			return;
		}

		let namespace: string | null = null;
		if (rest[0] === 'namespaces' && rest.length >= 3) {
			namespace = rest[1] ?? '';
			rest = rest.slice(2);
		}

		const resource = rest[0] ?? '';
		const name = rest[1] ?? null;
		const coll = this.store.collection(resource);
		if (!coll || rest.length > 2 || (namespace !== null && !coll.def.namespaced)) {
			throw new HttpError(404, 'the server could not find the requested resource');
		}

		const def = coll.def;
		if (name !== null && !watch) {
			this.checkForbidden('get', def, def.namespaced ? namespace : null, name);
			this.getOne(req, res, def, def.namespaced ? namespace ?? '' : '', name);
			return;
		}

		this.checkForbidden(watch ? 'watch' : 'list', def, namespace, null);
		if (watch) {
			this.watch(res, def, namespace, q, name);
		} else {
			this.list(req, res, def, namespace, q);
		}
	}

	// ---- authorization -------------------------------------------------------------------------

	private isForbidden(verb: string, resource: string, namespace: string | null, name: string | null, sub = ''): boolean {
		const forbid = this.options.forbid;
		const full = sub === '' ? resource : `${resource}/${sub}`;
		for (const rule of forbid) {
			if (rule === full || rule === `${verb}:${full}`) {
				return true;
			}

			if (namespace === null && rule === `cluster-${resource}` && sub === '') {
				return true;
			}

			if (namespace !== null && rule === `${full}:${namespace}`) {
				return true;
			}

			if (name !== null && sub !== '' && rule === `${full}:${name}`) {
				return true;
			}
		}

		return false;
	}

	private forbidden(verb: string, resource: string, group: string, namespace: string | null, name: string | null, sub = ''): HttpError {
		const shown = group === '' ? resource : `${resource}.${group}`;
		const subject = name === null ? shown : `${shown} "${name}"`;
		const scope = namespace === null ? 'at the cluster scope' : `in the namespace "${namespace}"`;
		const details: Record<string, unknown> = {};
		if (name !== null) {
			details['name'] = name;
		}

		if (group !== '') {
			details['group'] = group;
		}

		details['kind'] = resource;
		return new HttpError(403, `${subject} is forbidden: User "${this.options.user}" cannot ${verb} resource "${sub === '' ? resource : `${resource}/${sub}`}" in API group "${group}" ${scope}`, 'Forbidden', details);
	}

	private checkForbidden(verb: string, def: ResourceDef, namespace: string | null, name: string | null): void {
		if (this.isForbidden(verb, def.resource, namespace, name)) {
			throw this.forbidden(verb, def.resource, def.group, namespace, name);
		}
	}

	// ---- discovery -----------------------------------------------------------------------------

	private metricsVersions(): string[] {
		return this.options.metricsV1 ? ['v1', 'v1beta1'] : ['v1beta1'];
	}

	private groupList(): string {
		const groups = OTHER_GROUPS.map(([name, versions]) => {
			const list = versions.map((v) => ({groupVersion: `${name}/${v}`, version: v}));
			return {name, versions: list, preferredVersion: list[0]};
		});
		if (!this.options.noMetrics) {
			const list = this.metricsVersions().map((v) => ({groupVersion: `metrics.k8s.io/${v}`, version: v}));
			groups.push({name: 'metrics.k8s.io', versions: list, preferredVersion: list[0]});
		}

		return JSON.stringify({kind: 'APIGroupList', apiVersion: 'v1', groups});
	}

	private coreResources(): string {
		const resources: Array<Record<string, unknown>> = [];
		const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
		const all: Array<Record<string, unknown> & {name: string}> = [...CORE_EXTRA];
		for (const def of this.store.defs()) {
			all.push({name: def.resource, singularName: def.singularName, namespaced: def.namespaced, kind: def.kind, verbs: def.resource === 'namespaces' ? ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] : verbs, ...(def.shortNames ? {shortNames: def.shortNames} : {})});
			for (const sub of def.subresources ?? []) {
				const subVerbs = sub === 'proxy' ? ['create', 'delete', 'get', 'patch', 'update'] : sub === 'log' ? ['get'] : sub === 'eviction' || sub === 'binding' ? ['create'] : sub === 'exec' || sub === 'portforward' ? ['create', 'get'] : ['get', 'patch', 'update'];
				const kind = sub === 'proxy' ? `${def.kind}ProxyOptions` : sub === 'eviction' ? 'Eviction' : sub === 'binding' ? 'Binding' : sub === 'log' ? 'Pod' : def.kind;
				all.push({name: `${def.resource}/${sub}`, singularName: '', namespaced: def.namespaced, kind, verbs: subVerbs});
			}
		}

		all.sort((a, b) => (a.name < b.name ? -1 : 1));
		for (const item of all) {
			resources.push({singularName: '', ...item});
		}

		return JSON.stringify({kind: 'APIResourceList', groupVersion: 'v1', resources});
	}

	// ---- core objects --------------------------------------------------------------------------

	private getOne(req: IncomingMessage, res: ServerResponse, def: ResourceDef, namespace: string, name: string): void {
		const version = this.store.get(def.resource, namespace, name);
		if (!version || !version.obj) {
			throw new HttpError(404, `${def.resource} "${name}" not found`, 'NotFound', {name, kind: def.resource});
		}

		this.sendJson(req, res, version.obj.json(version.rv));
	}

	private predicate(def: ResourceDef, namespace: string | null, q: URLSearchParams, name: string | null): {predicate: Predicate | null; selectors: boolean} {
		let labels;
		let fields;
		try {
			labels = parseLabelSelector(q.get('labelSelector'));
			fields = parseFieldSelector(q.get('fieldSelector'), def.fields);
		} catch (error) {
			if (error instanceof SelectorError) {
				throw new HttpError(400, error.message);
			}

			throw error;
		}

		const selectors = !labels.empty || !fields.empty;
		if (!selectors && namespace === null && name === null) {
			return {predicate: null, selectors};
		}

		return {
			predicate: (obj) =>
				(namespace === null || obj.namespace === namespace)
				&& (name === null || obj.name === name)
				&& (labels.empty || labels.matches(obj.labels()))
				&& (fields.empty || fields.matches((f) => obj.field(f))),
			selectors,
		};
	}

	private list(req: IncomingMessage, res: ServerResponse, def: ResourceDef, namespace: string | null, q: URLSearchParams): void {
		const {predicate, selectors} = this.predicate(def, namespace, q, null);
		const limitText = q.get('limit');
		const limit = limitText === null || limitText === '' ? 0 : Number.parseInt(limitText, 10);
		if (!Number.isFinite(limit) || limit < 0) {
			throw new HttpError(400, `limit: Invalid value: ${limitText}`);
		}

		const continueText = q.get('continue');
		const rvText = q.get('resourceVersion');
		const match = q.get('resourceVersionMatch');
		const store = this.store;
		const invalid = (detail: string, reason: string): HttpError => new HttpError(422, `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: ${detail}`, 'Invalid', {group: 'meta.k8s.io', kind: 'ListOptions', causes: [{reason, message: detail, field: 'resourceVersionMatch'}]});
		if (match && !rvText) {
			throw invalid('Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided', 'FieldValueForbidden');
		}

		if (match && match !== 'Exact' && match !== 'NotOlderThan') {
			throw invalid(`Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`, 'FieldValueNotSupported');
		}

		let snapshot = store.rv;
		let after: string | null = null;
		if (continueText) {
			if (rvText && rvText !== '0') {
				throw new HttpError(400, 'specifying resource version is not allowed when using continue');
			}

			const token = decodeContinue(continueText);
			if (token.rv < store.compactRev) {
				throw new HttpError(410, "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response's metadata.", 'Expired');
			}

			snapshot = token.rv;
			after = token.start;
		} else if (rvText && rvText !== '0') {
			const wanted = Number(rvText);
			if (!Number.isInteger(wanted) || wanted < 0) {
				throw new HttpError(400, `invalid resource version: ${rvText}`);
			}

			if (wanted > store.rv) {
				throw new HttpError(504, `Timeout: Too large resource version: ${wanted}, current: ${store.rv}`, 'Timeout', {causes: [{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'}], retryAfterSeconds: 1});
			}

			if (match === 'Exact') {
				if (wanted < store.compactRev) {
					throw new HttpError(410, 'The resourceVersion for the provided list is too old.', 'Expired');
				}

				snapshot = wanted;
			}
		}

		const result = store.list(def.resource, {namespace, predicate, snapshot, after, limit});
		const apiVersion = def.group === '' ? def.version : `${def.group}/${def.version}`;
		let meta = `{"resourceVersion":"${snapshot}"`;
		if (result.continueAfter !== null) {
			meta += `,"continue":"${encodeContinue(snapshot, result.continueAfter)}"`;
			if (result.remaining !== null && !selectors) {
				meta += `,"remainingItemCount":${result.remaining}`;
			}
		}

		meta += '}';
		const items = result.items.map((v) => (v.obj === null ? '' : v.obj.json(v.rv)));
		this.sendJson(req, res, joinToBuffer(`{"kind":"${def.listKind}","apiVersion":"${apiVersion}","metadata":${meta},"items":[`, items, ']}'));
	}

	private watch(res: ServerResponse, def: ResourceDef, namespace: string | null, q: URLSearchParams, name: string | null): void {
		const {predicate} = this.predicate(def, namespace, q, name);
		const pred: Predicate = predicate ?? (() => true);
		const store = this.store;
		const rvText = q.get('resourceVersion');
		const bookmarks = q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1';
		const sendInitial = q.get('sendInitialEvents') === 'true';
		const timeoutText = q.get('timeoutSeconds');
		const timeout = timeoutText === null ? null : Number.parseInt(timeoutText, 10);
		if (sendInitial && q.get('resourceVersionMatch') !== 'NotOlderThan') {
			const detail = 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan';
			throw new HttpError(422, `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: ${detail}`, 'Invalid', {group: 'meta.k8s.io', kind: 'ListOptions', causes: [{reason: 'FieldValueForbidden', message: detail, field: 'resourceVersionMatch'}]});
		}

		if (sendInitial && !bookmarks) {
			const detail = 'Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true';
			throw new HttpError(422, `ListOptions.meta.k8s.io "" is invalid: allowWatchBookmarks: ${detail}`, 'Invalid', {group: 'meta.k8s.io', kind: 'ListOptions', causes: [{reason: 'FieldValueForbidden', message: detail, field: 'allowWatchBookmarks'}]});
		}

		this.headers(res);
		res.statusCode = 200;
		res.setHeader('Transfer-Encoding', 'chunked');
		res.flushHeaders();
		const watch = new Watch(def.resource, def, res, pred, bookmarks, this);
		const wanted = rvText === null || rvText === '' ? null : Number(rvText);
		const errorEvent = (code: number, message: string, reason: string, details?: Record<string, unknown>): void => {
			res.end(`{"type":"ERROR","object":${statusBody(code, message, reason, details)}}\n`);
		};

		if (wanted !== null && !Number.isFinite(wanted)) {
			errorEvent(400, `invalid resource version: ${rvText}`, 'BadRequest');
			return;
		}

		const initial = sendInitial || wanted === null || wanted === 0;
		if (!initial && wanted !== null) {
			if (wanted < store.compactRev) {
				errorEvent(410, `too old resource version: ${wanted} (${store.compactRev + 1})`, 'Expired');
				return;
			}

			if (wanted > store.rv) {
				errorEvent(504, `Timeout: Too large resource version: ${wanted}, current: ${store.rv}`, 'Timeout', {causes: [{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'}], retryAfterSeconds: 1});
				return;
			}
		}

		if (initial) {
			const lines: string[] = [];
			for (const version of store.current(def.resource, namespace)) {
				if (version.obj !== null && pred(version.obj)) {
					lines.push(`{"type":"ADDED","object":${version.obj.json(version.rv)}}\n`);
				}
			}

			if (lines.length > 0) {
				watch.write(lines.join(''));
			}

			if (sendInitial) {
				watch.bookmark(store.rv, true);
			}
		} else if (wanted !== null) {
			const lines: string[] = [];
			for (const entry of store.since(def.resource, wanted)) {
				const type = watch.typeFor(entry);
				if (type !== null) {
					lines.push(lineFor(entry, type));
				}
			}

			if (lines.length > 0) {
				watch.write(lines.join(''));
			}
		}

		store.addWatcher(watch);
		this.watches.add(watch);
		res.on('close', () => watch.close());
		watch.start(timeout, this.options.bookmarkIntervalMs);
	}

	// ---- metrics.k8s.io ------------------------------------------------------------------------

	private metrics(req: IncomingMessage, res: ServerResponse, rest: string[], q: URLSearchParams): void {
		if (this.options.noMetrics) {
			throw new HttpError(404, 'the server could not find the requested resource');
		}

		if (rest.length === 0) {
			const list = this.metricsVersions().map((v) => ({groupVersion: `metrics.k8s.io/${v}`, version: v}));
			this.sendJson(req, res, JSON.stringify({kind: 'APIGroup', apiVersion: 'v1', name: 'metrics.k8s.io', versions: list, preferredVersion: list[0]}));
			return;
		}

		const version = rest[0] ?? '';
		if (!this.metricsVersions().includes(version)) {
			throw new HttpError(404, 'the server could not find the requested resource');
		}

		if (!this.metricsAvailable) {
			const what = rest[1] === 'nodes' ? 'nodes' : rest[1] === undefined ? '' : 'pods';
			throw new HttpError(503, `the server is currently unable to handle the request${what === '' ? '' : ` (get ${what}.metrics.k8s.io)`}`, 'ServiceUnavailable', {group: 'metrics.k8s.io', kind: what, causes: [{reason: 'UnexpectedServerResponse', message: 'service unavailable'}]});
		}

		const groupVersion = `metrics.k8s.io/${version}`;
		if (rest.length === 1) {
			this.sendJson(req, res, JSON.stringify({
				kind: 'APIResourceList',
				apiVersion: 'v1',
				groupVersion,
				resources: [
					{name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list']},
					{name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list']},
				],
			}));
			return;
		}

		let parts = rest.slice(1);
		let namespace: string | null = null;
		if (parts[0] === 'namespaces' && parts.length >= 3) {
			namespace = parts[1] ?? '';
			parts = parts.slice(2);
		}

		const resource = parts[0];
		const name = parts[1] ?? null;
		if ((resource !== 'pods' && resource !== 'nodes') || parts.length > 2 || (resource === 'nodes' && namespace !== null)) {
			throw new HttpError(404, 'the server could not find the requested resource');
		}

		const verb = name === null ? 'list' : 'get';
		if (this.options.forbid.includes('metrics') || this.options.forbid.includes(`metrics/${resource}`)) {
			throw this.forbidden(verb, resource, 'metrics.k8s.io', namespace, name);
		}

		let labels;
		let fields;
		try {
			labels = parseLabelSelector(q.get('labelSelector'));
			fields = parseFieldSelector(q.get('fieldSelector'), new Set(resource === 'pods' ? ['metadata.name', 'metadata.namespace'] : ['metadata.name']));
		} catch (error) {
			if (error instanceof SelectorError) {
				throw new HttpError(400, error.message);
			}

			throw error;
		}

		const query: MetricsQuery = {
			namespace,
			name,
			labels: labels.empty ? null : (l) => labels.matches(l),
			fields: fields.empty ? null : (get) => fields.matches(get),
		};
		const kind = resource === 'pods' ? 'PodMetrics' : 'NodeMetrics';
		if (name !== null) {
			const items = resource === 'pods' ? this.scenario.podMetrics(query) : this.scenario.nodeMetrics(query);
			const item = items[0];
			if (item === undefined) {
				// What metrics-server answers (v0.9): the object kind, not the metrics kind.
				const what = resource === 'pods' ? 'pods' : 'node';
				throw new HttpError(404, `${what} "${name}" not found`, 'NotFound', {name, kind: what});
			}

			this.sendJson(req, res, `{"kind":"${kind}","apiVersion":"${groupVersion}",${item.slice(1)}`);
			return;
		}

		const cacheKey = `${resource}|${namespace ?? ''}|${q.get('labelSelector') ?? ''}|${q.get('fieldSelector') ?? ''}|${groupVersion}`;
		const seq = this.scenario.sampleSeq;
		if (this.metricsCache && this.metricsCache.seq === seq && this.metricsCache.key === cacheKey) {
			this.sendJson(req, res, this.metricsCache.body);
			return;
		}

		const items = resource === 'pods' ? this.scenario.podMetrics(query) : this.scenario.nodeMetrics(query);
		const body = joinToBuffer(`{"kind":"${kind}List","apiVersion":"${groupVersion}","metadata":{},"items":[`, items, ']}');
		this.metricsCache = {seq, key: cacheKey, body};
		this.sendJson(req, res, body);
	}

	// ---- node proxy (kubelet) ------------------------------------------------------------------

	private proxy(res: ServerResponse, node: string, path: string, q: URLSearchParams): void {
		if (this.isForbidden('get', 'nodes', null, node, 'proxy')) {
			throw this.forbidden('get', 'nodes', '', null, node, 'proxy');
		}

		if (!this.scenario.hasNode(node)) {
			throw new HttpError(404, `nodes "${node}" not found`, 'NotFound', {name: node, kind: 'nodes'});
		}

		if (this.options.kubeletDown.includes(node)) {
			throw new HttpError(503, `error trying to reach service: dial tcp ${this.scenario.nodeAddress(node)}:10250: connect: connection refused`, 'ServiceUnavailable');
		}

		const clean = path.replace(/\/+$/, '');
		if (clean === 'stats/summary') {
			const only = q.get('only_cpu_and_memory') === 'true';
			const body = this.scenario.summary(node, only);
			if (body === null) {
				this.sendText(res, 503, 'Internal Error: failed to get node info: node not ready\n');
				return;
			}

			// The kubelet indents its JSON; the API server passes it through untouched.
			this.headers(res);
			res.statusCode = 200;
			res.setHeader('Content-Length', Buffer.byteLength(body));
			res.end(body);
			return;
		}

		if (clean === 'configz') {
			if (this.options.forbid.includes('configz') || this.options.forbid.includes(`configz:${node}`)) {
				// The kubelet's own authorizer answers in plain text; the proxy passes it through.
				this.sendText(res, 403, 'Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=configz)');
				return;
			}

			const config = this.scenario.configz(node);
			this.headers(res);
			res.statusCode = 200;
			res.end(JSON.stringify(config));
			return;
		}

		if (clean === 'healthz') {
			this.sendText(res, 200, 'ok');
			return;
		}

		this.sendText(res, 404, '404 page not found\n');
	}
}
