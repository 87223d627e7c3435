/**
 * A Prometheus range answer read as it came, in bytes, without building its JSON tree nor one
 * string of it: `"values":[[1700000000.123,"42"],…]` is scanned straight into numbers, and of each
 * series' `metric` object only the label values asked for become strings. At 150k pods a backfill
 * reads 18 answers of ~6 MB: as strings each was a large object for the collector, and JSON.parse
 * made an array and a string per sample. The scanner accepts exactly what Prometheus writes
 * (status, then data.resultType, data.result of {metric, values}); anything else returns null and
 * the caller parses the answer as JSON. A series whose label bytes (of the labels kept) are not
 * UTF-8 is skipped and counted.
 */
import type {PromSeries} from './client.js';
import {Pacer} from './pacer.js';

/** the steps of a range query: `times` (epoch ms) = startMs + k × stepMs */
export interface Grid {
	startMs: number;
	stepMs: number;
	times: Float64Array;
}

/** a series of a range answer on its grid */
export interface GridSeries {
	labels: Record<string, string>;
	/** one per grid step; NaN: no sample there */
	values: Float64Array;
}

export function gridOf(startMs: number, endMs: number, stepMs: number): Grid {
	const n = Math.max(0, Math.floor((endMs - startMs) / stepMs) + 1);
	const times = new Float64Array(n);
	for (let k = 0; k < n; k++) times[k] = startMs + k * stepMs;
	return {startMs, stepMs, times};
}

const ws = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
const utf8 = new TextDecoder('utf-8', {fatal: true});
const head = /^\s*\{\s*"status"\s*:\s*"success"\s*,\s*"data"\s*:\s*\{\s*"resultType"\s*:\s*"matrix"\s*,\s*"result"\s*:\s*\[/;

/** bytes [from, to) as a string of their byte values (ASCII text: numbers, label names) */
function ascii(b: Uint8Array, from: number, to: number): string {
	let s = '';
	for (let i = from; i < to; i += 4096) s += String.fromCharCode(...b.subarray(i, Math.min(to, i + 4096)));
	return s;
}

/**
 * The decimal number b[from, to) — digits with an optional fraction, what Prometheus writes for a
 * timestamp and almost every value — without making a string; anything else (an exponent, a
 * sign, NaN) through Number().
 */
function decimal(b: Uint8Array, from: number, to: number): number {
	let whole = 0;
	let i = from;
	for (; i < to; i++) {
		const d = b[i]! - 48;
		if (d < 0 || d > 9) break;
		whole = whole * 10 + d;
	}

	if (i === to && i > from && i - from < 16) return whole;
	if (b[i] !== 46 || i === from || i - from >= 16) return Number(ascii(b, from, to));
	let frac = 0;
	let scale = 1;
	for (i++; i < to; i++) {
		const d = b[i]! - 48;
		if (d < 0 || d > 9 || scale >= 1e9) return Number(ascii(b, from, to));
		frac = frac * 10 + d;
		scale *= 10;
	}

	return whole + frac / scale;
}

/** a series' metric object read: its labels, or 'skip' (the bytes of a label kept are not UTF-8), or null (not a JSON object of strings) */
type Metric = Record<string, string> | 'skip' | null;

/**
 * A range answer scanned a few series at a time: `step(shouldYield)` reads series into `out` until
 * `shouldYield()` says stop (asked after each series) and returns 'more', or 'done' at the end,
 * or 'bad' on anything that is not what Prometheus writes (the caller then parses it as JSON).
 */
export class MatrixScanner {
	readonly out: PromSeries[] = [];
	/** with a grid: the series, their values on it (NaN: no sample at that step) */
	readonly rows: GridSeries[] = [];
	/** series skipped: the bytes of a label kept are not UTF-8 */
	skipped = 0;
	private i = 0;
	private state: 'start' | 'series' | 'done' | 'bad' = 'start';
	private slab = new Float64Array(0);
	private used = 0;
	/** the row being read (grid), else null */
	private row: Float64Array | null = null;
	private readonly buf: Buffer;
	/** the names of the labels kept, as bytes (null: all) */
	private readonly keepBytes: Buffer[] | null;
	private readonly passTimes: number[] = [];
	private readonly passValues: number[] = [];
	/** per label kept: where its previous value's bytes were (plain ASCII), and its string: a value again is that string again */
	private readonly previous: Array<{from: number; to: number; value: string} | null> = [];

	/**
	 * `grid`: the answer's steps are these (a range query's start + k × step): each series becomes a
	 * row of values on them. `keep`: only these labels are kept (default: all).
	 */
	constructor(
		bytes: Uint8Array,
		private readonly grid?: Grid,
		private readonly keep?: readonly string[],
	) {
		this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
		this.keepBytes = keep === undefined ? null : keep.map(k => Buffer.from(k, 'latin1'));
	}

	step(shouldYield: () => boolean = () => false): 'more' | 'done' | 'bad' {
		const b = this.buf;
		if (this.state === 'start') {
			const start = ascii(b, 0, Math.min(b.length, 200));
			const m = head.exec(start);
			if (m === null) return (this.state = 'bad');
			this.i = m[0].length;
			this.skip();
			if (b[this.i] === 93) return (this.state = 'done');
			this.state = 'series';
		}

		if (this.state !== 'series') return this.state;
		for (;;) {
			const s = this.series();
			if (s === null) return (this.state = 'bad');
			if (s === 'skip') this.skipped++;
			else if (this.grid) this.rows.push({labels: s.labels, values: this.onGrid(s)});
			else this.out.push(s);
			this.skip();
			if (b[this.i] === 44) this.i++;
			else if (b[this.i] === 93) return (this.state = 'done');
			else return (this.state = 'bad');
			if (shouldYield()) return 'more';
		}
	}

	private skip(): void {
		const b = this.buf;
		while (this.i < b.length && ws(b[this.i]!)) this.i++;
	}

	/** the ASCII text `s` next (after blanks) */
	private expect(s: string): boolean {
		this.skip();
		const b = this.buf;
		if (this.i + s.length > b.length) return false;
		for (let k = 0; k < s.length; k++) if (b[this.i + k] !== s.charCodeAt(k)) return false;
		this.i += s.length;
		return true;
	}

	/**
	 * The JSON string at i (its opening quote): its value (null when `make` is false: read over),
	 * 'skip' when its bytes are not UTF-8, undefined when it is no JSON string.
	 */
	private string(make: boolean): string | 'skip' | null | undefined {
		const b = this.buf;
		if (b[this.i] !== 34) return undefined;
		const from = this.i + 1;
		let plain = true;
		let i = from;
		for (; i < b.length; i++) {
			const c = b[i]!;
			if (c === 34) break;
			if (c === 92) {
				plain = false;
				i++;
			} else if (c >= 128 || c < 32) plain = false;
		}

		if (i >= b.length) return undefined;
		this.i = i + 1;
		if (!make) return null;
		if (plain) return b.toString('latin1', from, i);
		let text: string;
		try {
			text = utf8.decode(b.subarray(from - 1, i + 1));
		} catch {
			return 'skip';
		}

		try {
			const v: unknown = JSON.parse(text);
			return typeof v === 'string' ? v : undefined;
		} catch {
			return undefined;
		}
	}

	/** the label name at i (its opening quote, no escapes: what Prometheus allows), if it is one to keep; null: not kept; undefined: no name */
	private name(): string | null | undefined {
		const b = this.buf;
		if (b[this.i] !== 34) return undefined;
		const from = this.i + 1;
		const end = b.indexOf(34, from);
		if (end < 0) return undefined;
		this.i = end + 1;
		const keep = this.keepBytes;
		if (keep === null) return b.toString('latin1', from, end);
		for (let k = 0; k < keep.length; k++) {
			const want = keep[k]!;
			if (want.length !== end - from) continue;
			let same = true;
			for (let j = 0; j < want.length && same; j++) same = b[from + j] === want[j];
			if (same) return this.keep![k]!;
		}

		return null;
	}

	/**
	 * A kept label's value: the string of its previous value when the bytes are the same (an answer
	 * comes sorted by its labels: namespaces and container names repeat series after series).
	 */
	private value(name: string): string | 'skip' | null | undefined {
		const k = this.keep === undefined ? -1 : this.keep.indexOf(name);
		const b = this.buf;
		const prev = k < 0 ? null : (this.previous[k] ?? null);
		const from = this.i + 1;
		if (prev !== null && b[this.i] === 34 && b[from + prev.to - prev.from] === 34 && b.compare(b, prev.from, prev.to, from, from + prev.to - prev.from) === 0) {
			this.i = from + prev.to - prev.from + 1;
			return prev.value;
		}

		const value = this.string(true);
		if (k >= 0 && typeof value === 'string' && value.length === this.i - 1 - from) this.previous[k] = {from, to: this.i - 1, value};
		return value;
	}

	/** the metric object {"name":"value",…} at i */
	private metric(): Metric {
		if (!this.expect('{')) return null;
		const labels: Record<string, string> = {};
		let bad = false;
		this.skip();
		if (this.buf[this.i] === 125) {
			this.i++;
			return labels;
		}

		for (;;) {
			this.skip();
			const name = this.name();
			if (name === undefined || !this.expect(':')) return null;
			this.skip();
			const value = name === null ? this.string(false) : this.value(name);
			if (value === undefined) return null;
			if (value === 'skip') bad = true;
			else if (name !== null && value !== null) labels[name] = value;
			this.skip();
			const c = this.buf[this.i];
			this.i++;
			if (c === 125) return bad ? 'skip' : labels;
			if (c !== 44) return null;
		}
	}

	/** one {"metric":{…},"values":[…]}; 'skip' when its labels are not UTF-8 */
	private series(): PromSeries | 'skip' | null {
		const b = this.buf;
		if (!this.expect('{') || !this.expect('"metric"') || !this.expect(':')) return null;
		this.skip();
		const labels = this.metric();
		if (labels === null) return null;
		if (!this.expect(',') || !this.expect('"values"') || !this.expect(':') || !this.expect('[')) return null;
		// on a grid the samples only pass through (onGrid): the same two arrays for every series
		const times: number[] = this.grid ? this.passTimes : [];
		const values: number[] = this.grid ? this.passValues : [];
		times.length = 0;
		values.length = 0;
		this.row = this.grid ? this.nextRow() : null;
		this.skip();
		if (b[this.i] === 93) this.i++;
		else if (!this.tight(times, values)) {
			this.row?.fill(Number.NaN);
			times.length = 0;
			values.length = 0;
			for (;;) {
				if (!this.expect('[')) return null;
				const comma = b.indexOf(44, this.i);
				if (comma < 0) return null;
				const t = decimal(b, this.i, comma);
				this.i = comma + 1;
				if (!this.expect('"')) return null;
				const quote = b.indexOf(34, this.i);
				if (quote < 0) return null;
				const v = decimal(b, this.i, quote);
				this.i = quote + 1;
				if (!this.expect(']') || !Number.isFinite(t)) return null;
				if (Number.isFinite(v)) {
					times.push(Math.round(t * 1000));
					values.push(v);
				}

				this.skip();
				if (b[this.i] === 44) this.i++;
				else if (b[this.i] === 93) {
					this.i++;
					break;
				} else return null;
			}
		}

		if (!this.expect('}')) return null;
		if (labels === 'skip') {
			// its row goes back to the slab
			if (this.row) this.used -= this.row.length;
			return 'skip';
		}

		return {labels, times, values};
	}

	/** a row of NaN for the next series, from a slab of 64 rows */
	private nextRow(): Float64Array {
		const n = this.grid!.times.length;
		if (this.used + n > this.slab.length) {
			this.slab = new Float64Array(64 * n);
			this.used = 0;
		}

		const row = this.slab.subarray(this.used, this.used + n).fill(Number.NaN);
		this.used += n;
		return row;
	}

	/** the series' row: filled as it was read (tight), else from the samples read by the general loop (times off the grid dropped) */
	private onGrid(s: PromSeries): Float64Array {
		const row = this.row!;
		const {startMs, stepMs} = this.grid!;
		for (let j = 0; j < s.times.length; j++) {
			const k = (s.times[j]! - startMs) / stepMs;
			if (k >= 0 && k < row.length && k === Math.floor(k)) row[k] = s.values[j]!;
		}

		return row;
	}

	/**
	 * The pairs `[1700000000.123,"42"],…]` as Prometheus writes them (no blanks, at most 3 decimals
	 * of a second), read in one pass with the numbers made as the digits go; false (and nothing
	 * consumed) on anything else, which the general loop then reads. The same numbers as `decimal`.
	 */
	private tight(times: number[], values: number[]): boolean {
		const {buf: b, row, grid} = this;
		let i = this.i;
		for (;;) {
			if (b[i] !== 91) return false;
			let c = b[++i];
			const t0 = i;
			let ms = 0;
			while (c !== undefined && c >= 48 && c <= 57) {
				ms = ms * 10 + (c - 48);
				c = b[++i];
			}

			if (i === t0 || i - t0 > 12) return false;
			ms *= 1000;
			if (c === 46) {
				for (let scale = 100; (c = b[++i]) !== undefined && c >= 48 && c <= 57; scale /= 10) {
					if (scale < 1) return false;
					ms += (c - 48) * scale;
				}
			}

			if (c !== 44 || b[++i] !== 34) return false;
			const v0 = ++i;
			let whole = 0;
			c = b[i];
			while (c !== undefined && c >= 48 && c <= 57) {
				whole = whole * 10 + (c - 48);
				c = b[++i];
			}

			let v = whole;
			if (c === 46 && i > v0 && i - v0 < 16) {
				let frac = 0;
				let scale = 1;
				while ((c = b[++i]) !== undefined && c >= 48 && c <= 57 && scale < 1e9) {
					frac = frac * 10 + (c - 48);
					scale *= 10;
				}

				v = whole + frac / scale;
			}

			if (c !== 34 || i === v0 || i - v0 >= 16) {
				// a sign, an exponent, NaN, ±Inf, many digits: as decimal() does
				const q = b.indexOf(34, i);
				if (q < 0) return false;
				v = decimal(b, v0, q);
				i = q;
			}

			if (b[++i] !== 93) return false;
			if (Number.isFinite(v)) {
				if (row) {
					const k = (ms - grid!.startMs) / grid!.stepMs;
					if (k >= 0 && k < row.length && k === Math.floor(k)) row[k] = v;
					else return false;
				} else {
					times.push(ms);
					values.push(v);
				}
			}

			c = b[++i];
			if (c === 93) {
				this.i = i + 1;
				return true;
			}

			if (c !== 44) return false;
			i++;
		}
	}
}

/** the whole answer at once (null: not what Prometheus writes) */
export function scanMatrix(bytes: Uint8Array): PromSeries[] | null {
	const s = new MatrixScanner(bytes);
	let r;
	while ((r = s.step()) === 'more');
	return r === 'done' ? s.out : null;
}

/**
 * The answer scanned in slices of `pacer` (default: one of its own, 8 ms) with turns of the event
 * loop between (a 6 MB answer is ~50 ms of scanning: a key pressed meanwhile waits for one slice).
 */
export async function scanMatrixSliced(bytes: Uint8Array, pacer?: Pacer): Promise<PromSeries[] | null> {
	const s = new MatrixScanner(bytes);
	return (await sliced(s, pacer)) ? s.out : null;
}

/** the same onto `grid`, keeping the labels `keep` (default all); null: not what Prometheus writes */
export async function scanGridSliced(bytes: Uint8Array, grid: Grid, opts: {pacer?: Pacer; keep?: readonly string[]} = {}): Promise<{rows: GridSeries[]; skipped: number} | null> {
	const s = new MatrixScanner(bytes, grid, opts.keep);
	return (await sliced(s, opts.pacer)) ? {rows: s.rows, skipped: s.skipped} : null;
}

async function sliced(s: MatrixScanner, pacer = new Pacer()): Promise<boolean> {
	for (;;) {
		const r = s.step(() => pacer.spent());
		if (r !== 'more') return r === 'done';
		await pacer.turn();
	}
}
