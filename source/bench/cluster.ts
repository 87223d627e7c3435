/**
 * npm run bench:cluster: memtop against kubectl (built with the test cluster) and k9s (built from
 * the Go module proxy by test/cluster/scripts/build-k9s.sh, when it builds) on the real control
 * plane at 10k pods: the one-shot, the TUI's first table and idle CPU, and both a link away
 * (100 Mbit/s, 30 ms round trip). Each figure is the median of runs alternated between the tools compared; each line
 * prints the figure, the peer's, their ratio and the target.
 *
 * Env: MEMTOP_CLUSTER_KUBECONFIG (a running cluster: used, left running; else one is started
 * with MEMTOP_BENCH_NODES/MEMTOP_BENCH_PODS, default 100/10000, in the slot MEMTOP_CLUSTER_* name,
 * and stopped), MEMTOP_BENCH_RUNS (default 7), MEMTOP_BENCH_IDLE_S (default 60),
 * MEMTOP_BENCH_K9S=0 (no k9s); MEMTOP_BENCH_ONESHOT=0, MEMTOP_BENCH_TUI=0, MEMTOP_BENCH_FAR=0 leave a section out;
 * MEMTOP_BENCH_BASELINE=<another build's dist/cli/main.js> (its one-shots timed in the same rounds, as "before").
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {openFarLink} from './cluster-far.js';
import {alternate, cpuPercent, median, rssBytes, startTui, timeRun, type Cmd} from './cluster-run.js';

const repo = path.resolve(import.meta.dirname, '../..');
const scripts = path.join(repo, 'test', 'cluster', 'scripts');
const env = process.env;
const runs = Number(env['MEMTOP_BENCH_RUNS'] ?? 7);
const idleMs = Number(env['MEMTOP_BENCH_IDLE_S'] ?? 60) * 1000;
const k8sVersion = env['K8S_VERSION'] ?? 'v1.36.3';
const kubectl = path.join(env['MEMTOP_CLUSTER_CACHE'] ?? path.join(os.homedir(), '.cache', 'memtop-cluster'), 'bin', `kubectl-${k8sVersion}`);
const k9sVersion = env['K9S_VERSION'] ?? 'v0.50.16';
const k9sBin = path.join(env['MEMTOP_K9S_CACHE'] ?? path.join(os.homedir(), '.cache', 'memtop-k9s'), 'bin', `k9s-${k9sVersion}`);
const memtopMain = path.join(repo, 'dist', 'cli', 'main.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-bench-cluster-'));

const say = (line: string) => process.stdout.write(`${line}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Row {
	what: string;
	memtop: string;
	peer: string;
	ratio: number | null;
	target: string;
	ok: boolean | null;
}

const rows: Row[] = [];
function row(what: string, memtop: string, peer: string, ratio: number | null, target: string, limit: number | null): void {
	rows.push({what, memtop, peer, ratio, target, ok: ratio === null || limit === null ? null : ratio <= limit});
}

function bash(script: string, args: string[]): void {
	const r = spawnSync('bash', [path.join(scripts, script), ...args], {stdio: ['ignore', 'inherit', 'inherit']});
	if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit ${r.status})`);
}

/** the cluster: the one MEMTOP_CLUSTER_KUBECONFIG names, or a fresh one (stopped at the end) */
function cluster(): {kubeconfig: string; state: string; stop: () => void} {
	const given = env['MEMTOP_CLUSTER_KUBECONFIG'];
	if (given) return {kubeconfig: given, state: path.dirname(given), stop: () => {}};
	bash('build.sh', []);
	const nodes = env['MEMTOP_BENCH_NODES'] ?? '100';
	const pods = env['MEMTOP_BENCH_PODS'] ?? '10000';
	say(`starting the test cluster: ${nodes} nodes, ${pods} pods (test/cluster/scripts/up.sh)`);
	bash('up.sh', ['--nodes', nodes, '--pods', pods]);
	const state = env['MEMTOP_CLUSTER_STATE'] ?? '/tmp/memtop-cluster';
	return {kubeconfig: path.join(state, 'admin.kubeconfig'), state, stop: () => bash('down.sh', [])};
}

/** the slot's network namespace and host address, from the cluster's cluster.env */
function clusterEnv(state: string): Record<string, string> {
	const out: Record<string, string> = {};
	const file = path.join(state, 'cluster.env');
	if (!fs.existsSync(file)) return out;
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const m = /^(\w+)=(.*)$/.exec(line);
		if (m) out[m[1]!] = m[2]!;
	}

	return out;
}

function k9sReady(): boolean {
	if (env['MEMTOP_BENCH_K9S'] === '0') return false;
	const r = spawnSync('bash', [path.join(scripts, 'build-k9s.sh')], {stdio: ['ignore', 'inherit', 'inherit']});
	return r.status === 0 && fs.existsSync(k9sBin);
}

const memtop = (label: string, args: string[], extra: Partial<Cmd> = {}, main = memtopMain): Cmd => ({label, argv: [process.execPath, '--max-semi-space-size=32', main, ...args], ...extra});
/** MEMTOP_BENCH_BASELINE: another build's dist/cli/main.js (e.g. main's), timed in the same rounds as "before" */
const baseline = env['MEMTOP_BENCH_BASELINE'];
const before = (label: string, args: string[]): Cmd[] => (baseline ? [memtop(`${label} [before]`, args, {}, baseline)] : []);
const kube = (label: string, args: string[], extra: Partial<Cmd> = {}): Cmd => ({label, argv: [kubectl, ...args], ...extra});

/** a pod row whose working set (the column after the name) is a figure */
const memtopTable = (screen: string) => /^\s*load-\d+\s+load-\d+\s+\d+(\.\d+)?(Ki|Mi|Gi)\s/m.test(screen);
/** k9s's pods view: a Running pod row with a MEM figure (RESTARTS CPU %CPU/R %CPU/L MEM; n/a until metrics come) */
const k9sTable = (screen: string) => /load-\d+\s+load-\d+\s+\S*\s*1\/1\s+Running\s+\d+\s+\S+\s+\S+\s+\S+\s+\d+\s/.test(screen);

function k9s(label: string, kubeconfig: string, extra: Partial<Cmd> = {}): Cmd {
	const home = path.join(work, 'k9s-home');
	fs.mkdirSync(home, {recursive: true});
	// its own config and state dirs; --readonly: no command of it can write to the cluster
	return {label, argv: [k9sBin, '--kubeconfig', kubeconfig, '-A', '-c', 'pods', '--readonly', '--headless', '--logoless', '--crumbsless'], env: {XDG_CONFIG_HOME: home, XDG_STATE_HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, K9S_CONFIG_DIR: path.join(home, 'k9s')}, ...extra};
}

async function oneShots(kubeconfig: string): Promise<void> {
	say(`\n== one-shot at the cluster (${runs} alternated rounds)`);
	const cmds = [
		kube('kubectl get --raw /api/v1/pods', ['--kubeconfig', kubeconfig, 'get', '--raw', '/api/v1/pods']),
		kube('kubectl top pods -A', ['--kubeconfig', kubeconfig, 'top', 'pods', '-A']),
		memtop('memtop --once -A', ['--once', '-A', '--kubeconfig', kubeconfig]),
		memtop('memtop nodes --once', ['nodes', '--once', '--kubeconfig', kubeconfig]),
		kube('kubectl top nodes', ['--kubeconfig', kubeconfig, 'top', 'nodes']),
		memtop('memtop --once -A (pods in JSON)', ['--once', '-A', '--kubeconfig', kubeconfig], {env: {MEMTOP_PROTOBUF: '0'}}),
		...before('memtop --once -A', ['--once', '-A', '--kubeconfig', kubeconfig]),
		...before('memtop nodes --once', ['nodes', '--once', '--kubeconfig', kubeconfig]),
	];
	say(`  order: ${cmds.map(c => c.label).join(' / ')}`);
	const t = (await alternate(cmds, runs, c => timeRun(c), say)).map(median);
	const [raw, top, once, nodes, topNodes, onceJson, onceBefore, nodesBefore] = t as [number, number, number, number, number, number, number?, number?];
	row('`memtop --once -A`: pods in protobuf vs JSON', secs(once), `${secs(onceJson)} (JSON)`, once / onceJson, 'ship the faster', null);
	if (onceBefore !== undefined) row('`memtop --once -A` after vs before', secs(once), `${secs(onceBefore)} (before)`, once / onceBefore, '-', null);
	if (nodesBefore !== undefined) row('`memtop nodes --once` after vs before', secs(nodes), `${secs(nodesBefore)} (before)`, nodes / nodesBefore, '-', null);
	if (onceBefore !== undefined) row('before: `memtop --once -A` vs `kubectl get --raw /api/v1/pods`', secs(onceBefore), secs(raw), onceBefore / raw, '≤ 1.5×', 1.5);
	if (onceBefore !== undefined) row('before: `memtop --once -A` vs `kubectl top pods -A`', secs(onceBefore), secs(top), onceBefore / top, '≤ 2.5×', 2.5);
	if (nodesBefore !== undefined && onceBefore !== undefined) row('before: `memtop nodes --once` vs `memtop --once -A`', secs(nodesBefore), secs(onceBefore), nodesBefore / onceBefore, '≤ 1.5×', 1.5);
	row('`memtop --once -A` vs `kubectl get --raw /api/v1/pods`', secs(once), secs(raw), once / raw, '≤ 1.5×', 1.5);
	row('`memtop --once -A` vs `kubectl top pods -A`', secs(once), secs(top), once / top, '≤ 2.5×', 2.5);
	row('`memtop nodes --once` vs `memtop --once -A`', secs(nodes), secs(once), nodes / once, '≤ 1.5×', 1.5);
	row('`memtop nodes --once` vs `kubectl top nodes` (for reference)', secs(nodes), secs(topNodes), nodes / topNodes, '-', null);
}

async function tuis(kubeconfig: string, withK9s: boolean): Promise<void> {
	say(`\n== TUI: start → first table with memory figures (tmux 200×50, ${runs} alternated rounds)`);
	const cmds = [memtop('memtop', ['-A', '--kubeconfig', kubeconfig]), ...(withK9s ? [k9s('k9s', kubeconfig)] : [])];
	const ready = (c: Cmd) => (c.label === 'k9s' ? k9sTable : memtopTable);
	const first = await alternate(
		cmds,
		runs,
		async c => {
			const tui = await startTui(c, ready(c));
			tui.stop();
			return tui.firstMs;
		},
		say,
	);
	const [m, k] = first.map(median) as [number, number | undefined];
	if (k === undefined) row('TUI start → first table with memory (no k9s: absolute target)', secs(m), '-', null, '≤ 1.5 s', null);
	else row('TUI start → first table with memory vs k9s', secs(m), secs(k), m / k, '≤ 0.5×', 0.5);
	if (k === undefined) rows.at(-1)!.ok = m <= 1500;

	say(`\n== TUI idle: CPU over ${idleMs / 1000} s once the first table is up (+10 s settle), one run each, alternated`);
	const idle: number[] = [];
	const rss: number[] = [];
	for (const c of cmds) {
		const tui = await startTui(c, ready(c));
		try {
			await new Promise(resolve => setTimeout(resolve, 10_000));
			idle.push(await cpuPercent(tui.pid, idleMs));
			rss.push(rssBytes(tui.pid));
		} finally {
			tui.stop();
		}

		say(`  ${c.label}: ${idle.at(-1)!.toFixed(1)} % of a core, RSS ${Math.round(rss.at(-1)! / 2 ** 20)} MB`);
	}

	row('TUI CPU while idle (% of a core)', `${idle[0]!.toFixed(1)} %`, idle[1] === undefined ? '-' : `${idle[1].toFixed(1)} % (k9s)`, idle[1] ? idle[0]! / idle[1] : null, '≤ 2 %', null);
	rows.at(-1)!.ok = idle[0]! <= 2;
	row('TUI RSS after the idle minute', `${Math.round(rss[0]! / 2 ** 20)} MB`, rss[1] === undefined ? '-' : `${Math.round(rss[1] / 2 ** 20)} MB (k9s)`, rss[1] ? rss[0]! / rss[1] : null, '-', null);
}

async function far(kubeconfig: string, state: string): Promise<void> {
	const ce = clusterEnv(state);
	const netns = env['MEMTOP_CLUSTER_NETNS'] ?? ce['MEMTOP_CLUSTER_NETNS'] ?? 'memtop-cluster';
	const hostIp = env['MEMTOP_CLUSTER_HOST_IP'] ?? ce['MEMTOP_CLUSTER_HOST_IP'] ?? '198.18.0.1';
	const link = await openFarLink({kubeconfig, netns, hostIp, workDir: work, rateMbit: 100, rttMs: 30});
	// an interrupted bench leaves no shaped link behind
	const interrupted = () => {
		link.close();
		process.exit(130);
	};

	process.once('SIGINT', interrupted);
	try {
		say(`\n== a link away: 100 Mbit/s, 30 ms round trip (source/bench/cluster-far.ts), clients in netns ${netns} (${runs} alternated rounds)`);
		const inNs = {netns: link.netns};
		const cmds = [
			kube('kubectl get --raw /api/v1/pods (gzip)', ['--kubeconfig', link.kubeconfig, 'get', '--raw', '/api/v1/pods'], inNs),
			kube('kubectl top pods -A', ['--kubeconfig', link.kubeconfig, 'top', 'pods', '-A'], inNs),
			memtop('memtop --once -A (gzip)', ['--once', '-A', '--kubeconfig', link.kubeconfig], inNs),
			memtop('memtop --once -A (no gzip)', ['--once', '-A', '--kubeconfig', link.kubeconfig], {...inNs, env: {MEMTOP_GZIP: '0'}}),
			kube('kubectl get --raw /api/v1/pods (no gzip)', ['--kubeconfig', link.kubeconfigNoGzip, 'get', '--raw', '/api/v1/pods'], inNs),
			memtop('memtop --once -A (gzip, pods in JSON)', ['--once', '-A', '--kubeconfig', link.kubeconfig], {...inNs, env: {MEMTOP_PROTOBUF: '0'}}),
		];
		say(`  order: ${cmds.map(c => c.label).join(' / ')}`);
		const [raw, top, gz, plain, rawPlain, json] = (await alternate(cmds, runs, c => timeRun(c), say)).map(median) as [number, number, number, number, number, number];
		row('far: `memtop --once -A` gzip vs no gzip', secs(gz), secs(plain), gz / plain, 'ship the faster', null);
		row('far: `memtop --once -A` pods in protobuf vs JSON (both gzip)', secs(gz), secs(json), gz / json, 'ship the faster', null);
		row('far: `memtop --once -A` vs `kubectl get --raw /api/v1/pods` (both gzip)', secs(gz), secs(raw), gz / raw, '≤ 1.5×', 1.5);
		row('far: `memtop --once -A` vs `kubectl top pods -A`', secs(gz), secs(top), gz / top, '≤ 2.5×', 2.5);
		row('far: `kubectl get --raw` gzip vs no gzip (for reference)', secs(raw), secs(rawPlain), raw / rawPlain, '-', null);

		say(`\n== a link away: TUI start → first table with memory figures (${runs} alternated rounds)`);
		const tuiCmds = [
			memtop('memtop (gzip)', ['-A', '--kubeconfig', link.kubeconfig], inNs),
			memtop('memtop (no gzip)', ['-A', '--kubeconfig', link.kubeconfig], {...inNs, env: {MEMTOP_GZIP: '0'}}),
			memtop('memtop (gzip, pods in JSON)', ['-A', '--kubeconfig', link.kubeconfig], {...inNs, env: {MEMTOP_PROTOBUF: '0'}}),
		];
		const [tg, tp, tj] = (
			await alternate(
				tuiCmds,
				runs,
				async c => {
					const tui = await startTui(c, memtopTable);
					tui.stop();
					return tui.firstMs;
				},
				say,
			)
		).map(median) as [number, number, number];
		row('far: TUI first table, gzip vs no gzip', secs(tg), secs(tp), tg / tp, 'ship the faster', null);
		row('far: TUI first table, pods in protobuf vs JSON', secs(tg), secs(tj), tg / tj, 'ship the faster', null);
	} finally {
		process.off('SIGINT', interrupted);
		link.close();
	}
}

function report(load: string): void {
	say(`\n== results (medians; ratio = memtop / peer; load average before → after: ${load})`);
	const head = ['figure', 'memtop', 'peer', 'ratio', 'target', ''];
	const body = rows.map(r => [r.what, r.memtop, r.peer, r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`, r.target, r.ok === null ? '' : r.ok ? 'ok' : 'MISSED']);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map(b => b[i]!.length)));
	for (const line of [head, ...body]) say(line.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

async function main(): Promise<void> {
	if (!fs.existsSync(memtopMain)) throw new Error('dist/ is missing: npm run bench:cluster builds it first');
	const load0 = os.loadavg()[0]!.toFixed(1);
	const c = cluster();
	try {
		if (!fs.existsSync(kubectl)) throw new Error(`no kubectl at ${kubectl} (npm run cluster:build)`);
		const withK9s = k9sReady();
		if (!withK9s) say('k9s: not available (MEMTOP_BENCH_K9S=0 or its build failed): the TUI target is the absolute ≤ 1.5 s');
		say(`machine: ${os.cpus().length} cores, load average ${load0}; memtop ${memtopMain} on Node ${process.version}; ${kubectl}${withK9s ? `; ${k9sBin}` : ''}`);
		if (env['MEMTOP_BENCH_ONESHOT'] !== '0') await oneShots(c.kubeconfig);
		if (env['MEMTOP_BENCH_TUI'] !== '0') await tuis(c.kubeconfig, withK9s);
		if (env['MEMTOP_BENCH_FAR'] !== '0') await far(c.kubeconfig, c.state);
		report(`${load0} → ${os.loadavg()[0]!.toFixed(1)}`);
	} finally {
		c.stop();
		fs.rmSync(work, {recursive: true, force: true});
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`bench:cluster: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
