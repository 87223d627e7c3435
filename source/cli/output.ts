/** `--once` output: the store rendered as a plain table or as JSON with exact byte figures. */
import {percentOf} from '../memory/percent.js';
import {formatBytes, formatPercent} from '../memory/quantity.js';
import type {Store} from '../store/store.js';
import type {FeedEntry, NodeRecord, PodRecord} from '../model/index.js';
import type {View} from './flags.js';

function iso(t: number | null | undefined): string | null {
	return t ? new Date(t).toISOString() : null;
}


export function podJson(store: Store, p: PodRecord) {
	const ws = store.workingSet(p.key);
	const summary = store.podBreakdown(p.key);
	return {
		namespace: p.namespace,
		name: p.name,
		node: p.nodeName || null,
		phase: p.phase,
		reason: p.reason || null,
		qos: p.qos,
		priority: p.priority,
		workingSetBytes: ws,
		requestBytes: p.requestBytes,
		limitBytes: p.limitBytes,
		percentOfRequest: round(percentOf(ws, p.requestBytes)),
		percentOfLimit: round(percentOf(ws, p.limitBytes)),
		restarts: p.restarts,
		owner: p.owner,
		containers: p.containers.map(c => {
			const b = summary?.containers.get(c.name) ?? null;
			return {
				name: c.name,
				kind: c.kind,
				workingSetBytes: store.containerWorkingSet(p.key, c.name),
				requestBytes: c.requestBytes,
				limitBytes: c.limitBytes,
				restarts: c.restarts,
				state: c.state,
				stateReason: c.stateReason || null,
				lastTermination: c.lastTermination
					? {reason: c.lastTermination.reason, exitCode: c.lastTermination.exitCode, finishedAt: iso(c.lastTermination.finishedAt)}
					: null,
				rssBytes: b?.rssBytes ?? null,
				usageBytes: b?.usageBytes ?? null,
				cacheBytes: b?.cacheBytes ?? null,
			};
		}),
	};
}

function round(p: number | null): number | null {
	return p === null ? null : Math.round(p * 10) / 10;
}

export function nodeJson(store: Store, n: NodeRecord) {
	const ws = store.nodeWorkingSet(n.name);
	// requests committed and pod count: non-terminated pods bound to the node, kept by the store
	const agg = store.nodeAggregate(n.name);
	const s = store.summaries.get(n.name);
	return {
		name: n.name,
		workingSetBytes: ws,
		capacityBytes: n.capacityBytes,
		allocatableBytes: n.allocatableBytes,
		percentOfAllocatable: round(percentOf(ws, n.allocatableBytes)),
		requestedBytes: agg.requestsBytes,
		percentRequested: round(percentOf(agg.requestsBytes, n.allocatableBytes)),
		pods: agg.pods,
		memoryPressure: n.memoryPressure,
		ready: n.ready,
		availableBytes: s?.status === 'ok' ? s.summary.availableBytes : null,
		evictionHardBytes: s?.status === 'ok' ? s.summary.evictionHardBytes : null,
		evictionHardSource: s?.status === 'ok' ? s.summary.evictionHardSource : null,
		summary: s ? (s.status === 'ok' ? 'ok' : `unavailable: ${s.reason}`) : 'not polled',
	};
}

export function feedJson(e: FeedEntry) {
	return {...e, time: iso(e.time)};
}

function header(store: Store, kind: string) {
	const c = store.connection;
	return {
		kind,
		context: c?.context ?? null,
		server: c?.server ?? null,
		namespace: c?.namespace ?? null,
		metricsApi: c?.metricsApi ?? null,
		metricsTime: iso(store.metricsTime),
		warnings: [...store.banners.values()].map(b => b.text),
	};
}

function byKey<T extends {namespace?: string; name: string}>(a: T, b: T): number {
	return (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
}

export function snapshotJson(store: Store, view: View): unknown {
	if (view === 'nodes') {
		return {...header(store, 'NodeList'), items: [...store.nodes.values()].sort(byKey).map(n => nodeJson(store, n))};
	}

	if (view === 'events') {
		return {...header(store, 'FeedList'), items: store.feed.entries().map(feedJson)};
	}

	return {...header(store, 'PodList'), items: [...store.pods.values()].sort(byKey).map(p => podJson(store, p))};
}

function table(rows: string[][], right: Set<number>): string {
	const widths: number[] = [];
	for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
	return rows
		.map(r => r.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
		.join('\n');
}

export function snapshotTable(store: Store, view: View): string {
	const warnings = [...store.banners.values()].map(b => `! ${b.text}`);
	let body: string;
	if (view === 'nodes') {
		const rows = [['NODE', 'WORKING SET', 'ALLOCATABLE', '%ALLOC', 'REQUESTED', 'PODS', 'PRESSURE', 'AVAILABLE']];
		for (const n of [...store.nodes.values()].sort(byKey)) {
			const j = nodeJson(store, n);
			rows.push([j.name, formatBytes(j.workingSetBytes), formatBytes(j.allocatableBytes), formatPercent(j.percentOfAllocatable), formatBytes(j.requestedBytes), String(j.pods), j.memoryPressure ? 'MemoryPressure' : '-', formatBytes(j.availableBytes)]);
		}

		body = table(rows, new Set([1, 2, 3, 4, 5, 7]));
	} else if (view === 'events') {
		const rows = [['TIME', 'KIND', 'OBJECT', 'REASON', 'COUNT', 'MESSAGE']];
		for (const e of store.feed.entries()) {
			const object = e.pod ? `${e.namespace}/${e.pod}${e.container ? '/' + e.container : ''}` : `node/${e.node}`;
			rows.push([iso(e.time) ?? '', e.kind, object, e.reason, String(e.count), e.message.slice(0, 80)]);
		}

		body = table(rows, new Set([4]));
	} else {
		const rows = [['NAMESPACE', 'POD', 'WORKING SET', 'REQUEST', 'LIMIT', '%REQ', '%LIM', 'QOS', 'RESTARTS', 'NODE']];
		for (const p of [...store.pods.values()].sort(byKey)) {
			const ws = store.workingSet(p.key);
			rows.push([p.namespace, p.name, formatBytes(ws), formatBytes(p.requestBytes), formatBytes(p.limitBytes), formatPercent(percentOf(ws, p.requestBytes)), formatPercent(percentOf(ws, p.limitBytes)), p.qos, String(p.restarts), p.nodeName || '-']);
		}

		body = table(rows, new Set([2, 3, 4, 5, 6, 8]));
	}

	return [...warnings, body].join('\n') + '\n';
}
