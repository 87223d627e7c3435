/**
 * How the exec plugin's credential is kept (exec-credential.ts): until it expires, renewed before
 * that while the live view runs, once more on a 401, not hammered after a failure, and through the
 * terminal lease when the plugin talks to the user. The plugin here is a function that counts its
 * runs (the real plugins run in exec-plugin.test.ts and test/tmux/login.test.ts).
 */
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {MemtopError} from '../../../source/kube/errors.js';
import type {ExecPlugin} from '../../../source/kube/exec-config.js';
import {ExecCredentials, renewLead} from '../../../source/kube/exec-credential.js';
import type {ExecCredential, RunOptions} from '../../../source/kube/exec-run.js';

const plugin = (mode: ExecPlugin['interactiveMode'] = 'Never'): ExecPlugin => ({user: 'u', command: 'login', file: 'login', args: [], env: [], apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: mode, provideClusterInfo: false, installHint: ''});

beforeEach(() => {
	vi.useFakeTimers({now: Date.UTC(2026, 11, 1, 12)});
});

afterEach(() => {
	vi.useRealTimers();
});

/** a plugin whose run n gives token t<n>, good for `lifeMs` (null: no expiry), or fails when `fail` says so */
function counted(lifeMs: number | null, fail: (n: number) => boolean = () => false) {
	const calls: RunOptions[] = [];
	const run = async (_p: ExecPlugin, opts: RunOptions): Promise<ExecCredential> => {
		calls.push(opts);
		if (fail(calls.length)) throw new MemtopError(`run ${calls.length} failed`);
		return {token: `t${calls.length}`, cert: null, key: null, expiresAt: lifeMs === null ? null : Date.now() + lifeMs};
	};

	return {calls, run};
}

describe('the credential of an exec plugin', () => {
	it('is kept until it expires, then the plugin runs again', async () => {
		const p = counted(60_000);
		const c = new ExecCredentials(plugin(), null, {run: p.run, terminal: false});
		expect((await c.get()).token).toBe('t1');
		vi.advanceTimersByTime(58_000);
		expect((await c.get()).token).toBe('t1');
		vi.advanceTimersByTime(2000);
		expect((await c.get()).token).toBe('t2');
		expect(p.calls.map(o => o.interactive)).toEqual([false, false]);
	});

	it('one run serves requests that ask at once', async () => {
		const p = counted(null);
		const c = new ExecCredentials(plugin(), null, {run: p.run, terminal: false});
		const got = await Promise.all([c.get(), c.get(), c.get()]);
		expect(got.map(g => g.token)).toEqual(['t1', 't1', 't1']);
		expect(p.calls).toHaveLength(1);
	});

	it('a 401 runs the plugin once more; another 401 within 30 s does not', async () => {
		const p = counted(null);
		const c = new ExecCredentials(plugin(), null, {run: p.run, terminal: false});
		const first = await c.get();
		expect(await c.rejected(first.version)).toBe(true);
		const second = await c.get();
		expect(second.token).toBe('t2');
		// a request still in flight with the first credential: the new one is already there
		expect(await c.rejected(first.version)).toBe(true);
		expect(await c.rejected(second.version)).toBe(false);
		expect(p.calls).toHaveLength(2);
		vi.advanceTimersByTime(30_000);
		expect(await c.rejected(second.version)).toBe(true);
		expect(p.calls).toHaveLength(3);
	});

	it('a failed run stands for 30 s, then 60 s: the plugin is not run for every request', async () => {
		const p = counted(null, n => n <= 2);
		const c = new ExecCredentials(plugin(), null, {run: p.run, terminal: false});
		await expect(c.get()).rejects.toThrow('run 1 failed');
		await expect(c.get()).rejects.toThrow('run 1 failed');
		vi.advanceTimersByTime(30_000);
		await expect(c.get()).rejects.toThrow('run 2 failed');
		vi.advanceTimersByTime(30_000);
		await expect(c.get()).rejects.toThrow('run 2 failed');
		vi.advanceTimersByTime(30_000);
		expect((await c.get()).token).toBe('t3');
	});

	it('while the live view runs it is renewed before it expires, a quarter of its life ahead', async () => {
		expect(renewLead(20_000)).toBe(5000);
		expect(renewLead(4000)).toBe(2000);
		expect(renewLead(3_600_000)).toBe(300_000);
		const p = counted(20_000);
		const problems: Array<string | null> = [];
		const c = new ExecCredentials(plugin(), null, {run: p.run, terminal: false, onProblem: t => problems.push(t)});
		c.keepFresh();
		await c.get();
		await vi.advanceTimersByTimeAsync(14_900);
		expect(p.calls).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(200);
		expect(p.calls).toHaveLength(2);
		expect((await c.get()).token).toBe('t2');
		await vi.advanceTimersByTimeAsync(15_000);
		expect(p.calls).toHaveLength(3);
		expect(problems).toEqual([]);
		c.close();
		await vi.advanceTimersByTimeAsync(60_000);
		expect(p.calls).toHaveLength(3);
	});

	it('a background renewal that fails raises a banner, tries again, and clears it', async () => {
		const p = counted(20_000, n => n === 2);
		const problems: Array<string | null> = [];
		const c = new ExecCredentials(plugin(), null, {run: p.run, terminal: false, onProblem: t => problems.push(t)});
		c.keepFresh();
		await c.get();
		await vi.advanceTimersByTimeAsync(15_100);
		expect(problems).toEqual(['run 2 failed; trying again in 30s']);
		await vi.advanceTimersByTimeAsync(30_000);
		expect(p.calls).toHaveLength(3);
		expect(problems).toEqual(['run 2 failed; trying again in 30s', null]);
	});

	it('a run that talks to the user borrows the terminal from the TUI; one that does not, does not', async () => {
		const leased: string[] = [];
		const said: string[] = [];
		const lease = async (run: () => Promise<void>) => {
			leased.push('leave');
			await run();
			leased.push('back');
		};

		const p = counted(null);
		const asks = new ExecCredentials(plugin('IfAvailable'), null, {run: p.run, terminal: true, say: l => said.push(l)});
		asks.useTerminal(lease);
		await asks.get();
		expect(leased).toEqual(['leave', 'back']);
		expect(said).toEqual(['the credential of user "u" needs renewing: running its exec plugin (login); memtop comes back when it is done']);
		expect(p.calls[0]!.interactive).toBe(true);

		const quiet = new ExecCredentials(plugin('Never'), null, {run: p.run, terminal: true});
		quiet.useTerminal(lease);
		await quiet.get();
		expect(leased).toHaveLength(2);
		expect(p.calls[1]!.interactive).toBe(false);
	});

	it('interactiveMode Always without a terminal: kubectl\'s error, and no run', async () => {
		const p = counted(null);
		const c = new ExecCredentials(plugin('Always'), null, {run: p.run, terminal: false});
		await expect(c.get()).rejects.toThrow('exec plugin of user "u" (login) cannot support interactive mode: standard input is not a terminal (its interactiveMode is Always)');
		expect(p.calls).toHaveLength(0);
	});
});
