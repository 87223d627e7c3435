/**
 * Entry for the CLI: the live UI on the alternate screen. Ink renders incrementally (only
 * changed lines are rewritten, inside synchronized-output brackets where supported); the screen
 * is restored on quit, on SIGTERM/SIGHUP and on a crash.
 *
 * React and Ink are loaded here, after NODE_ENV defaults to production: React's development
 * build checks every render and would cost memtop most of its frame budget at 150,000 pods.
 */
import {shownText} from '../kube/sanitize.js';
import type {Store} from '../store/store.js';
import type {UiActions} from './input.js';
import type {ViewName} from './state.js';
import {detectColorMode} from './theme.js';

export type {UiActions} from './input.js';

interface RunTuiOptions {
	store: Store;
	actions: UiActions;
	initialView?: ViewName | 'pods' | 'nodes' | 'workloads' | 'events';
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	/** another root element (the replay's), given the color mode */
	root?: (colorMode: ReturnType<typeof detectColorMode>) => unknown;
}

/** the escape sequences that give the terminal back: main screen, cursor visible, attributes reset */
const restoreSequence = '\u001b[?1049l\u001b[?25h\u001b[0m';

export async function runTui(opts: RunTuiOptions): Promise<void> {
	process.env['NODE_ENV'] ??= 'production';
	const [{render}, {createElement}, {Sized}] = await Promise.all([import('ink'), import('react'), import('./sized.js')]);
	const stdout = opts.stdout ?? process.stdout;
	const stdin = opts.stdin ?? process.stdin;
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			stdout.write(restoreSequence);
		} catch {}
	};

	const element = opts.root ? (opts.root(detectColorMode()) as ReturnType<typeof createElement>) : createElement(Sized, {store: opts.store, actions: opts.actions, initialView: (opts.initialView ?? 'pods') as ViewName, colorMode: detectColorMode()});
	const instance = render(element, {
		stdout,
		stdin,
		alternateScreen: true,
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
}
