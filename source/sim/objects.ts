/**
 * The simulated API server's objects (its etcd + watch cache, not memtop's store): a single global resourceVersion counter (etcd revision),
 * multi-version objects so a paginated list is served from one consistent snapshot, a bounded
 * event log for watches, and compaction (after which older versions answer 410 Expired).
 *
 * No I/O here: the HTTP layer registers watchers and renders what this returns.
 */

export interface SimObj {
	/** '' for cluster-scoped objects */
	readonly namespace: string;
	readonly name: string;
	labels(): Readonly<Record<string, string>> | undefined;
	/** value of a field-selector field ('' when unset), undefined when the field is unknown */
	field(path: string): string | undefined;
	/** the object's JSON with `metadata.resourceVersion` = rv */
	json(rv: number): string;
	/** true when `other` would serialise identically (lets writers skip no-op updates) */
	sameAs?(other: SimObj): boolean;
}

export interface ResourceDef {
	/** plural resource name, e.g. pods */
	resource: string;
	group: string; // '' for core
	version: string; // v1
	kind: string;
	listKind: string;
	namespaced: boolean;
	/** supported field-selector fields */
	fields: ReadonlySet<string>;
	shortNames?: string[];
	singularName: string;
	/** subresources to advertise in discovery */
	subresources?: string[];
}

interface Version {
	rv: number;
	obj: SimObj | null;
}

class Entry {
	older: Version[] | null = null;
	constructor(
		readonly key: string,
		public rv: number,
		public obj: SimObj | null,
	) {}
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface LogEntry {
	rv: number;
	resource: string;
	type: WatchEventType;
	obj: SimObj;
	/** the previous version for MODIFIED/DELETED */
	prev: SimObj | null;
	/** cached `{"type":..,"object":..}\n` lines per delivered type */
	lines?: Partial<Record<WatchEventType, string>>;
}

export interface ObjectWatcher {
	readonly resource: string;
	onEvent(entry: LogEntry): void;
}

export function keyOf(namespace: string, name: string): string {
	return namespace === '' ? name : `${namespace}/${name}`;
}

class Collection {
	readonly entries: Entry[] = [];
	readonly map = new Map<string, Entry>();
	/** entries with older versions or a tombstone, pruned on compaction */
	readonly versioned = new Set<Entry>();
	tombstones = 0;
	live = 0;

	constructor(readonly def: ResourceDef) {}

	/** index of the first entry whose key is >= key */
	lowerBound(key: string): number {
		let lo = 0;
		let hi = this.entries.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			const entry = this.entries[mid];
			if (entry !== undefined && entry.key < key) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}

		return lo;
	}

	/** the version visible at snapshot rv (null when absent then) */
	static at(entry: Entry, snapshot: number): Version | null {
		if (entry.rv <= snapshot) {
			return entry.obj === null ? null : {rv: entry.rv, obj: entry.obj};
		}

		const older = entry.older;
		if (older !== null) {
			for (let i = older.length - 1; i >= 0; i--) {
				const version = older[i];
				if (version !== undefined && version.rv <= snapshot) {
					return version.obj === null ? null : version;
				}
			}
		}

		return null;
	}
}

interface ListQuery {
	namespace: string | null;
	/** object predicate (selectors); null = everything */
	predicate: ((obj: SimObj) => boolean) | null;
	snapshot: number;
	/** continue after this key (exclusive) */
	after: string | null;
	/** 0 = no limit */
	limit: number;
}

interface ListResult {
	items: Version[];
	/** key of the last item returned, when more keys follow */
	continueAfter: string | null;
	/** only when no predicate and a limit cut the list */
	remaining: number | null;
}

export class ObjectStore {
	rv = 0;
	/** events with rv > compactRev are retained; older resourceVersions are Expired */
	compactRev = 0;
	private readonly collections = new Map<string, Collection>();
	private log: LogEntry[] = [];
	private logHead = 0;
	private readonly watchers = new Set<ObjectWatcher>();
	private writesSinceSweep = 0;

	constructor(
		defs: readonly ResourceDef[],
		/** how many change events are retained (the etcd compaction window) */
		public historyWindow = 20_000,
		startRv = 1000,
	) {
		for (const def of defs) {
			this.collections.set(def.resource, new Collection(def));
		}

		this.rv = startRv;
		this.compactRev = startRv;
	}

	collection(resource: string): Collection | undefined {
		return this.collections.get(resource);
	}

	defs(): ResourceDef[] {
		return [...this.collections.values()].map((c) => c.def);
	}

	private must(resource: string): Collection {
		const coll = this.collections.get(resource);
		if (!coll) {
			throw new Error(`unknown resource ${resource}`);
		}

		return coll;
	}

	/**
	 * Initial objects, written without watch events (as if created long before anyone watched).
	 * Each gets its own revision, like separate etcd writes.
	 */
	load(resource: string, objects: Iterable<SimObj>): void {
		const coll = this.must(resource);
		for (const obj of objects) {
			const key = keyOf(obj.namespace, obj.name);
			if (coll.map.has(key)) {
				throw new Error(`duplicate ${resource} ${key}`);
			}

			const entry = new Entry(key, ++this.rv, obj);
			coll.map.set(key, entry);
			coll.entries.push(entry);
			coll.live++;
		}

		coll.entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		this.compactRev = this.rv;
	}

	get(resource: string, namespace: string, name: string): Version | null {
		const entry = this.must(resource).map.get(keyOf(namespace, name));
		if (!entry || entry.obj === null) {
			return null;
		}

		return {rv: entry.rv, obj: entry.obj};
	}

	/** Create or update. Returns the new resourceVersion, or null when nothing changed. */
	put(resource: string, obj: SimObj): number | null {
		const coll = this.must(resource);
		const key = keyOf(obj.namespace, obj.name);
		let entry = coll.map.get(key);
		const prev = entry?.obj ?? null;
		if (prev !== null && prev.sameAs?.(obj)) {
			return null;
		}

		const rv = ++this.rv;
		if (entry === undefined) {
			entry = new Entry(key, rv, obj);
			coll.map.set(key, entry);
			coll.entries.splice(coll.lowerBound(key), 0, entry);
		} else {
			this.pushOlder(coll, entry);
			if (entry.obj === null) {
				coll.tombstones--;
			}

			entry.rv = rv;
			entry.obj = obj;
		}

		coll.live += prev === null ? 1 : 0;
		this.append({rv, resource, type: prev === null ? 'ADDED' : 'MODIFIED', obj, prev});
		return rv;
	}

	/** Delete. Returns the deletion resourceVersion, or null when absent. */
	delete(resource: string, namespace: string, name: string): number | null {
		const coll = this.must(resource);
		const entry = coll.map.get(keyOf(namespace, name));
		if (!entry || entry.obj === null) {
			return null;
		}

		const prev = entry.obj;
		const rv = ++this.rv;
		this.pushOlder(coll, entry);
		entry.rv = rv;
		entry.obj = null;
		coll.tombstones++;
		coll.live--;
		coll.versioned.add(entry);
		this.append({rv, resource, type: 'DELETED', obj: prev, prev});
		return rv;
	}

	private pushOlder(coll: Collection, entry: Entry): void {
		const version: Version = {rv: entry.rv, obj: entry.obj};
		if (entry.older === null) {
			entry.older = [version];
		} else {
			entry.older.push(version);
		}

		coll.versioned.add(entry);
	}

	private append(entry: LogEntry): void {
		this.log.push(entry);
		for (const watcher of this.watchers) {
			if (watcher.resource === entry.resource) {
				watcher.onEvent(entry);
			}
		}

		const retained = this.log.length - this.logHead;
		if (retained > this.historyWindow) {
			const drop = retained - this.historyWindow;
			const last = this.log[this.logHead + drop - 1];
			this.logHead += drop;
			if (last) {
				this.compactRev = last.rv;
			}

			if (this.logHead > 4096 && this.logHead * 2 > this.log.length) {
				this.log = this.log.slice(this.logHead);
				this.logHead = 0;
			}
		}

		if (++this.writesSinceSweep >= 1024) {
			this.sweep();
		}
	}

	/** Drop all history: every resourceVersion older than now becomes Expired. */
	compact(to = this.rv): void {
		this.compactRev = Math.max(this.compactRev, Math.min(to, this.rv));
		while (this.logHead < this.log.length && (this.log[this.logHead]?.rv ?? Infinity) <= this.compactRev) {
			this.logHead++;
		}

		this.log = this.log.slice(this.logHead);
		this.logHead = 0;
		this.sweep();
	}

	/** Prune versions no snapshot >= compactRev can see. */
	private sweep(): void {
		this.writesSinceSweep = 0;
		const compactRev = this.compactRev;
		for (const coll of this.collections.values()) {
			for (const entry of coll.versioned) {
				const older = entry.older;
				if (older !== null) {
					// Keep the newest version at or below compactRev (what a snapshot at compactRev sees).
					let keepFrom = 0;
					for (let i = older.length - 1; i >= 0; i--) {
						if ((older[i]?.rv ?? 0) <= compactRev) {
							keepFrom = i;
							break;
						}
					}

					if (entry.rv <= compactRev) {
						entry.older = null;
					} else {
						const kept = older.slice(keepFrom);
						// A tombstone at the front is the same as "absent" for every snapshot >= compactRev.
						while (kept.length > 0 && kept[0]?.obj === null && (kept[0]?.rv ?? 0) <= compactRev) {
							kept.shift();
						}

						entry.older = kept.length > 0 ? kept : null;
					}
				}

				if (entry.obj === null && entry.rv <= compactRev && entry.older === null) {
					coll.map.delete(entry.key);
					const index = coll.lowerBound(entry.key);
					if (coll.entries[index] === entry) {
						coll.entries.splice(index, 1);
					}

					coll.tombstones--;
					coll.versioned.delete(entry);
				} else if (entry.older === null && entry.obj !== null) {
					coll.versioned.delete(entry);
				}
			}
		}
	}

	list(resource: string, query: ListQuery): ListResult {
		const coll = this.must(resource);
		const entries = coll.entries;
		const prefix = query.namespace === null ? '' : `${query.namespace}/`;
		let index = coll.lowerBound(query.after === null ? prefix : `${query.after}\u0000`);
		if (query.after !== null && query.after < prefix) {
			index = coll.lowerBound(prefix);
		}

		const end = prefix === '' ? entries.length : coll.lowerBound(`${prefix.slice(0, -1)}0`); // '/' + 1 = '0'
		const items: Version[] = [];
		const limit = query.limit > 0 ? query.limit : Infinity;
		const predicate = query.predicate;
		let lastKey: string | null = null;
		for (; index < end && items.length < limit; index++) {
			const entry = entries[index];
			if (entry === undefined) {
				break;
			}

			const version = Collection.at(entry, query.snapshot);
			if (version === null || version.obj === null) {
				continue;
			}

			if (predicate !== null && !predicate(version.obj)) {
				continue;
			}

			items.push(version);
			lastKey = entry.key;
		}

		if (index >= end || lastKey === null) {
			return {items, continueAfter: null, remaining: null};
		}

		// More keys follow; like etcd, say so even if none of them will match.
		let remaining: number | null = null;
		if (predicate === null) {
			if (coll.versioned.size === 0 && query.snapshot >= this.rv) {
				remaining = end - index;
			} else {
				remaining = 0;
				for (let i = index; i < end; i++) {
					const entry = entries[i];
					if (entry !== undefined && Collection.at(entry, query.snapshot) !== null) {
						remaining++;
					}
				}
			}

			if (remaining === 0) {
				return {items, continueAfter: null, remaining: null};
			}
		}

		return {items, continueAfter: lastKey, remaining};
	}

	/** Every current object of a collection (for a watch without resourceVersion). */
	*current(resource: string, namespace: string | null): Generator<Version> {
		const coll = this.must(resource);
		const prefix = namespace === null ? '' : `${namespace}/`;
		const start = coll.lowerBound(prefix);
		for (let i = start; i < coll.entries.length; i++) {
			const entry = coll.entries[i];
			if (entry === undefined || (prefix !== '' && !entry.key.startsWith(prefix))) {
				break;
			}

			if (entry.obj !== null) {
				yield {rv: entry.rv, obj: entry.obj};
			}
		}
	}

	/** Log entries for a resource with rv > from (caller checked from >= compactRev). */
	*since(resource: string, from: number): Generator<LogEntry> {
		// Binary search the first entry with rv > from.
		let lo = this.logHead;
		let hi = this.log.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if ((this.log[mid]?.rv ?? 0) <= from) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}

		for (let i = lo; i < this.log.length; i++) {
			const entry = this.log[i];
			if (entry !== undefined && entry.resource === resource) {
				yield entry;
			}
		}
	}

	addWatcher(watcher: ObjectWatcher): void {
		this.watchers.add(watcher);
	}

	removeWatcher(watcher: ObjectWatcher): void {
		this.watchers.delete(watcher);
	}

	watcherCount(): number {
		return this.watchers.size;
	}

	liveCount(resource: string): number {
		return this.must(resource).live;
	}
}

const RV_MARKER = '\u0000rv\u0000';
const RV_MARKER_JSON = JSON.stringify(RV_MARKER);

/** Field paths a JSON object answers for field selectors. */
function fieldValue(value: Record<string, unknown>, path: string): string | undefined {
	if (path === 'source') {
		const source = value['source'] as Record<string, unknown> | undefined;
		return typeof source?.['component'] === 'string' ? source['component'] : '';
	}

	let current: unknown = value;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object') {
			return '';
		}

		current = (current as Record<string, unknown>)[part];
	}

	if (current === undefined || current === null) {
		return path === 'spec.unschedulable' || path === 'spec.hostNetwork' ? 'false' : '';
	}

	return typeof current === 'string' ? current : String(current);
}

/**
 * An object held as plain JSON. Immutable by convention: writers build a new value per version.
 * `metadata.resourceVersion` is filled in per served version.
 */
export class JsonObj implements SimObj {
	readonly namespace: string;
	readonly name: string;
	private parts: [string, string] | null = null;

	constructor(readonly value: Record<string, unknown> & {metadata: Record<string, unknown>}) {
		this.namespace = typeof value.metadata['namespace'] === 'string' ? value.metadata['namespace'] : '';
		this.name = String(value.metadata['name'] ?? '');
	}

	labels(): Readonly<Record<string, string>> | undefined {
		return this.value.metadata['labels'] as Record<string, string> | undefined;
	}

	field(path: string): string | undefined {
		return fieldValue(this.value, path);
	}

	private split(): [string, string] {
		if (this.parts === null) {
			const text = JSON.stringify({...this.value, metadata: {...this.value.metadata, resourceVersion: RV_MARKER}});
			const at = text.indexOf(RV_MARKER_JSON);
			this.parts = [text.slice(0, at + 1), text.slice(at + RV_MARKER_JSON.length - 1)];
		}

		return this.parts;
	}

	json(rv: number): string {
		const [head, tail] = this.split();
		return head + rv + tail;
	}

	sameAs(other: SimObj): boolean {
		if (!(other instanceof JsonObj)) {
			return false;
		}

		const a = this.split();
		const b = other.split();
		return a[0] === b[0] && a[1] === b[1];
	}
}
