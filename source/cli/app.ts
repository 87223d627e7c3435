import meow from 'meow';
import {flags, help, kebab, valued} from './flag-table.js';
import {MemtopError, describe} from '../kube/errors.js';
import {kubeTargetForServer} from '../kube/config.js';
import {shownLine, shownText} from '../kube/sanitize.js';
import type {ApiClient} from '../kube/http.js';
import {openSession, type Session, type SessionOptions} from '../kube/session.js';
import {RunClock} from '../record/tap.js';
import {Store} from '../store/store.js';
import {attachValues, resolveOptions, type Options, type RawFlags} from './flags.js';
import {loadConfig} from './config-file.js';
import {setThresholds} from '../memory/percent.js';
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

		const raw = cli.flags as RawFlags;
		const loaded = cli.input[0] === 'completion' ? undefined : loadConfig(raw.config);
		options = resolveOptions(cli.input, raw, loaded);
	} catch (error) {
		return fail(error);
	}

	// a bad config file is said before anything else (and before the alternate screen); memtop goes on
	for (const problem of options.configProblems) say(problem);
	if (options.thresholds) setThresholds(options.thresholds);
	if (options.shell) {
		const {completionScript} = await import('./completion.js');
		process.stdout.write(completionScript(options.shell));
		return 0;
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
	if (options.replayFile) {
		const {runReplay} = await import('./replay.js');
		return runReplay(options);
	}

	// the simulated metrics-server resolves every 5 s
	if (options.demo) options.metricsIntervalMs = Math.min(options.metricsIntervalMs, 5000);
	const clock = new RunClock();
	const historySamples = Math.max(4, Math.round(options.historyMs / options.metricsIntervalMs));
	const store = new Store({historySamples, now: clock.now});
	let closeSim: (() => Promise<void>) | undefined;
	let session: Session | undefined;
	let history: {stop(): void} | undefined;
	const {recorder, stopWatch} = await tapForRecordAndWatch(store, clock, options, historySamples);
	let closed = false;
	const cleanup = async () => {
		closed = true;
		history?.stop();
		stopWatch?.();
		await session?.stop().catch(() => {});
		recorder?.close();
		await closeSim?.().catch(() => {});
	};

	// the live view: the screen comes up while the lists come in
	const live = !options.once && options.command !== 'recommend' && !options.recordOnly && !options.watch;
	try {
		let target;
		if (options.demo) {
			const {startSim} = await import('../sim/index.js');
			const sim = await startSim({scenario: 'demo', seed: options.seed, clock: 'realtime'});
			closeSim = () => sim.close();
			target = kubeTargetForServer(sim.url);
		}

		const sessionOptions: SessionOptions = {
			kubeconfig: options.kubeconfig,
			context: options.context,
			namespace: options.namespace,
			allNamespaces: options.allNamespaces,
			selector: options.selector,
			fieldSelector: options.fieldSelector,
			namespaceScope: options.namespaceScope,
			metricsIntervalMs: options.metricsIntervalMs,
			metrics: options.metrics,
			summary: options.summary,
			target,
			demo: options.demo,
			maxAnswerBytes: options.maxAnswerBytes,
			requestTimeoutMs: options.requestTimeoutMs,
			// the live view shows the first page of pods, and fills in as the rest comes
			progressive: live,
		};
		if (options.configProblems.length > 0) {
			const [first, ...more] = options.configProblems;
			store.setBanner({id: 'config', level: 'warn', text: `${first}${more.length > 0 ? ` (+${more.length} more on stderr)` : ''}`, since: Date.now()});
		}

		const wantHistory = Boolean(options.prometheus) && !(options.command === 'recommend' && options.windowMs > 0);
		// the live view's first working sets wait (briefly) for the backfill, which starts beside the lists
		const hold = wantHistory && live ? new (await import('../prom/first-frame.js')).FirstFrameHold() : null;
		if (hold) sessionOptions.firstMetricsAfter = listed => hold.after(listed);
		const startHistory = async (kube: ApiClient, early?: {listed: Promise<unknown>; scope?: {namespace: string | null}}): Promise<void> => {
			if (closed) return;
			const {startPromHistory} = await import('../prom/history.js');
			const interactive = !options.once && options.command !== 'recommend';
			const h = startPromHistory({
				...options.prometheus!,
				stepMs: options.metricsIntervalMs,
				kube,
				store,
				maxAnswerBytes: options.maxAnswerBytes,
				requestTimeoutMs: options.requestTimeoutMs,
				say: interactive ? undefined : say,
				probeMs: interactive ? undefined : 0,
				...early,
			});
			hold?.attach(h.firstFrame);
			history = h;
			if (closed) h.stop();
			if (interactive) {
				// the 6h, 24h and 7d chart windows of the selected pod or node
				const [{LongCharts}, {setLongChartSource}] = await Promise.all([import('../prom/long-window.js'), import('../view/long.js')]);
				setLongChartSource(store, new LongCharts(() => h.client, options.prometheus!.labels, () => store.backfilled()));
			}

			// --once and recommend answer from the backfilled history (a failure is in their warnings); the screen does not wait for it
			if (!interactive) await h.done;
		};

		if (options.once && options.command !== 'recommend' && !options.recordOnly) {
			// one snapshot, no session: lists only, never a watch
			const {listOnce} = await import('./once.js');
			return await listOnce(sessionOptions, store, options.command, options, wantHistory ? startHistory : undefined);
		}

		session = await openSession(sessionOptions, store);
		if (live) session.ready.catch(() => {}); // runLive ends the view with it
		else await session.ready;
		if (wantHistory) {
			const kube = session.client;
			// the live view's lists are still coming in: the backfill starts beside them, planned from
			// Prometheus's series of the namespace in scope (a label or field selector: from the pods listed)
			const narrowed = Boolean(options.selector || options.fieldSelector);
			if (live) void startHistory(kube, {listed: hold?.listed ?? session.ready, scope: narrowed ? undefined : {namespace: session.info.namespace}});
			else await startHistory(kube);
		}

		if (recorder && options.recordOnly) {
			const {runRecord} = await import('./record.js');
			return await runRecord(recorder, options);
		}

		if (options.watch) {
			const {runUntilSignal} = await import('./record.js');
			return await runUntilSignal(recorder?.failed ?? null);
		}

		if (options.command === 'recommend') {
			const {runRecommend} = await import('./recommend.js');
			return await runRecommend(store, session, options);
		}

		const {runLive} = await import('./live.js');
		return await runLive(store, session, options.command, options);
	} finally {
		await cleanup();
	}
}

/** --record and --watch observe the store from before the first input */
async function tapForRecordAndWatch(store: Store, clock: RunClock, options: Options, historySamples: number) {
	let recorder;
	let stopWatch;
	if (options.recordFile) {
		const {startRecorder} = await import('./record.js');
		recorder = startRecorder(store, options, historySamples, message => {
			if (options.recordOnly || options.watch) return;
			store.setBanner({id: 'record', level: 'error', text: message, since: store.now()});
		});
	}

	if (options.watch) {
		const {startWatch} = await import('./watch.js');
		stopWatch = startWatch(store, clock, {view: options.command === 'recommend' ? 'pods' : options.command, output: options.output === 'json' ? 'json' : 'table'});
	}

	return {recorder, stopWatch};
}
