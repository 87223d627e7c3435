/** The key table: every row reachable in its mode, no key twice in a mode, the footer and the help from the same rows. */
import {describe, expect, it} from 'vitest';
import {activeBindings, bindings, footerItems, keyName, modeBindings, modeOf, resolve, type Binding, type Mode} from '../../../source/ui/keys.js';
import {initialState, reducer, sortScope, viewOrder, type Action, type UiState} from '../../../source/ui/state.js';
import {sortTables} from '../../../source/view/sorts.js';

const noKey = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false};

const after = (...actions: Action[]) => actions.reduce(reducer, initialState());
const lists = [
	...viewOrder.map(view => after({type: 'view', view})),
	after({type: 'view', view: 'nodes'}, {type: 'push', frame: {kind: 'node', name: 'worker-1'}}),
	after({type: 'view', view: 'workloads'}, {type: 'push', frame: {kind: 'workload', key: 'Deployment/shop/web'}}),
];
const detail = after({type: 'push', frame: {kind: 'pod', key: 'shop/web-1', container: null}});
const screens = [...lists, detail];
const over = (overlay: UiState['overlay']) => screens.map(s => reducer(s, {type: 'overlay', overlay}));

/** a state of every kind for each mode */
const states: Record<Mode, UiState[]> = {
	list: lists,
	detail: [detail],
	filter: screens.map(s => reducer(s, {type: 'filterStart'})),
	help: over({kind: 'help', top: 0}),
	namespace: over({kind: 'namespace', index: 0}),
	selector: over({kind: 'selector', text: 'app=', pending: false, error: ''}),
};

/** printable keys that are commands somewhere */
const commandChars = [...new Set(bindings.flatMap(b => (b.keys === 'other' ? [] : b.keys.filter(k => k.length === 1))))];

describe('key table', () => {
	it('names the mode of each state', () => {
		for (const [mode, ss] of Object.entries(states)) for (const s of ss) expect(modeOf(s)).toBe(mode);
	});

	it('reaches every row: each of its keys resolves to its command in every state of each of its modes', () => {
		for (const b of bindings) {
			for (const mode of b.modes) {
				// a replay's rows work while a recording is replayed
				const ss = states[mode].filter(s => b.list === undefined || sortScope(s) === b.list).map(s => (b.replay ? {...s, replay: true} : s));
				expect(ss.length, `${b.display} in ${mode}`).toBeGreaterThan(0);
				for (const s of ss) {
					const own = new Set(modeBindings(s).flatMap(r => (r.keys === 'other' ? [] : r.keys)));
					const keys = b.keys === 'other' ? ['x', '%', ...commandChars.filter(k => !own.has(k))] : b.keys;
					for (const k of keys) expect(resolve(k, s), `${k} in ${mode}`).toBe(b.command);
				}
			}
		}
	});

	it('binds no key twice in a mode, and has at most one row for the other keys', () => {
		for (const [mode, ss] of Object.entries(states)) {
			for (const s of [...ss, ...ss.map(x => ({...x, replay: true}))]) {
				const rows = modeBindings(s);
				const keys = rows.flatMap(b => (b.keys === 'other' ? [] : b.keys));
				expect(keys.filter((k, i) => keys.indexOf(k) !== i), `${mode} ${sortScope(s)}`).toEqual([]);
				expect(rows.filter(b => b.keys === 'other').length).toBeLessThanOrEqual(1);
			}
		}
	});

	it('types command keys into the prompts', () => {
		for (const s of [...states.filter, ...states.selector]) {
			for (const k of ['q', 'j', 'k', 'g', 'G', 'space', '?', ':', 'p', 'm', 'r']) expect(resolve(k, s), k).toBe('type');
		}
	});

	it('needs no Shift+arrow and no function key', () => {
		for (const b of bindings) for (const k of b.keys === 'other' ? [] : b.keys) expect(k).not.toMatch(/^(f\d+|shift\+)/);
	});

	it('resolves letters to the sort of the current list, and names Ink keys', () => {
		const s = initialState();
		expect(resolve('m', s)).toBe('sort:workingSet');
		expect(resolve('b', s)).toBeNull();
		expect(resolve('b', reducer(s, {type: 'view', view: 'workloads'}))).toBe('groupBy');
		expect(resolve('b', reducer(s, {type: 'view', view: 'nodes'}))).toBe('sort:allocatable');
		expect(resolve('m', detail)).toBeNull();
		expect(resolve('j', s)).toBe('down');
		expect(resolve('return', s)).toBe('open');
		expect(keyName('', {...noKey, upArrow: true})).toBe('up');
		expect(keyName('', {...noKey, delete: true})).toBe('backspace');
		expect(keyName('b', {...noKey, ctrl: true})).toBe('ctrl+b');
		expect(keyName(' ', noKey)).toBe('space');
		expect(sortTables.pods.map(d => d.key)).toContain('o');
	});

	it('the footer comes from the same table, most important first, in every mode', () => {
		const items = footerItems(initialState());
		expect(items[0]!.label === 'help' || items[0]!.label === 'quit').toBe(true);
		const labels = items.map(i => i.label);
		for (const l of ['open', 'back', 'filter', 'sort', 'reverse', 'ns', 'labels']) expect(labels).toContain(l);
		for (const i of items) expect(bindings.some(b => b.footer === i.label) || i.label === 'sort').toBe(true);
		const footer = (s: UiState) => footerItems(s).map(i => `${i.keys} ${i.label}`);
		expect(footer(states.filter[0]!)).toEqual(['Enter keep', 'Esc clear', '↓ move']);
		expect(footer(states.help[0]!)).toEqual(['other keys close', '↓/j move']);
		expect(footer(states.namespace[0]!)).toEqual(['Enter pick', 'Esc/q/: cancel', '↓/j move']);
		expect(footer(states.selector[0]!)).toEqual(['Enter apply', 'Esc cancel']);
	});

	it('? lists the keys of the screen and of every prompt and overlay, each row once', () => {
		const inOverlays = (b: Binding) => b.modes.some(m => m !== 'list' && m !== 'detail');
		for (const s of screens) {
			const listed = activeBindings(s);
			expect(new Set(listed).size).toBe(listed.length);
			for (const b of [...modeBindings(s), ...bindings.filter(inOverlays)]) expect(listed).toContain(b);
		}
	});
});
