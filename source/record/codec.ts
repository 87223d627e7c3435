/**
 * Store inputs as lines of JSON, and back. Maps and the numbers JSON has no words for are
 * tagged; the biggest inputs are spread over several lines so no line (and no string in the
 * recorder's memory) holds 150,000 pods at once:
 *
 *   [op, time, ...args]                       most inputs
 *   [op, time, {"$lines": n}]                 replacePods / replaceNodes / replaceEvents: then
 *                                             lines of up to 500 records each, n records in all
 *   ["applyMetrics", time, {time, windowMs, nodes, pods: n}]   then lines of up to 2,000 pods:
 *                                             [[ref, workingSet, [ref, bytes, ...]], ...]
 *
 * A ref is a string the first time it appears in the file (pod key, container name) and after
 * that its number, in order of first appearance: metrics carry numbers, not names.
 */
import type {MetricsSample} from '../model/index.js';
import type {Input, InputName} from './tap.js';
import {storeInputs} from './tap.js';

const recordsPerLine = 500;
const podsPerLine = 2000;
const spread = new Set<InputName>(['replacePods', 'replaceNodes', 'replaceEvents']);
const knownOps = new Set<string>(storeInputs);

function replacer(_key: string, v: unknown): unknown {
	if (v instanceof Map) return {$map: [...v]};
	// typed arrays (backfilled times and values) as lists: the store takes any ArrayLike
	if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
	if (typeof v === 'number' && !Number.isFinite(v)) return {$num: String(v)};
	return v;
}

function reviver(_key: string, v: unknown): unknown {
	if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
		const o = v as Record<string, unknown>;
		if (Array.isArray(o['$map'])) return new Map(o['$map'] as Array<[unknown, unknown]>);
		if (typeof o['$num'] === 'string') return Number(o['$num']);
	}

	return v;
}

const line = (v: unknown): string => JSON.stringify(v, replacer) + '\n';

export class Encoder {
	private readonly refs = new Map<string, number>();

	private ref(s: string): string | number {
		const id = this.refs.get(s);
		if (id !== undefined) return id;
		this.refs.set(s, this.refs.size);
		return s;
	}

	/** the lines of one input, handed to `put` one at a time */
	encode(input: Input, put: (line: string) => void): void {
		const {op, time, args} = input;
		if (op === 'applyMetrics') {
			const s = args[0] as MetricsSample;
			put(line([op, time, {time: s.time, windowMs: s.windowMs, nodes: [...s.nodes], pods: s.pods.size}]));
			let batch: unknown[] = [];
			for (const [key, p] of s.pods) {
				const cs: Array<string | number> = [];
				for (const [name, bytes] of p.containers) cs.push(this.ref(name), bytes);
				batch.push([this.ref(key), p.workingSetBytes, cs]);
				if (batch.length === podsPerLine) {
					put(line(batch));
					batch = [];
				}
			}

			if (batch.length > 0) put(line(batch));
			return;
		}

		if (spread.has(op)) {
			const records = args[0] as unknown[];
			put(line([op, time, {$lines: records.length}]));
			for (let i = 0; i < records.length; i += recordsPerLine) put(line(records.slice(i, i + recordsPerLine)));
			return;
		}

		put(line([op, time, ...args]));
	}
}

export class RecordingError extends Error {}

/** turns lines back into inputs; an input is handed out once all its lines are in */
export class Decoder {
	private readonly refs: string[] = [];
	private partial: {input: Input; want: number; items: unknown[]; metrics: boolean} | null = null;

	private deref(r: unknown): string {
		if (typeof r === 'string') {
			this.refs.push(r);
			return r;
		}

		const s = typeof r === 'number' ? this.refs[r] : undefined;
		if (s === undefined) throw new RecordingError('a metrics line names an unknown pod');
		return s;
	}

	/** true while an input is waiting for more lines (a cut there loses that input) */
	get midInput(): boolean {
		return this.partial !== null;
	}

	/** one line; returns the input it completes, or null */
	decode(text: string): Input | null {
		const v = JSON.parse(text, reviver) as unknown;
		const p = this.partial;
		if (p) {
			if (!Array.isArray(v)) throw new RecordingError('a continuation line is not a list');
			if (p.metrics) {
				const pods = (p.input.args[0] as MetricsSample).pods;
				for (const [ref, ws, cs] of v as Array<[unknown, number, unknown[]]>) {
					const containers = new Map<string, number>();
					for (let i = 0; i < cs.length; i += 2) containers.set(this.deref(cs[i]), cs[i + 1] as number);
					pods.set(this.deref(ref), {workingSetBytes: ws, containers});
				}

				p.want -= v.length;
			} else {
				for (const x of v) p.items.push(x);
				p.want -= v.length;
			}

			if (p.want > 0) return null;
			if (p.want < 0) throw new RecordingError('an input has more lines than it announced');
			this.partial = null;
			return p.input;
		}

		if (!Array.isArray(v) || typeof v[0] !== 'string' || !knownOps.has(v[0]) || typeof v[1] !== 'number') {
			throw new RecordingError('a line is not a store input');
		}

		const op = v[0] as InputName;
		const time = v[1] as number;
		const args = v.slice(2) as unknown[];
		if (op === 'applyMetrics') {
			const h = args[0] as {time: number; windowMs: number; nodes: Array<[string, number]>; pods: number};
			const sample: MetricsSample = {time: h.time, windowMs: h.windowMs, nodes: new Map(h.nodes), pods: new Map()};
			const input = {op, time, args: [sample]} as unknown as Input;
			if (h.pods === 0) return input;
			this.partial = {input, want: h.pods, items: [], metrics: true};
			return null;
		}

		if (spread.has(op)) {
			const n = (args[0] as {$lines?: unknown} | undefined)?.$lines;
			if (typeof n !== 'number' || n < 0) throw new RecordingError('a list input has no length');
			const items: unknown[] = [];
			const input = {op, time, args: [items]} as unknown as Input;
			if (n === 0) return input;
			this.partial = {input, want: n, items, metrics: false};
			return null;
		}

		return {op, time, args} as unknown as Input;
	}
}
