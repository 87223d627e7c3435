/**
 * The door for samples: metrics.k8s.io PodMetrics / NodeMetrics items and kubelet Summary API
 * answers become parsed samples. A malformed item (or Summary pod entry) is skipped and a figure
 * that is not one dropped, each told to a `Faults` (door.ts); the rest of the answer is kept.
 */
import {parseDuration, readBytes} from '../memory/quantity.js';
import type {MemoryBreakdown, MemoryPsi, MetricsSample, NodeSummary, PsiLine} from '../model/index.js';
import {guard, podKey, quiet, time, type Faults} from './door.js';
import {at, item, list, malformed, name, num, obj, path, str, type Raw} from './fields.js';
import {clean, cleanShared} from './sanitize.js';

/** Builds one metrics sample from PodMetrics / NodeMetrics items (metrics.k8s.io v1beta1 or v1), one item at a time. */
export class MetricsBuilder {
	private readonly pods: MetricsSample['pods'] = new Map();
	private readonly nodes: MetricsSample['nodes'] = new Map();
	private latest = 0;
	private windowMs = 0;

	/**
	 * `known`: the key a pod already has (the store's copy of the same string), so the sample holds
	 * no key of its own for a listed pod: at 150,000 pods the keys and their parts were a third of
	 * the sample, and every byte of it is copied by the young-generation collections while it is read.
	 */
	constructor(
		private readonly pollTime: number,
		private readonly faults: Faults = quiet,
		private readonly known: (key: string) => string | undefined = () => undefined,
	) {}

	private stamp(top: Raw): void {
		const t = time(str(top, 'timestamp', ''));
		const w = str(top, 'window', '');
		if (t !== null && t > this.latest) this.latest = t;
		if (!this.windowMs) this.windowMs = parseDuration(w) ?? 0;
	}

	pod(raw: unknown): void {
		guard(this.faults, () => {
			const top = item(raw);
			const meta = obj(top, 'metadata', '');
			const fresh = podKey(str(meta, 'namespace', 'metadata'), name(meta, 'name', 'metadata'));
			const key = this.known(fresh) ?? fresh;
			const items = list(top, 'containers', '');
			let containers: Map<string, number> | OneContainer | null = null;
			let total = 0;
			for (let i = 0; i < items.length; i++) {
				const where = `containers[${i}]`;
				const c = at(items, i, 'containers');
				const v = usage(c, where);
				if (v === null) continue;
				const n = cleanShared(name(c, 'name', where), 128);
				if (containers === null) containers = new OneContainer(n, v);
				else {
					if (containers instanceof OneContainer) containers = new Map(containers.entries());
					containers.set(n, v);
				}

				total += v;
			}

			if (containers === null) return;
			this.stamp(top);
			this.pods.set(key, {workingSetBytes: total, containers});
		});
	}

	node(raw: unknown): void {
		guard(this.faults, () => {
			const top = item(raw);
			const n = clean(name(obj(top, 'metadata', ''), 'name', 'metadata'), 253);
			const v = usage(top, '');
			if (v === null) return;
			this.stamp(top);
			this.nodes.set(n, v);
		});
	}

	done(): MetricsSample {
		return {time: this.latest || this.pollTime, windowMs: this.windowMs, pods: this.pods, nodes: this.nodes};
	}
}

/**
 * The containers of a pod that reports one (most do): what a Map of that one entry says, in a
 * quarter of its bytes (a Map of one is ~190 bytes; at 150,000 pods that was half the sample).
 * Iterating makes the Map, for the few readers that iterate.
 */
class OneContainer implements ReadonlyMap<string, number> {
	constructor(
		private readonly name: string,
		private readonly bytes: number,
	) {}

	get size(): number {
		return 1;
	}

	get(key: string): number | undefined {
		return key === this.name ? this.bytes : undefined;
	}

	has(key: string): boolean {
		return key === this.name;
	}

	forEach(f: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
		f.call(thisArg, this.bytes, this.name, this);
	}

	entries(): MapIterator<[string, number]> {
		return this.asMap().entries();
	}

	keys(): MapIterator<string> {
		return this.asMap().keys();
	}

	values(): MapIterator<number> {
		return this.asMap().values();
	}

	[Symbol.iterator](): MapIterator<[string, number]> {
		return this.asMap().entries();
	}

	private asMap(): Map<string, number> {
		return new Map([[this.name, this.bytes]]);
	}
}

/** `usage.memory` in bytes, null when absent; a working set that is not one leaves the item nothing to show */
function usage(o: Raw, where: string): number | null {
	const v = obj(o, 'usage', where)['memory'];
	const n = readBytes(v);
	return typeof n === 'string' ? malformed(path(where, 'usage.memory'), `is ${n}`) : n;
}

/** a Summary API figure: a number ≥ 0 and ≤ 2^63; null when absent or refused */
function figure(o: Raw, key: string, where: string, faults: Faults): number | null {
	const v = num(o, key, where);
	if (v === null || (v >= 0 && v <= 2 ** 63)) return v;
	faults.reject(`${path(where, key)} ${v}: out of range`);
	return null;
}

function psiLine(o: Raw, where: string, faults: Faults): PsiLine | null {
	const avg = (key: string): number | null => {
		const v = figure(o, key, where, faults);
		if (v === null || v <= 100) return v;
		faults.reject(`${path(where, key)} ${v}: not a share in %`);
		return null;
	};

	const avg10 = avg('avg10');
	const avg60 = avg('avg60');
	const avg300 = avg('avg300');
	const total = figure(o, 'total', where, faults);
	if (avg10 === null || avg60 === null || avg300 === null || total === null) return null;
	return {avg10, avg60, avg300, total};
}

/** `memory.psi` of a Summary API memory block (Kubernetes ≥ 1.34); null when absent, and when malformed (a figure refused, the rest kept) */
function memoryPsi(mem: Raw, where: string, faults: Faults): MemoryPsi | null {
	const figures: Faults = {skip: why => faults.reject(why), reject: why => faults.reject(why)};
	return guard(figures, () => {
		const psi = obj(mem, 'psi', where);
		const pw = path(where, 'psi');
		const some = psiLine(obj(psi, 'some', pw), path(pw, 'some'), faults);
		const full = psiLine(obj(psi, 'full', pw), path(pw, 'full'), faults);
		return some === null || full === null ? null : {some, full};
	});
}

/** the memory and swap blocks of a node, pod or container at `where` */
function breakdown(o: Raw, where: string, fallbackTime: number, faults: Faults): MemoryBreakdown {
	const mem = obj(o, 'memory', where);
	const mw = path(where, 'memory');
	const usage = figure(mem, 'usageBytes', mw, faults);
	const rss = figure(mem, 'rssBytes', mw, faults);
	return {
		workingSetBytes: figure(mem, 'workingSetBytes', mw, faults),
		usageBytes: usage,
		rssBytes: rss,
		cacheBytes: usage !== null && rss !== null ? Math.max(0, usage - rss) : null,
		swapBytes: figure(obj(o, 'swap', where), 'swapUsageBytes', path(where, 'swap'), faults),
		pageFaults: figure(mem, 'pageFaults', mw, faults),
		majorPageFaults: figure(mem, 'majorPageFaults', mw, faults),
		psi: memoryPsi(mem, mw, faults),
		rates: null,
		time: time(str(mem, 'time', mw)) ?? fallbackTime,
	};
}

type PodBreakdown = {total: MemoryBreakdown; containers: Map<string, MemoryBreakdown>};

function podEntry(p: Raw, where: string, pollTime: number, faults: Faults): [string, PodBreakdown] {
	const ref = obj(p, 'podRef', where);
	const rw = path(where, 'podRef');
	const key = podKey(str(ref, 'namespace', rw), name(ref, 'name', rw));
	const containers = new Map<string, MemoryBreakdown>();
	const items = list(p, 'containers', where);
	for (let i = 0; i < items.length; i++) {
		const cw = `${where}.containers[${i}]`;
		const c = at(items, i, `${where}.containers`);
		containers.set(clean(name(c, 'name', cw), 128), breakdown(c, cw, pollTime, faults));
	}

	return [key, {total: breakdown(p, where, pollTime, faults), containers}];
}

/**
 * The kubelet Summary API (`/stats/summary`) → per node, pod and container breakdown. A malformed
 * pod entry is skipped; a malformed node block or pod list leaves nothing of the answer.
 */
export function nodeSummary(o: unknown, node: string, evictionHardBytes: number, evictionHardSource: 'configz' | 'default', pollTime: number, faults: Faults = quiet): NodeSummary {
	const read = guard(faults, () => {
		const top = item(o);
		const n = obj(top, 'node', '');
		const availableBytes = figure(obj(n, 'memory', 'node'), 'availableBytes', 'node.memory', faults);
		return {availableBytes, memory: breakdown(n, 'node', pollTime, faults), entries: list(top, 'pods', '')};
	});
	const memory = read?.memory ?? breakdown({}, 'node', pollTime, faults);
	const pods: NodeSummary['pods'] = new Map();
	const entries = read?.entries ?? [];
	for (let i = 0; i < entries.length; i++) {
		const entry = guard(faults, () => podEntry(at(entries, i, 'pods'), `pods[${i}]`, pollTime, faults));
		if (entry) pods.set(entry[0], entry[1]);
	}

	return {node, time: memory.time, availableBytes: read?.availableBytes ?? null, memory, evictionHardBytes, evictionHardSource, pods};
}

/** the `evictionHard` `memory.available` value of a kubelet configz answer ("100Mi", "5%"), null when absent; memory/eviction.ts turns it into bytes */
export function evictionHardValue(o: unknown): string | null {
	const top = (typeof o === 'object' && o !== null ? o : {}) as Raw;
	const cfg = (top['kubeletconfig'] ?? top['componentconfig'] ?? {}) as Raw;
	const value = (cfg['evictionHard'] as Raw | undefined)?.['memory.available'];
	return typeof value === 'string' ? value : null;
}
