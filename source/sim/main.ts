#!/usr/bin/env node
/**
 * Run the simulated cluster on its own (for the bench and by hand):
 *
 *   node dist/sim/main.js --scenario scale --pods 150000 --nodes 5000 --seed 1 [--port 0] [--tick-ms 15000]
 *
 * Prints `SIM_URL=http://127.0.0.1:PORT` (and `SIM_KUBECONFIG=path` with --kubeconfig) once it is
 * serving, then serves until SIGTERM/SIGINT or until its stdin (when a pipe) closes.
 */
import {writeFileSync} from 'node:fs';
import {fstatSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {simKubeconfig, startSim, type SimOptions} from './index.js';

const {values} = parseArgs({
	options: {
		scenario: {type: 'string', default: 'demo'},
		pods: {type: 'string'},
		nodes: {type: 'string'},
		seed: {type: 'string', default: '1'},
		port: {type: 'string', default: '0'},
		host: {type: 'string', default: '127.0.0.1'},
		'tick-ms': {type: 'string'},
		'metrics-resolution-ms': {type: 'string'},
		speed: {type: 'string'},
		clock: {type: 'string', default: 'realtime'},
		'metrics-v1': {type: 'boolean', default: false},
		'no-metrics': {type: 'boolean', default: false},
		forbid: {type: 'string', multiple: true},
		token: {type: 'string'},
		'history-window': {type: 'string'},
		kubeconfig: {type: 'string'},
		help: {type: 'boolean', default: false},
	},
	strict: true,
});

if (values.help) {
	process.stdout.write('usage: main.js [--scenario demo|scale|empty] [--pods N] [--nodes M] [--seed S] [--port P] [--tick-ms MS] [--metrics-resolution-ms MS] [--speed X] [--clock realtime|manual] [--metrics-v1] [--no-metrics] [--forbid RES]... [--token T] [--history-window N] [--kubeconfig FILE]\n');
	process.exit(0);
}

function num(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	const value = Number(text);
	if (!Number.isFinite(value)) {
		process.stderr.write(`not a number: ${text}\n`);
		process.exit(2);
	}

	return value;
}

const scenario = values.scenario;
if (scenario !== 'demo' && scenario !== 'scale' && scenario !== 'empty') {
	process.stderr.write(`unknown scenario: ${scenario}\n`);
	process.exit(2);
}

const options: SimOptions = {
	scenario,
	seed: num(values.seed),
	pods: num(values.pods),
	nodes: num(values.nodes),
	port: num(values.port),
	host: values.host,
	tickMs: num(values['tick-ms']),
	metricsResolutionMs: num(values['metrics-resolution-ms']),
	speed: num(values.speed),
	clock: values.clock === 'manual' ? 'manual' : 'realtime',
	metricsV1: values['metrics-v1'],
	noMetrics: values['no-metrics'],
	forbid: values.forbid ?? [],
	requireToken: values.token,
	historyWindow: num(values['history-window']),
};

const started = performance.now();
const sim = await startSim(options);
if (values.kubeconfig) {
	writeFileSync(values.kubeconfig, simKubeconfig(sim.url, {token: values.token}));
	process.stdout.write(`SIM_KUBECONFIG=${values.kubeconfig}\n`);
}

process.stdout.write(`SIM_URL=${sim.url}\n`);
process.stderr.write(`sim: ${scenario} scenario ready in ${Math.round(performance.now() - started)} ms (resourceVersion ${sim.resourceVersion()})\n`);

let stopping = false;
const stop = (): void => {
	if (stopping) {
		return;
	}

	stopping = true;
	void sim.close().then(() => process.exit(0));
};

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
try {
	const stat = fstatSync(0);
	if (stat.isFIFO() || stat.isSocket()) {
		process.stdin.on('end', stop);
		process.stdin.on('close', stop);
		process.stdin.resume();
	}
} catch {
	// no stdin
}

// The realtime clock's timer is unref'd; keep the process alive while serving.
setInterval(() => undefined, 1 << 30);
