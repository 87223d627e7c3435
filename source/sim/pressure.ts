/**
 * Memory pressure as the kernel accounts it per cgroup, tick by tick: page faults (cumulative
 * counters; a restarted container is a new cgroup and starts from zero) and pressure stall
 * information (PSI: the share of wall time some / all of a cgroup's tasks wait on memory, as the
 * kernel's running averages over 10 s, 60 s and 300 s and a total in µs).
 *
 * The story: a container stalls in reclaim as its working set nears its limit (none below 80 %,
 * then steeply up to 60 % at the limit), refaulting pages as it thrashes; one whose file cache the
 * limit leaves no room for (`refaults` in its spec) takes hundreds of major faults a second with
 * little stall; containers on a node short of memory stall in direct reclaim. A pod stalls as its
 * containers do (some: its most stalled container; full: its least), a node as its pods do, plus
 * its own reclaim and, while the kubelet reports MemoryPressure, the reclaim that outlasts it.
 * The noise is counter-based (prng `unit`): no draw of the cluster's sequential generator moves.
 */
import type {Cluster} from './cluster.js';
import type {ContainerModel, NodeModel} from './models.js';
import {unit} from './prng.js';

/** One PSI line as the Summary API serves it: total stall (µs) and the running averages (% of wall time). */
interface PsiLine {
	total: number;
	avg10: number;
	avg60: number;
	avg300: number;
}

export interface PsiFigures {
	full: PsiLine;
	some: PsiLine;
}

/** The cumulative counters and PSI of a cgroup's memory block. */
interface CgroupPressure {
	pageFaults: number;
	majorFaults: number;
	psi: PsiFigures;
}

/** The kernel's running average: the old value decays over `window` seconds while the new share comes in. */
function decayed(avg: number, share: number, seconds: number, window: number): number {
	const keep = Math.exp(-seconds / window);
	return avg * keep + share * (1 - keep);
}

/** Percent of wall time with two decimals, as /proc/pressure and the kubelet write it. */
function percent(share: number): number {
	return Math.round(share * 10_000) / 100;
}

class StallLine {
	/** µs */
	private total = 0;
	private avg10 = 0;
	private avg60 = 0;
	private avg300 = 0;

	add(share: number, seconds: number): void {
		this.avg10 = decayed(this.avg10, share, seconds, 10);
		this.avg60 = decayed(this.avg60, share, seconds, 60);
		this.avg300 = decayed(this.avg300, share, seconds, 300);
		this.total += share * seconds * 1e6;
	}

	read(): PsiLine {
		return {total: Math.floor(this.total), avg10: percent(this.avg10), avg60: percent(this.avg60), avg300: percent(this.avg300)};
	}
}

/** A cgroup's memory PSI. The `full` share never exceeds the `some` share, so neither does any figure of it. */
export class Psi {
	private readonly some = new StallLine();
	private readonly full = new StallLine();

	/** `seconds` during which the shares `some` and `full` (0..1) of wall time were stalled. */
	add(some: number, full: number, seconds: number): void {
		this.some.add(some, seconds);
		this.full.add(full, seconds);
	}

	read(): PsiFigures {
		return {full: this.full.read(), some: this.some.read()};
	}
}

/** The faults and PSI of a cgroup `seconds` old that has not stalled lately: counters grow at rates `key` picks, the stall is a few µs a second. */
export function quietCgroup(key: number, seconds: number): CgroupPressure {
	const age = Math.max(0, seconds);
	const stall = Math.floor(age * (key % 5));
	return {
		pageFaults: Math.floor(age * (10 + ((key >>> 4) % 50))),
		majorFaults: Math.floor((age * ((key >>> 10) % 6)) / 3600),
		psi: {full: {total: Math.floor(stall / 3), avg10: 0, avg60: 0, avg300: 0}, some: {total: stall, avg10: 0, avg60: 0, avg300: 0}},
	};
}

/** A major fault waits this long on the disk (s): the stall of re-reading an evicted page. */
const REFAULT_WAIT = 120e-6;

/** How near a working set is to its limit: 0 up to 80 % of it, 1 at the limit. */
function nearLimit(ws: number, limit: number | null): number {
	return limit === null ? 0 : Math.min(1, Math.max(0, (ws / limit - 0.8) / 0.2));
}

/** A node's own reclaim (kswapd, then direct reclaim) as memory.available falls from twice the eviction threshold to it. */
function nodeReclaim(node: NodeModel): number {
	return 0.3 * Math.min(1, Math.max(0, (2 * node.threshold - node.available) / node.threshold));
}

interface Step {
	some: number;
	full: number;
	faults: number;
	majors: number;
}

/** One running container over `seconds`: its faults (counted on it) and its stall (added to its PSI). */
function containerStep(cluster: Cluster, c: ContainerModel, reclaim: number, second: number, seconds: number): Step {
	const {seed} = cluster;
	const near = nearLimit(c.ws, c.limMem);
	// Reclaim against the limit: 1 % of the time at 85 % of it, 8 % at 90 %, 25 % at 95 %, 60 % at the limit.
	// Thrashing refaults come with it.
	const stall = 0.6 * near ** 3;
	const majorRate = (c.spec.refaults ?? 0) * (0.8 + 0.4 * unit(seed, c.hash, second, 21)) + 900 * stall + 300 * reclaim + 0.001;
	const majors = Math.floor(majorRate * seconds + unit(seed, c.hash, second, 22));
	const touched = Math.max(0, Math.floor((c.ws - c.peakWs) / 4096));
	const faults = touched + majors + Math.round(seconds * (20 + 40 * unit(seed, c.hash, second, 23)));
	const some = Math.min(1, stall + 0.6 * reclaim + majorRate * REFAULT_WAIT);
	// All its tasks wait a third of the time some do; in the last percent before the limit, three quarters.
	const full = some * (1 / 3 + 0.4 * near ** 4);
	c.peakWs = Math.max(c.peakWs, c.ws);
	c.pageFaults += faults;
	c.majorFaults += majors;
	c.psi.add(some, full, seconds);
	return {some, full, faults, majors};
}

/**
 * Every cgroup's faults and stall over the last `seconds`, each over at most its own age: with
 * Infinity, the cluster at t0 gets the counters and averages of the time it has already run.
 */
export function updatePressure(cluster: Cluster, now: number, seconds: number): void {
	const second = Math.floor((now - cluster.epoch) / 1000);
	const span = (since: number): number => Math.max(0, Math.min(seconds, (now - since) / 1000));
	const nodes = new Map(cluster.nodes.map((node) => [node.name, {reclaim: nodeReclaim(node), some: 0, faults: 0, majors: 0}]));
	for (const pod of cluster.pods) {
		if (pod.stage !== 'init' && pod.stage !== 'running') {
			continue;
		}

		const node = nodes.get(pod.node);
		const reclaim = node?.reclaim ?? 0;
		const steps = pod.containers.filter((c) => c.running).map((c) => containerStep(cluster, c, reclaim, second, span(c.startedAt)));
		const alive = span(pod.startTime);
		// The sandbox's own faults.
		const faults = steps.reduce((sum, s) => sum + s.faults, Math.round(alive * 2));
		const majors = steps.reduce((sum, s) => sum + s.majors, 0);
		const some = Math.max(0, ...steps.map((s) => s.some));
		const full = steps.length === 0 ? 0 : Math.min(...steps.map((s) => s.full));
		pod.pageFaults += faults;
		pod.majorFaults += majors;
		pod.psi.add(some, full, alive);
		if (node) {
			node.some = Math.max(node.some, some);
			node.faults += faults;
			node.majors += majors;
		}
	}

	for (const node of cluster.nodes) {
		const pods = nodes.get(node.name);
		const reclaim = pods?.reclaim ?? 0;
		const up = span(node.created);
		const pressure = node.pressure ? 0.15 + 0.1 * unit(cluster.seed, node.index, second, 24) : 0;
		const own = Math.min(1, reclaim + pressure);
		node.pageFaults += (pods?.faults ?? 0) + Math.round(up * (500 + 300 * unit(cluster.seed, node.index, second, 25)));
		node.majorFaults += (pods?.majors ?? 0) + Math.floor(up * 100 * reclaim);
		node.psi.add(Math.max(own, pods?.some ?? 0), own / 3, up);
	}
}
