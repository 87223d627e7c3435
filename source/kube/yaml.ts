/**
 * YAML text from outside (memtop's config file) as plain data, read by the same parser the
 * kubeconfig goes through (client-node's, which only this folder imports). A syntax error is one
 * line: js-yaml's first line, with its line and column.
 */
import {loadYaml} from './client-node.js';

export function parseYaml(text: string): {value: unknown} | {error: string} {
	if (text.trim() === '') return {value: null};
	try {
		return {value: loadYaml<unknown>(text)};
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
		return {error: message};
	}
}
