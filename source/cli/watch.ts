/**
 * `--watch`: the view as a stream for a pipe. Pods, nodes and workloads: one snapshot per metrics
 * window (`-o json`: NDJSON, one object per row, each with the window's time `window` (the
 * metrics server's clock) and `at`, when memtop had it (its own clock, the time a replay's --at
 * takes); `-o table`: a table per window under a line with both times). Events: one line per feed entry as soon as the store has
 * it, and again when it changes (its count, its flags).
 *
 * A window is printed when the run of store inputs that brought its metrics is over (RunClock),
 * so it is exactly what `memtop replay FILE --at T` shows for that time.
 *
 * A reader slower than the stream: memtop keeps at most `maxBufferedBytes` of output waiting.
 * Past that, whole windows (or feed entries) are dropped, not buffered, and the next line that
 * gets through says how many were dropped and from when to when (`"kind":"Dropped"` in JSON,
 * `# dropped ...` in tables). A reader that goes away ends memtop quietly with exit 0.
 */
import {shownJson, shownLine, shownText} from '../kube/sanitize.js';
import type {FeedEntry} from '../model/index.js';
import type {RunClock} from '../record/tap.js';
import {tapStore} from '../record/tap.js';
import type {Store} from '../store/store.js';
import {feedDetail, feedObject} from '../view/events.js';
import {ViewModel} from '../view/index.js';
import type {View} from './flags.js';
import {exactBytes, snapshotJson, snapshotTable} from './output.js';

export interface WatchOptions {
	view: View;
	output: 'table' | 'json';
	out?: NodeJS.WritableStream & {writableLength: number};
	/** output waiting for the reader beyond which windows are dropped (default 4 MiB) */
	maxBufferedBytes?: number;
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** one compact JSON line: byte figures exact, nothing a terminal would obey */
export const jsonLine = (value: unknown): string => shownJson(JSON.stringify(value, exactBytes)) + '\n';

/** writes to `out` unless too much is waiting; counts what it drops and says so when it can write again */
class Sink {
	dropped = 0;
	private from: number | null = null;
	private until: number | null = null;

	constructor(
		private readonly out: NodeJS.WritableStream & {writableLength: number},
		private readonly max: number,
		private readonly json: boolean,
		private readonly unit: string,
	) {}

	/** false: the reader is behind; nothing is written and the unit at `time` is counted as dropped */
	open(time: number): boolean {
		if (this.out.writableLength <= this.max) return true;
		this.dropped++;
		this.from ??= time;
		this.until = time;
		return false;
	}

	write(text: string): void {
		if (this.dropped > 0) {
			const note = this.json
				? jsonLine({kind: 'Dropped', [this.unit]: this.dropped, from: iso(this.from), until: iso(this.until), reason: 'the reader was too slow'})
				: `# dropped ${this.dropped} ${this.unit} from ${iso(this.from)} until ${iso(this.until)}: the reader was too slow\n`;
			this.dropped = 0;
			this.from = this.until = null;
			this.out.write(note);
		}

		this.out.write(text);
	}
}

/** print the store as a stream until the process ends (a signal, or the reader going away) */
export function startWatch(store: Store, clock: RunClock, o: WatchOptions): () => void {
	const out = o.out ?? process.stdout;
	const json = o.output === 'json';
	const vm = new ViewModel(store);
	if (o.view === 'events') return watchFeed(store, clock, vm, new Sink(out, o.maxBufferedBytes ?? 4 * 2 ** 20, json, 'entries'), json);
	const sink = new Sink(out, o.maxBufferedBytes ?? 4 * 2 ** 20, json, 'windows');
	let pending = false;
	const emit = () => {
		pending = false;
		const now = clock.now();
		if (!sink.open(now)) return;
		vm.refresh();
		const window = iso(store.metricsTime);
		if (json) {
			const doc = snapshotJson(vm, o.view, now) as {items: object[]};
			const at = iso(now);
			let text = '';
			for (const item of doc.items) text += jsonLine({window, at, ...item});
			sink.write(text);
		} else {
			sink.write(`# window ${window ?? '(no metrics yet)'} at ${iso(now)}\n${shownText(snapshotTable(vm, o.view, now))}\n`);
		}
	};

	return tapStore(store, {
		after(input) {
			if (input.op !== 'applyMetrics' || pending) return;
			pending = true;
			clock.atRunEnd(emit);
		},
	});
}

function feedLine(e: FeedEntry, at: number, json: boolean): string {
	if (json) return jsonLine({...e, time: iso(e.time), at: iso(at)});
	return `${iso(e.time)}  ${e.kind}  ${shownLine(feedObject(e))}  ${e.count}  ${shownLine(feedDetail(e))}\n`;
}

function watchFeed(store: Store, clock: RunClock, vm: ViewModel, sink: Sink, json: boolean): () => void {
	/** what was printed of each entry: a changed entry is printed again */
	const shown = new Map<string, string>();
	let version = -1;
	let pending = false;
	const emit = () => {
		pending = false;
		if (store.feed.version === version) return;
		version = store.feed.version;
		vm.refresh();
		const now = clock.now();
		const entries = vm.feed();
		const live = new Set<string>();
		let text = '';
		// oldest first: a stream reads in time order
		for (let i = entries.length - 1; i >= 0; i--) {
			const e = entries[i]!;
			live.add(e.id);
			const sig = `${e.time}|${e.count}|${e.flags.join(',')}|${e.sources.join(',')}`;
			if (shown.get(e.id) === sig) continue;
			shown.set(e.id, sig);
			if (sink.open(e.time)) text += feedLine(e, now, json);
		}

		// entries the feed let go are forgotten here too (the map stays as big as the feed)
		for (const id of shown.keys()) if (!live.has(id)) shown.delete(id);
		if (text !== '') sink.write(text);
	};

	emit();
	return tapStore(store, {
		after() {
			if (pending || store.feed.version === version) return;
			pending = true;
			clock.atRunEnd(emit);
		},
	});
}
