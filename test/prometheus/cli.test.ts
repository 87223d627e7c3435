/**
 * The command line with a real Prometheus: `--demo --once` reports forecasts from the backfilled
 * hour (without Prometheus the demo's young pods have too little history), and
 * `recommend --window` states its window and source. The known series are named as the demo's pods.
 */
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {demoLeakPrometheus, type RunningPrometheus} from './harness.js';

const run = promisify(execFile);
const main = path.resolve('dist/cli/main.js');
let prom: RunningPrometheus;
let dir: string;
let sessions: string;

async function memtop(args: string[]): Promise<{stdout: string; stderr: string}> {
	return run(process.execPath, [main, ...args], {maxBuffer: 64 * 2 ** 20, timeout: 120_000});
}

beforeAll(async () => {
	if (!fs.existsSync(main)) throw new Error('dist/cli/main.js is missing: npm run build');
	({prom, dir, sessions} = await demoLeakPrometheus('memtop-prom-cli-'));
}, 600_000);

afterAll(async () => {
	await prom?.stop();
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

const forecastOf = (stdout: string) => (JSON.parse(stdout) as {items: Array<{namespace: string; name: string; forecast: {kind: string; reason?: string}}>}).items.find(p => p.name === sessions)!.forecast;

describe('memtop with a real Prometheus', () => {
	it('--once reports forecasts from the backfilled history, and says where it came from', async () => {
		const without = await memtop(['--demo', '--once', '-o', 'json']);
		expect(forecastOf(without.stdout)).toMatchObject({kind: 'none', reason: 'too-little-history'});
		const withProm = await memtop(['--demo', '--once', '-o', 'json', '--prometheus', prom.url]);
		expect(withProm.stderr).toContain(`memtop: history from Prometheus ${prom.url} (--prometheus)`);
		expect(forecastOf(withProm.stdout)).toMatchObject({kind: 'eta'});
	});

	it('recommend --window states the window and its source; krr beside it', async () => {
		const {stdout, stderr} = await memtop(['recommend', '--demo', '--prometheus', prom.url, '--window', '2h']);
		expect(stderr).toContain(`window 2h from Prometheus ${prom.url}`);
		expect(stdout).toContain(`window 2h from Prometheus ${prom.url}; KRR: krr's default (simple) strategy`);
		const row = stdout.split('\n').find(l => l.includes('deployment/sessions'))!;
		expect(row).toMatch(/sessions\s+1\s+/);
		const json = JSON.parse((await memtop(['recommend', '--demo', '--prometheus', prom.url, '--window', '2h', '-o', 'json'])).stdout) as {windowMs: number; source: string; items: Array<{workload: string; samples: number; krrSimpleBytes: number | null}>};
		expect(json).toMatchObject({windowMs: 7_200_000, source: `Prometheus ${prom.url}`});
		const item = json.items.find(i => i.workload === 'sessions')!;
		expect(item.samples).toBeGreaterThan(400);
		expect(item.krrSimpleBytes).not.toBeNull();
	});

	it('an unreachable Prometheus: the snapshot is printed with a warning naming the cause', async () => {
		const {stdout, stderr} = await memtop(['--demo', '--once', '--prometheus', 'http://127.0.0.1:9']);
		expect(stderr).toBe('memtop: history from Prometheus http://127.0.0.1:9 (--prometheus)\n');
		expect(stdout).toMatch(/Prometheus http:\/\/127\.0\.0\.1:9 unreachable \(ECONNREFUSED.*; live data only/);
		expect(stdout).toContain('sessions');
	});
});
