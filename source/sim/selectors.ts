/**
 * Label and field selectors with the API server's grammar and errors.
 *
 * Labels: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a` (exists), `!a` (absent).
 * Fields: `a=b`, `a==b`, `a!=b` joined by commas, `\` escapes `,` `=` `!` `\`.
 */

export class SelectorError extends Error {}

type LabelRequirement =
	| {op: 'eq' | 'neq'; key: string; value: string}
	| {op: 'in' | 'notin'; key: string; values: Set<string>}
	| {op: 'exists' | 'absent'; key: string};

export interface LabelSelector {
	readonly empty: boolean;
	matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, text: string): void {
	if (!KEY.test(key) || key.length > 317) {
		throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in "${text}"`);
	}
}

function checkValue(value: string, text: string): void {
	if (!VALUE.test(value) || value.length > 63) {
		throw new SelectorError(`unable to parse requirement: invalid label value: "${value}" in "${text}"`);
	}
}

/** Split on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const ch of text) {
		if (ch === '(') {
			depth++;
		} else if (ch === ')') {
			depth--;
		}

		if (ch === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else {
			current += ch;
		}
	}

	parts.push(current);
	return parts;
}

export function parseLabelSelector(text: string | null | undefined): LabelSelector {
	const source = (text ?? '').trim();
	const requirements: LabelRequirement[] = [];
	if (source !== '') {
		for (const raw of splitTopLevel(source)) {
			const part = raw.trim();
			if (part === '') {
				throw new SelectorError(`found '', expected: identifier in "${source}"`);
			}

			const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
			if (setMatch) {
				const key = setMatch[1] ?? '';
				checkKey(key, source);
				const values = new Set((setMatch[3] ?? '').split(',').map((v) => v.trim()));
				for (const value of values) {
					checkValue(value, source);
				}

				requirements.push({op: setMatch[2] === 'in' ? 'in' : 'notin', key, values});
				continue;
			}

			const cmp = /^([^=!\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(part);
			if (cmp) {
				const key = cmp[1] ?? '';
				const value = cmp[3] ?? '';
				checkKey(key, source);
				checkValue(value, source);
				requirements.push({op: cmp[2] === '!=' ? 'neq' : 'eq', key, value});
				continue;
			}

			if (part.startsWith('!')) {
				const key = part.slice(1).trim();
				checkKey(key, source);
				requirements.push({op: 'absent', key});
				continue;
			}

			checkKey(part, source);
			requirements.push({op: 'exists', key: part});
		}
	}

	return {
		empty: requirements.length === 0,
		matches(labels) {
			for (const requirement of requirements) {
				const value = labels?.[requirement.key];
				switch (requirement.op) {
					case 'eq': {
						if (value !== requirement.value) {
							return false;
						}

						break;
					}

					case 'neq': {
						if (value === requirement.value) {
							return false;
						}

						break;
					}

					case 'in': {
						if (value === undefined || !requirement.values.has(value)) {
							return false;
						}

						break;
					}

					case 'notin': {
						if (value !== undefined && requirement.values.has(value)) {
							return false;
						}

						break;
					}

					case 'exists': {
						if (value === undefined) {
							return false;
						}

						break;
					}

					case 'absent': {
						if (value !== undefined) {
							return false;
						}

						break;
					}
				}
			}

			return true;
		},
	};
}

export interface FieldRequirement {
	field: string;
	op: 'eq' | 'neq';
	value: string;
}

export interface FieldSelector {
	readonly empty: boolean;
	readonly requirements: readonly FieldRequirement[];
	matches(get: (field: string) => string | undefined): boolean;
}

function unescapeField(text: string): string {
	return text.replaceAll(/\\(.)/g, '$1');
}

/** Parse a field selector and check every field against the resource's supported set. */
export function parseFieldSelector(text: string | null | undefined, supported: ReadonlySet<string>): FieldSelector {
	const source = (text ?? '').trim();
	const requirements: FieldRequirement[] = [];
	if (source !== '') {
		// Split on unescaped commas.
		const parts: string[] = [];
		let current = '';
		for (let i = 0; i < source.length; i++) {
			const ch = source[i];
			if (ch === '\\' && i + 1 < source.length) {
				current += ch + (source[i + 1] ?? '');
				i++;
			} else if (ch === ',') {
				parts.push(current);
				current = '';
			} else {
				current += ch;
			}
		}

		parts.push(current);
		for (const part of parts) {
			const match = /^((?:[^=!\\]|\\.)*)(==|!=|=)(.*)$/.exec(part);
			if (!match) {
				throw new SelectorError(`invalid selector: '${part}'; can't understand '${part}'`);
			}

			const field = unescapeField(match[1] ?? '').trim();
			if (!supported.has(field)) {
				throw new SelectorError(`field label not supported: ${field}`);
			}

			requirements.push({field, op: match[2] === '!=' ? 'neq' : 'eq', value: unescapeField(match[3] ?? '')});
		}
	}

	return {
		empty: requirements.length === 0,
		requirements,
		matches(get) {
			for (const requirement of requirements) {
				const value = get(requirement.field) ?? '';
				if ((value === requirement.value) !== (requirement.op === 'eq')) {
					return false;
				}
			}

			return true;
		},
	};
}
