import {existsSync} from 'node:fs';
import {join} from 'node:path';
import type {Cluster} from './cluster.js';
import {repoRoot} from './cluster.js';
import {run} from './run.js';

export const memtopMain = join(repoRoot, 'dist/cli/main.js');

export interface OnceResult<T = any> {
	code: number;
	json: T | null;
	stdout: string;
	stderr: string;
}

/** `memtop <args> --once -o json --kubeconfig <file>` with the built CLI (npm run build). */
export async function memtopOnce<T = any>(c: Cluster, args: string[], kubeconfig = c.kubeconfig): Promise<OnceResult<T>> {
	if (!existsSync(memtopMain)) throw new Error(`${memtopMain} is missing: run npm run build first`);
	const r = await run(process.execPath, [memtopMain, ...args, '--once', '-o', 'json', '--kubeconfig', kubeconfig], {timeoutMs: 180_000, cwd: repoRoot});
	let json: T | null = null;
	if (r.code === 0) {
		try {
			json = JSON.parse(r.stdout) as T;
		} catch {
			json = null;
		}
	}

	return {code: r.code, json, stdout: r.stdout, stderr: r.stderr};
}

/** Same, but a failure throws with memtop's stderr. */
export async function memtopJson<T = any>(c: Cluster, args: string[], kubeconfig = c.kubeconfig): Promise<T> {
	const r = await memtopOnce<T>(c, args, kubeconfig);
	if (r.code !== 0 || r.json === null) throw new Error(`memtop ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.slice(0, 300)}`);
	return r.json;
}
