/**
 * One slice of background work per turn of the event loop, shared by every task that asks: the
 * backfill's scans of several answers and its writes take turns in one slice of `sliceMs`, so a
 * key pressed meanwhile waits for one slice, not for one per task (two scans and two writes that
 * each took 8 ms in the same turn held a key for 32 ms, and more on a loaded machine).
 */
export class Pacer {
	/** the current slice ends then (performance.now()) */
	private until = 0;
	private readonly waiting: Array<() => void> = [];
	private scheduled = false;

	constructor(readonly sliceMs = 8) {}

	/** true when the current slice is used up: the caller then awaits turn() */
	spent(): boolean {
		return performance.now() >= this.until;
	}

	/** a slice of the caller's own, in a later turn of the event loop: one caller a turn, in the order they asked */
	turn(): Promise<void> {
		return new Promise<void>(resolve => {
			this.waiting.push(resolve);
			this.schedule();
		});
	}

	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(this.grant);
	}

	private readonly grant = (): void => {
		this.scheduled = false;
		const next = this.waiting.shift();
		if (next === undefined) return;
		this.until = performance.now() + this.sliceMs;
		// the next waiter's slice is in the next turn (an immediate set now runs after this turn's I/O and timers)
		if (this.waiting.length > 0) this.schedule();
		next();
	};
}
