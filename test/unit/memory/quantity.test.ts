import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {formatBytes, formatDuration, formatPercent, parseDuration, parseQuantity, parseQuantityOrNull, QuantityError, readBytes} from '../../../source/memory/quantity.js';

const Ki = 1024;
const Mi = 1024 ** 2;
const Gi = 1024 ** 3;
const real = '/work/shared/fixtures/real';

describe('parseQuantity', () => {
	it.each([
		['0', 0],
		['1', 1],
		['123456789', 123_456_789],
		['1Ki', Ki],
		['1Mi', Mi],
		['1Gi', Gi],
		['1Ti', 2 ** 40],
		['1Pi', 2 ** 50],
		['1Ei', 2 ** 60],
		['1k', 1e3],
		['1M', 1e6],
		['1G', 1e9],
		['1T', 1e12],
		['1P', 1e15],
		['1E', 1e18],
		['5M', 5_000_000],
		['8024304Ki', 8_024_304 * 1024],
		['+128Mi', 128 * Mi],
		['-1Ki', -1024],
		['1.5Gi', 1.5 * Gi],
		['.5Mi', 512 * Ki],
		['0.25Ki', 256],
		['5.', 5],
		['1.Gi', Gi],
		['007Mi', 7 * Mi],
		['1e3', 1000],
		['1E3', 1000],
		['1e+3', 1000],
		['1.5e3', 1500],
		['2e0', 2],
		['12e-1', 2], // 1.2 rounds up
	])('%s → %d', (s, want) => {
		expect(parseQuantity(s)).toBe(want);
	});

	it('rounds fractions up (away from zero) like Quantity.Value()', () => {
		expect(parseQuantity('100m')).toBe(1);
		expect(parseQuantity('1000m')).toBe(1);
		expect(parseQuantity('1001m')).toBe(2);
		expect(parseQuantity('1500m')).toBe(2);
		expect(parseQuantity('0.5')).toBe(1);
		expect(parseQuantity('0.1Ki')).toBe(103); // 102.4
		expect(parseQuantity('1u')).toBe(1);
		expect(parseQuantity('5n')).toBe(1);
		expect(parseQuantity('0m')).toBe(0);
		expect(parseQuantity('0.000Gi')).toBe(0);
		expect(parseQuantity('2e-3')).toBe(1);
		expect(parseQuantity('1e-300')).toBe(1);
		expect(parseQuantity('-1.5')).toBe(-2);
		expect(parseQuantity('-100m')).toBe(-1);
	});

	it('is exact for integers up to 2^53', () => {
		expect(parseQuantity('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
		expect(parseQuantity('9007199254740.991k')).toBe(Number.MAX_SAFE_INTEGER);
		expect(parseQuantity('8Pi')).toBe(2 ** 53);
		// 2^53 − 1.0995… rounds up to 2^53 − 1
		expect(parseQuantity('8191.999999999999Ti')).toBe(Number.MAX_SAFE_INTEGER);
		// 0.1 is not exact in binary floating point; the BigInt path is: 3 × 0.1Gi = 322122547.2 → 322122548
		expect(parseQuantity('0.3Gi')).toBe(322_122_548);
		expect(parseQuantity('1234567.891Mi')).toBe(Number((1234567891n * 1048576n + 999n) / 1000n));
	});

	it.each(['', ' ', 'abc', 'Gi', '.', '-', '+', '1Kb', '1 Gi', ' 1Gi', '1Gi ', '1K', '1ki', '1gi', '1e', '1e3Mi', '1.2.3', '--1', '0x10', '1m5', '1Mi1', 'NaN', 'Infinity', '1e999999999', '99999999999999999999999999999999999999999999Ei'])(
		'rejects %j',
		(s) => {
			expect(() => parseQuantity(s)).toThrow(QuantityError);
		},
	);

	it('parses every memory quantity in the real pod list and node list', () => {
		const pods = JSON.parse(readFileSync(`${real}/kubelet-podlist.k8s-v1.35.0.nri-kubernetes.json`, 'utf8'));
		const seen = new Set<string>();
		for (const p of pods.items) {
			for (const c of p.spec.containers) {
				for (const part of ['requests', 'limits']) {
					const m = c.resources?.[part]?.memory;
					if (m !== undefined) seen.add(m);
				}
			}
		}

		expect([...seen].sort()).toEqual(['15Mi', '170Mi', '200Mi', '30Mi', '50Mi', '5M', '70Mi', '100Mi'].sort());
		for (const q of seen) {
			const n = parseQuantity(q);
			expect(Number.isInteger(n)).toBe(true);
			expect(n).toBe(q.endsWith('Mi') ? Number(q.slice(0, -2)) * Mi : Number(q.slice(0, -1)) * 1e6);
		}

		const nodes = readFileSync(`${real}/node-list-with-memorypressure-condition.k8s-v1.35.0.nri-kubernetes.yaml`, 'utf8');
		const mem = [...nodes.matchAll(/^\s+memory: (\S+)$/gm)].map((m) => m[1]!);
		expect(mem).toEqual(['8024304Ki', '8024304Ki']);
		expect(parseQuantity(mem[0]!)).toBe(8_216_887_296);
	});

	it('parses the metrics.k8s.io usage figures (Ki) and cpu nanocores', () => {
		const list = JSON.parse(readFileSync(`${real}/metrics-k8s-io-v1beta1-podmetricslist.gke.libcloud.json`, 'utf8'));
		const first = list.items[0].containers[0].usage;
		expect(parseQuantity(first.memory)).toBe(24716 * 1024);
		expect(parseQuantity(first.cpu)).toBe(1); // 704595n = 0.000704595 cores → Value() rounds up to 1
	});
});

describe('parseQuantityOrNull', () => {
	it('returns null for missing or invalid values and accepts finite numbers', () => {
		expect(parseQuantityOrNull(undefined)).toBeNull();
		expect(parseQuantityOrNull(null)).toBeNull();
		expect(parseQuantityOrNull({})).toBeNull();
		expect(parseQuantityOrNull('12 Mi')).toBeNull();
		expect(parseQuantityOrNull(Number.NaN)).toBeNull();
		expect(parseQuantityOrNull(Number.POSITIVE_INFINITY)).toBeNull();
		expect(parseQuantityOrNull('64Mi')).toBe(64 * Mi);
		expect(parseQuantityOrNull(1024)).toBe(1024);
		expect(parseQuantityOrNull(10.2)).toBe(11);
	});
});

describe('readBytes: a byte figure from the cluster', () => {
	it('is the bytes, null when absent, and why not when it is not a byte count', () => {
		expect(readBytes('64Mi')).toBe(64 * Mi);
		expect(readBytes(10.2)).toBe(11);
		expect(readBytes('8Ei')).toBe(2 ** 63);
		expect(readBytes(undefined)).toBeNull();
		expect(readBytes(null)).toBeNull();
		expect(readBytes('-5Mi')).toBe('negative');
		expect(readBytes(-1)).toBe('negative');
		expect(readBytes('9Ei')).toBe('beyond 2^63 bytes');
		expect(readBytes('99999999999999999999Ei')).toBe('beyond 2^63 bytes');
		expect(readBytes('12 Mi')).toBe('not a quantity');
		expect(readBytes({memory: '1Gi'})).toBe('not a quantity');
		expect(readBytes(Number.POSITIVE_INFINITY)).toBe('not a finite number');
		expect(parseQuantityOrNull('-5Mi')).toBeNull();
	});

	it('a duration a number cannot hold is none', () => {
		expect(parseDuration(`${'9'.repeat(400)}s`)).toBeNull();
	});
});

describe('formatBytes', () => {
	it.each([
		[0, '0'],
		[512, '512'],
		[1023, '1023'],
		[1024, '1Ki'],
		[512 * Ki, '512Ki'],
		[300 * Mi, '300Mi'],
		[1.5 * Gi, '1.5Gi'],
		[1.25 * Gi, '1.3Gi'],
		[9.96 * Gi, '10Gi'],
		[9.94 * Mi, '9.9Mi'],
		[10.4 * Mi, '10Mi'],
		[1048570, '1Mi'], // 1023.99Ki must not print as 1024Ki
		[8_216_887_296, '7.7Gi'],
		[2 ** 60, '1Ei'],
		[-2048, '-2Ki'],
	])('%d → %s', (n, want) => {
		expect(formatBytes(n)).toBe(want);
	});

	it('shows a dash for unknown values and honours precision', () => {
		expect(formatBytes(null)).toBe('—');
		expect(formatBytes(undefined)).toBe('—');
		expect(formatBytes(Number.NaN)).toBe('—');
		expect(formatBytes(1.25 * Gi, {precision: 2})).toBe('1.25Gi');
		expect(formatBytes(1.5 * Gi, {precision: 0})).toBe('2Gi');
	});
});

describe('formatPercent / formatDuration', () => {
	it('formats percentages', () => {
		expect(formatPercent(87.4)).toBe('87%');
		expect(formatPercent(87.5)).toBe('88%');
		expect(formatPercent(0)).toBe('0%');
		expect(formatPercent(0.2)).toBe('<1%');
		expect(formatPercent(250)).toBe('250%');
		expect(formatPercent(null)).toBe('—');
		expect(formatPercent(Number.NaN)).toBe('—');
	});

	it('formats durations with at most two units', () => {
		expect(formatDuration(45_000)).toBe('45s');
		expect(formatDuration(59_999)).toBe('59s');
		expect(formatDuration(12 * 60_000)).toBe('12m');
		expect(formatDuration((3 * 60 + 5) * 60_000)).toBe('3h5m');
		expect(formatDuration(3 * 3_600_000)).toBe('3h');
		expect(formatDuration((52 * 60 + 30) * 60_000)).toBe('2d4h');
		expect(formatDuration(2 * 86_400_000)).toBe('2d');
		expect(formatDuration(0)).toBe('0s');
		expect(formatDuration(-5)).toBe('0s');
		expect(formatDuration(null)).toBe('—');
	});
});
