/**
 * The OOM / eviction feed: a bounded, newest-first list of memory deaths and node memory
 * incidents, fed from pod status changes, Events and node conditions. Pure: no I/O, no timers,
 * every time comes from the caller.
 *
 * Sources and what they become:
 * - pod status (`observePod`): a container termination with reason OOMKilled (app, init or
 *   sidecar; `lastState` after a restart, or `state.terminated` now) → 'OOMKilled'; exit code 137
 *   or signal 9 without OOMKilled → 'Killed' (a SIGKILL, not an OOM; not reported for pods being
 *   deleted or evicted); a pod turning Failed/Evicted → 'Evicted'. On the first sighting of a pod
 *   (no previous record, e.g. the initial list) terminations that finished within the last hour
 *   are reported too, so a snapshot shows recent history.
 * - Events (`observeEvent`): Evicted, OOMKilling (node-problem-detector), SystemOOM (kubelet),
 *   EvictionThresholdMet, NodeHasInsufficientMemory; every other reason is ignored, and so are
 *   EvictionThresholdMet events about resources other than memory.
 * - node conditions (`observeNode`): MemoryPressure turning on ('MemoryPressure') and off
 *   ('MemoryPressureCleared').
 *
 * One incident seen through several sources is one entry (`sources` lists them):
 * - an Evicted Event and the pod's Evicted status: same pod, within ±2 min;
 * - a SystemOOM and an OOMKilling Event naming the same pid on the same node;
 * - a node OOM Event and a container's OOMKilled status on a pod of that node within ±2 min, when
 *   the victim process has the container's name (kernel names are cut to 15 characters) or, failing
 *   that, when it is the only candidate on either side;
 * - a NodeHasInsufficientMemory Event and the node's MemoryPressure turning on, within ±2 min.
 * An Event seen again with a higher count bumps the entry's `count`.
 *
 * Flags: 'repeated-oom' on an OOMKilled entry when its container (namespace/pod/container) has more
 * than 3 OOM kills within the hour up to it; 'mass-eviction' on an Evicted entry when more than 10
 * pods were evicted cluster-wide within the 30 minutes up to it.
 */
import {isSigkillNotOom} from '../memory/recommend.js';
import {stallEpisode} from '../memory/pressure.js';
import type {EventRecord, FeedEntry, FeedKind, MemoryPsi, NodeRecord, PodRecord, Termination} from '../model/index.js';

export const feedRules = {
	capacity: 500,
	/** how far apart two sightings of one incident may be */
	mergeWindowMs: 2 * 60_000,
	/** on a first sighting, terminations this recent are reported */
	firstSightingWindowMs: 60 * 60_000,
	repeatedOomWindowMs: 60 * 60_000,
	/** more than this many OOM kills of one container in the window */
	repeatedOomMoreThan: 3,
	massEvictionWindowMs: 30 * 60_000,
	/** more than this many evictions cluster-wide in the window */
	massEvictionMoreThan: 10,
} as const;

const eventReasons = new Set(['Evicted', 'OOMKilling', 'SystemOOM', 'EvictionThresholdMet', 'NodeHasInsufficientMemory']);
const combinedPrefix = /^\(combined from similar events\):\s*/;
const killedProcess = /Killed process (\d+) \((.*?)\)/;
const systemOomVictim = /victim process: (.*?), pid: (\d+)/;
const containerFieldPath = /^spec\.(?:initContainers|containers|ephemeralContainers)\{(.+)\}$/;

/** What the kubelet's eviction message says (pkg/kubelet/eviction/helpers.go formats). */
function isEvicted(p: PodRecord): boolean {
	return p.phase === 'Failed' && p.reason === 'Evicted';
}

function terminationId(uid: string, container: string, t: Termination, restarts: number): string {
	const at = t.finishedAt ?? t.startedAt ?? `r${restarts}`;
	return `${uid}/${container}/${at}/${t.reason}/${t.exitCode}`;
}

/** Kernel process names (comm) are at most 15 characters. */
function processMatchesContainer(proc: string, container: string): boolean {
	if (proc === '' || container === '') return false;
	if (proc === container) return true;
	return proc.length === 15 && container.startsWith(proc);
}

type Entry = FeedEntry & {seq: number; process: string; pid: string};

export class Feed {
	/** bumps on every change */
	version = 0;
	readonly capacity: number;
	private readonly list: Entry[] = [];
	private readonly byId = new Map<string, Entry>();
	private readonly eventCounts = new Map<string, {entry: Entry; count: number}>();
	private readonly emitted = new Set<string>();
	private sorted: FeedEntry[] | null = [];
	private seq = 0;
	private lastNow = 0;

	/** pods in a MemoryStall episode */
	private readonly stalled = new Set<string>();

	constructor(opts?: {capacity?: number}) {
		this.capacity = Math.max(1, Math.floor(opts?.capacity ?? feedRules.capacity));
	}

	/** Newest first. The array is replaced (not mutated) when the feed changes. */
	entries(): readonly FeedEntry[] {
		if (this.sorted === null) {
			// flags are worked out here, not at every change: a burst of a thousand watch lines in one
			// turn recomputed them a thousand times (225 ms at 150k pods)
			this.recomputeFlags();
			this.sorted = [...this.list]
				.sort((a, b) => b.time - a.time || b.seq - a.seq)
				.map(({seq: _seq, process: _process, pid: _pid, ...entry}) => ({...entry, sources: [...entry.sources], flags: [...entry.flags]}));
		}

		return this.sorted;
	}

	get size(): number {
		return this.list.length;
	}

	observePod(prev: PodRecord | undefined, next: PodRecord, now: number): void {
		if (prev === next) return;
		if (now > this.lastNow) this.lastNow = now;
		const firstSighting = prev === undefined;
		const evicted = isEvicted(next);
		let changed = false;

		if (evicted && !(prev !== undefined && isEvicted(prev))) {
			let time: number | null = now;
			if (firstSighting) {
				time = null;
				for (const c of next.containers) {
					const f = c.currentTermination?.finishedAt ?? null;
					if (f !== null && (time === null || f > time)) time = f;
				}

				if (time !== null && now - time > feedRules.firstSightingWindowMs) time = null;
			}

			const id = `evicted:${next.uid}`;
			if (time !== null && !this.emitted.has(id)) {
				this.remember(id);
				changed = this.addOrMerge(
					{
						id,
						time,
						kind: 'Evicted',
						namespace: next.namespace,
						pod: next.name,
						container: '',
						node: next.nodeName,
						init: false,
						exitCode: null,
						reason: 'Evicted',
						message: next.message,
						count: 1,
						sources: ['status'],
						flags: [],
					},
					(e) => e.kind === 'Evicted' && e.namespace === next.namespace && e.pod === next.name && !e.sources.includes('status'),
				) || changed;
			}
		}

		for (const c of next.containers) {
			const prevC = prev?.containers.find((x) => x.name === c.name);
			for (const t of [c.currentTermination, c.lastTermination]) {
				if (t === null) continue;
				const oom = t.reason === 'OOMKilled';
				if (!oom && !isSigkillNotOom(t)) continue;
				if (!oom && (evicted || next.deleting)) continue;
				const tid = terminationId(next.uid, c.name, t, c.restarts);
				if (this.emitted.has(tid)) continue;
				let time: number;
				if (firstSighting) {
					if (t.finishedAt === null || now - t.finishedAt > feedRules.firstSightingWindowMs) continue;
					time = t.finishedAt;
				} else {
					const before = [prevC?.currentTermination ?? null, prevC?.lastTermination ?? null];
					if (prevC && before.some((b) => b !== null && terminationId(next.uid, c.name, b, prevC.restarts) === tid)) continue;
					time = t.finishedAt ?? now;
				}

				this.remember(tid);
				const kind: FeedKind = oom ? 'OOMKilled' : 'Killed';
				const entry = {
					id: `${kind === 'OOMKilled' ? 'oom' : 'killed'}:${tid}`,
					time,
					kind,
					namespace: next.namespace,
					pod: next.name,
					container: c.name,
					node: next.nodeName,
					init: c.kind !== 'app',
					exitCode: t.exitCode,
					reason: t.reason === '' ? kind : t.reason,
					message: t.message,
					count: 1,
					sources: ['status'],
					flags: [],
				};
				if (oom) changed = this.addStatusOom(entry) || changed;
				else changed = this.add(entry) || changed;
			}
		}

		if (changed) this.changed();
	}

	/** `now` is used only when the Event carries no time. */
	observeEvent(e: EventRecord, now?: number): void {
		if (!eventReasons.has(e.reason)) return;
		const message = e.message.replace(combinedPrefix, '');
		if (e.reason === 'EvictionThresholdMet' && message !== '' && !/memory/i.test(message)) return;
		const count = Math.max(1, e.count || 1);
		const seen = this.eventCounts.get(e.uid);
		if (seen) {
			if (this.byId.get(seen.entry.id) !== seen.entry) return; // dropped for capacity
			if (count > seen.count) {
				seen.entry.count += count - seen.count;
				seen.count = count;
				const t = e.lastTime || e.firstTime;
				if (t > seen.entry.time) seen.entry.time = t;
				this.changed();
			}

			return;
		}

		const time = e.lastTime || e.firstTime || now || this.lastNow;
		const onNode = e.involvedKind === 'Node';
		const containerMatch = containerFieldPath.exec(e.fieldPath);
		const base: FeedEntry = {
			id: `event:${e.uid}`,
			time,
			kind: e.reason as FeedKind,
			namespace: onNode ? '' : e.namespace,
			pod: onNode ? '' : e.name,
			container: containerMatch?.[1] ?? '',
			node: onNode ? e.name : '',
			init: e.fieldPath.startsWith('spec.initContainers'),
			exitCode: null,
			reason: e.reason,
			message,
			count,
			sources: ['event'],
			flags: [],
		};

		let entry: Entry | null = null;
		let changed = false;
		switch (e.reason) {
			case 'Evicted': {
				const r = this.addOrMergeReturning(
					base,
					(x) => x.kind === 'Evicted' && x.namespace === base.namespace && x.pod === base.pod && !x.sources.includes('event'),
					(x) => {
						if (x.message === '') x.message = message;
					},
				);
				entry = r.entry;
				changed = r.changed;
				break;
			}

			case 'OOMKilling':
			case 'SystemOOM': {
				let pid = '';
				let proc = '';
				const k = killedProcess.exec(message);
				const v = systemOomVictim.exec(message);
				if (k) {
					pid = k[1]!;
					proc = k[2]!;
				} else if (v) {
					proc = v[1]!;
					pid = v[2]!;
				}

				if (!onNode) {
					// An OOM Event on a pod: the same incident as the container's OOMKilled status.
					const r = this.addOrMergeReturning(
						{...base, kind: 'OOMKilled'},
						(x) => x.kind === 'OOMKilled' && x.namespace === base.namespace && x.pod === base.pod && (base.container === '' || x.container === base.container) && !x.sources.includes('event'),
					);
					entry = r.entry;
					changed = r.changed;
					break;
				}

				const nodeKey = pid === '' ? '' : `nodeoom:${e.name}:${pid}`;
				const same = nodeKey === '' ? undefined : this.byId.get(nodeKey);
				if (same) {
					// SystemOOM and OOMKilling about the same kill.
					entry = same;
					if (!same.sources.includes('event')) same.sources.push('event');
					if (same.message === '') same.message = message;
					changed = true;
					break;
				}

				const r = this.addNodeOom({...base, id: nodeKey || base.id}, proc, pid);
				if (nodeKey !== '' && r.entry.id !== nodeKey) this.byId.set(nodeKey, r.entry);
				entry = r.entry;
				changed = r.changed;
				break;
			}

			case 'NodeHasInsufficientMemory': {
				const r = this.addOrMergeReturning(base, (x) => x.kind === 'MemoryPressure' && x.node === base.node && !x.sources.includes('event'));
				entry = r.entry;
				changed = r.changed;
				break;
			}

			default: {
				const r = this.addOrMergeReturning(base, () => false);
				entry = r.entry;
				changed = r.changed;
			}
		}

		if (entry) this.eventCounts.set(e.uid, {entry, count});
		this.trimEventCounts();
		if (changed) this.changed();
	}

	observeNode(prev: NodeRecord | undefined, next: NodeRecord, now: number): void {
		if (prev === next) return;
		if (now > this.lastNow) this.lastNow = now;
		const was = prev?.memoryPressure ?? false;
		if (next.memoryPressure === was) return;
		const on = next.memoryPressure;
		const time = next.memoryPressureSince ?? now;
		const kind: FeedKind = on ? 'MemoryPressure' : 'MemoryPressureCleared';
		const id = `${on ? 'mp' : 'mpc'}:${next.name}:${time}`;
		if (this.emitted.has(id)) return;
		this.remember(id);
		const entry: FeedEntry = {
			id,
			time,
			kind,
			namespace: '',
			pod: '',
			container: '',
			node: next.name,
			init: false,
			exitCode: null,
			reason: kind,
			message: on ? 'MemoryPressure=True' : 'MemoryPressure=False',
			count: 1,
			sources: ['node'],
			flags: [],
		};
		const changed = on
			? this.addOrMerge(entry, (x) => x.kind === 'NodeHasInsufficientMemory' && x.node === next.name && !x.sources.includes('node'), (x) => {
					x.kind = 'MemoryPressure';
				})
			: this.add(entry);
		if (changed) this.changed();
	}

	/**
	 * A pod under sustained full memory stall (memory/pressure.ts `stallEpisode`): one MemoryStall
	 * entry when the episode starts; none again until it has ended.
	 */
	observeStall(pod: {namespace: string; name: string; node: string}, psi: MemoryPsi | null, time: number): void {
		const key = `${pod.namespace}/${pod.name}`;
		const was = this.stalled.has(key);
		const now = stallEpisode(psi, was);
		if (now === was) return;
		if (!now) {
			this.stalled.delete(key);
			return;
		}

		this.stalled.add(key);
		const entry: FeedEntry = {
			id: `stall:${key}:${time}`,
			time,
			kind: 'MemoryStall',
			namespace: pod.namespace,
			pod: pod.name,
			container: '',
			node: pod.node,
			init: false,
			exitCode: null,
			reason: 'MemoryStall',
			message: `all tasks stalled on memory ${psi!.full.avg60.toFixed(1)} % of the last 60 s (full), ${psi!.some.avg10.toFixed(1)} % of the last 10 s (some)`,
			count: 1,
			sources: ['summary'],
			flags: [],
		};
		if (this.add(entry)) this.changed();
	}

	/** the pod is in a MemoryStall episode now */
	isStalled(podKey: string): boolean {
		return this.stalled.has(podKey);
	}

	/** a pod that is gone can start a new episode if it comes back */
	forgetStall(podKey: string): void {
		this.stalled.delete(podKey);
	}

	// --- internals --------------------------------------------------------------------------

	/** the entries are sorted and flagged again when next read (entries()) */
	private changed(): void {
		this.sorted = null;
		this.version++;
	}

	private remember(id: string): void {
		this.emitted.add(id);
		if (this.emitted.size > this.capacity * 8) {
			const first = this.emitted.values().next().value;
			if (first !== undefined) this.emitted.delete(first);
		}
	}

	private trimEventCounts(): void {
		if (this.eventCounts.size <= this.capacity * 4) return;
		for (const [uid, v] of this.eventCounts) {
			if (this.eventCounts.size <= this.capacity * 4) break;
			if (!this.byId.has(v.entry.id)) this.eventCounts.delete(uid);
		}

		while (this.eventCounts.size > this.capacity * 4) {
			const first = this.eventCounts.keys().next().value;
			if (first === undefined) break;
			this.eventCounts.delete(first);
		}
	}

	private near(a: number, b: number): boolean {
		return Math.abs(a - b) <= feedRules.mergeWindowMs;
	}

	private add(e: FeedEntry, process = '', pid = ''): boolean {
		return this.insert(e, process, pid) !== null;
	}

	private insert(e: FeedEntry, process = '', pid = ''): Entry | null {
		if (this.byId.has(e.id)) return null;
		const entry: Entry = {...e, sources: [...e.sources], flags: [], seq: this.seq++, process, pid};
		this.list.push(entry);
		this.byId.set(entry.id, entry);
		this.evict();
		return this.byId.has(entry.id) ? entry : null;
	}

	/** Drop the oldest entries beyond capacity. */
	private evict(): void {
		if (this.list.length <= this.capacity) return;
		this.list.sort((a, b) => a.time - b.time || a.seq - b.seq);
		const drop = new Set(this.list.splice(0, this.list.length - this.capacity));
		// one pass over the ids (an entry can have several: merged sightings), not one per entry dropped
		for (const [id, v] of this.byId) if (drop.has(v)) this.byId.delete(id);
	}

	private addOrMerge(e: FeedEntry, match: (x: Entry) => boolean, onMerge?: (x: Entry) => void): boolean {
		return this.addOrMergeReturning(e, match, onMerge).changed;
	}

	private addOrMergeReturning(e: FeedEntry, match: (x: Entry) => boolean, onMerge?: (x: Entry) => void): {entry: Entry | null; changed: boolean} {
		const existing = this.byId.get(e.id);
		if (existing) return {entry: existing, changed: false};
		let best: Entry | null = null;
		for (const x of this.list) {
			if (!this.near(x.time, e.time) || !match(x)) continue;
			if (best === null || Math.abs(x.time - e.time) < Math.abs(best.time - e.time)) best = x;
		}

		if (best) {
			this.mergeInto(best, e);
			onMerge?.(best);
			this.byId.set(e.id, best);
			return {entry: best, changed: true};
		}

		const entry = this.insert(e);
		return {entry, changed: entry !== null};
	}

	private mergeInto(target: Entry, e: FeedEntry): void {
		for (const s of e.sources) if (!target.sources.includes(s)) target.sources.push(s);
		if (target.node === '') target.node = e.node;
		if (target.container === '' && e.container !== '') {
			target.container = e.container;
			target.init = e.init;
		}

		if (target.exitCode === null) target.exitCode = e.exitCode;
		if (target.message === '') target.message = e.message;
		if (e.count > target.count) target.count = e.count;
	}

	/** A container's OOMKilled from status: merge with an unattributed node OOM Event if one fits. */
	private addStatusOom(e: FeedEntry): boolean {
		if (this.byId.has(e.id)) return false;
		if (e.node !== '') {
			const candidates = this.list.filter((x) => (x.kind === 'SystemOOM' || x.kind === 'OOMKilling') && x.pod === '' && x.node === e.node && this.near(x.time, e.time));
			const named = candidates.filter((x) => processMatchesContainer(x.process, e.container));
			const pick = named.length > 0 ? named : candidates;
			if (pick.length === 1 || (named.length > 0 && pick.length >= 1)) {
				const target = pick.reduce((a, b) => (Math.abs(a.time - e.time) <= Math.abs(b.time - e.time) ? a : b));
				this.attribute(target, e);
				return true;
			}
		}

		return this.add(e);
	}

	/** A node OOM Event: merge into a container's OOMKilled status entry if one fits. */
	private addNodeOom(e: FeedEntry, process: string, pid: string): {entry: Entry; changed: boolean} {
		const existing = this.byId.get(e.id);
		if (existing) return {entry: existing, changed: false};
		const candidates = this.list.filter((x) => x.kind === 'OOMKilled' && x.node === e.node && x.sources.includes('status') && x.pid === '' && this.near(x.time, e.time));
		const named = candidates.filter((x) => processMatchesContainer(process, x.container));
		const pick = named.length > 0 ? named : candidates.length === 1 ? candidates : [];
		if (pick.length > 0) {
			const target = pick.reduce((a, b) => (Math.abs(a.time - e.time) <= Math.abs(b.time - e.time) ? a : b));
			if (!target.sources.includes('event')) target.sources.push('event');
			if (target.message === '') target.message = e.message;
			if (e.count > target.count) target.count = e.count;
			target.process = process;
			target.pid = pid === '' ? '?' : pid;
			this.byId.set(e.id, target);
			return {entry: target, changed: true};
		}

		const entry = this.insert(e, process, pid);
		if (entry === null) throw new Error('feed: node OOM entry dropped on insert');
		return {entry, changed: true};
	}

	/** Turn an unattributed node OOM entry into the container's OOMKilled entry. */
	private attribute(target: Entry, e: FeedEntry): void {
		target.kind = 'OOMKilled';
		target.namespace = e.namespace;
		target.pod = e.pod;
		target.container = e.container;
		target.init = e.init;
		target.exitCode = e.exitCode;
		target.reason = e.reason;
		if (e.message !== '') target.message = e.message;
		if (target.pid === '') target.pid = '?';
		for (const s of e.sources) if (!target.sources.includes(s)) target.sources.unshift(s);
		// keep the kernel's time only if the status has none better: status times are the container's
		target.time = e.time;
		this.byId.set(e.id, target);
	}

	private recomputeFlags(): void {
		for (const x of this.list) if (x.flags.length > 0) x.flags = [];
		// repeated-oom: per container, > N OOM kills in the hour up to each entry
		const groups = new Map<string, Entry[]>();
		const evictions: Entry[] = [];
		for (const x of this.list) {
			if (x.kind === 'OOMKilled' && x.pod !== '') {
				const key = `${x.namespace}/${x.pod}/${x.container}`;
				let g = groups.get(key);
				if (!g) groups.set(key, (g = []));
				g.push(x);
			} else if (x.kind === 'Evicted') {
				evictions.push(x);
			}
		}

		const flagWindows = (xs: Entry[], windowMs: number, moreThan: number, flag: string): void => {
			if (xs.length <= moreThan) return;
			xs.sort((a, b) => a.time - b.time || a.seq - b.seq);
			let lo = 0;
			for (let hi = 0; hi < xs.length; hi++) {
				while (xs[hi]!.time - xs[lo]!.time > windowMs) lo++;
				if (hi - lo + 1 > moreThan) xs[hi]!.flags = [...xs[hi]!.flags, flag];
			}
		};

		for (const g of groups.values()) flagWindows(g, feedRules.repeatedOomWindowMs, feedRules.repeatedOomMoreThan, 'repeated-oom');
		flagWindows(evictions, feedRules.massEvictionWindowMs, feedRules.massEvictionMoreThan, 'mass-eviction');
	}
}
