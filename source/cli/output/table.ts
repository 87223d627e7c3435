/**
 * `--once` tables (`-o table`, `-o wide`): aligned columns two spaces apart, by terminal cells.
 * `-o table` fits the terminal (COLUMNS, else the terminal's width; no limit into a pipe): columns
 * go by the priority the TUI uses (view/columns.ts), lowest first, after a message column was cut
 * as far as it may be. Before the header row: the warnings (`!`), then the scope and why (`#`).
 */
import {shownLine} from '../../kube/sanitize.js';
import {formatDuration} from '../../memory/quantity.js';
import {cellWidth, narrowLines, truncate} from '../../ui/text.js';
import {scopeWords, type Status, type ViewModel} from '../../view/index.js';
import type {View} from '../flags.js';
import {eventColumns, nodeColumns, podColumns, workloadColumns, type OnceColumn, type OnceCtx} from './columns.js';
import {workloadRows} from './json.js';
import {wideExtras, widen} from './wide.js';

/** the table with the width in cells of each cell given by `width(row, column)` (plain loops: 10,000 rows × 12 cells at every --once) */
function layout(rows: string[][], right: ReadonlySet<number>, width: (j: number, i: number) => number): string {
	const widths: number[] = [];
	for (let j = 0; j < rows.length; j++) {
		const r = rows[j]!;
		for (let i = 0; i < r.length; i++) {
			const w = width(j, i);
			if (!(w <= widths[i]!)) widths[i] = w;
		}
	}

	const spaces = ' '.repeat(Math.max(0, ...widths));
	const lines: string[] = Array.from({length: rows.length});
	for (let j = 0; j < rows.length; j++) {
		const r = rows[j]!;
		let line = '';
		for (let i = 0; i < r.length; i++) {
			const cell = r[i]!;
			const n = widths[i]! - width(j, i);
			const padded = n <= 0 ? cell : right.has(i) ? spaces.slice(0, n) + cell : cell + spaces.slice(0, n);
			line = i === 0 ? padded : `${line}  ${padded}`;
		}

		lines[j] = line.trimEnd();
	}

	return lines.join('\n');
}

/**
 * Rows as aligned columns, two spaces apart, by terminal cells (CJK and emoji are two); `right`
 * holds the indices of right-aligned columns. Laid out by length first, which is right when every
 * character is narrow (one check of the result): measuring 2M cells at 150k pods costs more than
 * the rest of the table.
 */
export function table(rows: string[][], right: ReadonlySet<number> = new Set()): string {
	const text = layout(rows, right, (j, i) => rows[j]![i]!.length);
	if (narrowLines.test(text)) return text;
	const cells = rows.map(r => r.map(cellWidth));
	return layout(rows, right, (j, i) => cells[j]![i]!);
}

/**
 * Which columns fit `limit` cells (two between columns): the lowest priority goes first, the
 * earliest of equals, as the TUI's placeColumns drops them; before any goes, a column that may be
 * cut (`shrink`) gives up what is needed down to its minimum. Widths of the kept columns back.
 */
export function fitColumns(widths: readonly number[], priorities: readonly number[], shrink: ReadonlyArray<number | undefined>, limit: number): Map<number, number> {
	const kept = new Map(widths.map((w, i) => [i, w]));
	const total = () => [...kept.values()].reduce((a, b) => a + b, 0) + 2 * Math.max(0, kept.size - 1);
	while (kept.size > 1 && total() > limit) {
		const over = total() - limit;
		const cut = [...kept.keys()].find(i => shrink[i] !== undefined && kept.get(i)! - over >= shrink[i]!);
		if (cut !== undefined) {
			kept.set(cut, kept.get(cut)! - over);
			break;
		}

		let drop = -1;
		for (const i of kept.keys()) if (drop < 0 || priorities[i]! < priorities[drop]!) drop = i;
		kept.delete(drop);
	}

	return kept;
}

export interface TableOptions {
	/** -o wide: every column, and the wide ones */
	wide?: boolean;
	/** the width to fit (-o table); undefined: no limit */
	width?: number;
}

export interface TableParts {
	/** the scope line and the warnings, for above the table (or stderr with --no-headers) */
	notes: string[];
	header: string;
	rows: string[];
}

function cells<R>(columns: Array<OnceColumn<R>>, items: readonly R[], options: TableOptions): TableParts & {notes: []} {
	const grid = [columns.map(c => c.title), ...items.map(r => columns.map(c => c.cell(r)))];
	let keep = columns.map((_, i) => i);
	let cut = new Map<number, number>();
	if (!options.wide && options.width !== undefined) {
		const widths = columns.map((_, i) => grid.reduce((w, row) => Math.max(w, cellWidth(row[i]!)), 0));
		const fitted = fitColumns(widths, columns.map(c => c.priority), columns.map(c => c.shrink), options.width);
		keep = keep.filter(i => fitted.has(i));
		cut = new Map([...fitted].filter(([i, w]) => w < widths[i]!));
	}

	const right = new Set(keep.flatMap((i, k) => (columns[i]!.right ? [k] : [])));
	const shown = grid.map(row => keep.map(i => (cut.has(i) ? truncate(row[i]!, cut.get(i)!) : row[i]!)));
	const lines = table(shown, right).split('\n');
	return {notes: [], header: lines[0]!, rows: lines.slice(1)};
}

/** the scope in a line: "# namespace shop (the context's) · -l app=web" */
function scopeLine(st: Status): string {
	const c = st.connection;
	if (!c) return '# not connected';
	const parts = [scopeWords(c.namespace, c.namespaceFrom)];
	if (c.selector) parts.push(`-l ${c.selector}`);
	if (c.fieldSelector) parts.push(`--field-selector ${c.fieldSelector}`);
	return `# ${parts.join(' · ')}`;
}

function notes(st: Status): string[] {
	// a banner is one line, whatever its text holds
	const lines = st.banners.map(b => `! ${shownLine(b.text)}`);
	if (st.stale && st.metricsAgeMs !== null) lines.push(`! metrics are ${formatDuration(st.metricsAgeMs)} old: working sets marked ~ are last-known values`);
	// the scope last, right above the header row it goes with
	lines.push(shownLine(scopeLine(st)));
	return lines;
}

export function snapshotTableParts(vm: ViewModel, view: View, now: number, options: TableOptions = {}): TableParts {
	const st = vm.status(now);
	const ctx: OnceCtx = {vm, st, now};
	let parts: TableParts;
	if (view === 'nodes') parts = cells(options.wide ? widen(nodeColumns(ctx), wideExtras.nodes()) : nodeColumns(ctx), vm.allNodes(), options);
	else if (view === 'events') parts = cells(eventColumns(), vm.feed(), options);
	else if (view === 'workloads') parts = cells(options.wide ? widen(workloadColumns(ctx), wideExtras.workloads()) : workloadColumns(ctx), workloadRows(vm), options);
	else parts = cells(options.wide ? widen(podColumns(ctx), wideExtras.pods(ctx)) : podColumns(ctx), vm.allPods(), options);
	return {...parts, notes: notes(st)};
}

/** the whole table as text: notes, header row, rows */
export function snapshotTable(vm: ViewModel, view: View, now: number, options: TableOptions = {}): string {
	const p = snapshotTableParts(vm, view, now, options);
	return [...p.notes, p.header, ...p.rows].join('\n') + '\n';
}
