/**
 * `--once -o json` (and `-o yaml`, the same value): the view model's rows with exact byte figures.
 * Every figure here is the one the TUI shows (the same row objects); nothing is recomputed.
 * Missing values are `null`.
 */
import {shownJson} from '../../kube/sanitize.js';
import {podRssBytes} from '../../memory/breakdown.js';
import {forecastText, type Forecast} from '../../memory/forecast.js';
import type {FeedEntry, MemoryPsi, PressureRates} from '../../model/index.js';
import type {ContainerRow, NodeRow, PodRow, Status, ViewModel, WorkloadRow} from '../../view/index.js';
import type {View} from '../flags.js';

export function iso(t: number | null | undefined): string | null {
	return t ? new Date(t).toISOString() : null;
}

function round(p: number | null): number | null {
	return p === null ? null : Math.round(p * 10) / 10;
}

function forecastJson(f: Forecast | null, now: number) {
	if (f === null) return null;
	const container = f.container ?? null;
	return f.kind === 'eta'
		? {kind: 'eta', container, atLimitAt: iso(f.atLimitAt), slopeBytesPerSecond: Math.round(f.slopeBytesPerSec), text: forecastText(f, now)}
		: {kind: 'none', container, reason: f.why, text: forecastText(f, now)};
}

/** memory stall as the kubelet sent it, and fault and stall rates since the previous Summary poll */
function pressureJson(psi: MemoryPsi | null, rates: PressureRates | null) {
	return {
		psi,
		pressure: rates === null ? null : {faultsPerSecond: rates.faultsPerSec, majorFaultsPerSecond: rates.majorFaultsPerSec, someStallPercent: rates.someStallPct, fullStallPercent: rates.fullStallPct, overSeconds: rates.overMs / 1000},
	};
}

function containerJson(c: ContainerRow, now: number) {
	const b = c.breakdown;
	const t = c.record.lastTermination;
	return {
		name: c.name,
		kind: c.kind,
		status: c.status,
		workingSetBytes: c.workingSet,
		requestBytes: c.request,
		limitBytes: c.limit,
		percentOfLimit: round(c.pctLimit),
		restarts: c.restarts,
		state: c.state,
		stateReason: c.record.stateReason || null,
		lastTermination: t ? {reason: t.reason, exitCode: t.exitCode, finishedAt: iso(t.finishedAt)} : null,
		forecast: forecastJson(c.forecast, now),
		// the kubelet Summary API's figures as it sent them, with their own sample time (screens show
		// usage as ≥ the working set when the Summary is from an older poll; JSON stays faithful)
		summaryTime: iso(b?.time),
		summarySameSampleAsWorkingSet: b?.sameSample ?? null,
		rssBytes: b?.rssBytes ?? null,
		usageBytes: b === null ? null : b.usageAtLeast ? b.rawUsageBytes : b.usageBytes,
		cacheBytes: b?.cacheBytes ?? null,
		swapBytes: b?.swapBytes ?? null,
		...pressureJson(b?.psi ?? null, b?.rates ?? null),
	};
}

export function podJson(vm: ViewModel, r: PodRow, now: number) {
	const p = r.record;
	const containers = vm.containerRows(r.key);
	return {
		// as the server sent them: a pod's identity, never merged with another's (jsonText escapes what a terminal would obey)
		namespace: p.rawNamespace,
		name: p.rawName,
		node: r.node || null,
		phase: p.phase,
		reason: p.reason || null,
		status: r.status,
		finished: !r.live,
		qos: r.qos,
		priority: p.priority,
		workingSetBytes: r.workingSet,
		requestBytes: r.request,
		limitBytes: r.limit,
		percentOfRequest: round(r.pctRequest),
		percentOfLimit: round(r.pctLimit),
		forecast: forecastJson(r.forecast, now),
		swapBytes: r.swapBytes,
		...pressureJson(r.psi, r.pressure),
		memoryStall: r.stalled,
		restarts: r.restarts,
		owner: p.owner,
		createdAt: iso(p.createdAt),
		// the Summary's RSS of the running containers (memory/breakdown.ts podRssBytes), as -o wide shows it
		rssBytes: r.live ? podRssBytes(containers) : null,
		containers: containers.map(c => containerJson(c, now)),
	};
}

export function nodeJson(r: NodeRow) {
	return {
		name: r.name,
		workingSetBytes: r.workingSet,
		capacityBytes: r.capacity,
		allocatableBytes: r.allocatable,
		percentOfAllocatable: round(r.pctAllocatable),
		requestedBytes: r.requests,
		percentRequested: round(r.pctRequests),
		pods: r.pods,
		memoryPressure: r.memoryPressure,
		ready: r.ready,
		availableBytes: r.available,
		evictionHardBytes: r.evictionHard,
		evictionHardSource: r.evictionHardSource,
		summary: r.summary === 'ok' ? 'ok' : r.summary === 'unavailable' ? `unavailable: ${r.summaryReason}` : 'not polled',
		summaryTime: iso(r.summaryTime),
		swapBytes: r.swapBytes,
		...pressureJson(r.psi, r.pressure),
	};
}

function workloadJson(r: WorkloadRow) {
	return {
		namespace: r.namespace,
		kind: r.kind,
		name: r.name,
		pods: r.pods,
		finishedPods: r.finished,
		sampledPods: r.sampled,
		workingSetBytes: r.workingSetBytes,
		requestBytes: r.requestBytes,
		limitBytes: r.limitBytes,
		percentOfLimit: round(r.pctLimit),
		spread: Number.isNaN(r.spread.max) ? null : {minBytes: r.spread.min, medianBytes: r.spread.median, maxBytes: r.spread.max},
		restarts: r.restarts,
	};
}

function feedJson(e: FeedEntry) {
	return {...e, time: iso(e.time)};
}

function header(st: Status, kind: string) {
	const c = st.connection;
	return {
		kind,
		context: c?.context ?? null,
		server: c?.server ?? null,
		// null: all namespaces; namespaceFrom says why (flag, context, context-none, config, demo, fallback)
		namespace: c?.namespace ?? null,
		namespaceFrom: c?.namespaceFrom ?? null,
		namespaceMissing: c?.namespaceMissing ?? false,
		labelSelector: c?.selector || null,
		fieldSelector: c?.fieldSelector || null,
		metricsApi: c?.metricsApi ?? null,
		metricsTime: iso(st.metricsTime),
		stale: st.stale,
		warnings: st.banners.map(b => b.text),
	};
}

export function workloadRows(vm: ViewModel): WorkloadRow[] {
	const rows = vm.workloadRows({sort: {key: 'namespace', desc: false}, filter: '', namespace: null, groupBy: 'workload'});
	return Array.from({length: rows.length}, (_, i) => rows.row(i));
}

export function snapshotJson(vm: ViewModel, view: View, now: number): unknown {
	const st = vm.status(now);
	if (view === 'nodes') return {...header(st, 'NodeList'), items: vm.allNodes().map(nodeJson)};
	if (view === 'events') return {...header(st, 'FeedList'), items: vm.feed().map(feedJson)};
	if (view === 'workloads') return {...header(st, 'WorkloadList'), items: workloadRows(vm).map(workloadJson)};
	return {...header(st, 'PodList'), items: vm.allPods().map(r => podJson(vm, r, now))};
}

/**
 * A byte figure a double does not hold exactly (above 2^53, e.g. a sum of huge limits) is written
 * as null rather than as digits that are not the figure: jq and JavaScript read every JSON number
 * as a double, so exact digits beyond 2^53 would be misread by the readers of this output anyway.
 */
export function exactBytes(key: string, v: unknown): unknown {
	return typeof v === 'number' && key.endsWith('Bytes') && !Number.isSafeInteger(v) ? null : v;
}

/** `--once -o json` output: indented, byte figures exact, nothing a terminal would obey */
export function jsonText(value: unknown): string {
	return shownJson(JSON.stringify(value, exactBytes, 2)) + '\n';
}
