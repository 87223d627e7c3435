/** `memtop recommend`: observe, then print the view model's recommendation per workload container. */
import {shownText} from '../kube/sanitize.js';
import {formatBytes, formatDuration} from '../memory/quantity.js';
import type {Session} from '../kube/session.js';
import type {Store} from '../store/store.js';
import type {RecommendationRow} from '../view/index.js';
import {ViewModel} from '../view/index.js';
import type {Options} from './flags.js';
import {jsonText, table as formatTable} from './output.js';

export function recommendationJson(r: RecommendationRow) {
	const rec = r.recommendation;
	return {
		namespace: r.namespace,
		workloadKind: r.workloadKind,
		workload: r.workload,
		container: r.container,
		replicas: r.replicas,
		replicasPooled: r.pooled,
		samples: rec.samples,
		observedMs: rec.observedMs,
		steadyBytes: rec.steadyBytes,
		peakBytes: rec.peakBytes,
		currentRequestBytes: r.currentRequestBytes,
		currentLimitBytes: r.currentLimitBytes,
		recommendedRequestBytes: rec.requestBytes,
		recommendedLimitBytes: rec.limitBytes,
		overcommitted: r.overcommitted,
		confidence: rec.confidence,
		note: rec.note,
	};
}

export async function runRecommend(store: Store, session: Session | null, options: Options): Promise<number> {
	if (options.windowMs > 0 && session) {
		const {runRecommendWindow} = await import('./recommend-window.js');
		return runRecommendWindow(store, session, options);
	}

	if (options.observeMs > 0 && session) {
		process.stderr.write(`memtop: observing for ${formatDuration(options.observeMs)} (metrics every ${formatDuration(options.metricsIntervalMs)})…\n`);
		await new Promise(resolve => setTimeout(resolve, options.observeMs));
		await session.pollMetrics();
	}

	store.flush();
	const rows = new ViewModel(store).recommendations();
	if (options.output === 'json') {
		const c = store.connection;
		process.stdout.write(jsonText({kind: 'RecommendationList', context: c?.context ?? null, observedForMs: options.observeMs, items: rows.map(recommendationJson)}));
		return 0;
	}

	const bytes = (n: number | null) => (n === null ? '-' : formatBytes(n));
	const table: string[][] = [['NAMESPACE', 'WORKLOAD', 'CONTAINER', 'REPLICAS', 'STEADY', 'PEAK', 'REQUEST', '→ REC', 'LIMIT', '→ REC', 'OBSERVED', 'NOTE']];
	for (const r of rows) {
		const rec = r.recommendation;
		table.push([
			r.namespace,
			`${r.workloadKind.toLowerCase()}/${r.workload}`,
			r.container,
			String(r.replicas),
			bytes(rec.steadyBytes),
			bytes(rec.peakBytes),
			bytes(r.currentRequestBytes),
			bytes(rec.requestBytes),
			bytes(r.currentLimitBytes),
			bytes(rec.limitBytes),
			formatDuration(rec.observedMs),
			(r.overcommitted ? 'limit/request > 2; ' : '') + rec.note,
		]);
	}

	process.stdout.write(shownText(formatTable(table)) + '\n');
	return 0;
}
