const SUFFIX: Record<string, number> = {
	'': 1,
	Ki: 1024,
	Mi: 1024 ** 2,
	Gi: 1024 ** 3,
	Ti: 1024 ** 4,
	k: 1e3,
	M: 1e6,
	G: 1e9,
	T: 1e12,
	m: 1e-3,
};

/** Bytes of a Kubernetes quantity as the metrics API prints memory ("307200Ki", "1Gi", "12345"). */
export function quantityBytes(q: string): number {
	const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(q.trim());
	if (!m) throw new Error(`unparsed quantity ${q}`);
	return Math.round(Number(m[1]) * SUFFIX[m[2] ?? '']!);
}
