/**
 * All keyboard handling, in one place. `handleKey` resolves a key press to a command of the key
 * table (keys.ts) and hands it to the handler of the current mode, which maps it to reducer
 * actions (and the few side effects: quit, applying a label selector or a server-side namespace);
 * the `useKeys` hook feeds it from Ink's `useInput`.
 */
import {useRef} from 'react';
import {useInput} from 'ink';
import type {ViewModel} from '../view/index.js';
import {keyName, modeOf, resolve, type Command, type InkKey, type Mode} from './keys.js';
import type {ListModel} from './screen/common.js';
import type {Screen} from './screen/index.js';
import {filterOf, listState, move, reducer, sortScope, viewOrder, type Action, type Move, type UiState} from './state.js';

export interface UiActions {
	/** apply a label selector server-side (relists pods); rejects with a readable error */
	setSelector(selector: string): Promise<void>;
	/** switch the watched namespace server-side (null: all); without it the picker filters client-side */
	setNamespace?(namespace: string | null): Promise<void>;
	/** replay keys: pause, step, faster, slower, back, forward, back10, forward10 */
	replay?(what: string): void;
}

interface KeyContext {
	state: UiState;
	screen: Screen;
	vm: ViewModel;
	dispatch: (a: Action) => void;
	actions: UiActions;
	exit: () => void;
	/** the screen for a state (what React would render), for keys that arrive before it does */
	rebuild?: (state: UiState) => Screen;
	/** `screen` is older than `state` */
	stale?: boolean;
	/** told of every key press (before it is handled) */
	onKey?: () => void;
}

const specialNames = new Set(['up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'return', 'escape', 'tab', 'backspace']);

/** text a key press types (for the filter and the selector prompt), '' for none */
function typed(input: string, key: InkKey, name: string): string {
	if (key.ctrl || key.meta || specialNames.has(name)) return '';
	return input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function moveIn(list: ListModel | null, m: Move, dispatch: (a: Action) => void): void {
	if (!list) return;
	const r = move(list.index, list.top, list.length, list.page, m);
	dispatch({type: 'select', list: list.id, key: list.keyAt(r.index), index: r.index, top: r.top});
	const f = list.focus?.(r.index);
	if (f) dispatch(f);
}

/** the movement a command makes in a list showing `page` rows, null for other commands */
function movement(cmd: Command, page: number): Move | null {
	const p = Math.max(1, page);
	const moves: Partial<Record<Command, Move>> = {up: -1, down: 1, pageUp: -p, pageDown: p, top: 'top', bottom: 'bottom'};
	return moves[cmd] ?? null;
}

/** commands of the screen modes that are one reducer action */
const screenActions: Partial<Record<Command, Action>> = {
	filter: {type: 'filterStart'},
	help: {type: 'overlay', overlay: {kind: 'help', top: 0}},
	reverse: {type: 'reverse'},
	window: {type: 'chartWindow'},
	groupBy: {type: 'groupBy'},
	hideFinished: {type: 'hideFinished'},
	nextView: {type: 'nextView'},
	...Object.fromEntries(viewOrder.map(view => [`view:${view}`, {type: 'view', view}])),
};

/** a list or a pod's detail */
function listKeys(k: KeyContext, cmd: Command): void {
	const {state, dispatch, vm} = k;
	const list = k.screen.list;
	const m = movement(cmd, list?.page ?? 1);
	if (m !== null) return moveIn(list, m, dispatch);
	if (cmd === 'window') return dispatch({type: 'chartWindow', long: vm.longWindows().length > 0});
	const a = screenActions[cmd];
	if (a) return dispatch(a);
	switch (cmd) {
		case 'open': {
			const opened = list && list.length > 0 ? list.open(list.index) : null;
			if (opened) dispatch(opened);
			return;
		}

		case 'back':
			if (state.stack.length > 0) dispatch({type: 'back'});
			else if (filterOf(state) !== '') dispatch({type: 'filterCancel'});
			else if (state.namespace !== null) dispatch({type: 'namespace', namespace: null});
			return;
		case 'toggle':
		case 'collapse': {
			const t = list?.expandKey?.(list.index);
			if (!t || !list) return;
			const open = cmd === 'toggle' && !t.expanded;
			dispatch({type: 'toggleExpand', key: t.key, open});
			// collapsing from a container row puts the selection on its pod
			if (!open) dispatch({type: 'select', list: list.id, key: t.key, index: list.index, top: listState(state, list.id).top});
			return;
		}

		case 'namespace': {
			const names = [null, ...vm.namespaces().map(n => n.name)];
			const index = Math.max(0, names.indexOf(state.namespace ?? vm.connection()?.namespace ?? null));
			dispatch({type: 'overlay', overlay: {kind: 'namespace', index}});
			return;
		}

		case 'selector':
			dispatch({type: 'overlay', overlay: {kind: 'selector', text: vm.connection()?.selector ?? '', pending: false, error: ''}});
			return;
		case 'quit':
			k.exit();
			return;
		default: {
			const scope = sortScope(state);
			if (cmd.startsWith('sort:') && scope !== null) dispatch({type: 'sort', scope, key: cmd.slice(5)});
			else if (cmd.startsWith('replay:')) k.actions.replay?.(cmd.slice(7));
		}
	}
}

/** typing the filter; the arrow keys still move in the list */
function filterKeys(k: KeyContext, cmd: Command, text: string): void {
	const list = k.screen.list;
	const m = movement(cmd, list?.page ?? 1);
	if (m !== null) return moveIn(list, m, k.dispatch);
	if (cmd === 'accept') k.dispatch({type: 'filterDone'});
	else if (cmd === 'cancel') k.dispatch({type: 'filterCancel'});
	else if (cmd === 'erase') k.dispatch({type: 'filterBackspace'});
	else if (cmd === 'type' && text !== '') k.dispatch({type: 'filterInput', text});
}

/** the help overlay: the movement keys scroll it, any other key closes it */
function helpKeys(k: KeyContext, cmd: Command): void {
	const steps: Partial<Record<Command, number>> = {up: -1, down: 1, pageUp: -10, pageDown: 10};
	const step = steps[cmd];
	const top = k.state.overlay?.kind === 'help' ? k.state.overlay.top : 0;
	if (step !== undefined) k.dispatch({type: 'overlay', overlay: {kind: 'help', top: Math.max(0, top + step)}});
	else if (cmd === 'close') k.dispatch({type: 'overlay', overlay: null});
}

function namespaceKeys(k: KeyContext, cmd: Command): void {
	const list = k.screen.list;
	if (cmd === 'cancel') return k.dispatch({type: 'overlay', overlay: null});
	if (!list) return;
	if (cmd === 'accept') return pickNamespace(k, list.keyAt(list.index));
	const m = movement(cmd, list.page);
	if (m !== null) k.dispatch({type: 'overlay', overlay: {kind: 'namespace', index: move(list.index, list.top, list.length, list.page, m).index}});
}

/** typing a label selector; no key while the session applies one */
function selectorKeys(k: KeyContext, cmd: Command, text: string): void {
	const {dispatch} = k;
	const o = k.state.overlay;
	if (o?.kind !== 'selector' || o.pending) return;
	if (cmd === 'cancel') dispatch({type: 'overlay', overlay: null});
	else if (cmd === 'accept') applySelector(k, o.text);
	else if (cmd === 'erase') dispatch({type: 'overlay', overlay: {...o, text: o.text.slice(0, -1), error: ''}});
	else if (cmd === 'type' && text !== '') dispatch({type: 'overlay', overlay: {...o, text: o.text + text, error: ''}});
}

const handlers: Record<Mode, (k: KeyContext, cmd: Command, text: string) => void> = {
	list: listKeys,
	detail: listKeys,
	filter: filterKeys,
	help: helpKeys,
	namespace: namespaceKeys,
	selector: selectorKeys,
};

/** one key press: its command in the key table, handled by the mode's handler */
function handleKey(k: KeyContext, input: string, key: InkKey): void {
	const name = keyName(input, key);
	const cmd = resolve(name, k.state);
	if (cmd !== null) handlers[modeOf(k.state)](k, cmd, cmd === 'type' ? typed(input, key, name) : '');
}

function applySelector(k: KeyContext, text: string): void {
	const {dispatch} = k;
	const sel = text.trim();
	dispatch({type: 'overlay', overlay: {kind: 'selector', text, pending: true, error: ''}});
	k.actions.setSelector(sel).then(
		() => {
			dispatch({type: 'overlay', overlay: null});
			dispatch({type: 'message', text: sel === '' ? 'selector cleared' : `selector ${sel} applied`});
		},
		(error: unknown) => {
			dispatch({type: 'overlay', overlay: {kind: 'selector', text, pending: false, error: error instanceof Error ? error.message : String(error)}});
		},
	);
}

function pickNamespace(k: KeyContext, ns: string | null): void {
	const {dispatch, vm, actions} = k;
	const watched = vm.connection()?.namespace ?? null;
	// Watching one namespace: only the server can show another one.
	if (watched !== null && ns !== watched && actions.setNamespace) {
		dispatch({type: 'overlay', overlay: null});
		dispatch({type: 'message', text: `switching to namespace ${ns ?? 'all'}…`});
		actions.setNamespace(ns).then(
			() => {
				dispatch({type: 'namespace', namespace: null});
				dispatch({type: 'message', text: `watching namespace ${ns ?? 'all'}`});
			},
			(error: unknown) => dispatch({type: 'message', text: `cannot switch namespace: ${error instanceof Error ? error.message : String(error)}`}),
		);
		return;
	}

	if (watched !== null && ns !== watched) {
		dispatch({type: 'overlay', overlay: null});
		dispatch({type: 'message', text: `watching namespace ${watched} only: start memtop with -n ${ns ?? '<ns>'} or -A`});
		return;
	}

	dispatch({type: 'namespace', namespace: ns === watched ? null : ns});
}

const plainKey: InkKey = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
};

/**
 * Several characters can arrive in one read (fast typing over SSH, tmux send-keys): each is a
 * key press of its own, handled against the state the previous ones left behind.
 */
function splitInput(input: string, key: InkKey): Array<[string, InkKey]> {
	const special = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageDown || key.pageUp || key.return || key.escape || key.ctrl || key.meta || key.tab || key.backspace || key.delete;
	if (special || [...input].length <= 1) return [[input, key]];
	return [...input].map((ch): [string, InkKey] => {
		if (ch === '\r' || ch === '\n') return ['', {...plainKey, return: true}];
		if (ch === '\t') return ['', {...plainKey, tab: true}];
		return [ch, {...plainKey, shift: ch !== ch.toLowerCase()}];
	});
}

/**
 * Feed key presses to `handleKey`, keeping a shadow of the state so that presses arriving before
 * React re-renders see the effect of the ones before them.
 */
function createKeyHandler(get: () => KeyContext, set: (k: KeyContext) => void): (input: string, key: InkKey) => void {
	return (input, key) => {
		get().onKey?.();
		for (const [ch, kk] of splitInput(input, key)) {
			let cur = get();
			if (cur.stale && cur.rebuild) {
				// A key arrived before React rendered the previous one: act on what it will render.
				cur = {...cur, screen: cur.rebuild(cur.state), stale: false};
				set(cur);
			}

			const dispatched: Action[] = [];
			handleKey(
				{
					...cur,
					dispatch: a => {
						dispatched.push(a);
						cur.dispatch(a);
					},
				},
				ch,
				kk,
			);
			if (dispatched.length === 0) continue;
			let state = cur.state;
			for (const a of dispatched) state = reducer(state, a);
			// The next key may act on another list (a new view, a drill-down, a new order).
			set({...cur, state, stale: true});
		}
	};
}

/** the one `useInput` of the app */
export function useKeys(k: KeyContext): void {
	const ref = useRef(k);
	ref.current = k;
	const handler = useRef<((input: string, key: InkKey) => void) | null>(null);
	handler.current ??= createKeyHandler(
		() => ref.current,
		next => {
			ref.current = next;
		},
	);
	useInput((input, key) => handler.current!(input, key));
}
