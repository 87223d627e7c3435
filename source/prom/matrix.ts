/**
 * A Prometheus range answer read without building its JSON tree: `"values":[[1700000000.123,"42"],…]`
 * is scanned straight into numbers, only each series' `metric` object goes through JSON.parse. At
 * 10k pods a backfill reads ~100 MB of such text; JSON.parse made a small array and a string per
 * sample (3.5 M of them), and their garbage held the event loop for hundreds of ms. The scanner
 * accepts exactly what Prometheus writes (status, then data.resultType, data.result of
 * {metric, values}); anything else returns null and the caller parses the answer as JSON.
 */
import type {PromSeries} from './client.js';

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

/**
 * The decimal number text[from, to) — digits with an optional fraction, what Prometheus writes for
 * a timestamp and almost every value — without making a string; anything else (an exponent, a
 * sign, NaN) through Number().
 */
function decimal(text: string, from: number, to: number): number {
	let whole = 0;
	let i = from;
	for (; i < to; i++) {
		const d = text.charCodeAt(i) - 48;
		if (d < 0 || d > 9) break;
		whole = whole * 10 + d;
	}

	if (i === to && i > from && i - from < 16) return whole;
	if (text.charCodeAt(i) !== 46 || i === from || i - from >= 16) return Number(text.slice(from, to));
	let frac = 0;
	let scale = 1;
	for (i++; i < to; i++) {
		const d = text.charCodeAt(i) - 48;
		if (d < 0 || d > 9 || scale >= 1e9) return Number(text.slice(from, to));
		frac = frac * 10 + d;
		scale *= 10;
	}

	return whole + frac / scale;
}

/**
 * A range answer scanned a few series at a time: `step(shouldYield)` reads series into `out` until
 * `shouldYield()` says stop (asked after each series) and returns 'more', or 'done' at the end,
 * or 'bad' on anything that is not what Prometheus writes (the caller then parses it as JSON).
 */
export class MatrixScanner {
	readonly out: PromSeries[] = [];
	/** with a grid: the series, their values on it (NaN: no sample at that step) */
	readonly rows: GridSeries[] = [];
	private i = 0;
	private state: 'start' | 'series' | 'done' | 'bad' = 'start';
	private slab = new Float64Array(0);
	private used = 0;
	/** the row being read (grid), else null */
	private row: Float64Array | null = null;

	/** `grid`: the answer's steps are these (a range query's start + k × step): each series becomes a row of values on them */
	constructor(
		private readonly text: string,
		private readonly grid?: Grid,
	) {}

	step(shouldYield: () => boolean = () => false): 'more' | 'done' | 'bad' {
		const {text} = this;
		if (this.state === 'start') {
			if (!/^\s*\{\s*"status"\s*:\s*"success"\s*,\s*"data"\s*:\s*\{\s*"resultType"\s*:\s*"matrix"\s*,\s*"result"\s*:\s*\[/.test(text.slice(0, 200))) return (this.state = 'bad');
			this.i = text.indexOf('[', text.indexOf('"result"')) + 1;
			this.skip();
			if (text[this.i] === ']') return (this.state = 'done');
			this.state = 'series';
		}

		if (this.state !== 'series') return this.state;
		for (;;) {
			const s = this.series();
			if (s === null) return (this.state = 'bad');
			if (this.grid) this.rows.push({labels: s.labels, values: this.onGrid(s)});
			else this.out.push(s);
			this.skip();
			if (text[this.i] === ',') this.i++;
			else if (text[this.i] === ']') return (this.state = 'done');
			else return (this.state = 'bad');
			if (shouldYield()) return 'more';
		}
	}

	private skip(): void {
		const {text} = this;
		while (this.i < text.length && ws(text.charCodeAt(this.i))) this.i++;
	}

	private expect(s: string): boolean {
		this.skip();
		if (!this.text.startsWith(s, this.i)) return false;
		this.i += s.length;
		return true;
	}

	/** one {"metric":{…},"values":[…]} */
	private series(): PromSeries | null {
		const {text} = this;
		if (!this.expect('{') || !this.expect('"metric"') || !this.expect(':')) return null;
		this.skip();
		// the label object: strings only, so its end is the first } outside a string
		let i = this.i;
		const start = i;
		if (text[i] !== '{') return null;
		let inString = false;
		for (i++; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (inString) {
				if (c === 92) i++;
				else if (c === 34) inString = false;
			} else if (c === 34) {
				inString = true;
			} else if (c === 125) {
				break;
			}
		}

		let metric: unknown;
		try {
			metric = JSON.parse(text.slice(start, ++i));
		} catch {
			return null;
		}

		this.i = i;
		const labels: Record<string, string> = {};
		for (const [k, v] of Object.entries(metric as object)) if (typeof v === 'string') labels[k] = v;
		if (!this.expect(',') || !this.expect('"values"') || !this.expect(':') || !this.expect('[')) return null;
		const times: number[] = [];
		const values: number[] = [];
		this.row = this.grid ? this.nextRow() : null;
		this.skip();
		if (text[this.i] === ']') this.i++;
		else if (!this.tight(times, values)) {
			this.row?.fill(Number.NaN);
			times.length = 0;
			values.length = 0;
			for (;;) {
				if (!this.expect('[')) return null;
				const comma = text.indexOf(',', this.i);
				const t = decimal(text, this.i, comma);
				this.i = comma + 1;
				if (!this.expect('"')) return null;
				const quote = text.indexOf('"', this.i);
				const v = decimal(text, this.i, quote);
				this.i = quote + 1;
				if (!this.expect(']') || comma < 0 || quote < 0 || !Number.isFinite(t)) return null;
				if (Number.isFinite(v)) {
					times.push(Math.round(t * 1000));
					values.push(v);
				}

				this.skip();
				if (text[this.i] === ',') this.i++;
				else if (text[this.i] === ']') {
					this.i++;
					break;
				} else return null;
			}
		}

		return this.expect('}') ? {labels, times, values} : null;
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
		const {text, row, grid} = this;
		let i = this.i;
		for (;;) {
			if (text.charCodeAt(i) !== 91) return false;
			let c = text.charCodeAt(++i);
			const t0 = i;
			let ms = 0;
			while (c >= 48 && c <= 57) {
				ms = ms * 10 + (c - 48);
				c = text.charCodeAt(++i);
			}

			if (i === t0 || i - t0 > 12) return false;
			ms *= 1000;
			if (c === 46) {
				for (let scale = 100; (c = text.charCodeAt(++i)) >= 48 && c <= 57; scale /= 10) {
					if (scale < 1) return false;
					ms += (c - 48) * scale;
				}
			}

			if (c !== 44 || text.charCodeAt(++i) !== 34) return false;
			const v0 = ++i;
			let whole = 0;
			c = text.charCodeAt(i);
			while (c >= 48 && c <= 57) {
				whole = whole * 10 + (c - 48);
				c = text.charCodeAt(++i);
			}

			let v = whole;
			if (c === 46 && i > v0 && i - v0 < 16) {
				let frac = 0;
				let scale = 1;
				while ((c = text.charCodeAt(++i)) >= 48 && c <= 57 && scale < 1e9) {
					frac = frac * 10 + (c - 48);
					scale *= 10;
				}

				v = whole + frac / scale;
			}

			if (c !== 34 || i === v0 || i - v0 >= 16) {
				// a sign, an exponent, NaN, ±Inf, many digits: as decimal() does
				const q = text.indexOf('"', i);
				if (q < 0) return false;
				v = decimal(text, v0, q);
				i = q;
			}

			if (text.charCodeAt(++i) !== 93) return false;
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

			c = text.charCodeAt(++i);
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
export function scanMatrix(text: string): PromSeries[] | null {
	const s = new MatrixScanner(text);
	let r;
	while ((r = s.step()) === 'more');
	return r === 'done' ? s.out : null;
}

/**
 * The answer scanned in slices of about `sliceMs` with a turn of the event loop between (a 6 MB
 * answer is ~60 ms of scanning: a key pressed meanwhile waits for one slice, not all of it).
 */
export async function scanMatrixSliced(text: string, sliceMs?: number): Promise<PromSeries[] | null> {
	const s = new MatrixScanner(text);
	return (await sliced(s, sliceMs)) ? s.out : null;
}

/** the same onto `grid` (null: not what Prometheus writes) */
export async function scanGridSliced(text: string, grid: Grid, sliceMs?: number): Promise<GridSeries[] | null> {
	const s = new MatrixScanner(text, grid);
	return (await sliced(s, sliceMs)) ? s.rows : null;
}

async function sliced(s: MatrixScanner, sliceMs = 8): Promise<boolean> {
	for (;;) {
		const until = performance.now() + sliceMs;
		const r = s.step(() => performance.now() >= until);
		if (r !== 'more') return r === 'done';
		await new Promise<void>(resolve => setImmediate(resolve));
	}
}
