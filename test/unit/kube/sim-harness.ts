/** A simulated cluster on a manual clock for the kube-layer tests, and what each test leaves to close (run after it, newest first). */
import {afterEach} from 'vitest';
import {startSim, type SimHandle, type SimOptions} from '../../../source/sim/index.js';

export const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	while (cleanups.length > 0) await cleanups.pop()!();
});

export async function sim(options: SimOptions): Promise<SimHandle> {
	const s = await startSim({clock: 'manual', ...options});
	cleanups.push(() => s.close());
	return s;
}
