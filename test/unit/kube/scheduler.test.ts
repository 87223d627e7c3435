import {describe, expect, it} from 'vitest';
import {Scheduler, backoff, jitter} from '../../../source/kube/scheduler.js';

const tick = () => new Promise(resolve => setImmediate(resolve));

async function until(check: () => boolean): Promise<void> {
	for (let i = 0; i < 500 && !check(); i++) await new Promise(resolve => setTimeout(resolve, 2));
	expect(check()).toBe(true);
}

describe('scheduler', () => {
	it('forgets a one-shot timer once it fired', async () => {
		const s = new Scheduler();
		let fired = 0;
		s.once(1, () => fired++);
		expect(s.pending).toBe(1);
		await until(() => fired === 1);
		expect(s.pending).toBe(0);
	});

	it('a cancelled one-shot is gone and never fires', async () => {
		const s = new Scheduler();
		let fired = 0;
		const cancel = s.once(1, () => fired++);
		cancel();
		expect(s.pending).toBe(0);
		await new Promise(resolve => setTimeout(resolve, 10));
		expect(fired).toBe(0);
	});

	it('keeps one timer for a repeating job, and none after stop', async () => {
		const s = new Scheduler();
		let runs = 0;
		s.repeat(async () => {
			runs++;
		}, () => 1);
		await until(() => runs >= 3);
		expect(s.pending).toBe(1);
		s.stop();
		expect(s.pending).toBe(0);
		const after = runs;
		await new Promise(resolve => setTimeout(resolve, 10));
		expect(runs).toBe(after);
	});

	it('a job still running at stop does not schedule itself again', async () => {
		const s = new Scheduler();
		let release!: () => void;
		let started = false;
		s.repeat(async () => {
			started = true;
			await new Promise<void>(resolve => {
				release = resolve;
			});
		}, () => 1);
		await until(() => started);
		expect(s.pending).toBe(0);
		s.stop();
		release();
		await tick();
		expect(s.pending).toBe(0);
	});

	it('a sleep ends at once on abort and leaves no timer; nothing is scheduled after stop', async () => {
		const s = new Scheduler();
		const abort = new AbortController();
		const slept = s.sleep(3_600_000, abort.signal);
		expect(s.pending).toBe(1);
		abort.abort();
		await slept;
		expect(s.pending).toBe(0);
		await s.sleep(1, new AbortController().signal);
		expect(s.pending).toBe(0);
		s.stop();
		s.once(1, () => {});
		s.repeat(async () => {}, () => 1);
		expect(s.pending).toBe(0);
	});

	it('takes the clock it is given', () => {
		let t = 1000;
		const s = new Scheduler(() => t);
		t += 500;
		expect(s.now()).toBe(1500);
	});
});

describe('backoff and jitter', () => {
	it('doubles from the base up to the cap', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 100].map(n => backoff(n, 30_000, 600_000))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
	});

	it('jitter stays within the spread', () => {
		for (let i = 0; i < 1000; i++) {
			const v = jitter(1000, 0.25);
			expect(v).toBeGreaterThanOrEqual(750);
			expect(v).toBeLessThanOrEqual(1250);
		}
	});
});
