/**
 * The range-answer scanner reads bytes (prom/matrix.ts): against answers captured from a real
 * Prometheus (v0.316.0, fixtures/: the backfill's `max by (namespace,pod,container)` query and a
 * raw selector with every label), it reads what JSON.parse reads; an answer cut at any byte is
 * either refused (null: the caller parses it as JSON and fails) or, cut after its series, the same
 * series; a series whose label bytes are not UTF-8 is skipped and counted, the others kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseResult} from '../../../source/prom/client.js';
import {gridOf, MatrixScanner, scanGridSliced, scanMatrix, type Grid} from '../../../source/prom/matrix.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = ['range-containers.json', 'range-raw.json'].map(name => ({name, bytes: fs.readFileSync(path.join(here, 'fixtures', name))}));
const reference = (bytes: Buffer) => parseResult(JSON.parse(bytes.toString('utf8')), 'q');

/** the answer's series onto `grid`, from JSON.parse (what the client does with an answer the scanner refuses) */
function onGrid(bytes: Buffer, grid: Grid, keep?: readonly string[]) {
	return reference(bytes).map(s => {
		const values = new Float64Array(grid.times.length).fill(Number.NaN);
		for (let j = 0; j < s.times.length; j++) {
			const k = (s.times[j]! - grid.startMs) / grid.stepMs;
			if (Number.isInteger(k) && k >= 0 && k < values.length) values[k] = s.values[j]!;
		}

		const labels = Object.fromEntries(Object.entries(s.labels).filter(([k]) => keep === undefined || keep.includes(k)));
		return {labels, values: Array.from(values)};
	});
}

function gridOfAnswer(bytes: Buffer): Grid {
	const times = reference(bytes).flatMap(s => s.times);
	return gridOf(Math.min(...times), Math.max(...times), 15_000);
}

function grid(bytes: Uint8Array, g: Grid, keep?: readonly string[]) {
	const s = new MatrixScanner(bytes, g, keep);
	let r;
	while ((r = s.step()) === 'more');
	return r === 'done' ? {rows: s.rows.map(x => ({labels: x.labels, values: Array.from(x.values)})), skipped: s.skipped} : null;
}

describe('range answers scanned as bytes', () => {
	it.each(fixtures)('reads what JSON.parse reads in $name (as series, and onto the grid with only the labels kept)', async ({bytes}) => {
		const want = reference(bytes);
		expect(want.length).toBeGreaterThan(2);
		expect(scanMatrix(bytes)).toEqual(want);
		const g = gridOfAnswer(bytes);
		const keep = ['namespace', 'pod', 'container'];
		expect(grid(bytes, g)).toEqual({rows: onGrid(bytes, g), skipped: 0});
		expect(grid(bytes, g, keep)).toEqual({rows: onGrid(bytes, g, keep), skipped: 0});
		const sliced = (await scanGridSliced(bytes, g, {keep}))!;
		expect(sliced.rows.map(r => ({labels: r.labels, values: Array.from(r.values)}))).toEqual(onGrid(bytes, g, keep));
	});

	it.each(fixtures)('$name cut at every byte: refused, or (cut after the series) the same series', ({bytes}) => {
		const want = reference(bytes);
		const g = gridOfAnswer(bytes);
		const wantGrid = onGrid(bytes, g, ['pod']);
		let whole = 0;
		for (let cut = 0; cut < bytes.length; cut++) {
			const part = bytes.subarray(0, cut);
			const series = scanMatrix(part);
			if (series !== null) {
				expect(series).toEqual(want);
				whole++;
			}

			const rows = grid(part, g, ['pod']);
			if (rows !== null) expect(rows).toEqual({rows: wantGrid, skipped: 0});
		}

		// only the answer's last bytes (`}}` after the result list) can go
		expect(whole).toBeLessThanOrEqual(2);
	});

	it('skips and counts a series whose label bytes are not UTF-8; the others are read as before', () => {
		const [{bytes}] = fixtures;
		const text = bytes.toString('latin1');
		const want = reference(bytes);
		// the second series' pod label gets bytes that are no UTF-8 (a stray byte, cut sequences, a surrogate)
		const second = text.indexOf('"metric":', text.indexOf('"metric":') + 1);
		const at = text.indexOf('"pod":"', second) + '"pod":"'.length + 4;
		const others = want.filter((_, i) => i !== 1);
		for (const bad of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80]]) {
			const broken = Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
			const s = new MatrixScanner(broken);
			while (s.step() === 'more');
			expect([s.out, s.skipped]).toEqual([others, 1]);
			const g = gridOfAnswer(bytes);
			expect(grid(broken, g, ['pod'])!.skipped).toBe(1);
			// a label not kept is not read: its bytes do not matter
			expect(grid(broken, g, ['container'])!.skipped).toBe(0);
		}
	});

	it('reads UTF-8 and escaped label values as JSON.parse does', () => {
		const answer = {
			status: 'success',
			data: {
				resultType: 'matrix',
				result: [
					{metric: {namespace: 'café', pod: 'ünïcødé-☃-😀', container: 'a"b\\c\u0001<&>'}, values: [[1700000000, '1'], [1700000015, '2']]},
					{metric: {namespace: 'plain', pod: 'p', container: 'c'}, values: [[1700000000, '3']]},
				],
			},
		};
		for (const text of [JSON.stringify(answer), JSON.stringify(answer).replace(/</g, '\\u003c').replace(/é/g, '\\u00e9')]) {
			const bytes = Buffer.from(text);
			expect(scanMatrix(bytes)).toEqual(reference(bytes));
		}
	});
});
