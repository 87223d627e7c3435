/**
 * Entry for the CLI: the live UI on the alternate screen. memtop writes the frames itself, only
 * the changed lines, inside synchronized-output brackets (frame-writer.ts); Ink reads the keys and
 * runs the React tree. The screen is restored on quit, on SIGTERM/SIGHUP and on a crash.
 *
 * React and Ink are loaded here, after NODE_ENV defaults to production: React's development
 * build checks every render and would cost memtop most of its frame budget at 150,000 pods.
 */
import {shownText} from '../kube/sanitize.js';
import type {Store} from '../store/store.js';
import type {UiActions} from './input.js';
import {initialState, type ViewName} from './state.js';
import {detectColorMode} from './theme.js';
import {initialSortFrom} from '../view/sorts.js';

export type {UiActions} from './input.js';

interface RunTuiOptions {
	store: Store;
	actions: UiActions;
	initialView?: ViewName | 'pods' | 'nodes' | 'workloads' | 'events';
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	/** when this rejects, the view ends and runTui throws its error (the session's first lists) */
	until?: Promise<unknown>;
	/** the config file's colours: auto (NO_COLOR, TERM=dumb), or always / never */
	colors?: 'auto' | boolean;
	/** the config file's first sort order per list (sort ids) */
	sorts?: Partial<Record<'pods' | 'nodes' | 'workloads' | 'events', string>>;
	/** another root element (the replay's), given the color mode */
	root?: (colorMode: ReturnType<typeof detectColorMode>) => unknown;
	/**
	 * Given, while the TUI runs, a way to lend the terminal to a child process (an exec credential
	 * plugin that asks the user): the alternate screen is left and input handed over, then the
	 * TUI comes back as it was (Ink's suspendTerminal). Null once the TUI is gone.
	 */
	onTerminal?: (lease: ((run: () => Promise<void>) => Promise<void>) | null) => void;
}

/** the escape sequences that give the terminal back: main screen, cursor visible, attributes reset */
const restoreSequence = '\u001b[?1049l\u001b[?25h\u001b[0m';

/**
 * Stop reading the terminal until the returned function is called. Ink's suspension takes its
 * listener off stdin, but Node's handle keeps reading the terminal: a child process would race it
 * for every line typed (an answer to a plugin's prompt could land in memtop's buffer, not the
 * plugin's). This stops the handle as Node does when its buffer is full, and starts it again.
 */
function holdInput(stdin: NodeJS.ReadStream): () => void {
	const handle = (stdin as unknown as {_handle?: {reading?: boolean; readStop?: () => number; readStart?: () => number}})._handle;
	if (!handle?.readStop || !handle.readStart || !handle.reading) return () => {};
	handle.reading = false;
	handle.readStop();
	return () => {
		handle.reading = true;
		handle.readStart!();
	};
}

export async function runTui(opts: RunTuiOptions): Promise<void> {
	process.env['NODE_ENV'] ??= 'production';
	const [{render, useApp}, {createElement, Fragment, useEffect}, {Sized}, {enterSequence, FrameWriter, inkSink, leaveSequence}] = await Promise.all([import('ink'), import('react'), import('./sized.js'), import('./frame-writer.js')]);
	const stdout = opts.stdout ?? process.stdout;
	const stdin = opts.stdin ?? process.stdin;
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			stdout.write(leaveSequence + restoreSequence);
		} catch {}
	};

	// memtop writes the live view's frames itself (frame-writer.ts); Ink keeps the keys and the
	// React tree. A replay's own root still prints through Ink.
	const writer = opts.root ? null : new FrameWriter(stdout);
	if (writer) stdout.write(enterSequence);
	const onTerminal = opts.onTerminal;
	/** renders nothing: hands out the app's suspendTerminal */
	const Lender = () => {
		const {suspendTerminal} = useApp();
		useEffect(() => {
			onTerminal?.(run =>
				suspendTerminal(async () => {
					const release = holdInput(stdin);
					// memtop's own screen (Ink's alternate screen is not in use): left and entered again here
					if (writer) stdout.write(leaveSequence + restoreSequence);
					try {
						await run();
					} finally {
						release();
						if (writer) {
							stdout.write(enterSequence);
							writer.redraw();
						}
					}
				}),
			);
			return () => onTerminal?.(null);
		}, [suspendTerminal]);
		return null;
	};

	const initialView = (opts.initialView ?? 'pods') as ViewName;
	const first = initialState(initialView);
	const sorts = {...first.sorts};
	for (const list of ['pods', 'nodes', 'workloads', 'events'] as const) {
		const id = opts.sorts?.[list];
		if (id !== undefined) (sorts as Record<string, unknown>)[list] = initialSortFrom(list, id);
	}

	const colorMode = opts.colors === true ? 'basic' : opts.colors === false ? 'none' : detectColorMode();
	const app = opts.root
		? (opts.root(colorMode) as ReturnType<typeof createElement>)
		: createElement(Sized, {store: opts.store, actions: opts.actions, initialView, colorMode, initial: {...first, sorts}, sink: writer ?? undefined});
	const element = onTerminal ? createElement(Fragment, null, createElement(Lender), app) : app;
	const instance = render(element, {
		stdout: writer ? inkSink(stdout) : stdout,
		stdin,
		alternateScreen: !writer,
		// the caller checked for a terminal: a CI=true in the environment (tmux in CI, a CI
		// variable left in a shell) must not turn the live screen into a final-frame dump
		interactive: true,
		incrementalRendering: true,
		exitOnCtrlC: true,
		patchConsole: true,
		maxFps: 30,
	});

	// Ink restores on a normal exit; these cover the paths where it may not get the chance.
	const onSignal = (signal: NodeJS.Signals) => {
		try {
			instance.unmount();
		} catch {}

		restore();
		// end by the signal itself, at once: a listener left for it (Ink's signal-exit) would take
		// the re-raised signal, and the process could finish its cleanup and exit 0 before it is
		// handed on
		process.removeAllListeners(signal);
		process.kill(process.pid, signal);
	};

	const onCrash = (error: unknown) => {
		try {
			instance.unmount();
		} catch {}

		restore();
		process.stderr.write(`memtop: ${shownText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
		process.exit(70);
	};

	let failure: {error: unknown} | null = null;
	opts.until?.catch((error: unknown) => {
		failure = {error};
		try {
			instance.unmount();
		} catch {}
	});

	const onExit = () => restore();
	const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
	for (const s of signals) process.once(s, onSignal);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	process.on('exit', onExit);
	try {
		await instance.waitUntilExit();
	} finally {
		for (const s of signals) process.off(s, onSignal);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		process.off('exit', onExit);
		restore();
	}

	if (failure) throw (failure as {error: unknown}).error;
}
