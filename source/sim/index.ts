/**
 * The simulated Kubernetes cluster: a real HTTP server on loopback that speaks the part of the
 * Kubernetes API memtop uses, driven by a deterministic scenario (seeded, virtual clock).
 *
 *   const sim = await startSim({scenario: 'demo', clock: 'manual', seed: 7});
 *   // point a kubeconfig at sim.url (simKubeconfig), then
 *   sim.advance(60_000); // one minute of cluster life, delivered to open watches
 *   await sim.close();
 */
import {createServer, type Server} from 'node:http';
import {createServer as createTlsServer} from 'node:https';
import type {AddressInfo, Socket} from 'node:net';
import {DEMO_CLUSTER, EMPTY_CLUSTER} from './demo.js';
import {JsonObj, ObjectStore} from './objects.js';
import {rfc3339} from './quantity.js';
import {RESOURCES} from './resources.js';
import {ScaleScenario} from './scale.js';
import type {Incident, MetricsSnapshot, Scenario} from './scenario.js';
import {SimServer, type Fault, type RequestRecord} from './server.js';
import {World} from './world.js';

export type {Incident, MetricsSnapshot} from './scenario.js';
export type {Fault, RequestRecord} from './server.js';

export interface SimOptions {
	scenario?: 'demo' | 'scale' | 'empty';
	seed?: number;
	/** scale scenario size */
	pods?: number;
	nodes?: number;
	host?: string;
	/** 0 (default) = an ephemeral port */
	port?: number;
	/** realtime (default): a timer advances sim time; manual: only advance() does */
	clock?: 'realtime' | 'manual';
	/** sim ms per scenario step (demo 1000, scale 15000) */
	tickMs?: number;
	/** realtime: sim ms per real ms (default 1) */
	speed?: number;
	/** metrics-server resolution (demo 5000, scale 15000) */
	metricsResolutionMs?: number;
	/** also serve metrics.k8s.io/v1 (preferred) */
	metricsV1?: boolean;
	/** no metrics.k8s.io at all: absent from discovery, 404 */
	noMetrics?: boolean;
	/**
	 * Forbidden for the caller (403 like RBAC): 'pods', 'nodes', 'events', 'namespaces',
	 * 'cluster-pods' / 'cluster-events' (cluster scope only), 'pods:<ns>', 'watch:events',
	 * 'nodes/proxy', 'nodes/proxy:<node>', 'metrics', 'metrics/pods', 'metrics/nodes',
	 * 'configz', 'configz:<node>' (the kubelet refuses, plain text 403).
	 */
	forbid?: string[];
	/** 401 unless `Authorization: Bearer <token>` */
	requireToken?: string;
	/** 401 unless this accepts the bearer token (tokens that expire, from an exec plugin) */
	acceptToken?: (token: string) => boolean;
	/** serve https with this key and certificate (kubectl sends a user's credentials only over TLS) */
	tls?: {key: string | Buffer; cert: string | Buffer};
	/** user name in Forbidden messages */
	user?: string;
	/** change events retained for watch resumption and continue tokens (etcd compaction window) */
	historyWindow?: number;
	/** nodes whose kubelet cannot be reached through the proxy (503) */
	kubeletDown?: string[];
	/** gzip responses >= 128 KiB when asked (Accept-Encoding), as the API server does; default true */
	gzip?: boolean;
	/** wall-clock time of sim t = 0 (default: now for realtime, 2026-06-26T10:00:00Z for manual) */
	startTime?: number;
	/** real ms between watch bookmarks for watches that allow them (default 30000; 0 = only on bookmark()) */
	bookmarkIntervalMs?: number;
}

export interface SimHandle {
	url: string;
	close(): Promise<void>;
	/** step the scenario by ms of sim time (whole ticks), then deliver the changes */
	advance(ms: number): void;
	/** drop all history: any older resourceVersion now answers 410 Expired */
	compact(): void;
	/** sim time, epoch ms */
	now(): number;
	/** current resourceVersion (etcd revision) */
	resourceVersion(): number;
	requests: RequestRecord[];
	/** non-GET requests received (memtop must never send one) */
	readonly writes: number;
	writeLog: Array<{method: string; path: string}>;
	setMetricsAvailable(on: boolean): void;
	/** what the scenario did (OOM kills, evictions, pressure), in order */
	incidents: Incident[];
	/** the metrics sample being served, in bytes */
	metricsSnapshot(): MetricsSnapshot;
	/** take a metrics sample now (normally every metricsResolutionMs) */
	sampleMetrics(): void;
	/** force an OOM kill of a container now (restartCount+1, lastState OOMKilled) */
	oomKill(namespace: string, pod: string, container?: string): boolean;
	/** evict a pod now as the kubelet would under memory pressure */
	evict(namespace: string, pod: string): boolean;
	/** pin a container's working set (null = back to the scenario); served from the next sample */
	setContainerMemory(namespace: string, pod: string, container: string, bytes: number | null): void;
	/** raw objects, outside the scenario's model */
	putObject(resource: 'pods' | 'nodes' | 'events' | 'namespaces', object: Record<string, unknown>): number | null;
	deleteObject(resource: 'pods' | 'nodes' | 'events' | 'namespaces', namespace: string, name: string): number | null;
	getObject(resource: 'pods' | 'nodes' | 'events' | 'namespaces', namespace: string, name: string): Record<string, unknown> | null;
	addPod(pod: Record<string, unknown>): number | null;
	updatePod(pod: Record<string, unknown>): number | null;
	/** delete a pod; a scenario-managed pod is replaced by its controller on the next tick */
	deletePod(namespace: string, name: string): number | null;
	/** watches: BOOKMARK now / end cleanly / cut the connections / keep them open but silent */
	bookmark(): void;
	endWatches(): void;
	dropWatches(): void;
	stallWatches(): void;
	openWatches(): number;
	/** fail the next `count` requests whose path matches with `status` */
	injectFault(fault: Fault): void;
	/** YAML kubeconfig for this server */
	kubeconfig(opts?: {token?: string; context?: string; namespace?: string}): string;
	/** the scenario object (World for demo/empty, ScaleScenario for scale), for white-box tests */
	scenario: Scenario;
	store: ObjectStore;
}

/** sim t = 0 in manual mode: a fixed instant, so runs are identical */
const MANUAL_EPOCH = Date.UTC(2026, 5, 26, 10, 0, 0);

function createScenario(options: SimOptions): Scenario & {sampleSeq: number} {
	switch (options.scenario ?? 'demo') {
		case 'scale': {
			return new ScaleScenario(options.pods ?? 10_000, options.nodes ?? 300);
		}

		case 'empty': {
			return new World('empty', EMPTY_CLUSTER);
		}

		default: {
			return new World('demo', DEMO_CLUSTER);
		}
	}
}

/** Mark a raw pod's container as OOM-killed and restarted (for pods outside the model). */
function oomRaw(store: ObjectStore, now: number, namespace: string, name: string, container?: string): boolean {
	const current = store.get('pods', namespace, name);
	if (!current || !(current.obj instanceof JsonObj)) {
		return false;
	}

	const pod = structuredClone(current.obj.value) as {status?: {containerStatuses?: Array<Record<string, any>>}; metadata: Record<string, unknown>};
	const statuses = pod.status?.containerStatuses ?? [];
	const status = statuses.find((s) => container === undefined || s['name'] === container);
	if (!status) {
		return false;
	}

	const startedAt = status['state']?.running?.startedAt ?? rfc3339(now - 60_000);
	const containerID = String(status['containerID'] ?? 'containerd://0');
	status['lastState'] = {terminated: {exitCode: 137, reason: 'OOMKilled', startedAt, finishedAt: rfc3339(now), containerID}};
	status['restartCount'] = Number(status['restartCount'] ?? 0) + 1;
	status['state'] = {running: {startedAt: rfc3339(now)}};
	status['containerID'] = `${containerID.slice(0, -8)}${(now % 100_000_000).toString(16).padStart(8, '0')}`;
	return store.put('pods', new JsonObj(pod)) !== null;
}

export async function startSim(options: SimOptions = {}): Promise<SimHandle> {
	const scenarioName = options.scenario ?? 'demo';
	const clock = options.clock ?? 'realtime';
	const seed = options.seed ?? 1;
	const tickMs = options.tickMs ?? (scenarioName === 'scale' ? 15_000 : 1000);
	const resolution = options.metricsResolutionMs ?? (scenarioName === 'scale' ? 15_000 : 5000);
	const speed = options.speed ?? 1;
	const epoch = options.startTime ?? (clock === 'manual' ? MANUAL_EPOCH : Math.floor(Date.now() / 1000) * 1000);
	const store = new ObjectStore(RESOURCES, options.historyWindow ?? 20_000);
	const scenario = createScenario(options);
	scenario.init({store, seed, epoch, tickMs, metricsResolutionMs: resolution});

	const server = new SimServer(store, scenario, {
		metricsV1: options.metricsV1 ?? false,
		noMetrics: options.noMetrics ?? false,
		forbid: options.forbid ?? [],
		requireToken: options.requireToken ?? null,
		acceptToken: options.acceptToken ?? null,
		user: options.user ?? 'memtop-demo',
		gzip: options.gzip ?? true,
		kubeletDown: options.kubeletDown ?? [],
		bookmarkIntervalMs: options.bookmarkIntervalMs ?? 30_000,
	});

	let virtual = epoch;
	let ticked = epoch;
	const advance = (ms: number): void => {
		if (!(ms > 0)) {
			return;
		}

		virtual += ms;
		// Each tick's changes are written before the next tick, so the history (and every
		// resourceVersion) is the same however the time was advanced.
		while (ticked + tickMs <= virtual) {
			ticked += tickMs;
			scenario.tick(ticked);
			scenario.flush();
		}
	};

	const http: Server = options.tls ? createTlsServer(options.tls, (req, res) => server.handle(req, res)) : createServer((req, res) => server.handle(req, res));
	http.keepAliveTimeout = 65_000;
	const sockets = new Set<Socket>();
	http.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(options.port ?? 0, host, () => {
			http.off('error', reject);
			resolve();
		});
	});
	const address = http.address() as AddressInfo;
	const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
	server.address = `${host}:${address.port}`;

	let timer: NodeJS.Timeout | null = null;
	if (clock === 'realtime') {
		const realStart = performance.now();
		const interval = Math.max(20, Math.min(250, Math.floor(tickMs / speed)));
		timer = setInterval(() => {
			const target = epoch + (performance.now() - realStart) * speed;
			advance(target - virtual);
		}, interval);
		timer.unref();
	}

	let closed: Promise<void> | null = null;
	const handle: SimHandle = {
		url,
		close() {
			closed ??= new Promise<void>((resolve) => {
				if (timer) {
					clearInterval(timer);
				}

				server.dropWatches();
				http.close(() => resolve());
				for (const socket of sockets) {
					socket.destroy();
				}

				http.closeAllConnections();
			});
			return closed;
		},
		advance(ms) {
			advance(ms);
		},
		compact() {
			store.compact();
		},
		now: () => virtual,
		resourceVersion: () => store.rv,
		requests: server.requests,
		get writes() {
			return server.writes;
		},
		writeLog: server.writeLog,
		setMetricsAvailable(on) {
			server.metricsAvailable = on;
		},
		incidents: scenario.incidents,
		metricsSnapshot: () => scenario.metricsSnapshot(),
		sampleMetrics() {
			scenario.sample(ticked);
		},
		oomKill(namespace, pod, container) {
			const done = scenario.oomKill(namespace, pod, container) || oomRaw(store, virtual, namespace, pod, container);
			scenario.flush();
			return done;
		},
		evict(namespace, pod) {
			const done = scenario.evict(namespace, pod);
			scenario.flush();
			return done;
		},
		setContainerMemory(namespace, pod, container, bytes) {
			scenario.setContainerMemory(namespace, pod, container, bytes);
		},
		putObject(resource, object) {
			return store.put(resource, new JsonObj(object as Record<string, unknown> & {metadata: Record<string, unknown>}));
		},
		deleteObject(resource, namespace, name) {
			return store.delete(resource, namespace, name);
		},
		getObject(resource, namespace, name) {
			const version = store.get(resource, namespace, name);
			return version?.obj ? (JSON.parse(version.obj.json(version.rv)) as Record<string, unknown>) : null;
		},
		addPod(pod) {
			return handle.putObject('pods', pod);
		},
		updatePod(pod) {
			return handle.putObject('pods', pod);
		},
		deletePod(namespace, name) {
			if (scenario.deletePod(namespace, name)) {
				const before = store.rv;
				scenario.flush();
				return store.rv > before ? store.rv : null;
			}

			return store.delete('pods', namespace, name);
		},
		bookmark() {
			server.bookmarkAll();
		},
		endWatches() {
			server.endWatches();
		},
		dropWatches() {
			server.dropWatches();
		},
		stallWatches() {
			server.stallWatches();
		},
		openWatches: () => server.watches.size,
		injectFault(fault) {
			server.injectFault(fault);
		},
		kubeconfig(opts) {
			return simKubeconfig(url, opts);
		},
		scenario,
		store,
	};
	return handle;
}

function yamlString(text: string): string {
	return JSON.stringify(text);
}

/** A kubeconfig (YAML) whose current context points at the simulated cluster. */
export function simKubeconfig(url: string, opts: {token?: string; context?: string; namespace?: string} = {}): string {
	const name = opts.context ?? 'memtop-demo';
	const lines = [
		'apiVersion: v1',
		'kind: Config',
		'clusters:',
		`- name: ${yamlString(name)}`,
		'  cluster:',
		`    server: ${yamlString(url)}`,
		// client-node refuses plain http unless TLS verification is off (there is no TLS to verify).
		...(url.startsWith('http:') ? ['    insecure-skip-tls-verify: true'] : []),
		'contexts:',
		`- name: ${yamlString(name)}`,
		'  context:',
		`    cluster: ${yamlString(name)}`,
		`    user: ${yamlString(name)}`,
	];
	if (opts.namespace) {
		lines.push(`    namespace: ${yamlString(opts.namespace)}`);
	}

	lines.push(`current-context: ${yamlString(name)}`, 'preferences: {}', 'users:', `- name: ${yamlString(name)}`);
	if (opts.token) {
		lines.push('  user:', `    token: ${yamlString(opts.token)}`);
	} else {
		lines.push('  user: {}');
	}

	return `${lines.join('\n')}\n`;
}
