/**
 * The backfill's pacer (prom/pacer.ts): tasks that each want many slices get one slice a turn of
 * the event loop between them, never two in one turn, and take turns in the order they asked.
 * Turns are counted by an immediate that sets itself again (one run per turn of the loop).
 */
import {describe, expect, it} from 'vitest';
import {Pacer} from '../../../source/prom/pacer.js';

describe('Pacer', () => {
	it('gives one slice a turn to all its tasks together, in the order they asked', async () => {
		let turnNo = 0;
		let counting = true;
		const count = () => {
			turnNo++;
			if (counting) setImmediate(count);
		};

		setImmediate(count);
		const pacer = new Pacer(1);
		const slices: Array<{task: string; turn: number}> = [];
		const task = async (name: string, n: number) => {
			for (let i = 0; i < n; i++) {
				await pacer.turn();
				slices.push({task: name, turn: turnNo});
				// work until the slice is used up
				while (!pacer.spent());
			}
		};

		await Promise.all([task('scan a', 5), task('scan b', 5), task('write', 5)]);
		counting = false;
		const turns = slices.map(s => s.turn);
		expect(new Set(turns).size).toBe(turns.length);
		expect(slices.slice(0, 6).map(s => s.task)).toEqual(['scan a', 'scan b', 'write', 'scan a', 'scan b', 'write']);
	});

	it('a slice is spent once its time is used; a fresh pacer has none to spend', async () => {
		const pacer = new Pacer(60_000);
		expect(pacer.spent()).toBe(true);
		await pacer.turn();
		expect(pacer.spent()).toBe(false);
	});
});
