/**
 * One run of an exec credential plugin, by the client.authentication.k8s.io contract:
 * KUBERNETES_EXEC_INFO tells it whether it may talk to the user (`spec.interactive`) and, when
 * provideClusterInfo is set, which cluster it logs in to. An interactive run gets the terminal's
 * stdin and stderr (as under kubectl: device codes and prompts are the plugin's own, on the
 * terminal); otherwise stdin is closed and stderr is kept (its last 16 KiB) for the error line.
 * stdout is the ExecCredential, read to 1 MiB; a run that does not talk to the user gets 5 minutes.
 * Every failure is one MemtopError line naming the user and what was wrong; the plugin's own text
 * in it is escaped.
 */
import {spawn} from 'node:child_process';
import {X509Certificate, createPrivateKey} from 'node:crypto';
import {MemtopError, seconds} from './errors.js';
import type {ExecClusterInfo, ExecPlugin} from './exec-config.js';
import {clean} from './sanitize.js';

export interface ExecCredential {
	token: string | null;
	/** PEM client certificate and key (both or neither) */
	cert: string | null;
	key: string | null;
	/** epoch ms; null: good until the server answers 401 */
	expiresAt: number | null;
}

export interface RunOptions {
	/** the plugin may talk to the user: it gets the terminal's stdin and stderr */
	interactive: boolean;
	/** spec.cluster (provideClusterInfo) */
	cluster: ExecClusterInfo | null;
	/** the environment the plugin's own env is added to (default process.env) */
	env?: NodeJS.ProcessEnv;
	/** the bound on a run that does not talk to the user */
	timeoutMs?: number;
}

export const maxCredentialBytes = 2 ** 20;
const stderrTailBytes = 16 * 1024;
export const execTimeoutMs = 5 * 60_000;

/** the KUBERNETES_EXEC_INFO a run gets */
export function execInfo(plugin: ExecPlugin, interactive: boolean, cluster: ExecClusterInfo | null): string {
	const spec = {interactive, ...(plugin.provideClusterInfo && cluster ? {cluster} : {})};
	return JSON.stringify({apiVersion: plugin.apiVersion, kind: 'ExecCredential', spec});
}

/** "exec plugin of user "u" (cmd)": how every message names the plugin */
export function pluginName(plugin: ExecPlugin): string {
	return `exec plugin of user "${clean(plugin.user, 128)}" (${clean(plugin.command, 128)})`;
}

/** the last few lines of what a plugin wrote on stderr, escaped, as one line */
function lastLines(tail: Buffer): string {
	const lines = tail
		.toString('utf8')
		.split(/\r?\n|\r/)
		.map(l => l.trim())
		.filter(Boolean)
		.slice(-3);
	return lines.length > 0 ? lines.map(l => clean(l, 200)).join(' | ') : 'it wrote nothing on stderr';
}

const describeKind = (v: unknown): string => (Array.isArray(v) ? 'a JSON list' : v === null ? 'JSON null' : `a JSON ${typeof v}`);

/** stdout of a run, checked as client-go checks it; a MemtopError saying what was wrong */
export function parseExecCredential(stdout: string, plugin: ExecPlugin): ExecCredential {
	const name = pluginName(plugin);
	const fail = (what: string): never => {
		throw new MemtopError(`${name} ${what}`);
	};

	let doc: unknown;
	try {
		doc = JSON.parse(stdout);
	} catch {
		fail(stdout.trim() === '' ? 'printed nothing on stdout, where an ExecCredential was expected' : `printed output that is not an ExecCredential (not JSON: "${clean(stdout.trim(), 60)}")`);
	}

	if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(`printed ${describeKind(doc)}, not an ExecCredential`);
	const d = doc as Record<string, unknown>;
	if (d['kind'] !== 'ExecCredential') fail(`printed ${d['kind'] === undefined ? 'an object without a kind' : `kind ${JSON.stringify(clean(d['kind'], 60))}`}, not an ExecCredential`);
	if (d['apiVersion'] !== plugin.apiVersion) fail(`is configured to use API version ${plugin.apiVersion}, plugin returned version ${JSON.stringify(clean(d['apiVersion'], 80))}`);
	const status = d['status'];
	if (status === undefined || status === null) fail(`didn't return a status field`);
	if (typeof status !== 'object' || Array.isArray(status)) fail(`returned a status that is ${describeKind(status)}, not an object`);
	const s = status as Record<string, unknown>;
	for (const key of ['token', 'clientCertificateData', 'clientKeyData', 'expirationTimestamp']) {
		if (s[key] !== undefined && s[key] !== null && typeof s[key] !== 'string') fail(`returned status.${key} as ${describeKind(s[key])}, not a string`);
	}

	const token = (s['token'] as string | undefined) || null;
	const cert = (s['clientCertificateData'] as string | undefined) || null;
	const key = (s['clientKeyData'] as string | undefined) || null;
	if (!token && !cert && !key) fail(`didn't return a token or cert/key pair`);
	if (Boolean(cert) !== Boolean(key)) fail(`returned only certificate or key, not both`);
	if (cert && key) {
		try {
			new X509Certificate(cert);
			createPrivateKey(key);
		} catch (error) {
			fail(`returned a client certificate or key that does not parse (${clean(error instanceof Error ? error.message : String(error), 120)})`);
		}
	}

	let expiresAt: number | null = null;
	const exp = s['expirationTimestamp'] as string | undefined;
	if (exp) {
		expiresAt = /^\d{4}-\d\d-\d\dT/.test(exp) ? Date.parse(exp) : Number.NaN;
		if (Number.isNaN(expiresAt)) fail(`returned status.expirationTimestamp ${JSON.stringify(clean(exp, 60))}, which is not a time (RFC 3339)`);
	}

	return {token, cert, key, expiresAt};
}

/** run the plugin once and read its ExecCredential; a MemtopError with one line when it fails */
export function runExecPlugin(plugin: ExecPlugin, opts: RunOptions): Promise<ExecCredential> {
	const name = pluginName(plugin);
	const env = {...(opts.env ?? process.env), ...Object.fromEntries(plugin.env), KUBERNETES_EXEC_INFO: execInfo(plugin, opts.interactive, opts.cluster)};
	return new Promise((resolve, reject) => {
		let settled = false;
		const settle = (error: MemtopError | null, value?: ExecCredential) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			if (error) reject(error);
			else resolve(value!);
		};

		const child = spawn(plugin.file, plugin.args, {env, stdio: [opts.interactive ? 'inherit' : 'ignore', 'pipe', opts.interactive ? 'inherit' : 'pipe']});
		const out: Buffer[] = [];
		let outBytes = 0;
		let tail = Buffer.alloc(0);
		let stopped: string | null = null;
		const stop = (why: string) => {
			stopped ??= why;
			child.kill('SIGKILL');
		};

		const timeoutMs = opts.timeoutMs ?? execTimeoutMs;
		const timer = opts.interactive ? undefined : setTimeout(() => stop(`did not finish within ${seconds(timeoutMs)}, and was stopped`), timeoutMs);
		child.stdout!.on('data', (chunk: Buffer) => {
			outBytes += chunk.length;
			if (outBytes > maxCredentialBytes) stop(`printed more than ${maxCredentialBytes / 2 ** 20} MiB on stdout, and was stopped`);
			else out.push(chunk);
		});
		child.stderr?.on('data', (chunk: Buffer) => {
			tail = Buffer.concat([tail, chunk]);
			if (tail.length > stderrTailBytes) tail = tail.subarray(tail.length - stderrTailBytes);
		});
		child.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') {
				const hint = plugin.installHint.trim() ? clean(plugin.installHint.trim().replace(/\s*\n\s*/g, ' '), 300) : 'it looks like the credential plugin is not installed (see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins)';
				settle(new MemtopError(`${name}: executable ${clean(plugin.command, 128)} not found: ${hint}`));
			} else {
				settle(new MemtopError(`${name} could not be started: ${clean(error.message, 200)}`));
			}
		});
		child.on('close', (code, signal) => {
			const said = opts.interactive ? ' (its own messages are above)' : `: ${lastLines(tail)}`;
			if (stopped) settle(new MemtopError(`${name} ${stopped}${opts.interactive ? '' : said}`));
			else if (signal) settle(new MemtopError(`${name} was stopped by ${signal}${said}`));
			else if (code !== 0) settle(new MemtopError(`${name} failed with exit code ${code}${said}`));
			else {
				try {
					settle(null, parseExecCredential(Buffer.concat(out).toString('utf8'), plugin));
				} catch (error) {
					settle(error as MemtopError);
				}
			}
		});
	});
}
