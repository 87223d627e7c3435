/**
 * The store's inputs, as a list: every public method through which the kube layer changes the
 * store. The recorder and the streams observe these calls (tapStore), and replay makes the same
 * calls again (Player), so a replayed store is the live one by construction. A test checks that
 * every method of Store is either here or known to be read-only, so a new input cannot be missed.
 */
import type {Store} from '../store/store.js';

export const storeInputs = [
	'setConnection',
	'replacePods',
	'addPodsListed',
	'upsertPod',
	'deletePod',
	'replaceNodes',
	'upsertNode',
	'deleteNode',
	'replaceEvents',
	'upsertEvent',
	'applyMetrics',
	'applySummary',
	'setBanner',
	'clearBanner',
	'setSyncState',
	// history from before memtop started (Prometheus)
	'openPastColumns',
	'backfillPod',
	'backfillNode',
	'backfilled',
] as const satisfies ReadonlyArray<keyof Store>;

export type InputName = (typeof storeInputs)[number];
export type InputArgs<N extends InputName> = Parameters<Store[N]>;

/** one call into the store: its method, its arguments and the store's clock when it was made */
export interface Input<N extends InputName = InputName> {
	op: N;
	args: InputArgs<N>;
	time: number;
}

export interface StoreTap {
	/** before the store applies the call (the arguments are as the kube layer passed them) */
	before?(input: Input): void;
	/** after the store applied it */
	after?(input: Input): void;
}

/**
 * The live store's clock. Every read within one synchronous run returns one time, and each run
 * gets a later millisecond than the one before: the time an input is recorded with is the time
 * the store itself reads while applying it (feed entries, freshness), and "the inputs up to T"
 * is never half of a run. `atRunEnd` runs a function when the current run is over, before any
 * later input: the streams print a window there, which is then exactly the replay's state at T.
 */
export class RunClock {
	private held: number | null = null;
	private last = 0;
	private ending: Array<() => void> = [];

	constructor(private readonly base: () => number = Date.now) {}

	now = (): number => {
		if (this.held === null) {
			this.held = Math.max(this.base(), this.last + 1);
			this.last = this.held;
			queueMicrotask(this.end);
		}

		return this.held;
	};

	/** run `fn` once the current run is over (at once when no run is going on) */
	atRunEnd(fn: () => void): void {
		if (this.held === null) fn();
		else this.ending.push(fn);
	}

	private readonly end = (): void => {
		const fns = this.ending;
		this.ending = [];
		for (const fn of fns) fn();
		this.held = null;
	};
}

/** observe every input of `store`; returns the function that stops observing */
export function tapStore(store: Store, tap: StoreTap): () => void {
	const originals = new Map<InputName, unknown>();
	for (const op of storeInputs) {
		const original = store[op] as (...args: unknown[]) => unknown;
		originals.set(op, Object.hasOwn(store, op) ? original : undefined);
		Object.defineProperty(store, op, {
			configurable: true,
			writable: true,
			value: (...args: unknown[]) => {
				const input = {op, args, time: store.now()} as unknown as Input;
				tap.before?.(input);
				const result: unknown = original.apply(store, args);
				tap.after?.(input);
				return result;
			},
		});
	}

	return () => {
		for (const [op, own] of originals) {
			if (own === undefined) delete (store as unknown as Record<string, unknown>)[op];
			else Object.defineProperty(store, op, {configurable: true, writable: true, value: own});
		}
	};
}

/** make the call `input` describes on `store` (replay) */
export function applyInput(store: Store, input: Input): void {
	(store[input.op] as (...args: unknown[]) => void).apply(store, input.args as unknown[]);
}
