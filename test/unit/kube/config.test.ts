import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadKubeTarget} from '../../../source/kube/config.js';
import {MemtopError} from '../../../source/kube/errors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-kc-'));

function write(name: string, body: string): string {
	const file = path.join(dir, name);
	fs.writeFileSync(file, body);
	return file;
}

const a = write('a.yaml', `apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: one
  cluster: {server: https://one.example:6443}
users:
- name: u1
  user: {token: t1}
contexts:
- name: alpha
  context: {cluster: one, user: u1, namespace: shop}
`);
const b = write('b.yaml', `apiVersion: v1
kind: Config
current-context: beta
clusters:
- name: one
  cluster: {server: https://shadowed.example:6443}
- name: two
  cluster: {server: https://two.example:6443}
users:
- name: u2
  user: {token: t2}
contexts:
- name: beta
  context: {cluster: two, user: u2}
`);

function message(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(MemtopError);
		return (error as Error).message;
	}

	throw new Error('expected a MemtopError');
}

describe('kubeconfig loading', () => {
	it('merges KUBECONFIG files the kubectl way: first definition and first current-context win', () => {
		const t = loadKubeTarget({env: {KUBECONFIG: `${a}${path.delimiter}${b}`, HOME: dir}});
		expect(t.context).toBe('alpha');
		expect(t.server).toBe('https://one.example:6443');
		expect(t.namespace).toBe('shop');
		const t2 = loadKubeTarget({env: {KUBECONFIG: `${a}${path.delimiter}${b}`, HOME: dir}, context: 'beta'});
		expect(t2.server).toBe('https://two.example:6443');
		expect(t2.user).toBe('u2');
		expect(t2.namespace).toBeNull();
	});

	it('skips missing files in KUBECONFIG but fails when none exist', () => {
		expect(loadKubeTarget({env: {KUBECONFIG: `/nope/x${path.delimiter}${b}`, HOME: dir}}).context).toBe('beta');
		expect(message(() => loadKubeTarget({env: {KUBECONFIG: '/nope/x', HOME: dir}}))).toMatch(/no kubeconfig found/);
	});

	it('--kubeconfig wins over KUBECONFIG', () => {
		expect(loadKubeTarget({kubeconfig: b, env: {KUBECONFIG: a, HOME: dir}}).context).toBe('beta');
	});

	it('says clearly when there is no kubeconfig at all', () => {
		expect(message(() => loadKubeTarget({env: {HOME: path.join(dir, 'empty-home')}}))).toMatch(/no kubeconfig found.*--demo/);
	});

	it('names the known contexts when --context is unknown', () => {
		expect(message(() => loadKubeTarget({kubeconfig: a, context: 'gamma', env: {}}))).toBe(`context "gamma" not found in ${a} (contexts: alpha)`);
	});

	it('rejects a file that is not YAML, a missing file and a context without cluster', () => {
		expect(message(() => loadKubeTarget({kubeconfig: write('bad.yaml', 'clusters: [\n'), env: {}}))).toMatch(/cannot read kubeconfig/);
		expect(message(() => loadKubeTarget({kubeconfig: path.join(dir, 'missing'), env: {}}))).toMatch(/does not exist/);
		const c = write('c.yaml', 'apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts:\n- name: x\n  context: {cluster: gone, user: u}\nusers:\n- name: u\n  user: {}\n');
		expect(message(() => loadKubeTarget({kubeconfig: c, env: {}}))).toMatch(/names cluster "gone", which is not defined/);
	});
});
