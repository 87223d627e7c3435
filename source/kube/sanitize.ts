/**
 * Strip everything that could steer a terminal from a string that came from the cluster:
 * C0/C1 control characters (ESC, BEL, CR, ...), DEL, and Unicode format characters
 * (bidi overrides, zero-width joiners). Tabs and newlines become a space. Applied at the door,
 * so every string in a record is already safe to print.
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;
const fast = /^[\u0020-\u007e]*$/;

export function clean(value: unknown, max = 256): string {
	if (typeof value !== 'string') {
		return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
	}

	let s = fast.test(value) ? value : value.replace(/[\t\n\r]/g, ' ').replace(unsafe, '');
	if (s.length > max) {
		s = s.slice(0, max - 1) + '…';
	}

	return s;
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
