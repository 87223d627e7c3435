/**
 * kubectl's habits, the built CLI against the simulated cluster over HTTP: the context's
 * namespace, -A, --field-selector, -o wide|yaml|name, --no-headers, tables that fit COLUMNS,
 * "No resources found", the config file, and ASCII for missing values.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {loadYaml} from '@kubernetes/client-node';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSim, type SimHandle} from '../../../source/sim/index.js';
import {cellWidth} from '../../../source/ui/text.js';

const main = path.resolve(import.meta.dirname, '../../../dist/cli/main.js');
const exe = process.env['MEMTOP_BIN'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-habits-'));

type Run = {code: number; stdout: string; stderr: string};
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
	return new Promise(resolve => {
		const child = spawn(exe ?? process.execPath, [...(exe ? [] : [main]), ...args], {env: {HOME: dir, PATH: process.env['PATH'], ...env}});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		child.on('error', error => resolve({code: -1, stdout, stderr: `${stderr}${error.message}`}));
		child.on('close', code => resolve({code: code ?? -1, stdout, stderr}));
	});
}

let sim: SimHandle;
let plain: string;
let shop: string;
beforeAll(async () => {
	sim = await startSim({scenario: 'demo', seed: 11, clock: 'manual'});
	sim.advance(60_000);
	plain = path.join(dir, 'plain');
	fs.writeFileSync(plain, sim.kubeconfig());
	shop = path.join(dir, 'shop');
	fs.writeFileSync(shop, sim.kubeconfig({namespace: 'shop'}));
});
afterAll(() => sim.close());

const json = (r: Run) => JSON.parse(r.stdout);
const served = async (query: string) => ((await (await fetch(`${sim.url}/api/v1/${query}`)).json()) as any).items as any[];
const names = (items: any[]) => items.map(p => `${p.metadata.namespace}/${p.metadata.name}`).sort();

describe('the namespace scope', () => {
	it("honours the context's namespace as kubectl does; -A and -n win; the JSON says which and why", async () => {
		const ctx = json(await run(['--once', '-o', 'json', '--kubeconfig', shop]));
		expect(ctx).toMatchObject({namespace: 'shop', namespaceFrom: 'context'});
		expect(ctx.items.map((p: any) => `${p.namespace}/${p.name}`).sort()).toEqual(names(await served('namespaces/shop/pods')));
		const all = json(await run(['--once', '-o', 'json', '-A', '--kubeconfig', shop]));
		expect(all).toMatchObject({namespace: null, namespaceFrom: 'flag'});
		expect(all.items).toHaveLength((await served('pods')).length);
		expect(json(await run(['--once', '-o', 'json', '-n', 'data', '--kubeconfig', shop]))).toMatchObject({namespace: 'data', namespaceFrom: 'flag'});
		expect(json(await run(['--once', '-o', 'json', '--kubeconfig', plain]))).toMatchObject({namespace: null, namespaceFrom: 'context-none'});
	});

	it('namespaceScope: all in the config file watches all namespaces whatever the context says; -n still wins', async () => {
		const xdg = path.join(dir, 'xdg-all');
		fs.mkdirSync(path.join(xdg, 'memtop'), {recursive: true});
		fs.writeFileSync(path.join(xdg, 'memtop', 'config.yaml'), 'namespaceScope: all\n');
		const r = await run(['--once', '-o', 'json', '--kubeconfig', shop], {XDG_CONFIG_HOME: xdg});
		expect(r.stderr).toBe('');
		expect(json(r)).toMatchObject({namespace: null, namespaceFrom: 'config'});
		expect(json(await run(['--once', '-o', 'json', '-n', 'shop', '--kubeconfig', shop], {XDG_CONFIG_HOME: xdg}))).toMatchObject({namespace: 'shop', namespaceFrom: 'flag'});
	});

	it('a namespace that does not exist: "No resources found in nope namespace." on stderr, nothing on stdout, exit 1', async () => {
		const r = await run(['--once', '-n', 'nope', '--kubeconfig', plain]);
		expect(r).toEqual({code: 1, stdout: '', stderr: 'No resources found in nope namespace.\n'});
		const j = await run(['--once', '-o', 'json', '-n', 'nope', '--kubeconfig', plain]);
		expect(j.code).toBe(1);
		expect(json(j)).toMatchObject({namespace: 'nope', namespaceMissing: true, items: []});
	});

	it('a namespace that exists but holds no pods: the same line, exit 0 (as kubectl get)', async () => {
		sim.putObject('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'empty-ns'}});
		const r = await run(['--once', '-n', 'empty-ns', '--kubeconfig', plain]);
		expect(r).toEqual({code: 0, stdout: '', stderr: 'No resources found in empty-ns namespace.\n'});
	});
});

describe('--field-selector', () => {
	it('is passed to the pod list: the pods are the ones the server selects', async () => {
		const node = (await served('pods'))[0].spec.nodeName as string;
		const r = await run(['--once', '-o', 'json', '--field-selector', `spec.nodeName=${node}`, '--kubeconfig', plain]);
		expect(r.stderr).toBe('');
		const out = json(r);
		expect(out.fieldSelector).toBe(`spec.nodeName=${node}`);
		expect(out.items.map((p: any) => `${p.namespace}/${p.name}`).sort()).toEqual(names(await served(`pods?fieldSelector=spec.nodeName%3D${node}`)));
		expect(out.items.every((p: any) => p.node === node)).toBe(true);
	});

	it("a selector the server refuses: one line with the server's reason, exit 1", async () => {
		const r = await run(['--once', '--field-selector', 'spec.bogus=1', '--kubeconfig', plain]);
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/^memtop: the API server rejected the field selector "spec\.bogus=1": .*\n$/);
	});
});

describe('output formats', () => {
	it('-o yaml is the JSON output, as YAML', async () => {
		const [y, j] = await Promise.all([run(['--once', '-o', 'yaml', '--kubeconfig', plain]), run(['--once', '-o', 'json', '--kubeconfig', plain])]);
		expect(y.code).toBe(0);
		expect(loadYaml(y.stdout)).toEqual(json(j));
		expect(y.stdout).toMatch(/^kind: PodList\n/);
	});

	it('-o name prints pod/NAME a line (no namespace, as kubectl); nodes and workloads too', async () => {
		const r = await run(['--once', '-o', 'name', '-n', 'shop', '--kubeconfig', plain]);
		expect(r.stdout.trimEnd().split('\n').sort()).toEqual((await served('namespaces/shop/pods')).map(p => `pod/${p.metadata.name}`).sort());
		const nodes = await run(['nodes', '--once', '-o', 'name', '--kubeconfig', plain]);
		expect(nodes.stdout.trimEnd().split('\n').sort()).toEqual((await served('nodes')).map(n => `node/${n.metadata.name}`).sort());
		const wl = await run(['workloads', '--once', '-o', 'name', '--kubeconfig', plain]);
		expect(wl.stdout).toMatch(/^deployment\.apps\/\S+$/m);
		expect(wl.stdout).toMatch(/^statefulset\.apps\/\S+$/m);
	});

	it('workloads --once prints workloads, not pods', async () => {
		const r = await run(['workloads', '--once', '--kubeconfig', plain]);
		expect(r.stdout.split('\n')[1]).toMatch(/^NAMESPACE\s+KIND\s+WORKLOAD\s+PODS/);
		expect(json(await run(['workloads', '--once', '-o', 'json', '--kubeconfig', plain])).kind).toBe('WorkloadList');
	});

	it('-o wide adds RSS, QOS and NODE; --no-headers leaves rows only', async () => {
		const wide = (await run(['--once', '-o', 'wide', '-n', 'shop', '--kubeconfig', plain])).stdout.split('\n');
		expect(wide[1]).toMatch(/^POD\s+STATUS\s+WORKING SET\s+RSS\s+REQUEST\s+LIMIT\s+%REQ\s+%LIM\s+OOM-IN\s+PSI( n\/a)?\s+RESTARTS\s+QOS\s+AGE\s+NODE$/);
		const rows = (await run(['--once', '--no-headers', '-n', 'shop', '--kubeconfig', plain])).stdout.trimEnd().split('\n');
		expect(rows).toHaveLength((await served('namespaces/shop/pods')).length);
		expect(rows.some(l => l.startsWith('#') || l.startsWith('POD'))).toBe(false);
	});

	it('COLUMNS=80: every line fits, and the columns go by the TUI priority (STATUS and AGE before the working set)', async () => {
		const r = await run(['--once', '--kubeconfig', plain], {COLUMNS: '80'});
		const lines = r.stdout.trimEnd().split('\n');
		for (const l of lines) expect(cellWidth(l), l).toBeLessThanOrEqual(80);
		expect(lines[1]).toMatch(/\bPOD\b.*WORKING SET/);
		expect(lines[1]).not.toMatch(/\bAGE\b/);
		const events = await run(['events', '--once', '--kubeconfig', plain], {COLUMNS: '80'});
		for (const l of events.stdout.trimEnd().split('\n')) expect(cellWidth(l)).toBeLessThanOrEqual(80);
		// into a pipe with no COLUMNS: no limit
		expect((await run(['--once', '--kubeconfig', plain])).stdout.split('\n')[1]).toMatch(/\bAGE$/);
	});

	it('no --once output holds an em dash: missing values are ASCII', async () => {
		const cases = ['pods', 'nodes', 'events', 'workloads'].flatMap(view => ['table', 'wide', 'yaml', ...(view === 'events' ? [] : ['name'])].map(o => [view, o] as const));
		const runs = await Promise.all(cases.map(([view, o]) => run([view, '--once', '-o', o, '--kubeconfig', plain])));
		runs.forEach((r, i) => {
			const [view, o] = cases[i]!;
			expect(r.code, `${view} -o ${o}: ${r.stderr}`).toBe(0);
			expect(r.stdout, `${view} -o ${o}`).not.toContain('\u2014');
		});
	}, 120_000);
});

describe('the config file', () => {
	const config = (name: string, text: string) => {
		const xdg = path.join(dir, name);
		fs.mkdirSync(path.join(xdg, 'memtop'), {recursive: true});
		fs.writeFileSync(path.join(xdg, 'memtop', 'config.yaml'), text);
		return {xdg, file: path.join(xdg, 'memtop', 'config.yaml')};
	};

	it('gives the defaults (view: nodes); a flag or command wins over it', async () => {
		const {xdg} = config('xdg-view', 'view: nodes\nmetricsInterval: 30s\nhistory: 2h\ncolors: false\nthresholds: {warn: 70, crit: 90}\nsort: {pods: pctLimit}\n');
		const r = await run(['--once', '-o', 'json', '--kubeconfig', plain], {XDG_CONFIG_HOME: xdg});
		expect(r.stderr).toBe('');
		expect(json(r).kind).toBe('NodeList');
		expect(json(await run(['pods', '--once', '-o', 'json', '--kubeconfig', plain], {XDG_CONFIG_HOME: xdg})).kind).toBe('PodList');
	});

	it('~/.config/memtop/config.yaml when XDG_CONFIG_HOME is not set; --config FILE instead of either', async () => {
		fs.mkdirSync(path.join(dir, '.config', 'memtop'), {recursive: true});
		fs.writeFileSync(path.join(dir, '.config', 'memtop', 'config.yaml'), 'view: events\n');
		try {
			expect(json(await run(['--once', '-o', 'json', '--kubeconfig', plain])).kind).toBe('FeedList');
			const other = path.join(dir, 'other.yaml');
			fs.writeFileSync(other, 'view: workloads\n');
			expect(json(await run(['--once', '-o', 'json', '--config', other, '--kubeconfig', plain])).kind).toBe('WorkloadList');
		} finally {
			fs.rmSync(path.join(dir, '.config'), {recursive: true});
		}
	});

	it('a bad key: one line naming the file and the key, and memtop goes on with the defaults (exit 0)', async () => {
		const {xdg, file} = config('xdg-bad', 'view: nodes\nthresholds: {warn: 99, crit: 50}\n');
		const r = await run(['--once', '-o', 'json', '--kubeconfig', plain], {XDG_CONFIG_HOME: xdg});
		expect(r.code).toBe(0);
		expect(r.stderr).toBe(`memtop: config ${file}: thresholds: needs 0 < warn < crit <= 100, got warn 99, crit 50; using its default\n`);
		expect(json(r).kind).toBe('NodeList');
		for (const [text, pattern] of [
			['colour: true\n', /: colour: unknown key \(known: view, /],
			['view: [1\n', /: not YAML \(.*\); using the defaults$/],
			['- a\n- b\n', /: not a mapping of settings; using the defaults$/],
			['metricsInterval: soon\n', /: metricsInterval: "soon" is not a duration/],
			['sort: {pods: size}\n', /: sort\.pods: "size" is not one of workingSet, /],
			['namespaceScope: mine\n', /: namespaceScope: "mine" is not context or all/],
		] as const) {
			const bad = config('xdg-bad', text);
			const b = await run(['--once', '-o', 'json', '--kubeconfig', plain], {XDG_CONFIG_HOME: bad.xdg});
			expect(b.code, text).toBe(0);
			const lines = b.stderr.trimEnd().split('\n');
			expect(lines, text).toHaveLength(1);
			expect(lines[0]!.startsWith(`memtop: config ${bad.file}: `), lines[0]).toBe(true);
			expect(lines[0]).toMatch(pattern);
			expect(json(b).kind).toBe('PodList');
		}
	});

	it('--config naming a file that is not there: one line, exit 2', async () => {
		const r = await run(['--once', '--config', '/nonexistent/memtop.yaml', '--kubeconfig', plain]);
		expect(r).toEqual({code: 2, stdout: '', stderr: 'memtop: --config: /nonexistent/memtop.yaml does not exist\n'});
	});
});

describe('bad input for the new flags: one line on stderr, exit 2, no stack trace', () => {
	const cases: Array<[string[], RegExp]> = [
		[['--once', '-o', 'xml'], /^memtop: --output: "xml" is not supported \(use table, wide, json, yaml, name\)$/],
		[['events', '--once', '-o', 'name'], /^memtop: --output name: events have no names/],
		[['--no-headers'], /^memtop: --no-headers goes with --once$/],
		[['--once', '--field-selector', ''], /^memtop: --field-selector is empty$/],
		[['completion'], /^memtop: completion: say which shell: memtop completion bash\|zsh\|fish$/],
		[['completion', 'powershell'], /^memtop: completion: say which shell/],
		[['--once', '--config', '/'], /^memtop: --config: \/ is a directory$/],
	];
	for (const [args, pattern] of cases) {
		it(args.join(' '), async () => {
			const r = await run([...args, '--kubeconfig', plain]);
			expect(r.code).toBe(2);
			expect(r.stdout).toBe('');
			expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
			expect(r.stderr.trimEnd()).toMatch(pattern);
		});
	}
});
