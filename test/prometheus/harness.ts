/**
 * A real Prometheus for the tests: the binaries test/prometheus/build.sh builds from the Go module
 * proxy, TSDB blocks made from OpenMetrics text with promtool, and a server started on them.
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
export const PROMETHEUS_VERSION = process.env['PROMETHEUS_VERSION'] ?? 'v0.316.0';
const cache = process.env['MEMTOP_PROMETHEUS_CACHE'] ?? path.join(os.homedir(), '.cache', 'memtop-prometheus');

export function binary(name: 'prometheus' | 'promtool'): string {
	const file = path.join(cache, 'bin', `${name}-${PROMETHEUS_VERSION}`);
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: run bash test/prometheus/build.sh first`);
	return file;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});
}

/** TSDB blocks in `dir` from OpenMetrics text (promtool tsdb create-blocks-from openmetrics) */
export async function createBlocks(openMetrics: string, dir: string): Promise<void> {
	fs.mkdirSync(dir, {recursive: true});
	const input = path.join(path.dirname(dir), 'input.om');
	fs.writeFileSync(input, openMetrics);
	// 2h blocks (the default) would make one block per 2 hours: a week in one block is fine for a test
	await run(binary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=168h', input, dir], {maxBuffer: 64 * 2 ** 20});
}

export interface RunningPrometheus {
	url: string;
	port: number;
	process: ChildProcess;
	log(): string;
	stop(): Promise<void>;
}

/** Prometheus on `storage` with `config` (YAML) at `host` (default loopback), ready (GET /-/ready) before it resolves */
export async function startPrometheus(opts: {storage: string; config?: string; args?: string[]; host?: string}): Promise<RunningPrometheus> {
	const host = opts.host ?? '127.0.0.1';
	const port = await freePort();
	const config = path.join(path.dirname(opts.storage), `prometheus-${port}.yml`);
	fs.writeFileSync(config, opts.config ?? 'global:\n  scrape_interval: 15s\n');
	const child = spawn(
		binary('prometheus'),
		[`--config.file=${config}`, `--storage.tsdb.path=${opts.storage}`, `--web.listen-address=${host}:${port}`, '--storage.tsdb.retention.time=3650d', '--log.level=warn', ...(opts.args ?? [])],
		{stdio: ['ignore', 'pipe', 'pipe']},
	);
	let log = '';
	const keep = (b: Buffer) => {
		log = (log + b.toString()).slice(-20_000);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const url = `http://${host}:${port}`;
	const stop = async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise(resolve => child.once('exit', resolve));
		child.kill('SIGTERM');
		await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 10_000))]);
		if (child.exitCode === null) child.kill('SIGKILL');
	};

	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${log}`);
		try {
			const res = await fetch(`${url}/-/ready`);
			if (res.status === 200) break;
		} catch {
			// not listening yet
		}

		if (Date.now() > deadline) {
			await stop();
			throw new Error(`prometheus not ready within 120 s: ${log}`);
		}

		await new Promise(resolve => setTimeout(resolve, 250));
	}

	return {url, port, process: child, log: () => log, stop};
}

/**
 * Prometheus on blocks in which the demo's sessions pod (its name from the demo's seed: a sim of
 * our own, the same seed) leaks: 300 Mi now (where the demo starts it), 50 Mi an hour for the two
 * hours before. `dir` holds the blocks: remove it after `prom.stop()`.
 */
export async function demoLeakPrometheus(prefix: string): Promise<{prom: RunningPrometheus; dir: string; sessions: string}> {
	const [{startSim}, {leak, Mi, openMetrics, STEP_MS}] = await Promise.all([import('../../source/sim/index.js'), import('./series.js')]);
	const sim = await startSim({scenario: 'demo', clock: 'manual', seed: 1});
	const list = (await (await fetch(`${sim.url}/api/v1/namespaces/shop/pods`)).json()) as {items: Array<{metadata: {name: string}}>};
	await sim.close();
	const sessions = list.items.map(p => p.metadata.name).find(n => n.startsWith('sessions-'));
	if (sessions === undefined) throw new Error('the demo has no sessions pod');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const end = Math.ceil(Date.now() / STEP_MS) * STEP_MS + 10 * 60_000;
	const value = leak(Date.now(), 300 * Mi, 50 * Mi, Date.now() - 2 * 3_600_000);
	await createBlocks(openMetrics([{namespace: 'shop', pod: sessions, container: 'sessions', value}], end - 3 * 3_600_000, end), path.join(dir, 'data'));
	return {prom: await startPrometheus({storage: path.join(dir, 'data')}), dir, sessions};
}
