import meow from 'meow';
import {flags, help, kebab, valued} from './flag-table.js';
import {MemtopError, describe} from '../kube/errors.js';
import {kubeTargetForServer} from '../kube/config.js';
import {shownLine, shownText} from '../kube/sanitize.js';
import {openSession, type Session} from '../kube/session.js';
import {Store} from '../store/store.js';
import {attachValues, resolveOptions, type Options} from './flags.js';
import {packageJson} from '../package/metadata.js';

export async function main(argv: string[]): Promise<number> {
	// `memtop --once -o json | head`: a reader that goes away is not an error
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(0);
		throw error;
	});
	let options: Options;
	try {
		const cli = meow(help, {
			argv: attachValues(argv, valued),
			importMeta: import.meta,
			pkg: packageJson,
			version: `memtop ${packageJson.version}`,
			allowUnknownFlags: true,
			flags,
		});
		const known = new Set(Object.entries(flags).flatMap(([name, f]) => [name, ...('shortFlag' in f ? [f.shortFlag] : [])]));
		const unknown = Object.keys(cli.flags).find(k => !known.has(k));
		if (unknown) {
			const name = unknown.length === 1 ? `-${unknown}` : `--${kebab(unknown)}`;
			throw new MemtopError(`unknown flag ${name} (see memtop --help)`, 2);
		}

		options = resolveOptions(cli.input, cli.flags);
	} catch (error) {
		return fail(error);
	}

	try {
		return await run(options);
	} catch (error) {
		return fail(error);
	}
}

/** one line on stderr; kubeconfig names, paths and server text in it are escaped */
function say(line: string): void {
	process.stderr.write(`memtop: ${shownLine(line)}\n`);
}

function fail(error: unknown): number {
	if (error instanceof MemtopError) {
		say(error.message);
		return error.exitCode;
	}

	say(`unexpected error: ${describe(error)}`);
	if (process.env['MEMTOP_DEBUG'] && error instanceof Error) process.stderr.write(`${shownText(error.stack ?? '')}\n`);
	return 1;
}

async function run(options: Options): Promise<number> {
	// the simulated metrics-server resolves every 5 s
	if (options.demo) options.metricsIntervalMs = Math.min(options.metricsIntervalMs, 5000);
	const store = new Store({historySamples: Math.max(4, Math.round(options.historyMs / options.metricsIntervalMs))});
	let closeSim: (() => Promise<void>) | undefined;
	let session: Session | undefined;
	const cleanup = async () => {
		await session?.stop().catch(() => {});
		await closeSim?.().catch(() => {});
	};

	const live = !options.once && options.command !== 'recommend';
	try {
		let target;
		if (options.demo) {
			const {startSim} = await import('../sim/index.js');
			const sim = await startSim({scenario: 'demo', seed: options.seed, clock: 'realtime'});
			closeSim = () => sim.close();
			target = kubeTargetForServer(sim.url);
		}

		session = await openSession(
			{
				kubeconfig: options.kubeconfig,
				context: options.context,
				namespace: options.namespace,
				allNamespaces: options.allNamespaces,
				selector: options.selector,
				metricsIntervalMs: options.metricsIntervalMs,
				metrics: options.metrics,
				summary: options.summary,
				target,
				demo: options.demo,
				maxAnswerBytes: options.maxAnswerBytes,
				requestTimeoutMs: options.requestTimeoutMs,
				// the live view shows the first page of pods, and fills in as the rest comes
				progressive: live,
			},
			store,
		);
		if (live) session.ready.catch(() => {}); // runLive ends the view with it
		else await session.ready;

		if (options.command === 'recommend') {
			const {runRecommend} = await import('./recommend.js');
			return await runRecommend(store, session, options);
		}

		if (options.once) {
			const {runOnce} = await import('./once.js');
			return await runOnce(store, options.command, options);
		}

		const {runLive} = await import('./live.js');
		return await runLive(store, session, options.command);
	} finally {
		await cleanup();
	}
}
