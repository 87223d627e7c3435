/**
 * The live view's first frame with a real Prometheus, in a real terminal (tmux): `memtop --demo
 * --prometheus URL`, the demo's sessions pod leaking in Prometheus's blocks for the last two hours.
 * The screen is captured from the start, as fast as tmux answers: the FIRST capture in which the
 * pods table has working sets must already show that pod's trend (a sparkline across its TREND
 * cell, from the backfilled hour) and a forecast (OOM-IN counting down), not one sample and a dash.
 * Prometheus is reached through a proxy that holds each range answer 2 s (a far or busy server),
 * and the hold's deadline is stretched to 60 s: the demo's lists take milliseconds, so without the
 * hold the first working sets would be on screen long before the history.
 */
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseBytes, startMemtop, tableRows, tmuxAvailable, type Term} from '../tmux/tmux.js';
import {demoLeakPrometheus, type RunningPrometheus} from './harness.js';

let prom: RunningPrometheus;
let slow: http.Server;
let slowUrl: string;
let dir: string;
let sessions: string;
const spark = /[▁▂▃▄▅▆▇█]/gu;

beforeAll(async () => {
	({prom, dir, sessions} = await demoLeakPrometheus('memtop-prom-tmux-'));
	slow = http.createServer(async (req, res) => {
		if (req.url!.startsWith('/api/v1/query_range')) await new Promise(resolve => setTimeout(resolve, 2000));
		const answer = await fetch(`${prom.url}${req.url}`);
		res.writeHead(answer.status, {'content-type': answer.headers.get('content-type') ?? 'application/json'}).end(Buffer.from(await answer.arrayBuffer()));
	});
	await new Promise<void>(resolve => slow.listen(0, '127.0.0.1', resolve));
	slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
}, 600_000);

afterAll(async () => {
	slow?.closeAllConnections();
	await new Promise(resolve => (slow ? slow.close(resolve) : resolve(undefined)));
	await prom?.stop();
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

/** the sessions pod's row of a captured screen, split on blanks (null: not on it) */
function sessionsRow(rows: string[]): {cells: string[]; line: string} | null {
	const header = rows.findIndex(r => /^\s*NAMESPACE\s+POD\b/.test(r));
	const cells = tableRows(rows).find(r => r[1] === sessions);
	const line = header < 0 ? undefined : rows.slice(header + 1).find(r => r.includes(` ${sessions} `));
	return cells && line ? {cells, line} : null;
}

describe.skipIf(!tmuxAvailable())('the first frame with a real Prometheus (tmux)', () => {
	let t: Term | undefined;
	afterAll(() => t?.kill());

	it('the first frame with working sets already shows the backfilled trend and a forecast', async () => {
		t = startMemtop({width: 160, height: 40, args: ['--demo', '--prometheus', slowUrl], env: {MEMTOP_FIRST_FRAME_HOLD_MS: '60000'}});
		const captures: string[][] = [];
		// every capture until the sessions pod has a working set on screen: the first such frame is the one
		const first = await t.waitFor(
			'the sessions pod with a working set',
			rows => {
				captures.push(rows);
				const row = sessionsRow(rows);
				return row !== null && Number.isFinite(parseBytes(row.cells[2]!));
			},
			60_000,
		);
		const row = sessionsRow(first)!;
		const header = first.find(r => /^\s*NAMESPACE\s+POD\b/.test(r))!;
		const trendAt = header.indexOf('TREND');
		const oomAt = header.indexOf('OOM-IN');
		expect(trendAt, header).toBeGreaterThan(0);
		const trend = row.line.slice(trendAt);
		const trendWidth = header.length - trendAt;
		// the whole TREND cell drawn (a sample per cell from the backfilled hour), not the one live sample
		expect((trend.match(spark) ?? []).length, `${row.line}\n(after ${captures.length} captures)`).toBeGreaterThanOrEqual(Math.min(8, trendWidth - 1));
		// OOM-IN counts down (the leak reaches the limit), not a dash for too little history
		expect(row.line.slice(oomAt - 2, oomAt + 'OOM-IN'.length).trim(), row.line).toMatch(/^~?\d+(\.\d+)?[smhd]/);
	}, 120_000);
});
