/**
 * A reader slower than `--watch`: memtop keeps at most a few MiB waiting for it and drops whole
 * windows beyond that, so its RSS stays flat while the reader sleeps; when the reader reads again
 * the stream says how many windows it dropped and from when to when. A reader that goes away
 * ends memtop quietly with exit 0.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {startSim, type SimHandle} from '../../../source/sim/index.js';
import {tmp} from './helpers.js';

const main = path.resolve(import.meta.dirname, '../../../dist/cli/main.js');
const exe = process.env['MEMTOP_BIN'];
const memtop = exe ?? process.execPath;
const memtopArgs = exe ? [] : [main];
const dir = tmp();

let sim: SimHandle;
let kubeconfig: string;
beforeAll(async () => {
	sim = await startSim({scenario: 'scale', pods: 3000, nodes: 60, seed: 2, clock: 'realtime', speed: 15, tickMs: 15_000, metricsResolutionMs: 15_000});
	kubeconfig = path.join(dir, 'config');
	fs.writeFileSync(kubeconfig, sim.kubeconfig());
}, 60_000);
afterAll(() => sim.close());

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

it('a reader that stops reading: windows are dropped, RSS stays flat, and the stream says what it dropped', async () => {
	const child = spawn(memtop, [...memtopArgs, '--watch', '-o', 'json', '--kubeconfig', kubeconfig, '--metrics-interval', '1s'], {env: {PATH: process.env['PATH'], HOME: dir}, stdio: ['ignore', 'pipe', 'inherit']});
	const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
	const out = child.stdout!;
	// read the first window, then stop reading
	let first = '';
	await new Promise<void>(resolve => {
		const onData = (c: Buffer) => {
			first += c.toString();
			if (first.includes('\n')) {
				out.off('data', onData);
				out.pause();
				resolve();
			}
		};

		out.on('data', onData);
	});
	expect(() => JSON.parse(first.slice(0, first.indexOf('\n')))).not.toThrow();
	const rss: number[] = [];
	for (let i = 0; i < 16; i++) {
		await sleep(1000);
		rss.push(rssMb(child.pid!));
	}

	// each window is ~4 MB of JSON (3,000 pods): 16 windows kept would be 60+ MB more
	const settled = Math.min(...rss.slice(3, 6));
	const peak = Math.max(...rss.slice(6));
	expect(peak - settled, `RSS MB over the pause: ${rss.map(r => r.toFixed(0)).join(' ')}`).toBeLessThan(45);

	// read again: a Dropped line comes, then whole windows, every line JSON
	let text = first.slice(first.indexOf('\n') + 1);
	out.setEncoding('utf8');
	out.on('data', (c: string) => (text += c));
	out.resume();
	const end = Date.now() + 30_000;
	while (!text.includes('"kind":"Dropped"') && Date.now() < end) await sleep(100);
	// whole lines only: the last one may still be coming
	const lines = text.split('\n').slice(0, -1);
	console.log(`RSS MB while the reader slept: ${rss.map(r => r.toFixed(0)).join(' ')}`);
	const dropped = lines.map(l => JSON.parse(l) as Record<string, unknown>).find(l => l['kind'] === 'Dropped');
	expect(dropped).toBeDefined();
	expect(dropped!['windows']).toBeGreaterThan(5);
	expect(dropped!['reason']).toBe('the reader was too slow');
	// the reader goes away: memtop ends with 0
	out.destroy();
	expect(await exited).toBe(0);
}, 90_000);
