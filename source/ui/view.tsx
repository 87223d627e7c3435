/**
 * Prints the lines of a frame. Rendering only: every decision was made in `screen/`.
 *
 * Each line becomes pre-styled text (SGR sequences for the 16 basic colours, bold, reverse video;
 * none of them when the theme has no colour except reverse video for the selection). Ink measures
 * text with a fast path for ASCII and a slow one (grapheme segmentation) for anything else, so a
 * line is split into runs: ASCII runs, and runs holding sparklines, box drawing and the like.
 *
 * The last line of defence: a segment that is not plain ASCII is escaped (kube/sanitize.ts) before
 * it is printed, keeping only the chart's own colours, in case text from outside slipped past the
 * door. Strings from the cluster arrive escaped already, so this changes nothing on a good day.
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import {shownStyled} from '../kube/sanitize.js';
import type {Line} from './screen/common.js';
import {narrow} from './text.js';
import type {Seg} from './theme.js';

const fg: Record<string, number> = {black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90, grey: 90};
const ascii = /^[\u0020-\u007e]*$/;
const unitPattern = /((?:\u001b\[[0-9;]*m)*)([^\u001b]|$)((?:\u001b\[(?:0|39|22|27)m)*)/gsu;

function styled(s: Seg, selected: boolean): string {
	const on: number[] = [];
	if (selected && !s.keep) on.push(7);
	if (s.bold) on.push(1);
	if (s.dim) on.push(2);
	const c = s.color === undefined ? undefined : fg[s.color];
	if (c !== undefined) on.push(c);
	if (on.length === 0) return s.text;
	return `\u001b[${on.join(';')}m${s.text}\u001b[0m`;
}

/** the line as runs of text, each either all-ASCII or not */
export function lineRuns(line: Line): string[] {
	const selected = line.selected === true;
	const runs: string[] = [];
	let segs = line.segs;
	if (!selected) {
		// Trailing blanks cost Ink work and show nothing (the selection bar keeps them).
		segs = [...segs];
		while (segs.length > 0 && segs[segs.length - 1]!.text.trim() === '') segs.pop();
		if (segs.length > 0) {
			const last = segs[segs.length - 1]!;
			segs[segs.length - 1] = {...last, text: last.text.trimEnd()};
		}
	}

	let current = '';
	let currentAscii = true;
	let empty = true;
	for (const seg of segs) {
		if (seg.text === '') continue;
		// split the segment itself at ASCII / non-ASCII boundaries (spaces go with either side)
		let piece = '';
		let pieceAscii = true;
		const flush = () => {
			if (piece === '') return;
			const text = styled({...seg, text: piece}, selected);
			if (empty || currentAscii === pieceAscii) {
				current += text;
				currentAscii = empty ? pieceAscii : currentAscii;
			} else {
				runs.push(current);
				current = text;
				currentAscii = pieceAscii;
			}

			empty = false;
			piece = '';
		};

		if (ascii.test(seg.text)) {
			piece = seg.text;
			pieceAscii = true;
			flush();
			continue;
		}

		// Units: a visible character with the SGR sequences that style it (asciichart colours each
		// character on its own), so a colour never ends up in a run apart from its character.
		for (const m of shownStyled(seg.text).matchAll(unitPattern)) {
			const unit = m[0];
			const ch = m[2] ?? '';
			if (ch === '') {
				piece += unit; // trailing sequences
				continue;
			}

			const isAscii = ch.charCodeAt(0) < 0x7f;
			if (ch === ' ' || piece === '' || isAscii === pieceAscii) {
				if (piece === '' && ch !== ' ') pieceAscii = isAscii;
				piece += unit;
				continue;
			}

			flush();
			piece = unit;
			pieceAscii = isAscii;
		}

		flush();
	}

	if (!empty) runs.push(current);
	return runs;
}

const sgr = /\u001b\[[0-9;]*m/g;

/**
 * Whether Ink must clip the line to the width. The screens build lines that fit; clipping costs Ink
 * a second pass over every character of the line, so it is kept only for a line that may not fit
 * or holds characters whose width Ink might count differently.
 */
function needsClip(runs: string[], width: number): boolean {
	let w = 0;
	for (const r of runs) {
		const visible = r.includes('\u001b') ? r.replace(sgr, '') : r;
		if (!narrow.test(visible)) return true;
		w += visible.length;
	}

	return w > width;
}

/** one line's runs, and whether Ink must clip them (see needsClip) */
interface Printed {
	runs: string[];
	clip: boolean;
}

function sameRuns(a: {p: Printed}, b: {p: Printed}): boolean {
	if (a.p.clip !== b.p.clip || a.p.runs.length !== b.p.runs.length) return false;
	for (let i = 0; i < a.p.runs.length; i++) if (a.p.runs[i] !== b.p.runs[i]) return false;
	return true;
}

/**
 * A line, re-rendered only when its text changed: a frame after a key or new data mostly moves a
 * few lines, and an unchanged line then costs React and Ink's layout nothing (its Yoga node stays
 * clean). Ink still prints every line into its frame.
 */
const LineView = memo(function LineView({p}: {p: Printed}) {
	const {runs} = p;
	if (runs.length === 0) return <Text> </Text>;
	if (runs.length === 1) return <Text wrap="truncate-end">{runs[0]}</Text>;
	return (
		<Box height={1} flexDirection="row" overflow={p.clip ? 'hidden' : 'visible'}>
			{runs.map((r, i) => (
				<Text key={i} wrap="truncate-end">
					{r}
				</Text>
			))}
		</Box>
	);
}, sameRuns);

export function ScreenView({lines, width, height}: {lines: Line[]; width: number; height: number}) {
	return (
		<Box flexDirection="column" width={width} height={height}>
			{lines.map((line, i) => {
				const runs = lineRuns(line);
				return <LineView key={i} p={{runs, clip: runs.length > 1 && needsClip(runs, width)}} />;
			})}
		</Box>
	);
}
