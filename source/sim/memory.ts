/**
 * Memory, tick by tick: each running container's working set follows its pattern (a function of
 * the seed, the container and the time, so runs are repeatable), with RSS, page cache and CPU
 * beside it; a node's totals are the system's share plus its pods' (and their sandboxes').
 * Page faults and PSI follow from these (pressure.ts).
 */
import type {Cluster} from './cluster.js';
import type {Pattern} from './cluster-spec.js';
import type {ContainerModel} from './models.js';
import {unit} from './prng.js';
import {roundForStyle, roundPage} from './quantity.js';

/**
 * The working set a pattern gives `age` seconds after the container started, before any factor.
 * The noise is a function of (seed, key, second): `key` names the container instance.
 */
export function patternValue(pattern: Pattern, age: number, seed: number, key: number, second: number): number {
	const noise = unit(seed, key, second) - 0.5;
	switch (pattern.kind) {
		case 'steady': {
			return pattern.base * (1 + (pattern.jitter ?? 0.03) * 2 * noise);
		}

		case 'leak': {
			return pattern.base + pattern.rate * age + pattern.base * 0.01 * noise;
		}

		case 'grow': {
			return pattern.base + pattern.rate * age + pattern.base * 0.005 * noise;
		}

		case 'sawtooth': {
			const phase = (age % pattern.period) / pattern.period;
			return pattern.low + (pattern.high - pattern.low) * phase + pattern.low * 0.01 * noise;
		}

		case 'spiky': {
			const window = Math.floor(age / pattern.every);
			const offset = unit(seed, key, window, 7) * (pattern.every - pattern.duration);
			const into = age - window * pattern.every - offset;
			let value = pattern.base * (1 + 0.04 * noise);
			if (into >= 0 && into < pattern.duration) {
				value += pattern.spike * Math.sin((Math.PI * into) / pattern.duration) * (0.7 + 0.3 * unit(seed, key, window, 9));
			}

			return value;
		}

		case 'ramp': {
			return pattern.base + (pattern.peak - pattern.base) * Math.min(1, age / pattern.seconds) * (1 + 0.02 * noise);
		}
	}
}

/** The working set a pattern keeps around, for planning (the scale scenario spreads pods by it). */
export function typicalBytes(pattern: Pattern): number {
	switch (pattern.kind) {
		case 'sawtooth': {
			return (pattern.low + pattern.high) / 2;
		}

		case 'ramp': {
			return pattern.peak;
		}

		default: {
			return pattern.base;
		}
	}
}

/** A running container's memory and CPU now (a pinned working set wins over the pattern). */
export function updateMemory(cluster: Cluster, c: ContainerModel, now: number): void {
	const age = Math.max(0, (now - c.startedAt) / 1000);
	const pattern = c.instance === 0 && c.spec.firstPattern ? c.spec.firstPattern : c.spec.pattern;
	const second = Math.floor((now - cluster.epoch) / 1000);
	const ws = c.override ?? roundForStyle(patternValue(pattern, age, cluster.seed, c.hash, second) * c.factor, c.spec.metricsStyle ?? 'binary');
	c.ws = ws;
	const rssRatio = c.spec.rssRatio ?? 0.9;
	c.rss = Math.min(ws, roundPage(ws * rssRatio));
	c.usage = Math.max(ws, roundPage(ws * (1 + (c.spec.cacheRatio ?? 0.08))));
	c.swap = c.spec.swapBytes ?? 0;
	const milli = c.spec.cpuMilli ?? 20;
	c.cpuNano = Math.max(1000, Math.round(milli * 1e6 * (1 + 0.3 * (unit(cluster.seed, c.hash, Math.floor(now / 1000), 2) - 0.5))));
	c.cpuCoreNs += Math.round((c.cpuNano * cluster.tickMs) / 1000);
}

/** Every node's totals from its system share and the running containers on it. */
export function computeNodes(cluster: Cluster, now: number): void {
	const second = Math.floor((now - cluster.epoch) / 1000);
	for (const node of cluster.nodes) {
		let ws = roundPage(node.spec.systemBytes * (1 + 0.01 * (unit(cluster.seed, node.index, second, 4) - 0.5)));
		let usage = ws + node.spec.cacheBytes;
		let rss = roundPage(ws * 0.7);
		let cpu = 150e6 + unit(cluster.seed, node.index, second, 8) * 60e6;
		for (const pod of cluster.pods) {
			if (pod.node !== node.name || !pod.containers.some((c) => c.running)) {
				continue;
			}

			ws += pod.pauseBytes;
			usage += pod.pauseBytes;
			rss += pod.pauseBytes;
			for (const c of pod.containers) {
				if (c.running) {
					ws += c.ws;
					usage += c.usage;
					rss += c.rss;
					cpu += c.cpuNano;
				}
			}
		}

		node.ws = ws;
		node.usage = Math.max(usage, ws);
		node.rss = Math.min(rss, ws);
		node.available = Math.max(0, node.capacity - ws);
		node.cpuNano = Math.round(cpu);
		node.cpuCoreNs += Math.round((cpu * cluster.tickMs) / 1000);
	}
}
