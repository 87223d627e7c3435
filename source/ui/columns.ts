/**
 * Table columns that adapt to the terminal width: columns are dropped by priority until the
 * minimum widths fit, then the spare cells go to the flexible columns (names, sparklines).
 */
import type {Seg} from './theme.js';
import {fit} from './text.js';

export interface Column<R> {
	id: string;
	title: string;
	/** preferred (and minimum for non-flex) width */
	width: number;
	/** flexible columns grow up to `max` and shrink down to `min` */
	flex?: number;
	min?: number;
	max?: number;
	align: 'left' | 'right';
	/** higher stays longer when the terminal is narrow */
	priority: number;
	/** sort id this column sorts by (the header shows the sort arrow there) */
	sort?: string;
	cell(row: R): Seg | string;
}

export interface Placed<R> {
	col: Column<R>;
	width: number;
}

/** one space between columns, `gutter` cells at the left */
export function placeColumns<R>(columns: ReadonlyArray<Column<R>>, width: number, gutter = 1): Array<Placed<R>> {
	let kept = [...columns];
	const need = (cols: Array<Column<R>>) => gutter + cols.reduce((s, c) => s + (c.flex ? (c.min ?? c.width) : c.width), 0) + Math.max(0, cols.length - 1);
	while (kept.length > 1 && need(kept) > width) {
		let drop = 0;
		for (let i = 1; i < kept.length; i++) if (kept[i]!.priority < kept[drop]!.priority) drop = i;
		kept.splice(drop, 1);
	}

	const placed = kept.map(col => ({col, width: col.flex ? (col.min ?? col.width) : col.width}));
	let spare = width - need(kept);
	// Grow flexible columns toward their preferred width first, then toward their max, by weight.
	for (const stage of ['preferred', 'max'] as const) {
		let progress = true;
		while (spare > 0 && progress) {
			progress = false;
			const growable = placed.filter(p => p.col.flex && p.width < (stage === 'preferred' ? p.col.width : (p.col.max ?? p.col.width)));
			const weight = growable.reduce((s, p) => s + p.col.flex!, 0);
			if (weight === 0) break;
			let given = 0;
			for (const p of growable) {
				const cap = stage === 'preferred' ? p.col.width : (p.col.max ?? p.col.width);
				const share = Math.max(1, Math.floor((spare * p.col.flex!) / weight));
				const add = Math.min(share, cap - p.width, spare - given);
				if (add > 0) {
					p.width += add;
					given += add;
					progress = true;
				}
			}

			spare -= given;
		}
	}

	// The last column takes what is left so rows span the width exactly.
	if (spare > 0 && placed.length > 0) {
		const last = placed[placed.length - 1]!;
		if (last.col.align === 'left' && !last.col.flex) last.width += spare;
	}

	return placed;
}

/** the segments of one row: gutter, then each cell fitted to its width */
export function rowSegments<R>(placed: ReadonlyArray<Placed<R>>, row: R, gutter: string): Seg[] {
	const segs: Seg[] = [{text: gutter}];
	for (let i = 0; i < placed.length; i++) {
		const p = placed[i]!;
		const c = p.col.cell(row);
		const seg = typeof c === 'string' ? {text: c} : c;
		if (i > 0) segs.push({text: ' '});
		segs.push({...seg, text: fit(seg.text, p.width, p.col.align)});
	}

	return segs;
}

/** header cells, with ↓/↑ on the sorted column */
export function headerSegments<R>(placed: ReadonlyArray<Placed<R>>, sort: {key: string; desc: boolean} | null, gutter: string): string {
	let out = gutter;
	for (let i = 0; i < placed.length; i++) {
		const p = placed[i]!;
		let title = p.col.title;
		if (sort && p.col.sort === sort.key) title = p.col.align === 'right' ? (sort.desc ? '↓' : '↑') + title : title + (sort.desc ? '↓' : '↑');
		out += (i > 0 ? ' ' : '') + fit(title, p.width, p.col.align);
	}

	return out;
}
