/**
 * Field selectors (`?fieldSelector=`) with the API server's grammar and errors: `a=b`, `a==b`,
 * `a!=b` joined by commas, `\` escapes `,` `=` `!` `\`; only the resource's supported fields.
 */
import {SelectorError} from './label-selectors.js';

interface FieldRequirement {
	field: string;
	op: 'eq' | 'neq';
	value: string;
}

interface FieldSelector {
	readonly empty: boolean;
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
