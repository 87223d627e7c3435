/**
 * Typed reads of a raw API object at the door. Each returns the field when it has the type the
 * API gives it, its zero value when it is absent (missing or null), and throws Malformed, naming
 * the field, when it has another type. The door functions catch Malformed and skip the item.
 */
export type Raw = Record<string, unknown>;

export class Malformed extends Error {}

const noObject: Raw = Object.freeze({});
const noList: readonly unknown[] = Object.freeze([]);

/** `where.key`, or `key` at the top of the item */
export function path(where: string, key: string): string {
	return where === '' ? key : `${where}.${key}`;
}

export function malformed(where: string, what: string): never {
	throw new Malformed(`${where} ${what}`);
}

export function isObject(v: unknown): v is Raw {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** the item itself, which must be an object */
export function item(v: unknown): Raw {
	return isObject(v) ? v : malformed('the item', 'is not an object');
}

export function obj(o: Raw, key: string, where: string): Raw {
	const v = o[key];
	if (v === undefined || v === null) return noObject;
	return isObject(v) ? v : malformed(path(where, key), 'is not an object');
}

export function list(o: Raw, key: string, where: string): readonly unknown[] {
	const v = o[key];
	if (v === undefined || v === null) return noList;
	return Array.isArray(v) ? v : malformed(path(where, key), 'is not a list');
}

/** element `i` of a list, which must be an object */
export function at(items: readonly unknown[], i: number, where: string): Raw {
	const v = items[i];
	return isObject(v) ? v : malformed(`${where}[${i}]`, 'is not an object');
}

export function str(o: Raw, key: string, where: string): string {
	const v = o[key];
	if (v === undefined || v === null) return '';
	return typeof v === 'string' ? v : malformed(path(where, key), 'is not a string');
}

/** a string that must be there and not be empty (a name) */
export function name(o: Raw, key: string, where: string): string {
	const v = str(o, key, where);
	return v === '' ? malformed(path(where, key), 'is missing') : v;
}

export function num(o: Raw, key: string, where: string): number | null {
	const v = o[key];
	if (v === undefined || v === null) return null;
	return typeof v === 'number' ? v : malformed(path(where, key), 'is not a number');
}

export function bool(o: Raw, key: string, where: string): boolean {
	const v = o[key];
	if (v === undefined || v === null) return false;
	return typeof v === 'boolean' ? v : malformed(path(where, key), 'is not a boolean');
}
