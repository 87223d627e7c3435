import {ApiClient, type Query} from './http.js';
import {ApiError, LimitError, NetworkError, isGone, seconds} from './errors.js';
import {backoff, jitter} from './scheduler.js';
import type {Reader as ProtoReader} from './protobuf/wire.js';

/** stale: the watch went silent past the bookmark interval; it is reopened, and what it fed may be behind */
type ReflectorState = 'listing' | 'watching' | 'retrying' | 'stale';

export interface ReflectorStatus {
	state: ReflectorState;
	error?: unknown;
	/** failures in a row (a watch that delivers an event again ends the run) */
	attempt: number;
	/** how many full lists have been done (1 = the first) */
	lists: number;
	/** of those failures, the 410 Gone answers, each followed by a full relist */
	gone: number;
}

/** the API server sends a watch bookmark every minute: a watch silent for longer is stale */
export const defaultSilenceMs = 90_000;
/** a list of many pages may take this many request timeouts */
const listTimeouts = 10;

export interface ReflectorOptions<R> {
	client: ApiClient;
	/** collection path, e.g. /api/v1/pods or /api/v1/namespaces/shop/pods */
	path: string;
	query?: Query;
	convert(raw: any): R | null;
	/** lists in protobuf where the server speaks it: an item read into its JSON shape for `convert` */
	protobuf?: (item: ProtoReader) => unknown;
	/** the key of a raw object, for DELETED events whose object may be partial */
	keyOf(raw: any): string;
	onReplace(records: R[]): void;
	/**
	 * The first list only: each page's records as it arrives, with the records seen so far and the
	 * server's estimate of what is left (metadata.remainingItemCount, null when not sent). The
	 * list's end still calls onReplace with every record (the same objects).
	 */
	onPage?(records: R[], seen: number, remaining: number | null): void;
	/** with onPage: also every this many records within a page (a page of 10,000 pods is the whole list at 10k), remaining unknown (null) */
	batchSize?: number;
	onUpsert(record: R): void;
	onDelete(key: string): void;
	onStatus?(status: ReflectorStatus): void;
	pageSize?: number;
	/** --once: list, and never watch */
	listOnly?: boolean;
	watchTimeoutSeconds?: number;
	/** the watchdog: a watch that sends nothing (not even a bookmark) for this long is stale, and reopened */
	idleMs?: number;
	backoffMaxMs?: number;
	/** the wait between failed attempts (a Scheduler's sleep); must end when `signal` aborts */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
}

function rvOf(raw: any): string | undefined {
	const rv = raw?.metadata?.resourceVersion;
	return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

/**
 * List + watch one collection, the way client-go's reflector does: a paginated list
 * (limit/continue), then a watch from the list's resourceVersion, resumed from the last version
 * seen after every disconnect; a 410 Gone (expired version or continue token) starts a full
 * relist, whose result replaces the whole set (no ghosts). Every failure, 410 included, backs off
 * exponentially (jittered, up to 30 s) until a watch delivers an event again; a watchdog reopens a
 * watch that goes silent. A list has a deadline for all its pages, and a continue token the server
 * already sent is an error, not a loop.
 */
export class Reflector<R> {
	private readonly o: ReflectorOptions<R>;
	private readonly abort = new AbortController();
	private rv = '';
	private lists = 0;
	private attempt = 0;
	private gone = 0;
	private state: ReflectorState = 'listing';
	private loop: Promise<void> | undefined;

	constructor(options: ReflectorOptions<R>) {
		this.o = options;
	}

	get resourceVersion(): string {
		return this.rv;
	}

	private status(state: ReflectorState, error?: unknown): void {
		this.state = state;
		this.o.onStatus?.({state, error, attempt: this.attempt, lists: this.lists, gone: this.gone});
	}

	/** Resolves after the first complete list; rejects when that list fails (the caller decides whether that is fatal). */
	async start(): Promise<void> {
		this.status('listing');
		await this.list();
		if (!this.o.listOnly) this.loop = this.run();
	}

	/** Stop for good. Reports nothing: a replaced reflector must not mark its successor's resource unsynced. */
	async stop(): Promise<void> {
		this.abort.abort();
		await this.loop;
	}

	private async list(): Promise<void> {
		const {client, path, query} = this.o;
		const records: R[] = [];
		const tokens = new Set<string>();
		const listMs = client.requestTimeoutMs * listTimeouts;
		const end = Date.now() + listMs;
		// the pages asked for, the one that did not come in time included
		let asked = 0;
		const tooSlow = () => new LimitError(`the list of ${path} was not complete within ${seconds(listMs)} (${asked} pages; raise with --request-timeout)`);
		let cont: string | undefined;
		let rv = '';
		const onPage = this.lists === 0 ? this.o.onPage : undefined;
		const batch = this.o.batchSize ?? Infinity;
		let told = 0;
		do {
			if (Date.now() >= end) throw tooSlow();
			asked++;
			const page = await client
				.getList(
					path,
					{...query, limit: this.o.pageSize ?? 500, continue: cont},
					item => {
						const r = this.o.convert(item);
						if (r === null) return;
						records.push(r);
						if (onPage && records.length - told >= batch && !this.abort.signal.aborted) {
							onPage(records.slice(told), records.length, null);
							told = records.length;
						}
					},
					{signal: this.abort.signal, timeoutMs: end - Date.now(), protobuf: this.o.protobuf},
				)
				.catch((error: unknown) => {
					throw error instanceof LimitError && Date.now() >= end ? tooSlow() : error;
				});

			rv = page?.metadata?.resourceVersion ?? rv;
			if (onPage && !this.abort.signal.aborted) {
				const left = page?.metadata?.remainingItemCount;
				onPage(records.slice(told), records.length, typeof left === 'number' && left >= 0 ? left : null);
				told = records.length;
			}

			const next = page?.metadata?.continue;
			cont = typeof next === 'string' && next !== '' ? next : undefined;
			if (cont !== undefined && tokens.has(cont)) {
				throw new LimitError(`page ${tokens.size + 1} of ${path} repeated a continue token the server had sent before: a list that never ends`);
			}

			if (cont !== undefined) tokens.add(cont);
		} while (cont && !this.abort.signal.aborted);
		if (this.abort.signal.aborted) return;
		this.rv = rv;
		this.lists++;
		this.o.onReplace(records);
	}

	private async watch(): Promise<void> {
		const {client, path, query} = this.o;
		const timeout = this.o.watchTimeoutSeconds ?? 300;
		// after a silence, the figures stay stale until the reopened watch delivers something
		let behind = this.state === 'stale';
		if (!behind) this.status('watching');
		await client.watch(
			path,
			{...query, resourceVersion: this.rv, allowWatchBookmarks: 'true', timeoutSeconds: timeout + Math.floor(Math.random() * 60)},
			(type, object) => {
				if (type === 'ERROR') {
					const code = typeof object?.code === 'number' ? object.code : 500;
					throw new ApiError(code, object?.reason ?? '', object?.message ?? 'watch error', path);
				}

				if (behind || this.attempt > 0) {
					// the watch works again: the run of failures is over
					behind = false;
					this.attempt = 0;
					this.gone = 0;
					this.status('watching');
				}

				const rv = rvOf(object);
				if (type === 'BOOKMARK') {
					if (rv) this.rv = rv;
					return;
				}

				if (type === 'ADDED' || type === 'MODIFIED') {
					const r = this.o.convert(object);
					if (r !== null) this.o.onUpsert(r);
				} else if (type === 'DELETED') {
					this.o.onDelete(this.o.keyOf(object));
				}

				if (rv) this.rv = rv;
			},
			{signal: this.abort.signal, idleMs: this.o.idleMs ?? defaultSilenceMs},
		);
	}

	private async run(): Promise<void> {
		let needList = false;
		while (!this.abort.signal.aborted) {
			try {
				if (needList) {
					this.status('listing');
					await this.list();
					needList = false;
				}

				await this.watch();
			} catch (error) {
				if (this.abort.signal.aborted || (error instanceof NetworkError && error.code === 'ABORTED')) break;
				const gone = isGone(error);
				const silent = error instanceof NetworkError && error.code === 'EIDLE';
				this.attempt++;
				if (gone) {
					needList = true;
					this.gone++;
				}

				this.status(gone ? 'listing' : silent ? 'stale' : 'retrying', error);
				const delay = backoff(this.attempt, 250, this.o.backoffMaxMs ?? 30_000);
				await this.o.sleep(jitter(delay, 0.25), this.abort.signal);
				// a failure in the middle of a list leaves no usable version: list again
				if (this.rv === '') needList = true;
			}
		}
	}
}
