/**
 * A user's `exec` credential plugin as kubectl reads it (clientcmd's ExecConfig): command, args,
 * env, apiVersion, interactiveMode (defaulted per apiVersion as kubectl does: IfAvailable for
 * v1beta1, required for v1), provideClusterInfo, installHint. Each field is checked for its type,
 * and what kubectl refuses is refused here with one line naming the file, the user and the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Cluster} from './client-node.js';
import {MemtopError} from './errors.js';

export type InteractiveMode = 'Never' | 'IfAvailable' | 'Always';

/** the client.authentication.k8s.io versions client-go still speaks (v1alpha1 went in 1.24) */
export const execApiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
export type ExecApiVersion = (typeof execApiVersions)[number];

export interface ExecPlugin {
	/** the kubeconfig user whose plugin this is, for messages */
	user: string;
	/** the command as written (for messages) */
	command: string;
	/** what is run: a command with a slash is resolved against the kubeconfig's folder, a bare name is looked up in PATH */
	file: string;
	args: string[];
	env: Array<[string, string]>;
	apiVersion: ExecApiVersion;
	interactiveMode: InteractiveMode;
	provideClusterInfo: boolean;
	installHint: string;
}

/** ExecCredential.spec.cluster: what a plugin may learn of the cluster when provideClusterInfo is set */
export interface ExecClusterInfo {
	'server': string;
	'tls-server-name'?: string;
	'insecure-skip-tls-verify'?: boolean;
	'certificate-authority-data'?: string;
	'proxy-url'?: string;
}

function kindOf(v: unknown): string {
	if (Array.isArray(v)) return 'a list';
	if (v === null) return 'null';
	return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The plugin of user `user` from its `exec` mapping; `dir` is the folder of the kubeconfig that
 * defined it, `source` the file(s) for messages. A MemtopError for what kubectl would refuse.
 */
export function readExecPlugin(raw: Record<string, unknown>, user: string, dir: string, source: string): ExecPlugin {
	const fail = (what: string): never => {
		throw new MemtopError(`kubeconfig ${source}: ${what}`);
	};

	const field = (key: string, kind: 'string' | 'boolean'): unknown => {
		const v = raw[key];
		if (v !== undefined && v !== null && typeof v !== kind) fail(`exec.${key} of user "${user}" is ${kindOf(v)}, not a ${kind}`);
		return v ?? undefined;
	};

	const command = (field('command', 'string') as string | undefined) ?? '';
	const apiVersion = (field('apiVersion', 'string') as string | undefined) ?? '';
	const mode = (field('interactiveMode', 'string') as string | undefined) ?? '';
	const provideClusterInfo = (field('provideClusterInfo', 'boolean') as boolean | undefined) ?? false;
	const installHint = (field('installHint', 'string') as string | undefined) ?? '';
	const args = raw['args'] ?? [];
	if (!Array.isArray(args)) fail(`exec.args of user "${user}" is ${kindOf(args)}, not a list of strings`);
	if (!(args as unknown[]).every(a => typeof a === 'string')) fail(`exec.args of user "${user}" has an item that is not a string`);
	const envList = raw['env'] ?? [];
	if (!Array.isArray(envList)) fail(`exec.env of user "${user}" is ${kindOf(envList)}, not a list`);
	const env: Array<[string, string]> = [];
	for (const [i, e] of (envList as unknown[]).entries()) {
		if (!isMapping(e) || typeof (e['name'] ?? '') !== 'string' || typeof (e['value'] ?? '') !== 'string') fail(`exec.env[${i}] of user "${user}" is not a mapping of a name and a value`);
		const {name, value} = e as {name?: string; value?: string};
		if (!name) fail(`env variable name must be specified for user "${user}" to use exec authentication plugin`);
		env.push([name!, value ?? '']);
	}

	// clientcmd's validation, in its order and words
	if (!command) fail(`command must be specified for user "${user}" to use exec authentication plugin`);
	if (!apiVersion) fail(`apiVersion must be specified for user "${user}" to use exec authentication plugin`);
	const interactiveMode = mode || (apiVersion === 'client.authentication.k8s.io/v1beta1' ? 'IfAvailable' : '');
	if (!interactiveMode) fail(`interactiveMode must be specified for user "${user}" to use exec authentication plugin (Never, IfAvailable or Always)`);
	if (interactiveMode !== 'Never' && interactiveMode !== 'IfAvailable' && interactiveMode !== 'Always') fail(`invalid interactiveMode for user "${user}": ${JSON.stringify(interactiveMode)} (Never, IfAvailable or Always)`);
	if (!(execApiVersions as readonly string[]).includes(apiVersion)) fail(`exec plugin of user "${user}": invalid apiVersion ${JSON.stringify(apiVersion)} (${execApiVersions.join(' or ')})`);
	return {
		user,
		command,
		file: command.includes('/') ? path.resolve(dir, command) : command,
		args: args as string[],
		env,
		apiVersion: apiVersion as ExecApiVersion,
		interactiveMode: interactiveMode as InteractiveMode,
		provideClusterInfo,
		installHint,
	};
}

/** the cluster as ExecCredential.spec.cluster describes it (the CA as its bytes, base64 in JSON) */
export function execClusterInfo(cluster: Cluster): ExecClusterInfo {
	let ca = cluster.caData;
	if (!ca && cluster.caFile) {
		try {
			ca = fs.readFileSync(cluster.caFile).toString('base64');
		} catch {
			// the connection itself reports an unreadable CA file
		}
	}

	return {
		'server': cluster.server,
		...(cluster.tlsServerName ? {'tls-server-name': cluster.tlsServerName} : {}),
		...(cluster.skipTLSVerify ? {'insecure-skip-tls-verify': true} : {}),
		...(ca ? {'certificate-authority-data': ca} : {}),
		...(cluster.proxyUrl ? {'proxy-url': cluster.proxyUrl} : {}),
	};
}
