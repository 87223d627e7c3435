/**
 * One kubeconfig file read the way kubectl reads it. kubectl decodes the YAML into typed fields
 * and refuses a file with a field of the wrong type (a token written as a mapping or a number);
 * client-node takes any value, so each field is checked here first, with one line naming the
 * field. client-node also does not know every field kubectl reads (tokenFile, as-groups, ...):
 * those are kept per user for credentials.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import {KubeConfig, loadYaml} from '@kubernetes/client-node';
import {MemtopError} from './errors.js';

/** what kubectl reads of a user that client-node does not */
export interface KubectlUser {
	/** `token` as written (client-node also takes a `token-file`, which kubectl ignores) */
	token: string | undefined;
	/** `tokenFile`, absolute (kubectl resolves it against the file's folder) */
	tokenFile: string | undefined;
	/** a field memtop cannot honour (as-uid, as-groups, as-user-extra), when set */
	unsupported: string | undefined;
	/** `exec` as written (exec-config.ts reads it: memtop runs credential plugins itself, not client-node) */
	exec: Record<string, unknown> | undefined;
	/** the folder of the file that defined the user (an exec command with a slash is relative to it) */
	dir: string;
}

export interface KubeconfigFile {
	kc: KubeConfig;
	users: Map<string, KubectlUser>;
}

type Kind = 'string' | 'boolean' | 'mapping' | 'list' | 'strings';
type Schema = Record<string, Kind>;

// clientcmd/api/v1 types.go: the fields kubectl decodes, with their types
const top: Schema = {'apiVersion': 'string', 'kind': 'string', 'current-context': 'string', 'preferences': 'mapping', 'clusters': 'list', 'users': 'list', 'contexts': 'list', 'extensions': 'list'};
const cluster: Schema = {'server': 'string', 'tls-server-name': 'string', 'insecure-skip-tls-verify': 'boolean', 'certificate-authority': 'string', 'certificate-authority-data': 'string', 'proxy-url': 'string', 'disable-compression': 'boolean', 'extensions': 'list'};
const user: Schema = {
	'client-certificate': 'string',
	'client-certificate-data': 'string',
	'client-key': 'string',
	'client-key-data': 'string',
	'token': 'string',
	'tokenFile': 'string',
	'as': 'string',
	'as-uid': 'string',
	'as-groups': 'strings',
	'as-user-extra': 'mapping',
	'username': 'string',
	'password': 'string',
	'auth-provider': 'mapping',
	'exec': 'mapping',
	'extensions': 'list',
};
const context: Schema = {cluster: 'string', user: 'string', namespace: 'string', extensions: 'list'};
const sections = [
	['clusters', 'cluster', cluster],
	['users', 'user', user],
	['contexts', 'context', context],
] as const;

function kindOf(v: unknown): string {
	if (Array.isArray(v)) return 'a list';
	if (v instanceof Date) return 'a timestamp';
	return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

function fits(v: unknown, kind: Kind): boolean {
	if (kind === 'mapping') return typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
	if (kind === 'list') return Array.isArray(v);
	if (kind === 'strings') return Array.isArray(v) && v.every(s => typeof s === 'string');
	return typeof v === kind;
}

const article = (kind: Kind): string => (kind === 'strings' ? 'a list of strings' : `a ${kind}`);

/** the first field that does not have its kubectl type, as "users[0].user.token is a mapping, not a string" */
function check(o: Record<string, unknown>, schema: Schema, where: string): string | null {
	for (const [key, kind] of Object.entries(schema)) {
		const v = o[key];
		if (v !== undefined && v !== null && !fits(v, kind)) return `${where}${key} is ${kindOf(v)}, not ${article(kind)}`;
	}

	return null;
}

function problem(doc: unknown): string | null {
	if (doc === undefined || doc === null) return null;
	if (!fits(doc, 'mapping')) return `the file is ${kindOf(doc)}, not a mapping`;
	const d = doc as Record<string, unknown>;
	const bad = check(d, top, '');
	if (bad) return bad;
	for (const [list, field, schema] of sections) {
		const entries = (d[list] ?? []) as unknown[];
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i];
			if (!fits(e, 'mapping')) return `${list}[${i}] is ${kindOf(e)}, not a mapping`;
			const entry = e as Record<string, unknown>;
			const wrong = check(entry, {name: 'string', [field]: 'mapping'}, `${list}[${i}].`) ?? check((entry[field] ?? {}) as Record<string, unknown>, schema, `${list}[${i}].${field}.`);
			if (wrong) return wrong;
		}
	}

	return null;
}

function kubectlUsers(doc: unknown, dir: string): Map<string, KubectlUser> {
	const users = new Map<string, KubectlUser>();
	for (const e of ((doc as {users?: unknown[]} | null)?.users ?? []) as Array<{name?: string; user?: Record<string, unknown>}>) {
		const u = e.user ?? {};
		const tokenFile = u['tokenFile'] as string | undefined;
		const groups = u['as-groups'] as string[] | undefined;
		const unsupported = u['as-uid'] ? 'as-uid' : groups?.length ? 'as-groups' : u['as-user-extra'] ? 'as-user-extra' : undefined;
		if (e.name !== undefined && !users.has(e.name)) {
			const exec = (u['exec'] ?? undefined) as Record<string, unknown> | undefined;
			users.set(e.name, {token: (u['token'] as string | undefined) || undefined, tokenFile: tokenFile ? path.resolve(dir, tokenFile) : undefined, unsupported, exec, dir});
		}
	}

	return users;
}

/** a kubeconfig file, or a MemtopError with one line for what kubectl would refuse too */
export function readKubeconfig(file: string): KubeconfigFile {
	const fail = (reason: string): never => {
		throw new MemtopError(`cannot read kubeconfig ${file}: ${reason}`);
	};

	let text = '';
	let doc: unknown;
	try {
		text = fs.readFileSync(file, 'utf8');
		doc = loadYaml(text);
	} catch (error) {
		fail(error instanceof Error ? error.message.split('\n')[0]! : String(error));
	}

	const bad = problem(doc);
	if (bad) fail(bad);
	const kc = new KubeConfig();
	if (doc === undefined || doc === null) return {kc, users: new Map()}; // an empty file is an empty config, as kubectl has it
	try {
		kc.loadFromString(text);
		kc.makePathsAbsolute(path.dirname(file));
	} catch (error) {
		fail(error instanceof Error ? error.message.split('\n')[0]! : String(error));
	}

	return {kc, users: kubectlUsers(doc, path.dirname(file))};
}
