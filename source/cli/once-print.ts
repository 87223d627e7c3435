/**
 * `--once`: one snapshot of the view model's rows on stdout, in the format -o asks for. A scope
 * with nothing in it says so on stderr as kubectl does ("No resources found in nope namespace.");
 * the exit code is 1 when the namespace asked for does not exist, else 0 (kubectl get exits 0 for
 * both: memtop tells a typo from an empty namespace).
 */
import {shownLine, shownText} from '../kube/sanitize.js';
import type {Store} from '../store/store.js';
import {ViewModel} from '../view/index.js';
import type {Options, View} from './flags.js';
import {jsonText, snapshotJson, snapshotNames, snapshotTableParts, yamlText} from './output.js';

/** the width a table fits: COLUMNS, else the terminal's; none into a pipe or a file */
export function tableWidth(env: NodeJS.ProcessEnv = process.env, stdout: {isTTY?: boolean; columns?: number} = process.stdout): number | undefined {
	const columns = Number(env['COLUMNS']);
	if (Number.isInteger(columns) && columns > 0) return columns;
	return stdout.isTTY && stdout.columns ? stdout.columns : undefined;
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
	return new Promise<void>(resolve => (text === '' ? resolve() : stream.write(text, () => resolve())));
}

function count(vm: ViewModel, view: View): number {
	if (view === 'nodes') return vm.status(0).nodes;
	if (view === 'events') return vm.feed().length;
	return vm.podCount();
}

/** `now`: the time the snapshot is of (a replay's recorded time) */
export async function runOnce(store: Store, view: View, options: Pick<Options, 'output' | 'headers'>, now = Date.now()): Promise<number> {
	store.flush?.();
	const vm = new ViewModel(store);
	const c = store.connection;
	const empty = count(vm, view) === 0;
	const missing = c?.namespaceMissing === true && view !== 'nodes';
	let out: string;
	let notes: string[] = [];
	if (options.output === 'json') out = jsonText(snapshotJson(vm, view, now));
	else if (options.output === 'yaml') out = yamlText(snapshotJson(vm, view, now));
	else if (options.output === 'name') out = shownText(snapshotNames(vm, view === 'events' ? 'pods' : view));
	else {
		const parts = snapshotTableParts(vm, view, now, {wide: options.output === 'wide', width: options.output === 'wide' ? undefined : tableWidth()});
		const warnings = parts.notes.filter(n => n.startsWith('! ')).map(n => n.slice(2));
		let lines: string[];
		if (empty) [lines, notes] = [[], warnings];
		else if (options.headers) lines = [...parts.notes, parts.header, ...parts.rows];
		else [lines, notes] = [parts.rows, warnings];
		out = lines.length === 0 ? '' : shownText(lines.join('\n')) + '\n';
	}

	await write(process.stdout, out);
	// kubectl's line where a list is empty (not for json/yaml, whose empty list says it)
	const say = [...notes];
	if (empty && options.output !== 'json' && options.output !== 'yaml') {
		const ns = view === 'nodes' ? null : (c?.namespace ?? null);
		say.push(ns === null ? 'No resources found' : `No resources found in ${ns} namespace.`);
	}

	if (say.length > 0) await write(process.stderr, say.map(l => `${l.startsWith('No resources') ? '' : 'memtop: '}${shownLine(l)}\n`).join(''));
	return missing ? 1 : 0;
}
