/**
 * What every door function (convert.ts, samples.ts) shares: how it tells what it refused, the
 * checks of figures, and the keys records are found by.
 *
 * An item of the wrong shape (a field of the wrong type, a list element that is not an object, a
 * missing name) is skipped whole; a figure that is not one (a negative or absurd quantity or count)
 * is dropped and the item kept without it. Either is told to a `Faults`, so one bad item never
 * costs the list, and the user is told how many were left out.
 */
import {readBytes} from '../memory/quantity.js';
import {Malformed, num, path, type Raw} from './fields.js';
import {clean} from './sanitize.js';

export interface Faults {
	/** the item is refused: nothing of it is kept */
	skip(why: string): void;
	/** a figure of the item is refused: the item is kept without it */
	reject(why: string): void;
}

export const quiet: Faults = {skip() {}, reject() {}};

/** `read()`, or null when it found the item malformed (told to `faults`) */
export function guard<R>(faults: Faults, read: () => R): R | null {
	try {
		return read();
	} catch (error) {
		if (!(error instanceof Malformed)) throw error;
		faults.skip(error.message);
		return null;
	}
}

/** a value from the cluster as a fault message shows it: short, and escaped by clean */
function shown(v: unknown): string {
	return typeof v === 'string' ? `"${clean(v, 24)}"` : typeof v === 'number' ? String(v) : typeof v;
}

/** a byte figure (a quantity); null when absent or refused */
export function bytes(v: unknown, where: string, faults: Faults): number | null {
	const n = readBytes(v);
	if (typeof n !== 'string') return n;
	faults.reject(`${where} ${shown(v)}: ${n}`);
	return null;
}

/** a count (restarts, event count): a whole number ≥ 0 a number holds exactly; null when absent or refused */
export function count(o: Raw, key: string, where: string, faults: Faults): number | null {
	const v = num(o, key, where);
	if (v === null || (Number.isSafeInteger(v) && v >= 0)) return v;
	faults.reject(`${path(where, key)} ${v}: not a count`);
	return null;
}

/** a Go int32 (exit code, priority, port); null when absent or refused */
export function int32(o: Raw, key: string, where: string, faults: Faults): number | null {
	const v = num(o, key, where);
	if (v === null || (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) return v;
	faults.reject(`${path(where, key)} ${v}: not a 32-bit integer`);
	return null;
}

/** the times last parsed: a list's pods share most of theirs */
const parsedTimes = new Map<string, number | null>();

/** epoch ms of an RFC 3339 time, null when absent or not a time */
export function time(v: string): number | null {
	if (v === '') return null;
	let t = parsedTimes.get(v);
	if (t === undefined) {
		if (parsedTimes.size >= 4096) parsedTimes.clear();
		const ms = Date.parse(v);
		t = Number.isNaN(ms) ? null : ms;
		// a long string is not kept (a hostile server's 16 MiB "time")
		if (v.length <= 64) parsedTimes.set(v, t);
	}

	return t;
}

const plainNamespace = /^[\u0020-\u0024\u0026-\u002e\u0030-\u007e]*$/;
const plainName = /^[\u0020-\u0024\u0026-\u007e]*$/;
const escape = (c: string): string => `%${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * The key of a pod: its namespace and name as the server sent them, every UTF-16 unit outside
 * printable ASCII (and `%`, and `/` in the namespace) written as %xxxx. Distinct pods never share
 * a key (`web-1`, `web\u200b-1` and `web\u001b-1` are three), the key of a DELETED event finds
 * its pod, and a key is safe to print.
 */
export function podKey(namespace: string, name: string): string {
	const ns = plainNamespace.test(namespace) ? namespace : namespace.replace(/[^\u0020-\u0024\u0026-\u002e\u0030-\u007e]/g, escape);
	return `${ns}/${plainName.test(name) ? name : name.replace(/[^\u0020-\u0024\u0026-\u007e]/g, escape)}`;
}

/** the key of a raw pod (a DELETED event's object may be partial: missing parts are '') */
export function podKeyOf(raw: unknown): string {
	const meta = (raw as {metadata?: {namespace?: unknown; name?: unknown}} | null)?.metadata;
	const part = (v: unknown): string => (typeof v === 'string' ? v : '');
	return podKey(part(meta?.namespace), part(meta?.name));
}
