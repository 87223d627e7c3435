/**
 * When a figure stops being current.
 * - A pod or node that the newest `absentPolls` metrics polls did not list has no current working
 *   set (it stopped, or metrics-server lost it): its last value is history, not a figure.
 * - The metrics as a whole are stale when no new sample has arrived for three metrics windows plus
 *   30 s (75 s at metrics-server's 15 s): one missed poll is noise; past that, metrics-server is not
 *   answering and every working set on screen is a last-known value. Screens mark such figures,
 *   JSON says `stale`. It is judged on this process's clock (when the sample arrived), so a bastion
 *   host whose clock is off from the cluster's does not see fresh figures as stale.
 * - A Summary API breakdown belongs to the working set it is shown with only when both samples
 *   were taken within one metrics window of each other (see memory/breakdown.ts).
 */

/** polls a series may miss before its latest value no longer counts as current */
export const absentPolls = 2;

const defaultWindowMs = 15_000;

/** how old the newest metrics may be before every working set shown is stale */
function staleAfterMs(windowMs: number | null): number {
	return 3 * (windowMs ?? defaultWindowMs) + 30_000;
}

/** true when metrics that arrived at `receivedAt` are stale at `now` (false before the first sample: nothing is shown then) */
export function metricsStale(receivedAt: number | null, windowMs: number | null, now: number): boolean {
	return receivedAt !== null && now - receivedAt > staleAfterMs(windowMs);
}
