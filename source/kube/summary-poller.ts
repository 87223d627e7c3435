/**
 * The kubelet Summary API of every node, through the API server's nodes/proxy: the RSS / cache
 * breakdown, with the node's evictionHard threshold read once from its configz. A node that
 * cannot answer is "unavailable" with the reason; the others go on.
 */
import type {Store} from '../store/store.js';
import {evictionHardFromConfigz, evictionHardPercent, nodeSummary} from './convert.js';
import {ApiError, describe, isForbidden, isNotFound} from './errors.js';
import type {ApiClient} from './http.js';
import type {Scheduler} from './scheduler.js';

export interface SummaryPollerOptions {
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
}

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
	/** every node answered 403: no RBAC on nodes/proxy */
	forbidden = false;
	private readonly o: SummaryPollerOptions;
	private readonly nodes = new Map<string, NodeState>();

	constructor(o: SummaryPollerOptions) {
		this.o = o;
	}

	async poll(): Promise<void> {
		const {store, scheduler} = this.o;
		if (scheduler.isStopped) return;
		const names = [...store.nodes.keys()];
		let forbidden = 0;
		await parallel(names, this.o.concurrency, async name => {
			if (scheduler.isStopped) return;
			if (!(await this.pollNode(name))) forbidden++;
		});
		this.forbidden = names.length > 0 && forbidden === names.length;
		if (this.forbidden) {
			store.setBanner({id: 'rbac:summary', level: 'info', text: 'no access to nodes/proxy (403): RSS/cache breakdown unavailable', since: scheduler.now()});
		} else {
			store.clearBanner('rbac:summary');
		}
	}

	/** false when the node's proxy answered 403 */
	private async pollNode(name: string): Promise<boolean> {
		const {client, store, scheduler} = this.o;
		const path = `/api/v1/nodes/${encodeURIComponent(name)}/proxy`;
		let st = this.nodes.get(name);
		if (!st) {
			st = {configzDone: false, evictionHard: 100 * 1024 * 1024, source: 'default'};
			this.nodes.set(name, st);
		}

		try {
			const raw = await client.getJson<any>(`${path}/stats/summary`, undefined, {timeoutMs: 10_000});
			if (!st.configzDone) {
				st.configzDone = true;
				await this.readConfigz(name, path, st);
			}

			store.applySummary(name, {status: 'ok', summary: nodeSummary(raw, name, st.evictionHard, st.source, scheduler.now())});
			return true;
		} catch (error) {
			let reason = describe(error);
			if (isForbidden(error)) reason = 'forbidden: no RBAC on nodes/proxy';
			else if (isNotFound(error)) reason = 'kubelet has no /stats/summary (404)';
			else if (error instanceof ApiError && error.status >= 500) reason = `kubelet unreachable (${error.status})`;
			store.applySummary(name, {status: 'unavailable', reason, time: scheduler.now()});
			return !isForbidden(error);
		}
	}

	private async readConfigz(name: string, path: string, st: NodeState): Promise<void> {
		try {
			const cfg = await this.o.client.getJson<any>(`${path}/configz`, undefined, {timeoutMs: 10_000});
			const bytes = evictionHardFromConfigz(cfg);
			const pct = evictionHardPercent(cfg);
			const capacity = this.o.store.nodes.get(name)?.capacityBytes ?? null;
			if (bytes !== null) {
				st.evictionHard = bytes;
				st.source = 'configz';
			} else if (pct !== null && capacity !== null) {
				st.evictionHard = Math.round((capacity * pct) / 100);
				st.source = 'configz';
			}
		} catch {
			// configz forbidden or absent: keep the kubelet default (100Mi) and say so
		}
	}
}
