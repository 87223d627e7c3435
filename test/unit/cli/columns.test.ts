/**
 * One priority table for the TUI's columns and the --once tables' (view/columns.ts): both read it,
 * so a narrow terminal and COLUMNS=80 give up the same columns first; the fitting itself; the
 * config's thresholds move the levels the screens colour by.
 */
import {afterEach, describe, expect, it} from 'vitest';
import {fitColumns, snapshotTableParts} from '../../../source/cli/output.js';
import {eventColumns, nodeColumns, podColumns, workloadColumns} from '../../../source/cli/output/columns.js';
import {setThresholds, thresholds, usageLevel, warnPercent, critPercent} from '../../../source/memory/percent.js';
import {initialState} from '../../../source/ui/state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {podColumns as tuiPodColumns} from '../../../source/ui/screen/pods.js';
import {columnPriority} from '../../../source/view/columns.js';
import {ViewModel} from '../../../source/view/index.js';
import {demoStore, now} from '../ui/fixture.js';

afterEach(() => setThresholds({warn: warnPercent, crit: critPercent}));

describe('column priorities', () => {
	const store = demoStore();
	store.flush();
	const vm = new ViewModel(store);
	const st = vm.status(now);

	it('the TUI pods table and the --once tables take every priority from the one table', () => {
		const ctx = {vm, status: st, state: initialState('pods'), width: 200, now, theme: makeTheme('none')};
		for (const c of tuiPodColumns(ctx, {width: 12})) expect(c.priority, `TUI ${c.id}`).toBe(columnPriority.pods[c.id as keyof typeof columnPriority.pods]);
		const once = {vm, st, now};
		const tables = [
			[podColumns(once), columnPriority.pods],
			[nodeColumns(once), columnPriority.nodes],
			[workloadColumns(once), columnPriority.workloads],
			[eventColumns(), columnPriority.events],
		] as const;
		for (const [cols, table] of tables) for (const c of cols) expect(c.priority, `--once ${c.id}`).toBe((table as Record<string, number>)[c.id]);
	});

	it('fitColumns drops the lowest priority first (the earliest of equals), after cutting what may be cut', () => {
		// widths 10 + 2 + 10 + 2 + 10 = 34
		expect([...fitColumns([10, 10, 10], [5, 1, 1], [undefined, undefined, undefined], 34).keys()]).toEqual([0, 1, 2]);
		expect([...fitColumns([10, 10, 10], [5, 1, 1], [undefined, undefined, undefined], 30).keys()]).toEqual([0, 2]);
		expect([...fitColumns([10, 10, 10], [5, 1, 1], [undefined, undefined, undefined], 10).keys()]).toEqual([0]);
		// the third may be cut to 4: 34 - 30 = 4 cells taken from it, nothing dropped
		expect([...fitColumns([10, 10, 10], [5, 1, 1], [undefined, undefined, 4], 30)]).toEqual([[0, 10], [1, 10], [2, 6]]);
	});

	it('a narrow --once table keeps the columns a narrow TUI keeps, in the same order of giving up', () => {
		const wide = snapshotTableParts(vm, 'pods', now).header;
		const narrow = snapshotTableParts(vm, 'pods', now, {width: 60}).header;
		const titles = (h: string) => h.split(/\s{2,}/).map(t => t.trim());
		const kept = titles(narrow);
		const dropped = titles(wide).filter(t => !kept.includes(t));
		const id = new Map(podColumns({vm, st, now}).map(c => [c.title, c.id]));
		const p = (t: string) => columnPriority.pods[id.get(t) as keyof typeof columnPriority.pods];
		expect(dropped.length).toBeGreaterThan(0);
		for (const d of dropped) for (const k of kept) expect(p(d), `${d} dropped, ${k} kept`).toBeLessThanOrEqual(p(k));
	});
});

describe('thresholds', () => {
	it('are the config file\'s once set: usage levels move with them', () => {
		expect(usageLevel(80)).toBe('ok');
		setThresholds({warn: 70, crit: 90});
		expect(thresholds()).toEqual({warn: 70, crit: 90});
		expect(usageLevel(80)).toBe('warn');
		expect(usageLevel(91)).toBe('crit');
	});
});
