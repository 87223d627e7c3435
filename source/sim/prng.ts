/**
 * Deterministic randomness for the simulator: no Math.random anywhere in the sim.
 *
 * - `Rng` is a sequential generator (mulberry32) for set-up choices made in a fixed order.
 * - `mix`/`unit` are counter-based: the same inputs always give the same value, whatever was
 *   asked before. Memory noise uses them so a value depends only on (seed, container, second).
 */

/** 32-bit avalanche mix of several integers (murmur3 finaliser chained). */
export function mix(...parts: number[]): number {
	let h = 0x9e3779b9;
	for (const part of parts) {
		let k = Math.imul(part | 0, 0xcc9e2d51);
		k = (k << 15) | (k >>> 17);
		k = Math.imul(k, 0x1b873593);
		h ^= k;
		h = (h << 13) | (h >>> 19);
		h = (Math.imul(h, 5) + 0xe6546b64) | 0;
	}

	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** Counter-based uniform value in [0, 1). */
export function unit(...parts: number[]): number {
	return mix(...parts) / 4_294_967_296;
}

/** FNV-1a hash of a string, 32 bits. */
export function hashString(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}

	return h >>> 0;
}

/** Characters Kubernetes uses for generated name suffixes (no vowels, no confusable digits). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';

export class Rng {
	private state: number;

	constructor(seed: number) {
		this.state = mix(seed, 0x5eed) || 1;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) | 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	}

	/** Integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	/** Integer in [lo, hi]. */
	range(lo: number, hi: number): number {
		return lo + this.int(hi - lo + 1);
	}

	pick<T>(items: readonly T[]): T {
		const item = items[this.int(items.length)];
		if (item === undefined) {
			throw new Error('pick from an empty list');
		}

		return item;
	}

	/** A generated-name suffix like `x2k4p`. */
	suffix(length = 5): string {
		let out = '';
		for (let i = 0; i < length; i++) {
			out += NAME_ALPHABET[this.int(NAME_ALPHABET.length)];
		}

		return out;
	}

	hex(length: number): string {
		let out = '';
		for (let i = 0; i < length; i++) {
			out += HEX[this.int(16)];
		}

		return out;
	}

	/** A version-4 UUID string. */
	uuid(): string {
		const variant = '89ab'[this.int(4)] ?? '8';
		return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
	}
}

/** Counter-based suffix/uuid helpers (for the scale scenario, which cannot afford per-pod state). */
export function suffixFrom(length: number, ...parts: number[]): string {
	let out = '';
	let h = mix(...parts);
	for (let i = 0; i < length; i++) {
		if (i % 4 === 3) {
			h = mix(h, i);
		}

		out += NAME_ALPHABET[h % NAME_ALPHABET.length];
		h = Math.floor(h / NAME_ALPHABET.length);
	}

	return out;
}

const HEX2: string[] = Array.from({length: 256}, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(value: number): string {
	return (HEX2[(value >>> 24) & 255] ?? '') + (HEX2[(value >>> 16) & 255] ?? '') + (HEX2[(value >>> 8) & 255] ?? '') + (HEX2[value & 255] ?? '');
}

export function uuidFrom(...parts: number[]): string {
	const a = mix(...parts, 1);
	const b = mix(...parts, 2);
	const c = mix(...parts, 3);
	const d = mix(...parts, 4);
	const bs = hex8(b);
	const cs = hex8(c);
	return `${hex8(a)}-${bs.slice(0, 4)}-4${bs.slice(5, 8)}-${'89ab'[c & 3] ?? '8'}${cs.slice(1, 4)}-${cs.slice(4, 8)}${hex8(d)}`;
}

export function hexFrom(length: number, ...parts: number[]): string {
	let out = '';
	let i = 0;
	while (out.length < length) {
		out += hex8(mix(...parts, i++));
	}

	return out.slice(0, length);
}
