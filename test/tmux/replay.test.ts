/**
 * `memtop replay FILE` in a real terminal: the demo recorded in-process (the sim over HTTP, a
 * manual clock: eight minutes of 15 s windows), then the built program on the file in tmux:
 * REPLAY and the recorded time in the header, pause, step, speed, jumps, and the views as live.
 */
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {recordDemo, tmp} from '../unit/record/helpers.js';
import {startMemtop, tableRows, tmuxAvailable, type Term} from './tmux.js';

/** the recorded time the header shows (TZ=UTC), as epoch ms */
function shown(rows: string[]): {t: number; state: string} {
	const m = /REPLAY (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) (paused|end|×\d+)/.exec(rows[0] ?? '');
	if (!m) throw new Error(`no REPLAY in the header: ${rows[0]}`);
	return {t: Date.parse(`${m[1]}T${m[2]}Z`), state: m[3]!};
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe.skipIf(!tmuxAvailable())('memtop replay in tmux (120×36)', () => {
	let t: Term;
	let first = 0;
	let last = 0;

	beforeAll(async () => {
		const file = path.join(tmp(), 'demo.rec');
		const rec = await recordDemo(file, 32, 15_000);
		const times = [...rec.live.keys()];
		first = times[0]!;
		last = times.at(-1)!;
		t = startMemtop({width: 120, height: 36, args: ['replay', file], env: {TZ: 'UTC'}});
		await t.waitFor('the replay', rows => rows[0]!.includes('REPLAY') && tableRows(rows).length >= 8, 60_000);
	}, 120_000);

	afterAll(() => t?.kill());

	it('says REPLAY and the recorded time, and plays at ×1 from the start', async () => {
		const rows = t.screen();
		expect(rows[0]).toMatch(/^memtop │ REPLAY \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ×1 │ rec \(simulated\)|^memtop │ REPLAY .* ×1 │/);
		const s = shown(rows);
		expect(s.t).toBeGreaterThanOrEqual(first - 60_000);
		expect(s.t).toBeLessThanOrEqual(first + 60_000);
		expect(rows.at(-1)).toMatch(/\. pause/);
	});

	it('pauses: the recorded time stands still', async () => {
		t.keys('.');
		const a = shown(await t.waitFor('paused', rows => rows[0]!.includes('paused')));
		await sleep(2500);
		expect(shown(t.screen()).t).toBe(a.t);
	});

	it('steps to the next metrics window and stays paused', async () => {
		const a = shown(t.screen()).t;
		t.keys(',');
		const b = await t.waitFor('a step', rows => shown(rows).t > a);
		expect(shown(b).state).toBe('paused');
		expect(shown(b).t - a).toBeLessThanOrEqual(16_000);
	});

	it('plays ×10 and ×60 (faster than the wall clock), and ×1 again', async () => {
		t.keys('+');
		await t.waitFor('×10 shown', rows => rows[0]!.includes('paused'));
		t.keys('.');
		const a = shown(await t.waitFor('×10', rows => shown(rows).state === '×10')).t;
		const w = Date.now();
		const b = shown(await t.waitFor('time moving at ×10', rows => shown(rows).t >= a + 20_000)).t;
		expect((b - a) / (Date.now() - w)).toBeGreaterThan(3);
		t.keys('+');
		await t.waitFor('×60', rows => shown(rows).state === '×60' || shown(rows).state === 'end');
		t.keys('-');
		await t.waitFor('×10 again', rows => shown(rows).state === '×10' || shown(rows).state === 'end');
		t.keys('-');
		await t.waitFor('×1', rows => shown(rows).state === '×1' || shown(rows).state === 'end');
	});

	it('jumps to the start and the end, back and on by a minute', async () => {
		t.keys('.');
		await t.waitFor('paused', rows => rows[0]!.includes('paused') || rows[0]!.includes('end'));
		t.keys('0');
		const start = shown(await t.waitFor('the start', rows => shown(rows).t <= first + 1000 && shown(rows).state === 'paused'));
		t.keys(']');
		const on = shown(await t.waitFor('a minute on', rows => shown(rows).t >= start.t + 59_000));
		expect(on.t - start.t).toBeLessThanOrEqual(61_000);
		t.keys('[');
		await t.waitFor('a minute back', rows => shown(rows).t <= start.t + 1000);
		t.keys('$');
		await t.waitFor('the end', rows => shown(rows).t >= last - 1000);
	});

	it('every view works as live: nodes, events, pods', async () => {
		t.keys('2');
		const nodes = await t.waitFor('nodes', rows => rows[1]!.includes('[2 Nodes]') && rows.filter(r => /^ (worker|cp)-\d/.test(r)).length >= 5);
		expect(nodes.some(r => r.includes('worker-1'))).toBe(true);
		t.keys('4');
		await t.waitFor('events', rows => rows[1]!.includes('[4 Events]') && rows.some(r => /OOMKilled|Evicted|Killed/.test(r)));
		t.keys('1');
		await t.waitFor('the pods view', rows => rows[1]!.includes('[1 Pods]') && tableRows(rows).length >= 8);
		expect(shown(t.screen()).state).toMatch(/paused|end/);
	});
});
