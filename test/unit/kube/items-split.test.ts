/**
 * The list splitter against JSON.parse: the same items and envelope for real captured answers and
 * for adversarial JSON (escaped quotes and backslashes, brackets inside strings, unicode escapes,
 * an escaped "items" key), however the answer is cut into chunks; a bad item is skipped and counted.
 */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ItemSplitter} from '../../../source/kube/items.js';
import {Rng} from '../../../source/sim/prng.js';

const real = path.resolve(import.meta.dirname, '../../../../shared/fixtures/real');

/** the splitter's items and envelope for `text` pushed in the chunks `cuts` make */
function splitAt(text: string, cuts: number[]): {items: unknown[]; envelope: unknown} {
	const items: unknown[] = [];
	const s = new ItemSplitter(x => items.push(x));
	let at = 0;
	for (const cut of [...cuts, text.length]) {
		s.push(text.slice(at, cut));
		at = cut;
	}

	return {items, envelope: s.end()};
}

/** what JSON.parse says the splitter must give: the items, and the list with an empty items array */
function expected(text: string): {items: unknown[]; envelope: unknown} {
	const whole = JSON.parse(text) as {items?: unknown};
	return Array.isArray(whole.items) ? {items: whole.items, envelope: {...whole, items: []}} : {items: [], envelope: whole};
}

/** a seeded generator (the simulator's) */
function random(seed: number): () => number {
	const rng = new Rng(seed);
	return () => rng.next();
}

const nasty = ['"', '\\', '\\"', '"\\', '\\\\', '\\\\"', '{', '}', '[', ']', '{"items":[', ']}', '"items"', 'items', ':', ',', '\u0000', '\u001b[31m', 'é', '日本', '😀', '\ud800', '\u2028', ' ', '\n', '\t'];

/** an adversarial string: pieces that look like structure, escapes and unicode */
function nastyString(next: () => number): string {
	let s = '';
	for (let k = Math.floor(next() * 6); k > 0; k--) s += nasty[Math.floor(next() * nasty.length)]!;
	return s;
}

function nastyValue(next: () => number, depth: number): unknown {
	const r = next();
	if (depth > 3 || r < 0.35) return nastyString(next);
	if (r < 0.45) return Math.floor(next() * 1e6) / 8;
	if (r < 0.5) return [true, false, null][Math.floor(next() * 3)];
	if (r < 0.7) return Array.from({length: Math.floor(next() * 4)}, () => nastyValue(next, depth + 1));
	const o: Record<string, unknown> = {};
	for (let k = Math.floor(next() * 4); k > 0; k--) o[next() < 0.2 ? 'items' : nastyString(next)] = nastyValue(next, depth + 1);
	return o;
}

/** a list answer with adversarial items and envelope fields around the items array */
function nastyList(seed: number): string {
	const next = random(seed);
	const list = {
		kind: nastyString(next),
		metadata: {continue: nastyString(next), items: nastyValue(next, 2), resourceVersion: '7'},
		items: Array.from({length: 1 + Math.floor(next() * 6)}, () => ({metadata: {name: nastyString(next)}, spec: nastyValue(next, 1)})),
		trailer: nastyValue(next, 1),
	};
	return JSON.stringify(list, null, seed % 2 === 0 ? 0 : 1);
}

describe('ItemSplitter against JSON.parse', () => {
	const files = fs.readdirSync(real).filter(f => f.endsWith('.json'));

	it('reads every real capture (lists and one that is not) as JSON.parse does, in chunks of any size', () => {
		expect(files.length).toBeGreaterThanOrEqual(4);
		for (const file of files) {
			const text = fs.readFileSync(path.join(real, file), 'utf8');
			const want = expected(text);
			for (const size of [1, 2, 3, 7, 64, 1000, 65_536]) {
				const cuts = Array.from({length: Math.ceil(text.length / size) - 1}, (_, i) => (i + 1) * size);
				expect(splitAt(text, cuts), `${file} in chunks of ${size}`).toEqual(want);
			}
		}
	});

	it('gives the same items with the PodMetricsList capture cut at every character', () => {
		const text = fs.readFileSync(path.join(real, 'metrics-k8s-io-v1beta1-podmetricslist.gke.libcloud.json'), 'utf8');
		const want = expected(text);
		expect(want.items.length).toBeGreaterThan(5);
		for (let cut = 0; cut <= text.length; cut++) expect(splitAt(text, [cut])).toEqual(want);
	});

	it('handles escaped quotes and backslashes, brackets in strings and unicode escapes, cut at every pair of characters', () => {
		const list = {
			kind: 'List',
			metadata: {continue: 'a\\"}]{["\\', note: '\\\\'},
			items: [{a: 'x\\"}', b: '\\', c: ['"]', '\\\\"'], d: {e: '{"items":[1]}'}}, {f: 'é日本😀\u0000\u001b', g: '"'}, [], {h: ''}],
			tail: ['\\"', {items: ['no']}],
		};
		// JSON.stringify writes no \u escapes for these: write some by hand too (\u0022 is a quote, \u005c a backslash)
		const text = JSON.stringify(list).replace('"h":""', '"h":"\\u0022\\u005c\\ud83d\\ude00","\\u0069tems":"\\u005c"');
		const want = expected(text);
		expect((want.items[3] as {h: string}).h).toBe('"\\😀');
		for (let a = 0; a <= text.length; a++) {
			for (let b = a; b <= text.length; b++) expect(splitAt(text, [a, b])).toEqual(want);
		}
	});

	it('finds the items array under an escaped "items" key, and nothing in a list without one', () => {
		expect(splitAt('{"\\u0069tems":[{"a":1},{"b":[2]}],"kind":"List"}', [3, 9])).toEqual({items: [{a: 1}, {b: [2]}], envelope: {items: [], kind: 'List'}});
		expect(splitAt('{"items ":[{"a":1}],"x\\"items":[{"b":2}]}', [1])).toEqual({items: [], envelope: {'items ': [{a: 1}], 'x"items': [{b: 2}]}});
		expect(splitAt('{"kind":"List","items":null}', [5])).toEqual({items: [], envelope: {kind: 'List', items: null}});
	});

	for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
		it(`reads a generated adversarial list as JSON.parse does, cut at random places (seed ${seed})`, () => {
			const text = nastyList(seed);
			const want = expected(text);
			const next = random(seed * 7919);
			for (let round = 0; round < 200; round++) {
				const cuts = Array.from({length: 1 + Math.floor(next() * 12)}, () => Math.floor(next() * (text.length + 1))).sort((x, y) => x - y);
				expect(splitAt(text, cuts)).toEqual(want);
			}
		});
	}

	it('skips an item that is not JSON and counts it, keeping the items around it', () => {
		const text = '{"kind":"List","items":[{"a":1},{"b":tru},{"c":"}"},{"d" 4},{"e":5}],"metadata":{}}';
		for (const size of [1, 5, text.length]) {
			const items: unknown[] = [];
			const told: string[] = [];
			const s = new ItemSplitter(
				x => items.push(x),
				why => told.push(why),
			);
			for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
			expect(s.end()).toEqual({kind: 'List', items: [], metadata: {}});
			expect(items).toEqual([{a: 1}, {c: '}'}, {e: 5}]);
			expect([s.count, s.bad]).toEqual([3, 2]);
			expect(told).toEqual(['item 2 is not JSON', 'item 4 is not JSON']);
		}

		// without a place to tell it, a bad item is the answer's error, as before
		const strict = new ItemSplitter(() => {});
		expect(() => strict.push(text)).toThrow(SyntaxError);
	});

	it('refuses an answer cut inside a string or an escape', () => {
		for (const part of ['{"items":[{"a":"x', '{"items":[{"a":"x\\', '{"items":[{"a":"x\\"}]}']) {
			const s = new ItemSplitter(() => {});
			s.push(part);
			expect(() => s.end(), part).toThrow(/truncated/);
		}
	});
});
