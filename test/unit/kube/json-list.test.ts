/**
 * A JSON list read whole (one JSON.parse) must give exactly what ItemSplitter gives as the bytes
 * arrive: the same items in order, the same envelope, the same bad items skipped and counted, the
 * same refusals. Checked on real captured answers and on answers made to tell the two apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ItemSplitter} from '../../../source/kube/items.js';
import {JsonListReader, wholeList, wholeListBytes} from '../../../source/kube/json-list.js';

const real = path.resolve(import.meta.dirname, '../../../../shared/fixtures/real');

type Outcome = {items: unknown[]; bad: string[]; envelope?: unknown; error?: string};

/** the splitter alone, the text cut every `size` characters */
function bySplitter(text: string, size: number): Outcome {
	const out: Outcome = {items: [], bad: []};
	const s = new ItemSplitter(
		x => out.items.push(x),
		why => out.bad.push(why),
	);
	try {
		for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
		out.envelope = s.end();
	} catch (error) {
		out.error = (error as Error).name;
	}

	return out;
}

/** the reader, bytes cut every `size`, parsed whole up to `wholeBytes` (a one-shot's bound by default) */
function byReader(text: string, size: number, wholeBytes = wholeListBytes): Outcome {
	const out: Outcome = {items: [], bad: []};
	const r = new JsonListReader(
		x => out.items.push(x),
		why => out.bad.push(why),
		wholeBytes,
	);
	const bytes = Buffer.from(text);
	try {
		for (let i = 0; i < bytes.length; i += size) r.push(bytes.subarray(i, i + size));
		r.flush();
		out.envelope = r.end();
	} catch (error) {
		out.error = (error as Error).name;
	}

	return out;
}

const made = [
	'{"kind":"PodMetricsList","metadata":{"resourceVersion":"1"},"items":[{"a":1},{"b":[1,2]}]}',
	'{"kind":"List","items":null}',
	'{"kind":"List","items":[1,null,"x",{"a":1},[2],true]}',
	// two items arrays: the splitter reads both, JSON.parse would keep the last
	'{"kind":"List","items":[{"a":1}],"metadata":{},"items":[{"b":2}]}',
	// an escaped key that spells items
	'{"kind":"List","\\u0069tems":[{"a":1}]}',
	'{"kind":"List","items":[{"name":"a\\"b"}]}',
	// an item that is not JSON: skipped and counted
	'{"kind":"List","items":[{"a":1},{"b":tru},{"c":3}]}',
	'{"kind":"List","metadata":{"items":[{"nested":true}]},"items":[]}',
	'[{"a":1}]',
	'"items"',
	'{"kind":"List","items":[{"a":1}',
	'{"kind":"List","items":[{"a":"é ☃ 🚀"}]}',
	'\ufeff{"kind":"List","items":[{"a":1}]}',
];

describe('a JSON list read whole or as it comes', () => {
	const files = fs.readdirSync(real).filter(f => f.endsWith('.json') && /list/i.test(f));

	it('real captured lists: the same items and envelope, whole or split, however the bytes are cut', () => {
		expect(files.length).toBeGreaterThanOrEqual(3);
		let whole = 0;
		for (const file of files) {
			const text = fs.readFileSync(path.join(real, file), 'utf8');
			const want = bySplitter(text, 4096);
			for (const size of [7, 4096, text.length]) {
				expect(byReader(text, size)).toEqual(want);
				expect(byReader(text, size, 64)).toEqual(want);
				expect(byReader(text, size, 0)).toEqual(want);
			}

			if (wholeList(text, () => {}) !== null) whole++;
		}

		// most captures take the whole parse (the fast path is exercised, not only its fallbacks)
		expect(whole).toBeGreaterThanOrEqual(2);
	});

	it('answers made to tell them apart: duplicate and escaped items keys, bare values, bad items, truncation', () => {
		for (const text of made) {
			const want = bySplitter(text, 5);
			expect(byReader(text, 3), text).toEqual(want);
			expect(byReader(text, 3, 8), text).toEqual(want);
		}

		expect(bySplitter(made[3]!, 5).items).toEqual([{a: 1}, {b: 2}]);
		expect(bySplitter(made[6]!, 5).bad.length).toBe(1);
	});

	it('by default (the live view) items are handed on as they arrive, never after the whole answer', () => {
		const items: unknown[] = [];
		const r = new JsonListReader(x => items.push(x));
		r.push(Buffer.from('{"kind":"List","items":[{"a":1},'));
		expect(items).toEqual([{a: 1}]);
		r.push(Buffer.from('{"b":2}]}'));
		expect(items).toEqual([{a: 1}, {b: 2}]);
		r.flush();
		expect(r.end()).toEqual({kind: 'List', items: []});
		// a one-shot's reader holds them until the answer is whole
		const held: unknown[] = [];
		const once = new JsonListReader(x => held.push(x), undefined, wholeListBytes);
		once.push(Buffer.from('{"kind":"List","items":[{"a":1},'));
		expect(held).toEqual([]);
	});

	it('the whole parse is the one taken for a plain list, and refused where it might differ', () => {
		const items: unknown[] = [];
		expect(wholeList(made[0]!, x => items.push(x))).toEqual({kind: 'PodMetricsList', metadata: {resourceVersion: '1'}, items: []});
		expect(items).toEqual([{a: 1}, {b: [1, 2]}]);
		for (const i of [3, 4, 5, 6, 8, 9, 10, 12]) expect(wholeList(made[i]!, () => {}), made[i]).toBeNull();
	});
});
