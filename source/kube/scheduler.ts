/**
 * Every timer of a session: periodic polls, one-shot delays and the reflectors' back-off sleeps.
 * A timer is forgotten once it fired; stop() clears the rest, so a closed session leaves nothing
 * pending. `now` is the session's clock (tests pass one they move by hand).
 */
type Cancel = () => void;

/** attempt 1 waits `baseMs`, each further attempt twice as long, never more than `maxMs` */
export function backoff(attempt: number, baseMs: number, maxMs: number): number {
	return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
}

/** `ms` scaled by a random factor in [1 - spread, 1 + spread] */
export function jitter(ms: number, spread: number): number {
	return ms * (1 - spread + 2 * spread * Math.random());
}

export class Scheduler {
	readonly now: () => number;
	private readonly timers = new Set<NodeJS.Timeout>();
	private stopped = false;

	constructor(now: () => number = Date.now) {
		this.now = now;
	}

	/** timers waiting to fire */
	get pending(): number {
		return this.timers.size;
	}

	get isStopped(): boolean {
		return this.stopped;
	}

	/** call `fn` once after `ms`; nothing after stop() */
	once(ms: number, fn: () => void): Cancel {
		if (this.stopped) return () => {};
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, ms);
		t.unref?.();
		this.timers.add(t);
		return () => {
			clearTimeout(t);
			this.timers.delete(t);
		};
	}

	/** run `fn` `nextMs()` after it was scheduled, and again `nextMs()` after each run has finished */
	repeat(fn: () => Promise<void>, nextMs: () => number): void {
		const tick = async () => {
			await fn();
			this.once(nextMs(), tick);
		};

		this.once(nextMs(), tick);
	}

	/**
	 * Run a job given in steps (`step` returns true when done), each step at most about `sliceMs`,
	 * letting input, sockets and timers run between steps. False when the session stopped first.
	 */
	async slices(step: (shouldYield: () => boolean) => boolean, sliceMs = 8): Promise<boolean> {
		for (;;) {
			if (this.stopped) return false;
			const end = performance.now() + sliceMs;
			if (step(() => performance.now() >= end)) return true;
			await new Promise(resolve => setImmediate(resolve));
		}
	}

	/** resolves after `ms`, or at once when `signal` aborts (the timer goes with it) */
	sleep = (ms: number, signal: AbortSignal): Promise<void> =>
		new Promise(resolve => {
			if (signal.aborted) {
				resolve();
				return;
			}

			const wake = () => {
				cancel();
				resolve();
			};

			const cancel = this.once(ms, () => {
				signal.removeEventListener('abort', wake);
				resolve();
			});
			signal.addEventListener('abort', wake, {once: true});
		});

	/** clear every pending timer; later once/repeat calls do nothing */
	stop(): void {
		this.stopped = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
	}
}
