/**
 * What the view model reads: the store, seen through a snapshot of its data versions. Between two
 * `refresh()` calls every answer comes from caches keyed by this snapshot, so a keypress never
 * pays for data that arrived since the last frame.
 */
import type {Store} from '../store/store.js';

export interface Snapshot {
	podSet: number;
	pods: number;
	/** live metrics samples: the latest working sets (and the history) */
	metrics: number;
	/** past history written (a backfill): only what reads the history */
	history: number;
	nodes: number;
	summary: number;
	feed: number;
	/** time of the newest metrics sample (epoch ms, the server's clock) */
	metricsTime: number | null;
	/** when it arrived (this process's clock) */
	metricsReceivedAt: number | null;
}

/** the version of what reads the history: a live sample or a backfill changes it (the latest working sets only move with `metrics`) */
export function historyTag(s: Snapshot): string {
	return `${s.metrics}.${s.history}`;
}

export class Source {
	snap: Snapshot;
	constructor(readonly store: Store) {
		this.snap = capture(store);
	}

	/** take the store's current data as the data to show; true when anything changed */
	refresh(): boolean {
		const next = capture(this.store);
		const s = this.snap;
		const changed =
			next.podSet !== s.podSet || next.pods !== s.pods || next.metrics !== s.metrics || next.history !== s.history || next.nodes !== s.nodes || next.summary !== s.summary || next.feed !== s.feed;
		this.snap = next;
		return changed;
	}
}

function capture(st: Store): Snapshot {
	return {
		podSet: st.podSetVersion,
		pods: st.podsVersion,
		metrics: st.metricsVersion,
		history: st.historyVersion,
		nodes: st.nodesVersion,
		summary: st.summaryVersion,
		feed: st.feed.version,
		metricsTime: st.metricsTime,
		metricsReceivedAt: st.metricsReceivedAt,
	};
}
