/**
 * Keys of the two screen modes: a list (a view, or a node's or workload's pods) and a pod's
 * detail. The movement rows also move in the namespace picker and scroll the help overlay.
 */
import type {Binding, Command, Mode} from '../keys.js';
import {sortTables, type ListName} from '../../view/sorts.js';

const screens: Mode[] = ['list', 'detail'];
const moving: Mode[] = [...screens, 'namespace', 'help'];

export const screenRows: Binding[] = [
	{keys: ['up', 'k'], display: '↑/k', command: 'up', help: 'up', group: 'Move', modes: moving},
	{keys: ['down', 'j'], display: '↓/j', command: 'down', help: 'down', footer: 'move', rank: 9, group: 'Move', modes: moving},
	{keys: ['pageup', 'ctrl+b'], display: 'PgUp', command: 'pageUp', help: 'page up (also Ctrl-b)', group: 'Move', modes: moving},
	{keys: ['pagedown', 'ctrl+f'], display: 'PgDn', command: 'pageDown', help: 'page down (also Ctrl-f)', group: 'Move', modes: moving},
	{keys: ['g', 'home'], display: 'g', command: 'top', help: 'first row', group: 'Move', modes: [...screens, 'namespace']},
	{keys: ['G', 'end'], display: 'G', command: 'bottom', help: 'last row', group: 'Move', modes: [...screens, 'namespace']},
	{keys: ['1', 'p'], display: '1/p', command: 'view:pods', help: 'pods', group: 'Views', modes: screens},
	{keys: ['2', 'n'], display: '2/n', command: 'view:nodes', help: 'nodes', group: 'Views', modes: screens},
	{keys: ['3', 'w'], display: '3/w', command: 'view:workloads', help: 'workloads', group: 'Views', modes: screens},
	{keys: ['4', 'e'], display: '4/e', command: 'view:events', help: 'events (OOM kills, evictions, node memory)', group: 'Views', modes: screens},
	{keys: ['tab'], display: 'Tab', command: 'nextView', help: 'next view', footer: 'view', rank: 8, group: 'Views', modes: screens},
	{keys: ['return'], display: 'Enter', command: 'open', help: 'drill down: node → its pods, pod → containers, chart, diagnosis; event → its pod or node', footer: 'open', rank: 1, group: 'Open', modes: screens},
	{keys: ['escape', 'backspace'], display: 'Esc', command: 'back', help: 'back (or clear the filter)', footer: 'back', rank: 2, group: 'Open', modes: screens},
	{keys: ['space', 'right'], display: 'Space/→', command: 'toggle', help: 'show/hide a pod\'s containers', footer: 'containers', rank: 10, group: 'Open', modes: ['list'], list: 'pods'},
	{keys: ['left'], display: '←', command: 'collapse', help: 'hide them', group: 'Open', modes: ['list'], list: 'pods'},
	{keys: ['r'], display: 'r', command: 'reverse', help: 'reverse (or the same sort key again)', footer: 'reverse', rank: 5, group: 'Sort', modes: ['list']},
	{keys: ['/'], display: '/', command: 'filter', help: 'filter as you type, fuzzy on the name (Enter keeps, Esc clears)', footer: 'filter', rank: 3, group: 'Find', modes: screens},
	{keys: [':'], display: ':', command: 'namespace', help: 'namespace picker', footer: 'ns', rank: 6, group: 'Find', modes: screens},
	{keys: ['='], display: '=', command: 'selector', help: 'label selector, applied by the server (app=web,tier!=db)', footer: 'labels', rank: 7, group: 'Find', modes: screens},
	{keys: ['v'], display: 'v', command: 'window', help: 'chart window 5m → 15m → 1h', footer: 'window', rank: 11, group: 'Chart', modes: screens},
	{keys: ['h'], display: 'h', command: 'hideFinished', help: 'hide / show finished pods (Completed, Failed, Evicted)', footer: 'finished', rank: 12, group: 'Views', modes: ['list'], list: 'pods'},
	{keys: ['b'], display: 'b', command: 'groupBy', help: 'group by owner / by namespace', footer: 'group', rank: 10, group: 'Views', modes: ['list'], list: 'workloads'},
	{keys: ['?'], display: '?', command: 'help', help: 'this help', footer: 'help', rank: 0, group: 'App', modes: screens},
	{keys: ['q', 'ctrl+c'], display: 'q', command: 'quit', help: 'quit', footer: 'quit', rank: 0, group: 'App', modes: screens},
];

/** each list's sort orders (view/sorts.ts) as rows of that list */
export const sortRows: Binding[] = (Object.keys(sortTables) as ListName[]).flatMap(list =>
	sortTables[list].map(d => ({keys: [d.key], display: d.key, command: `sort:${d.id}` as Command, help: d.help, group: 'Sort' as const, modes: ['list' as const], list})),
);
