/**
 * V8's compile cache for memtop's own modules (Node ≥ 22.1 `module.enableCompileCache`): a start
 * compiles ~3 MB of JavaScript (client-node's bundle most of it), which took 70–85 ms of every
 * `--once` here; with the cache, a fraction of that.
 *
 * The cache holds code this process runs, so whoever can write it can run code as the user, and
 * memtop runs in privileged terminals. It is used only in a directory of the user's own
 * (`$XDG_CACHE_HOME/memtop/v8`, else `~/.cache/memtop/v8`) that this user owns and nobody else
 * can write, and never under a shared temporary directory (Node's default). `MEMTOP_COMPILE_CACHE=0`
 * turns it off; a `NODE_COMPILE_CACHE` the user set is Node's and left alone.
 */
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** the directory, or null when it is not safe (or not wanted) */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.()): string | null {
	if (env['MEMTOP_COMPILE_CACHE'] === '0' || env['NODE_COMPILE_CACHE'] !== undefined || uid === undefined) return null;
	const xdg = env['XDG_CACHE_HOME'];
	const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env['HOME'] || os.homedir(), '.cache');
	if (!path.isAbsolute(base)) return null;
	const dir = path.join(base, 'memtop', 'v8');
	try {
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		// the directory and every parent up to the base must be this user's and closed to others
		for (let d = dir; ; d = path.dirname(d)) {
			const s = fs.lstatSync(d);
			if (!s.isDirectory() || s.uid !== uid || (s.mode & 0o022) !== 0) return null;
			if (d === base || path.dirname(d) === d) break;
		}
	} catch {
		return null;
	}

	return dir;
}

/** turn the cache on where it is safe; any failure leaves memtop as it was */
export function enableCompileCache(): void {
	const dir = compileCacheDir();
	if (dir === null || typeof module.enableCompileCache !== 'function') return;
	try {
		module.enableCompileCache(dir);
	} catch {
		// a start without the cache
	}
}
