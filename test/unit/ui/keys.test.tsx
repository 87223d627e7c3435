/** Driving the real app with keys: sort, filter, drill-down, overlays, selector, resize, colour. */
import {describe, expect, it} from 'vitest';
import {pod} from '../store/records.js';
import {bindings} from '../../../source/ui/keys.js';
import {detectColorMode} from '../../../source/ui/theme.js';
import {cellWidth} from '../../../source/ui/text.js';
import {demoStore} from './fixture.js';
import {keys, mount} from './helpers.js';

/** pod names in table order, read off the frame */
function podOrder(frame: string): string[] {
	return frame
		.split('\n')
		.filter(l => /^[ ▸▾](shop|batch|kube-sys|web|data)/.test(l))
		.map(l => l.slice(1).trim().split(/\s+/)[1]!);
}

describe('sorting', () => {
	it('a letter key sorts by its column biggest first, the same key again or r reverses', async () => {
		const m = await mount({width: 130, height: 30});
		expect(podOrder(m.frame())).toEqual(['leaky-api-0', 'web-7d9f8c6b5-q8w4z', 'web-7d9f8c6b5-x2k9p', 'report-28473600-abcde', 'coredns-5d78c9869d-9xk2p']);
		await m.press('z'); // % of limit
		expect(podOrder(m.frame()).slice(0, 3)).toEqual(['web-7d9f8c6b5-q8w4z', 'leaky-api-0', 'web-7d9f8c6b5-x2k9p']);
		expect(m.frame()).toContain('↓%LIM');
		await m.press('z');
		expect(m.frame()).toContain('↑%LIM');
		expect(podOrder(m.frame())[0]).toBe('coredns-5d78c9869d-9xk2p');
		await m.press('a'); // names: A→Z first
		expect(podOrder(m.frame())).toEqual(['coredns-5d78c9869d-9xk2p', 'leaky-api-0', 'report-28473600-abcde', 'web-7d9f8c6b5-q8w4z', 'web-7d9f8c6b5-x2k9p']);
		await m.press('r');
		expect(podOrder(m.frame())[0]).toBe('web-7d9f8c6b5-x2k9p');
		await m.press('o'); // time to OOM: soonest first, the leaking pod
		expect(podOrder(m.frame())[0]).toBe('leaky-api-0');
		m.unmount();
	});

	it('the selection follows its pod when the data re-sorts the rows', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press('j'); // web-…-q8w4z
		expect(m.selected()[0]).toContain('web-7d9f8c6b5-q8w4z');
		m.store.upsertPod(pod('aaa', 'newcomer', {nodeName: 'worker-1'}));
		m.store.flush();
		await m.press('a'); // by name: a new order
		expect(m.selected()[0]).toContain('coredns'); // a new sort starts at the top
		await m.press('j', 'j');
		expect(m.selected()[0]).toContain('newcomer');
		m.unmount();
	});
});

describe('filter', () => {
	it('/ narrows the rows as you type, Enter keeps it, Esc clears it', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press('/', 'w', 'e', 'b');
		expect(podOrder(m.frame())).toEqual(['web-7d9f8c6b5-q8w4z', 'web-7d9f8c6b5-x2k9p']);
		expect(m.frame()).toContain('filter /web█');
		await m.press(keys.backspace, keys.backspace, keys.backspace, 'l', 'k'); // fuzzy: l…k
		expect(podOrder(m.frame())).toEqual(['leaky-api-0']);
		await m.press(keys.enter);
		expect(m.frame()).toContain('filter /lk');
		await m.press('j'); // keys work again after Enter
		await m.press(keys.esc);
		expect(podOrder(m.frame()).length).toBe(5);
		m.unmount();
	});

	it('keys arriving together act on the screen the previous ones lead to', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press('2\r'); // nodes view, then Enter on its first row (not on the pods list)
		expect(m.frame()).toContain('[2 Nodes] 3 Workloads  4 Events  › node/worker-2');
		await m.press('\u001b');
		await m.press('1ajj\r'); // sort by name, two down: report-…
		expect(m.frame()).toContain('› batch/report-28473600-abcde');
		m.unmount();
	});

	it('a whole word arriving in one read (tmux send-keys, fast SSH) is typed key by key', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press('/report');
		expect(podOrder(m.frame()).map(n => n.replace(/…$/, ''))).toEqual(['report-28473600-abc']);
		m.unmount();
	});
});

describe('drill-down', () => {
	it('Enter on a pod shows its containers, chart and diagnosis; moving focuses a container; Esc goes back', async () => {
		const m = await mount({width: 120, height: 40});
		await m.press(keys.enter);
		let f = m.frame();
		expect(f).toContain('› shop/leaky-api-0');
		expect(f).toContain('diagnosis: whole pod');
		expect(f).toMatch(/api\s+app\s+427Mi\s+380Mi\s+90Mi\s+470Mi/); // WS, RSS, cache, usage from the Summary API
		await m.press('j');
		f = m.frame();
		expect(f).toContain('diagnosis: api');
		expect(f).toMatch(/Time to OOM\s+OOM in 6m/);
		expect(f).toContain('── shop/leaky-api-0/api request 128Mi ━ limit 512Mi ━');
		await m.press(keys.esc);
		expect(m.frame()).not.toContain('›');
		expect(m.selected()[0]).toContain('leaky-api-0');
		m.unmount();
	});

	it('Enter on a node shows its eviction order and its pods; Enter on one of them drills further; Esc twice is back at the nodes', async () => {
		const m = await mount({width: 120, height: 40});
		await m.press('2', keys.enter);
		expect(m.frame()).toContain('150Mi above it');
		expect(m.frame()).toMatch(/1 shop\/leaky-api-0\s+477Mi\s+477Mi\s+192Mi\s+\+285Mi/);
		await m.press('j', keys.enter);
		expect(m.frame()).toContain('› node/worker-2 › shop/web-7d9f8c6b5-q8w4z');
		await m.press(keys.esc, keys.esc);
		expect(m.frame()).toContain('[2 Nodes]');
		expect(m.frame()).not.toContain('›');
		m.unmount();
	});

	it('Enter on a feed entry selects its pod or node, or says it is gone', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press('4', keys.enter);
		expect(m.frame()).toContain('› node/worker-2');
		await m.press(keys.esc, 'j', keys.enter);
		expect(m.frame()).toContain('pod batch/report-old no longer exists');
		await m.press('j', keys.enter);
		expect(m.frame()).toContain('› shop/leaky-api-0/api');
		m.unmount();
	});

	it('Enter on a workload lists its pods', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press('3', 'j', keys.enter);
		const f = m.frame();
		expect(f).toContain('Deployment shop/web · 2 pods');
		expect(podOrder(f)).toEqual(['web-7d9f8c6b5-q8w4z', 'web-7d9f8c6b5-x2k9p']);
		await m.press('b'); // not a workloads key here: b is not bound for pods
		await m.press(keys.esc, 'b');
		expect(m.frame()).toMatch(/ shop\s+3\s+862Mi/);
		m.unmount();
	});

	it('Space shows a pod\'s containers under it and ← hides them', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press(' ');
		expect(m.frame()).toContain('└ api  rss 380Mi cache 90Mi');
		await m.press('j');
		expect(m.selected()[0]).toContain('└ api');
		await m.press(keys.left);
		expect(m.frame()).not.toContain('└ api');
		expect(m.selected()[0]).toContain('leaky-api-0');
		m.unmount();
	});
});

describe('overlays and actions', () => {
	it('? shows every key of the current view and any key closes it', async () => {
		const m = await mount({width: 120, height: 40});
		await m.press('?');
		const f = m.frame();
		for (const k of ['↑/k up', 'Enter drill down', 'm working set', 'o time to OOM', ': namespace picker', '= label selector', 'v chart window', 'q quit']) expect(f).toContain(k);
		await m.press('x');
		expect(m.frame()).not.toContain('any key closes');
		expect(m.frame()).toContain('↓WS'); // the key only closed the help
		m.unmount();
	});

	it('? also lists the keys of the prompts and overlays; the movement keys scroll it', async () => {
		const m = await mount({width: 120, height: 50});
		await m.press('?');
		const f = m.frame();
		for (const b of bindings.filter(r => r.modes.some(mode => mode !== 'list' && mode !== 'detail'))) expect(f).toContain(`${b.display} ${b.help}`);
		await m.resize(80, 24);
		expect(m.frame()).toContain('↓ 6 more · any other key closes');
		await m.press('j', keys.pageDown);
		expect(m.frame()).toContain('other keys close this help');
		await m.press('g'); // not a key of the help: it closes it
		expect(m.frame()).toContain('↓WS');
		m.unmount();
	});

	it(': picks a namespace (client-side when watching all)', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press(':');
		expect(m.frame()).toContain('all namespaces');
		await m.press('j', 'j', 'j', keys.enter); // all, batch, kube-system, shop
		expect(podOrder(m.frame())).toEqual(['leaky-api-0', 'web-7d9f8c6b5-q8w4z', 'web-7d9f8c6b5-x2k9p']);
		expect(m.frame()).toContain('ns shop');
		expect(m.frame()).toContain('3/5 pods');
		await m.press(keys.esc);
		expect(podOrder(m.frame()).length).toBe(5);
		m.unmount();
	});

	it('= sends the typed label selector to the session and shows its error', async () => {
		const calls: string[] = [];
		const m = await mount({
			width: 120,
			height: 30,
			actions: {
				setSelector: async s => {
					calls.push(s);
					if (s.includes('!!')) throw new Error('invalid selector');
				},
			},
		});
		await m.press('=', 'a', 'p', 'p', '=', '!', '!', keys.enter);
		await new Promise(r => setTimeout(r, 10));
		expect(calls).toEqual(['app=!!']);
		expect(m.frame()).toContain('invalid selector');
		await m.press(keys.backspace, keys.backspace, 'w', 'e', 'b', keys.enter);
		await new Promise(r => setTimeout(r, 10));
		expect(calls).toEqual(['app=!!', 'app=web']);
		expect(m.frame()).toContain('selector app=web applied');
		m.unmount();
	});

	it('command keys typed into the selector and the filter are text: q does not quit, j does not move', async () => {
		const calls: string[] = [];
		const m = await mount({width: 120, height: 30, actions: {setSelector: async s => void calls.push(s)}});
		await m.press('=', 'q', 'j', 'k', 'g', '?', '/', ':', ' ', 'x');
		expect(m.frame()).toContain('label selector: qjkg?/: x█');
		await m.press(keys.enter);
		await new Promise(r => setTimeout(r, 10));
		expect(calls).toEqual(['qjkg?/: x']);
		await m.press('/', 'q', 'j');
		expect(m.frame()).toContain('filter /qj█');
		expect(m.quit.count).toBe(0);
		m.unmount();
	});

	it('q cancels the namespace picker and quits only outside it', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press(':', 'q');
		expect(m.frame()).not.toContain('all namespaces');
		expect(m.quit.count).toBe(0);
		await m.press('q');
		expect(m.quit.count).toBe(1);
		m.unmount();
	});

	it('q quits', async () => {
		const m = await mount();
		await m.press('q');
		expect(m.quit.count).toBe(1);
		m.unmount();
	});

	it('Tab and the view keys switch views; v changes the chart window', async () => {
		const m = await mount({width: 120, height: 30});
		await m.press(keys.tab);
		expect(m.frame()).toContain('[2 Nodes]');
		await m.press('w');
		expect(m.frame()).toContain('[3 Workloads]');
		await m.press('p', 'v');
		expect(m.frame()).toContain('1h (v)');
		await m.press('v');
		expect(m.frame()).toContain('5m (v)');
		m.unmount();
	});
});

describe('data and input', () => {
	it('new data waits while keys arrive and shows once they pause', async () => {
		const m = await mount({width: 120, height: 30, inputQuietMs: 300});
		await m.press('j');
		m.store.upsertPod(pod('aaa', 'late-arrival', {nodeName: 'worker-1'}));
		m.store.flush();
		await new Promise(r => setTimeout(r, 20));
		expect(m.frame()).not.toContain('late-arrival');
		await new Promise(r => setTimeout(r, 400));
		expect(m.frame()).toContain('late-arrival');
		m.unmount();
	});
});

describe('degraded data', () => {
	it('shows banners and keeps working without metrics', async () => {
		const store = demoStore({metrics: false});
		store.setBanner({id: 'metrics', level: 'error', text: 'metrics unavailable: metrics.k8s.io not served (tables without usage)', since: 0});
		store.flush();
		const m = await mount({store, width: 100, height: 30});
		const lines = m.lines();
		expect(lines[0]).toContain('metrics pending');
		expect(lines[1]).toBe(' ! metrics unavailable: metrics.k8s.io not served (tables without usage)');
		expect(m.frame()).toMatch(/shop\s+leaky-api-0\s+-\s+192Mi\s+576Mi/);
		expect(m.frame()).toContain('no working-set samples in the last 15m');
		await m.press('z', keys.enter); // no % of limit known: namespace/name order, batch/report first
		expect(m.frame()).toContain('› batch/report-28473600-abcde');
		expect(m.frame()).toContain('Working set      no sample');
		m.store.clearBanner('metrics');
		m.store.flush();
		await m.press('\u001b');
		expect(m.lines()[1]).toContain('[1 Pods]');
		m.unmount();
	});
});

describe('terminal', () => {
	it('follows a resize: no frame taller or wider than the viewport, down to 80×24 and back', async () => {
		const m = await mount({width: 120, height: 40});
		for (const [w, h] of [[80, 24], [100, 30], [200, 60], [120, 40]] as const) {
			await m.resize(w, h);
			for (const view of ['1', '2', '3', '4', '1']) {
				await m.press(view);
				const lines = m.lines();
				expect(lines.length).toBe(h);
				for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(w);
			}
		}

		m.unmount();
	});

	it('every screen fits small terminals too', async () => {
		for (const [w, h] of [[80, 24], [60, 15], [40, 10]] as const) {
			const m = await mount({width: w, height: h});
			for (const k of [keys.enter, 'j', keys.esc, '2', keys.enter, keys.esc, '3', '4', '?', 'x', ':', keys.esc]) {
				await m.press(k);
				expect(m.lines().length).toBe(h);
				for (const l of m.lines()) expect(cellWidth(l)).toBeLessThanOrEqual(w);
			}

			m.unmount();
		}
	});

	it('colours by the thresholds with 16-colour codes; none at all without colour but the selection bar', async () => {
		const c = await mount({width: 120, height: 30, colorMode: 'basic'});
		const colored = c.raw();
		expect(colored).toMatch(/\u001b\[33m\s*91%/); // 91 % of the limit: yellow
		expect(colored).toMatch(/\u001b\[31m\s*6m/); // OOM in 6 minutes: red
		const codes = new Set([...colored.matchAll(/\u001b\[([0-9;]*)m/g)].flatMap(x => x[1]!.split(';')));
		for (const code of codes) expect(['', '0', '1', '2', '7', '22', '27', '39', '31', '32', '33', '34', '35', '36', '90']).toContain(code);
		c.unmount();
		const n = await mount({width: 120, height: 30, colorMode: 'none'});
		const noColor = [...n.raw().matchAll(/\u001b\[([0-9;]*)m/g)].flatMap(x => x[1]!.split(';'));
		// reverse video for the selection and bold: attributes, not colours
		for (const code of noColor) expect(['1', '22', '7', '27', '0', '']).toContain(code);
		expect(noColor).toContain('7');
		n.unmount();
	});

	it('NO_COLOR and TERM=dumb turn colour off', () => {
		expect(detectColorMode({NO_COLOR: '1', TERM: 'xterm-256color'})).toBe('none');
		expect(detectColorMode({TERM: 'dumb'})).toBe('none');
		expect(detectColorMode({TERM: 'screen-256color'})).toBe('basic');
		expect(detectColorMode({NO_COLOR: '', TERM: 'tmux-256color'})).toBe('basic');
	});
});
