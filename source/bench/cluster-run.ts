/**
 * How `npm run bench:cluster` times things: a command start to exit, a TUI start to its first
 * table with memory figures in a real terminal (tmux, capture-pane polled), a process's CPU from
 * /proc/<pid>/stat; each figure the median of runs alternated between the tools compared.
 */
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';

export interface Cmd {
	label: string;
	argv: string[];
	env?: NodeJS.ProcessEnv;
	/** run inside this network namespace (ip netns exec) */
	netns?: string;
}

export function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function argvOf(cmd: Cmd): string[] {
	return cmd.netns ? ['ip', 'netns', 'exec', cmd.netns, ...cmd.argv] : cmd.argv;
}

/** one run, start to exit, stdout discarded; a failure throws with the end of its stderr */
export async function timeRun(cmd: Cmd, timeoutMs = 120_000): Promise<number> {
	const [file, ...args] = argvOf(cmd);
	const t0 = performance.now();
	const child = spawn(file!, args, {stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, ...cmd.env}});
	let stderr = '';
	child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const code = await new Promise<number | null>(resolve => child.on('close', c => resolve(c)));
	clearTimeout(timer);
	const ms = performance.now() - t0;
	if (code !== 0) throw new Error(`${cmd.label}: exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
	return ms;
}

/**
 * `runs` rounds; each round runs every command once, the order rotated each round so no tool
 * always goes first (warm caches) or last. Returns each command's times in ms.
 */
export async function alternate<T>(items: T[], runs: number, once: (item: T) => Promise<number>, progress?: (line: string) => void): Promise<number[][]> {
	const times = items.map(() => [] as number[]);
	for (let r = 0; r < runs; r++) {
		for (let k = 0; k < items.length; k++) {
			const i = (r + k) % items.length;
			times[i]!.push(await once(items[i]!));
		}

		progress?.(`  round ${r + 1}/${runs}: ${times.map(t => `${Math.round(t.at(-1)!)}`).join(' / ')} ms`);
	}

	return times;
}

/** the bench's own tmux server (-L), so no other tmux user (a test suite's kill-server) touches its windows */
const socket = ['-L', `memtop-bench-${process.pid}`];

function tmux(...args: string[]): string {
	const r = spawnSync('tmux', [...socket, ...args], {encoding: 'utf8'});
	if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${(r.stderr || '').trim()}`);
	return r.stdout;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface Tui {
	/** ms from the start to the first screen `ready` accepted */
	firstMs: number;
	pid: number;
	screen: string;
	stop(): void;
}

let sessions = 0;

/** start `cmd` in a 200×50 tmux window and poll the screen every 20 ms until `ready` accepts it */
export async function startTui(cmd: Cmd, ready: (screen: string) => boolean, timeoutMs = 60_000): Promise<Tui> {
	const name = `memtop-bench-${process.pid}-${sessions++}`;
	const env = Object.entries(cmd.env ?? {}).map(([k, v]) => `${k}=${quote(String(v))}`);
	const line = `exec env TERM=xterm-256color ${env.join(' ')} ${argvOf(cmd).map(quote).join(' ')}`;
	const t0 = performance.now();
	tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '50', line);
	const stop = () => void spawnSync('tmux', [...socket, 'kill-session', '-t', name]);
	try {
		const pid = Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim());
		for (;;) {
			const screen = spawnSync('tmux', [...socket, 'capture-pane', '-p', '-t', name], {encoding: 'utf8'}).stdout ?? '';
			if (ready(screen)) return {firstMs: performance.now() - t0, pid, screen, stop};
			if (performance.now() - t0 > timeoutMs) throw new Error(`${cmd.label}: no table with memory figures within ${timeoutMs / 1000} s; the screen:\n${screen}`);
			await new Promise(resolve => setTimeout(resolve, 20));
		}
	} catch (error) {
		stop();
		throw error;
	}
}

/** CPU seconds (user + system) the process has used so far */
export function cpuSeconds(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	// the fields after the command name, which is in parentheses and may hold spaces
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	const hz = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;
	return ticks / hz;
}

/** resident set size in bytes */
export function rssBytes(pid: number): number {
	const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) * 1024 : NaN;
}

/** % of one core the process used over `ms` */
export async function cpuPercent(pid: number, ms: number): Promise<number> {
	const a = cpuSeconds(pid);
	const t0 = performance.now();
	await new Promise(resolve => setTimeout(resolve, ms));
	const b = cpuSeconds(pid);
	return ((b - a) / ((performance.now() - t0) / 1000)) * 100;
}
