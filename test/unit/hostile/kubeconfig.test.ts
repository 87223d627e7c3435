/**
 * Kubeconfigs that kubectl reads differently than client-node does. Each case was checked against
 * the real kubectl (v1.32) on the same file and a fake server: memtop sends what kubectl sends,
 * refuses what kubectl refuses (one line), and never prints a credential.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {controlBytes, fakeApi, runCli, type CliRun, type FakeApi} from './harness.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-kubeconfig-'));

function tokenFile(text: string): string {
	const file = path.join(dir, `token-${Math.random().toString(36).slice(2)}`);
	fs.writeFileSync(file, text);
	return file;
}

function ends(r: CliRun, code: number, stderr: string): void {
	expect(r.stderr.toString()).toBe(stderr);
	expect(r.code).toBe(code);
	expect(controlBytes(r.stdout)).toEqual([]);
	expect(controlBytes(r.stderr)).toEqual([]);
}

/** the Authorization header of every request the server saw */
const authorizations = (api: FakeApi) => new Set(api.requests.map(q => q.headers['authorization']));

const once = (file: string) => runCli(['--once', '-o', 'json', '--kubeconfig', file]);

describe('kubeconfig credentials as kubectl sends them (finding 8)', () => {
	it('tokenFile is read for the bearer token (kubectl: Authorization: Bearer <file>)', async () => {
		const api = await fakeApi([], {tls: true});
		const r = await once(api.kubeconfig({user: {tokenFile: tokenFile('file-token\n')}}));
		ends(r, 0, '');
		expect(authorizations(api)).toEqual(new Set(['Bearer file-token']));
	});

	it('tokenFile wins over token, as in kubectl', async () => {
		const api = await fakeApi([], {tls: true});
		const r = await once(api.kubeconfig({user: {token: 'inline', tokenFile: tokenFile('file-token')}}));
		ends(r, 0, '');
		expect(authorizations(api)).toEqual(new Set(['Bearer file-token']));
	});

	it('a tokenFile that cannot be read: one line, nothing sent (kubectl: error: open …: no such file or directory)', async () => {
		const api = await fakeApi([], {tls: true});
		const missing = path.join(dir, 'no-such-token');
		const r = await once(api.kubeconfig({user: {tokenFile: missing}}));
		ends(r, 1, `memtop: cannot read the tokenFile of user "u" (${missing}): ENOENT: no such file or directory, open '${missing}'\n`);
		expect(api.requests).toEqual([]);
	});

	it('a context naming a user that is not defined: one line, nothing sent (kubectl asks for a password and fails)', async () => {
		const api = await fakeApi([], {tls: true});
		const file = api.kubeconfig({contextUser: 'nobody'});
		const r = await once(file);
		ends(r, 1, `memtop: context "hostile" names user "nobody", which is not defined in ${file}\n`);
		expect(api.requests).toEqual([]);
	});

	it('a token written as a mapping or a number: one line naming the field (kubectl: cannot unmarshal object into … token of type string)', async () => {
		const api = await fakeApi([], {tls: true});
		for (const [token, kind] of [[{value: 'x'}, 'a mapping'], [12345, 'a number']] as const) {
			const file = api.kubeconfig({user: {token}});
			const r = await once(file);
			ends(r, 1, `memtop: cannot read kubeconfig ${file}: users[0].user.token is ${kind}, not a string\n`);
		}

		expect(api.requests).toEqual([]);
	});

	it('user:password in the server URL: Basic auth as kubectl sends it, and printed nowhere', async () => {
		const api = await fakeApi([], {tls: true});
		const server = api.url.replace('https://', 'https://bob:s3cret@');
		const redacted = api.url.replace('https://', 'https://REDACTED@');
		const r = await once(api.kubeconfig({server}));
		ends(r, 0, '');
		expect(JSON.parse(r.stdout.toString()).server).toBe(redacted);
		expect(authorizations(api)).toEqual(new Set([`Basic ${Buffer.from('bob:s3cret').toString('base64')}`]));

		api.route('/version', {status: 401, json: {kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401, message: 'Unauthorized'}});
		const refused = await once(api.kubeconfig({server}));
		ends(refused, 1, `memtop: the API server at ${redacted} rejected the credentials of user "u" (401 Unauthorized): log in again or check the kubeconfig\n`);
		expect(refused.stdout.toString() + refused.stderr.toString()).not.toContain('s3cret');
	});

	it('an invalid server URL with a password is printed without it', async () => {
		const api = await fakeApi();
		const r = await once(api.kubeconfig({server: 'https://bob:s3cret@[::1'}));
		ends(r, 1, 'memtop: cluster "c" has an invalid server address: https://REDACTED@[::1\n');
	});
});

describe('more kubeconfigs kubectl reads differently', () => {
	it('plain HTTP: no credential of the user is sent, as kubectl sends none without TLS', async () => {
		const api = await fakeApi();
		const r = await once(api.kubeconfig({user: {token: 'secret-token', username: 'bob', password: 'pw'}}));
		ends(r, 0, '');
		expect(authorizations(api)).toEqual(new Set([undefined]));
	});

	it('plain HTTP without insecure-skip-tls-verify works, as in kubectl', async () => {
		const api = await fakeApi();
		const file = api.kubeconfig();
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(', insecure-skip-tls-verify: true', ''));
		const r = await once(file);
		ends(r, 0, '');
		expect(JSON.parse(r.stdout.toString()).items).toHaveLength(2);
	});

	it('impersonation memtop cannot send (as-groups) is refused rather than acting as another user', async () => {
		const api = await fakeApi([], {tls: true});
		const file = api.kubeconfig({user: {token: 't', as: 'alice', 'as-groups': ['devs']}});
		const r = await once(file);
		ends(r, 1, `memtop: user "u" in ${file} impersonates with as-groups, which memtop cannot send (it would act as someone else than kubectl does)\n`);
		expect(api.requests).toEqual([]);
	});

	it('as: alone is sent as Impersonate-User, as kubectl does', async () => {
		const api = await fakeApi([], {tls: true});
		const r = await once(api.kubeconfig({user: {token: 't', as: 'alice'}}));
		ends(r, 0, '');
		expect(new Set(api.requests.map(q => q.headers['impersonate-user']))).toEqual(new Set(['alice']));
	});

	it('a field of the wrong type anywhere in the file is refused (kubectl decodes the whole file)', async () => {
		const api = await fakeApi();
		const file = api.kubeconfig({extra: 'preferences: [1]'});
		const r = await once(file);
		ends(r, 1, `memtop: cannot read kubeconfig ${file}: preferences is a list, not a mapping\n`);
	});
});
