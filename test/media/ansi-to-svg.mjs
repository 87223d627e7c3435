#!/usr/bin/env node
/**
 * Render a terminal screen captured with `tmux capture-pane -p -e` (text with SGR sequences) as
 * an SVG image of the same cells: each run of equally styled characters becomes a <text> held to
 * its exact cell width, backgrounds and reverse video become rectangles. rsvg-convert turns the
 * SVG into a PNG. No screen is drawn by hand: the input is what the program wrote.
 *
 * usage: ansi-to-svg.mjs <capture.ansi> <out.svg> <columns> <rows> [title]
 */
import {readFileSync, writeFileSync} from 'node:fs';

const [input, output, colsArg, rowsArg, title = ''] = process.argv.slice(2);
if (!input || !output || !colsArg || !rowsArg) {
	process.stderr.write('usage: ansi-to-svg.mjs <capture.ansi> <out.svg> <columns> <rows> [title]\n');
	process.exit(2);
}

const cols = Number(colsArg);
const rows = Number(rowsArg);
const fontSize = 14;
const cellW = 8.43; // DejaVu Sans Mono advance at 14px
const cellH = 18;
const pad = 12;
const titleH = title ? 28 : 0;

// xterm's default 16 colours, a dark theme
const palette = ['#1d1f21', '#cc342b', '#198844', '#c4a000', '#3971ed', '#a36ac7', '#3971ed', '#c5c8c6', '#969896', '#ff5f56', '#5af78e', '#f3f99d', '#57c7ff', '#ff6ac1', '#9aedfe', '#ffffff'];
palette[6] = '#06989a'; // cyan
palette[14] = '#34e2e2';
const defaultFg = '#d0d0d0';
const defaultBg = '#16181a';

function xterm256(n) {
	if (n < 16) return palette[n];
	if (n >= 232) {
		const v = 8 + (n - 232) * 10;
		return `rgb(${v},${v},${v})`;
	}

	const i = n - 16;
	const c = [Math.floor(i / 36), Math.floor(i / 6) % 6, i % 6].map(x => (x === 0 ? 0 : 55 + x * 40));
	return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function isWide(cp) {
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x1f300 && cp <= 0x1f64f);
}

/** parse one captured line into cells {ch, fg, bg, bold, dim, inverse} */
function parseLine(line) {
	const cells = [];
	let st = {fg: null, bg: null, bold: false, dim: false, inverse: false};
	const re = /\u001b\[([0-9;:]*)m|([^\u001b])/gu;
	for (const m of line.matchAll(re)) {
		if (m[2] !== undefined) {
			const cp = m[2].codePointAt(0);
			cells.push({ch: m[2], ...st});
			if (isWide(cp)) cells.push({ch: '', ...st});
			continue;
		}

		const params = (m[1] === '' ? '0' : m[1]).split(/[;:]/).map(Number);
		for (let i = 0; i < params.length; i++) {
			const p = params[i];
			if (p === 0) st = {fg: null, bg: null, bold: false, dim: false, inverse: false};
			else if (p === 1) st = {...st, bold: true};
			else if (p === 2) st = {...st, dim: true};
			else if (p === 22) st = {...st, bold: false, dim: false};
			else if (p === 7) st = {...st, inverse: true};
			else if (p === 27) st = {...st, inverse: false};
			else if (p >= 30 && p <= 37) st = {...st, fg: palette[p - 30]};
			else if (p >= 90 && p <= 97) st = {...st, fg: palette[p - 90 + 8]};
			else if (p === 39) st = {...st, fg: null};
			else if (p >= 40 && p <= 47) st = {...st, bg: palette[p - 40]};
			else if (p >= 100 && p <= 107) st = {...st, bg: palette[p - 100 + 8]};
			else if (p === 49) st = {...st, bg: null};
			else if ((p === 38 || p === 48) && params[i + 1] === 5) {
				st = {...st, [p === 38 ? 'fg' : 'bg']: xterm256(params[i + 2])};
				i += 2;
			} else if ((p === 38 || p === 48) && params[i + 1] === 2) {
				st = {...st, [p === 38 ? 'fg' : 'bg']: `rgb(${params[i + 2]},${params[i + 3]},${params[i + 4]})`};
				i += 4;
			}
		}
	}

	return cells;
}

const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const lines = readFileSync(input, 'utf8').replace(/\n$/, '').split('\n').slice(0, rows);
const width = Math.ceil(cols * cellW + pad * 2);
const height = Math.ceil(rows * cellH + pad * 2 + titleH);
const out = [
	`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
	`<rect width="100%" height="100%" rx="8" fill="${defaultBg}"/>`,
];
if (title) {
	out.push(`<circle cx="${pad + 6}" cy="${titleH / 2 + 2}" r="5" fill="#ff5f56"/><circle cx="${pad + 22}" cy="${titleH / 2 + 2}" r="5" fill="#ffbd2e"/><circle cx="${pad + 38}" cy="${titleH / 2 + 2}" r="5" fill="#27c93f"/>`);
	out.push(`<text x="${width / 2}" y="${titleH / 2 + 6}" fill="#8a8a8a" font-family="DejaVu Sans, sans-serif" font-size="12" text-anchor="middle">${esc(title)}</text>`);
}

lines.forEach((line, r) => {
	const cells = parseLine(line);
	const y = pad + titleH + r * cellH;
	let c = 0;
	while (c < cells.length) {
		const a = cells[c];
		let e = c + 1;
		while (e < cells.length && cells[e].fg === a.fg && cells[e].bg === a.bg && cells[e].bold === a.bold && cells[e].dim === a.dim && cells[e].inverse === a.inverse) e++;
		const fg = a.inverse ? (a.bg ?? defaultBg) : (a.fg ?? defaultFg);
		const bg = a.inverse ? (a.fg ?? defaultFg) : a.bg;
		const x = pad + c * cellW;
		const w = (e - c) * cellW;
		if (bg) out.push(`<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${cellH}" fill="${bg}"/>`);
		const text = cells.slice(c, e).map(x => x.ch).join('');
		if (text.trim() !== '') {
			// one <text> per cell keeps box drawing and blocks on the grid whatever the font does
			for (let i = c; i < e; i++) {
				const ch = cells[i].ch;
				if (ch === '' || ch === ' ') continue;
				const cx = pad + i * cellW;
				if (/[▁▂▃▄▅▆▇█]/.test(ch)) {
					// block elements drawn as rectangles: crisp at any font
					const level = '▁▂▃▄▅▆▇█'.indexOf(ch) + 1;
					const h = (cellH * level) / 8;
					out.push(`<rect x="${cx.toFixed(2)}" y="${(y + cellH - h).toFixed(2)}" width="${cellW.toFixed(2)}" height="${h.toFixed(2)}" fill="${fg}"/>`);
					continue;
				}

				out.push(
					`<text x="${cx.toFixed(2)}" y="${y + cellH - 5}" fill="${fg}" font-family="DejaVu Sans Mono, monospace" font-size="${fontSize}"${a.bold ? ' font-weight="bold"' : ''}${a.dim ? ' opacity="0.6"' : ''} textLength="${cellW.toFixed(2)}" lengthAdjust="spacingAndGlyphs" xml:space="preserve">${esc(ch)}</text>`,
				);
			}
		}

		c = e;
	}
});

out.push('</svg>');
writeFileSync(output, out.join('\n'));
