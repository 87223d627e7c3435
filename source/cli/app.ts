import meow from 'meow';
import {MemtopError, describe} from '../kube/errors.js';
import {kubeTargetForServer} from '../kube/config.js';
import {shownLine, shownText} from '../kube/sanitize.js';
import {openSession, type Session} from '../kube/session.js';
import {Store} from '../store/store.js';
import {ViewModel} from '../view/index.js';
import {attachValues, resolveOptions, type Options, type View} from './flags.js';
import {jsonText, snapshotJson, snapshotTable} from './output.js';
import {packageJson} from '../package/metadata.js';

const help = `
  Usage
    $ memtop [pods|nodes|events|workloads] [flags]      live memory monitor
    $ memtop [view] --once [-o table|json]              print a snapshot and exit
    $ memtop recommend --observe 30m [-o table|json]    right-size requests and limits
    $ kubectl memtop ...                                 the same, as a kubectl plugin

  Cluster
    --kubeconfig <file>        kubeconfig to use (default: $KUBECONFIG, merged, then ~/.kube/config)
    --context <name>           kubeconfig context
    -n, --namespace <ns>       watch one namespace
    -A, --all-namespaces       all namespaces (the default; with -A, no fallback when forbidden)
    -l, --selector <sel>       label selector for pods (e.g. app=web,tier!=cache)
    --metrics-interval <dur>   metrics poll interval, matched to metrics-server's window (default 15s)
    --history <dur>            how much history to keep per pod (default 1h)
    --no-metrics               don't read metrics.k8s.io (requests and limits only)
    --no-summary               don't poll the kubelet Summary API (RSS/cache breakdown)
    --max-answer <size>        the largest answer read from the cluster (default 256Mi; a
                               sixteenth of it for /version, a Summary, one watch event)
    --request-timeout <dur>    the longest one request may take (default 60s; a list of
                               many pages: ten times that)

  Demo
    --demo                     run against a built-in simulated cluster
    --seed <n>                 the demo scenario's seed (default 1)

  Output
    --once                     print one snapshot and exit
    -o, --output <fmt>         table (default) or json (exact bytes)
    --observe <dur>            recommend: how long to watch before answering

  memtop only reads from the cluster (get, list, watch).
`;

const flags = {
	kubeconfig: {type: 'string'},
	context: {type: 'string'},
	namespace: {type: 'string', shortFlag: 'n'},
	allNamespaces: {type: 'boolean', shortFlag: 'A'},
	selector: {type: 'string', shortFlag: 'l'},
	metricsInterval: {type: 'string'},
	history: {type: 'string'},
	metrics: {type: 'boolean', default: true},
	summary: {type: 'boolean', default: true},
	demo: {type: 'boolean'},
	seed: {type: 'number'},
	once: {type: 'boolean'},
	output: {type: 'string', shortFlag: 'o'},
	observe: {type: 'string'},
	maxAnswer: {type: 'string'},
	requestTimeout: {type: 'string'},
} as const;

const kebab = (name: string): string => name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);

/** the flags that take a value, as typed: --metrics-interval, -n, ... */
const valued = new Set(
	Object.entries(flags)
		.filter(([, f]) => f.type !== 'boolean')
		.flatMap(([name, f]) => [`--${kebab(name)}`, ...('shortFlag' in f ? [`-${f.shortFlag}`] : [])]),
);

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
			},
			store,
		);
		await session.ready;

		if (options.command === 'recommend') {
			const {runRecommend} = await import('./recommend.js');
			return await runRecommend(store, session, options);
		}

		if (options.once) {
			store.flush?.();
			const view: View = options.command;
			const vm = new ViewModel(store);
			const now = Date.now();
			const text = options.output === 'json' ? jsonText(snapshotJson(vm, view, now)) : shownText(snapshotTable(vm, view, now));
			await new Promise<void>(resolve => process.stdout.write(text, () => resolve()));
			return 0;
		}

		if (!process.stdout.isTTY || !process.stdin.isTTY) {
			throw new MemtopError('the live view needs a terminal; use --once -o table|json for scripts', 2);
		}

		const {runTui} = await import('../ui/run.js');
		const active = session;
		await runTui({
			store,
			initialView: options.command,
			actions: {
				setSelector: selector => active.setSelector(selector),
				setNamespace: namespace => active.setNamespace(namespace),
			},
		});
		return 0;
	} finally {
		await cleanup();
	}
}
