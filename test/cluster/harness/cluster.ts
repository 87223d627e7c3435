import {existsSync, readFileSync, readdirSync, readlinkSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {run, runOk} from './run.js';

export const clusterDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(clusterDir, '../..');
export const scriptsDir = join(clusterDir, 'scripts');
export const binDir = join(process.env['MEMTOP_CLUSTER_CACHE'] ?? join(homedir(), '.cache/memtop-cluster'), 'bin');

export const fixturesDir = process.env['MEMTOP_SHARED_FIXTURES'] ?? resolve(repoRoot, '../shared/fixtures/real');

export interface Cluster {
	kubeconfig: string;
	state: string;
	auditLog: string;
	nodes: number;
	pods: number;
	namespaces: number;
	staticNodes: number;
	/** true when this run started the cluster (and so stops it) */
	ownedByUs: boolean;
	startSeconds: number | null;
	/** the network namespace holding kubelet stand-ins, and its address */
	netns: string;
	nodeIP: string;
}

function readEnvFile(file: string): Record<string, string> {
	const out: Record<string, string> = {};
	if (!existsSync(file)) return out;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
		if (m) out[m[1]!] = m[2]!;
	}

	return out;
}

function fromState(kubeconfig: string, state: string, ownedByUs: boolean): Cluster {
	const env = readEnvFile(join(state, 'cluster.env'));
	const num = (k: string, d: number) => (env[k] === undefined ? d : Number(env[k]));
	return {
		kubeconfig,
		state,
		auditLog: join(state, 'audit.log'),
		nodes: num('MEMTOP_CLUSTER_NODES', 0),
		pods: num('MEMTOP_CLUSTER_PODS', 0),
		namespaces: num('MEMTOP_CLUSTER_NAMESPACES', 0),
		staticNodes: num('MEMTOP_CLUSTER_STATIC_NODES', 0),
		ownedByUs,
		startSeconds: env['MEMTOP_CLUSTER_START_SECONDS'] === undefined ? null : Number(env['MEMTOP_CLUSTER_START_SECONDS']),
		netns: env['MEMTOP_CLUSTER_NETNS'] ?? 'memtop-cluster',
		nodeIP: env['MEMTOP_CLUSTER_NODE_IP'] ?? '198.18.0.2',
	};
}

/**
 * Starts the test cluster with up.sh, or reuses a running one when MEMTOP_CLUSTER_KUBECONFIG
 * is set (its state dir: MEMTOP_CLUSTER_STATE, default /tmp/memtop-cluster).
 * Sizes for a fresh cluster: MEMTOP_TEST_NODES / MEMTOP_TEST_PODS.
 */
export async function startCluster(): Promise<Cluster> {
	const reuse = process.env['MEMTOP_CLUSTER_KUBECONFIG'];
	const state = process.env['MEMTOP_CLUSTER_STATE'] ?? '/tmp/memtop-cluster';
	if (reuse) return fromState(reuse, state, false);
	const nodes = process.env['MEMTOP_TEST_NODES'] ?? '20';
	const pods = process.env['MEMTOP_TEST_PODS'] ?? '2000';
	const r = await run('bash', [join(scriptsDir, 'up.sh'), '--nodes', nodes, '--pods', pods, '--namespaces', '5', '--static-nodes', '2'], {
		timeoutMs: 840_000,
		env: {...process.env, MEMTOP_CLUSTER_STATE: state, MEMTOP_SHARED_FIXTURES: fixturesDir},
	});
	process.stderr.write(r.stderr);
	if (r.code !== 0) throw new Error(`up.sh failed (exit ${r.code}); see the log lines above`);
	const kubeconfig = r.stdout.trim().split('\n').pop() ?? '';
	if (!existsSync(kubeconfig)) throw new Error(`up.sh printed no kubeconfig path (got "${kubeconfig}")`);
	return fromState(kubeconfig, state, true);
}

/**
 * pids of running processes whose executable is one of the cluster binaries and whose command line
 * names the state dir `state` (each of them is given a file there): another test cluster on the
 * machine (another slot, a developer's) is not this one's leftover
 */
export function clusterProcesses(state: string): number[] {
	const out: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (!readlinkSync(`/proc/${entry}/exe`).startsWith(binDir + '/')) continue;
			if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${state}/`)) out.push(Number(entry));
		} catch {
			// gone, or not ours to read
		}
	}

	return out;
}

/** down.sh, then checks that no cluster process and no network namespace is left behind. */
export async function stopCluster(c: Cluster | undefined): Promise<void> {
	if (!c?.ownedByUs) return;
	const r = await run('bash', [join(scriptsDir, 'down.sh')], {timeoutMs: 120_000, env: {...process.env, MEMTOP_CLUSTER_STATE: c.state}});
	process.stderr.write(r.stderr);
	if (r.code !== 0) throw new Error(`down.sh exited ${r.code}`);
	const left = clusterProcesses(c.state);
	if (left.length > 0) throw new Error(`down.sh left cluster processes running: ${left.join(', ')}`);
	const netns = await run('ip', ['netns', 'list'], {timeoutMs: 10_000});
	if (netns.stdout.split('\n').some(l => l.split(' ')[0] === c.netns)) throw new Error(`down.sh left the network namespace ${c.netns}`);
}

/** the kubectl built with the cluster (npm run cluster:build), else the machine's */
export function kubectlBin(): string {
	if (process.env['MEMTOP_KUBECTL']) return process.env['MEMTOP_KUBECTL'];
	const built = join(binDir, `kubectl-${process.env['K8S_VERSION'] ?? 'v1.36.3'}`);
	return existsSync(built) ? built : 'kubectl';
}

export async function kubectl(c: Cluster, args: string[], input?: string, kubeconfig = c.kubeconfig): Promise<string> {
	return runOk(kubectlBin(), ['--kubeconfig', kubeconfig, ...args], {input, timeoutMs: 120_000});
}

export async function kubectlJson<T = any>(c: Cluster, args: string[]): Promise<T> {
	return JSON.parse(await kubectl(c, [...args, '-o', 'json'])) as T;
}

export async function getRaw<T = any>(c: Cluster, path: string): Promise<T> {
	return JSON.parse(await kubectl(c, ['get', '--raw', path])) as T;
}

/** kubectl create -f - (objects as a List) */
export async function create(c: Cluster, ...objects: object[]): Promise<void> {
	await kubectl(c, ['create', '-f', '-'], JSON.stringify({apiVersion: 'v1', kind: 'List', items: objects}));
}

export async function patchStatus(c: Cluster, kind: 'pod' | 'node', name: string, patch: object, opts: {namespace?: string; type?: 'merge' | 'strategic'} = {}): Promise<void> {
	const ns = opts.namespace ? ['-n', opts.namespace] : [];
	await kubectl(c, ['patch', kind, name, ...ns, '--subresource=status', `--type=${opts.type ?? 'merge'}`, '-p', JSON.stringify(patch)]);
}

/** ctl.sh stop|start|kill COMPONENT against this cluster's state dir */
export async function ctl(c: Cluster, command: 'stop' | 'start' | 'kill' | 'status', component: string): Promise<void> {
	await runOk('bash', [join(scriptsDir, 'ctl.sh'), command, component], {timeoutMs: 60_000, env: {...process.env, MEMTOP_CLUSTER_STATE: c.state}});
}

/** A client-certificate user signed by the cluster CA; returns its kubeconfig path. */
export async function makeUser(c: Cluster, name: string): Promise<string> {
	const out = await runOk('bash', [join(scriptsDir, 'certs.sh'), 'user', name], {timeoutMs: 60_000, env: {...process.env, MEMTOP_CLUSTER_STATE: c.state}});
	return out.trim().split('\n').pop()!;
}

export async function apiserverReady(c: Cluster): Promise<boolean> {
	const r = await run(kubectlBin(), ['--kubeconfig', c.kubeconfig, 'get', '--raw', '/readyz', '--request-timeout=2s'], {timeoutMs: 10_000});
	return r.code === 0 && r.stdout.trim() === 'ok';
}

export const MI = 1024 * 1024;

/** A reused cluster may hold a previous run's objects: remove them so the cases start clean. */
export async function resetReusedCluster(c: Cluster): Promise<void> {
	await kubectl(c, ['delete', 'namespace', '-l', 'memtop-test=e2e', '--ignore-not-found', '--wait=true', '--timeout=180s']);
	await kubectl(c, ['delete', 'node', '-l', 'memtop-test=e2e', '--ignore-not-found']);
}
