/**
 * `--once` output: the view model's rows as a plain table or as JSON with exact byte figures.
 * Every figure here is the one the TUI shows (the same row objects); nothing is recomputed.
 * Missing values are `-` in tables (ASCII, for scripts) and `null` in JSON.
 */
import {shownJson, shownLine} from '../kube/sanitize.js';
import {forecastCell, forecastText, type Forecast} from '../memory/forecast.js';
import {formatBytes, formatDuration, formatPercent, formatStall} from '../memory/quantity.js';
import type {FeedEntry, MemoryPsi, PressureRates} from '../model/index.js';
import {cellWidth, narrowLines, truncate} from '../ui/text.js';
import {feedDetail, feedObject} from '../view/events.js';
import type {ContainerRow, NodeRow, PodRow, Status, ViewModel, WorkloadRow} from '../view/index.js';
import type {View} from './flags.js';

function iso(t: number | null | undefined): string | null {
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
		containers: vm.containerRows(r.key).map(c => containerJson(c, now)),
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
		namespace: c?.namespace ?? null,
		metricsApi: c?.metricsApi ?? null,
		metricsTime: iso(st.metricsTime),
		stale: st.stale,
		warnings: st.banners.map(b => b.text),
	};
}

function workloadRows(vm: ViewModel): WorkloadRow[] {
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

const dash = '-';
const bytes = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? dash : formatBytes(n));
const pct = (n: number | null): string => (n === null ? dash : formatPercent(n));

/** a figure marked when the metrics are stale */
function ws(n: number | null, stale: boolean): string {
	return n === null ? dash : stale ? `${bytes(n)}~` : bytes(n);
}

/** PSI some avg10 in % */
function stall(psi: MemoryPsi | null): string {
	return psi === null ? dash : formatStall(psi.some.avg10);
}

function oomIn(r: PodRow, now: number): string {
	return (r.forecast === null || !r.live ? null : forecastCell(r.forecast, now)) ?? dash;
}

/** the table with the width in cells of each cell given by `width(row, column)` */
function layout(rows: string[][], right: ReadonlySet<number>, width: (j: number, i: number) => number): string {
	const widths: number[] = [];
	rows.forEach((r, j) => r.forEach((_, i) => (widths[i] = Math.max(widths[i] ?? 0, width(j, i)))));
	const pad = (cell: string, j: number, i: number) => {
		const n = widths[i]! - width(j, i);
		return n <= 0 ? cell : right.has(i) ? ' '.repeat(n) + cell : cell + ' '.repeat(n);
	};

	return rows.map((r, j) => r.map((cell, i) => pad(cell, j, i)).join('  ').trimEnd()).join('\n');
}

/**
 * Rows as aligned columns, two spaces apart, by terminal cells (CJK and emoji are two); `right`
 * holds the indices of right-aligned columns. Laid out by length first, which is right when every
 * character is narrow (one check of the result): measuring 2M cells at 150k pods costs more than
 * the rest of the table.
 */
export function table(rows: string[][], right: ReadonlySet<number> = new Set()): string {
	const text = layout(rows, right, (j, i) => rows[j]![i]!.length);
	if (narrowLines.test(text)) return text;
	const cells = rows.map(r => r.map(cellWidth));
	return layout(rows, right, (j, i) => cells[j]![i]!);
}

export function snapshotTable(vm: ViewModel, view: View, now: number): string {
	const st = vm.status(now);
	// a banner is one line, whatever its text holds
	const warnings = st.banners.map(b => `! ${shownLine(b.text)}`);
	if (st.stale) warnings.push(`! metrics are ${formatDuration(st.metricsAgeMs)} old: working sets marked ~ are last-known values`);
	let body: string;
	if (view === 'nodes') {
		const rows = [['NODE', 'WORKING SET', 'ALLOCATABLE', '%ALLOC', 'REQUESTED', 'PODS', 'PRESSURE', 'AVAILABLE', st.psi ? 'PSI' : 'PSI n/a']];
		for (const r of vm.allNodes()) {
			rows.push([r.name, ws(r.workingSet, st.stale), bytes(r.allocatable), pct(r.pctAllocatable), bytes(r.requests), String(r.pods), r.memoryPressure ? 'MemoryPressure' : dash, bytes(r.available), st.psi ? stall(r.psi) : '']);
		}

		body = table(rows, new Set([1, 2, 3, 4, 5, 7, 8]));
	} else if (view === 'events') {
		const rows = [['TIME', 'KIND', 'OBJECT', 'COUNT', 'REASON / MESSAGE']];
		for (const e of vm.feed()) rows.push([iso(e.time) ?? dash, e.kind, feedObject(e), String(e.count), truncate(feedDetail(e), 80)]);
		body = table(rows, new Set([3]));
	} else if (view === 'workloads') {
		const rows = [['NAMESPACE', 'KIND', 'WORKLOAD', 'PODS', 'DONE', 'WORKING SET', 'REQUEST', 'LIMIT', '%LIM', 'RESTARTS']];
		for (const r of workloadRows(vm)) {
			rows.push([r.namespace, r.kind, r.name, String(r.pods), String(r.finished), ws(r.workingSetBytes, st.stale), bytes(r.requestBytes), bytes(r.limitBytes), pct(r.pctLimit), String(r.restarts)]);
		}

		body = table(rows, new Set([3, 4, 5, 6, 7, 8, 9]));
	} else {
		const rows = [['NAMESPACE', 'POD', 'STATUS', 'WORKING SET', 'REQUEST', 'LIMIT', '%REQ', '%LIM', 'OOM-IN', 'PSI', 'QOS', 'RESTARTS', 'NODE']];
		if (!st.psi) rows[0]![9] = 'PSI n/a';
		for (const r of vm.allPods()) {
			rows.push([r.namespace, r.name, r.status, ws(r.workingSet, st.stale), bytes(r.request), bytes(r.limit), pct(r.pctRequest), pct(r.pctLimit), oomIn(r, now), st.psi ? stall(r.psi) + (r.stalled ? '!' : '') : '', r.qos, String(r.restarts), r.node || dash]);
		}

		body = table(rows, new Set([3, 4, 5, 6, 7, 8, 9, 11]));
	}

	return [...warnings, body].join('\n') + '\n';
}
