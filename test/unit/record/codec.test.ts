/**
 * The codec turns inputs into lines and back exactly, including what JSON has no words for, the
 * figures written as changes (metrics, Summary columns), and Summaries of an odd shape.
 */
import {describe, expect, it} from 'vitest';
import {Decoder, Encoder} from '../../../source/record/codec.js';
import {pageCode, pageDecode} from '../../../source/record/delta.js';
import type {Input} from '../../../source/record/tap.js';
import type {MemoryBreakdown, MetricsSample, SummaryState} from '../../../source/model/index.js';

function roundTrip(inputs: Input[]): Input[] {
	const enc = new Encoder();
	const dec = new Decoder();
	const out: Input[] = [];
	for (const input of inputs) {
		const lines: string[] = [];
		enc.encode(input, l => lines.push(l));
		for (const l of lines) {
			expect(l.endsWith('\n')).toBe(true);
			expect(l.slice(0, -1)).not.toContain('\n');
			const got = dec.decode(l.slice(0, -1));
			if (got) out.push(got);
		}
	}

	return out;
}

const b = (ws: number | null, extra: Partial<MemoryBreakdown> = {}): MemoryBreakdown => ({
	workingSetBytes: ws,
	usageBytes: ws === null ? null : ws + 8192,
	rssBytes: ws === null ? null : ws - 4096,
	cacheBytes: ws === null ? null : 12_288,
	swapBytes: 0,
	pageFaults: 1000,
	majorPageFaults: 3,
	psi: {some: {avg10: 0.25, avg60: 0.1, avg300: 0, total: 123_456}, full: {avg10: 0, avg60: 0, avg300: 0, total: 99}},
	rates: null,
	time: 1_700_000_000_000,
	...extra,
});

const summary = (node: string, t: number, pods: Array<[string, MemoryBreakdown, Array<[string, MemoryBreakdown]>]>): SummaryState => ({
	status: 'ok',
	summary: {node, time: t, availableBytes: 5e9, memory: b(7e9 - (7e9 % 4096)), evictionHardBytes: 100 * 2 ** 20, evictionHardSource: 'default', pods: new Map(pods.map(([k, total, cs]) => [k, {total, containers: new Map(cs)}]))},
});

describe('the codec', () => {
	it('gives back every input as it was', () => {
		const metrics = (t: number, ws: number[]): MetricsSample => ({
			time: t,
			windowMs: 15_000,
			nodes: new Map([['n1', 5e9 + t]]),
			pods: new Map(ws.map((w, i) => [`ns/p${i}`, {workingSetBytes: w, containers: new Map(i === 2 ? [['a', w / 2], ['b', w / 2]] : [['app', i === 1 ? w - 1 : w]])}])),
		});
		const inputs: Input[] = [
			{op: 'setBanner', args: [{id: 'x', level: 'warn', text: 'a\u001b[31mb\nc', since: 5}], time: 1},
			{op: 'applyMetrics', args: [metrics(1000, [4096 * 10, 12_345, 8192, Number.NaN])], time: 2},
			{op: 'applyMetrics', args: [metrics(16_000, [4096 * 12, 12_000, 2 ** 53 - 1, 5])], time: 3},
			{op: 'applyMetrics', args: [metrics(31_000, [0, -4096, 1.5, Number.POSITIVE_INFINITY])], time: 4},
			{op: 'deletePod', args: ['ns/p0'], time: 5},
			{op: 'applyMetrics', args: [metrics(46_000, [4096, 1, 2, 3])], time: 6},
			{op: 'applySummary', args: ['n1', summary('n1', 1, [['ns/p0', b(40_960), [['app', b(36_864)]]], ['ns/p1', b(null), [['a', b(4096, {psi: null})], ['b', b(1)]]]])], time: 7},
			{op: 'applySummary', args: ['n1', summary('n1', 30_001, [['ns/p0', b(49_152, {pageFaults: 1500}), [['app', b(45_056)]]], ['ns/p2', b(3), []]])], time: 8},
			// an odd shape (rates already set, an extra field): the generic delta
			{op: 'applySummary', args: ['n1', summary('n1', 60_001, [['ns/p0', b(1, {rates: {faultsPerSec: 1, majorFaultsPerSec: null, someStallPct: 0.5, fullStallPct: null, overMs: 30_000}}), []]])], time: 9},
			{op: 'applySummary', args: ['n1', {status: 'unavailable', reason: '503', time: 7}], time: 10},
			{op: 'applySummary', args: ['n1', summary('n1', 90_001, [['ns/p0', b(2 ** 51), [['app', b(2 ** 51 + 4096)]]]])], time: 11},
			{op: 'replacePods', args: [Array.from({length: 1234}, (_, i) => ({key: `ns/p${i}`, i}) as never)], time: 12},
			{op: 'replacePods', args: [[]], time: 13},
			{op: 'openPastColumns', args: [new Float64Array([1, 2, 3])], time: 14},
		];
		const out = roundTrip(inputs);
		const expected = inputs.map(i => (i.op === 'openPastColumns' ? {...i, args: [[1, 2, 3]]} : i));
		expect(out).toEqual(expected);
		// NaN and the infinities stay what they were
		const m = out[1]!.args[0] as MetricsSample;
		expect(m.pods.get('ns/p3')!.workingSetBytes).toBeNaN();
		expect((out[3]!.args[0] as MetricsSample).pods.get('ns/p3')!.workingSetBytes).toBe(Number.POSITIVE_INFINITY);
	});

	it('writes whole pages as pages, and every other difference as bytes', () => {
		for (const d of [0, 4096, -4096, 4096 * 1e9, 1, -1, 4097, -8191, 2 ** 51]) expect(pageDecode(pageCode(d))).toBe(d);
		expect(pageCode(4096 * 25)).toBe(50);
		expect(pageCode(3)).toBe(7);
	});
});
