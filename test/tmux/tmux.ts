/**
 * Drive the real `memtop` in a real terminal: tmux on a private socket, keys via send-keys,
 * the screen via capture-pane. Every wait polls the screen for a condition (with a deadline);
 * nothing relies on a fixed sleep.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(repo, 'dist', 'cli', 'main.js');
const nodeBin = join(repo, 'node_modules', 'node', 'bin', 'node');
/** the single executable to start instead of `node dist/cli/main.js` (test/package/test.sh) */
const exe = process.env['MEMTOP_BIN'];

let counter = 0;

export interface Term {
	readonly socket: string;
	width: number;
	height: number;
	/** the visible screen as text, one string per row */
	screen(): string[];
	/** the screen with escape sequences for colours and attributes */
	screenWithEscapes(): string;
	/** keys in tmux's names (Enter, Escape, Up, C-c, …) */
	keys(...keys: string[]): void;
	/** literal text, one character after another */
	type(text: string): void;
	resize(width: number, height: number): void;
	waitFor(what: string, predicate: (rows: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
	kill(): void;
}

function tmux(socket: string, args: string[]): string {
	return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

export function tmuxAvailable(): boolean {
	try {
		execFileSync('tmux', ['-V'], {stdio: 'ignore'});
		return existsSync(exe ?? main);
	} catch {
		return false;
	}
}

/**
 * Start `memtop <args>` in a detached tmux session of the given size. When memtop exits the
 * shell prints "memtop exited <code>" and stays, so the screen after quitting can be checked.
 */
export function startMemtop(opts: {width: number; height: number; args?: string[]; env?: Record<string, string>; /** the node that starts memtop (default: the bundled one) */ node?: string}): Term {
	const socket = `memtop-e2e-${process.pid}-${++counter}`;
	const env = {TERM: 'tmux-256color', ...opts.env};
	const envArgs = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
	const memtop = exe && !opts.node ? [exe] : [opts.node ?? nodeBin, main];
	const cmd = [...envArgs, ...memtop.map(shellQuote), ...(opts.args ?? ['--demo']).map(shellQuote)].join(' ');
	const script = `printf 'shell before memtop\\n'; env ${cmd}; printf 'memtop exited %s\\n' "$?"; exec sleep 600`;
	tmux(socket, ['new-session', '-d', '-s', 'e2e', '-x', String(opts.width), '-y', String(opts.height), 'sh', '-c', script]);
	tmux(socket, ['set-option', '-g', 'window-size', 'manual']);
	const term: Term = {
		socket,
		width: opts.width,
		height: opts.height,
		screen: () => tmux(socket, ['capture-pane', '-p', '-t', 'e2e']).replace(/\n$/, '').split('\n'),
		screenWithEscapes: () => tmux(socket, ['capture-pane', '-p', '-e', '-t', 'e2e']),
		keys: (...keys) => {
			tmux(socket, ['send-keys', '-t', 'e2e', ...keys]);
		},
		type: text => {
			for (const ch of text) tmux(socket, ['send-keys', '-t', 'e2e', '-l', ch]);
		},
		resize: (width, height) => {
			tmux(socket, ['resize-window', '-t', 'e2e', '-x', String(width), '-y', String(height)]);
			term.width = width;
			term.height = height;
		},
		async waitFor(what, predicate, timeoutMs = 20_000) {
			const deadline = Date.now() + timeoutMs;
			let rows: string[] = [];
			for (;;) {
				rows = term.screen();
				if (predicate(rows)) return rows;
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${rows.join('\n')}`);
				await new Promise(resolve => setTimeout(resolve, 100));
			}
		},
		kill: () => {
			try {
				tmux(socket, ['kill-server']);
			} catch {}

			// tmux leaves the socket file behind
			rmSync(join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true});
		},
	};
	return term;
}

function shellQuote(s: string): string {
	return /^[\w./=:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** display width of a captured row (tmux pads nothing; wide characters are rare here) */
export function rowWidth(row: string): number {
	let w = 0;
	for (const ch of row) {
		const cp = ch.codePointAt(0)!;
		w += cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60)) ? 2 : 1;
	}

	return w;
}

/** rows of the pods table: [namespace, pod, ws, …] split on blanks */
export function tableRows(rows: string[]): string[][] {
	const header = rows.findIndex(r => /^\s*NAMESPACE\s+POD\b/.test(r));
	if (header < 0) return [];
	const out: string[][] = [];
	for (let i = header + 1; i < rows.length; i++) {
		const r = rows[i]!;
		if (r.startsWith('──') || r.trim() === '') break;
		out.push(r.slice(1).trim().split(/\s+/));
	}

	return out;
}

/** "1.5Gi" → bytes, for checking an order on screen */
export function parseBytes(s: string): number {
	const m = /^([\d.]+)(Ki|Mi|Gi|Ti)?$/.exec(s);
	if (!m) return Number.NaN;
	const mult = {Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4}[m[2] as 'Ki'] ?? 1;
	return Number(m[1]) * mult;
}
