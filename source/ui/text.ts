/**
 * Text in terminal cells: width of a string, cutting with an ellipsis, padding, sparklines.
 * Widths are string-width's, by grapheme (the library Ink measures with): wide CJK and emoji are
 * two cells, a ZWJ family one emoji, combining marks none. Strings from the cluster are already
 * escaped (kube/sanitize.ts): nothing in them steers the terminal.
 */
import stringWidth from 'string-width';

/**
 * ASCII and the narrow symbols memtop draws with (ellipsis, guillemets, arrows, box drawing,
 * blocks, shapes but the two wide squares U+25FD/U+25FE): one cell each, a length check.
 */
const narrowSet = String.raw`\u0020-\u007e\u00b7\u2026\u2039\u203a\u2190-\u21ff\u2500-\u25fc`;
export const narrow = new RegExp(`^[${narrowSet}]*$`);
/** `narrow`, for lines of text */
export const narrowLines = new RegExp(`^[${narrowSet}\\n]*$`);

const graphemes = new Intl.Segmenter();

/** cells a string takes in the terminal */
export function cellWidth(s: string): number {
	return narrow.test(s) ? s.length : stringWidth(s);
}

/** cut to at most `width` cells, between graphemes, ending with "…" when cut */
export function truncate(s: string, width: number): string {
	if (width <= 0) return '';
	if (narrow.test(s)) return s.length <= width ? s : width === 1 ? '…' : s.slice(0, width - 1) + '…';
	if (stringWidth(s) <= width) return s;
	let out = '';
	let w = 0;
	for (const {segment} of graphemes.segment(s)) {
		const c = stringWidth(segment);
		if (w + c > width - 1) break;
		out += segment;
		w += c;
	}

	return out + '…';
}

/** `s` in lines of at most `width` cells, cut between graphemes */
export function wrap(s: string, width: number): string[] {
	const lines: string[] = [];
	if (narrow.test(s)) {
		for (let i = 0; i < s.length; i += width) lines.push(s.slice(i, i + width));
		return lines;
	}

	let line = '';
	let w = 0;
	for (const {segment} of graphemes.segment(s)) {
		const c = stringWidth(segment);
		if (w + c > width && line !== '') {
			lines.push(line);
			line = '';
			w = 0;
		}

		line += segment;
		w += c;
	}

	if (line !== '') lines.push(line);
	return lines;
}

/** exactly `width` cells: cut with "…" or padded with spaces (left- or right-aligned) */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const t = truncate(s, width);
	const pad = width - cellWidth(t);
	if (pad <= 0) return t;
	return align === 'left' ? t + ' '.repeat(pad) : ' '.repeat(pad) + t;
}

const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One block character per value (▁…█), scaled against `scale` (the limit, or the largest value
 * seen); a missing value (NaN) is a space. Values above the scale are a full block.
 */
export function sparkline(values: ArrayLike<number>, scale: number): string {
	let out = '';
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		if (!Number.isFinite(v) || !(scale > 0)) {
			out += ' ';
			continue;
		}

		const level = Math.min(7, Math.max(0, Math.ceil((v / scale) * 8) - 1));
		out += blocks[level];
	}

	return out;
}

/** largest finite value (NaN when none) */
export function maxFinite(values: ArrayLike<number>): number {
	let m = Number.NaN;
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		if (Number.isFinite(v) && !(v <= m)) m = v;
	}

	return m;
}

