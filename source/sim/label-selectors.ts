/**
 * Label selectors (`?labelSelector=`) with the API server's grammar and errors:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a` (exists), `!a` (absent), joined by commas.
 */

/** A label or field selector the API server refuses (400 BadRequest, with this message). */
export class SelectorError extends Error {}

type LabelRequirement =
	| {op: 'eq' | 'neq'; key: string; value: string}
	| {op: 'in' | 'notin'; key: string; values: Set<string>}
	| {op: 'exists' | 'absent'; key: string};

interface LabelSelector {
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
