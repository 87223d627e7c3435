/**
 * Record the demo, replay it: the snapshot at each recorded time equals the live one byte for
 * byte in JSON, every view (working sets, forecasts, the feed, nodes, workloads). And the store's
 * inputs are all observed: a new mutating method of Store cannot be left out of recordings.
 */
import fs from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {snapshotJson} from '../../../source/cli/output.js';
import {absentPolls} from '../../../source/memory/freshness.js';
import {Player} from '../../../source/record/player.js';
import {RecordingFile} from '../../../source/record/reader.js';
import {storeInputs} from '../../../source/record/tap.js';
import {Store} from '../../../source/store/store.js';
import {ViewModel} from '../../../source/view/index.js';
import {recordDemo, tmp, views, type Recorded} from './helpers.js';

let rec: Recorded;
beforeAll(async () => {
	rec = await recordDemo(path.join(tmp(), 'demo.rec'), 12, 15_000, {chunkBytes: 64 * 1024});
}, 60_000);

describe('replay', () => {
	it('gives the live snapshot at every recorded time, byte for byte, in every view', () => {
		const file = new RecordingFile(rec.file);
		expect(file.cut).toBeNull();
		expect(file.chunks.length).toBeGreaterThan(1);
		const player = new Player(file, {notifyIntervalMs: 0});
		let forecasts = 0;
		let feed = 0;
		for (const [t, live] of rec.live) {
			player.seek(t);
			const vm = new ViewModel(player.store);
			for (const v of views) expect(JSON.stringify(snapshotJson(vm, v, t)), `${v} at ${new Date(t).toISOString()}`).toBe(live[v]);
			forecasts += (live['pods']!.match(/"kind":"eta"/g) ?? []).length;
			feed = Math.max(feed, (JSON.parse(live['events']!) as {items: unknown[]}).items.length);
		}

		// the comparison covered forecasts and feed entries, not only empty lists
		expect(forecasts).toBeGreaterThan(0);
		expect(feed).toBeGreaterThan(0);
		file.close();
	});

	it('seeks back (a new store from the start) and forward to the same snapshots', () => {
		const file = new RecordingFile(rec.file);
		const player = new Player(file, {notifyIntervalMs: 0});
		const times = [...rec.live.keys()];
		for (const t of [times[8]!, times[2]!, times[10]!, times[2]!]) {
			player.seek(t);
			expect(JSON.stringify(snapshotJson(new ViewModel(player.store), 'pods', t))).toBe(rec.live.get(t)!['pods']);
		}

		expect(player.generation).toBe(3);
		file.close();
	});

	it('records every method of Store that changes it', () => {
		const readOnly = new Set(['constructor', 'workingSet', 'containerWorkingSet', 'podSetChangesSince', 'podChangesSince', 'podSlot', 'workingSetOfSlot', 'nodeWorkingSet', 'history', 'hasSeries', 'seriesInto', 'ringOf', 'containerSeriesNames', 'nodeAggregate', 'podsOnNode', 'namespaces', 'summary', 'podBreakdown', 'allSynced', 'seriesCount', 'flush', 'changed', 'notePressure', 'psiSlot', 'slotOf', 'markSole', 'containerSlot', 'putPod', 'removePod', 'logSetChange', 'logRecord', 'account', 'unaccount', 'putNode', 'removeNode', 'beginMetrics', 'stager', 'stageContainers', 'applyLate', 'setOwnContainers']);
		const inputs = new Set<string>(storeInputs);
		const unknown = Object.getOwnPropertyNames(Store.prototype).filter(m => !inputs.has(m) && !readOnly.has(m));
		expect(unknown, 'a Store method that is neither recorded (record/tap.ts storeInputs) nor known read-only').toEqual([]);
	});

	it('a rotated part replays on its own: records, Summaries and working sets as live from its start', async () => {
		const r = await recordDemo(path.join(tmp(), 'rot.rec'), 12, 15_000, {rotateAt: 4});
		const part = new RecordingFile(`${r.file}.2`);
		expect(part.header.part).toBe(2);
		const player = new Player(part, {notifyIntervalMs: 0});
		// from absentPolls + 1 windows on: a last-known working set from before the part has lapsed live too
		const after = [...r.live.keys()].slice(4 + absentPolls + 1);
		expect(after.length).toBeGreaterThan(3);
		for (const t of after) {
			player.seek(t);
			const vm = new ViewModel(player.store);
			for (const v of ['nodes', 'workloads'] as const) expect(JSON.stringify(snapshotJson(vm, v, t)), `${v} at ${t}`).toBe(r.live.get(t)![v]);
			const pods = JSON.parse(JSON.stringify(snapshotJson(vm, 'pods', t))) as {items: Array<Record<string, unknown>>};
			const live = JSON.parse(r.live.get(t)!['pods']!) as {items: Array<Record<string, unknown>>};
			// the pods and their figures; forecasts need the history from before the part
			const figures = (d: typeof pods) => d.items.map(({forecast: _f, containers: _c, ...rest}) => rest);
			expect(figures(pods)).toEqual(figures(live));
		}

		part.close();
	}, 60_000);

	it('stays under 20 kB a window for the demo (40 pods, 6 nodes)', () => {
		const size = fs.statSync(rec.file).size;
		expect(size).toBeLessThan(rec.live.size * 20_000);
	});
});
