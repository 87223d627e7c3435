/**
 * `memtop completion bash|zsh|fish`: scripts written from the flag table; each one parses in its
 * shell, names every flag and command, and completes what it should (bash's function with
 * COMP_WORDS, fish's `complete -C`; zsh and bash by Tab in test/tmux/habits.test.ts).
 */
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {completionScript} from '../../../source/cli/completion.js';
import {commands, kebab, table} from '../../../source/cli/flag-table.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-completion-'));
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

function save(shell: 'bash' | 'zsh' | 'fish'): string {
	const file = path.join(dir, `memtop.${shell}`);
	fs.writeFileSync(file, completionScript(shell));
	return file;
}

describe('completion scripts', () => {
	it('name every flag of the table and every command', () => {
		for (const shell of ['bash', 'zsh', 'fish'] as const) {
			const text = completionScript(shell);
			for (const [name, d] of Object.entries(table)) expect(text, `${shell} ${name}`).toContain(`${'negated' in d && d.negated ? 'no-' : ''}${kebab(name)}`);
			for (const c of commands) expect(text, `${shell} ${c.name}`).toContain(c.name);
		}
	});

	it.skipIf(!has('bash'))('bash: flags, -o values, commands, shells', () => {
		const file = save('bash');
		const reply = (...words: string[]) =>
			execFileSync('bash', ['--norc', '-c', `source ${file}; COMP_WORDS=(${words.map(w => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _memtop; printf '%s\\n' "\${COMPREPLY[@]}"`], {encoding: 'utf8'}).trim().split('\n');
		expect(reply('memtop', '-o', '')).toEqual(['table', 'wide', 'json', 'yaml', 'name']);
		expect(reply('memtop', '--field')).toEqual(['--field-selector']);
		expect(reply('memtop', 'wo')).toEqual(['workloads']);
		expect(reply('memtop', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
		// after a command, no second command
		expect(reply('memtop', 'pods', 'no')).toEqual(['']);
	});

	it.skipIf(!has('zsh'))('zsh: the script parses', () => {
		execFileSync('zsh', ['-n', save('zsh')]);
	});

	it.skipIf(!has('fish'))('fish: complete -C gives the -o formats, the commands and the shells', () => {
		const file = save('fish');
		const complete = (line: string) =>
			execFileSync('fish', ['--no-config', '-c', `source ${file}; complete -C '${line}'`], {encoding: 'utf8'})
				.trim()
				.split('\n')
				.map(l => l.split('\t')[0]);
		expect(complete('memtop -o ').sort()).toEqual(['json', 'name', 'table', 'wide', 'yaml']);
		expect(complete('memtop wo')).toEqual(['workloads']);
		expect(complete('memtop completion ').sort()).toEqual(['bash', 'fish', 'zsh']);
		expect(complete('kubectl-memtop --no-hea')).toEqual(['--no-headers']);
	});
});
