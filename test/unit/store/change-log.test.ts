import {describe, expect, it} from 'vitest';
import {ChangeLog} from '../../../source/store/change-log.js';

describe('ChangeLog', () => {
	it('gives the entries since a version, forgets the older half past its bound, and says null further back', () => {
		const log = new ChangeLog(8);
		let version = 0;
		const push = (e: string) => {
			version++;
			log.push(e);
		};

		for (const e of ['a', 'b', 'c']) push(e);
		expect(log.since(0, version)).toEqual(['a', 'b', 'c']);
		expect(log.since(2, version)).toEqual(['c']);
		expect(log.since(3, version)).toEqual([]);
		expect(log.since(4, version)).toBeNull();
		for (let i = 0; i < 6; i++) push(`x${i}`);
		// 9 entries past a bound of 8: the first 5 are forgotten, versions 5..9 remain
		expect(log.since(4, version)).toBeNull();
		expect(log.since(5, version)).toEqual(['x2', 'x3', 'x4', 'x5']);
		expect(log.since(8, version)).toEqual(['x5']);
	});
});
