/** The metrics door's sample: the store's key strings, and containers that read as a Map whatever their number. */
import {describe, expect, it} from 'vitest';
import {MetricsBuilder} from '../../../source/kube/convert.js';

const item = (name: string, containers: Array<[string, string]>) => ({
	metadata: {namespace: 'shop', name},
	timestamp: '2026-12-01T10:00:00Z',
	window: '15s',
	containers: containers.map(([n, memory]) => ({name: n, usage: {cpu: '1m', memory}})),
});

describe('MetricsBuilder', () => {
	it("asks for the store's key of each pod and keeps what it answers; its own key for a pod not listed", () => {
		const asked: string[] = [];
		// (strings have no identity in JS: a marked answer shows which one was kept)
		const b = new MetricsBuilder(0, undefined, key => (asked.push(key), key === 'shop/web-1' ? 'store:shop/web-1' : undefined));
		b.pod(item('web-1', [['app', '1Ki']]));
		b.pod(item('web-2', [['app', '1Ki']]));
		expect(asked).toEqual(['shop/web-1', 'shop/web-2']);
		expect([...b.done().pods.keys()]).toEqual(['store:shop/web-1', 'shop/web-2']);
	});

	it('gives one, two and repeated containers as a Map gives them', () => {
		const b = new MetricsBuilder(0);
		b.pod(item('one', [['app', '1Ki']]));
		b.pod(item('two', [['app', '1Ki'], ['proxy', '2Ki']]));
		b.pod(item('twice', [['app', '1Ki'], ['app', '3Ki']]));
		const pods = b.done().pods;
		const asMap = (key: string) => {
			const c = pods.get(key)!.containers;
			const each: Array<[string, number]> = [];
			c.forEach((v, k) => each.push([k, v]));
			return {size: c.size, entries: [...c], keys: [...c.keys()], values: [...c.values()], each, app: c.get('app'), none: c.get('none'), has: c.has('app')};
		};
		expect(asMap('shop/one')).toEqual({size: 1, entries: [['app', 1024]], keys: ['app'], values: [1024], each: [['app', 1024]], app: 1024, none: undefined, has: true});
		expect(asMap('shop/two')).toEqual({size: 2, entries: [['app', 1024], ['proxy', 2048]], keys: ['app', 'proxy'], values: [1024, 2048], each: [['app', 1024], ['proxy', 2048]], app: 1024, none: undefined, has: true});
		expect(asMap('shop/twice')).toEqual({size: 1, entries: [['app', 3072]], keys: ['app'], values: [3072], each: [['app', 3072]], app: 3072, none: undefined, has: true});
		expect(pods.get('shop/twice')!.workingSetBytes).toBe(4096);
	});
});
