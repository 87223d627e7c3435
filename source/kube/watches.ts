/**
 * The session's list + watch of pods, nodes and events into the store, and the switch to another
 * namespace or label selector. Pods are required; nodes and events are optional (namespace-only
 * RBAC cannot see nodes): refused, they leave a banner and the rest goes on.
 */
import type {EventRecord, NodeRecord, PodRecord} from '../model/index.js';
import type {Store} from '../store/store.js';
import type {KubeTarget} from './config.js';
import {eventFromObject, nodeFromObject, nodeKeyOf, podFromObject, podKeyOf, type Faults} from './convert.js';
import {MemtopError, describe, isForbidden, seconds} from './errors.js';
import {scopedPath, type ApiClient} from './http.js';
import {podsRefused} from './preflight.js';
import {defaultSilenceMs, Reflector, type ReflectorOptions, type ReflectorStatus} from './reflector.js';
import {counted} from './refused.js';
import type {Scheduler} from './scheduler.js';
import {podFromProto} from './protobuf/pod.js';

export interface WatchScope {
	/** null: all namespaces */
	namespace: string | null;
	selector: string;
	/** --field-selector for pods ('' or absent: none) */
	fieldSelector?: string;
}

interface WatchOptions {
	client: ApiClient;
	target: KubeTarget;
	store: Store;
	scheduler: Scheduler;
	watchTimeoutSeconds?: number;
	/** a watch silent this long is stale (default: defaultSilenceMs) */
	silenceMs?: number;
	backoffMaxMs?: number;
	/** list page size (default the reflector's) */
	pageSize?: number;
	/** --once: each resource listed once, never watched */
	listOnly?: boolean;
}

type Resource = 'pods' | 'nodes' | 'events';
type Spec<R> = Pick<ReflectorOptions<R>, 'path' | 'query' | 'protobuf' | 'keyOf' | 'onReplace' | 'onPage' | 'batchSize' | 'onUpsert' | 'onDelete'> & {convert(raw: unknown, faults: Faults): R | null};
const nodesRefused = (error: unknown): string =>
	isForbidden(error) ? 'cannot list nodes (403 Forbidden): no nodes view, no % of allocatable, no node events' : `nodes unavailable: ${describe(error)}`;
const eventsRefused = (error: unknown): string => `cannot watch events (${describe(error)}): the feed shows pod status only`;
/** records of a progressive list handed to the store at a time, within a page */
const listBatch = 1000;
const nouns = {pods: ['pod', 'pods'], nodes: ['node', 'nodes'], events: ['event', 'events']} as const;

export class Watches {
	private readonly o: WatchOptions;
	private current: WatchScope;
	private pods: Reflector<PodRecord>;
	private nodes: Reflector<NodeRecord> | null = null;
	private events: Reflector<EventRecord> | null = null;

	/** list pods (a failure is fatal), nodes and events (a failure is a banner), all at once; resolves when all are listed */
	static async start(o: WatchOptions, scope: WatchScope): Promise<Watches> {
		const {watches, listed} = Watches.begin(o, scope);
		await listed;
		return watches;
	}

	/**
	 * The watches at once, their lists under way: pods page by page into the store (the first
	 * table needs only the first page); `nodesListed` settles when the nodes list is in (or
	 * refused), `listed` when all three are, rejecting when pods cannot be listed.
	 */
	static begin(o: WatchOptions, scope: WatchScope): {watches: Watches; listed: Promise<void>; nodesListed: Promise<void>} {
		const w = new Watches(o, scope, true);
		// the listing is under way from now: a metrics sample that comes before the first page is
		// kept for the pods listed after it (Store.late)
		o.store.addPodsListed([], 0, null);
		const pods = w.pods.start().catch((error: unknown) => {
			throw podsRefused(error, o.target, scope.namespace, scope.selector, scope.fieldSelector);
		});
		const nodes = w.optional('nodes', w.nodesWatch(), nodesRefused).then(r => {
			w.nodes = r;
		});
		const events = w.optional('events', w.eventsWatch(scope.namespace), eventsRefused).then(r => {
			w.events = r;
		});
		// a refused pod list stops the others (their own failures are banners, never thrown)
		const listed = Promise.all([pods, nodes, events]).then(
			() => {},
			async (error: unknown) => {
				await w.stop();
				throw error;
			},
		);
		return {watches: w, listed, nodesListed: nodes};
	}

	/**
	 * --once: pods, nodes and (when `events`) events listed at the same time, never watched. A pod
	 * list refused is fatal (as in start); nodes and events refused leave their banner. `nodes`
	 * settles as soon as the node list is in the store (true) or refused (false).
	 */
	static once(o: WatchOptions, scope: WatchScope, want: {events: boolean}): {watches: Watches; nodes: Promise<boolean>; done: Promise<void>} {
		// pods into the store as they are read (the answer comes slower than it is read: the work
		// at its end is then done while waiting), and a metrics sample in before them kept for them
		o.store.addPodsListed([], 0, null);
		const w = new Watches({...o, listOnly: true}, scope, true);
		// a list is all there is: once in, the resource is as synced as it will be
		const synced = (resource: Resource) => o.store.setSyncState(resource, 'synced');
		const pods = w.pods.start().then(
			() => synced('pods'),
			(error: unknown) => {
				throw podsRefused(error, o.target, scope.namespace, scope.selector, scope.fieldSelector);
			},
		);
		const nodes = w.optional('nodes', w.nodesWatch(), nodesRefused).then(r => {
			if (r) synced('nodes');
			return (w.nodes = r) !== null;
		});
		const events = want.events ? w.optional('events', w.eventsWatch(scope.namespace), eventsRefused).then(r => void (r && synced('events'), (w.events = r))) : Promise.resolve();
		// every list settles before done does: a refused pod list leaves nothing in flight
		const done = Promise.allSettled([pods, nodes, events]).then(() => pods);
		return {watches: w, nodes, done};
	}

	private constructor(o: WatchOptions, scope: WatchScope, progressive = false) {
		this.o = o;
		this.current = scope;
		this.pods = this.podsWatch(scope, progressive);
	}

	get scope(): WatchScope {
		return this.current;
	}

	/** the nodes list went through (so node metrics and summaries make sense) */
	get hasNodes(): boolean {
		return this.nodes !== null;
	}

	/** watch another scope: the old pod watch stays until the new list is in; a refusal leaves it alone */
	async rescope(scope: WatchScope, failure: string): Promise<void> {
		const fresh = this.podsWatch(scope);
		try {
			await fresh.start();
		} catch (error) {
			await fresh.stop();
			throw new MemtopError(`${failure}: ${describe(error)}`);
		}

		const old = this.pods;
		const namespaceChanged = scope.namespace !== this.current.namespace;
		this.pods = fresh;
		this.current = scope;
		await old.stop();
		if (!namespaceChanged || !this.events) return;
		const freshEvents = this.eventsWatch(scope.namespace);
		try {
			await freshEvents.start();
			await this.events.stop();
			this.events = freshEvents;
		} catch {
			await freshEvents.stop();
		}
	}

	async stop(): Promise<void> {
		await Promise.all([this.pods.stop(), this.nodes?.stop(), this.events?.stop()]);
	}

	private async optional<R>(resource: Resource, reflector: Reflector<R>, banner: (error: unknown) => string): Promise<Reflector<R> | null> {
		try {
			await reflector.start();
			return reflector;
		} catch (error) {
			this.o.store.setBanner({id: `rbac:${resource}`, level: 'warn', text: banner(error), since: this.o.scheduler.now()});
			this.o.store.setSyncState(resource, 'unavailable');
			return null;
		}
	}

	/** progressive: the first list's pages (and each `listBatch` records of a page) go into the store as they arrive (the session's first list; a rescope swaps whole lists) */
	private podsWatch(scope: WatchScope, progressive = false): Reflector<PodRecord> {
		const {store} = this.o;
		return this.reflector('pods', {
			path: scopedPath('/api/v1', 'pods', scope.namespace),
			query: {labelSelector: scope.selector || undefined, fieldSelector: scope.fieldSelector || undefined},
			convert: podFromObject,
			protobuf: podFromProto,
			keyOf: podKeyOf,
			onPage: progressive ? (r, seen, remaining) => store.addPodsListed(r, seen, remaining) : undefined,
			batchSize: progressive ? listBatch : undefined,
			onReplace: r => store.replacePods(r),
			onUpsert: r => store.upsertPod(r),
			onDelete: k => store.deletePod(k),
		});
	}

	private nodesWatch(): Reflector<NodeRecord> {
		const {store} = this.o;
		return this.reflector('nodes', {
			path: '/api/v1/nodes',
			convert: nodeFromObject,
			keyOf: nodeKeyOf,
			onReplace: r => store.replaceNodes(r),
			onUpsert: r => store.upsertNode(r),
			onDelete: k => store.deleteNode(k),
		});
	}

	private eventsWatch(namespace: string | null): Reflector<EventRecord> {
		const {store} = this.o;
		return this.reflector('events', {
			path: scopedPath('/api/v1', 'events', namespace),
			convert: eventFromObject,
			keyOf: raw => String(raw?.metadata?.uid ?? ''),
			onReplace: r => store.replaceEvents(r),
			onUpsert: r => store.upsertEvent(r),
			onDelete: () => {},
		});
	}

	private reflector<R>(resource: Resource, spec: Spec<R>): Reflector<R> {
		const {client, scheduler, watchTimeoutSeconds, silenceMs, backoffMaxMs, pageSize, listOnly} = this.o;
		const options = {...spec, client, onStatus: (s: ReflectorStatus) => this.status(resource, s), sleep: scheduler.sleep, watchTimeoutSeconds, idleMs: silenceMs, backoffMaxMs, listOnly, ...(pageSize === undefined ? {} : {pageSize})};
		return new Reflector<R>(counted(options, this.o.store, resource, nouns[resource], scheduler.now));
	}

	private status(resource: Resource, s: ReflectorStatus): void {
		const {store, scheduler} = this.o;
		const banner = (text: string) => store.setBanner({id: `watch:${resource}`, level: 'warn', text, since: scheduler.now()});
		if (s.state === 'retrying' && isForbidden(s.error)) {
			banner(`cannot watch ${resource} (403 Forbidden): showing the last list; retrying (attempt ${s.attempt})`);
			store.setSyncState(resource, 'unavailable');
			return;
		}

		if (s.state === 'stale') {
			banner(`${resource} watch silent for ${seconds(this.o.silenceMs ?? defaultSilenceMs)}: figures may be behind; reopened`);
			store.setSyncState(resource, 'stale');
			return;
		}

		// the relist banner stays up for the whole run of 410s, not only while relisting
		if (s.gone >= 2) store.setBanner({id: `relist:${resource}`, level: 'warn', text: `${resource} watch answered 410 Gone ${s.gone} times in a row: relisting each time, backing off`, since: scheduler.now()});
		else if (s.gone === 0) store.clearBanner(`relist:${resource}`);
		if (s.state === 'retrying') banner(`${resource} watch interrupted (${describe(s.error)}); reconnecting (attempt ${s.attempt})`);
		else if (s.state === 'watching') store.clearBanner(`watch:${resource}`);
		store.setSyncState(resource, s.state === 'watching' ? 'synced' : 'syncing');
	}
}
