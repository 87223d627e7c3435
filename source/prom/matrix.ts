/**
 * A Prometheus range answer read without building its JSON tree: `"values":[[1700000000.123,"42"],…]`
 * is scanned straight into numbers, only each series' `metric` object goes through JSON.parse. At
 * 10k pods a backfill reads ~100 MB of such text; JSON.parse made a small array and a string per
 * sample (3.5 M of them), and their garbage held the event loop for hundreds of ms. The scanner
 * accepts exactly what Prometheus writes (status, then data.resultType, data.result of
 * {metric, values}); anything else returns null and the caller parses the answer as JSON.
 */
import type {PromSeries} from './client.js';

const ws = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * The decimal number text[from, to) — digits with an optional fraction, what Prometheus writes for
 * a timestamp and almost every value — without making a string; anything else (an exponent, a
 * sign, NaN) through Number().
 */
function decimal(text: string, from: number, to: number): number {
	let whole = 0;
	let i = from;
	for (; i < to; i++) {
		const d = text.charCodeAt(i) - 48;
		if (d < 0 || d > 9) break;
		whole = whole * 10 + d;
	}

	if (i === to && i > from && i - from < 16) return whole;
	if (text.charCodeAt(i) !== 46 || i === from || i - from >= 16) return Number(text.slice(from, to));
	let frac = 0;
	let scale = 1;
	for (i++; i < to; i++) {
		const d = text.charCodeAt(i) - 48;
		if (d < 0 || d > 9 || scale >= 1e9) return Number(text.slice(from, to));
		frac = frac * 10 + d;
		scale *= 10;
	}

	return whole + frac / scale;
}

export function scanMatrix(text: string): PromSeries[] | null {
	if (!/^\s*\{\s*"status"\s*:\s*"success"\s*,\s*"data"\s*:\s*\{\s*"resultType"\s*:\s*"matrix"\s*,\s*"result"\s*:\s*\[/.test(text.slice(0, 200))) return null;
	let i = text.indexOf('"result"');
	i = text.indexOf('[', i) + 1;
	const out: PromSeries[] = [];
	const skip = () => {
		while (i < text.length && ws(text.charCodeAt(i))) i++;
	};

	const expect = (s: string): boolean => {
		skip();
		if (!text.startsWith(s, i)) return false;
		i += s.length;
		return true;
	};

	skip();
	if (text[i] === ']') return out;
	for (;;) {
		if (!expect('{') || !expect('"metric"') || !expect(':')) return null;
		skip();
		// the label object: strings only, so its end is the first } outside a string
		const start = i;
		if (text[i] !== '{') return null;
		let inString = false;
		for (i++; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (inString) {
				if (c === 92) i++;
				else if (c === 34) inString = false;
			} else if (c === 34) {
				inString = true;
			} else if (c === 125) {
				break;
			}
		}

		let metric: unknown;
		try {
			metric = JSON.parse(text.slice(start, ++i));
		} catch {
			return null;
		}

		const labels: Record<string, string> = {};
		for (const [k, v] of Object.entries(metric as object)) if (typeof v === 'string') labels[k] = v;
		if (!expect(',') || !expect('"values"') || !expect(':') || !expect('[')) return null;
		const times: number[] = [];
		const values: number[] = [];
		skip();
		if (text[i] === ']') i++;
		else {
			for (;;) {
				if (!expect('[')) return null;
				const comma = text.indexOf(',', i);
				const t = decimal(text, i, comma);
				i = comma + 1;
				if (!expect('"')) return null;
				const quote = text.indexOf('"', i);
				const v = decimal(text, i, quote);
				i = quote + 1;
				if (!expect(']') || comma < 0 || quote < 0 || !Number.isFinite(t)) return null;
				if (Number.isFinite(v)) {
					times.push(Math.round(t * 1000));
					values.push(v);
				}

				skip();
				if (text[i] === ',') i++;
				else if (text[i] === ']') {
					i++;
					break;
				} else return null;
			}
		}

		if (!expect('}')) return null;
		out.push({labels, times, values});
		skip();
		if (text[i] === ',') i++;
		else if (text[i] === ']') return out;
		else return null;
	}
}
