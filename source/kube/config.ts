import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {KubeConfig} from '@kubernetes/client-node';
import {kubectlContext, redactUrl} from './credentials.js';
import {MemtopError} from './errors.js';
import type {ExecCredentials} from './exec-credential.js';
import {readKubeconfig, type KubeconfigFile, type KubectlUser} from './kubeconfig.js';

export interface KubeTarget {
	kc: KubeConfig;
	context: string;
	cluster: string;
	/** the server URL, any user:password in it redacted (the connection is kc's) */
	server: string;
	user: string;
	/** the context's namespace, if it sets one */
	namespace: string | null;
	/** where the configuration came from, for messages */
	source: string;
	/** the user's exec credential plugin, which memtop runs (null: none, or another credential wins) */
	credentials?: ExecCredentials | null;
}

interface TargetOptions {
	kubeconfig?: string | undefined;
	context?: string | undefined;
	/** for tests: the environment to read KUBECONFIG and HOME from */
	env?: NodeJS.ProcessEnv;
}

/**
 * Merge kubeconfig files the way kubectl does: the first file that names a cluster, user or
 * context wins, and so does the first current-context that is set; missing files are skipped.
 */
function mergeKubeconfigs(files: string[]): KubeconfigFile {
	const clusters = new Map<string, unknown>();
	const users = new Map<string, unknown>();
	const contexts = new Map<string, unknown>();
	const kubectlUsers = new Map<string, KubectlUser>();
	let currentContext = '';
	for (const file of files) {
		const {kc, users: extra} = readKubeconfig(file);
		for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
		for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
		for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
		for (const [name, u] of extra) if (!kubectlUsers.has(name)) kubectlUsers.set(name, u);
		if (!currentContext && kc.currentContext) currentContext = kc.currentContext;
	}

	const merged = new KubeConfig();
	merged.loadFromOptions({
		clusters: [...clusters.values()],
		users: [...users.values()],
		contexts: [...contexts.values()],
		currentContext,
	});
	return {kc: merged, users: kubectlUsers};
}

function inCluster(env: NodeJS.ProcessEnv): boolean {
	return Boolean(env['KUBERNETES_SERVICE_HOST']) && fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
}

/** Find and load the kubeconfig: --kubeconfig, then KUBECONFIG (merged), then ~/.kube/config, then in-cluster. */
export function loadKubeTarget(options: TargetOptions = {}): KubeTarget {
	const env = options.env ?? process.env;
	let kc: KubeConfig;
	let users: KubeconfigFile['users'] | null = null;
	let source: string;
	if (options.kubeconfig) {
		if (!fs.existsSync(options.kubeconfig)) {
			throw new MemtopError(`kubeconfig ${options.kubeconfig} does not exist`);
		}

		({kc, users} = readKubeconfig(options.kubeconfig));
		source = options.kubeconfig;
	} else if (env['KUBECONFIG']) {
		const listed = env['KUBECONFIG'].split(path.delimiter).filter(Boolean);
		const files = listed.filter(f => fs.existsSync(f));
		if (files.length === 0) {
			throw new MemtopError(`no kubeconfig found: none of the files in KUBECONFIG exist (${listed.join(path.delimiter)})`);
		}

		({kc, users} = mergeKubeconfigs(files));
		source = files.join(path.delimiter);
	} else {
		const home = env['HOME'] ?? os.homedir();
		const file = path.join(home, '.kube', 'config');
		if (fs.existsSync(file)) {
			({kc, users} = readKubeconfig(file));
			source = file;
		} else if (inCluster(env)) {
			kc = new KubeConfig();
			kc.loadFromCluster();
			source = 'in-cluster service account';
		} else {
			throw new MemtopError('no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config (or try memtop --demo)');
		}
	}

	if (options.context) {
		if (!kc.getContextObject(options.context)) {
			const known = kc.contexts.map(c => c.name).slice(0, 8).join(', ');
			throw new MemtopError(`context "${options.context}" not found in ${source}${known ? ` (contexts: ${known})` : ''}`);
		}

		kc.setCurrentContext(options.context);
	}

	const contextName = kc.getCurrentContext();
	if (!contextName && source !== 'in-cluster service account') {
		throw new MemtopError(`kubeconfig ${source} has no current-context; pass --context`);
	}

	const ctx = contextName ? kc.getContextObject(contextName) : null;
	if (contextName && !ctx) {
		throw new MemtopError(`current-context "${contextName}" is not defined in ${source}`);
	}

	const cluster = kc.getCurrentCluster();
	if (!cluster) {
		throw new MemtopError(`context "${contextName}" names cluster "${ctx?.cluster ?? ''}", which is not defined in ${source}`);
	}

	if (!cluster.server) {
		throw new MemtopError(`cluster "${cluster.name}" in ${source} has no server address`);
	}

	try {
		new URL(cluster.server);
	} catch {
		throw new MemtopError(`cluster "${cluster.name}" has an invalid server address: ${redactUrl(cluster.server)}`);
	}

	let credentials: ExecCredentials | null = null;
	if (users) ({kc, credentials} = kubectlContext(kc, users, contextName, source));
	return {
		kc,
		context: contextName,
		cluster: cluster.name,
		// for messages and output: never with a password
		server: redactUrl(cluster.server),
		user: kc.getCurrentUser()?.name ?? '',
		namespace: ctx?.namespace ?? null,
		source,
		credentials,
	};
}

/** A kubeconfig that points at a server with no auth (the simulated cluster). */
export function kubeTargetForServer(server: string, context = 'memtop-demo', token?: string): KubeTarget {
	const kc = new KubeConfig();
	kc.loadFromOptions({
		// client-node only accepts a plain-HTTP server when TLS verification is explicitly off
		clusters: [{name: context, server, skipTLSVerify: server.startsWith('http:')}],
		users: [{name: 'demo', ...(token ? {token} : {})}],
		contexts: [{name: context, cluster: context, user: 'demo'}],
		currentContext: context,
	});
	return {kc, context, cluster: context, server, user: 'demo', namespace: null, source: 'built-in'};
}
