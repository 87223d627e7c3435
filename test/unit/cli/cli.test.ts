/**
 * The built CLI as a user runs it (dist/, built by `npm test`), against the simulated cluster over
 * HTTP: --once output with exact bytes, and one clear line with a non-zero exit for bad input.
 */
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSim, type SimHandle} from '../../../source/sim/index.js';

const main = path.resolve(import.meta.dirname, '../../../dist/cli/main.js');
/** `node dist/cli/main.js`, or the single executable MEMTOP_BIN names (test/package/test.sh) */
const exe = process.env['MEMTOP_BIN'];
const memtop = exe ?? process.execPath;
const memtopArgs = exe ? [] : [main];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-cli-'));

function exec(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		const child = spawn(command, args, {env: {HOME: dir, ...env}});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		child.on('close', code => resolve({code: code ?? -1, stdout, stderr}));
	});
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{code: number; stdout: string; stderr: string}> {
	return exec(memtop, [...memtopArgs, ...args], {PATH: process.env['PATH'], ...env});
}

let sim: SimHandle;
let kubeconfig: string;
beforeAll(async () => {
	expect(fs.existsSync(exe ?? main), exe ? 'run npm run package first' : 'run npm run build first').toBe(true);
	sim = await startSim({scenario: 'demo', seed: 11, clock: 'manual'});
	sim.advance(60_000);
	kubeconfig = path.join(dir, 'config');
	fs.writeFileSync(kubeconfig, sim.kubeconfig());
});
afterAll(() => sim.close());

describe('memtop --once', () => {
	it('-o json reports every pod with the working set, request and limit the cluster serves, exactly', async () => {
		const r = await run(['--once', '-o', 'json', '--kubeconfig', kubeconfig]);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.kind).toBe('PodList');
		const snap = sim.metricsSnapshot();
		const served = new Map(snap.pods.map(p => [`${p.namespace}/${p.name}`, p]));
		const raw = (await (await fetch(`${sim.url}/api/v1/pods`)).json()) as any;
		expect(out.items).toHaveLength(raw.items.length);
		let compared = 0;
		for (const item of out.items) {
			const m = served.get(`${item.namespace}/${item.name}`);
			if (m) {
				expect(item.workingSetBytes).toBe(m.containers.reduce((a, c) => a + c.workingSetBytes, 0));
				compared++;
			} else {
				expect(item.workingSetBytes).toBeNull();
			}
		}

		expect(compared).toBe(snap.pods.length);
		// request and limit: compare against the raw spec for single-container pods without init containers
		for (const p of raw.items) {
			if (p.spec.containers.length !== 1 || p.spec.initContainers || p.spec.overhead) continue;
			const res = p.spec.containers[0].resources ?? {};
			const item = out.items.find((i: any) => i.namespace === p.metadata.namespace && i.name === p.metadata.name);
			const lim = res.limits?.memory;
			expect(item.limitBytes === null).toBe(lim === undefined);
			if (typeof lim === 'string' && /^\d+Mi$/.test(lim)) expect(item.limitBytes).toBe(Number.parseInt(lim, 10) * 1024 * 1024);
		}
	});

	it('nodes -o json carries capacity, allocatable and pressure', async () => {
		const r = await run(['nodes', '--once', '-o', 'json', '--kubeconfig', kubeconfig]);
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		const snap = sim.metricsSnapshot();
		expect(out.items.map((n: any) => n.name).sort()).toEqual(snap.nodes.map(n => n.name).sort());
		const pods = JSON.parse((await run(['--once', '-o', 'json', '--kubeconfig', kubeconfig])).stdout).items as any[];
		for (const n of out.items) {
			expect(n.workingSetBytes).toBe(snap.nodes.find(x => x.name === n.name)!.workingSetBytes);
			expect(n.allocatableBytes).toBeLessThanOrEqual(n.capacityBytes);
			// requests committed: non-terminated pods bound to the node
			const bound = pods.filter(p => p.node === n.name && p.phase !== 'Succeeded' && p.phase !== 'Failed');
			expect(n.pods).toBe(bound.length);
			expect(n.requestedBytes).toBe(bound.reduce((a, p) => a + (p.requestBytes ?? 0), 0));
		}

		expect(out.items.some((n: any) => n.requestedBytes > 0)).toBe(true);
	});

	it('prints a table with the scope, a header row, STATUS and AGE; NAMESPACE only for all namespaces (as kubectl)', async () => {
		const r = await run(['--once', '--kubeconfig', kubeconfig, '-n', 'shop']);
		expect(r.code).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines[0]).toBe('# namespace shop (-n)');
		expect(lines[1]).toMatch(/^POD\s+STATUS\s+WORKING SET\s+REQUEST\s+LIMIT\s+%REQ\s+%LIM\s+OOM-IN\s+RESTARTS\s+AGE$/);
		const raw = (await (await fetch(`${sim.url}/api/v1/namespaces/shop/pods`)).json()) as any;
		expect(lines.slice(2).map(l => l.split(/\s+/)[0]).sort()).toEqual(raw.items.map((p: any) => p.metadata.name).sort());
		const all = (await run(['--once', '--kubeconfig', kubeconfig])).stdout.split('\n');
		expect(all[0]).toBe('# all namespaces (the context names none)');
		expect(all[1]).toMatch(/^NAMESPACE\s+POD\s+STATUS\s/);
	});
});

function oldNode(): string | null {
	for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
		try {
			const v = execFileSync(candidate, ['--version'], {encoding: 'utf8'}).trim();
			if (Number(/^v(\d+)/.exec(v)?.[1]) < 22) return candidate;
		} catch {}
	}

	return null;
}

function which(tool: string): string | null {
	try {
		return execFileSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).trim() || null;
	} catch {
		return null;
	}
}

describe('how it is started', () => {
	const old = oldNode();
	it.skipIf(old === null || exe !== undefined)('re-runs itself on the bundled Node when started by a Node older than 22', async () => {
		const r = await exec(old!, [main, '--once', '-o', 'json', '--kubeconfig', kubeconfig], {PATH: '/usr/bin:/bin'});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(JSON.parse(r.stdout).kind).toBe('PodList');
	});

	const kubectl = which('kubectl');
	it.skipIf(kubectl === null)('works as the kubectl plugin `kubectl memtop`', async () => {
		const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-plugin-'));
		fs.symlinkSync(exe ?? main, path.join(bin, 'kubectl-memtop'));
		if (!exe) fs.chmodSync(main, 0o755);
		const r = await exec(kubectl!, ['memtop', 'nodes', '--once', '-o', 'json', '--kubeconfig', kubeconfig], {PATH: `${bin}:${exe ? process.env['PATH'] : `${path.dirname(process.execPath)}:/usr/bin:/bin`}`});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(JSON.parse(r.stdout).kind).toBe('NodeList');
	});
});

describe('pipes', () => {
	it('a reader that stops early (| head) ends memtop quietly with exit 0', async () => {
		const r = await new Promise<{code: number; stderr: string}>(resolve => {
			const child = spawn(memtop, [...memtopArgs, '--once', '-o', 'json', '--kubeconfig', kubeconfig], {env: {PATH: process.env['PATH'], HOME: dir}});
			let stderr = '';
			child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
			child.stdout.once('data', () => child.stdout.destroy());
			child.on('close', code => resolve({code: code ?? -1, stderr}));
		});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
	});
});

describe('bad input: one line on stderr, non-zero exit, no stack trace', () => {
	const cases: Array<[string, string[], RegExp, number]> = [
		['unknown flag', ['--frobnicate'], /frobnicate/i, 2],
		['unknown command', ['teapot'], /unknown command "teapot"/, 2],
		['bad duration', ['--metrics-interval', 'soon'], /--metrics-interval: "soon" is not a duration/, 2],
		['no kubeconfig', ['--once'], /no kubeconfig found/, 1],
		['missing kubeconfig file', ['--once', '--kubeconfig', '/nonexistent/kc'], /kubeconfig \/nonexistent\/kc does not exist/, 1],
	];
	for (const [name, args, pattern, code] of cases) {
		it(name, async () => {
			const r = await run(args);
			expect(r.code).toBe(code);
			expect(r.stdout).toBe('');
			const lines = r.stderr.trimEnd().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(pattern);
			expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
		});
	}

	it('unknown context names the ones there are', async () => {
		const r = await run(['--once', '--kubeconfig', kubeconfig, '--context', 'prod']);
		expect(r.code).toBe(1);
		expect(r.stderr.trimEnd()).toBe(`memtop: context "prod" not found in ${kubeconfig} (contexts: memtop-demo)`);
	});

	it('an unreachable server', async () => {
		const dead = path.join(dir, 'dead');
		fs.writeFileSync(dead, fs.readFileSync(kubeconfig, 'utf8').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:1'));
		const r = await run(['--once', '--kubeconfig', dead]);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/^memtop: cannot reach the API server at http:\/\/127\.0\.0\.1:1 .*\n$/);
	});

	it('the live view refuses a non-terminal instead of garbling a pipe', async () => {
		const r = await run(['--kubeconfig', kubeconfig]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/needs a terminal; use --once/);
	});
});
