/**
 * The one sanitizer between text from outside (API server, aggregated APIs, kubelets, kubeconfig,
 * exec plugins) and a terminal. It escapes rather than strips: every code point that could steer
 * a terminal or hide from the reader becomes a visible escape, so `web-1`, `web\u200b-1` and
 * `web\x1b-1` stay three different names on screen.
 *
 *   - C0 controls, DEL, C1 controls: `\x1b`, `\x7f`, `\x9b` (tab, newline, CR: `\t`, `\n`, `\r`)
 *   - format characters (bidi overrides and isolates, zero-width), other default-ignorable code
 *     points, line and paragraph separators, lone surrogates, noncharacters: `\u202e`, `\u200b`,
 *     `\ud800`, `\u{e0041}`
 *   - kept: a zero-width joiner between two emoji (👨‍👩‍👧), VS15/VS16 (text/emoji presentation)
 *
 * At the door (`clean`: convert.ts, ApiError's reason and message, describe(), the connection's
 * kubeconfig names) the backslash itself is doubled too, so the escaped form stands for one string
 * only: `web\x1b-1` holds an ESC, `web\\x1b-1` a backslash and `x1b`. The sinks' last line of defence
 * (`shownLine`, `shownText`, `shownStyled`, `shownJson`) escapes what still could steer a terminal
 * and leaves backslashes alone. JSON keeps a pod's namespace and name as the server sent them
 * (the door's raw names); every other string there is the escaped one the screens show.
 */

const hidden = String.raw`\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\ufdd0-\ufdef\ufffe\uffff`;
const atDoor = new RegExp(String.raw`[\\${hidden}]`, 'gu');
const inLine = new RegExp(`[${hidden}]`, 'gu');
const inText = new RegExp(String.raw`(?!\n)[${hidden}]`, 'gu');
/** the colours and resets memtop's own chart segments carry (asciichart, theme.ts) */
const inStyled = new RegExp(String.raw`(?!\u001b\[(?:0|22|27|39|3[0-7]|9[0-7])m)[${hidden}]`, 'gu');

/**
 * `hidden` in the BMP as plain ranges, and every surrogate for the rest: a scan without Unicode
 * properties that tells the strings with nothing to escape (a test checks it covers `hidden`).
 */
const quick = String.raw`\u0000-\u001f\u007f-\u009f\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ud800-\udfff\ufdd0-\ufdef\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\ufffe\uffff`;
export const mayHide = new RegExp(`[${quick}]`);
const mayHideInText = new RegExp(`(?!\\n)[${quick}]`);
/** printable ASCII but the backslash: nothing to do at the door */
const plain = /^[\u0020-\u005b\u005d-\u007e]*$/;
const printableLines = /^[\u0020-\u007e\n]*$/;

const emojiBefore = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]$/u;
const emojiAfter = /^\p{Extended_Pictographic}/u;

function code(ch: string): string {
	if (ch === '\t') return '\\t';
	if (ch === '\n') return '\\n';
	if (ch === '\r') return '\\r';
	const c = ch.codePointAt(0)!;
	const hex = c.toString(16);
	return c < 0x100 ? `\\x${hex.padStart(2, '0')}` : c < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

function escapeMatch(ch: string, offset: number, s: string): string {
	if (ch === '\\') return '\\\\';
	if (ch === '\ufe0e' || ch === '\ufe0f') return ch;
	if (ch === '\u200d' && emojiBefore.test(s.slice(Math.max(0, offset - 2), offset)) && emojiAfter.test(s.slice(offset + 1, offset + 3))) return ch;
	return code(ch);
}

/** length of the unit of escaped text at `i`: an escape, a surrogate pair or one code unit */
function unitLength(s: string, i: number): number {
	const c = s.charCodeAt(i);
	if (c === 0x5c) {
		const kind = s[i + 1];
		return kind === 'x' ? 4 : kind === 'u' ? (s[i + 2] === '{' ? s.indexOf('}', i) - i + 1 : 6) : 2;
	}

	return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
}

/** at most `max` code units ending with "…", never inside an escape or a surrogate pair, no joiner left dangling */
function cut(s: string, max: number): string {
	let end = 0;
	while (end < s.length) {
		const next = end + unitLength(s, end);
		if (next > max - 1) break;
		end = next;
	}

	if (s[end - 1] === '\u200d') end--;
	return s.slice(0, end) + '…';
}

/** a string from outside, escaped and cut to `max` code units (a number becomes its digits; anything else is empty) */
export function clean(value: unknown, max = 256): string {
	if (typeof value !== 'string') {
		return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
	}

	if (plain.test(value)) return value.length > max ? value.slice(0, max - 1) + '…' : value;
	// each code unit escapes to one or more: the first max + 1 decide the cut
	const head = value.length > max + 1 ? value.slice(0, max + 1) : value;
	const s = mayHide.test(head) || head.includes('\\') ? head.replace(atDoor, escapeMatch) : head;
	return s.length > max ? cut(s, max) : s;
}

const shared = new Map<string, string>();

/**
 * `clean`, and one copy per distinct value: namespaces, node names, phases, reasons and container
 * names repeat across 150,000 pods, and JSON.parse makes a new string for every occurrence.
 */
export function cleanShared(value: unknown, max = 256): string {
	const s = clean(value, max);
	if (s.length > 64) return s;
	const known = shared.get(s);
	if (known !== undefined) return known;
	if (shared.size > 100_000) shared.clear();
	shared.set(s, s);
	return s;
}

/** one line for a terminal: newlines are escaped too */
export function shownLine(s: string): string {
	return mayHide.test(s) ? s.replace(inLine, escapeMatch) : s;
}

/** lines for a terminal (stderr, the `--once` table): newlines stay */
export function shownText(s: string): string {
	return printableLines.test(s) || !mayHideInText.test(s) ? s : s.replace(inText, escapeMatch);
}

/** a segment of the live screen: one line, memtop's own chart colours stay */
export function shownStyled(s: string): string {
	return mayHide.test(s) ? s.replace(inStyled, escapeMatch) : s;
}

function jsonEscape(ch: string): string {
	let out = '';
	for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
	return out;
}

/**
 * JSON text with every code point `hidden` holds written as a \u escape (JSON.stringify escapes
 * only C0 controls and lone surrogates): JSON.parse reads the same string back, a terminal shows
 * it inert.
 */
export function shownJson(text: string): string {
	return printableLines.test(text) || !mayHideInText.test(text) ? text : text.replace(inText, jsonEscape);
}
