/**
 * Hostile text on the terminal (issue 12, findings 1, 15 and 10): what a server, a kubeconfig or a
 * name sends reaches stdout, stderr and the live screen only as visible escapes; JSON keeps it as
 * sent; columns line up by terminal cells; the re-exec on the bundled Node passes signals on.
 */
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {mayHide} from '../../../source/kube/sanitize.js';
import {Store} from '../../../source/store/store.js';
import {narrow} from '../../../source/ui/text.js';
import {startMemtop, tmuxAvailable} from '../../tmux/tmux.js';
import {metrics, Mi, node, pod} from '../store/records.js';
import {clockNow, mount} from '../ui/helpers.js';
import {controlBytes, fakeApi, list, main, podMetrics, rawPod, runCli, type CliRun} from './harness.js';

const osc52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';
const osc8 = '\u001b]8;;http://evil/\u0007click\u001b]8;;\u0007';
const clear = '\u001b[2J';
/** a Status reason that sets the clipboard, prints a hyperlink and clears the screen */
const reason = `X${osc52}${osc8}${clear}`;
const reasonShown = String.raw`X\x1b]52;c;cm0gLXJmIH4=\x07\x1b]8;;http://evil/\x07click\x1b]8;;\x07\x1b[2J`;
/** a message that hides text (SGR 8, blink), reverses it (U+202E) and hides a character (U+200B) */
const message = 'quota\u001b[8mhidden\u001b[5m exceeded \u202egpj.exe\u200b';
const messageShown = String.raw`quota\x1b[8mhidden\x1b[5m exceeded \u202egpj.exe\u200b`;

function status(code: number) {
	return {status: code, json: {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code}};
}

/** nothing on the terminal steers it or hides from the reader */
function expectInert(out: Buffer | string): void {
	expect(controlBytes(Buffer.isBuffer(out) ? out : Buffer.from(out))).toEqual([]);
	expect(out.toString()).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2060\ufeff]/u);
}

function lines(r: CliRun): string[] {
	return r.stdout.toString().trimEnd().split('\n');
}

describe('a Status reason and message that steer the terminal', () => {
	it('--once -o table shows the metrics API 503 with the reason escaped, and so does JSON', async () => {
		const api = await fakeApi([['/apis/metrics.k8s.io/v1beta1/pods', status(503)]]);
		const r = await runCli(['--once', '-o', 'table', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(0);
		expectInert(r.stdout);
		expectInert(r.stderr);
		expect(lines(r)[0]).toBe(`! metrics API not answering (503 ${reasonShown}; metrics-server down?): showing requests and limits only; retrying`);

		const j = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		expect(j.code).toBe(0);
		expectInert(j.stdout);
		expect(JSON.parse(j.stdout.toString()).warnings).toEqual([`metrics API not answering (503 ${reasonShown}; metrics-server down?): showing requests and limits only; retrying`]);
	});

	it('--once -o table shows a metrics API 500 with reason and message escaped, and so does JSON', async () => {
		const api = await fakeApi([['/apis/metrics.k8s.io/v1beta1/pods', status(500)]]);
		const r = await runCli(['--once', '--metrics-interval', '15s', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(0);
		expectInert(r.stdout);
		expect(lines(r)[0]).toBe(`! metrics unavailable (500 ${reasonShown}: ${messageShown}): showing requests and limits only; retrying every 15s`);

		const j = await runCli(['--once', '-o', 'json', '--metrics-interval', '15s', '--kubeconfig', api.kubeconfig()]);
		expectInert(j.stdout);
		expect(JSON.parse(j.stdout.toString()).warnings).toEqual([`metrics unavailable (500 ${reasonShown}: ${messageShown}): showing requests and limits only; retrying every 15s`]);
	});

	it('a 500 from the pod list: the one line on stderr has reason and message escaped', async () => {
		const api = await fakeApi([['/api/v1/pods', status(500)]]);
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(1);
		expectInert(r.stderr);
		expect(r.stderr.toString()).toBe(`memtop: the API server answered 500 ${reasonShown} to list pods in all namespaces: ${messageShown}\n`);
	});

	it('a Status whose message is not a string: an error line, nothing raw, no crash', async () => {
		const api = await fakeApi([['/api/v1/pods', {status: 500, json: {kind: 'Status', reason, message: {text: clear}, code: 500}}]]);
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(1);
		expectInert(r.stderr);
		expect(r.stderr.toString()).toMatch(/^memtop: the API server answered 500 X\\x1b\]52;.*\n$/);
	});
});

describe('kubeconfig names on stderr', () => {
	it('a context name with escapes is shown escaped when memtop lists the contexts it knows', async () => {
		const api = await fakeApi();
		const r = await runCli(['--once', '--context', 'nope', '--kubeconfig', api.kubeconfig({context: `prod${osc52}\u202e`})]);
		expect(r.code).toBe(1);
		expectInert(r.stderr);
		expect(r.stderr.toString()).toContain(String.raw`(contexts: prod\x1b]52;c;cm0gLXJmIH4=\x07\u202e)`);
	});

	it('and in the error line when the server cannot be reached', async () => {
		const api = await fakeApi();
		const file = api.kubeconfig({context: `prod${clear}\u200b`});
		await api.close();
		const r = await runCli(['--once', '--kubeconfig', file]);
		expect(r.code).toBe(1);
		expectInert(r.stderr);
		expect(r.stderr.toString()).toContain(String.raw`(context prod\x1b[2J\u200b)`);
	});
});

describe('an exec credential plugin that fails', () => {
	it('its output, quoted in the error line, is escaped', async () => {
		// (a user's credentials, and so its plugin, only go over TLS)
		const api = await fakeApi([], {tls: true});
		const script = String.raw`printf 'login failed\033]52;c;cm0gLXJm\007\033[2J\n' >&2; exit 1`;
		const plugin = {apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'sh', args: ['-c', script], interactiveMode: 'Never'};
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig({user: {exec: plugin}})]);
		expect(r.code).toBe(1);
		expectInert(r.stderr);
		expect(r.stderr.toString()).toBe(String.raw`memtop: exec plugin of user "u" (sh) failed with exit code 1: login failed\x1b]52;c;cm0gLXJm\x07\x1b[2J` + '\n');
	});
});

/** the three names a reader must tell apart, and two that would hide or restyle text */
const names = ['web-1', 'web\u200b-1', 'web\u001b-1', 'web\u001b[8m-2', 'web\u202e-3'];
const namesShown = ['web-1', String.raw`web\u200b-1`, String.raw`web\x1b-1`, String.raw`web\x1b[8m-2`, String.raw`web\u202e-3`];

async function namedPods() {
	return fakeApi([
		['/api/v1/pods', {json: list('PodList', names.map(n => rawPod(n)))}],
		['/apis/metrics.k8s.io/v1beta1/pods', {json: {kind: 'PodMetricsList', items: names.map(n => podMetrics(n, '150Mi'))}}],
	]);
}

describe('pod names with escapes', () => {
	it('-o table: one row per distinct name, each escaped; JSON gives the names as sent', async () => {
		const api = await namedPods();
		const r = await runCli(['--once', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(0);
		expectInert(r.stdout);
		const pods = lines(r)
			.slice(2)
			.map(l => l.split(/\s+/)[1]);
		expect(pods.sort()).toEqual([...namesShown].sort());

		const j = await runCli(['--once', '-o', 'json', '--kubeconfig', api.kubeconfig()]);
		expectInert(j.stdout);
		expect(JSON.parse(j.stdout.toString()).items.map((p: {name: string}) => p.name).sort()).toEqual([...names].sort());
	});

	it.skipIf(!tmuxAvailable())('the live screen (tmux) shows them escaped, with no hidden or blinking text', async () => {
		const api = await namedPods();
		// without colour (no 38;5;n sequences), a 5 or an 8 among the attributes is blink or concealed text
		const term = startMemtop({width: 120, height: 30, args: ['--kubeconfig', api.kubeconfig({context: `prod${osc8}\u202e`})], env: {NO_COLOR: '1'}});
		try {
			const rows = await term.waitFor('the five pods', rs => namesShown.every(n => rs.some(r => r.includes(` ${n} `))));
			expect(rows[0]).toContain(String.raw`ctx prod\x1b]8;;http://evil/\x07click\x1b]8;;\x07\u202e │`);
			expect(rows.filter(r => /^.shop +web/.test(r))).toHaveLength(5);
			const raw = term.screenWithEscapes();
			const attributes = new Set([...raw.matchAll(/\u001b\[([0-9;]*)m/g)].flatMap(m => m[1]!.split(';')));
			expect([...attributes].filter(a => ['5', '6', '8'].includes(a))).toEqual([]);
			expectInert(raw.replace(/\u001b\[[0-9;]*m/g, ''));
		} finally {
			term.kill();
		}
	});
});

describe('the live screen, the last line of defence', () => {
	it('a name that reached the store unescaped is escaped on screen, colours on', async () => {
		const store = new Store({now: () => clockNow, notifyIntervalMs: 0});
		store.replaceNodes([node('node-a')]);
		store.replacePods([pod('shop', `web${clear}\u001b[8m-1\u202e`, {request: 100 * Mi, limit: 200 * Mi})]);
		const m = await mount({store, colorMode: 'basic'});
		expect(m.raw()).not.toMatch(/\u001b\[(2J|8m)|\u202e/u);
		expect(m.frame()).toContain(String.raw`web\x1b[2J\x1b[8m-1\u202e`);
		m.unmount();
	});
});

/** a name of wide characters and an ASCII one of the same width in cells: their rows must match but for the name */
const wide: Array<[string, string]> = [
	['日本語のポッド', 'cjk-ascii-ref-'],
	['☕-⚡-⛔-✅', 'misc-symbol'], // U+2600–27BF
	['🚀-🛸-🚦', 'vehicles'], // U+1F680–1F6FF
	['🫠-🪿-🩻', 'extended'], // U+1FA70 and up
	['👨‍👩‍👧-fam', 'zwjfam'], // one family, two cells
];

describe('wide characters line up by terminal cells', () => {
	it('the names have the widths the rows are checked with', () => {
		for (const [w, ascii] of wide) expect([w, stringWidth(w)]).toEqual([w, ascii.length]);
	});

	it("the sanitizer's quick scan finds every code point it escapes (and any surrogate, for the rest)", () => {
		const escaped = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\ufdd0-\ufdef\ufffe\uffff]/u;
		const missed: string[] = [];
		for (let c = 0; c < 0x10000; c++) {
			const ch = String.fromCharCode(c);
			if (escaped.test(ch) && !mayHide.test(ch)) missed.push(`U+${c.toString(16)}`);
		}

		expect(missed).toEqual([]);
		expect(mayHide.test('\u{e0041}')).toBe(true);
	});

	it("the width fast path (a length check) holds only characters string-width counts as one cell", () => {
		const wrong: string[] = [];
		for (let c = 0; c < 0x10000; c++) {
			const ch = String.fromCharCode(c);
			if (narrow.test(ch) && stringWidth(ch) !== 1) wrong.push(`U+${c.toString(16)}`);
		}

		expect(wrong).toEqual([]);
	});

	it('in the TUI pods table', async () => {
		const store = new Store({now: () => clockNow, notifyIntervalMs: 0});
		store.replaceNodes([node('node-a')]);
		const names = wide.flat();
		store.replacePods(names.map(n => pod('shop', n, {request: 100 * Mi, limit: 200 * Mi})));
		store.applyMetrics(metrics(clockNow - 7000, names.map(n => [`shop/${n}`, 150 * Mi] as [string, number])));
		const m = await mount({store, width: 100, height: 20});
		const row = (name: string) => m.lines().find(l => l.includes(` ${name} `))?.slice(1);
		for (const [w, ascii] of wide) expect(row(w)).toBe(row(ascii)!.replace(ascii, w));
		for (const l of m.lines()) expect(stringWidth(l)).toBeLessThanOrEqual(100);
		m.unmount();
	});

	it('in the --once table', async () => {
		const names = wide.flat();
		const api = await fakeApi([
			['/api/v1/pods', {json: list('PodList', names.map(n => rawPod(n)))}],
			['/apis/metrics.k8s.io/v1beta1/pods', {json: {kind: 'PodMetricsList', items: names.map(n => podMetrics(n, '150Mi'))}}],
		]);
		const r = await runCli(['--once', '-o', 'wide', '--kubeconfig', api.kubeconfig()]);
		expect(r.code).toBe(0);
		const row = (name: string) => lines(r).find(l => l.startsWith(`shop       ${name} `));
		for (const [w, ascii] of wide) expect(row(w)).toBe(row(ascii)!.replace(ascii, w));
		// the last column (NODE, -o wide) starts at the same cell in every line under the scope line
		const lastColumnAt = (l: string) => stringWidth(l.slice(0, l.lastIndexOf(' ') + 1));
		expect(new Set(lines(r).slice(1).map(lastColumnAt)).size).toBe(1);
	});
});

/** a Node older than 22 on this machine (the re-exec runs memtop on the bundled one) */
function oldNode(): string | null {
	try {
		const v = execFileSync('/usr/bin/node', ['--version'], {encoding: 'utf8'});
		return Number(/^v(\d+)/.exec(v)?.[1]) < 22 ? '/usr/bin/node' : null;
	} catch {
		return null;
	}
}

function childOf(pid: number): number | null {
	try {
		return Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], {encoding: 'utf8'}).trim().split('\n')[0]) || null;
	} catch {
		return null;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function until(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

describe('started by Node 20: the re-exec passes signals on', () => {
	const old = oldNode();

	it.skipIf(old === null).each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s to the parent ends the child, and the parent ends by it', async signal => {
		const parent = spawn(old!, [main, 'recommend', '--observe', '30m', '--demo'], {stdio: ['ignore', 'ignore', 'pipe'], env: {PATH: '/usr/bin:/bin', HOME: fs.mkdtempSync('/tmp/memtop-signal-')}});
		const exited = new Promise<NodeJS.Signals | number | null>(resolve => parent.on('exit', (code, sig) => resolve(sig ?? code)));
		let stderr = '';
		parent.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		let child: number | null = null;
		try {
			await until('memtop observing', () => stderr.includes('observing for'));
			child = childOf(parent.pid!);
			expect(child).not.toBeNull();
			parent.kill(signal);
			expect(await exited).toBe(signal);
			await until('the child to end', () => !alive(child!), 5000);
		} finally {
			if (child !== null && alive(child)) process.kill(child, 'SIGKILL');
			parent.kill('SIGKILL');
		}
	});

	it.skipIf(old === null || !tmuxAvailable())('SIGTERM to the parent of the live TUI (tmux) ends both; the shell sees 143', async () => {
		const term = startMemtop({width: 100, height: 30, node: old!});
		let child: number | null = null;
		try {
			await term.waitFor('the demo', rs => rs.some(r => r.includes('(simulated)')));
			const shell = Number(execFileSync('tmux', ['-L', term.socket, 'display-message', '-p', '-t', 'e2e', '#{pane_pid}'], {encoding: 'utf8'}).trim());
			const parent = childOf(shell)!;
			child = childOf(parent);
			expect(child).not.toBeNull();
			process.kill(parent, 'SIGTERM');
			await term.waitFor('the shell after memtop', rs => rs.some(r => r.includes('memtop exited')));
			expect(term.screen().find(r => r.includes('memtop exited'))).toBe('memtop exited 143');
			expect(alive(child!)).toBe(false);
		} finally {
			if (child !== null && alive(child)) process.kill(child, 'SIGKILL');
			term.kill();
		}
	});
});
