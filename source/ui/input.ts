/**
 * All keyboard handling, in one place. `handleKey` maps one key press to reducer actions (and
 * the few side effects: quit, applying a label selector or a server-side namespace); the
 * `useKeys` hook feeds it from Ink's `useInput`.
 */
import {useRef} from 'react';
import {useInput} from 'ink';
import type {Store} from '../store/store.js';
import {keyName, resolve, type InkKey} from './keys.js';
import type {ListModel} from './screen/common.js';
import type {Screen} from './screen/index.js';
import {filterOf, listState, move, reducer, sortScope, type Action, type Move, type UiState} from './state.js';

export interface UiActions {
	/** apply a label selector server-side (relists pods); rejects with a readable error */
	setSelector(selector: string): Promise<void>;
	/** switch the watched namespace server-side (null: all); without it the picker filters client-side */
	setNamespace?(namespace: string | null): Promise<void>;
}

export interface KeyContext {
	state: UiState;
	screen: Screen;
	store: Store;
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
	if (key.ctrl || key.meta || specialNames.has(name) || name.startsWith('ctrl+')) return '';
	// eslint-disable-next-line no-control-regex
	return input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function moveIn(list: ListModel | null, m: Move, dispatch: (a: Action) => void): void {
	if (!list) return;
	const r = move(list.index, list.top, list.length, list.page, m);
	dispatch({type: 'select', list: list.id, key: list.keyAt(r.index), index: r.index, top: r.top});
	const f = list.focus?.(r.index);
	if (f) dispatch(f);
}

function movement(name: string, list: ListModel | null): Move | null {
	const page = Math.max(1, list?.page ?? 1);
	switch (resolveMovement(name)) {
		case 'up':
			return -1;
		case 'down':
			return 1;
		case 'pageUp':
			return -page;
		case 'pageDown':
			return page;
		case 'top':
			return 'top';
		case 'bottom':
			return 'bottom';
		default:
			return null;
	}
}

function resolveMovement(name: string): string | null {
	if (name === 'up' || name === 'k') return 'up';
	if (name === 'down' || name === 'j') return 'down';
	if (name === 'pageup' || name === 'ctrl+b') return 'pageUp';
	if (name === 'pagedown' || name === 'ctrl+f') return 'pageDown';
	if (name === 'g' || name === 'home') return 'top';
	if (name === 'G' || name === 'end') return 'bottom';
	return null;
}

export function handleKey(k: KeyContext, input: string, key: InkKey): void {
	const {state, screen, dispatch} = k;
	const name = keyName(input, key);
	const overlay = state.overlay;

	if (overlay?.kind === 'help') {
		const m = resolveMovement(name);
		if (m === 'up' || m === 'down' || m === 'pageUp' || m === 'pageDown') {
			const step = m === 'up' ? -1 : m === 'down' ? 1 : m === 'pageUp' ? -10 : 10;
			dispatch({type: 'overlay', overlay: {kind: 'help', top: Math.max(0, overlay.top + step)}});
			return;
		}

		dispatch({type: 'overlay', overlay: null});
		return;
	}

	if (overlay?.kind === 'namespace') {
		const list = screen.list;
		if (name === 'escape' || name === 'q' || name === ':') {
			dispatch({type: 'overlay', overlay: null});
			return;
		}

		if (name === 'return' && list) {
			const ns = list.keyAt(list.index);
			pickNamespace(k, ns);
			return;
		}

		const m = movement(name, list);
		if (m !== null && list) {
			const r = move(list.index, list.top, list.length, list.page, m);
			dispatch({type: 'overlay', overlay: {kind: 'namespace', index: r.index}});
		}

		return;
	}

	if (overlay?.kind === 'selector') {
		if (overlay.pending) return;
		if (name === 'escape') {
			dispatch({type: 'overlay', overlay: null});
			return;
		}

		if (name === 'return') {
			const sel = overlay.text.trim();
			dispatch({type: 'overlay', overlay: {...overlay, pending: true, error: ''}});
			k.actions.setSelector(sel).then(
				() => {
					dispatch({type: 'overlay', overlay: null});
					dispatch({type: 'message', text: sel === '' ? 'selector cleared' : `selector ${sel} applied`});
				},
				(error: unknown) => {
					dispatch({type: 'overlay', overlay: {kind: 'selector', text: overlay.text, pending: false, error: error instanceof Error ? error.message : String(error)}});
				},
			);
			return;
		}

		if (name === 'backspace') {
			dispatch({type: 'overlay', overlay: {...overlay, text: overlay.text.slice(0, -1), error: ''}});
			return;
		}

		const t = typed(input, key, name);
		if (t !== '') dispatch({type: 'overlay', overlay: {...overlay, text: overlay.text + t, error: ''}});
		return;
	}

	if (state.editing) {
		if (name === 'return') return dispatch({type: 'filterDone'});
		if (name === 'escape') return dispatch({type: 'filterCancel'});
		if (name === 'backspace') return dispatch({type: 'filterBackspace'});
		const m = ['up', 'down', 'pageup', 'pagedown'].includes(name) ? movement(name, screen.list) : null;
		if (m !== null) return moveIn(screen.list, m, dispatch);
		const t = typed(input, key, name);
		if (t !== '') dispatch({type: 'filterInput', text: t});
		return;
	}

	const cmd = resolve(name, state);
	if (cmd === null) return;
	const list = screen.list;
	switch (cmd) {
		case 'up':
		case 'down':
		case 'pageUp':
		case 'pageDown':
		case 'top':
		case 'bottom': {
			const m = movement(name, list);
			if (m !== null) moveIn(list, m, dispatch);
			return;
		}

		case 'open': {
			if (!list || list.length === 0) return;
			const a = list.open(list.index);
			if (a) dispatch(a);
			return;
		}

		case 'back':
			if (state.stack.length > 0) dispatch({type: 'back'});
			else if (filterOf(state) !== '') dispatch({type: 'filterCancel'});
			else if (state.namespace !== null) dispatch({type: 'namespace', namespace: null});
			return;
		case 'toggle':
		case 'expand':
		case 'collapse': {
			const t = list?.expandKey?.(list.index);
			if (!t || !list) return;
			const open = cmd === 'collapse' ? false : cmd === 'expand' ? true : !t.expanded;
			dispatch({type: 'toggleExpand', key: t.key, open});
			// collapsing from a container row puts the selection on its pod
			if (!open) dispatch({type: 'select', list: list.id, key: t.key, index: list.index, top: listState(state, list.id).top});
			return;
		}

		case 'filter':
			dispatch({type: 'filterStart'});
			return;
		case 'namespace': {
			const names = [null, ...[...k.store.namespaces().keys()].sort()];
			const index = Math.max(0, names.indexOf(state.namespace ?? k.store.connection?.namespace ?? null));
			dispatch({type: 'overlay', overlay: {kind: 'namespace', index}});
			return;
		}

		case 'selector':
			dispatch({type: 'overlay', overlay: {kind: 'selector', text: k.store.connection?.selector ?? '', pending: false, error: ''}});
			return;
		case 'help':
			dispatch({type: 'overlay', overlay: {kind: 'help', top: 0}});
			return;
		case 'quit':
			k.exit();
			return;
		case 'reverse':
			dispatch({type: 'reverse'});
			return;
		case 'window':
			dispatch({type: 'chartWindow'});
			return;
		case 'groupBy':
			dispatch({type: 'groupBy'});
			return;
		case 'nextView':
			dispatch({type: 'nextView'});
			return;
		case 'view:pods':
		case 'view:nodes':
		case 'view:workloads':
		case 'view:events':
			dispatch({type: 'view', view: cmd.slice(5) as 'pods'});
			return;
		default: {
			if (cmd.startsWith('sort:')) {
				const scope = sortScope(state);
				if (scope !== null) dispatch({type: 'sort', scope, key: cmd.slice(5)});
			}
		}
	}
}

function pickNamespace(k: KeyContext, ns: string | null): void {
	const {dispatch, store, actions} = k;
	const watched = store.connection?.namespace ?? null;
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
export function splitInput(input: string, key: InkKey): Array<[string, InkKey]> {
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
export function createKeyHandler(get: () => KeyContext, set: (k: KeyContext) => void): (input: string, key: InkKey) => void {
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
