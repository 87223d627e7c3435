/**
 * The kubelet Summary API of every node, through the API server's nodes/proxy: the RSS / cache
 * breakdown, with the node's evictionHard threshold read once from its configz. A node that
 * cannot answer is "unavailable" with the reason; the others go on. A node that answered 404 (no
 * Summary API, e.g. kwok) or 403 is asked again after 30 s, 1 min, 2 min, … at most 10 min
 * (jittered) until it answers 200; a 5xx or network error is retried on the next cycle.
 */
import type {Store} from '../store/store.js';
import {defaultEvictionHardBytes, evictionThresholdBytes} from '../memory/eviction.js';
import {evictionHardValue, nodeSummary} from './convert.js';
import {ApiError, describe, isForbidden, isNotFound} from './errors.js';
import type {ApiClient} from './http.js';
import {PollRefusals} from './refused.js';
import {backoff, jitter, type Scheduler} from './scheduler.js';

interface SummaryPollerOptions {
	client: ApiClient;
	store: Store;
	scheduler: Scheduler;
	/** nodes asked at the same time */
	concurrency: number;
}

interface NodeState {
	configzDone: boolean;
	evictionHard: number;
	source: 'configz' | 'default';
	/** 404s and 403s in a row */
	refusals: number;
	/** not asked before this time (epoch ms) */
	retryAt: number;
	forbidden: boolean;
}

const refusalBackoffMs = 30_000;
const refusalBackoffMaxMs = 600_000;

async function parallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const workers = Array.from({length: Math.min(limit, items.length)}, async () => {
		while (next < items.length) {
			const item = items[next++]!;
			await fn(item);
		}
	});
	await Promise.all(workers);
}

export class SummaryPoller {
	private readonly o: SummaryPollerOptions;
	private readonly nodes = new Map<string, NodeState>();
	private readonly refused: PollRefusals;

	constructor(o: SummaryPollerOptions) {
		this.o = o;
		this.refused = new PollRefusals(o.store, 'summary', ['Summary entry', 'Summary entries'], o.scheduler.now);
	}

	/**
	 * Ask every node once. `signal` (--once's deadline) ends the poll early: the nodes not asked by
	 * then, or whose answer had not come, are returned (and marked unavailable), the others kept.
	 */
	async poll(signal?: AbortSignal): Promise<string[]> {
		const {store, scheduler} = this.o;
		if (scheduler.isStopped) return [];
		for (const name of this.nodes.keys()) if (!store.nodes.has(name)) this.nodes.delete(name);
		const names = [...store.nodes.keys()];
		const leftOut: string[] = [];
		await parallel(names, this.o.concurrency, async name => {
			if (scheduler.isStopped) return;
			if (signal?.aborted) {
				leftOut.push(name);
				store.applySummary(name, {status: 'unavailable', reason: 'no answer before the deadline', time: scheduler.now()});
			} else if (!(await this.pollNode(name, signal))) {
				leftOut.push(name);
			}
		});
		this.refused.publish();
		if (names.length > 0 && names.every(name => this.nodes.get(name)?.forbidden)) {
			store.setBanner({id: 'rbac:summary', level: 'info', text: 'no access to nodes/proxy (403): RSS/cache breakdown unavailable', since: scheduler.now()});
		} else {
			store.clearBanner('rbac:summary');
		}

		return leftOut;
	}

	/** false: the answer did not come before `signal` ended the poll */
	private async pollNode(name: string, signal?: AbortSignal): Promise<boolean> {
		const {client, store, scheduler} = this.o;
		const path = `/api/v1/nodes/${encodeURIComponent(name)}/proxy`;
		let st = this.nodes.get(name);
		if (!st) {
			st = {configzDone: false, evictionHard: defaultEvictionHardBytes, source: 'default', refusals: 0, retryAt: 0, forbidden: false};
			this.nodes.set(name, st);
		}

		if (scheduler.now() < st.retryAt) return true;
		try {
			const raw = await client.getJson<any>(`${path}/stats/summary`, undefined, {timeoutMs: 20_000, signal});
			if (!st.configzDone) {
				st.configzDone = true;
				await this.readConfigz(name, path, st);
			}

			st.refusals = 0;
			st.retryAt = 0;
			st.forbidden = false;
			store.applySummary(name, {status: 'ok', summary: nodeSummary(raw, name, st.evictionHard, st.source, scheduler.now(), this.refused.faults)});
			return true;
		} catch (error) {
			if (signal?.aborted) {
				store.applySummary(name, {status: 'unavailable', reason: 'no answer before the deadline', time: scheduler.now()});
				return false;
			}

			st.forbidden = isForbidden(error);
			let reason = describe(error);
			if (st.forbidden) reason = 'forbidden: no RBAC on nodes/proxy';
			else if (isNotFound(error)) reason = 'kubelet has no /stats/summary (404)';
			else if (error instanceof ApiError && error.status >= 500) reason = `kubelet unreachable (${error.status})`;
			if (st.forbidden || isNotFound(error)) {
				st.refusals++;
				st.retryAt = scheduler.now() + Math.min(refusalBackoffMaxMs, jitter(backoff(st.refusals, refusalBackoffMs, refusalBackoffMaxMs), 0.25));
			}

			store.applySummary(name, {status: 'unavailable', reason, time: scheduler.now()});
			return true;
		}
	}

	private async readConfigz(name: string, path: string, st: NodeState): Promise<void> {
		try {
			const cfg = await this.o.client.getJson<any>(`${path}/configz`, undefined, {timeoutMs: 10_000});
			const value = evictionHardValue(cfg);
			const bytes = value === null ? null : evictionThresholdBytes(value, this.o.store.nodes.get(name)?.capacityBytes ?? null);
			if (bytes !== null) {
				st.evictionHard = bytes;
				st.source = 'configz';
			}
		} catch {
			// configz forbidden or absent: keep the kubelet default (100Mi) and say so
		}
	}
}
