/**
 * A one-shot asks the kubelet Summary API (one request a node) only where it prints a figure of
 * it (cli/once-needs.ts). Every view in every format, against the simulated cluster (its kubelets
 * serve Summaries with RSS and PSI), run with the Summary and with --no-summary: the output differs
 * exactly where showsSummary says, and where it says no, memtop asked no node for one.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {outputFormats, type OutputFormat} from '../../../source/cli/flag-table.js';
import {showsSummary} from '../../../source/cli/once-needs.js';
import type {View} from '../../../source/cli/config-file.js';
import {startSim, type SimHandle} from '../../../source/sim/index.js';

const main = path.resolve(import.meta.dirname, '../../../dist/cli/main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memtop-needs-'));

function run(args: string[]): Promise<{code: number | null; out: string; err: string}> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [main, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {PATH: process.env['PATH'], HOME: dir}});
		let out = '';
		let err = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (err += c.toString()));
		child.on('close', code => resolve({code, out, err}));
	});
}

/** the text with what moves between two runs a moment apart taken out (snapshot times, ages) */
function steady(text: string): string {
	return text.replace(/"(time|now|at|generatedAt|metricsTime|receivedAt)": ?"[^"]*"/g, '"$1":"…"').replace(/^(time|now|at|generatedAt|metricsTime|receivedAt): .*$/gm, '$1: …');
}

let sim: SimHandle;
let kubeconfig: string;
beforeAll(async () => {
	sim = await startSim({scenario: 'demo', seed: 5, clock: 'manual'});
	sim.advance(60_000);
	kubeconfig = path.join(dir, 'config');
	fs.writeFileSync(kubeconfig, sim.kubeconfig());
});
afterAll(() => {
	sim.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

const views: View[] = ['pods', 'nodes', 'workloads', 'events'];

describe('the kubelet Summary API in a one-shot', () => {
	for (const view of views) {
		for (const output of outputFormats as readonly OutputFormat[]) {
			const shows = showsSummary(view, output);
			// events have no names: that one-shot is refused before it asks anything
			if (view === 'events' && output === 'name') continue;
			it(`${view} -o ${output}: ${shows ? 'shows Summary figures, so it asks the nodes' : 'shows none, and asks no node'}`, async () => {
				const args = [...(view === 'pods' ? [] : [view]), '--once', '-A', '-o', output, '--kubeconfig', kubeconfig];
				const summaries = () => sim.requests.filter(r => r.path.endsWith('/stats/summary')).length;
				const before = summaries();
				const withIt = await run(args);
				const asked = summaries() - before;
				const without = await run([...args, '--no-summary']);
				expect(withIt.code).toBe(0);
				expect(without.code).toBe(0);
				expect(withIt.err).toBe('');
				expect(steady(withIt.out) !== steady(without.out)).toBe(shows);
				expect(asked > 0).toBe(shows);
			});
		}
	}
});
