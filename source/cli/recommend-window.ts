/** `memtop recommend --window 7d`: the recommendation per workload container from a Prometheus window, krr's default beside it. */
import {MemtopError} from '../kube/errors.js';
import {shownLine, shownText} from '../kube/sanitize.js';
import type {Session} from '../kube/session.js';
import {formatBytes, formatDuration} from '../memory/quantity.js';
import {roundUpMi} from '../memory/recommend.js';
import {connectPrometheus} from '../prom/connect.js';
import {promCause} from '../prom/history.js';
import {windowRecommendations} from '../prom/window.js';
import type {Store} from '../store/store.js';
import {ViewModel} from '../view/index.js';
import type {Options} from './flags.js';
import {jsonText, table as formatTable} from './output.js';
import {recommendationJson} from './recommend.js';

export async function runRecommendWindow(store: Store, session: Session, options: Options): Promise<number> {
	const prom = options.prometheus!;
	const c = await connectPrometheus(prom.endpoint, session.client, {maxAnswerBytes: options.maxAnswerBytes, requestTimeoutMs: options.requestTimeoutMs});
	if (c === null) throw new MemtopError('recommend --window needs a Prometheus', 2);
	const window = formatDuration(options.windowMs);
	const source = `Prometheus ${c.client.name}`;
	process.stderr.write(`memtop: ${shownLine(`window ${window} from ${source} (${c.how})`)}\n`);
	store.flush();
	const rows = new ViewModel(store).recommendations();
	let items;
	try {
		items = await windowRecommendations({client: c.client, labels: prom.labels, store, windowMs: options.windowMs, nowMs: Date.now(), rows});
	} catch (error) {
		throw new MemtopError(promCause(error, c.client.name));
	} finally {
		c.close();
	}

	if (options.output === 'json') {
		const conn = store.connection;
		const json = items.map(r => ({
			...recommendationJson(r),
			oomKills: r.window?.oomKills ?? null,
			restarts: r.window?.restarts ?? null,
			krrSimpleBytes: r.krrBytes === null ? null : roundUpMi(r.krrBytes),
		}));
		process.stdout.write(jsonText({kind: 'RecommendationList', context: conn?.context ?? null, windowMs: options.windowMs, source, items: json}));
		return 0;
	}

	const bytes = (n: number | null) => (n === null ? '-' : formatBytes(n));
	const count = (n: number | null | undefined) => (n === null || n === undefined ? '-' : String(n));
	const table: string[][] = [['NAMESPACE', 'WORKLOAD', 'CONTAINER', 'PODS', 'STEADY', 'PEAK', 'OOM', 'RESTARTS', 'REQUEST', '→ REC', 'LIMIT', '→ REC', 'KRR', 'NOTE']];
	for (const r of items) {
		const rec = r.recommendation;
		table.push([
			r.namespace,
			`${r.workloadKind.toLowerCase()}/${r.workload}`,
			r.container,
			String(r.pooled),
			bytes(rec.steadyBytes),
			bytes(rec.peakBytes),
			count(r.window?.oomKills),
			count(r.window?.restarts),
			bytes(r.currentRequestBytes),
			bytes(rec.requestBytes),
			bytes(r.currentLimitBytes),
			bytes(rec.limitBytes),
			r.krrBytes === null ? '-' : bytes(roundUpMi(r.krrBytes)),
			(r.overcommitted ? 'limit/request > 2; ' : '') + rec.note,
		]);
	}

	process.stdout.write(shownText(`window ${window} from ${source}; KRR: krr's default (simple) strategy on the same data, request = limit = peak + 15 %\n${formatTable(table)}`) + '\n');
	return 0;
}
