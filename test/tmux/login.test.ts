/**
 * Logins that talk to the user (issue 9, item 3), in a real terminal: memtop runs the user's exec
 * credential plugin itself, before the alternate screen opens, on the terminal; the simulated
 * cluster (https) refuses any request without a token it takes (test/fixtures/exec-plugins).
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {loginSim, plugins, type LoginSim} from '../fixtures/exec-plugins/login-sim.js';
import {startMemtop, tmuxAvailable, type Term} from './tmux.js';

let term: Term | undefined;
let world: LoginSim | undefined;
afterEach(async () => {
	term?.kill();
	term = undefined;
	await world?.close();
	world = undefined;
});

const v1 = 'client.authentication.k8s.io/v1';
/** the TUI is up on the cluster: its header names the context, the pods table has rows */
const live = (rows: string[]) => /^memtop │ (ctx )?sso │ https:\/\/127\.0\.0\.1:\d+/.test(rows[0] ?? '') && rows.some(r => /^\s*NAMESPACE\s+POD\b/.test(r)) && rows.some(r => r.includes('shop'));
const exited = (rows: string[]) => rows.some(r => /^memtop exited \d+/.test(r));
/** the lines memtop wrote on stderr, as written (tmux joins back what the terminal wrapped) */
function said(t: Term): string[] {
	return execFileSync('tmux', ['-L', t.socket, 'capture-pane', '-p', '-J', '-t', 'e2e'], {encoding: 'utf8'})
		.split('\n')
		.filter(l => l.startsWith('memtop:'))
		.map(l => l.trimEnd());
}

const prompts = (rows: string[]) => rows.filter(x => x.includes('Password for memtop-test:')).length;

/** wait for the password prompt number `n` on the screen, then type `text` and Enter */
async function answer(t: Term, text: string, n = 1): Promise<void> {
	await t.waitFor(`password prompt ${n}`, r => prompts(r) >= n);
	t.type(text);
	t.keys('Enter');
}

async function start(exec: Record<string, unknown>, args: string[] = []): Promise<{t: Term; w: LoginSim}> {
	world = await loginSim();
	term = startMemtop({width: 120, height: 30, args: ['--kubeconfig', world.kubeconfig(exec), ...args]});
	return {t: term, w: world};
}

describe.skipIf(!tmuxAvailable())('exec credential plugins in tmux', () => {
	it('a device-code prompt shows on the terminal; once approved, memtop shows the cluster', async () => {
		const {t, w} = await start({apiVersion: v1, command: path.join(plugins, 'device-code.sh'), interactiveMode: 'IfAvailable'});
		const rows = await t.waitFor('the device code', r => r.some(x => x.includes('enter the code WXYZ-1234')));
		expect(rows.some(r => r.includes('https://login.example.test/device'))).toBe(true);
		expect(w.seen).toEqual([]);
		// the plugin was told it may talk to the user
		expect(JSON.parse(fs.readFileSync(path.join(w.dir, 'exec-info'), 'utf8'))).toEqual({apiVersion: v1, kind: 'ExecCredential', spec: {interactive: true}});
		fs.writeFileSync(path.join(w.dir, 'approved'), 'ok');
		await t.waitFor('the live view on the cluster', live, 60_000);
		expect(w.runs()).toBe(1);
		expect(w.seen.length).toBeGreaterThan(0);
		expect(w.seen.every(s => s.token === 'device-ok' && s.ok)).toBe(true);
		t.keys('q');
		await t.waitFor('memtop to exit', exited);
	});

	it('a plugin that reads a line gets the answer typed on the terminal; its token is made of it', async () => {
		const {t, w} = await start({apiVersion: v1, command: path.join(plugins, 'read-line.sh'), interactiveMode: 'Always'});
		await answer(t, 'hunter2');
		await t.waitFor('the live view on the cluster', live, 60_000);
		expect(new Set(w.seen.map(s => s.token))).toEqual(new Set(['pw-hunter2']));
		t.keys('q');
		await t.waitFor('memtop to exit', exited);
	});

	it('a wrong answer: the server refuses the token, one line, exit 1', async () => {
		const {t, w} = await start({apiVersion: v1, command: path.join(plugins, 'read-line.sh'), interactiveMode: 'Always'});
		await answer(t, 'wrong');
		// the 401 runs the plugin once more (as client-go does): asked again, wrong again
		await answer(t, 'wrong', 2);
		const rows = await t.waitFor('memtop to exit', exited);
		expect(w.runs()).toBe(2);
		expect(said(t)).toEqual([expect.stringMatching(/^memtop: the API server at https:\/\/127\.0\.0\.1:\d+ rejected the credentials of user "sso-user" \(401 Unauthorized\)/)]);
		expect(rows.some(r => r === 'memtop exited 1')).toBe(true);
		expect(w.seen.every(s => s.token === 'pw-wrong' && !s.ok)).toBe(true);
	});

	it('a plugin that fails: its messages, then one line with its exit code; memtop exits 1', async () => {
		const {t, w} = await start({apiVersion: v1, command: path.join(plugins, 'fail.sh'), interactiveMode: 'IfAvailable'});
		const rows = await t.waitFor('memtop to exit', exited);
		expect(said(t)).toEqual([`memtop: exec plugin of user "sso-user" (${path.join(plugins, 'fail.sh')}) failed with exit code 3 (its own messages are above)`]);
		expect(rows.some(r => r === 'error: the SSO session has ended')).toBe(true);
		expect(rows.some(r => r === 'memtop exited 1')).toBe(true);
		expect(w.runs()).toBe(1);
		expect(w.seen).toEqual([]);
	});

	it('a plugin that may not talk to the user and fails: its last lines in the one line', async () => {
		const {t} = await start({apiVersion: v1, command: path.join(plugins, 'fail.sh'), interactiveMode: 'Never'});
		const rows = await t.waitFor('memtop to exit', exited);
		expect(said(t)).toHaveLength(1);
		expect(said(t)[0]).toContain('failed with exit code 3: contacting https://login.example.test ... | error: the SSO session has ended | run "sso login" and try again');
		expect(rows.some(r => r === 'error: the SSO session has ended')).toBe(false);
		expect(rows.some(r => r === 'memtop exited 1')).toBe(true);
	});

	it('a token that expires in 20 s is renewed in the background: the view stays live past its expiry', async () => {
		const {t, w} = await start({apiVersion: 'client.authentication.k8s.io/v1beta1', command: path.join(plugins, 'short-token.sh'), interactiveMode: 'Never'});
		await t.waitFor('the live view on the cluster', live, 60_000);
		const first = w.seen[0]!.token;
		const firstExpiry = Number(first.slice(4)) * 1000;
		// the sim refuses the first token once it is past: requests after that must carry another
		await t.waitFor('a request with a renewed token after the first expired', () => w.seen.some(s => s.at > firstExpiry + 2000 && s.token !== first), 60_000);
		expect(w.runs()).toBeGreaterThanOrEqual(2);
		const late = w.seen.filter(s => s.at > firstExpiry + 1000);
		expect(late.length).toBeGreaterThan(0);
		expect(late.every(s => s.ok)).toBe(true);
		const rows = t.screen();
		expect(live(rows)).toBe(true);
		expect(rows.some(r => /401|Unauthorized|exec plugin/.test(r))).toBe(false);
	});

	it('a renewal that asks the user leaves the screen, asks, and comes back to the same view', async () => {
		const {t, w} = await start({apiVersion: v1, command: path.join(plugins, 'read-line.sh'), interactiveMode: 'IfAvailable', env: [{name: 'TOKEN_SECONDS', value: '16'}]});
		// the token must expire for the server too: it takes pw-hunter2 only, so the renewal's answer decides
		await answer(t, 'hunter2');
		await t.waitFor('the live view on the cluster', live, 60_000);
		t.keys('2');
		// (a banner, e.g. stale metrics while the plugin waits for the user, may push the tabs down)
		const onNodes = (r: string[]) => /^memtop │ (ctx )?sso │/.test(r[0]!) && r.slice(1, 6).some(x => x.includes('[2 Nodes]'));
		await t.waitFor('the nodes view', onNodes);
		// the main screen still shows the first prompt: wait for the one after memtop's line
		await t.waitFor('the renewal prompt on the main screen', r => r.findLastIndex(x => x.includes('Password for memtop-test:')) > r.findIndex(x => x.includes('needs renewing')) && r.some(x => x.includes('needs renewing')), 30_000);
		expect(said(t)).toEqual([`memtop: the credential of user "sso-user" needs renewing: running its exec plugin (${path.join(plugins, 'read-line.sh')}); memtop comes back when it is done`]);
		t.type('hunter2');
		t.keys('Enter');
		await t.waitFor('the TUI back, on the nodes view', onNodes, 30_000);
		expect(w.runs()).toBeGreaterThanOrEqual(2);
		expect(new Set(w.seen.map(s => s.token))).toEqual(new Set(['pw-hunter2']));
		t.keys('q');
		await t.waitFor('memtop to exit', exited);
	});
});
