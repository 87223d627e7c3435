/**
 * The OOM / eviction feed as rows, and how an entry is named: `feedObject` is the one label of an
 * entry's object ("ns/pod/container" or "node/name") in every table, line and output.
 */
import type {FeedEntry} from '../model/index.js';
import {fuzzyMatch, IndexRowSet, type RowSet} from './rows.js';
import {rankStrings, sortRows} from './sort.js';
import type {EventSortKey, Sort} from './sorts.js';
import type {Source} from './source.js';

export interface EventQuery {
	sort: Sort<EventSortKey>;
	filter: string;
	namespace: string | null;
}

/** "ns/pod/container" (or "ns/pod") for a pod's entry, "node/name" for a node's */
export function feedObject(e: FeedEntry): string {
	if (e.pod !== '') return `${e.namespace}/${e.pod}${e.container === '' ? '' : `/${e.container}`}`;
	return `node/${e.node}`;
}

/** the entry's detail in one line: exit code, then the message (or the reason without one) */
export function feedDetail(e: FeedEntry): string {
	return [e.exitCode !== null ? `exit ${e.exitCode}` : '', e.message !== '' ? e.message : e.reason].filter(Boolean).join(' · ');
}

export class EventTable {
	private cache: {tag: string; rows: IndexRowSet<FeedEntry>} | null = null;

	constructor(private readonly src: Source) {}

	/** every entry, newest first */
	entries(): readonly FeedEntry[] {
		return this.src.store.feed.entries();
	}

	rows(q: EventQuery): RowSet<FeedEntry> {
		const filter = q.filter.toLowerCase();
		const tag = `${this.src.snap.feed}/${filter}/${q.namespace ?? ''}/${q.sort.key}/${q.sort.desc}`;
		if (this.cache?.tag === tag) return this.cache.rows;
		const entries = this.entries();
		const idx: number[] = [];
		let scoped = 0;
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i]!;
			if (q.namespace !== null && e.namespace !== q.namespace) continue;
			scoped++;
			if (fuzzyMatch(filter, `${feedObject(e)} ${e.node} ${e.kind} ${e.reason}`.toLowerCase())) idx.push(i);
		}

		const key = new Float64Array(entries.length);
		const rank = q.sort.key === 'object' ? rankStrings(entries.map(feedObject)) : q.sort.key === 'kind' ? rankStrings(entries.map(e => e.kind)) : null;
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i]!;
			key[i] = q.sort.key === 'time' ? e.time : q.sort.key === 'count' ? e.count : rank![i]!;
		}

		const rows = new IndexRowSet<FeedEntry>(sortRows(Uint32Array.from(idx), key, q.sort.desc), scoped, i => entries[i]!.id, i => entries[i]!);
		this.cache = {tag, rows};
		return rows;
	}
}
