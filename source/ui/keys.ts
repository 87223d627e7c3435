/**
 * The one key table. Every key memtop reacts to, in every mode, is a row of it (the rows live in
 * keys/, one file per kind of mode); the input hook resolves keys through it, the footer shows its
 * short labels and the help overlay lists it, so they cannot disagree. Every binding is a plain
 * key that survives tmux and SSH: no Shift+arrows, no function keys.
 */
import type {UiState, ViewName} from './state.js';
import {currentFrame, sortScope} from './state.js';
import {sortTables, type ListName} from '../view/sorts.js';
import {helpRows, namespaceRows} from './keys/overlays.js';
import {filterRows, selectorRows} from './keys/prompts.js';
import {replayRows} from './keys/replay.js';
import {screenRows, sortRows} from './keys/screen.js';

export type Command =
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'top'
	| 'bottom'
	| 'open'
	| 'back'
	| 'collapse'
	| 'toggle'
	| 'filter'
	| 'namespace'
	| 'selector'
	| 'help'
	| 'quit'
	| 'reverse'
	| 'window'
	| 'groupBy'
	| 'hideFinished'
	| 'nextView'
	| `view:${ViewName}`
	| `sort:${string}`
	/** replay: pause, step, speed, jump (record/playback.ts) */
	| `replay:${string}`
	/** Enter in a prompt or the namespace picker */
	| 'accept'
	/** Esc in a prompt or the namespace picker */
	| 'cancel'
	/** Backspace in a prompt */
	| 'erase'
	/** a character typed into a prompt */
	| 'type'
	| 'close';

/**
 * What the keys are doing: moving in a list (a view, a node's or workload's pods) or in a pod's
 * detail, typing the filter, reading the help, picking a namespace, typing a label selector.
 */
export type Mode = 'list' | 'detail' | 'filter' | 'help' | 'namespace' | 'selector';

export interface Binding {
	/** key names (a character, or up down left right pageup pagedown home end return escape tab space backspace ctrl+x); 'other': every key no other row of the mode has */
	keys: readonly string[] | 'other';
	/** how the keys are shown */
	display: string;
	command: Command;
	/** what it does (help overlay) */
	help: string;
	/** short label for the footer; absent = help only */
	footer?: string;
	/** footer order: lower comes first (and stays when the terminal is narrow) */
	rank?: number;
	/** help overlay section */
	group: Group;
	/** the modes it works in */
	modes: readonly Mode[];
	/** only in this list (its sort keys, a pods list's containers, the workloads' grouping) */
	list?: ListName;
	/** only while replaying a recording */
	replay?: boolean;
}

export type Group = 'Move' | 'Views' | 'Open' | 'Sort' | 'Find' | 'Chart' | 'App' | 'In /' | 'In :' | 'In =' | 'In ?' | 'Replay';
export const groups: Group[] = ['Move', 'Views', 'Open', 'Sort', 'Find', 'Chart', 'Replay', 'App', 'In /', 'In :', 'In =', 'In ?'];

export const bindings: Binding[] = [...screenRows, ...replayRows, ...sortRows, ...filterRows, ...selectorRows, ...namespaceRows, ...helpRows];

/** the mode a key press is handled in */
export function modeOf(s: UiState): Mode {
	if (s.overlay) return s.overlay.kind;
	if (s.editing) return 'filter';
	return currentFrame(s).kind === 'pod' ? 'detail' : 'list';
}

/** the rows that work in this state: its mode's, in its list */
export function modeBindings(s: UiState): Binding[] {
	const mode = modeOf(s);
	const list = sortScope(s);
	return bindings.filter(b => b.modes.includes(mode) && (b.list === undefined || b.list === list) && (!b.replay || s.replay === true));
}

/** what the help overlay lists over this state: its keys, then those of the prompts and overlays it opens */
export function activeBindings(s: UiState): Binding[] {
	const own = modeBindings(s);
	const opened: Mode[] = ['filter', 'namespace', 'selector', 'help'];
	return [...own, ...bindings.filter(b => !own.includes(b) && b.modes.some(m => opened.includes(m)) && (!b.replay || s.replay === true))];
}

/** the command a key name triggers in this state */
export function resolve(name: string, s: UiState): Command | null {
	const rows = modeBindings(s);
	const b = rows.find(r => r.keys !== 'other' && r.keys.includes(name)) ?? rows.find(r => r.keys === 'other');
	return b?.command ?? null;
}

export interface InkKey {
	upArrow: boolean;
	downArrow: boolean;
	leftArrow: boolean;
	rightArrow: boolean;
	pageDown: boolean;
	pageUp: boolean;
	home?: boolean;
	end?: boolean;
	return: boolean;
	escape: boolean;
	ctrl: boolean;
	shift: boolean;
	tab: boolean;
	backspace: boolean;
	delete: boolean;
	meta: boolean;
}

/** Ink's (input, key) as one key name */
export function keyName(input: string, key: InkKey): string {
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'return';
	if (key.escape) return 'escape';
	if (key.tab && !key.shift) return 'tab';
	// Terminals send DEL (0x7f) for Backspace; Ink reports it as delete.
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
	if (input === ' ') return 'space';
	return input;
}

interface FooterItem {
	keys: string;
	label: string;
	rank: number;
}

/** the footer's items for this state, most important first (help and quit first of all) */
export function footerItems(s: UiState): FooterItem[] {
	const items: FooterItem[] = [];
	for (const b of modeBindings(s)) {
		if (b.footer) items.push({keys: b.display, label: b.footer, rank: b.rank ?? 20});
	}

	const scope = modeOf(s) === 'list' ? sortScope(s) : null;
	if (scope !== null) {
		const letters = sortTables[scope].map(d => d.key).join('');
		items.push({keys: letters.length > 5 ? `${letters.slice(0, 4)}…` : letters, label: 'sort', rank: 4});
	}

	return items.sort((a, b) => a.rank - b.rank);
}
