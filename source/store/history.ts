/**
 * Working-set history for many series (pods, containers, nodes) in typed-array rings.
 *
 * - One shared time column (`Float64Array`) for every series: a metrics poll is one column.
 * - Values live in `Uint16Array` slabs of `chunkSeries` series each, allocated on demand, as a
 *   16-bit logarithmic code (see `encode`): 2 bytes a sample, ±0.034 % of the value, any size from
 *   0 to 2^53 bytes. A slot (series) is a row of `samples` codes; code 0 is a missing sample.
 *   Reads decode to Float32 bytes (NaN where missing). Exact figures never come from here.
 * - Released slots go on a free list and are reused (their row is wiped to NaN on reuse).
 * - The latest value of each slot is also kept in full precision (`Float64Array`) together with
 *   the tick it arrived in, so "latest working set" reads never touch the rings.
 *
 * Memory: samples × 2 bytes per series (240 samples → 480 B), plus 17 B per slot of latest state.
 */

/** codes per doubling: relative step 2^(1/1024) − 1 = 0.068 %, so a read is within ±0.034 % */
const STEPS = 1024;
const MISSING = 0;

function encode(bytes: number): number {
	if (!(bytes >= 0)) return bytes < 0 ? 1 : MISSING; // NaN → missing; negative (never sent) → 0
	const code = 1 + Math.round(Math.log2(bytes + 1) * STEPS);
	return code > 65_535 ? 65_535 : code;
}

function decode(code: number): number {
	return code === MISSING ? Number.NaN : 2 ** ((code - 1) / STEPS) - 1;
}

export interface Series {
	/** epoch ms, oldest first */
	times: Float64Array;
	/** bytes, NaN where the series had no sample in that column */
	values: Float32Array;
}

const emptySeries: Series = {times: new Float64Array(0), values: new Float32Array(0)};

export class HistoryRing {
	readonly samples: number;
	readonly chunkSeries: number;
	private readonly chunks: Uint16Array[] = [];
	private readonly timeColumn: Float64Array;
	/** index of the newest column, -1 before the first tick */
	private head = -1;
	/** number of columns written so far, capped at `samples` */
	private filled = 0;
	/** number of ticks so far (monotonic) */
	private tickCount = 0;
	private latestValue: Float64Array;
	private latestTick: Float64Array; // tick number of the latest value (NaN: none)
	private alive: Uint8Array;
	/** bumped when a slot is released: a staged value for the slot's old series is not written into its next one */
	private generation: Uint32Array;
	private readonly freeSlots: number[] = [];
	private nextSlot = 0;
	private liveSlots = 0;

	constructor(samples = 240, chunkSeries = 1024) {
		if (!Number.isInteger(samples) || samples < 2) throw new RangeError('history needs at least 2 samples');
		this.samples = samples;
		this.chunkSeries = chunkSeries;
		this.timeColumn = new Float64Array(samples).fill(Number.NaN);
		this.latestValue = new Float64Array(0);
		this.latestTick = new Float64Array(0);
		this.alive = new Uint8Array(0);
		this.generation = new Uint32Array(0);
	}

	/** series currently allocated */
	get size(): number {
		return this.liveSlots;
	}

	/** slots ever created (live + free); the high-water mark */
	get capacity(): number {
		return this.nextSlot;
	}

	get freeCount(): number {
		return this.freeSlots.length;
	}

	/** number of columns with data (≤ samples) */
	get length(): number {
		return this.filled;
	}

	get ticks(): number {
		return this.tickCount;
	}

	/** time of the newest column, null before the first tick */
	get lastTime(): number | null {
		return this.head < 0 ? null : this.timeColumn[this.head]!;
	}

	/** bytes held by the value slabs */
	get slabBytes(): number {
		return this.chunks.length * this.chunkSeries * this.samples * 2;
	}

	alloc(): number {
		let slot = this.freeSlots.pop();
		if (slot === undefined) {
			slot = this.nextSlot++;
			const chunk = Math.floor(slot / this.chunkSeries);
			while (this.chunks.length <= chunk) {
				this.chunks.push(new Uint16Array(this.chunkSeries * this.samples));
			}

			if (slot >= this.alive.length) this.growSlotState(slot + 1);
		} else {
			this.rowOf(slot).fill(MISSING);
		}

		this.alive[slot] = 1;
		this.latestValue[slot] = Number.NaN;
		this.latestTick[slot] = Number.NaN;
		this.liveSlots++;
		return slot;
	}

	release(slot: number): void {
		if (slot < 0 || slot >= this.nextSlot || this.alive[slot] !== 1) return;
		this.alive[slot] = 0;
		this.generation[slot]!++;
		this.latestValue[slot] = Number.NaN;
		this.latestTick[slot] = Number.NaN;
		this.freeSlots.push(slot);
		this.liveSlots--;
	}

	isLive(slot: number): boolean {
		return this.alive[slot] === 1;
	}

	/**
	 * Open a new column at `time` (every series gets NaN in it until `set`). A time not after the
	 * newest column's reuses that column: a metrics poll that returned the same window twice.
	 * Returns true when a new column was opened.
	 */
	tick(time: number): boolean {
		if (this.head >= 0 && time <= this.timeColumn[this.head]!) return false;
		this.head = (this.head + 1) % this.samples;
		this.filled = Math.min(this.filled + 1, this.samples);
		this.tickCount++;
		this.timeColumn[this.head] = time;
		const n = this.samples;
		const col = this.head;
		for (let c = 0; c < this.chunks.length; c++) {
			const chunk = this.chunks[c]!;
			const rows = Math.min(this.chunkSeries, this.nextSlot - c * this.chunkSeries);
			for (let r = 0, i = col; r < rows; r++, i += n) chunk[i] = MISSING;
		}

		return true;
	}

	/** write `value` into the newest column of `slot` */
	set(slot: number, value: number): void {
		if (this.head < 0 || this.alive[slot] !== 1) return;
		const chunk = this.chunks[Math.floor(slot / this.chunkSeries)]!;
		chunk[(slot % this.chunkSeries) * this.samples + this.head] = encode(value);
		this.latestValue[slot] = value;
		this.latestTick[slot] = this.tickCount;
	}

	/** the slot's generation: changes when the slot is released (see ColumnBatch) */
	generationOf(slot: number): number {
		return this.generation[slot] ?? 0;
	}

	/**
	 * Open a column at `time` (as tick) and write the batch's values into it, in one go: a reader
	 * sees the ring before or after the batch, never half of it. Values for slots released since
	 * they were staged are dropped. One pass in slot order (the batch is a column by slot), so the
	 * writes run down the rows as tick's do, not in the sample's order.
	 */
	commit(time: number, batch: ColumnBatch): void {
		this.tick(time);
		if (this.head < 0) return;
		const {staged, codes, gens, values} = batch;
		const n = this.samples;
		const cs = this.chunkSeries;
		const ticks = this.tickCount;
		const head = this.head;
		const end = Math.min(this.nextSlot, codes.length);
		for (let c = 0; c * cs < end; c++) {
			const chunk = this.chunks[c]!;
			const last = Math.min(end, (c + 1) * cs);
			for (let slot = c * cs, i = head; slot < last; slot++, i += n) {
				if (staged[slot] !== 1 || this.alive[slot] !== 1 || this.generation[slot] !== gens[slot]) continue;
				chunk[i] = codes[slot]!;
				this.latestValue[slot] = values[slot]!;
				this.latestTick[slot] = ticks;
			}
		}
	}

	/** latest value, or null when the slot has none in the newest `maxAgeTicks + 1` columns */
	latest(slot: number, maxAgeTicks = Number.POSITIVE_INFINITY): number | null {
		if (this.alive[slot] !== 1) return null;
		const t = this.latestTick[slot]!;
		if (Number.isNaN(t) || this.tickCount - t > maxAgeTicks) return null;
		return this.latestValue[slot]!;
	}

	/** the series in time order, at most `maxSamples` newest columns */
	read(slot: number, maxSamples = this.samples): Series {
		if (this.alive[slot] !== 1 || this.filled === 0) return emptySeries;
		const count = Math.min(this.filled, Math.max(0, Math.floor(maxSamples)));
		const times = new Float64Array(count);
		const values = new Float32Array(count);
		const row = this.rowOf(slot);
		const n = this.samples;
		let col = (this.head - count + 1 + n) % n;
		for (let i = 0; i < count; i++) {
			times[i] = this.timeColumn[col]!;
			values[i] = decode(row[col]!);
			col = col + 1 === n ? 0 : col + 1;
		}

		return {times, values};
	}

	/** the newest `out.length` values in time order into `out` (NaN-padded at the front); no allocation */
	readInto(slot: number, out: Float32Array): void {
		out.fill(Number.NaN);
		if (this.alive[slot] !== 1 || this.filled === 0) return;
		const count = Math.min(this.filled, out.length);
		const row = this.rowOf(slot);
		const n = this.samples;
		let col = (this.head - count + 1 + n) % n;
		for (let i = out.length - count; i < out.length; i++) {
			out[i] = decode(row[col]!);
			col = col + 1 === n ? 0 : col + 1;
		}
	}

	/** the time column in time order */
	times(maxSamples = this.samples): Float64Array {
		const count = Math.min(this.filled, Math.max(0, Math.floor(maxSamples)));
		const out = new Float64Array(count);
		const n = this.samples;
		let col = (this.head - count + 1 + n) % n;
		for (let i = 0; i < count; i++) {
			out[i] = this.timeColumn[col]!;
			col = col + 1 === n ? 0 : col + 1;
		}

		return out;
	}

	/**
	 * Open columns at `times` before the oldest one: history from before memtop started (a
	 * Prometheus backfill). `times` ascending; those not older than the oldest column are dropped,
	 * and only as many as fit beside the columns there are (the newest of them) are opened, every
	 * series missing in them until `writePast`. Rewrites each row once. Returns how many opened.
	 */
	prepend(times: ArrayLike<number>): number {
		const oldest = this.filled === 0 ? Number.POSITIVE_INFINITY : this.timeColumn[(this.head - this.filled + 1 + this.samples) % this.samples]!;
		const past: number[] = [];
		for (let i = 0; i < times.length; i++) if (times[i]! < oldest && (past.length === 0 || times[i]! > past[past.length - 1]!)) past.push(times[i]!);
		const k = Math.min(past.length, this.samples - this.filled);
		if (k === 0) return 0;
		const n = this.samples;
		const total = this.filled + k;
		const start = (this.head - this.filled + 1 + n) % n;
		const order = (src: {[i: number]: number; length: number}, into: {[i: number]: number}, offset: number) => {
			for (let i = 0; i < this.filled; i++) into[offset + i] = src[(start + i) % n]!;
		};

		// the columns in time order from index 0: k past ones, then the ones there were
		const col = new Float64Array(n).fill(Number.NaN);
		for (let i = 0; i < k; i++) col[i] = past[past.length - k + i]!;
		order(this.timeColumn, col, k);
		this.timeColumn.set(col);
		const row = new Uint16Array(n);
		for (let c = 0; c < this.chunks.length; c++) {
			const chunk = this.chunks[c]!;
			const rows = Math.min(this.chunkSeries, this.nextSlot - c * this.chunkSeries);
			for (let r = 0; r < rows; r++) {
				const cells = chunk.subarray(r * n, r * n + n);
				row.fill(MISSING);
				order(cells, row, k);
				cells.set(row);
			}
		}

		this.head = total - 1;
		this.filled = total;
		return k;
	}

	/**
	 * Past values of `slot` into the columns whose time is exactly one of `times` (ascending), where
	 * the slot has no value yet (a live sample wins). The latest value is not touched. Returns how many were written.
	 */
	writePast(slot: number, times: ArrayLike<number>, values: ArrayLike<number>): number {
		if (this.alive[slot] !== 1 || this.filled === 0) return 0;
		const n = this.samples;
		const start = (this.head - this.filled + 1 + n) % n;
		const col = this.timeColumn;
		const row = this.rowOf(slot);
		const filled = this.filled;
		let written = 0;
		// both in time order: one walk over the columns, from where the previous time was found
		let lo = 0;
		let cell = start;
		for (let j = 0; j < times.length; j++) {
			const t = times[j]!;
			while (lo < filled && col[cell]! < t) {
				lo++;
				cell = cell + 1 === n ? 0 : cell + 1;
			}

			if (lo >= filled) break;
			if (col[cell] !== t) continue;
			if (row[cell] === MISSING && Number.isFinite(values[j]!)) {
				row[cell] = encode(values[j]!);
				written++;
			}
		}

		return written;
	}

	private rowOf(slot: number): Uint16Array {
		const chunk = this.chunks[Math.floor(slot / this.chunkSeries)]!;
		const start = (slot % this.chunkSeries) * this.samples;
		return chunk.subarray(start, start + this.samples);
	}

	private growSlotState(min: number): void {
		const size = Math.max(min, this.alive.length * 2, 1024);
		const alive = new Uint8Array(size);
		alive.set(this.alive);
		const value = new Float64Array(size).fill(Number.NaN);
		value.set(this.latestValue);
		const tick = new Float64Array(size).fill(Number.NaN);
		tick.set(this.latestTick);
		const generation = new Uint32Array(size);
		generation.set(this.generation);
		this.generation = generation;
		this.alive = alive;
		this.latestValue = value;
		this.latestTick = tick;
	}
}

/**
 * Values for one future column, staged slot by slot (in as many steps as the caller likes) and
 * written by `HistoryRing.commit` at once. A column by slot: each value is encoded as it is
 * staged, so the commit only copies, in slot order. A slot staged twice keeps the last value.
 */
export class ColumnBatch {
	/** by slot: 1 where a value is staged */
	staged: Uint8Array;
	codes: Uint16Array;
	/** by slot: its generation when staged (a value for a slot released since is dropped) */
	gens: Uint32Array;
	values: Float64Array;

	constructor(private readonly ring: HistoryRing) {
		const size = Math.max(1024, ring.capacity);
		this.staged = new Uint8Array(size);
		this.codes = new Uint16Array(size);
		this.gens = new Uint32Array(size);
		this.values = new Float64Array(size);
	}

	add(slot: number, value: number): void {
		if (slot >= this.codes.length) this.grow(slot + 1);
		this.staged[slot] = 1;
		this.codes[slot] = encode(value);
		this.gens[slot] = this.ring.generationOf(slot);
		this.values[slot] = value;
	}

	private grow(min: number): void {
		const size = Math.max(min, this.codes.length * 2);
		const staged = new Uint8Array(size);
		staged.set(this.staged);
		const codes = new Uint16Array(size);
		codes.set(this.codes);
		const gens = new Uint32Array(size);
		gens.set(this.gens);
		const values = new Float64Array(size);
		values.set(this.values);
		Object.assign(this, {staged, codes, gens, values});
	}
}
