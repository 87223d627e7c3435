/**
 * The range-answer scanner (prom/matrix.ts reads bytes) against the bytes a real Prometheus writes:
 * series whose label values are UTF-8 (accents, a snowman, an emoji) or need escapes (quotes, a
 * backslash, <&> that Go may write as \u003c), through the backfill's own query. Each answer, and
 * each cut of it at every byte, reads as JSON.parse reads it or is refused (null).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseResult} from '../../source/prom/client.js';
import {MatrixScanner, scanMatrix} from '../../source/prom/matrix.js';
import {containerWorkingSets, defaultLabels} from '../../source/prom/queries.js';
import {createBlocks, startPrometheus, type RunningPrometheus} from './harness.js';

const STEP = 15_000;
const end = Math.floor(Date.now() / STEP) * STEP;
const start = end - 20 * STEP;
const pods = ['café-0', 'snow☃man-1', 'emoji-😀-2', 'quote"d-3', 'back\\slash-4', 'html<&>-5'];
let prom: RunningPrometheus;
let dir: string;

/** OpenMetrics label value: \ " and newline escaped */
const om = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-prom-answers-'));
	const lines = ['# TYPE container_memory_working_set_bytes gauge'];
	for (const [i, pod] of pods.entries()) {
		for (const container of ['app', 'side-ü']) {
			for (let t = start; t <= end; t += STEP) lines.push(`container_memory_working_set_bytes{namespace="ns-ä",pod="${om(pod)}",container="${om(container)}",job="kubelet"} ${(i + 1) * 1048576 + (t - start) / 1000} ${(t / 1000).toFixed(3)}`);
		}
	}

	lines.push('# EOF', '');
	await createBlocks(lines.join('\n'), path.join(dir, 'data'));
	prom = await startPrometheus({storage: path.join(dir, 'data')});
}, 120_000);

afterAll(async () => {
	await prom?.stop();
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

async function answer(query: string): Promise<Buffer> {
	const u = new URL(`${prom.url}/api/v1/query_range`);
	for (const [k, v] of Object.entries({query, start: String(start / 1000), end: String(end / 1000), step: '15'})) u.searchParams.set(k, v);
	const r = await fetch(u);
	expect(r.status).toBe(200);
	return Buffer.from(await r.arrayBuffer());
}

describe('answers of a real Prometheus, read as bytes', () => {
	it.each([
		['the backfill query', containerWorkingSets(defaultLabels, {namespaces: ['ns-ä']})],
		['a raw selector (every label)', 'container_memory_working_set_bytes'],
	])('%s: what JSON.parse reads, at every cut too', async (_, query) => {
		const bytes = await answer(query);
		const want = parseResult(JSON.parse(bytes.toString('utf8')), 'q');
		expect(want.map(s => s.labels['pod']).sort()).toEqual([...pods, ...pods].sort());
		expect(scanMatrix(bytes)).toEqual(want);
		let whole = 0;
		for (let cut = 0; cut < bytes.length; cut++) {
			const got = scanMatrix(bytes.subarray(0, cut));
			if (got === null) continue;
			expect(got).toEqual(want);
			whole++;
		}

		expect(whole).toBeLessThanOrEqual(2);
		// only the labels kept, the same values
		const s = new MatrixScanner(bytes, undefined, ['pod', 'container']);
		while (s.step() === 'more');
		expect(s.out.map(x => x.labels)).toEqual(want.map(x => ({pod: x.labels['pod'], container: x.labels['container']})));
	});
});
