/** V8's compile cache only in a directory of the user's own that nobody else can write (source/cli/compile-cache.ts) */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {compileCacheDir} from '../../../source/cli/compile-cache.js';

const uid = process.getuid!();
const made: string[] = [];
function base(mode = 0o700): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-cc-'));
	fs.chmodSync(dir, mode);
	made.push(dir);
	return dir;
}

afterEach(() => {
	for (const d of made.splice(0)) fs.rmSync(d, {recursive: true, force: true});
});

describe('compile cache directory', () => {
	it('is $XDG_CACHE_HOME/memtop/v8, made 0700', () => {
		const xdg = base();
		const dir = compileCacheDir({XDG_CACHE_HOME: xdg}, uid);
		expect(dir).toBe(path.join(xdg, 'memtop', 'v8'));
		expect(fs.statSync(dir!).mode & 0o777).toBe(0o700);
	});

	it('falls back to ~/.cache when XDG_CACHE_HOME is not absolute', () => {
		const home = base();
		expect(compileCacheDir({XDG_CACHE_HOME: 'relative', HOME: home}, uid)).toBe(path.join(home, '.cache', 'memtop', 'v8'));
	});

	it('is refused when others can write a directory on the way, or another user owns it', () => {
		const open = base(0o777);
		expect(compileCacheDir({XDG_CACHE_HOME: open}, uid)).toBeNull();
		const xdg = base();
		fs.mkdirSync(path.join(xdg, 'memtop'), {mode: 0o777});
		fs.chmodSync(path.join(xdg, 'memtop'), 0o777);
		expect(compileCacheDir({XDG_CACHE_HOME: xdg}, uid)).toBeNull();
		expect(compileCacheDir({XDG_CACHE_HOME: base()}, uid + 1)).toBeNull();
	});

	it('a symlink in place of the directory is refused', () => {
		const xdg = base();
		const elsewhere = base();
		fs.mkdirSync(path.join(xdg, 'memtop'));
		fs.symlinkSync(elsewhere, path.join(xdg, 'memtop', 'v8'));
		expect(compileCacheDir({XDG_CACHE_HOME: xdg}, uid)).toBeNull();
	});

	it('is off with MEMTOP_COMPILE_CACHE=0, and leaves a NODE_COMPILE_CACHE to Node', () => {
		expect(compileCacheDir({XDG_CACHE_HOME: base(), MEMTOP_COMPILE_CACHE: '0'}, uid)).toBeNull();
		expect(compileCacheDir({XDG_CACHE_HOME: base(), NODE_COMPILE_CACHE: '/somewhere'}, uid)).toBeNull();
	});
});
