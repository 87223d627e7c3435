import {ApiClient, type Query} from './http.js';
import {ApiError, NetworkError, isGone} from './errors.js';
import {backoff, jitter} from './scheduler.js';

type ReflectorState = 'listing' | 'watching' | 'retrying';

export interface ReflectorStatus {
	state: ReflectorState;
	error?: unknown;
	attempt: number;
	/** how many full lists have been done (1 = the first) */
	lists: number;
}

export interface ReflectorOptions<R> {
	client: ApiClient;
	/** collection path, e.g. /api/v1/pods or /api/v1/namespaces/shop/pods */
	path: string;
	query?: Query;
	convert(raw: any): R | null;
	/** the key of a raw object, for DELETED events whose object may be partial */
	keyOf(raw: any): string;
	onReplace(records: R[]): void;
	onUpsert(record: R): void;
	onDelete(key: string): void;
	onStatus?(status: ReflectorStatus): void;
	pageSize?: number;
	watchTimeoutSeconds?: number;
	/** the watchdog: a watch that sends nothing (not even a bookmark) for this long is reopened */
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
 * relist, whose result replaces the whole set (no ghosts); failures back off exponentially up to
 * a few seconds, and a watchdog reopens a watch that goes silent.
 */
export class Reflector<R> {
	private readonly o: ReflectorOptions<R>;
	private readonly abort = new AbortController();
	private rv = '';
	private lists = 0;
	private attempt = 0;
	private loop: Promise<void> | undefined;

	constructor(options: ReflectorOptions<R>) {
		this.o = options;
	}

	get resourceVersion(): string {
		return this.rv;
	}

	private status(state: ReflectorState, error?: unknown): void {
		this.o.onStatus?.({state, error, attempt: this.attempt, lists: this.lists});
	}

	/** Resolves after the first complete list; rejects when that list fails (the caller decides whether that is fatal). */
	async start(): Promise<void> {
		this.status('listing');
		await this.list();
		this.loop = this.run();
	}

	/** Stop for good. Reports nothing: a replaced reflector must not mark its successor's resource unsynced. */
	async stop(): Promise<void> {
		this.abort.abort();
		await this.loop;
	}

	private async list(): Promise<void> {
		const {client, path, query} = this.o;
		const records: R[] = [];
		let cont: string | undefined;
		let rv = '';
		do {
			const page = await client.getList(
				path,
				{...query, limit: this.o.pageSize ?? 500, continue: cont},
				item => {
					const r = this.o.convert(item);
					if (r !== null) records.push(r);
				},
				{signal: this.abort.signal, timeoutMs: 120_000},
			);

			rv = page?.metadata?.resourceVersion ?? rv;
			cont = page?.metadata?.continue || undefined;
		} while (cont && !this.abort.signal.aborted);
		if (this.abort.signal.aborted) return;
		this.rv = rv;
		this.lists++;
		this.o.onReplace(records);
	}

	private async watch(): Promise<void> {
		const {client, path, query} = this.o;
		const timeout = this.o.watchTimeoutSeconds ?? 300;
		this.status('watching');
		await client.watch(
			path,
			{...query, resourceVersion: this.rv, allowWatchBookmarks: 'true', timeoutSeconds: timeout + Math.floor(Math.random() * 60)},
			(type, object) => {
				if (type === 'ERROR') {
					const code = typeof object?.code === 'number' ? object.code : 500;
					throw new ApiError(code, object?.reason ?? '', object?.message ?? 'watch error', path);
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
				this.attempt = 0;
			},
			{signal: this.abort.signal, idleMs: this.o.idleMs ?? (timeout + 90) * 1000},
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
					this.attempt = 0;
				}

				await this.watch();
			} catch (error) {
				if (this.abort.signal.aborted) break;
				if (isGone(error)) {
					needList = true;
					this.status('listing', error);
					continue;
				}

				if (error instanceof NetworkError && error.code === 'ABORTED') break;
				this.attempt++;
				this.status('retrying', error);
				const delay = backoff(this.attempt, 250, this.o.backoffMaxMs ?? 4000);
				await this.o.sleep(jitter(delay, 0.25), this.abort.signal);
				// a failure in the middle of a list leaves no usable version: list again
				if (this.rv === '') needList = true;
			}
		}
	}
}
