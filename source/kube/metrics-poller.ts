/**
 * One metrics.k8s.io poll into the store: the pods of the watched scope, then the nodes (when the
 * nodes list was allowed). A failure is a banner; the tables keep their requests and limits.
 */
import type {Store} from '../store/store.js';
import {MetricsBuilder} from './convert.js';
import {ApiError, describe, isForbidden, isNotFound} from './errors.js';
import {scopedPath, type ApiClient} from './http.js';
import type {Scheduler} from './scheduler.js';
import type {Watches} from './watches.js';
import {PollRefusals} from './refused.js';

interface MetricsPollerOptions {
	client: ApiClient;
	store: Store;
	scheduler: Scheduler;
	/** what is watched (a snapshot: what is listed) */
	watches: Pick<Watches, 'scope' | 'hasNodes'>;
	/** 'v1' or 'v1beta1' */
	version: string;
	intervalMs: number;
	/** settles when the nodes list is in or refused (the first poll may start before: its node part waits) */
	nodesListed?: Promise<void>;
	/** a one-shot: answers up to this size parsed whole (json-list.ts); the live view streams them */
	wholeBytes?: number;
}

export class MetricsPoller {
	private readonly o: MetricsPollerOptions;
	private nodesForbidden = false;
	private readonly refused: PollRefusals;

	constructor(o: MetricsPollerOptions) {
		this.o = o;
		this.refused = new PollRefusals(o.store, 'metrics', ['metrics item', 'metrics items'], o.scheduler.now);
	}

	/**
	 * `listed`: the answer is applied once it settles (--once: the pod list, asked at the same time;
	 * the store takes metrics for the pods it has). `keep`: asked before the preflight answered, the
	 * answer is applied (or its failure told) only if this comes true
	 */
	async poll(listed?: Promise<unknown>, keep?: Promise<boolean>): Promise<void> {
		const {client, store, scheduler, watches, intervalMs} = this.o;
		if (scheduler.isStopped) return;
		const base = `/apis/metrics.k8s.io/${this.o.version}`;
		const {namespace, selector} = watches.scope;
		try {
			const builder = new MetricsBuilder(scheduler.now(), this.refused.faults, key => store.pods.get(key)?.key);
			const timeoutMs = Math.max(30_000, intervalMs);
			// an item that is not JSON is one item skipped, as one of the wrong shape is
			const onBadItem = (why: string) => this.refused.faults.skip(why);
			await client.getList(scopedPath(base, 'pods', namespace), {labelSelector: selector || undefined}, item => builder.pod(item), {timeoutMs, onBadItem, wholeBytes: this.o.wholeBytes});
			await this.o.nodesListed;
			if (watches.hasNodes && !this.nodesForbidden) {
				try {
					await client.getList(`${base}/nodes`, undefined, item => builder.node(item), {timeoutMs, onBadItem, wholeBytes: this.o.wholeBytes});
				} catch (error) {
					if (!isForbidden(error)) throw error;
					this.nodesForbidden = true;
					store.setBanner({id: 'rbac:node-metrics', level: 'warn', text: 'cannot read node metrics (403 Forbidden): node working set unknown', since: scheduler.now()});
				}
			}

			if (listed) {
				await listed.then(
					() => {},
					() => {},
				);
			}

			if (keep && !(await keep)) return;

			// in slices: at 150,000 pods one sample would hold the event loop for about 150 ms
			const apply = store.beginMetrics(builder.done());
			if (!(await scheduler.slices(yieldNow => apply.step(yieldNow)))) return;
			this.refused.publish();
			store.clearBanner('metrics');
		} catch (error) {
			if (scheduler.isStopped || (keep && !(await keep))) return;
			// say what the tables show meanwhile: the last working sets received (marked WS~ once
			// stale, memory/freshness.ts), or, before any, requests and limits only
			const shown = store.metricsTime === null ? 'showing requests and limits only' : 'showing the last working sets received (WS~ once stale)';
			let text = `metrics unavailable (${describe(error)}): ${shown}; retrying every ${Math.round(intervalMs / 1000)}s`;
			if (isForbidden(error)) text = `cannot read pod metrics (403 Forbidden${namespace ? '' : ', cluster-wide'}): working set unknown`;
			else if (error instanceof ApiError && (error.status === 503 || isNotFound(error))) text = `metrics API not answering (${error.status} ${error.reason}; metrics-server down?): ${shown}; retrying`;
			store.setBanner({id: 'metrics', level: 'error', text, since: scheduler.now()});
		}
	}
}
