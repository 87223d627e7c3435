/**
 * Colours. Only the 16 basic ANSI colours are used (they survive every terminal, tmux and
 * `screen-256color` alike); with NO_COLOR (or TERM=dumb) none at all, and levels stay readable
 * through text (percentages, flags) and the selection through reverse video.
 */
import type {Level} from '../memory/percent.js';

export type ColorMode = 'none' | 'basic';

export function detectColorMode(env: NodeJS.ProcessEnv = process.env): ColorMode {
	if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 'none';
	if (env['TERM'] === 'dumb') return 'none';
	return 'basic';
}

/** one run of text with its style */
export interface Seg {
	text: string;
	color?: string | undefined;
	bold?: boolean;
	dim?: boolean;
	/** keep as is inside the selection bar (sparklines stay readable) */
	keep?: boolean;
}

export interface Theme {
	mode: ColorMode;
	/** colour of a level (undefined: default colour) */
	level(l: Level | 'info'): string | undefined;
	accent: string | undefined;
	muted: string | undefined;
	/** chart series colours as ANSI sequences for asciichart (empty without colour) */
	chartColors: string[];
	requestColor: string | undefined;
	limitColor: string | undefined;
	/** the same colours by name, for the legend */
	chartColorNames: string[];
	requestColorName: string | undefined;
	limitColorName: string | undefined;
}

const ansi = {red: '\u001b[31m', yellow: '\u001b[33m', green: '\u001b[32m', cyan: '\u001b[36m', magenta: '\u001b[35m', blue: '\u001b[34m'};

export function makeTheme(mode: ColorMode): Theme {
	if (mode === 'none') {
		return {
			mode,
			level: () => undefined,
			accent: undefined,
			muted: undefined,
			chartColors: [],
			requestColor: undefined,
			limitColor: undefined,
			chartColorNames: [],
			requestColorName: undefined,
			limitColorName: undefined,
		};
	}

	return {
		mode,
		level: l => (l === 'crit' ? 'red' : l === 'warn' ? 'yellow' : undefined),
		accent: 'cyan',
		muted: 'gray',
		chartColors: [ansi.cyan, ansi.green, ansi.magenta, ansi.blue],
		requestColor: ansi.yellow,
		limitColor: ansi.red,
		chartColorNames: ['cyan', 'green', 'magenta', 'blue'],
		requestColorName: 'yellow',
		limitColorName: 'red',
	};
}
