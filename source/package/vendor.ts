/**
 * Part of `npm run build`: dist/kube/client-node.js (a re-export of what memtop uses of
 * @kubernetes/client-node) becomes one bundled module. Node then reads one file instead of
 * client-node's ~870 modules and their dependencies' ~250 at every start: importing it took
 * 0.55–0.9 s, the bundle 0.15–0.3 s (2 cores, loaded; `node -e "await import(...)"`, 5 runs each).
 * Only Node built-ins stay outside, through the same require the executable's bundle uses (builtins.ts).
 */
import path from 'node:path';
import {build, type Plugin} from 'esbuild';
import {builtinsByRequire} from './builtins.js';

const repo = path.resolve(import.meta.dirname, '../..');
const file = path.join(repo, 'dist', 'kube', 'client-node.js');

/**
 * What memtop never runs of client-node, left out of the bundle (1.4 MB of the 2.8): undici, which
 * only its fetch-based API clients use (memtop talks HTTP itself, kube/http.ts; KubeConfig's
 * applyToHTTPSOptions builds node:https agents), becomes a stub that refuses if ever called; and the
 * generated API (dist/gen, api.js) is marked free of side effects, so only what KubeConfig
 * references of it stays.
 */
const leaveOut: Plugin = {
	name: 'memtop-leave-out',
	setup(b) {
		b.onResolve({filter: /^undici$/}, () => ({path: 'undici', namespace: 'memtop-stub'}));
		b.onLoad({filter: /.*/, namespace: 'memtop-stub'}, () => ({
			contents: `const refuse = () => { throw new Error('undici is not bundled with memtop (client-node fetch APIs are not used)'); };
export const fetch = refuse;
export class Agent { constructor() { refuse(); } }
export class ProxyAgent { constructor() { refuse(); } }`,
			loader: 'js',
		}));
		b.onResolve({filter: /.*/}, async args => {
			if (args.pluginData === 'resolved' || !args.importer.includes('@kubernetes/client-node')) return undefined;
			const r = await b.resolve(args.path, {kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolved'});
			if (r.errors.length > 0) return undefined;
			return /@kubernetes\/client-node\/dist\/(gen\/|api\.js$)/.test(r.path) ? {...r, sideEffects: false} : r;
		});
	},
};

await build({
	plugins: [builtinsByRequire, leaveOut],
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
