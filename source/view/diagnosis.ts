/**
 * The pod drill-down's diagnosis: memory/recommend.ts `diagnose`, fed with the same figures the
 * tables show. The subject is the container in focus, else the pod's sole container, else the
 * whole pod; its working set is its row's, its forecast the one the pods table shows, and its
 * recommendation the row `memtop recommend` prints for its workload container. An init or
 * sidecar container is diagnosed on its own series, limit and state.
 */
import {diagnose, type DiagnosisRow} from '../memory/recommend.js';
import {soleContainer} from '../memory/pod-state.js';
import {pressureDiagnosis} from '../memory/pressure.js';
import type {MemoryPsi, PodRecord, PressureRates} from '../model/index.js';
import {containerRows} from './containers.js';
import type {Forecasts} from './forecast.js';
import type {NodeTable} from './nodes.js';
import type {PodTable} from './pods.js';
import type {Recommendations} from './recommend.js';
import type {Source} from './source.js';

/** the container a pod's drill-down diagnoses when none is in focus: its sole container, else the whole pod (null) */
export function diagnosisTarget(p: PodRecord, focus: string | null): string | null {
	return focus ?? soleContainer(p)?.name ?? null;
}

export function podDiagnosis(src: Source, parts: {pods: PodTable; nodes: NodeTable; forecasts: Forecasts; recommendations: Recommendations}, podKey: string, focus: string | null, now: number): DiagnosisRow[] {
	const store = src.store;
	const p = store.pods.get(podKey);
	if (!p) return [];
	const target = diagnosisTarget(p, focus);
	let figures: {workingSet: number | null; pctLimit: number | null; pctRequest: number | null} | null;
	let stall: {psi: MemoryPsi | null; rates: PressureRates | null} | null;
	let forecast;
	let recommendation = null;
	let scope: string;
	if (target === null) {
		const row = parts.pods.row(podKey);
		figures = row;
		stall = row && row.live ? {psi: row.psi, rates: row.pressure} : null;
		forecast = parts.forecasts.pod(podKey);
		scope = 'recommendations are per container: select one';
	} else {
		const c = containerRows(src, parts.forecasts, podKey).find(x => x.name === target) ?? null;
		figures = c;
		stall = c?.breakdown ? {psi: c.breakdown.psi, rates: c.breakdown.rates} : null;
		forecast = parts.forecasts.container(podKey, target);
		const row = parts.recommendations.forPod(podKey, target);
		if (row === null) {
			scope = p.containers.find(c => c.name === target)?.kind === 'init' ? 'an init container: none recommended' : 'pod finished';
		} else {
			recommendation = row.recommendation;
			const pooled = row.pooled < row.replicas ? `${row.pooled} of ${row.replicas} replicas` : `${row.replicas} replica${row.replicas === 1 ? '' : 's'}`;
			scope = `${row.workloadKind} ${row.namespace}/${row.workload}, container ${row.container}, ${pooled}`;
		}
	}

	const node = p.nodeName === '' ? null : parts.nodes.row(p.nodeName);
	return diagnose({
		pod: p,
		container: target,
		workingSetBytes: figures?.workingSet ?? null,
		percentOfLimit: figures?.pctLimit ?? null,
		percentOfRequest: figures?.pctRequest ?? null,
		// without a Summary from its node there is nothing to say about stall
		pressure: stall === null || node?.summary !== 'ok' ? null : pressureDiagnosis({...stall, pctOfLimit: figures?.pctLimit ?? null}),
		forecast,
		recommendation,
		recommendationScope: scope,
		node: node?.record ?? null,
		nodeWorkingSetBytes: node?.workingSet ?? null,
		nodePercentOfAllocatable: node?.pctAllocatable ?? null,
		nodeDistanceBytes: node?.distance ?? null,
		nodeAvailableBytes: node?.available ?? null,
		evictionHardBytes: node?.evictionHard ?? null,
		evictionHardSource: node?.evictionHardSource ?? null,
		oomKillsLastHour: oomKills(src, p, target, now),
		now,
	});
}

function oomKills(src: Source, p: PodRecord, container: string | null, now: number): number {
	let n = 0;
	for (const e of src.store.feed.entries()) {
		if (e.time < now - 3_600_000) break; // newest first
		if (e.kind !== 'OOMKilled' || e.namespace !== p.namespace || e.pod !== p.name) continue;
		if (container !== null && e.container !== container) continue;
		n += Math.max(1, e.count);
	}

	return n;
}
