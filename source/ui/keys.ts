/**
 * The one key table. The input hook resolves keys through it, the footer shows its short labels
 * and the help overlay lists all of it, so they cannot disagree. Every binding is a plain key
 * that survives tmux and SSH: no Shift+arrows, no function keys.
 */
import type {Sorts, UiState} from './state.js';
import {currentFrame, sortScope} from './state.js';
import {sortTables} from '../view/sorts.js';

export type Command =
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'top'
	| 'bottom'
	| 'open'
	| 'back'
	| 'expand'
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
	| 'nextView'
	| 'view:pods'
	| 'view:nodes'
	| 'view:workloads'
	| 'view:events'
	| `sort:${string}`;

export type Where = 'always' | 'list' | keyof Sorts | 'pod';

export interface Binding {
	/** key names: a character, or up down left right pageup pagedown home end return escape tab space backspace */
	keys: string[];
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
	where: Where;
}

export type Group = 'Move' | 'Views' | 'Open' | 'Sort' | 'Find' | 'Chart' | 'App';
export const groups: Group[] = ['Move', 'Views', 'Open', 'Sort', 'Find', 'Chart', 'App'];

export const bindings: Binding[] = [
	{keys: ['up', 'k'], display: '↑/k', command: 'up', help: 'up', group: 'Move', where: 'always'},
	{keys: ['down', 'j'], display: '↓/j', command: 'down', help: 'down', footer: 'move', rank: 9, group: 'Move', where: 'always'},
	{keys: ['pageup', 'ctrl+b'], display: 'PgUp', command: 'pageUp', help: 'page up (also Ctrl-b)', group: 'Move', where: 'always'},
	{keys: ['pagedown', 'ctrl+f'], display: 'PgDn', command: 'pageDown', help: 'page down (also Ctrl-f)', group: 'Move', where: 'always'},
	{keys: ['g', 'home'], display: 'g', command: 'top', help: 'first row', group: 'Move', where: 'always'},
	{keys: ['G', 'end'], display: 'G', command: 'bottom', help: 'last row', group: 'Move', where: 'always'},
	{keys: ['1', 'p'], display: '1/p', command: 'view:pods', help: 'pods', group: 'Views', where: 'always'},
	{keys: ['2', 'n'], display: '2/n', command: 'view:nodes', help: 'nodes', group: 'Views', where: 'always'},
	{keys: ['3', 'w'], display: '3/w', command: 'view:workloads', help: 'workloads', group: 'Views', where: 'always'},
	{keys: ['4', 'e'], display: '4/e', command: 'view:events', help: 'events (OOM kills, evictions, node memory)', group: 'Views', where: 'always'},
	{keys: ['tab'], display: 'Tab', command: 'nextView', help: 'next view', footer: 'view', rank: 8, group: 'Views', where: 'always'},
	{keys: ['return'], display: 'Enter', command: 'open', help: 'drill down: node → its pods, pod → containers, chart, diagnosis; event → its pod or node', footer: 'open', rank: 1, group: 'Open', where: 'always'},
	{keys: ['escape', 'backspace'], display: 'Esc', command: 'back', help: 'back (or clear the filter)', footer: 'back', rank: 2, group: 'Open', where: 'always'},
	{keys: ['space', 'right'], display: 'Space/→', command: 'toggle', help: 'show/hide a pod\'s containers', footer: 'containers', rank: 10, group: 'Open', where: 'pods'},
	{keys: ['left'], display: '←', command: 'collapse', help: 'hide them', group: 'Open', where: 'pods'},
	{keys: ['r'], display: 'r', command: 'reverse', help: 'reverse (or the same sort key again)', footer: 'reverse', rank: 5, group: 'Sort', where: 'list'},
	{keys: ['/'], display: '/', command: 'filter', help: 'filter as you type, fuzzy on the name (Enter keeps, Esc clears)', footer: 'filter', rank: 3, group: 'Find', where: 'always'},
	{keys: [':'], display: ':', command: 'namespace', help: 'namespace picker', footer: 'ns', rank: 6, group: 'Find', where: 'always'},
	{keys: ['='], display: '=', command: 'selector', help: 'label selector, applied by the server (app=web,tier!=db)', footer: 'labels', rank: 7, group: 'Find', where: 'always'},
	{keys: ['v'], display: 'v', command: 'window', help: 'chart window 5m → 15m → 1h', footer: 'window', rank: 11, group: 'Chart', where: 'always'},
	{keys: ['b'], display: 'b', command: 'groupBy', help: 'group by owner / by namespace', footer: 'group', rank: 10, group: 'Views', where: 'workloads'},
	{keys: ['?'], display: '?', command: 'help', help: 'this help', footer: 'help', rank: 0, group: 'App', where: 'always'},
	{keys: ['q', 'ctrl+c'], display: 'q', command: 'quit', help: 'quit', footer: 'quit', rank: 0, group: 'App', where: 'always'},
];

/** the sort bindings of a list scope as key-table rows */
export function sortBindings(scope: keyof Sorts): Binding[] {
	return sortTables[scope].map(d => ({keys: [d.key], display: d.key, command: `sort:${d.id}` as Command, help: d.help, group: 'Sort' as const, where: scope}));
}

function applies(b: Binding, s: UiState): boolean {
	const frame = currentFrame(s);
	const scope = sortScope(s);
	switch (b.where) {
		case 'always':
			return true;
		case 'list':
			return scope !== null;
		case 'pod':
			return frame.kind === 'pod';
		default:
			// view-specific keys; the pods key set also serves a node's or workload's pods
			if (b.where === 'pods') return scope === 'pods';
			return frame.kind === 'view' && frame.view === b.where;
	}
}

/** bindings active in this state, sort keys of the current list included */
export function activeBindings(s: UiState): Binding[] {
	const scope = sortScope(s);
	const sorts = scope === null ? [] : sortBindings(scope);
	return [...bindings.filter(b => applies(b, s) && !b.command.startsWith('sort:')), ...sorts];
}

/** the command a key name triggers in this state */
export function resolve(name: string, s: UiState): Command | null {
	// Sort letters of the current list win over view-specific letters they share.
	const scope = sortScope(s);
	if (scope !== null) {
		const d = sortTables[scope].find(x => x.key === name);
		if (d) return `sort:${d.id}`;
	}

	for (const b of bindings) if (b.keys.includes(name) && applies(b, s)) return b.command;
	return null;
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

export interface FooterItem {
	keys: string;
	label: string;
	rank: number;
}

/** the footer's items for this state, most important first (help and quit first of all) */
export function footerItems(s: UiState): FooterItem[] {
	const scope = sortScope(s);
	const items: FooterItem[] = [];
	for (const b of activeBindings(s)) {
		if (b.footer) items.push({keys: b.display, label: b.footer, rank: b.rank ?? 20});
	}

	if (scope !== null) {
		const letters = sortTables[scope].map(d => d.key).join('');
		items.push({keys: letters.length > 5 ? `${letters.slice(0, 4)}…` : letters, label: 'sort', rank: 4});
	}

	return items.sort((a, b) => a.rank - b.rank);
}
