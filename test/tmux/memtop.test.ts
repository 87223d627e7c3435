/**
 * End to end in a real terminal: `memtop --demo` (the built program, the simulated cluster
 * in-process) in tmux at a fixed size; keys through send-keys; assertions on capture-pane.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseBytes, rowWidth, startMemtop, tableRows, tmuxAvailable, type Term} from './tmux.js';

const fuzzy = (needle: string, hay: string) => {
	let j = 0;
	for (const ch of hay) if (ch === needle[j]) j++;
	return j === needle.length;
};

const podNames = (rows: string[]) => tableRows(rows).map(r => r[1]!);
/** a capture can land while a frame's lines are being written (the header already new, a row cut short): every row whole */
const whole = (rows: string[]) => tableRows(rows).length > 0 && tableRows(rows).every(x => x.length >= 3);
const ready = (rows: string[]) => rows.some(r => r.includes('[1 Pods]')) && tableRows(rows).length >= 8 && rows[0]!.includes('metrics') && rows[0]!.includes('ago');

describe.skipIf(!tmuxAvailable())('memtop --demo in tmux (120×40)', () => {
	let t: Term;

	beforeAll(async () => {
		t = startMemtop({width: 120, height: 40});
		await t.waitFor('the pods table with metrics', ready, 60_000);
	});

	afterAll(() => t?.kill());

	/** back to the pods view, top of the list, no filter */
	async function home(): Promise<string[]> {
		t.keys('Escape', 'Escape', 'Escape', '1', 'g');
		return t.waitFor('the pods view', rows => rows[1]!.includes('[1 Pods]') && !rows[1]!.includes('›') && !rows.some(r => r.includes('filter /')));
	}

	it('shows the header, the pods table with sparklines, the chart and the footer', async () => {
		const rows = await home();
		expect(rows[0]).toMatch(/^memtop │ memtop-demo \(simulated\) │ http:\/\/127\.0\.0\.1:\d+ │ ns all │ \d+ pods \d+ nodes │ metrics \d+s ago/);
		expect(rows[2]).toMatch(/NAMESPACE\s+POD\s+↓WS\s+REQ\s+LIM\s+%REQ\s+%LIM\s+OOM-IN\s+PSI( n\/a)?\s+QOS\s+RST\s+STATUS\s+NODE\s+TREND/);
		expect(rows.some(r => /[▁▂▃▄▅▆▇█]/.test(r))).toBe(true);
		expect(rows.some(r => /┼|┤/.test(r))).toBe(true);
		expect(rows.at(-1)).toMatch(/Enter open .* \? help\s+q quit/);
		expect(rows.length).toBe(40);
	});

	it('sorting by a letter key changes the order, pressing it again reverses it', async () => {
		await home();
		const names = (r: string[]) => podNames(r).map(n => n.replace(/…$/, ''));
		// a frame can be captured half drawn (new order above, old below): wait for one whole frame
		// in the order (if none ever is, the wait fails)
		const inOrder = (xs: string[], dir: 1 | -1) => xs.every((x, i) => i === 0 || (dir === 1 ? xs[i - 1]! <= x : xs[i - 1]! >= x));
		t.keys('a');
		let rows = await t.waitFor('sorted by name A→Z', r => r[2]!.includes('POD↑') && tableRows(r).length > 5 && whole(r) && inOrder(names(r), 1));
		const ascending = names(rows);
		expect(ascending.length).toBeGreaterThan(5);
		expect([...ascending].sort()).toEqual(ascending);
		t.keys('a');
		rows = await t.waitFor('sorted by name Z→A', r => r[2]!.includes('POD↓') && tableRows(r).length > 5 && whole(r) && inOrder(names(r), -1));
		const reversed = names(rows);
		expect([...reversed].sort().reverse()).toEqual(reversed);
		expect(reversed[0]).not.toBe(ascending[0]);
		t.keys('m');
		// the demo's figures move every poll: a capture can land while a new frame's lines are being
		// written, so wait for one whole frame sorted (never one: the wait fails)
		const figures = (r: string[]) => tableRows(r).map(x => parseBytes(x[2]!)).filter(x => !Number.isNaN(x));
		const descending = (ws: number[]) => ws.every((x, i) => i === 0 || x <= ws[i - 1]!);
		rows = await t.waitFor('sorted by working set', r => r[2]!.includes('↓WS') && figures(r).length > 5 && descending(figures(r)));
		expect(descending(figures(rows))).toBe(true);
	});

	it('/ filters the rows as you type and Esc brings them back', async () => {
		const before = tableRows(await home()).length;
		t.keys('/');
		t.type('postgres');
		const rows = await t.waitFor('the filter applied', r => r.some(x => x.includes('filter /postgres')) && tableRows(r).length < before && whole(r));
		const shown = tableRows(rows);
		expect(shown.length).toBeGreaterThan(0);
		for (const r of shown) expect(fuzzy('postgres', `${r[0]}/${r[1]}`.replace(/…/g, ''))).toBe(true);
		t.keys('Escape');
		await t.waitFor('all rows again', r => tableRows(r).length === before && !r.some(x => x.includes('filter /')));
	});

	it('Enter drills down into a pod and a node, Esc comes back', async () => {
		const first = tableRows(await home())[0]!;
		t.keys('Enter');
		let rows = await t.waitFor('the pod detail', r => r.some(x => x.includes('── diagnosis:')));
		expect(rows[1]).toContain(`› ${first[0]!.replace(/…$/, '')}`);
		expect(rows.some(r => /^ CONTAINER\s+KIND\s+WS\s+RSS\s+CACHE\s+USAGE/.test(r))).toBe(true);
		expect(rows.some(r => /Time to OOM/.test(r))).toBe(true);
		t.keys('Escape');
		await t.waitFor('the pods table', r => tableRows(r).length > 5 && !r[1]!.includes('›'));
		t.keys('2', 'Enter');
		rows = await t.waitFor('the node detail', r => r.some(x => x.includes('── eviction order under memory pressure')));
		expect(rows.some(r => /hard eviction threshold|Summary API/.test(r))).toBe(true);
		t.keys('Escape');
		rows = await t.waitFor('the nodes table', r => r[1]!.includes('[2 Nodes]') && !r[1]!.includes('›'));
		expect(rows[2]).toMatch(/NODE\s+WS\s+ALLOC\s+↓%ALLOC/);
	});

	it('? shows the keys and any key closes the help', async () => {
		await home();
		t.keys('?');
		const rows = await t.waitFor('the help', r => r.some(x => x.startsWith('── keys')));
		const text = rows.join('\n');
		for (const k of ['Enter drill down', '/ filter as you type', ': namespace picker', '= label selector', 'm working set', 'q quit']) expect(text).toContain(k);
		t.keys('x');
		await t.waitFor('the help closed', r => !r.some(x => x.startsWith('── keys')) && tableRows(r).length > 0);
	});

	it('follows a resize to 80×24 and back, never taller or wider than the window', async () => {
		await home();
		// whatever order an earlier test left (m again reverses): by working set, largest first
		if (!t.screen()[2]!.includes('↓WS')) {
			t.keys('m');
			const r = await t.waitFor('sorted by working set', x => /[↓↑]WS/.test(x[2]!));
			if (!r[2]!.includes('↓WS')) t.keys('m');
			await t.waitFor('sorted by working set, largest first', x => x[2]!.includes('↓WS'));
		}

		t.resize(80, 24);
		let rows = await t.waitFor('a 24-row frame', r => r.length === 24 && r[0]!.startsWith('memtop') && (r.at(-1) ?? '').includes('help'));
		for (const r of rows) expect(rowWidth(r)).toBeLessThanOrEqual(80);
		expect(rows[2]).toMatch(/NAMESPACE\s+POD\s+↓WS/);
		expect(rows[2]).not.toContain('STATUS');
		t.resize(120, 40);
		rows = await t.waitFor('a 40-row frame with all columns', r => r.length === 40 && r[2]!.includes('STATUS') && (r.at(-1) ?? '').includes('help'));
		for (const r of rows) expect(rowWidth(r)).toBeLessThanOrEqual(120);
	});
});

describe.skipIf(!tmuxAvailable())('terminal handling', () => {
	it('q leaves the alternate screen and gives the shell its screen back', async () => {
		const t = startMemtop({width: 100, height: 30});
		try {
			await t.waitFor('the pods table', ready, 60_000);
			t.keys('q');
			const rows = await t.waitFor('memtop to exit', r => r.some(x => x.startsWith('memtop exited')));
			expect(rows.some(r => r.startsWith('memtop exited 0'))).toBe(true);
			expect(rows[0]).toBe('shell before memtop');
			expect(rows.some(r => r.includes('[1 Pods]'))).toBe(false);
		} finally {
			t.kill();
		}
	});

	it('uses only the 16 basic colours under screen-256color and none with NO_COLOR', async () => {
		const colour = startMemtop({width: 120, height: 40, env: {TERM: 'screen-256color'}});
		const plain = startMemtop({width: 120, height: 40, env: {TERM: 'tmux-256color', NO_COLOR: '1'}});
		try {
			await colour.waitFor('the pods table', ready, 60_000);
			await plain.waitFor('the pods table', ready, 60_000);
			const sgr = (s: string) => [...s.matchAll(/\u001b\[([0-9;]*)m/g)].flatMap(m => m[1]!.split(';')).filter(c => c !== '');
			const colourCodes = sgr(colour.screenWithEscapes());
			expect(colourCodes.some(c => /^(3[0-7]|9[0-7])$/.test(c))).toBe(true);
			for (const c of colourCodes) expect(c).not.toMatch(/^(38|48)$/); // no 256-colour or truecolour
			const plainCodes = sgr(plain.screenWithEscapes());
			for (const c of plainCodes) expect(c).not.toMatch(/^(3[0-7]|9[0-7]|4[0-7]|10[0-7]|38|48)$/); // 39/49: default colours
			expect(plainCodes).toContain('7'); // the selection is still visible (reverse video)
		} finally {
			colour.kill();
			plain.kill();
		}
	});

	it('restores the terminal when killed with SIGTERM', async () => {
		const t = startMemtop({width: 100, height: 30});
		try {
			await t.waitFor('the pods table', ready, 60_000);
			// the pane's foreground process is the node running memtop
			const {execFileSync} = await import('node:child_process');
			const pid = execFileSync('tmux', ['-L', t.socket, 'display-message', '-p', '-t', 'e2e', '#{pane_pid}'], {encoding: 'utf8'}).trim();
			const child = execFileSync('pgrep', ['-P', pid], {encoding: 'utf8'}).trim().split('\n')[0]!;
			process.kill(Number(child), 'SIGTERM');
			const rows = await t.waitFor('memtop to exit', r => r.some(x => x.startsWith('memtop exited')));
			expect(rows[0]).toBe('shell before memtop');
			expect(rows.some(r => r.includes('[1 Pods]'))).toBe(false);
		} finally {
			t.kill();
		}
	});
});
