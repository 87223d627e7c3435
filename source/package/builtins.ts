/**
 * An esbuild plugin for memtop's bundles (client-node's at build, the executable's at package):
 * a Node built-in that a bundled ES module imports is taken through `require` (the bundle's banner
 * makes it process.getBuiltinModule) instead of staying an `import`. Node builds an ES module facade
 * for an imported built-in by reading every one of its exports, and node:http's include the lazy
 * WebSocket and EventSource: `import('node:http')` loads Node's whole fetch (undici, ~70 internal
 * modules) in 52–150 ms where process.getBuiltinModule('node:http') takes 4–15 ms (2 cores,
 * loaded, 6 runs each); a memtop start that fails at a closed port went from 0.235 to 0.215 s
 * (medians of 12 alternated runs). test/unit/package/loaded-modules.test.ts checks it stays out.
 */
import {builtinModules} from 'node:module';
import type {Plugin} from 'esbuild';

const builtins = new Set(builtinModules.flatMap(m => [m, `node:${m}`]));

export const builtinsByRequire: Plugin = {
	name: 'memtop-builtins-by-require',
	setup(b) {
		b.onResolve({filter: /^[a-z_:/]+$/}, args => {
			if (!builtins.has(args.path) || args.kind === 'require-call' || args.namespace === 'memtop-builtin') return undefined;
			return {path: args.path.replace(/^node:/, ''), namespace: 'memtop-builtin'};
		});
		b.onLoad({filter: /.*/, namespace: 'memtop-builtin'}, args => ({contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`, loader: 'js'}));
		b.onResolve({filter: /.*/, namespace: 'memtop-builtin'}, args => ({path: args.path, external: true}));
	},
};
