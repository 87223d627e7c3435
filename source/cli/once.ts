/** `--once`: one snapshot of the view model's rows, as a table or JSON, on stdout. */
import type {ApiClient} from '../kube/http.js';
import {shownText} from '../kube/sanitize.js';
import type {SessionOptions} from '../kube/session.js';
import {takeSnapshot} from '../kube/snapshot.js';
import type {Store} from '../store/store.js';
import {ViewModel} from '../view/index.js';
import type {Options, View} from './flags.js';
import {jsonText, snapshotJson, snapshotTable} from './output.js';

/** list what `view` prints (source/kube/snapshot.ts), `after` the lists (the Prometheus backfill), then print it */
export async function listOnce(session: SessionOptions, store: Store, view: View, options: Options, after?: (client: ApiClient) => Promise<void>): Promise<number> {
	await takeSnapshot(session, {nodeMetrics: view === 'nodes', events: view === 'events', summaries: view !== 'events'}, store, after);
	return runOnce(store, view, options);
}

/** `now`: the time the snapshot is of (a replay's recorded time) */
export async function runOnce(store: Store, view: View, options: Options, now = Date.now()): Promise<number> {
	store.flush?.();
	const vm = new ViewModel(store);
	const text = options.output === 'json' ? jsonText(snapshotJson(vm, view, now)) : shownText(snapshotTable(vm, view, now));
	await new Promise<void>(resolve => process.stdout.write(text, () => resolve()));
	return 0;
}
