/**
 * What the door refused, told to the user: one banner per source, e.g. "3 pods skipped: malformed
 * (first: spec.containers[0] is not an object)", in the live view and in --once (a warning line,
 * JSON `warnings`). Watched resources count the items the server has now (a fixed or deleted pod
 * leaves the count); polled ones count the last answer.
 */
import type {Store} from '../store/store.js';
import type {Faults} from './door.js';
import type {ReflectorOptions} from './reflector.js';

/** what the door refused of one item (or one answer) */
class Tally implements Faults {
	skipped = 0;
	rejected = 0;
	skipWhy = '';
	rejectWhy = '';

	skip(why: string): void {
		if (this.skipped++ === 0) this.skipWhy = why;
	}

	reject(why: string): void {
		if (this.rejected++ === 0) this.rejectWhy = why;
	}

	get any(): boolean {
		return this.skipped > 0 || this.rejected > 0;
	}

	/** a copy to keep; this one starts again */
	take(): Tally {
		const kept = Object.assign(new Tally(), this);
		this.skipped = this.rejected = 0;
		return kept;
	}
}

type Noun = readonly [one: string, many: string];

function text(tallies: Iterable<Tally>, [one, many]: Noun): string {
	const sum = new Tally();
	for (const t of tallies) {
		if (t.skipped > 0 && sum.skipped === 0) sum.skipWhy = t.skipWhy;
		if (t.rejected > 0 && sum.rejected === 0) sum.rejectWhy = t.rejectWhy;
		sum.skipped += t.skipped;
		sum.rejected += t.rejected;
	}

	const parts: string[] = [];
	if (sum.skipped > 0) parts.push(`${sum.skipped} ${sum.skipped === 1 ? one : many} skipped: malformed (first: ${sum.skipWhy})`);
	if (sum.rejected > 0) parts.push(`${sum.rejected} ${one} ${sum.rejected === 1 ? 'figure' : 'figures'} ignored: invalid (first: ${sum.rejectWhy})`);
	return parts.join('; ');
}

function publish(store: Store, id: string, banner: string, now: () => number): void {
	if (banner === '') store.clearBanner(id);
	else store.setBanner({id, level: 'warn', text: banner, since: now()});
}

/** a poll's refusals (metrics, Summary): `faults` for one answer, then `publish` */
export class PollRefusals {
	faults = new Tally();

	constructor(
		private readonly store: Store,
		private readonly id: string,
		private readonly noun: Noun,
		private readonly now: () => number,
	) {}

	/** the banner for the answer just read, and a fresh tally for the next */
	publish(): void {
		publish(this.store, `door:${this.id}`, text([this.faults], this.noun), this.now);
		this.faults = new Tally();
	}
}

type Watched<R> = Omit<ReflectorOptions<R>, 'convert'> & {convert(raw: unknown, faults: Faults): R | null};

/**
 * A reflector's options with the door's refusals counted per item: a list replaces the count, a
 * watch event of a malformed item adds it, a good version or a delete takes it away.
 */
export function counted<R>(o: Watched<R>, store: Store, id: string, noun: Noun, now: () => number): ReflectorOptions<R> {
	let live = new Map<string, Tally>();
	let listed: Map<string, Tally> | null = null;
	let unnamed = 0;
	const scratch = new Tally();
	const show = () => publish(store, `door:${id}`, text(live.values(), noun), now);
	return {
		...o,
		convert(raw) {
			const r = o.convert(raw, scratch);
			if (!scratch.any && live.size === 0) return r;
			let key = o.keyOf(raw);
			if (key === '' || key.endsWith('/')) key = `#${unnamed++}`;
			if (listed) {
				if (scratch.any) listed.set(key, scratch.take());
			} else if (scratch.any) {
				live.set(key, scratch.take());
				show();
			} else if (live.delete(key)) {
				show();
			}

			return r;
		},
		onStatus(s) {
			// a list starts a new count; a watch means no list is under way (one that failed left none)
			if (s.state === 'listing') listed = new Map();
			else if (s.state === 'watching') listed = null;
			o.onStatus?.(s);
		},
		onReplace(records) {
			if (listed) live = listed;
			listed = null;
			show();
			o.onReplace(records);
		},
		onDelete(key) {
			if (live.delete(key)) show();
			o.onDelete(key);
		},
	};
}
