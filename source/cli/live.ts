/** The live view: the Ink TUI on the session's store, in the terminal's alternate screen. */
import {MemtopError} from '../kube/errors.js';
import type {Session} from '../kube/session.js';
import type {Store} from '../store/store.js';
import type {View} from './flags.js';

export async function runLive(store: Store, session: Session, view: View): Promise<number> {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw new MemtopError('the live view needs a terminal; use --once -o table|json for scripts', 2);
	}

	const {runTui} = await import('../ui/run.js');
	await runTui({
		store,
		// the lists are still coming in: a pod list refused ends the view with its error
		until: session.ready,
		initialView: view,
		actions: {
			setSelector: selector => session.setSelector(selector),
			setNamespace: namespace => session.setNamespace(namespace),
		},
	});
	return 0;
}
