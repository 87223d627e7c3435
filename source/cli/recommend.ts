/** `memtop recommend`: observe, then print per workload container the observed figures and the recommended request/limit. */
import {formatBytes, formatDuration} from '../memory/quantity.js';
import {limitRequestRatioFlag, recommend} from '../memory/recommend.js';
import {ownerWorkload} from '../memory/workloads.js';
import type {Session} from '../kube/session.js';
import type {Store} from '../store/store.js';
import type {Options} from './flags.js';

interface Group {
	namespace: string;
	kind: string;
	workload: string;
	container: string;
	replicas: Set<string>;
	times: number[];
	values: number[];
	requestBytes: number | null;
	limitBytes: number | null;
}

export function recommendations(store: Store) {
	const groups = new Map<string, Group>();
	for (const pod of store.pods.values()) {
		if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
		const w = ownerWorkload(pod);
		const own = new Set(store.containerSeriesNames(pod.key));
		const apps = pod.containers.filter(c => c.kind !== 'init');
		for (const c of apps) {
			const series = own.has(c.name) ? store.history('container', pod.key, c.name) : apps.length === 1 ? store.history('pod', pod.key) : null;
			const id = `${pod.namespace}/${w.kind}/${w.name}/${c.name}`;
			let g = groups.get(id);
			if (!g) {
				g = {namespace: pod.namespace, kind: w.kind, workload: w.name, container: c.name, replicas: new Set(), times: [], values: [], requestBytes: c.requestBytes, limitBytes: c.limitBytes};
				groups.set(id, g);
			}

			g.replicas.add(pod.key);
			if (!series) continue;
			for (let i = 0; i < series.values.length; i++) {
				const v = series.values[i]!;
				if (Number.isNaN(v)) continue;
				g.times.push(series.times[i]!);
				g.values.push(v);
			}
		}
	}

	return [...groups.values()]
		.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.workload.localeCompare(b.workload) || a.container.localeCompare(b.container))
		.map(g => {
			const r = recommend({values: g.values, times: g.times});
			return {
				namespace: g.namespace,
				workloadKind: g.kind,
				workload: g.workload,
				container: g.container,
				replicas: g.replicas.size,
				samples: r.samples,
				observedMs: r.observedMs,
				steadyBytes: r.steadyBytes,
				peakBytes: r.peakBytes,
				currentRequestBytes: g.requestBytes,
				currentLimitBytes: g.limitBytes,
				recommendedRequestBytes: r.requestBytes,
				recommendedLimitBytes: r.limitBytes,
				overcommitted: limitRequestRatioFlag(g.requestBytes, g.limitBytes),
				confidence: r.confidence,
				note: r.note,
			};
		});
}

export async function runRecommend(store: Store, session: Session, options: Options): Promise<number> {
	if (options.observeMs > 0) {
		process.stderr.write(`memtop: observing for ${formatDuration(options.observeMs)} (metrics every ${formatDuration(options.metricsIntervalMs)})…\n`);
		await new Promise(resolve => setTimeout(resolve, options.observeMs));
		await session.pollMetrics();
	}

	store.flush?.();
	const rows = recommendations(store);
	if (options.output === 'json') {
		const c = store.connection;
		process.stdout.write(JSON.stringify({kind: 'RecommendationList', context: c?.context ?? null, observedForMs: options.observeMs, items: rows}, null, 2) + '\n');
		return 0;
	}

	const table: string[][] = [['NAMESPACE', 'WORKLOAD', 'CONTAINER', 'REPLICAS', 'STEADY', 'PEAK', 'REQUEST', '→ REC', 'LIMIT', '→ REC', 'OBSERVED', 'NOTE']];
	for (const r of rows) {
		table.push([
			r.namespace,
			`${r.workloadKind.toLowerCase()}/${r.workload}`,
			r.container,
			String(r.replicas),
			formatBytes(r.steadyBytes),
			formatBytes(r.peakBytes),
			formatBytes(r.currentRequestBytes),
			formatBytes(r.recommendedRequestBytes),
			formatBytes(r.currentLimitBytes),
			formatBytes(r.recommendedLimitBytes),
			formatDuration(r.observedMs),
			(r.overcommitted ? 'limit/request > 2; ' : '') + r.note,
		]);
	}

	const widths: number[] = [];
	for (const row of table) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
	process.stdout.write(table.map(row => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
	return 0;
}
