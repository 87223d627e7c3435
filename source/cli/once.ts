/**
 * `--once`: list what the view prints (source/kube/snapshot.ts), then print it (once-print.ts). The
 * printing half (the view model, the formats, string-width) is loaded while the server answers,
 * not before the first request goes out.
 */
import type {ApiClient} from '../kube/http.js';
import type {SessionOptions} from '../kube/session.js';
import {takeSnapshot} from '../kube/snapshot.js';
import type {Store} from '../store/store.js';
import type {Options, View} from './flags.js';
import {onceNeeds} from './once-needs.js';

/** list what `view` prints, `after` the lists (the Prometheus backfill), then print it */
export async function listOnce(session: SessionOptions, store: Store, view: View, options: Options, after?: (client: ApiClient) => Promise<void>): Promise<number> {
	let print: Promise<typeof import('./once-print.js')> | undefined;
	const load = () => {
		print ??= import('./once-print.js');
		// a failed snapshot is the error to show, whatever the import does meanwhile
		print.catch(() => {});
	};

	await takeSnapshot({...session, onAsked: load}, onceNeeds(view, options.output), store, after);
	load();
	const {runOnce} = await print!;
	return runOnce(store, view, options);
}
