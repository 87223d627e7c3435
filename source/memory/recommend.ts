/**
 * Right-sizing and the diagnosis checklist, by the seed documents' rules:
 * - request ≈ steady-state working set (median) × 1.2;
 * - limit ≈ max(peak × 1.2, request × 1.5); critical services: limit = request (Guaranteed);
 * - limit / request above 2 is over-commitment worth flagging;
 * - observe at least a full day before trusting a recommendation, and say how long was observed.
 * Recommended figures are rounded up to whole MiB.
 */
import type {NodeRecord, PodRecord, QosClass, Termination} from '../model/index.js';
import {forecastLevel, forecastText, type Forecast} from './forecast.js';
import {nodeLevel, usageLevel, type Level} from './percent.js';
import {containerHoldsMemory, holdsMemory, runningKinds} from './pod-state.js';
import {burstableOomScoreAdjRange, oomScoreAdj} from './pod-resources.js';
import {formatBytes, formatDuration, formatPercent} from './quantity.js';
import {max, median} from './stats.js';

const Mi = 1024 * 1024;

export const recommendRules = {
	requestFactor: 1.2,
	peakFactor: 1.2,
	limitOverRequest: 1.5,
	/** limit / request above this is flagged */
	maxLimitRequestRatio: 2,
	/** a workload's replicas pooled at most (in namespace/name order): more adds no information, only time */
	maxReplicasPooled: 200,
	/** observation needed before a recommendation is trusted */
	trustAfterMs: 24 * 3_600_000,
} as const;

export interface Recommendation {
	/** last − first sample time of the samples used */
	observedMs: number;
	samples: number;
	/** median working set; null without samples */
	steadyBytes: number | null;
	peakBytes: number | null;
	requestBytes: number | null;
	limitBytes: number | null;
	confidence: 'low' | 'ok';
	note: string;
}

/** Round up to a whole MiB. */
export function roundUpMi(bytes: number): number {
	return Math.ceil(bytes / Mi) * Mi;
}

export function recommend(input: {values: ArrayLike<number>; times: ArrayLike<number>; critical?: boolean}): Recommendation {
	const {values, times} = input;
	let first = Number.POSITIVE_INFINITY;
	let last = Number.NEGATIVE_INFINITY;
	const n = Math.min(values.length, times.length);
	const used: number[] = [];
	for (let i = 0; i < n; i++) {
		const v = values[i]!;
		const t = times[i]!;
		if (!Number.isFinite(v) || !Number.isFinite(t)) continue;
		used.push(v);
		if (t < first) first = t;
		if (t > last) last = t;
	}

	const samples = used.length;
	if (samples === 0) {
		return {observedMs: 0, samples: 0, steadyBytes: null, peakBytes: null, requestBytes: null, limitBytes: null, confidence: 'low', note: 'no samples yet'};
	}

	return recommendFrom({observedMs: last - first, samples, steadyBytes: median(used), peakBytes: max(used), critical: input.critical});
}

/**
 * The rule itself, on figures already summed up (by `recommend` from samples, or by Prometheus
 * over a window): request = steady × 1.2; limit = max(peak × 1.2, request × 1.5), or = request
 * when critical. `oomKills` > 0 in the window: the peak seen was cut short by the limit (the
 * kernel killed the container at it), so the limit is at least the current limit × 1.2.
 */
export function recommendFrom(f: {observedMs: number; samples: number; steadyBytes: number; peakBytes: number; critical?: boolean; oomKills?: number | null; currentLimitBytes?: number | null}): Recommendation {
	const {observedMs, samples} = f;
	const requestBytes = roundUpMi(f.steadyBytes * recommendRules.requestFactor);
	let limitBytes = f.critical ? requestBytes : roundUpMi(Math.max(f.peakBytes * recommendRules.peakFactor, requestBytes * recommendRules.limitOverRequest));
	const oomBound = (f.oomKills ?? 0) > 0 && f.currentLimitBytes != null && !f.critical ? roundUpMi(f.currentLimitBytes * recommendRules.peakFactor) : 0;
	if (oomBound > limitBytes) limitBytes = oomBound;
	const confidence = observedMs >= recommendRules.trustAfterMs ? 'ok' : 'low';
	const observed = `observed ${formatDuration(observedMs)} (${samples} sample${samples === 1 ? '' : 's'})`;
	let note = confidence === 'ok' ? observed : `${observed}; trust after ${formatDuration(recommendRules.trustAfterMs)}`;
	if (oomBound > 0) note += `; ${f.oomKills} OOM kill${f.oomKills === 1 ? '' : 's'}: the peak was cut at the limit, limit ≥ current × ${recommendRules.peakFactor}`;
	return {observedMs, samples, steadyBytes: f.steadyBytes, peakBytes: f.peakBytes, requestBytes, limitBytes, confidence, note};
}

/** True when limit / request > 2 (a request of 0 with a limit counts as over). */
export function limitRequestRatioFlag(requestBytes: number | null, limitBytes: number | null): boolean {
	if (requestBytes === null || limitBytes === null) return false;
	if (requestBytes <= 0) return limitBytes > 0;
	return limitBytes / requestBytes > recommendRules.maxLimitRequestRatio;
}

type DiagnosisLevel = Level | 'info';

export interface DiagnosisRow {
	/** stable id: qos, resources, ratio, usage, pressure, forecast, termination, restarts, observed, recommendation, node */
	id: string;
	label: string;
	value: string;
	level: DiagnosisLevel;
}

export interface DiagnoseInput {
	pod: PodRecord;
	/** container name; omitted or null: the pod as a whole */
	container?: string | null;
	/** its working set now, as the tables show it (null: unknown, not running, or finished) */
	workingSetBytes: number | null;
	/** its working set as % of its limit and of its request, as the tables show them */
	percentOfLimit: number | null;
	percentOfRequest: number | null;
	/** what its memory stall and fault rates say (memory/pressure.ts `pressureDiagnosis`); null: no Summary API */
	pressure?: {value: string; level: DiagnosisLevel} | null;
	/** its time to OOM, as the pods table shows it (view/forecast.ts) */
	forecast: Forecast | null;
	/** the recommendation for its workload container, as `memtop recommend` gives it; null: none applies */
	recommendation: Recommendation | null;
	/** what the recommendation covers ("Deployment shop/api, container app, 3 replicas") or why there is none */
	recommendationScope: string;
	node?: NodeRecord | null;
	nodeWorkingSetBytes?: number | null;
	/** the node's working set as % of allocatable and its headroom to the threshold, as the nodes table shows them */
	nodePercentOfAllocatable?: number | null;
	nodeDistanceBytes?: number | null;
	/** Summary API node memory.available */
	nodeAvailableBytes?: number | null;
	evictionHardBytes?: number | null;
	evictionHardSource?: 'configz' | 'default' | null;
	/** OOM kills of this container (or pod) in the last hour, from the feed */
	oomKillsLastHour?: number | null;
	/** recommend limit = request (Guaranteed) */
	critical?: boolean;
	now: number;
}

const recentOomMs = 10 * 60_000;

function latestTermination(ts: Array<{container: string; t: Termination | null}>): {container: string; t: Termination} | null {
	let best: {container: string; t: Termination} | null = null;
	for (const {container, t} of ts) {
		if (t === null) continue;
		if (best === null || (t.finishedAt ?? 0) > (best.t.finishedAt ?? 0)) best = {container, t};
	}

	return best;
}

/** Is this termination a SIGKILL that is not an OOM kill (exit 137 / signal 9 without OOMKilled)? */
export function isSigkillNotOom(t: Termination): boolean {
	return t.reason !== 'OOMKilled' && (t.exitCode === 137 || t.signal === 9);
}

function qosBand(qos: QosClass): string {
	if (qos === 'Guaranteed') return 'killed last';
	if (qos === 'BestEffort') return 'killed first';
	return `band ${burstableOomScoreAdjRange[0]}…${burstableOomScoreAdjRange[1]}`;
}

/**
 * The seed documents' checklist for a pod or one of its containers, as rows the UI renders:
 * QoS and oom_score_adj, request/limit, limit/request ratio, working set now, OOM forecast, last
 * termination, restarts, observed steady and peak, recommendation, node headroom.
 */
export function diagnose(input: DiagnoseInput): DiagnosisRow[] {
	const {pod, now} = input;
	const containerName = input.container ?? null;
	const container = containerName === null ? null : (pod.containers.find((c) => c.name === containerName) ?? null);
	const subject = container ?? pod;
	const rows: DiagnosisRow[] = [];
	const capacity = input.node?.capacityBytes ?? null;

	// QoS and oom_score_adj.
	{
		const targets = container ? [container] : runningKinds(pod);
		const adjs = targets.map((c) => oomScoreAdj(pod.qos, c.requestBytes, capacity)).filter((a): a is number => a !== null);
		let adjText = '';
		if (adjs.length > 0) {
			const lo = Math.min(...adjs);
			const hi = Math.max(...adjs);
			adjText = lo === hi ? String(lo) : `${lo}…${hi}`;
		} else {
			adjText = pod.qos === 'Burstable' ? '? (node capacity unknown)' : '';
		}

		rows.push({
			id: 'qos',
			label: 'QoS',
			value: `${pod.qos} · oom_score_adj ${adjText} (${qosBand(pod.qos)})`,
			level: pod.qos === 'BestEffort' ? 'warn' : 'ok',
		});
	}

	// Request and limit.
	const request = subject.requestBytes;
	const limit = subject.limitBytes;
	{
		const parts = [request === null ? 'no request' : `request ${formatBytes(request)}`];
		parts.push(limit === null ? 'no limit (bounded only by the node)' : `limit ${formatBytes(limit)}`);
		rows.push({id: 'resources', label: 'Request / limit', value: parts.join(' · '), level: limit === null || request === null ? 'warn' : 'ok'});
	}

	// Ratio.
	{
		const flag = limitRequestRatioFlag(request, limit);
		let value = '—';
		if (request !== null && limit !== null) {
			value = request > 0 ? `${(limit / request).toFixed(1)}×` : '∞ (request 0)';
			if (flag) value += ` — over-committed (> ${recommendRules.maxLimitRequestRatio})`;
		} else if (limit === null) {
			value = '— (no limit)';
		}

		rows.push({id: 'ratio', label: 'Limit / request', value, level: flag ? 'warn' : request !== null && limit !== null ? 'ok' : 'info'});
	}

	// Working set now.
	const ws = input.workingSetBytes;
	{
		const pl = input.percentOfLimit;
		const pr = input.percentOfRequest;
		const running = container === null ? holdsMemory(pod) : containerHoldsMemory(container);
		const state = container === null ? `pod ${pod.reason || pod.phase}` : container.stateReason || container.state;
		const parts = [ws !== null ? formatBytes(ws) : running ? 'no sample' : `none: ${state}, holds no memory`];
		if (pl !== null) parts.push(`${formatPercent(pl)} of limit`);
		if (pr !== null) parts.push(`${formatPercent(pr)} of request`);
		rows.push({id: 'usage', label: 'Working set', value: parts.join(' · '), level: usageLevel(pl)});
		if (input.pressure) rows.push({id: 'pressure', label: 'Memory stall', value: input.pressure.value, level: input.pressure.level});
	}

	// Forecast.
	const terminations = container
		? [{container: container.name, t: container.currentTermination}, {container: container.name, t: container.lastTermination}]
		: pod.containers.flatMap((c) => [
				{container: c.name, t: c.currentTermination},
				{container: c.name, t: c.lastTermination},
			]);
	const last = latestTermination(terminations);
	{
		const f = input.forecast;
		rows.push({id: 'forecast', label: 'Time to OOM', value: f === null ? 'no history' : forecastText(f, now), level: f === null ? 'info' : forecastLevel(f, now)});
	}

	// Last termination.
	{
		let value = 'none';
		let level: DiagnosisLevel = 'ok';
		if (last) {
			const t = last.t;
			const who = container ? '' : `${last.container}: `;
			const when = t.finishedAt === null ? '' : ` · ${formatDuration(now - t.finishedAt)} ago`;
			const reason = t.reason === '' ? 'terminated' : t.reason;
			let exit = `exit ${t.exitCode}`;
			if (isSigkillNotOom(t)) exit += ' (SIGKILL, not an OOM kill)';
			value = `${who}${reason} · ${exit}${when}`;
			if (t.reason === 'OOMKilled') level = t.finishedAt !== null && now - t.finishedAt <= recentOomMs ? 'crit' : 'warn';
			else if (isSigkillNotOom(t) || t.exitCode !== 0) level = 'warn';
		}

		rows.push({id: 'termination', label: 'Last termination', value, level});
	}

	// Restarts.
	{
		const restarts = container ? container.restarts : pod.restarts;
		const ooms = input.oomKillsLastHour ?? null;
		let value = String(restarts);
		if (ooms !== null) value += ` · ${ooms} OOM kill${ooms === 1 ? '' : 's'} in the last hour`;
		const level: DiagnosisLevel = ooms !== null && ooms > 3 ? 'crit' : restarts > 0 ? 'warn' : 'ok';
		rows.push({id: 'restarts', label: 'Restarts', value, level});
	}

	// Observed steady and peak; recommendation.
	{
		const rec = input.recommendation;
		if (rec === null || rec.samples === 0) {
			rows.push({id: 'observed', label: 'Observed', value: rec === null ? input.recommendationScope : `no samples yet (${input.recommendationScope})`, level: 'info'});
			rows.push({id: 'recommendation', label: 'Recommended', value: rec === null ? 'none' : 'needs history', level: 'info'});
		} else {
			rows.push({
				id: 'observed',
				label: 'Observed',
				value: `steady ${formatBytes(rec.steadyBytes)} (median) · peak ${formatBytes(rec.peakBytes)} over ${formatDuration(rec.observedMs)} · ${input.recommendationScope}`,
				level: 'info',
			});
			let value = `request ${formatBytes(rec.requestBytes)} · limit ${formatBytes(rec.limitBytes)}`;
			if (input.critical) value += ' (critical: limit = request, Guaranteed)';
			value += ` — ${rec.note}`;
			let level: DiagnosisLevel = rec.confidence === 'ok' ? 'ok' : 'info';
			if (limit !== null && rec.peakBytes !== null && limit < rec.peakBytes * recommendRules.peakFactor) {
				value += '; current limit leaves < 20 % over the peak';
				level = 'warn';
			}

			rows.push({id: 'recommendation', label: 'Recommended', value, level});
		}
	}

	// Node headroom.
	{
		const node = input.node ?? null;
		if (node === null) {
			rows.push({id: 'node', label: 'Node', value: pod.nodeName === '' ? 'not scheduled' : `${pod.nodeName} (unknown)`, level: 'info'});
		} else {
			const parts = [node.name];
			const pa = input.nodePercentOfAllocatable ?? null;
			if (pa !== null) parts.push(`${formatPercent(pa)} of allocatable (${formatBytes(input.nodeWorkingSetBytes)} of ${formatBytes(node.allocatableBytes)})`);
			let level: DiagnosisLevel = nodeLevel(pa, node.memoryPressure);
			const distance = input.nodeDistanceBytes ?? null;
			if (distance !== null) {
				const src = input.evictionHardSource === 'default' ? ', kubelet default' : input.evictionHardSource === 'configz' ? ', from configz' : '';
				parts.push(
					`${formatBytes(input.nodeAvailableBytes)} available, ${distance >= 0 ? `${formatBytes(distance)} above` : `${formatBytes(-distance)} below`} the hard threshold ${formatBytes(input.evictionHardBytes)}${src}`,
				);
				if (distance < 0) level = 'crit';
			}

			if (node.memoryPressure) parts.push('MemoryPressure');
			rows.push({id: 'node', label: 'Node', value: parts.join(' · '), level});
		}
	}

	return rows;
}
