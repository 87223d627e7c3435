/**
 * The connection a kubeconfig context makes, as kubectl makes it for the same file:
 * - over plain HTTP no credential of the user is sent (kubectl reads a user's credentials only
 *   for TLS; impersonation still applies), and no TLS setting is needed;
 * - `tokenFile` is read for the bearer token, and wins over `token` (re-read at most once a
 *   minute, as client-go does, so a rotated token is picked up; a failed re-read keeps the last);
 * - a server URL with user:password sends them as Basic auth, over any other credential (Go's
 *   HTTP client does), and is never printed with them (`redactUrl`);
 * - a context naming a user that is not defined is refused (kubectl asks for a password and fails
 *   without a terminal), and so is impersonation memtop cannot send (as-uid, as-groups,
 *   as-user-extra): it would act as someone else than kubectl does;
 * - an `exec` credential plugin is run by memtop (exec-credential.ts), not by client-node, and
 *   only when the user has no token, tokenFile, client certificate or basic auth (client-go's
 *   order); client-node never sees it.
 */
import fs from 'node:fs';
import {KubeConfig, type Cluster, type User} from '@kubernetes/client-node';
import {MemtopError} from './errors.js';
import {execClusterInfo, readExecPlugin} from './exec-config.js';
import {ExecCredentials} from './exec-credential.js';
import type {KubectlUser} from './kubeconfig.js';

/** a URL with any user:password replaced by REDACTED, also when it does not parse */
export function redactUrl(url: string): string {
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1REDACTED@');
}

const tokenFileRereadMs = 60_000;

class TokenFile {
	private token = '';
	private readAt = 0;

	constructor(
		private readonly file: string,
		private readonly user: string,
	) {}

	/** the token; a MemtopError when the file cannot be read and no token was read before */
	read(now = Date.now()): string {
		if (this.token && now - this.readAt < tokenFileRereadMs) return this.token;
		try {
			const token = fs.readFileSync(this.file, 'utf8').trim();
			if (token === '') throw new Error('the file is empty');
			this.token = token;
			this.readAt = now;
		} catch (error) {
			if (this.token) return this.token;
			throw new MemtopError(`cannot read the tokenFile of user "${this.user}" (${this.file}): ${error instanceof Error ? error.message : String(error)}`);
		}

		return this.token;
	}
}

type HttpsOptions = Parameters<KubeConfig['applyToHTTPSOptions']>[0];

/** client-node's KubeConfig, with the bearer token of a tokenFile */
class KubectlConfig extends KubeConfig {
	constructor(private readonly tokenFile: TokenFile | null) {
		super();
	}

	override async applyToHTTPSOptions(opts: HttpsOptions): Promise<void> {
		await super.applyToHTTPSOptions(opts);
		if (this.tokenFile) opts.headers = {...opts.headers, Authorization: `Bearer ${this.tokenFile.read()}`};
	}
}

/** the context `name` of a loaded kubeconfig as the one-context config a session uses, and its exec plugin's credentials */
export function kubectlContext(kc: KubeConfig, users: Map<string, KubectlUser>, name: string, source: string): {kc: KubeConfig; credentials: ExecCredentials | null} {
	const ctx = kc.getContextObject(name)!;
	const cluster: Cluster = kc.getCluster(ctx.cluster)!;
	const base = ctx.user ? kc.getUser(ctx.user) : null;
	if (ctx.user && !base) throw new MemtopError(`context "${name}" names user "${ctx.user}", which is not defined in ${source}`);
	const kubectl = base ? users.get(base.name) : undefined;
	if (kubectl?.unsupported) throw new MemtopError(`user "${base!.name}" in ${source} impersonates with ${kubectl.unsupported}, which memtop cannot send (it would act as someone else than kubectl does)`);
	const url = new URL(cluster.server);
	const tls = url.protocol === 'https:';
	let user: User = base && tls ? {...base, token: kubectl ? kubectl.token : base.token, exec: undefined} : {name: base?.name ?? '', impersonateUser: base?.impersonateUser};
	const tokenFile = tls && base && kubectl?.tokenFile ? new TokenFile(kubectl.tokenFile, base.name) : null;
	tokenFile?.read();
	if (url.username) user = {...user, username: decodeURIComponent(url.username), password: decodeURIComponent(url.password)};
	const otherCredential = user.token || tokenFile || user.username || user.certData || user.certFile;
	const plugin = tls && base && kubectl?.exec && !otherCredential ? readExecPlugin(kubectl.exec, base.name, kubectl.dir, source) : null;
	const out = new KubectlConfig(tokenFile);
	out.loadFromOptions({
		clusters: [{...cluster, skipTLSVerify: cluster.skipTLSVerify || !tls}],
		users: [user],
		contexts: [{...ctx, user: user.name}],
		currentContext: name,
	});
	return {kc: out, credentials: plugin ? new ExecCredentials(plugin, execClusterInfo(cluster)) : null};
}
