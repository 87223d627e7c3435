import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ItemSplitter, LineSplitter} from '../../../source/kube/items.js';

const real = path.resolve(import.meta.dirname, '../../../../shared/fixtures/real');

function split(text: string, size: number): {items: unknown[]; envelope: any} {
	const items: unknown[] = [];
	const s = new ItemSplitter(x => items.push(x));
	for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
	return {items, envelope: s.end()};
}

describe('ItemSplitter', () => {
	const files = ['kubelet-podlist.k8s-v1.35.0.nri-kubernetes.json', 'metrics-k8s-io-v1beta1-podmetricslist.gke.libcloud.json', 'metrics-k8s-io-v1beta1-nodemetricslist.gke.libcloud.json'];
	for (const file of files) {
		it(`yields exactly JSON.parse's items and envelope for ${file}, however the bytes are cut`, () => {
			const text = fs.readFileSync(path.join(real, file), 'utf8');
			const whole = JSON.parse(text);
			for (const size of [1, 3, 17, 4096, text.length]) {
				const {items, envelope} = split(text, size);
				expect(items).toEqual(whole.items);
				expect(envelope).toEqual({...whole, items: []});
			}
		});
	}

	it('copes with braces, brackets, quotes and "items" inside strings, and items: null', () => {
		const tricky = {
			kind: 'PodList',
			note: 'items',
			metadata: {continue: 'a"}]{[\\"', resourceVersion: '9', items: ['not', 'these']},
			items: [{metadata: {name: 'x}]', annotations: {'items': '[{"nested":"}"}]'}}}, {metadata: {name: 'é\\u0000'}}, []],
			trailer: {items: [1, 2]},
		};
		const text = JSON.stringify(tricky);
		for (const size of [1, 2, 5, 1000]) {
			const {items, envelope} = split(text, size);
			expect(items).toEqual(tricky.items);
			expect(envelope).toEqual({...tricky, items: []});
		}

		expect(split('{"kind":"List","items":null}', 3)).toEqual({items: [], envelope: {kind: 'List', items: null}});
	});

	it('refuses a truncated answer', () => {
		const s = new ItemSplitter(() => {});
		s.push('{"items":[{"a":1},{"b":');
		expect(() => s.end()).toThrow(/truncated/);
	});
});

describe('LineSplitter', () => {
	const lines = (bytes: Buffer, size: number, maxBytes = 1024): string[] => {
		const out: string[] = [];
		const s = new LineSplitter(maxBytes, () => new Error('too long'));
		for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size), line => out.push(line));
		return out;
	};

	it('yields the same lines however the bytes are cut, a character cut in two included', () => {
		const text = '{"a":"é"}\n\n{"b":"日本"}\n{"c":1}\npartial';
		for (const size of [1, 2, 3, 5, 1000]) expect(lines(Buffer.from(text), size)).toEqual(['{"a":"é"}', '', '{"b":"日本"}', '{"c":1}']);
	});

	it('refuses a line past its bound, however it arrives, and not one at the bound', () => {
		expect(lines(Buffer.from('x'.repeat(1024) + '\n'), 7)).toEqual(['x'.repeat(1024)]);
		for (const size of [1, 100, 2000]) expect(() => lines(Buffer.from('x'.repeat(1025) + '\n'), size)).toThrow('too long');
	});
});
