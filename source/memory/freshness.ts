/**
 * When a figure stops being current.
 * - A pod or node that the newest `absentPolls` metrics polls did not list has no current working
 *   set (it stopped, or metrics-server lost it): its last value is history, not a figure.
 * - The metrics as a whole are stale when the newest sample is older than three metrics windows
 *   plus 30 s (75 s at metrics-server's 15 s): a poll can come up to a window after the window it
 *   reports, and one missed poll is noise; past that, metrics-server is not answering and every
 *   working set on screen is a last-known value. Screens mark such figures, JSON says `stale`.
 * - A Summary API breakdown belongs to the working set it is shown with only when both samples
 *   were taken within one metrics window of each other (see memory/breakdown.ts).
 */

/** polls a series may miss before its latest value no longer counts as current */
export const absentPolls = 2;

const defaultWindowMs = 15_000;

/** how old the newest metrics may be before every working set shown is stale */
export function staleAfterMs(windowMs: number | null): number {
	return 3 * (windowMs ?? defaultWindowMs) + 30_000;
}

/** true when metrics taken at `metricsTime` are stale at `now` (false before the first sample: nothing is shown then) */
export function metricsStale(metricsTime: number | null, windowMs: number | null, now: number): boolean {
	return metricsTime !== null && now - metricsTime > staleAfterMs(windowMs);
}
