import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {startSim, type SimHandle} from '../../../source/sim/index.js';
import {getJson, WatchStream} from './helpers.js';

let sims: SimHandle[] = [];
afterEach(async () => {
	await Promise.all(sims.map((s) => s.close()));
	sims = [];
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error('condition not reached');
		}

		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('clock', () => {
	it('realtime: a timer moves sim time (with a speed factor) and watches receive the changes', async () => {
		const s = await startSim({scenario: 'demo', clock: 'realtime', speed: 50, seed: 3});
		sims.push(s);
		const start = s.now();
		const w = new WatchStream(`${s.url}/api/v1/events?watch=1&resourceVersion=${s.resourceVersion()}`);
		try {
			await w.ready;
			await until(() => s.now() - start >= 70_000);
			await w.until((ev) => ev.some((e) => e.object.reason === 'Evicted'));
			expect(s.incidents.some((i) => i.kind === 'Evicted')).toBe(true);
		} finally {
			w.close();
		}
	});

	it('manual: nothing moves until advance(), and partial ticks accumulate', async () => {
		const s = await startSim({scenario: 'demo', clock: 'manual'});
		sims.push(s);
		const rv = s.resourceVersion();
		const start = s.now();
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(s.resourceVersion()).toBe(rv);
		expect(s.now()).toBe(start);
		s.advance(400);
		s.advance(400);
		expect(s.resourceVersion()).toBe(rv);
		s.advance(400); // 1.2 s: one whole tick happened
		expect(s.now()).toBe(start + 1200);
		s.advance(30_000);
		expect(s.resourceVersion()).toBeGreaterThan(rv);
	});

	it('manual clocks start at a fixed instant; startTime overrides it', async () => {
		const a = await startSim({scenario: 'empty', clock: 'manual'});
		const b = await startSim({scenario: 'empty', clock: 'manual', startTime: Date.UTC(2030, 0, 1)});
		sims.push(a, b);
		expect(new Date(a.now()).toISOString()).toBe('2026-06-26T10:00:00.000Z');
		expect(b.now()).toBe(Date.UTC(2030, 0, 1));
		const ns = await getJson(`${b.url}/api/v1/namespaces`);
		expect(ns.items.map((n: any) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
	});
});

const MAIN = fileURLToPath(new URL('../../../dist/sim/main.js', import.meta.url));

describe.skipIf(!existsSync(MAIN))('the sim CLI (dist/sim/main.js, built by npm test)', () => {
	it('prints SIM_URL, serves, and exits when its stdin closes', async () => {
		const child = spawn(process.execPath, [MAIN, '--scenario', 'scale', '--pods', '3000', '--nodes', '40', '--seed', '2', '--tick-ms', '5000'], {stdio: ['pipe', 'pipe', 'pipe']});
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		const lines = readline.createInterface({input: child.stdout});
		let url = '';
		for await (const line of lines) {
			const m = /^SIM_URL=(\S+)$/.exec(line);
			if (m) {
				url = m[1] ?? '';
				break;
			}
		}

		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const pods = await getJson(`${url}/api/v1/pods?limit=1`);
		expect(pods.metadata.remainingItemCount).toBe(2999);
		child.stdin.end();
		expect(await exited).toBe(0);
	});
});
