/** The simulated cluster in a process of its own, so the bench's figures are memtop's alone. */
import {spawn} from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function startSim(pods: number, nodes: number): Promise<{url: string; stop: () => void}> {
	const child = spawn(process.execPath, [path.join(here, '../sim/main.js'), '--scenario', 'scale', '--pods', String(pods), '--nodes', String(nodes), '--seed', '1', '--tick-ms', '5000'], {
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const lines = readline.createInterface({input: child.stdout!});
	for await (const line of lines) {
		const m = /^SIM_URL=(\S+)/.exec(line);
		if (m) {
			return {url: m[1]!, stop: () => child.kill('SIGTERM')};
		}
	}

	throw new Error('the simulated cluster exited before printing SIM_URL');
}
