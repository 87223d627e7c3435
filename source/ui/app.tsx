/**
 * The root component: UI state (one reducer), the store read through useSyncExternalStore, a
 * clock for "metrics 7s ago", one input hook, and the frame built by `screen/` for the viewport
 * it is given. The viewport comes in as props so tests get deterministic frames.
 */
import {useApp} from 'ink';
import {useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore} from 'react';
import type {Store} from '../store/store.js';
import {ViewModel} from '../view/index.js';
import {useKeys, type UiActions} from './input.js';
import {buildScreen} from './screen/index.js';
import {initialState, reducer, type UiState, type ViewName} from './state.js';
import {makeTheme, type ColorMode} from './theme.js';
import type {FrameSink} from './frame-writer.js';
import {ScreenView} from './view.js';

interface AppProps {
	store: Store;
	actions: UiActions;
	width: number;
	height: number;
	colorMode?: ColorMode;
	/** clock (epoch ms); tests pass a fixed one */
	clock?: () => number;
	/** how often an idle screen is redrawn for the clock (ms, default 5000); 0 = never (tests) */
	tickMs?: number;
	initialView?: ViewName;
	/** start from this state (tests) */
	initial?: UiState;
	/** called when the user quits; defaults to Ink's exit */
	onQuit?: () => void;
	/** prepare sort columns and forecasts when idle (default true) */
	warm?: boolean;
	/** new data waits while keys arrive, until this long after the last one (default 250 ms; 0: never waits) */
	inputQuietMs?: number;
	/** the terminal's frames are written here (frame-writer.ts) and Ink prints nothing; without it, Ink prints them (tests) */
	sink?: FrameSink;
	/** the header's REPLAY label (a recording is replayed) */
	replay?: string;
}

/**
 * The store's published version, held back while the user is typing: a key press never waits
 * for a frame of new data, the new data shows once the keys pause.
 */
function useQuietVersion(store: Store, lastInput: {current: number}, quietMs: number): number {
	const gate = useMemo(() => {
		let version = store.getSnapshot();
		const listeners = new Set<() => void>();
		let timer: ReturnType<typeof setTimeout> | null = null;
		let unsubscribe: (() => void) | null = null;
		const pump = () => {
			timer = null;
			const wait = lastInput.current + quietMs - Date.now();
			if (quietMs > 0 && wait > 0) {
				timer = setTimeout(pump, wait);
				return;
			}

			const v = store.getSnapshot();
			if (v === version) return;
			version = v;
			for (const l of listeners) l();
		};

		return {
			subscribe(listener: () => void) {
				listeners.add(listener);
				unsubscribe ??= store.subscribe(() => {
					if (!timer) pump();
				});
				return () => {
					listeners.delete(listener);
					if (listeners.size === 0) {
						unsubscribe?.();
						unsubscribe = null;
						if (timer) clearTimeout(timer);
						timer = null;
					}
				};
			},
			getSnapshot: () => version,
		};
	}, [store, lastInput, quietMs]);
	return useSyncExternalStore(gate.subscribe, gate.getSnapshot);
}

/** the store's data through the view model, refreshed when a new version is shown */
function useViewModel(store: Store, warm: boolean, lastInput: {current: number}, quietMs: number): ViewModel {
	const version = useQuietVersion(store, lastInput, quietMs);
	const vm = useMemo(() => new ViewModel(store), [store]);
	const seen = useRef(-1);
	if (seen.current !== version) {
		vm.refresh();
		seen.current = version;
	}

	// After new data, prepare sort columns and forecasts in small idle steps (input goes first).
	useEffect(() => {
		if (!warm) return;
		let timer: ReturnType<typeof setTimeout> | null = null;
		const step = () => {
			timer = vm.warm(8) ? setTimeout(step, 0) : null;
		};

		timer = setTimeout(step, 50);
		return () => {
			if (timer) clearTimeout(timer);
		};
	}, [vm, version, warm]);
	return vm;
}

/**
 * The time a frame is drawn at, and a re-render every `tickMs` so ages ("metrics 7s ago") move
 * while nothing else happens. Every frame reads the clock afresh (a frame for new data or a key
 * shows exact ages); the tick only decides how often an idle screen is redrawn, and each redraw
 * costs Ink a whole frame, so it is every 5 s, not every second (idle CPU).
 */
function useClock(clock: () => number, tickMs: number, lastInput: {current: number}, quietMs: number): number {
	const [, setTick] = useState(0);
	useEffect(() => {
		if (tickMs <= 0) return;
		const t = setInterval(() => {
			// the seconds can wait while keys arrive
			if (Date.now() - lastInput.current >= quietMs) setTick(n => n + 1);
		}, tickMs);
		return () => clearInterval(t);
	}, [tickMs, lastInput, quietMs]);
	return clock();
}

export function App(props: AppProps) {
	const {store, width, height} = props;
	const lastInput = useRef(0);
	const quietMs = props.inputQuietMs ?? 250;
	const vm = useViewModel(store, props.warm ?? true, lastInput, quietMs);
	const now = useClock(props.clock ?? Date.now, props.tickMs ?? 5000, lastInput, quietMs);
	const [state, dispatch] = useReducer(reducer, props.initial ?? initialState(props.initialView ?? 'pods'));
	const theme = useMemo(() => makeTheme(props.colorMode ?? 'basic'), [props.colorMode]);
	const {exit} = useApp();
	const replay = props.replay;
	const screen = buildScreen({vm, state, width, height, now, theme, replay});
	useKeys({
		state,
		screen,
		vm,
		dispatch,
		actions: props.actions,
		exit: props.onQuit ?? (() => exit()),
		onKey: () => {
			lastInput.current = Date.now();
		},
		rebuild: next => buildScreen({vm, state: next, width, height, now, theme, replay}),
	});
	const {sink} = props;
	useLayoutEffect(() => sink?.draw(screen.lines, width, height));
	return sink ? null : <ScreenView lines={screen.lines} width={width} height={height} />;
}
