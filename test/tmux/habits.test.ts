/**
 * kubectl's habits in a real terminal: a bad config file is said on stderr before the alternate
 * screen and as a banner, and memtop runs with the rest of the file; the config's first sort
 * order; the shell completions as zsh and bash really complete them (Tab in tmux).
 */
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {startSim} from '../../source/sim/index.js';
import {repo, startMemtop, tmuxAvailable, type Term} from './tmux.js';

const terms: Term[] = [];
afterEach(() => {
	for (const t of terms.splice(0)) t.kill();
});

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe.skipIf(!tmuxAvailable())('the config file in the live view', () => {
	it('a bad key: the line on stderr before the screen, a banner on it, the good keys applied, exit 0', async () => {
		const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-xdg-'));
		fs.mkdirSync(path.join(xdg, 'memtop'));
		const file = path.join(xdg, 'memtop', 'config.yaml');
		fs.writeFileSync(file, 'thresholds: high\nsort: {pods: pctLimit}\n');
		const t = startMemtop({width: 160, height: 40, env: {XDG_CONFIG_HOME: xdg}});
		terms.push(t);
		const rows = await t.waitFor('the banner over the pods table', r => r.some(l => l.includes('thresholds: is not a mapping')) && r.some(l => /\bPOD\b/.test(l)));
		expect(rows.find(l => l.includes('thresholds: is not a mapping'))).toContain(`config ${file}`);
		// sort: {pods: pctLimit} took: the arrow is on %LIM
		expect(rows.find(l => /\bPOD\b/.test(l))).toMatch(/↓%LIM/);
		t.keys('q');
		const after = await t.waitFor('memtop to exit', r => r.some(l => l.startsWith('memtop exited')));
		const said = after.findIndex(l => l.startsWith(`memtop: config ${file}: thresholds: is not a mapping`));
		expect(said).toBeGreaterThan(0);
		expect(after.find(l => l.startsWith('memtop exited'))).toBe('memtop exited 0');
	});
});

describe.skipIf(!tmuxAvailable())("the header says the namespace and why", () => {
	it("the context's namespace (from context), -A, and a namespace that is not there", async () => {
		const sim = await startSim({scenario: 'demo', seed: 3, clock: 'realtime'});
		try {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-ns-'));
			const kc = path.join(dir, 'config');
			fs.writeFileSync(kc, sim.kubeconfig({namespace: 'shop'}));
			const header = async (args: string[], text: string) => {
				const t = startMemtop({width: 160, height: 30, args: ['--kubeconfig', kc, ...args]});
				terms.push(t);
				const rows = await t.waitFor(text, r => r[0]!.includes(text));
				t.kill();
				return rows[0]!;
			};
			expect(await header([], 'ns shop (from context)')).toMatch(/ctx memtop-demo/);
			await header(['-A'], 'ns all (-A)');
			await header(['-n', 'nope'], 'ns nope (not found)');
		} finally {
			await sim.close();
		}
	});

	it('colors: false in the config file: no colour on the screen', async () => {
		const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-xdg-'));
		fs.mkdirSync(path.join(xdg, 'memtop'));
		fs.writeFileSync(path.join(xdg, 'memtop', 'config.yaml'), 'colors: false\n');
		const coloured = startMemtop({width: 140, height: 36});
		const plain = startMemtop({width: 140, height: 36, env: {XDG_CONFIG_HOME: xdg}});
		terms.push(coloured, plain);
		const ready = (r: string[]) => r.some(l => /\bPOD\b/.test(l)) && r.some(l => /\d+(\.\d+)?[MG]i/.test(l));
		await coloured.waitFor('the pods table', ready);
		await plain.waitFor('the pods table', ready);
		// foreground colours are SGR 30–37/90–97 (alone or after other attributes)
		const colour = /\u001b\[(?:[\d;]*;)?(?:3[0-7]|9[0-7])m/;
		expect(coloured.screenWithEscapes()).toMatch(colour);
		expect(plain.screenWithEscapes()).not.toMatch(colour);
	});
});

/** a shell in tmux with memtop's completion loaded; `line` typed, then Tab */
async function complete(shell: 'zsh' | 'bash', line: string, expectText: RegExp): Promise<string[]> {
	const socket = `memtop-compl-${process.pid}-${Math.random().toString(36).slice(2)}`;
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-compl-')), `memtop.${shell}`);
	fs.writeFileSync(script, execFileSync(process.execPath, [path.join(repo, 'dist', 'cli', 'main.js'), 'completion', shell], {encoding: 'utf8'}));
	const start = shell === 'zsh' ? ['zsh', '-f'] : ['bash', '--norc', '--noprofile'];
	tmux('new-session', '-d', '-s', 'c', '-x', '160', '-y', '30', ...start);
	try {
		const send = (...keys: string[]) => tmux('send-keys', '-t', 'c', ...keys);
		if (shell === 'zsh') send('-l', `autoload -Uz compinit && compinit -u && source ${script} && echo loaded`);
		else send('-l', `source ${script} && echo loaded`);
		send('Enter');
		const deadline = Date.now() + 20_000;
		const screen = () => tmux('capture-pane', '-p', '-t', 'c').split('\n');
		while (!screen().some(l => l === 'loaded')) {
			if (Date.now() > deadline) throw new Error(`the completion did not load:\n${screen().join('\n')}`);
			await new Promise(r => setTimeout(r, 100));
		}

		send('-l', line);
		send('Tab');
		if (shell === 'bash') send('Tab');
		for (;;) {
			const rows = screen();
			if (rows.some(l => expectText.test(l))) return rows;
			if (Date.now() > deadline) throw new Error(`no completion matching ${expectText}:\n${rows.join('\n')}`);
			await new Promise(r => setTimeout(r, 100));
		}
	} finally {
		try {
			tmux('kill-server');
		} catch {}
	}
}

describe.skipIf(!tmuxAvailable())('memtop completion, as the shells complete', () => {
	it.skipIf(!has('zsh'))('zsh: -o offers the formats; a command word the commands', async () => {
		const formats = await complete('zsh', 'memtop -o ', /table.*wide|wide.*table/);
		expect(formats.join('\n')).toMatch(/yaml/);
		const cmds = await complete('zsh', 'memtop work', /memtop workloads/);
		expect(cmds.some(l => /memtop workloads/.test(l))).toBe(true);
	});

	it.skipIf(!has('bash'))('bash: --no-h completes to --no-headers; completion offers the shells', async () => {
		await complete('bash', 'memtop --no-h', /memtop --no-headers/);
		const shells = await complete('bash', 'memtop completion ', /bash\s+fish\s+zsh|bash.*zsh/);
		expect(shells.join('\n')).toMatch(/fish/);
	});
});
