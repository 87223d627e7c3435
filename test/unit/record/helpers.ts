/** A demo recorded in-process: the sim (manual clock) over HTTP, a session, a recorder, and the live snapshots taken as it ran. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {snapshotJson} from '../../../source/cli/output.js';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {openSession} from '../../../source/kube/session.js';
import {keyframe} from '../../../source/record/keyframe.js';
import {RunClock} from '../../../source/record/tap.js';
import {RecordingWriter} from '../../../source/record/writer.js';
import {startSim} from '../../../source/sim/index.js';
import {Store} from '../../../source/store/store.js';
import {ViewModel} from '../../../source/view/index.js';

export const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-rec-'));
export const views = ['pods', 'nodes', 'events', 'workloads'] as const;

export interface Recorded {
	file: string;
	/** at each time: the JSON of every view, as --once would print it then */
	live: Map<number, Record<string, string>>;
	writer: RecordingWriter;
	/** with rotateAt: the second part, begun at that step */
	part2?: RecordingWriter;
}

/** record `steps` metrics windows of the demo, `stepMs` of sim time apart */
export async function recordDemo(file: string, steps: number, stepMs = 15_000, o: {flushMs?: number; chunkBytes?: number; onError?: (m: string) => void; rotateAt?: number} = {}): Promise<Recorded> {
	const sim = await startSim({scenario: 'demo', seed: 3, clock: 'manual'});
	const clock = new RunClock(() => sim.now());
	const store = new Store({historySamples: 40, now: clock.now});
	const writer = new RecordingWriter(file, {memtopVersion: 'test', historySamples: 40, metricsIntervalMs: stepMs, ...o}, clock.now());
	writer.attach(store);
	const session = await openSession({target: kubeTargetForServer(sim.url, 'rec'), metricsIntervalMs: 3_600_000, summaryIntervalMs: 3_600_000}, store);
	const live = new Map<number, Record<string, string>>();
	let part2: RecordingWriter | undefined;
	const snap = () =>
		new Promise<void>(resolve => {
			clock.now();
			clock.atRunEnd(() => {
				const t = clock.now();
				const vm = new ViewModel(store);
				live.set(t, Object.fromEntries(views.map(v => [v, JSON.stringify(snapshotJson(vm, v, t))])));
				resolve();
			});
		});
	try {
		await session.ready;
		for (let i = 0; i < steps; i++) {
			if (i === o.rotateAt) {
				part2 = new RecordingWriter(`${file}.2`, {memtopVersion: 'test', historySamples: 40, metricsIntervalMs: stepMs}, clock.now(), 2);
				for (const input of keyframe(store, clock.now())) part2.add(input);
				part2.attach(store);
			}

			sim.advance(stepMs);
			const rv = sim.resourceVersion();
			// the watches deliver what the step changed before the polls
			const end = Date.now() + 5000;
			while (Date.now() < end && Math.max(0, ...[...store.pods.values()].map(p => Number(p.resourceVersion))) < rv - 50) await new Promise(r => setTimeout(r, 10));
			await new Promise(r => setTimeout(r, 30));
			await session.pollMetrics();
			if (i % 2 === 0) await session.pollSummaries();
			await snap();
		}
	} finally {
		await session.stop();
		writer.close();
		part2?.close();
		await sim.close();
	}

	return {file, live, writer, part2};
}
