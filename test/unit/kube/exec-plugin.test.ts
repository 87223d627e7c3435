/**
 * memtop runs a user's exec credential plugin itself (issue 9, items 3 and 5): the built CLI
 * against the simulated cluster over https, which refuses any request without a token it takes,
 * with small plugins of our own. Without a terminal (these runs have none) a plugin gets
 * interactive:false and no stdin; every way a plugin or its kubeconfig entry is wrong is one line
 * and exit 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {loginSim, plugins, type LoginSim} from '../../fixtures/exec-plugins/login-sim.js';
import {controlBytes, runCli} from '../hostile/harness.js';

const v1 = 'client.authentication.k8s.io/v1';
const v1beta1 = 'client.authentication.k8s.io/v1beta1';

let world: LoginSim | undefined;
afterEach(async () => {
	await world?.close();
	world = undefined;
});

async function once(exec: Record<string, unknown>, args: string[] = []) {
	world ??= await loginSim();
	const r = await runCli(['--once', '-o', 'json', '--kubeconfig', world.kubeconfig(exec), ...args]);
	return {...r, out: r.stdout.toString(), err: r.stderr.toString(), w: world};
}

/** a plugin written inline: `script` runs under sh */
const sh = (script: string, more: Record<string, unknown> = {}) => ({apiVersion: v1, interactiveMode: 'IfAvailable', command: 'sh', args: ['-c', script], ...more});

describe('a plugin that logs in', () => {
	it('its token is sent; without a terminal it is told interactive:false, and provideClusterInfo gives it the cluster', async () => {
		const script = `printf '%s' "$KUBERNETES_EXEC_INFO" > "$PLUGIN_DIR/exec-info"; echo '{"apiVersion":"${v1}","kind":"ExecCredential","status":{"token":"device-ok"}}'`;
		const r = await once(sh(script, {provideClusterInfo: true}));
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		expect(JSON.parse(r.out).items.length).toBeGreaterThan(10);
		expect(r.w.seen.length).toBeGreaterThan(3);
		expect(r.w.seen.every(s => s.token === 'device-ok' && s.ok)).toBe(true);
		const info = JSON.parse(fs.readFileSync(path.join(r.w.dir, 'exec-info'), 'utf8'));
		expect(info).toEqual({apiVersion: v1, kind: 'ExecCredential', spec: {interactive: false, cluster: {'server': r.w.sim.url, 'insecure-skip-tls-verify': true}}});
	});

	it('runs once for a whole --once, however many requests (the credential is kept until it expires)', async () => {
		const r = await once({apiVersion: v1beta1, command: path.join(plugins, 'short-token.sh'), env: [{name: 'TOKEN_SECONDS', value: '600'}]});
		expect(r.code).toBe(0);
		expect(r.w.runs()).toBe(1);
		expect(new Set(r.w.seen.map(s => s.token)).size).toBe(1);
	});

	it('a 401 to its token runs it once more, and the request goes again with the new token', async () => {
		// run 1 gives a token the server refuses (revoked), run 2 one it takes
		const script = `echo run >> "$PLUGIN_DIR/runs"; n=$(wc -l < "$PLUGIN_DIR/runs"); t=revoked; [ "$n" -ge 2 ] && t=device-ok; echo "{\\"apiVersion\\":\\"${v1}\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"$t\\"}}"`;
		const r = await once(sh(script));
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		expect(r.w.runs()).toBe(2);
		// the preflight's three requests and the three lists asked beside them go at once: each may
		// meet the revoked token, none after the new one
		const renewed = r.w.seen.findIndex(s => s.token === 'device-ok');
		expect(renewed).toBeGreaterThanOrEqual(1);
		expect(renewed).toBeLessThanOrEqual(6);
		expect(r.w.seen.slice(0, renewed).every(s => s.token === 'revoked' && !s.ok)).toBe(true);
		expect(r.w.seen.slice(renewed).every(s => s.token === 'device-ok' && s.ok)).toBe(true);
	});

	it('is not run when the user has a token too (client-go: the token wins), nor over plain http', async () => {
		world = await loginSim();
		const file = world.kubeconfig({apiVersion: v1, interactiveMode: 'Never', command: path.join(plugins, 'fail.sh')});
		const config = JSON.parse(fs.readFileSync(file, 'utf8'));
		config.users[0].user.token = 'pw-hunter2';
		fs.writeFileSync(file, JSON.stringify(config));
		const r = await runCli(['--once', '--kubeconfig', file]);
		expect(r.stderr.toString()).toBe('');
		expect(r.code).toBe(0);
		expect(world.runs()).toBe(0);
		// kubectl reads a user's credentials only for TLS: over http the plugin never runs (nothing listens on port 9)
		config.clusters[0].cluster.server = 'http://127.0.0.1:9';
		delete config.users[0].user.token;
		fs.writeFileSync(file, JSON.stringify(config));
		const h = await runCli(['--once', '--kubeconfig', file]);
		expect(h.code).toBe(1);
		expect(h.stderr.toString()).toMatch(/^memtop: cannot reach the API server at http:\/\/127\.0\.0\.1:9 /);
		expect(world.runs()).toBe(0);
	});
});

describe('a plugin that fails or answers wrong: one line, exit 1', () => {
	it('a non-zero exit: the exit code and the last lines of its stderr, escaped', async () => {
		const r = await once({apiVersion: v1, interactiveMode: 'IfAvailable', command: path.join(plugins, 'fail.sh')});
		expect(r.code).toBe(1);
		expect(r.err).toBe(`memtop: exec plugin of user "sso-user" (${path.join(plugins, 'fail.sh')}) failed with exit code 3: contacting https://login.example.test ... | error: the SSO session has ended | run "sso login" and try again\n`);
		expect(r.w.seen).toEqual([]);
	});

	it('terminal escapes in its stderr are shown, not obeyed', async () => {
		const r = await once(sh(String.raw`printf 'denied\033]52;c;cm0gLXJm\007\033[2J\n' >&2; exit 2`));
		expect(r.code).toBe(1);
		expect(controlBytes(r.stderr)).toEqual([]);
		expect(r.err).toBe(String.raw`memtop: exec plugin of user "sso-user" (sh) failed with exit code 2: denied\x1b]52;c;cm0gLXJm\x07\x1b[2J` + '\n');
	});

	it('a plugin that reads a line finds stdin closed when there is no terminal', async () => {
		const r = await once({apiVersion: v1, interactiveMode: 'IfAvailable', command: path.join(plugins, 'read-line.sh')});
		expect(r.code).toBe(1);
		expect(r.err).toBe(`memtop: exec plugin of user "sso-user" (${path.join(plugins, 'read-line.sh')}) failed with exit code 4: Password for memtop-test:\n`);
	});

	it('interactiveMode Always without a terminal is refused as kubectl refuses it, and the plugin does not run', async () => {
		const r = await once({apiVersion: v1, interactiveMode: 'Always', command: path.join(plugins, 'read-line.sh')});
		expect(r.code).toBe(1);
		expect(r.err).toBe(`memtop: exec plugin of user "sso-user" (${path.join(plugins, 'read-line.sh')}) cannot support interactive mode: standard input is not a terminal (its interactiveMode is Always)\n`);
		expect(r.w.runs()).toBe(0);
	});

	it('a command that is not installed: its installHint', async () => {
		const r = await once({apiVersion: v1, interactiveMode: 'Never', command: 'memtop-no-such-login', installHint: 'memtop-no-such-login is needed:\n  brew install memtop-no-such-login'});
		expect(r.code).toBe(1);
		expect(r.err).toBe('memtop: exec plugin of user "sso-user" (memtop-no-such-login): executable memtop-no-such-login not found: memtop-no-such-login is needed: brew install memtop-no-such-login\n');
	});

	it('output that is not an ExecCredential', async () => {
		const r = await once({apiVersion: v1, interactiveMode: 'Never', command: path.join(plugins, 'not-credential.sh')});
		expect(r.code).toBe(1);
		expect(r.err).toBe(`memtop: exec plugin of user "sso-user" (${path.join(plugins, 'not-credential.sh')}) printed output that is not an ExecCredential (not JSON: "Please log in first: https://login.example.test")\n`);
	});

	const cred = (status: unknown, head: Record<string, unknown> = {apiVersion: v1, kind: 'ExecCredential'}) => JSON.stringify({...head, ...(status === undefined ? {} : {status})});
	const wrong: Array<[string, string, string]> = [
		['another apiVersion', cred({token: 'x'}, {apiVersion: v1beta1, kind: 'ExecCredential'}), `is configured to use API version ${v1}, plugin returned version "${v1beta1}"`],
		['another kind', cred({token: 'x'}, {apiVersion: v1, kind: 'Status'}), 'printed kind "Status", not an ExecCredential'],
		['no status', cred(undefined), "didn't return a status field"],
		['no token, no certificate', cred({expirationTimestamp: '2030-01-01T00:00:00Z'}), "didn't return a token or cert/key pair"],
		['a certificate without its key', cred({clientCertificateData: 'x'}), 'returned only certificate or key, not both'],
		['a token that is a number', cred({token: 42}), 'returned status.token as a JSON number, not a string'],
		['an expiry that is not a time', cred({token: 'x', expirationTimestamp: 'tomorrow'}), 'returned status.expirationTimestamp "tomorrow", which is not a time (RFC 3339)'],
		['a JSON list', '[]', 'printed a JSON list, not an ExecCredential'],
		['nothing', '', 'printed nothing on stdout, where an ExecCredential was expected'],
	];
	for (const [what, output, line] of wrong) {
		it(`output with ${what}`, async () => {
			const r = await once(sh(`printf '%s' '${output}'`));
			expect(r.code).toBe(1);
			expect(r.err).toBe(`memtop: exec plugin of user "sso-user" (sh) ${line}\n`);
		});
	}

	it('more than 1 MiB on stdout: stopped, one line', async () => {
		const r = await once(sh('head -c 3000000 /dev/zero | tr "\\0" x'));
		expect(r.code).toBe(1);
		expect(r.err).toBe('memtop: exec plugin of user "sso-user" (sh) printed more than 1 MiB on stdout, and was stopped: it wrote nothing on stderr\n');
	});
});

describe('an exec entry kubectl would refuse: one line naming the file and the user', () => {
	const entries: Array<[string, Record<string, unknown>, string]> = [
		['v1 without interactiveMode', {apiVersion: v1, command: 'x'}, 'interactiveMode must be specified for user "sso-user" to use exec authentication plugin (Never, IfAvailable or Always)'],
		['an unknown interactiveMode', {apiVersion: v1, command: 'x', interactiveMode: 'Sometimes'}, 'invalid interactiveMode for user "sso-user": "Sometimes" (Never, IfAvailable or Always)'],
		['no command', {apiVersion: v1, interactiveMode: 'Never'}, 'command must be specified for user "sso-user" to use exec authentication plugin'],
		['no apiVersion', {command: 'x', interactiveMode: 'Never'}, 'apiVersion must be specified for user "sso-user" to use exec authentication plugin'],
		['an apiVersion client-go dropped', {apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x', interactiveMode: 'Never'}, `exec plugin of user "sso-user": invalid apiVersion "client.authentication.k8s.io/v1alpha1" (${v1} or ${v1beta1})`],
		['args that are a string', {apiVersion: v1, command: 'x', interactiveMode: 'Never', args: '--login'}, 'exec.args of user "sso-user" is a string, not a list of strings'],
		['an env entry without a name', {apiVersion: v1, command: 'x', interactiveMode: 'Never', env: [{value: 'y'}]}, 'env variable name must be specified for user "sso-user" to use exec authentication plugin'],
		['provideClusterInfo that is a string', {apiVersion: v1, command: 'x', interactiveMode: 'Never', provideClusterInfo: 'yes'}, 'exec.provideClusterInfo of user "sso-user" is a string, not a boolean'],
	];
	for (const [what, exec, line] of entries) {
		it(what, async () => {
			world ??= await loginSim({scenario: 'empty'});
			const file = world.kubeconfig(exec);
			const r = await runCli(['--once', '--kubeconfig', file]);
			expect(r.code).toBe(1);
			expect(r.stderr.toString()).toBe(`memtop: kubeconfig ${file}: ${line}\n`);
			expect(world.seen).toEqual([]);
		});
	}

	it('v1beta1 without interactiveMode is IfAvailable, as kubectl defaults it', async () => {
		const r = await once({apiVersion: v1beta1, command: path.join(plugins, 'short-token.sh')});
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
	});
});
