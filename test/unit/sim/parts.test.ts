/** The simulator's pure parts: quantity formatting, selectors, the multi-version store, PRNG. */
import {describe, expect, it} from 'vitest';
import {parseFieldSelector} from '../../../source/sim/field-selectors.js';
import {parseLabelSelector, SelectorError} from '../../../source/sim/label-selectors.js';
import {JsonObj, ObjectStore, type ResourceDef} from '../../../source/sim/objects.js';
import {mix, Rng, suffixFrom, unit, uuidFrom} from '../../../source/sim/prng.js';
import {binarySI, decimalExponent, decimalSI, goDuration, parseBytes, rfc3339, roundForStyle} from '../../../source/sim/quantity.js';
import {bytesOf} from './helpers.js';

describe('quantities, as apimachinery serialises them', () => {
	it('binary SI: the largest exact binary suffix, else plain digits', () => {
		expect(binarySI(0)).toBe('0');
		expect(binarySI(512)).toBe('512');
		expect(binarySI(1024)).toBe('1Ki');
		expect(binarySI(1536)).toBe('1536');
		expect(binarySI(1.5 * 2 ** 30)).toBe('1536Mi');
		expect(binarySI(128 * 2 ** 20)).toBe('128Mi');
		expect(binarySI(2 ** 40)).toBe('1Ti');
		expect(binarySI(801_112 * 1024)).toBe('801112Ki');
		expect(binarySI(123_456_789)).toBe('123456789');
		expect(() => binarySI(1.5)).toThrow();
	});

	it('decimal SI and decimal exponent forms', () => {
		expect(decimalSI(512_000_000)).toBe('512M');
		expect(decimalSI(1_500_000)).toBe('1500k');
		expect(decimalSI(2_000_000_000)).toBe('2G');
		expect(decimalSI(1234)).toBe('1234');
		expect(decimalExponent(1_000_000_000)).toBe('1e9');
		expect(decimalExponent(41_000_000)).toBe('41e6');
		expect(decimalExponent(1_500_000_000)).toBe('1500e6');
	});

	it('every served form round-trips through an independent parser', () => {
		for (let i = 0; i < 2000; i++) {
			const bytes = Math.floor(unit(3, i) * 64 * 2 ** 30);
			for (const style of ['binary', 'decimal', 'exponent', 'plain'] as const) {
				const value = roundForStyle(bytes, style);
				const text = style === 'binary' ? binarySI(value) : style === 'decimal' ? decimalSI(value) : style === 'exponent' ? decimalExponent(value) : String(value);
				expect(bytesOf(text)).toBe(value);
				expect(parseBytes(text)).toBe(value);
			}
		}
	});

	it('parses spec quantities, rounding fractions up like Quantity.Value()', () => {
		expect(parseBytes('256Mi')).toBe(268_435_456);
		expect(parseBytes('300M')).toBe(300_000_000);
		expect(parseBytes('1e8')).toBe(100_000_000);
		expect(parseBytes('1288490188800m')).toBe(1_288_490_189);
		expect(parseBytes('0.5Gi')).toBe(536_870_912);
		expect(() => parseBytes('12 Mi')).toThrow();
	});

	it('Go durations and RFC 3339 seconds', () => {
		expect(goDuration(15_000)).toBe('15s');
		expect(goDuration(60_000)).toBe('1m0s');
		expect(goDuration(90_000)).toBe('1m30s');
		expect(goDuration(4953)).toBe('4.953s');
		expect(goDuration(4950)).toBe('4.95s');
		expect(goDuration(250)).toBe('250ms');
		expect(goDuration(3_600_000)).toBe('1h0m0s');
		for (let i = 0; i < 5000; i++) {
			const t = Math.floor(unit(9, i) * 4e12);
			expect(rfc3339(t)).toBe(`${new Date(t).toISOString().slice(0, 19)}Z`);
		}
	});
});

describe('selectors', () => {
	it('labels: equality, inequality, sets, existence', () => {
		const labels = {app: 'api', tier: 'backend', 'app.kubernetes.io/name': 'x'};
		const matches = (text: string): boolean => parseLabelSelector(text).matches(labels);
		expect(matches('')).toBe(true);
		expect(matches('app=api')).toBe(true);
		expect(matches('app==api,tier=backend')).toBe(true);
		expect(matches('app=web')).toBe(false);
		expect(matches('app!=web')).toBe(true);
		expect(matches('missing!=x')).toBe(true);
		expect(matches('app in (web, api)')).toBe(true);
		expect(matches('app notin (web,api)')).toBe(false);
		expect(matches('missing notin (a)')).toBe(true);
		expect(matches('missing in (a)')).toBe(false);
		expect(matches('tier')).toBe(true);
		expect(matches('!tier')).toBe(false);
		expect(matches('!missing,app.kubernetes.io/name=x')).toBe(true);
		expect(() => parseLabelSelector('a in (b')).toThrow(SelectorError);
		expect(() => parseLabelSelector('a=b,,c=d')).toThrow(SelectorError);
		expect(() => parseLabelSelector('a=b c')).toThrow(SelectorError);
	});

	it('fields: supported set, ==, !=, escapes', () => {
		const supported = new Set(['metadata.name', 'spec.nodeName']);
		const fields: Record<string, string> = {'metadata.name': 'a,b', 'spec.nodeName': 'n1'};
		const get = (f: string): string | undefined => fields[f];
		expect(parseFieldSelector('spec.nodeName=n1', supported).matches(get)).toBe(true);
		expect(parseFieldSelector('spec.nodeName==n1,metadata.name!=x', supported).matches(get)).toBe(true);
		expect(parseFieldSelector('spec.nodeName!=n1', supported).matches(get)).toBe(false);
		expect(parseFieldSelector('metadata.name=a\\,b', supported).matches(get)).toBe(true);
		expect(() => parseFieldSelector('status.phase=Running', supported)).toThrow('field label not supported: status.phase');
		expect(() => parseFieldSelector('nonsense', supported)).toThrow(SelectorError);
	});
});

const DEF: ResourceDef = {resource: 'things', group: '', version: 'v1', kind: 'Thing', listKind: 'ThingList', namespaced: true, fields: new Set(['metadata.name']), singularName: 'thing'};

function thing(namespace: string, name: string, value: number): JsonObj {
	return new JsonObj({kind: 'Thing', apiVersion: 'v1', metadata: {name, namespace, resourceVersion: ''}, value});
}

describe('the multi-version store (etcd semantics)', () => {
	it('a snapshot keeps seeing deleted, changed and not-yet-created objects as they were', () => {
		const store = new ObjectStore([DEF], 1000, 100);
		store.load('things', [thing('a', 'x', 1), thing('a', 'y', 1), thing('b', 'z', 1)]);
		const snap = store.rv;
		store.put('things', thing('a', 'x', 2));
		store.delete('things', 'a', 'y');
		store.put('things', thing('a', 'w', 1));
		store.put('things', thing('a', 'y', 3)); // recreated under the same name
		const at = (rv: number): string[] => store.list('things', {namespace: null, predicate: null, snapshot: rv, after: null, limit: 0}).items.map((v) => v.obj?.json(v.rv) ?? '');
		expect(at(snap).map((j) => `${JSON.parse(j).metadata.name}=${JSON.parse(j).value}`)).toEqual(['x=1', 'y=1', 'z=1']);
		expect(at(store.rv).map((j) => `${JSON.parse(j).metadata.name}=${JSON.parse(j).value}`)).toEqual(['w=1', 'x=2', 'y=3', 'z=1']);
		expect(at(snap + 2).map((j) => JSON.parse(j).metadata.name)).toEqual(['x', 'z']);
		// Each object carries the revision it was written at.
		expect(JSON.parse(at(snap)[0] ?? '{}').metadata.resourceVersion).toBe(String(snap - 2));
	});

	it('pages by key within a namespace and reports remaining items', () => {
		const store = new ObjectStore([DEF], 1000, 100);
		store.load('things', ['c', 'a', 'e', 'b', 'd'].map((n) => thing('ns', n, 0)).concat([thing('other', 'a', 0), thing('n', 'a', 0)]));
		const first = store.list('things', {namespace: 'ns', predicate: null, snapshot: store.rv, after: null, limit: 2});
		expect(first.items.map((v) => v.obj?.name)).toEqual(['a', 'b']);
		expect(first.remaining).toBe(3);
		const second = store.list('things', {namespace: 'ns', predicate: null, snapshot: store.rv, after: first.continueAfter, limit: 2});
		expect(second.items.map((v) => v.obj?.name)).toEqual(['c', 'd']);
		const last = store.list('things', {namespace: 'ns', predicate: null, snapshot: store.rv, after: second.continueAfter, limit: 2});
		expect(last.items.map((v) => v.obj?.name)).toEqual(['e']);
		expect(last.continueAfter).toBeNull();
		// A deleted key no longer counts once the snapshot is after the deletion.
		store.delete('things', 'ns', 'e');
		const again = store.list('things', {namespace: 'ns', predicate: null, snapshot: store.rv, after: first.continueAfter, limit: 2});
		expect(again.continueAfter).toBeNull();
	});

	it('retains a bounded history, then compacts: old versions are swept', () => {
		const store = new ObjectStore([DEF], 5, 100);
		store.load('things', [thing('a', 'x', 0)]);
		const start = store.rv;
		for (let i = 1; i <= 8; i++) {
			store.put('things', thing('a', 'x', i));
		}

		expect(store.compactRev).toBe(start + 3);
		expect([...store.since('things', store.compactRev)].map((e) => (e.obj as JsonObj).value['value'])).toEqual([4, 5, 6, 7, 8]);
		store.delete('things', 'a', 'x');
		store.compact();
		expect(store.collection('things')?.entries).toHaveLength(0);
		expect([...store.since('things', store.compactRev)]).toHaveLength(0);
		expect(store.put('things', thing('a', 'x', 9))).toBe(store.rv);
		// Writing the same object again is a no-op, like an update that changes nothing.
		expect(store.put('things', thing('a', 'x', 9))).toBeNull();
	});
});

describe('deterministic randomness', () => {
	it('is reproducible and varied', () => {
		const a = new Rng(42);
		const b = new Rng(42);
		const seqA = Array.from({length: 50}, () => a.next());
		expect(Array.from({length: 50}, () => b.next())).toEqual(seqA);
		expect(new Set(seqA).size).toBe(50);
		expect(new Rng(43).next()).not.toBe(seqA[0]);
		expect(mix(1, 2, 3)).toBe(mix(1, 2, 3));
		expect(mix(1, 2, 3)).not.toBe(mix(1, 2, 4));
		expect(suffixFrom(5, 1, 2)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
		expect(uuidFrom(7, 8)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(new Rng(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		let sum = 0;
		for (let i = 0; i < 10_000; i++) {
			sum += unit(5, i);
		}

		expect(sum / 10_000).toBeGreaterThan(0.48);
		expect(sum / 10_000).toBeLessThan(0.52);
	});
});
