/** The live view: the Ink TUI on the session's store, in the terminal's alternate screen. */
import {MemtopError} from '../kube/errors.js';
import {shownLine} from '../kube/sanitize.js';
import type {Session} from '../kube/session.js';
import type {Store} from '../store/store.js';
import type {Options, View} from './flags.js';

export async function runLive(store: Store, session: Session, view: View, options?: Pick<Options, 'colors' | 'sorts'>): Promise<number> {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw new MemtopError('the live view needs a terminal; use --once -o table|json for scripts', 2);
	}

	const {runTui} = await import('../ui/run.js');
	// an exec plugin's credential is renewed before it expires; a renewal that asks the user borrows the terminal
	session.credentials?.report({say: line => process.stderr.write(`memtop: ${shownLine(line)}\n`)});
	session.credentials?.keepFresh();
	await runTui({
		onTerminal: lease => session.credentials?.useTerminal(lease),
		store,
		// the lists are still coming in: a pod list refused ends the view with its error
		until: session.ready,
		initialView: view,
		colors: options?.colors,
		sorts: options?.sorts,
		actions: {
			setSelector: selector => session.setSelector(selector),
			setNamespace: namespace => session.setNamespace(namespace),
		},
	});
	return 0;
}
