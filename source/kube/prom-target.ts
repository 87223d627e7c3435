/**
 * The connection to a Prometheus server given by URL (--prometheus), as a KubeTarget so the one
 * read-only ApiClient (its size bounds, deadlines and TLS handling) talks to it too: a bearer
 * token, basic auth (user:password in the URL, or --prometheus-user with the password from the
 * environment), a CA file, or TLS verification off (--prometheus-insecure).
 */
import fs from 'node:fs';
import {KubeConfig} from './client-node.js';
import type {KubeTarget} from './config.js';
import {redactUrl} from './credentials.js';
import {MemtopError} from './errors.js';

export interface PrometheusAuth {
	token?: string;
	tokenFile?: string;
	user?: string;
	password?: string;
	caFile?: string;
	insecure?: boolean;
}

/** a KubeTarget for `url` (http or https) with `auth`; MemtopError for a bad URL or an unreadable file */
export function prometheusTarget(url: string, auth: PrometheusAuth = {}): KubeTarget {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new MemtopError(`--prometheus: "${redactUrl(url)}" is not a URL (e.g. http://prometheus.monitoring:9090)`, 2);
	}

	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new MemtopError(`--prometheus: "${redactUrl(url)}" is not an http:// or https:// URL`, 2);
	}

	let user = auth.user;
	let password = auth.password;
	if (parsed.username) {
		user = decodeURIComponent(parsed.username);
		password = decodeURIComponent(parsed.password);
		parsed.username = '';
		parsed.password = '';
	}

	let token = auth.token;
	if (auth.tokenFile !== undefined) {
		try {
			token = fs.readFileSync(auth.tokenFile, 'utf8').trim();
		} catch (error) {
			throw new MemtopError(`--prometheus-token-file: cannot read ${auth.tokenFile}: ${(error as Error).message}`, 2);
		}

		if (token === '') throw new MemtopError(`--prometheus-token-file: ${auth.tokenFile} is empty`, 2);
	}

	if (auth.caFile !== undefined && !fs.existsSync(auth.caFile)) {
		throw new MemtopError(`--prometheus-ca: ${auth.caFile} does not exist`, 2);
	}

	const server = parsed.toString().replace(/\/$/, '');
	const kc = new KubeConfig();
	kc.loadFromOptions({
		clusters: [
			{
				name: 'prometheus',
				server,
				// client-node only accepts a plain-HTTP server when TLS verification is explicitly off
				skipTLSVerify: parsed.protocol === 'http:' || Boolean(auth.insecure),
				...(auth.caFile === undefined ? {} : {caFile: auth.caFile}),
			},
		],
		users: [
			{
				name: 'prometheus',
				...(token ? {token} : {}),
				...(user !== undefined ? {username: user, password: password ?? ''} : {}),
			},
		],
		contexts: [{name: 'prometheus', cluster: 'prometheus', user: 'prometheus'}],
		currentContext: 'prometheus',
	});
	return {kc, context: 'prometheus', cluster: 'prometheus', server, user: user ?? '', namespace: null, source: '--prometheus'};
}
