/**
 * A node's Summary in columns: the figures of every pod and container breakdown, one column per
 * field, each figure its change since the same breakdown in the node's previous Summary (delta.ts;
 * bytes in pages). A column of small, similar numbers compresses some ten times better than the
 * same figures as JSON objects. The cache figure is stored as its difference from usage − rss
 * (which it is, as the door computes it): 0. A Summary of another shape (a field the door does not
 * write, rates already set) is left to the generic delta instead (null from `encodeColumns`).
 */
import type {MemoryBreakdown, NodeSummary, SummaryState} from '../model/index.js';
import {deltaDecode, deltaEncode, pageCode, pageDecode} from './delta.js';

const fields = 17;
const breakdownKeys = 'workingSetBytes,usageBytes,rssBytes,cacheBytes,swapBytes,pageFaults,majorPageFaults,psi,rates,time';
/** the fields written as a change in pages (bytes), and as a plain change (counters, times) */
const byteFields = new Set([0, 1, 2, 4]);
const countFields = new Set([5, 6, 11, 15, 16]);

const whole = Number.isSafeInteger;
const derivedCache = (b: {usageBytes: number | null; rssBytes: number | null}): number | null => (b.usageBytes !== null && b.rssBytes !== null ? Math.max(0, b.usageBytes - b.rssBytes) : null);

function row(b: MemoryBreakdown | undefined): Array<number | null> | null {
	if (!b) return null;
	const p = b.psi;
	const cache = derivedCache(b);
	return [
		b.workingSetBytes,
		b.usageBytes,
		b.rssBytes,
		b.cacheBytes === null ? null : cache !== null && whole(b.cacheBytes) ? b.cacheBytes - cache : b.cacheBytes,
		b.swapBytes,
		b.pageFaults,
		b.majorPageFaults,
		p === null ? 0 : 1,
		p?.some.avg10 ?? 0,
		p?.some.avg60 ?? 0,
		p?.some.avg300 ?? 0,
		p?.some.total ?? 0,
		p?.full.avg10 ?? 0,
		p?.full.avg60 ?? 0,
		p?.full.avg300 ?? 0,
		p?.full.total ?? 0,
		b.time,
	];
}

function enc(prev: number | null | undefined, cur: number | null, j: number): unknown {
	if (cur === null || prev === null || prev === undefined || !whole(prev) || !whole(cur) || !(byteFields.has(j) || countFields.has(j))) return cur;
	const d = cur - prev;
	const e = byteFields.has(j) ? pageCode(d) : d;
	return whole(d) && whole(e) ? e : {$abs: cur};
}

function dec(prev: number | null | undefined, e: unknown, j: number): number | null {
	if (e === null) return null;
	if (typeof e === 'object') return (e as {$abs: number}).$abs;
	const v = e as number;
	if (prev === null || prev === undefined || !whole(prev) || !whole(v) || !(byteFields.has(j) || countFields.has(j))) return v;
	return prev + (byteFields.has(j) ? pageDecode(v) : v);
}

/** `e` written against `base` (both whole numbers: their difference; else `e` as it is) */
const relative = (e: unknown, base: unknown): unknown => (typeof e === 'number' && typeof base === 'number' && whole(e) && whole(base) ? e - base : e);
const absolute = (w: unknown, base: unknown): unknown => (typeof w === 'number' && typeof base === 'number' && whole(w) && whole(base) ? w + base : w);

function breakdownOf(r: Array<number | null>): MemoryBreakdown {
	const usage = r[1]!;
	const rss = r[2]!;
	const cache = derivedCache({usageBytes: usage, rssBytes: rss});
	const c = r[3]!;
	return {
		workingSetBytes: r[0]!,
		usageBytes: usage,
		rssBytes: rss,
		cacheBytes: c === null ? null : cache !== null && whole(c) ? cache + c : c,
		swapBytes: r[4]!,
		pageFaults: r[5]!,
		majorPageFaults: r[6]!,
		psi: r[7] === 1 ? {some: {avg10: r[8]!, avg60: r[9]!, avg300: r[10]!, total: r[11]!}, full: {avg10: r[12]!, avg60: r[13]!, avg300: r[14]!, total: r[15]!}} : null,
		rates: null,
		time: r[16]!,
	};
}

/** every figure below 2^50 (a petabyte): no difference of differences leaves the safe integers */
const small = (b: MemoryBreakdown): boolean => [b.workingSetBytes, b.usageBytes, b.rssBytes, b.cacheBytes, b.swapBytes, b.pageFaults, b.majorPageFaults, b.time, b.psi?.some.total, b.psi?.full.total].every(v => v === null || v === undefined || Math.abs(v) < 2 ** 50 || !Number.isFinite(v));
const plain = (b: MemoryBreakdown): boolean => b.rates === null && small(b) && Object.keys(b).join(',') === breakdownKeys && (b.psi === null || (Object.keys(b.psi).join(',') === 'some,full' && Object.keys(b.psi.some).join(',') === 'avg10,avg60,avg300,total' && Object.keys(b.psi.full).join(',') === 'avg10,avg60,avg300,total'));

type Ref = (s: string) => string | number;

/** the columns of an 'ok' Summary against the node's previous state; null: not of the door's shape */
export function encodeColumns(prevState: unknown, state: SummaryState, ref: Ref): {head: unknown; pods: unknown[]; cols: unknown[][]} | null {
	if (state.status !== 'ok') return null;
	const s = state.summary;
	const prev = (prevState as SummaryState | undefined)?.status === 'ok' ? (prevState as {summary: NodeSummary}).summary : null;
	const names: unknown[] = [];
	const cols: unknown[][] = Array.from({length: fields}, () => []);
	// the shape first: a fallback must not have named refs the reader never sees
	for (const p of s.pods.values()) {
		if (!plain(p.total)) return null;
		for (const c of p.containers.values()) if (!plain(c)) return null;
	}

	const put = (cur: MemoryBreakdown, old: MemoryBreakdown | undefined, like: unknown[] | null): unknown[] => {
		const r = row(cur)!;
		const o = row(old);
		const out: unknown[] = [];
		for (let j = 0; j < fields; j++) {
			const d = enc(o?.[j], r[j]!, j);
			// usage and RSS move with the working set: their change as the difference from its change
			const e = j === 1 || j === 2 ? relative(d, out[0]) : d;
			out.push(j === 0 ? d : e);
			cols[j]!.push(like !== null ? relative(e, like[j]) : e);
		}

		return out;
	};

	for (const [key, p] of s.pods) {
		const old = prev?.pods.get(key);
		// refs in the order the reader meets them: the pod, then its containers
		const entry: [unknown, unknown[]] = [ref(key), []];
		const total = put(p.total, old?.total, null);
		// a sole container moves with its pod: its figures as their difference from the pod's
		const like = p.containers.size === 1 ? total : null;
		for (const [name, c] of p.containers) {
			entry[1].push(ref(name));
			put(c, old?.containers.get(name), like);
		}

		names.push(entry);
	}

	const {pods: _pods, ...head} = s;
	const prevHead = prev ? (({pods: _p, ...h}) => h)(prev) : undefined;
	return {head: deltaEncode(prevHead, head), pods: names, cols};
}

/** the Summary state back from its columns and the node's previous state */
export function decodeColumns(prevState: unknown, v: {head: unknown; pods: Array<[unknown, unknown[]]>; cols: unknown[][]}, deref: (r: unknown) => string): SummaryState {
	const prev = (prevState as SummaryState | undefined)?.status === 'ok' ? (prevState as {summary: NodeSummary}).summary : null;
	const prevHead = prev ? (({pods: _p, ...h}) => h)(prev) : undefined;
	const head = deltaDecode(prevHead, v.head) as Omit<NodeSummary, 'pods'>;
	const pods: NodeSummary['pods'] = new Map();
	let i = 0;
	let encoded: unknown[] = [];
	const take = (old: MemoryBreakdown | undefined, like: unknown[] | null): MemoryBreakdown => {
		const o = row(old);
		const r: Array<number | null> = [];
		encoded = [];
		for (let j = 0; j < fields; j++) {
			const e = like !== null ? absolute(v.cols[j]![i], like[j]) : v.cols[j]![i];
			encoded.push(e);
			r.push(dec(o?.[j], j === 1 || j === 2 ? absolute(e, encoded[0]) : e, j));
		}

		i++;
		return breakdownOf(r);
	};

	for (const [ref, cs] of v.pods) {
		const key = deref(ref);
		const old = prev?.pods.get(key);
		const total = take(old?.total, null);
		const like = cs.length === 1 ? encoded : null;
		const containers = new Map<string, MemoryBreakdown>();
		for (const c of cs) {
			const name = deref(c);
			containers.set(name, take(old?.containers.get(name), like));
		}

		pods.set(key, {total, containers});
	}

	return {status: 'ok', summary: {...head, pods}};
}
