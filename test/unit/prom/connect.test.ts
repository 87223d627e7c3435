/**
 * Logging in to a Prometheus URL: a bearer token (flag, file), basic auth (URL user:password, or
 * --prometheus-user with the password from the environment), a CA file, TLS verification off.
 * The server speaks a few lines of the Prometheus HTTP API over https with the test certificate.
 */
import fs from 'node:fs';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {ApiClient} from '../../../source/kube/http.js';
import {connectPrometheus} from '../../../source/prom/connect.js';
import type {PrometheusAuth} from '../../../source/kube/prom-target.js';

const tls = path.join(import.meta.dirname, '../hostile/tls');
const seen: Array<string | undefined> = [];
let server: https.Server;
let url: string;
const kube = new ApiClient(kubeTargetForServer('http://127.0.0.1:9'));

beforeAll(async () => {
	server = https.createServer({cert: fs.readFileSync(path.join(tls, 'cert.pem')), key: fs.readFileSync(path.join(tls, 'key.pem'))}, (req, res) => {
		seen.push(req.headers.authorization);
		const ok = req.headers.authorization === 'Bearer s3cret' || req.headers.authorization === `Basic ${Buffer.from('ops:pa:ss').toString('base64')}`;
		if (!ok) {
			res.writeHead(401).end('Unauthorized');
			return;
		}

		res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({status: 'success', data: {version: '3.16.0'}}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise(resolve => server.close(resolve));
});

async function version(u: string, auth: PrometheusAuth): Promise<string> {
	const c = (await connectPrometheus({url: u, auth}, kube))!;
	try {
		return await c.client.version();
	} finally {
		c.close();
	}
}

describe('logging in to a Prometheus URL', () => {
	const ca = path.join(tls, 'cert.pem');
	it('verifies TLS against --prometheus-ca, or not at all with --prometheus-insecure; never silently', async () => {
		await expect(version(url, {token: 's3cret'})).rejects.toThrow(/self-signed|self signed|unable to verify/i);
		expect(await version(url, {token: 's3cret', caFile: ca})).toBe('3.16.0');
		expect(await version(url, {token: 's3cret', insecure: true})).toBe('3.16.0');
	});

	it('sends the bearer token from the flag or a file, basic auth from the URL or --prometheus-user', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-prom-auth-'));
		const file = path.join(dir, 'token');
		fs.writeFileSync(file, 's3cret\n');
		seen.length = 0;
		expect(await version(url, {tokenFile: file, caFile: ca})).toBe('3.16.0');
		expect(await version(`https://ops:pa%3Ass@127.0.0.1:${new URL(url).port}`, {caFile: ca})).toBe('3.16.0');
		expect(await version(url, {user: 'ops', password: 'pa:ss', caFile: ca})).toBe('3.16.0');
		await expect(version(url, {token: 'wrong', caFile: ca})).rejects.toMatchObject({status: 401});
		expect(seen).toEqual(['Bearer s3cret', `Basic ${Buffer.from('ops:pa:ss').toString('base64')}`, `Basic ${Buffer.from('ops:pa:ss').toString('base64')}`, 'Bearer wrong']);
		fs.rmSync(dir, {recursive: true});
	});

	it('refuses what cannot be a Prometheus URL, and files that are not there, as one line', async () => {
		await expect(connectPrometheus({url: 'ftp://x'}, kube)).rejects.toThrow('not an http:// or https:// URL');
		await expect(connectPrometheus({url: 'http://[nope'}, kube)).rejects.toThrow('is not a URL');
		await expect(connectPrometheus({url, auth: {tokenFile: '/nonexistent/token'}}, kube)).rejects.toThrow('--prometheus-token-file: cannot read /nonexistent/token');
		await expect(connectPrometheus({url, auth: {caFile: '/nonexistent/ca'}}, kube)).rejects.toThrow('--prometheus-ca: /nonexistent/ca does not exist');
	});
});
