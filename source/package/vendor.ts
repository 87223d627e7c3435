/**
 * Part of `npm run build`: dist/kube/client-node.js (a re-export of what memtop uses of
 * @kubernetes/client-node) becomes one bundled module. Node then reads one file instead of
 * client-node's ~870 modules and their dependencies' ~250 at every start: importing it took
 * 0.55–0.9 s, the bundle 0.15–0.3 s (2 cores, loaded; `node -e "await import(...)"`, 5 runs each).
 * Only Node built-ins stay imports, through the same require the executable's bundle uses.
 */
import path from 'node:path';
import {build} from 'esbuild';

const repo = path.resolve(import.meta.dirname, '../..');
const file = path.join(repo, 'dist', 'kube', 'client-node.js');

await build({
	entryPoints: [file],
	outfile: file,
	allowOverwrite: true,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: `node${process.versions.node}`,
	// CommonJS dependencies require() built-ins, and only those are left outside the bundle
	banner: {js: `const require = id => process.getBuiltinModule(id) ?? (() => { throw Object.assign(new Error(\`Cannot find module '\${id}' (not bundled with client-node)\`), {code: 'MODULE_NOT_FOUND'}); })();`},
	legalComments: 'none',
	logLevel: 'warning',
});
