/** The pure parts of the UI: reducer, text cells, columns, chart, line runs. */
import {describe, expect, it} from 'vitest';
import {renderChart, resample} from '../../../source/ui/chart.js';
import {placeColumns, type Column} from '../../../source/ui/columns.js';
import {initialState, listId, move, reducer, scrollTop} from '../../../source/ui/state.js';
import {cellWidth, fit, sparkline, truncate} from '../../../source/ui/text.js';
import {lineRuns} from '../../../source/ui/view.js';

describe('reducer', () => {
	it('sorts biggest first on a new key, reverses on the same key or r, and starts at the top', () => {
		let s = initialState();
		s = reducer(s, {type: 'select', list: 'pods', key: 'a/b', index: 7, top: 3});
		s = reducer(s, {type: 'sort', scope: 'pods', key: 'pctLimit'});
		expect(s.sorts.pods).toEqual({key: 'pctLimit', desc: true});
		expect(s.lists['pods']).toEqual({key: null, index: 0, top: 0});
		s = reducer(s, {type: 'sort', scope: 'pods', key: 'pctLimit'});
		expect(s.sorts.pods.desc).toBe(false);
		s = reducer(s, {type: 'reverse'});
		expect(s.sorts.pods.desc).toBe(true);
		s = reducer(s, {type: 'sort', scope: 'pods', key: 'name'});
		expect(s.sorts.pods).toEqual({key: 'name', desc: false}); // text: A→Z first
	});

	it('keeps a filter per list and a drill-down stack', () => {
		let s = initialState();
		s = reducer(s, {type: 'filterStart'});
		s = reducer(s, {type: 'filterInput', text: 'we'});
		s = reducer(s, {type: 'filterInput', text: 'b'});
		expect(s.filters['pods']).toBe('web');
		s = reducer(s, {type: 'filterBackspace'});
		expect(s.filters['pods']).toBe('we');
		s = reducer(s, {type: 'filterDone'});
		s = reducer(s, {type: 'push', frame: {kind: 'node', name: 'n1'}});
		expect(listId(s)).toBe('node:n1');
		expect(s.filters['node:n1'] ?? '').toBe('');
		s = reducer(s, {type: 'push', frame: {kind: 'pod', key: 'a/b', container: null}});
		s = reducer(s, {type: 'focusContainer', container: 'app'});
		expect(s.stack.at(-1)).toEqual({kind: 'pod', key: 'a/b', container: 'app'});
		s = reducer(s, {type: 'back'});
		s = reducer(s, {type: 'back'});
		expect(listId(s)).toBe('pods');
		expect(s.filters['pods']).toBe('we');
		s = reducer(s, {type: 'view', view: 'nodes'});
		expect(listId(s)).toBe('nodes');
		s = reducer(s, {type: 'nextView'});
		s = reducer(s, {type: 'nextView'});
		s = reducer(s, {type: 'nextView'});
		expect(s.view).toBe('pods');
	});

	it('cycles the chart window and the workload grouping', () => {
		let s = initialState();
		expect(s.chartWindow).toBe(900_000);
		s = reducer(s, {type: 'chartWindow'});
		expect(s.chartWindow).toBe(3_600_000);
		s = reducer(s, {type: 'chartWindow'});
		expect(s.chartWindow).toBe(300_000);
		s = reducer(s, {type: 'groupBy'});
		expect(s.groupBy).toBe('namespace');
	});

	it('moves within bounds and scrolls just enough', () => {
		expect(move(0, 0, 100, 10, -1)).toEqual({index: 0, top: 0});
		expect(move(9, 0, 100, 10, 1)).toEqual({index: 10, top: 1});
		expect(move(50, 45, 100, 10, 'bottom')).toEqual({index: 99, top: 90});
		expect(move(99, 90, 100, 10, 'top')).toEqual({index: 0, top: 0});
		expect(move(5, 0, 100, 10, 10)).toEqual({index: 15, top: 6});
		expect(move(0, 0, 0, 10, 1)).toEqual({index: 0, top: 0});
		expect(scrollTop(3, 50, 100, 10)).toBe(3);
		expect(scrollTop(5, 0, 8, 10)).toBe(0);
	});
});

describe('text cells', () => {
	it('cuts with an ellipsis, never wider than asked, wide characters counted twice', () => {
		expect(truncate('kube-system', 8)).toBe('kube-sy…');
		expect(fit('abc', 5)).toBe('abc  ');
		expect(fit('abc', 5, 'right')).toBe('  abc');
		expect(fit('abcdef', 4)).toBe('abc…');
		expect(cellWidth('日本')).toBe(4);
		expect(cellWidth(truncate('日本語の名前', 7))).toBeLessThanOrEqual(7);
		expect(truncate('x', 0)).toBe('');
	});

	it('draws sparklines against a scale, blanks for missing samples', () => {
		expect(sparkline([0, 25, 50, 100, Number.NaN, 200], 100)).toBe('▁▂▄█ █');
		expect(sparkline([1, 2], 0)).toBe('  ');
	});
});

describe('columns', () => {
	const col = (id: string, width: number, priority: number, flex?: number): Column<string> => ({id, title: id, width, priority, align: 'left', cell: r => r, ...(flex ? {flex, min: 4, max: 40} : {})});

	it('drops the least important columns first and fills the width exactly', () => {
		const cols = [col('name', 20, 10, 1), col('a', 10, 5), col('b', 10, 1), col('c', 10, 8)];
		const wide = placeColumns(cols, 80);
		expect(wide.map(p => p.col.id)).toEqual(['name', 'a', 'b', 'c']);
		expect(1 + wide.reduce((n, p) => n + p.width, 0) + wide.length - 1).toBe(80);
		const narrow = placeColumns(cols, 25);
		expect(narrow.map(p => p.col.id)).toEqual(['name', 'c']);
		expect(1 + narrow.reduce((n, p) => n + p.width, 0) + 1).toBeLessThanOrEqual(25);
	});
});

describe('chart', () => {
	const t0 = 1_000_000;
	const times = Array.from({length: 20}, (_, i) => t0 + i * 15_000);
	it('is exactly the rows asked for, with a time axis, never wider than the width', () => {
		const lines = renderChart({series: [{name: 'a', times, values: times.map((_, i) => 100 + i)}], refs: [{label: 'limit', value: 200}], windowMs: 300_000, now: times.at(-1)!, width: 60, rows: 8, colors: []});
		expect(lines.length).toBe(8);
		for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(60);
		expect(lines.at(-1)).toMatch(/^ +-4m.*now$/);
		expect(lines[0]).toMatch(/^ +200 ┼─+$/); // the limit line is the top row
	});

	it('says so when the window has no samples', () => {
		const lines = renderChart({series: [{name: 'a', times: [1], values: [5]}], refs: [], windowMs: 300_000, now: 10_000_000, width: 50, rows: 5, colors: []});
		expect(lines.join('\n')).toContain('no working-set samples in the last 5m');
		expect(lines.length).toBe(5);
	});

	it('resamples by bucket maxima so a spike between columns is not lost', () => {
		const r = resample([0, 10, 20, 30, 40], [1, 1, 9, 1, 1], 0, 40, 3)!;
		expect(Math.max(...r)).toBe(9);
	});
});

describe('line runs', () => {
	it('keeps ASCII apart from sparklines and box drawing, and keeps colours with their characters', () => {
		const runs = lineRuns({segs: [{text: 'web-1  12Mi '}, {text: '▁▂▃', color: 'red'}, {text: ' ok'}]});
		expect(runs).toEqual(['web-1  12Mi ', '\u001b[31m▁▂▃\u001b[0m', ' ok']);
		const chart = lineRuns({segs: [{text: ' 512Mi \u001b[36m┼\u001b[0m\u001b[36m─\u001b[0m'}]});
		expect(chart).toEqual([' 512Mi ', '\u001b[36m┼\u001b[0m\u001b[36m─\u001b[0m']);
	});

	it('drops trailing blanks except on the selected line', () => {
		expect(lineRuns({segs: [{text: 'abc   '}, {text: '   '}]})).toEqual(['abc']);
		expect(lineRuns({segs: [{text: 'abc   '}], selected: true})).toEqual(['\u001b[7mabc   \u001b[0m']);
	});
});
