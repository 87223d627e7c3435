/**
 * The pod index: every pod key in namespace/name order (a pod's *base index* is its position),
 * the same keys in pod-name order, each pod's history slot, and its current record. Kept up to
 * date by merging: when a few pods come and go, the survivors stay in order and only the
 * newcomers are sorted, so 150,000 strings are not sorted again.
 */
import {holdsMemory} from '../memory/pod-state.js';
import type {PodRecord} from '../model/index.js';
import type {Source} from './source.js';

export interface PodBase {
	/** pod keys in namespace/name order; a pod's base index is its position here */
	keys: string[];
	/** the same keys in pod-name order (ties by key), and their names */
	byName: string[];
	names: string[];
	recs: PodRecord[];
	/** history slot of each pod (for the working-set column without map lookups) */
	slots: Int32Array;
	all: Uint32Array;
	recsTag: number;
	/** 1 where the pod holds memory (not finished), per base index; follows recs */
	live: Uint8Array;
	/** when built from the previous base by merging: each row's index there (-1: new) */
	from: {base: PodBase; index: Int32Array} | null;
}

/** every pod on the same node in both record lists (same base order) */
export function sameNodes(a: readonly PodRecord[], b: readonly PodRecord[]): boolean {
	for (let i = 0; i < b.length; i++) if (a[i] !== b[i] && a[i]!.nodeName !== b[i]!.nodeName) return false;
	return true;
}

/** position of `key` in the sorted `keys`, -1 when absent (binary search) */
export function findKey(keys: readonly string[], key: string): number {
	let lo = 0;
	let hi = keys.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >>> 1;
		const k = keys[mid]!;
		if (k === key) return mid;
		if (k < key) lo = mid + 1;
		else hi = mid - 1;
	}

	return -1;
}

function podName(key: string): string {
	return key.slice(key.indexOf('/') + 1);
}

function byNameThenKey(a: string, b: string): number {
	const x = podName(a);
	const y = podName(b);
	if (x !== y) return x < y ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

function byKey(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function finishBase(keys: string[], slots: Int32Array, byName: string[], names: string[], from: PodBase['from']): PodBase {
	const all = new Uint32Array(keys.length);
	for (let i = 0; i < all.length; i++) all[i] = i;
	return {keys, byName, names, recs: [], live: new Uint8Array(0), slots, all, recsTag: -1, from};
}

export class PodIndex {
	private value: PodBase | null = null;
	private tag = -1;
	private indexCache: {base: PodBase; index: Map<string, number>} | null = null;
	private textCache: {base: PodBase; joined: string; offsets: Uint32Array} | null = null;

	constructor(private readonly src: Source) {}

	/** the index for the current snapshot, records and live flags included */
	base(): PodBase {
		const snap = this.src.snap;
		const prev = this.value;
		if (!prev || this.tag !== snap.podSet) {
			this.value = this.buildBase(prev, this.tag);
			this.tag = snap.podSet;
		}

		const b = this.value!;
		if (b.recsTag !== snap.pods) {
			b.recs = this.records(b);
			b.recsTag = snap.pods;
		}

		return b;
	}

	/**
	 * Each base index's current record (a new list: readers compare the old one) and live flag: the
	 * previous list with only the pods changed since put in (a few pods changing at 150k cost a
	 * lookup each, not 150,000), or all of them looked up.
	 */
	private records(b: PodBase): PodRecord[] {
		const pods = this.src.store.pods;
		const n = b.keys.length;
		const changed = b.recsTag >= 0 && b.recs.length === n && b.live.length === n ? this.src.store.podChangesSince(b.recsTag) : null;
		if (changed !== null && changed.length <= Math.max(64, n / 8)) {
			const recs = b.recs.slice();
			for (const key of new Set(changed)) {
				const i = findKey(b.keys, key);
				const r = i < 0 ? undefined : pods.get(key);
				if (r === undefined) continue;
				recs[i] = r;
				b.live[i] = holdsMemory(r) ? 1 : 0;
			}

			return recs;
		}

		const recs = new Array<PodRecord>(n);
		const live = b.live.length === n ? b.live : new Uint8Array(n);
		for (let i = 0; i < n; i++) {
			const r = pods.get(b.keys[i]!)!;
			recs[i] = r;
			live[i] = holdsMemory(r) ? 1 : 0;
		}

		b.live = live;
		return recs;
	}

	/** base index of a key, undefined when absent */
	find(key: string): number | undefined {
		const i = findKey(this.base().keys, key);
		return i < 0 ? undefined : i;
	}

	/** all pod keys in base order as one string with offsets, for fast filtering */
	text(b: PodBase): {joined: string; offsets: Uint32Array} {
		if (this.textCache?.base !== b) {
			const offsets = new Uint32Array(b.keys.length + 1);
			let at = 0;
			for (let i = 0; i < b.keys.length; i++) {
				offsets[i] = at;
				at += b.keys[i]!.length + 1;
			}

			offsets[b.keys.length] = at;
			this.textCache = {base: b, joined: b.keys.join('\n') + '\n', offsets};
		}

		return this.textCache;
	}

	/**
	 * The key orders, kept up to date by merging: when a few pods come and go, the survivors stay
	 * in order and only the newcomers are sorted, so 150,000 strings are not sorted again.
	 */
	private buildBase(prev: PodBase | null, prevTag: number): PodBase {
		const pods = this.src.store.pods;
		const changes = prev ? this.src.store.podSetChangesSince(prevTag) : null;
		if (!prev || changes === null || changes.length > Math.max(64, pods.size / 4)) {
			const keys = [...pods.keys()].sort(byKey);
			const byName = [...keys].sort(byNameThenKey);
			const slots = new Int32Array(keys.length);
			for (let i = 0; i < keys.length; i++) slots[i] = this.src.store.podSlot(keys[i]!) ?? -1;
			return finishBase(keys, slots, byName, byName.map(podName), null);
		}

		// Net effect per key: first and last operation tell whether it was there before and is now.
		const first = new Map<string, string>();
		const last = new Map<string, string>();
		for (const c of changes) {
			const key = c.slice(1);
			if (!first.has(key)) first.set(key, c[0]!);
			last.set(key, c[0]!);
		}

		const added: string[] = [];
		const removed = new Set<string>();
		const replaced: string[] = []; // removed and added again: same place, a new history slot
		for (const [key, f] of first) {
			const l = last.get(key);
			if (f === '+' && l === '+') added.push(key);
			else if (f === '-' && l === '-') removed.add(key);
			else if (f === '-' && l === '+') replaced.push(key);
		}

		// Survivors keep their order and slots; newcomers are sorted among themselves and merged in.
		let keptKeys = prev.keys;
		let keptSlots: ArrayLike<number> = prev.slots;
		let keptIndex: number[] | null = null; // null: identity
		let keptByName = prev.byName;
		let keptNames = prev.names;
		if (removed.size > 0) {
			const k: string[] = [];
			const sl: number[] = [];
			keptIndex = [];
			for (let i = 0; i < prev.keys.length; i++) {
				if (removed.has(prev.keys[i]!)) continue;
				k.push(prev.keys[i]!);
				sl.push(prev.slots[i]!);
				keptIndex.push(i);
			}

			const bn: string[] = [];
			const nm: string[] = [];
			for (let i = 0; i < prev.byName.length; i++) {
				if (removed.has(prev.byName[i]!)) continue;
				bn.push(prev.byName[i]!);
				nm.push(prev.names[i]!);
			}

			keptKeys = k;
			keptSlots = sl;
			keptByName = bn;
			keptNames = nm;
		}

		added.sort(byKey);
		const n = keptKeys.length + added.length;
		const keys = new Array<string>(n);
		const slots = new Int32Array(n);
		const fromIndex = new Int32Array(n);
		{
			let i = 0;
			let j = 0;
			for (let o = 0; o < n; o++) {
				if (j >= added.length || (i < keptKeys.length && keptKeys[i]! <= added[j]!)) {
					keys[o] = keptKeys[i]!;
					slots[o] = keptSlots[i]!;
					fromIndex[o] = keptIndex === null ? i : keptIndex[i]!;
					i++;
				} else {
					keys[o] = added[j]!;
					slots[o] = this.src.store.podSlot(added[j]!) ?? -1;
					fromIndex[o] = -1;
					j++;
				}
			}
		}

		for (const key of replaced) {
			const i = findKey(keys, key);
			if (i >= 0) slots[i] = this.src.store.podSlot(key) ?? -1;
		}

		const addedByName = [...added].sort(byNameThenKey);
		const addedNames = addedByName.map(podName);
		const byName = new Array<string>(n);
		const names = new Array<string>(n);
		{
			let i = 0;
			let j = 0;
			for (let o = 0; o < n; o++) {
				const takeKept =
					j >= addedByName.length ||
					(i < keptByName.length && (keptNames[i]! < addedNames[j]! || (keptNames[i] === addedNames[j] && keptByName[i]! <= addedByName[j]!)));
				if (takeKept) {
					byName[o] = keptByName[i]!;
					names[o] = keptNames[i]!;
					i++;
				} else {
					byName[o] = addedByName[j]!;
					names[o] = addedNames[j]!;
					j++;
				}
			}
		}

		// one step of ancestry only: older bases can go
		prev.from = null;
		return finishBase(keys, slots, byName, names, {base: prev, index: fromIndex});
	}

	/** pod key → base index */
	indexMap(b: PodBase): Map<string, number> {
		if (this.indexCache?.base !== b) {
			const index = new Map<string, number>();
			for (let i = 0; i < b.keys.length; i++) index.set(b.keys[i]!, i);
			this.indexCache = {base: b, index};
		}

		return this.indexCache.index;
	}

}
