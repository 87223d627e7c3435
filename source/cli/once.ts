/** `--once`: one snapshot of the view model's rows, as a table or JSON, on stdout. */
import {shownText} from '../kube/sanitize.js';
import type {Store} from '../store/store.js';
import {ViewModel} from '../view/index.js';
import type {Options, View} from './flags.js';
import {jsonText, snapshotJson, snapshotTable} from './output.js';

/** `now`: the time the snapshot is of (a replay's recorded time) */
export async function runOnce(store: Store, view: View, options: Options, now = Date.now()): Promise<number> {
	store.flush?.();
	const vm = new ViewModel(store);
	const text = options.output === 'json' ? jsonText(snapshotJson(vm, view, now)) : shownText(snapshotTable(vm, view, now));
	await new Promise<void>(resolve => process.stdout.write(text, () => resolve()));
	return 0;
}
