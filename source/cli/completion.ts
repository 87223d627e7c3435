/**
 * `memtop completion bash|zsh|fish`: a completion script written from the one flag table
 * (flag-table.ts): the commands, every flag, -o's formats, file names for --kubeconfig and
 * --config, the shells after `completion`. The same script completes `kubectl-memtop`.
 */
import {commands, longName, shells, table} from './flag-table.js';
import type {Shell} from './flags.js';

interface Flag {
	long: string;
	short?: string;
	takesValue: boolean;
	choices?: readonly string[];
	files: boolean;
	help: string;
}

function flagList(): Flag[] {
	return Object.entries(table).map(([name, d]) => {
		const def = d as {type: string; shortFlag?: string; choices?: readonly string[] | 'file'; negated?: boolean; help: string};
		return {
			long: longName(name, def as Parameters<typeof longName>[1]),
			short: def.shortFlag,
			takesValue: def.type !== 'boolean',
			choices: Array.isArray(def.choices) ? def.choices : undefined,
			files: def.choices === 'file',
			help: def.help.replace(/\n/g, ' '),
		};
	});
}

const programs = ['memtop', 'kubectl-memtop'];
const words = (list: readonly string[]) => list.join(' ');

function bash(): string {
	const flags = flagList();
	const names = flags.flatMap(f => [f.long, ...(f.short ? [`-${f.short}`] : [])]);
	const cases: string[] = [];
	for (const f of flags) {
		if (!f.takesValue) continue;
		const pattern = [f.long, ...(f.short ? [`-${f.short}`] : [])].join('|');
		if (f.choices) cases.push(`\t\t${pattern}) COMPREPLY=($(compgen -W '${words(f.choices)}' -- "$cur")); return ;;`);
		else if (f.files) cases.push(`\t\t${pattern}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`);
		else cases.push(`\t\t${pattern}) return ;;`);
	}

	const cmds = commands.flatMap(c => [c.name, ...c.aliases]);
	return `# memtop completion for bash: source <(memtop completion bash)
_memtop() {
	local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} i
	COMPREPLY=()
	case "$prev" in
${cases.join('\n')}
		completion) COMPREPLY=($(compgen -W '${words(shells)}' -- "$cur")); return ;;
	esac
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W '${words(names)}' -- "$cur"))
		return
	fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		case " ${words(cmds)} " in *" \${COMP_WORDS[i]} "*) return ;; esac
	done
	COMPREPLY=($(compgen -W '${words(commands.map(c => c.name))}' -- "$cur"))
}
complete -o default -F _memtop ${words(programs)}
`;
}

/** text inside a zsh _arguments spec: no brackets, colons or single quotes */
const zshText = (s: string) => s.replace(/[[\]:]/g, ' ').replace(/'/g, "'\\''").replace(/\s+/g, ' ').trim();

function zsh(): string {
	const specs = flagList().map(f => {
		const value = f.takesValue ? `:${f.long.slice(2)}:${f.choices ? `(${words(f.choices)})` : f.files ? '_files' : ' '}` : '';
		const help = `[${zshText(f.help)}]`;
		return f.short ? `\t\t'(-${f.short} ${f.long})'{-${f.short},${f.long}}'${help}${value}'` : `\t\t'${f.long}${help}${value}'`;
	});
	const cmds = commands.map(c => `\t\t'${c.name}:${zshText(c.help)}'`);
	return `#compdef ${words(programs)}
# memtop completion for zsh: source <(memtop completion zsh), or save as _memtop in $fpath
_memtop() {
	local -a cmds
	cmds=(
${cmds.join('\n')}
	)
	local state line
	_arguments -s -S \\
${specs.join(' \\\n')} \\
		'1: :->command' \\
		'2: :->argument'
	case $state in
		command) _describe -t commands 'memtop command' cmds ;;
		argument) [[ \${line[1]} == completion ]] && _values shell ${words(shells)} ;;
	esac
}
if [[ \${zsh_eval_context[-1]} == loadautoload ]]; then
	_memtop "$@"
else
	compdef _memtop ${words(programs)}
fi
`;
}

/** text inside a fish single-quoted string */
const fishText = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

function fish(): string {
	const lines: string[] = ['# memtop completion for fish: memtop completion fish | source', `for c in ${words(programs)}`, '\tcomplete -c $c -f'];
	const names = commands.map(c => c.name);
	for (const c of commands) lines.push(`\tcomplete -c $c -n 'not __fish_seen_subcommand_from ${words(names)}' -a ${c.name} -d '${fishText(c.help)}'`);
	lines.push(`\tcomplete -c $c -n '__fish_seen_subcommand_from completion' -a '${words(shells)}'`);
	for (const f of flagList()) {
		const parts = [`\tcomplete -c $c`, ...(f.short ? [`-s ${f.short}`] : []), `-l ${f.long.slice(2)}`];
		if (f.choices) parts.push(`-x -a '${words(f.choices)}'`);
		else if (f.files) parts.push('-r -F');
		else if (f.takesValue) parts.push('-x');
		parts.push(`-d '${fishText(f.help)}'`);
		lines.push(parts.join(' '));
	}

	lines.push('end');
	return lines.join('\n') + '\n';
}

export function completionScript(shell: Shell): string {
	return shell === 'bash' ? bash() : shell === 'zsh' ? zsh() : fish();
}
