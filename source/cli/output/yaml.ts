/**
 * `--once -o yaml`: the JSON output's value (json.ts, the same figures) as YAML, block style as
 * kubectl writes it. Strings that could read as something else (numbers, booleans, null, keys,
 * anything but plain letters, digits and . _ / -) are written JSON-quoted, which YAML reads as
 * the same string; every byte a terminal would obey is escaped there (shownJson), as in JSON.
 */
import {shownJson} from '../../kube/sanitize.js';
import {exactBytes} from './json.js';

const plainText = /^[A-Za-z][A-Za-z0-9._/-]*$/;
const reserved = /^(y|n|yes|no|on|off|true|false|null|nan|inf)$/i;

function scalar(v: unknown): string {
	if (v === null || v === undefined) return 'null';
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
	if (typeof v === 'boolean') return String(v);
	const s = String(v);
	return plainText.test(s) && !reserved.test(s) ? s : JSON.stringify(s);
}

const key = (k: string): string => (plainText.test(k) && !reserved.test(k) ? k : JSON.stringify(k));
const isBlock = (v: unknown): v is object => typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
const empty = (v: object): string => (Array.isArray(v) ? '[]' : '{}');

function lines(v: unknown, indent: string, out: string[]): void {
	if (Array.isArray(v)) {
		for (const item of v) {
			if (isBlock(item) && !Array.isArray(item)) {
				// "- first: 1" then the rest of the mapping under it
				const sub: string[] = [];
				lines(item, `${indent}  `, sub);
				out.push(`${indent}- ${sub[0]!.slice(indent.length + 2)}`, ...sub.slice(1));
			} else if (isBlock(item)) {
				out.push(`${indent}-`);
				lines(item, `${indent}  `, out);
			} else {
				out.push(`${indent}- ${typeof item === 'object' && item !== null ? empty(item) : scalar(item)}`);
			}
		}

		return;
	}

	for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
		const value = exactBytes(k, raw);
		if (isBlock(value)) {
			out.push(`${indent}${key(k)}:`);
			lines(value, Array.isArray(value) ? indent : `${indent}  `, out);
		} else {
			out.push(`${indent}${key(k)}: ${typeof value === 'object' && value !== null ? empty(value) : scalar(value)}`);
		}
	}
}

export function yamlText(value: unknown): string {
	const out: string[] = [];
	if (isBlock(value)) lines(JSON.parse(JSON.stringify(value)), '', out);
	else out.push(typeof value === 'object' && value !== null ? empty(value) : scalar(value));
	return shownJson(out.join('\n')) + '\n';
}
