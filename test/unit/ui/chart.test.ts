/** The chart's y axis: one distinct label a row, on a round step, in exact frames. */
import {describe, expect, it} from 'vitest';
import {renderChart, yAxis, type ChartRef} from '../../../source/ui/chart.js';

const Ki = 1024;
const Mi = Ki ** 2;
const Gi = Ki ** 3;
const t0 = 1_000_000;
const times = Array.from({length: 20}, (_, i) => t0 + i * 15_000);

function chart(value: (i: number) => number, refs: ChartRef[], rows: number): string {
	return renderChart({series: [{name: 'a', times, values: times.map((_, i) => value(i))}], refs, windowMs: 300_000, now: times.at(-1)!, width: 40, rows, colors: []}).join('\n');
}

describe('chart y axis', () => {
	it('a 12345678901-byte limit over a working set of about 1Gi: whole Gi, the limit on the 11Gi row', () => {
		expect(chart(i => Gi + i * 5 * Mi, [{label: 'limit', value: 12_345_678_901}], 13)).toBe(
			[
				'  12Gi ┤',
				'  11Gi ┼───────────────────────────────',
				'  10Gi ┤',
				'   9Gi ┤',
				'   8Gi ┤',
				'   7Gi ┤',
				'   6Gi ┤',
				'   5Gi ┤',
				'   4Gi ┤',
				'   3Gi ┤',
				'   2Gi ┤',
				'   1Gi ┼───────────────────────────────',
				'       -4m45s       -2m23s          now',
			].join('\n'),
		);
	});

	it('a flat series sits mid-chart on rows 1Mi apart', () => {
		expect(chart(() => 300 * Mi, [], 9)).toBe(
			[
				' 303Mi ┤',
				' 302Mi ┤',
				' 301Mi ┤',
				' 300Mi ┼───────────────────────────────',
				' 299Mi ┤',
				' 298Mi ┤',
				' 297Mi ┤',
				' 296Mi ┤',
				'       -4m45s       -2m23s          now',
			].join('\n'),
		);
	});

	it('a range of a few KiB: one decimal', () => {
		expect(chart(i => 5000 + i * 100, [], 9)).toBe(
			[
				' 6.9Ki ┤',
				' 6.6Ki ┤                           ╭───',
				' 6.3Ki ┤                    ╭──────╯',
				' 6.0Ki ┤               ╭────╯',
				' 5.7Ki ┤          ╭────╯',
				' 5.4Ki ┤      ╭───╯',
				' 5.1Ki ┤ ╭────╯',
				' 4.8Ki ┼─╯',
				'       -4m45s       -2m23s          now',
			].join('\n'),
		);
	});

	it('a range from Mi into Gi: one unit, two decimals', () => {
		expect(chart(i => 800 * Mi + i * 40 * Mi, [], 9)).toBe(
			[
				'1.56Gi ┤                              ╭',
				'1.44Gi ┤                         ╭────╯',
				'1.32Gi ┤                    ╭────╯',
				'1.20Gi ┤               ╭────╯',
				'1.08Gi ┤          ╭────╯',
				'0.96Gi ┤      ╭───╯',
				'0.84Gi ┼──────╯',
				'0.72Gi ┤',
				'       -4m45s       -2m23s          now',
			].join('\n'),
		);
	});

	it('labels every row distinctly and increasingly, within the label column, covering the range from 0 up', () => {
		let seed = 1;
		const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
		for (let n = 0; n < 5000; n++) {
			const hi = 10 ** (random() * 15);
			const lo = n % 5 === 0 ? hi : n % 3 === 0 ? 0 : hi * random();
			const h = 1 + Math.floor(random() * 30);
			const axis = yAxis(lo, hi, h);
			const at = `${lo}…${hi} over ${h}`;
			expect(axis.labels.length, at).toBe(h + 1);
			expect(new Set(axis.labels).size, at).toBe(h + 1);
			for (const l of axis.labels) expect(l.length, at).toBeLessThanOrEqual(6);
			const values = axis.labels.map(l => Number.parseFloat(l));
			for (let i = 1; i < values.length; i++) expect(values[i]!, at).toBeGreaterThan(values[i - 1]!);
			expect(axis.lo, at).toBeGreaterThanOrEqual(0);
			expect(axis.lo, at).toBeLessThanOrEqual(lo * (1 + 1e-9));
			expect(axis.lo + h * axis.step, at).toBeGreaterThanOrEqual(hi * (1 - 1e-9));
		}
	});
});
