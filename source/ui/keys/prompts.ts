/**
 * Keys of the two prompts: the filter typed after `/` and the label selector typed after `=`.
 * A key that is no row of the prompt types its character into the text.
 */
import type {Binding} from '../keys.js';

export const filterRows: Binding[] = [
	{keys: ['up'], display: '↑', command: 'up', help: 'up', group: 'In /', modes: ['filter']},
	{keys: ['down'], display: '↓', command: 'down', help: 'down', footer: 'move', rank: 9, group: 'In /', modes: ['filter']},
	{keys: ['pageup'], display: 'PgUp', command: 'pageUp', help: 'page up', group: 'In /', modes: ['filter']},
	{keys: ['pagedown'], display: 'PgDn', command: 'pageDown', help: 'page down', group: 'In /', modes: ['filter']},
	{keys: ['return'], display: 'Enter', command: 'accept', help: 'keep the filter', footer: 'keep', rank: 1, group: 'In /', modes: ['filter']},
	{keys: ['escape'], display: 'Esc', command: 'cancel', help: 'clear it', footer: 'clear', rank: 2, group: 'In /', modes: ['filter']},
	{keys: ['backspace'], display: 'Backspace', command: 'erase', help: 'erase', group: 'In /', modes: ['filter']},
	{keys: 'other', display: 'other keys', command: 'type', help: 'type into the filter', group: 'In /', modes: ['filter']},
];

export const selectorRows: Binding[] = [
	{keys: ['return'], display: 'Enter', command: 'accept', help: 'apply (empty: all pods)', footer: 'apply', rank: 1, group: 'In =', modes: ['selector']},
	{keys: ['escape'], display: 'Esc', command: 'cancel', help: 'cancel', footer: 'cancel', rank: 2, group: 'In =', modes: ['selector']},
	{keys: ['backspace'], display: 'Backspace', command: 'erase', help: 'erase', group: 'In =', modes: ['selector']},
	{keys: 'other', display: 'other keys', command: 'type', help: 'type into the selector', group: 'In =', modes: ['selector']},
];
