/**
 * What the header and every output's preamble say about the data: where it comes from, how many
 * objects, how fresh the metrics are (memory/freshness.ts), whether the lists are still syncing,
 * and the banners, most severe first.
 */
import {metricsStale} from '../memory/freshness.js';
import type {Banner, ConnectionInfo, NamespaceFrom} from '../model/index.js';
import type {Store, SyncResource} from '../store/store.js';
import type {Snapshot} from './source.js';

export interface Status {
	connection: ConnectionInfo | null;
	pods: number;
	nodes: number;
	/** pods per namespace */
	namespaces: ReadonlyMap<string, number>;
	/** time of the metrics shown, null before the first sample */
	metricsTime: number | null;
	metricsAgeMs: number | null;
	/** the working sets shown are last-known values: metrics-server has not answered for a while */
	stale: boolean;
	/** some Summary reported memory PSI (false: no kubelet does, or the Summary API is out of reach) */
	psi: boolean;
	/** a list is still coming in (a forbidden or missing one does not count: a banner explains it) */
	syncing: boolean;
	/** the first pod list while it comes in page by page: pods so far, and the server's estimate of the total (null: unknown) */
	listing: {seen: number; total: number | null} | null;
	/** the resources whose watch went silent: what they show may be behind */
	behind: SyncResource[];
	banners: Banner[];
}

const bannerOrder: Record<Banner['level'], number> = {error: 0, warn: 1, info: 2};

export function status(store: Store, snap: Snapshot, now: number): Status {
	const mt = snap.metricsTime;
	return {
		connection: store.connection,
		pods: store.pods.size,
		nodes: store.nodes.size,
		namespaces: store.namespaces(),
		metricsTime: mt,
		metricsAgeMs: mt === null ? null : Math.max(0, now - mt),
		stale: metricsStale(snap.metricsReceivedAt, store.metricsWindowMs, now),
		syncing: !store.allSynced,
		listing: store.podsListing && {seen: store.podsListing.seen, total: store.podsListing.remaining === null ? null : store.podsListing.seen + store.podsListing.remaining},
		behind: (Object.keys(store.sync) as SyncResource[]).filter(r => store.sync[r] === 'stale'),
		psi: store.psiSeen,
		banners: [...store.banners.values()].sort((a, b) => bannerOrder[a.level] - bannerOrder[b.level] || a.since - b.since),
	};
}

/** the scope and its reason in a few words: "namespace shop (the context's)", "all namespaces (-A)" */
export function scopeWords(namespace: string | null, from: NamespaceFrom | undefined): string {
	const what = namespace === null ? 'all namespaces' : `namespace ${namespace}`;
	const why: Record<NamespaceFrom, string> = {
		flag: namespace === null ? '-A' : '-n',
		context: "the context's",
		'context-none': 'the context names none',
		config: 'config namespaceScope: all',
		demo: 'demo',
		fallback: 'all namespaces forbidden',
		picked: 'picked',
	};
	return from === undefined ? what : `${what} (${why[from]})`;
}
