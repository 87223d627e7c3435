/**
 * Text in terminal cells: width of a string, cutting with an ellipsis, padding, sparklines.
 * Strings from the cluster are already free of control characters (the kube layer strips them).
 */

function isWide(cp: number): boolean {
	// East Asian Wide/Fullwidth ranges and emoji: two cells.
	return (
		(cp >= 0x1100 && cp <= 0x115f) ||
		(cp >= 0x2e80 && cp <= 0x303e) ||
		(cp >= 0x3041 && cp <= 0x33ff) ||
		(cp >= 0x3400 && cp <= 0x4dbf) ||
		(cp >= 0x4e00 && cp <= 0x9fff) ||
		(cp >= 0xa000 && cp <= 0xa4cf) ||
		(cp >= 0xac00 && cp <= 0xd7a3) ||
		(cp >= 0xf900 && cp <= 0xfaff) ||
		(cp >= 0xfe30 && cp <= 0xfe4f) ||
		(cp >= 0xff00 && cp <= 0xff60) ||
		(cp >= 0xffe0 && cp <= 0xffe6) ||
		(cp >= 0x1f300 && cp <= 0x1f64f) ||
		(cp >= 0x1f900 && cp <= 0x1f9ff) ||
		(cp >= 0x20000 && cp <= 0x3fffd)
	);
}

function isZeroWidth(cp: number): boolean {
	return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x20e3;
}

const ascii = /^[\u0020-\u007e]*$/;

function cp(ch: string): number {
	return ch.codePointAt(0) ?? 0;
}

/** cells a string takes in the terminal */
export function cellWidth(s: string): number {
	if (ascii.test(s)) return s.length;
	let w = 0;
	for (const ch of s) {
		const c = cp(ch);
		w += isZeroWidth(c) ? 0 : isWide(c) ? 2 : 1;
	}

	return w;
}

/** cut to at most `width` cells, ending with "…" when cut */
export function truncate(s: string, width: number): string {
	if (width <= 0) return '';
	if (ascii.test(s)) return s.length <= width ? s : width === 1 ? '…' : s.slice(0, width - 1) + '…';
	if (cellWidth(s) <= width) return s;
	let out = '';
	let w = 0;
	for (const ch of s) {
		const c = cellWidth(ch);
		if (w + c > width - 1) break;
		out += ch;
		w += c;
	}

	return out + '…';
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

