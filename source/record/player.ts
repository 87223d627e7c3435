/**
 * Replay: the recorded store inputs made again, in order, on a fresh Store whose clock is the
 * recorded time. The store a replay builds is the live one by construction, so every view, the
 * forecasts (they read the history rings) and the feed come out as they did live.
 *
 * The state "at T" is every input recorded at or before T. Going back in time starts over from
 * the first input (a new store: `generation` counts them); going forward applies what lies between.
 */
import {Store} from '../store/store.js';
import type {RecordingFile} from './reader.js';
import {applyInput, type Input} from './tap.js';

export interface PlayerOptions {
	/** listener coalescing of the store (0 for --once) */
	notifyIntervalMs?: number;
	/** history length of the store (default: the recorder's) */
	historySamples?: number;
}

export class Player {
	store!: Store;
	/** the recorded time shown (epoch ms) */
	time = 0;
	/** bumped each time the store is rebuilt (a jump back) */
	generation = 0;
	/** the recording has no input after `time` */
	ended = false;
	private iter!: Iterator<Input>;
	private next: Input | null = null;
	private readonly listeners = new Set<() => void>();

	constructor(
		readonly rec: RecordingFile,
		private readonly o: PlayerOptions = {},
	) {
		this.restart();
	}

	/** recorded time of the first input (the recording's start when it has none) */
	first = 0;

	/** the last recorded time known (the last whole chunk's) */
	get end(): number {
		return Math.max(this.first, this.rec.lastTime ?? this.first);
	}

	now = (): number => this.time;

	subscribe(fn: () => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	/** apply every input recorded at or before `t` (starting over when `t` is before `time`) */
	seek(t: number): void {
		if (t < this.time) this.restart();
		while (this.next !== null && this.next.time <= t) {
			this.time = this.next.time;
			applyInput(this.store, this.next);
			this.pull();
		}

		this.time = Math.max(this.time, Math.min(t, this.next?.time ?? t));
		this.ended = this.next === null;
		this.tell();
	}

	/** to the next metrics window after `time` (and the inputs of its run); false at the end */
	stepWindow(): boolean {
		while (this.next !== null && this.next.op !== 'applyMetrics') this.seek(this.next.time);
		if (this.next === null) return false;
		this.seek(this.next.time);
		return true;
	}

	private restart(): void {
		const rec = this.rec;
		this.store = new Store({historySamples: this.o.historySamples ?? rec.header.historySamples, now: this.now, notifyIntervalMs: this.o.notifyIntervalMs ?? 500});
		this.generation++;
		this.iter = rec.inputs();
		this.pull();
		this.first = this.next?.time ?? rec.header.started;
		this.time = this.first;
		this.ended = this.next === null;
	}

	private pull(): void {
		const r = this.iter.next();
		this.next = r.done ? null : r.value;
	}

	private tell(): void {
		for (const l of this.listeners) l();
	}
}
