/**
 * The live view's first frame with memory figures, held for the backfill: the session applies
 * its first metrics poll once the backfill is written (PromHistory.firstFrame, after the lists),
 * or at most `holdMs` after the lists are in; at once (as soon as it is in, as without
 * Prometheus) when the backfill's plan is too big to wait for, or it failed. So at 10k pods the
 * first working sets come with an hour of trend and a forecast; at 150k they do not wait.
 */
export class FirstFrameHold {
	/** the session's lists (set when the session asks: inside openSession) */
	listed: Promise<void> | undefined;
	private release = () => {};
	private readonly ready = new Promise<void>(resolve => (this.release = resolve));

	/** `holdMs`: default 1.5 s, or $MEMTOP_FIRST_FRAME_HOLD_MS (the tests stretch it, so a slow Prometheus shows what waits for what) */
	constructor(private readonly holdMs = Number(process.env['MEMTOP_FIRST_FRAME_HOLD_MS']) || 1500) {}

	/** SessionOptions.firstMetricsAfter: the backfill is written (or will not be waited for), or the lists are in and `holdMs` has passed */
	after(listed: Promise<void>): Promise<void> {
		this.listed = listed;
		let timer: NodeJS.Timeout | undefined;
		const deadline = listed.then(
			() =>
				new Promise<void>(resolve => {
					timer = setTimeout(resolve, this.holdMs);
					timer.unref?.();
				}),
			() => {},
		);
		return Promise.race([this.ready, deadline]).finally(() => clearTimeout(timer));
	}

	/** the backfill's PromHistory.firstFrame (never given: the hold lasts `holdMs`) */
	attach(firstFrame: Promise<void>): void {
		void firstFrame.then(this.release, this.release);
	}
}
