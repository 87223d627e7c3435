/**
 * Store inputs as lines of JSON, and back. Maps and the numbers JSON has no words for are
 * tagged; the biggest inputs are spread over several lines so no line (and no string in the
 * recorder's memory) holds 150,000 pods at once:
 *
 *   [op, time, ...args]                       most inputs
 *   [op, time, {"$lines": n}]                 replacePods / replaceNodes / replaceEvents: then
 *                                             lines of up to 50 records each, n records in all
 *   ["applyMetrics", time, {time, windowMs, nodes, pods: n}]   then lines of up to 1,000 pods:
 *                                             [[ref step, workingSet, [ref, bytes, ...]], ...]
 *
 * A ref is a string the first time it appears in the file (pod key, container name) and after
 * that its number, in order of first appearance: metrics carry numbers, not names (a pod's as
 * the step from the pod before it in the line: pods come in one order, so mostly 0). Working sets
 * are written as their change since the pod's (the container's) previous sample, and a node's
 * Summary as its change since that node's previous Summary (delta.ts): exact, and small.
 */
import type {MetricsSample, SummaryState} from '../model/index.js';
import {deltaDecode, deltaEncode, pageCode, pageDecode} from './delta.js';
import {decodeColumns, encodeColumns} from './summary-codec.js';
import type {Input, InputName} from './tap.js';
import {storeInputs} from './tap.js';

/** lines stay well under V8's large-object size (~128 KiB): short-lived strings are cheap */
const recordsPerLine = 50;
const podsPerLine = 1000;
const spread = new Set<InputName>(['replacePods', 'addPodsListed', 'replaceNodes', 'replaceEvents']);
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
/** one figure as line() writes it */
const figure = (v: number | {$abs: number}): string => (typeof v === 'object' ? `{"$abs":${v.$abs}}` : Number.isFinite(v) ? String(v) : `{"$num":"${String(v)}"}`);

/** the previous working sets, by pod ref: the pod's, and its containers' (by container ref) */
interface Prev {
	ws: number;
	containers: Map<number, number>;
}

const whole = Number.isSafeInteger;
/** a figure as its change from `prev` when both are whole numbers (the reader knows `prev` too) */
const diff = (prev: number | undefined, v: number): number | {$abs: number} => {
	if (prev === undefined || !whole(prev) || !whole(v)) return v;
	const e = pageCode(v - prev);
	// a difference beyond 2^53 (never, for bytes): the figure whole
	return whole(e) ? e : {$abs: v};
};
const undiff = (prev: number | undefined, e: number | {$abs: number}): number =>
	typeof e === 'object' && e !== null ? e.$abs : prev !== undefined && whole(prev) && whole(e) ? prev + pageDecode(e) : e;

/**
 * The encoder's previous working sets by ref: the pod's and, for a pod with one container, that
 * container's in typed arrays; a Map only for pods with several. Reads give what the pod's previous
 * sample had (undefined for a container it did not have), as the reader's Maps do.
 */
class PrevFigures {
	private pod = new Float64Array(1024).fill(Number.NaN);
	private has = new Uint8Array(1024);
	private soleId = new Int32Array(1024).fill(-1);
	private sole = new Float64Array(1024);
	private readonly multi = new Map<number, Map<number, number>>();

	ws(id: number): number | undefined {
		return id < this.has.length && this.has[id] === 1 ? this.pod[id] : undefined;
	}

	container(id: number, cid: number): number | undefined {
		if (id >= this.has.length || this.has[id] !== 1) return undefined;
		if (this.soleId[id] === cid) return this.sole[id];
		return this.multi.get(id)?.get(cid);
	}

	setSole(id: number, cid: number, bytes: number): void {
		this.fit(id);
		this.soleId[id] = cid;
		this.sole[id] = bytes;
	}

	/** the pod's sample is in: its working set, and its containers' (a Map when several, else the sole one set before) */
	setPod(id: number, ws: number, multi: Map<number, number> | null | undefined): void {
		this.fit(id);
		this.pod[id] = ws;
		this.has[id] = 1;
		if (multi === undefined) {
			this.multi.delete(id);
			return;
		}

		this.soleId[id] = -1;
		if (multi === null) this.multi.delete(id);
		else this.multi.set(id, multi);
	}

	forget(id: number): void {
		if (id >= this.has.length) return;
		this.has[id] = 0;
		this.soleId[id] = -1;
		this.multi.delete(id);
	}

	private fit(id: number): void {
		if (id < this.has.length) return;
		const n = Math.max(id + 1, this.has.length * 2);
		const pod = new Float64Array(n).fill(Number.NaN);
		pod.set(this.pod);
		const has = new Uint8Array(n);
		has.set(this.has);
		const soleId = new Int32Array(n).fill(-1);
		soleId.set(this.soleId);
		const sole = new Float64Array(n);
		sole.set(this.sole);
		this.pod = pod;
		this.has = has;
		this.soleId = soleId;
		this.sole = sole;
	}
}

export class Encoder {
	private readonly refs = new Map<string, number>();
	/** the previous working sets by pod ref, in typed arrays (150,000 pods: a few MB, not a Map each) */
	private readonly prevWs = new PrevFigures();
	/** each node's previous Summary state (the store holds the same object: no copy is kept) */
	private readonly prevSummary = new Map<string, unknown>();
	/** each node's previous list of pods and containers in its Summary, as written ("same" when unchanged) */
	private readonly prevNames = new Map<string, string>();

	private ref(s: string): string | number {
		const id = this.refs.get(s);
		if (id !== undefined) return id;
		this.refs.set(s, this.refs.size);
		return s;
	}

	/** the ref's number, naming it on first sight (then `refText` writes the string) */
	private readonly fresh = new Set<number>();
	private id(s: string): number {
		let id = this.refs.get(s);
		if (id === undefined) {
			id = this.refs.size;
			this.refs.set(s, id);
			this.fresh.add(id);
		}

		return id;
	}

	private refText(s: string, id: number): string {
		if (!this.fresh.delete(id)) return String(id);
		return JSON.stringify(s);
	}

	/** the lines of one input, handed to `put` one at a time */
	encode(input: Input, put: (line: string) => void): void {
		const {op, time, args} = input;
		if (op === 'applyMetrics') {
			const s = args[0] as MetricsSample;
			put(line([op, time, {time: s.time, windowMs: s.windowMs, nodes: [...s.nodes], pods: s.pods.size}]));
			// built as text: the same JSON as line() writes, without a replacer call per figure
			let text = '[';
			let n = 0;
			// a pod's ref as the step from the one before it in the line (pods come in the same order: 0)
			let last = -1;
			for (const [key, p] of s.pods) {
				const id = this.id(key);
				const prevWs = this.prevWs.ws(id);
				let cs = '';
				const sole = p.containers.size === 1;
				let multi: Map<number, number> | null = null;
				for (const [name, bytes] of p.containers) {
					const cid = this.id(name);
					if (cs !== '') cs += ',';
					cs += this.refText(name, cid);
					// a sole container's figure is most often the pod's: then only its name
					if (!sole || bytes !== p.workingSetBytes) cs += ',' + figure(diff(this.prevWs.container(id, cid), bytes));
					if (sole) this.prevWs.setSole(id, cid, bytes);
					else (multi ??= new Map()).set(cid, bytes);
				}

				const named = this.fresh.delete(id);
				text += `${n === 0 ? '' : ','}[${named ? JSON.stringify(key) : id - last - 1},${figure(diff(prevWs, p.workingSetBytes))},[${cs}]]`;
				last = id;
				this.prevWs.setPod(id, p.workingSetBytes, sole ? undefined : multi);
				if (++n === podsPerLine) {
					put(text + ']\n');
					text = '[';
					n = 0;
					last = -1;
				}
			}

			if (n > 0) put(text + ']\n');
			return;
		}

		if (spread.has(op)) {
			const records = args[0] as unknown[];
			put(line([op, time, {$lines: records.length}, ...args.slice(1)]));
			for (let i = 0; i < records.length; i += recordsPerLine) put(line(records.slice(i, i + recordsPerLine)));
			return;
		}

		if (op === 'applySummary') {
			const [node, state] = args as [string, SummaryState];
			const prev = this.prevSummary.get(node);
			const c = encodeColumns(prev, state, s => this.ref(s));
			if (!c) put(line([op, time, node, deltaEncode(prev, state)]));
			else {
				// as text: the columns are most of a recording, and a replacer per figure its most costly part
				const names = JSON.stringify(c.pods);
				const same = this.prevNames.get(node) === names;
				this.prevNames.set(node, names);
				const cols = c.cols.map(col => `[${col.map(v => (v === null ? 'null' : figure(v as number | {$abs: number}))).join(',')}]`).join(',');
				put(`["applySummary",${time},${JSON.stringify(node)},{"$cols":{"head":${JSON.stringify(c.head, replacer)},"pods":${same ? '"same"' : names},"cols":[${cols}]}}]\n`);
			}

			this.prevSummary.set(node, state);
			return;
		}

		if (op === 'deletePod') this.forget(args[0] as string);
		if (op === 'deleteNode') {
			this.prevSummary.delete(args[0] as string);
			this.prevNames.delete(args[0] as string);
		}

		put(line([op, time, ...args]));
	}

	/** a pod gone: its previous working sets are not needed (the reader forgets them too) */
	private forget(key: string): void {
		const id = this.refs.get(key);
		if (id !== undefined) this.prevWs.forget(id);
	}
}

export class RecordingError extends Error {}

/** turns lines back into inputs; an input is handed out once all its lines are in */
export class Decoder {
	private readonly refs: string[] = [];
	private readonly prevWs = new Map<string, Prev>();
	private readonly prevSummary = new Map<string, unknown>();
	private readonly refIds = new Map<string, number>();
	/** each node's previous Summary pod list: deref'd (numbers only), so "same" reads as it did */
	private readonly prevNames = new Map<string, Array<[unknown, unknown[]]>>();
	private partial: {input: Input; want: number; items: unknown[]; metrics: boolean} | null = null;

	private deref(r: unknown): string {
		if (typeof r === 'string') {
			this.refIds.set(r, this.refs.length);
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
				let last = -1;
				for (const [ref, ws, cs] of v as Array<[unknown, number | {$abs: number}, unknown[]]>) {
					const key = this.deref(typeof ref === 'number' ? last + 1 + ref : ref);
					last = this.refIds.get(key)!;
					const prev = this.prevWs.get(key);
					const next: Prev = {ws: undiff(prev?.ws, ws), containers: new Map()};
					const containers = new Map<string, number>();
					if (cs.length === 1) {
						const name = this.deref(cs[0]);
						containers.set(name, next.ws);
						next.containers.set(this.refIds.get(name)!, next.ws);
					}

					for (let i = 0; cs.length !== 1 && i < cs.length; i += 2) {
						const name = this.deref(cs[i]);
						const cid = this.refIds.get(name)!;
						const bytes = undiff(prev?.containers.get(cid), cs[i + 1] as number | {$abs: number});
						containers.set(name, bytes);
						next.containers.set(cid, bytes);
					}

					this.prevWs.set(key, next);
					pods.set(key, {workingSetBytes: next.ws, containers});
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
			const input = {op, time, args: [items, ...args.slice(1)]} as unknown as Input;
			if (n === 0) return input;
			this.partial = {input, want: n, items, metrics: false};
			return null;
		}

		if (op === 'applySummary') {
			const node = args[0] as string;
			const prev = this.prevSummary.get(node);
			const cols = (args[1] as {$cols?: Parameters<typeof decodeColumns>[1]} | null)?.$cols;
			if (cols) {
				if ((cols.pods as unknown) === 'same') {
					const names = this.prevNames.get(node);
					if (!names) throw new RecordingError('a Summary names the pods of one before it that is not there');
					cols.pods = names;
				}
			}

			const state = cols ? decodeColumns(prev, cols, r => this.deref(r)) : deltaDecode(prev, args[1]);
			if (cols) {
				// kept as numbers: a string names a ref the first time only
				const ok = (state as SummaryState & {status: 'ok'}).summary;
				this.prevNames.set(node, [...ok.pods].map(([key, p]) => [this.refIds.get(key), [...p.containers.keys()].map(n => this.refIds.get(n))]));
			}
			this.prevSummary.set(node, state);
			return {op, time, args: [node, state]} as unknown as Input;
		}

		if (op === 'deletePod') this.prevWs.delete(args[0] as string);
		if (op === 'deleteNode') {
			this.prevSummary.delete(args[0] as string);
			this.prevNames.delete(args[0] as string);
		}

		return {op, time, args} as unknown as Input;
	}
}
