/**
 * Entry for the CLI: the live UI on the alternate screen. Ink renders incrementally (only
 * changed lines are rewritten, inside synchronized-output brackets where supported); the screen
 * is restored on quit, on SIGTERM/SIGINT/SIGHUP and on a crash.
 */
import {render, useWindowSize} from 'ink';
import type {Store} from '../store/store.js';
import {App} from './app.js';
import type {UiActions} from './input.js';
import type {ViewName} from './state.js';
import {detectColorMode, type ColorMode} from './theme.js';

export type {UiActions} from './input.js';

export interface RunTuiOptions {
	store: Store;
	actions: UiActions;
	initialView?: ViewName | 'pods' | 'nodes' | 'workloads' | 'events';
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
}

function Sized(props: {store: Store; actions: UiActions; initialView: ViewName; colorMode: ColorMode}) {
	const {columns, rows} = useWindowSize();
	// The frame is exactly the terminal's size: never taller, never wider.
	return <App store={props.store} actions={props.actions} width={Math.max(20, columns)} height={Math.max(5, rows)} colorMode={props.colorMode} initialView={props.initialView} />;
}

/** the escape sequences that give the terminal back: main screen, cursor visible, attributes reset */
export const restoreSequence = '\u001b[?1049l\u001b[?25h\u001b[0m';

export async function runTui(opts: RunTuiOptions): Promise<void> {
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

	// Ink restores on a normal exit; these cover the paths where it may not get the chance.
	const onSignal = (signal: NodeJS.Signals) => {
		instance.unmount();
		restore();
		process.kill(process.pid, signal);
	};

	const onCrash = (error: unknown) => {
		try {
			instance.unmount();
		} catch {}

		restore();
		process.stderr.write(`memtop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(70);
	};

	const onExit = () => restore();
	const instance = render(<Sized store={opts.store} actions={opts.actions} initialView={(opts.initialView ?? 'pods') as ViewName} colorMode={detectColorMode()} />, {
		stdout,
		stdin,
		alternateScreen: true,
		incrementalRendering: true,
		exitOnCtrlC: true,
		patchConsole: true,
		maxFps: 30,
	});
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
