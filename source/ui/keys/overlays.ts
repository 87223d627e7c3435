/** Keys of the two overlays: the namespace picker (`:`) and this help (`?`); both move with the movement rows. */
import type {Binding} from '../keys.js';

export const namespaceRows: Binding[] = [
	{keys: ['return'], display: 'Enter', command: 'accept', help: 'pick', footer: 'pick', rank: 1, group: 'In :', modes: ['namespace']},
	{keys: ['escape', 'q', ':'], display: 'Esc/q/:', command: 'cancel', help: 'cancel', footer: 'cancel', rank: 2, group: 'In :', modes: ['namespace']},
];

export const helpRows: Binding[] = [
	{keys: 'other', display: 'other keys', command: 'close', help: 'close this help (the movement keys scroll it)', footer: 'close', rank: 2, group: 'In ?', modes: ['help']},
];
