/**
 * Known working-set histories for the real-Prometheus tests, as OpenMetrics text for promtool:
 * a leak toward its limit, a GC sawtooth, an OOM kill and restart. Every value is a whole number
 * of bytes at a 15 s grid, so what Prometheus answers is exactly what was written.
 */
export const STEP_MS = 15_000;
export const Mi = 1024 * 1024;

export interface KnownSeries {
	namespace: string;
	pod: string;
	container: string;
	/** bytes at `t` (epoch ms on the grid); null: no sample */
	value(t: number): number | null;
	/** OOM kills so far at `t` (container_oom_events_total and kube-state-metrics' restarts) */
	ooms?(t: number): number;
}

/** a straight leak of `slopePerHour` bytes an hour, reaching `endBytes` at `endMs`; flat before `startMs` */
export function leak(endMs: number, endBytes: number, slopePerHour: number, startMs: number): (t: number) => number {
	return t => Math.round(endBytes - ((endMs - Math.min(endMs, Math.max(t, startMs))) * slopePerHour) / 3_600_000);
}

/** GC sawtooth: from `low` up to `high` over `periodMs`, then collected back to `low` */
export function sawtooth(low: number, high: number, periodMs: number): (t: number) => number {
	return t => Math.round(low + ((high - low) * (((t % periodMs) + periodMs) % periodMs)) / periodMs);
}

/**
 * The grid times from `fromMs` to `toMs` (both on the grid, inclusive). Prometheus gives a range
 * query at t the newest sample at or before t: `valueAt` is that sample's value.
 */
export function grid(fromMs: number, toMs: number): number[] {
	const out: number[] = [];
	for (let t = fromMs; t <= toMs; t += STEP_MS) out.push(t);
	return out;
}

export function valueAt(s: KnownSeries, t: number): number | null {
	const g = Math.floor(t / STEP_MS) * STEP_MS;
	return s.value(g);
}

const labels = (s: KnownSeries, job: string) => `{namespace="${s.namespace}",pod="${s.pod}",container="${s.container}",job="${job}"}`;

/**
 * OpenMetrics text of `series` over [fromMs, toMs]: each working set twice (jobs "cadvisor" and
 * "resource", as both kubelet endpoints are scraped in many setups: memtop must count it once),
 * and the OOM counters of the series that have them.
 */
export function openMetrics(series: readonly KnownSeries[], fromMs: number, toMs: number): string {
	const lines: string[] = ['# TYPE container_memory_working_set_bytes gauge'];
	const times = grid(fromMs, toMs);
	const ts = (t: number) => (t / 1000).toFixed(3);
	for (const s of series) {
		for (const job of ['cadvisor', 'resource']) {
			for (const t of times) {
				const v = s.value(t);
				if (v !== null) lines.push(`container_memory_working_set_bytes${labels(s, job)} ${v} ${ts(t)}`);
			}
		}
	}

	lines.push('# TYPE container_oom_events counter');
	for (const s of series) {
		if (!s.ooms) continue;
		for (const t of times) lines.push(`container_oom_events_total${labels(s, 'cadvisor')} ${s.ooms(t)} ${ts(t)}`);
	}

	lines.push('# TYPE kube_pod_container_status_restarts counter');
	for (const s of series) {
		if (!s.ooms) continue;
		for (const t of times) lines.push(`kube_pod_container_status_restarts_total${labels(s, 'kube-state-metrics')} ${s.ooms(t)} ${ts(t)}`);
	}

	lines.push('# EOF', '');
	return lines.join('\n');
}
