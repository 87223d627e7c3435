import {MemtopError} from '../kube/errors.js';
import {parseDuration, parseQuantityOrNull} from '../memory/quantity.js';
import {promSettings, windowFlag, type PromRawFlags, type PromSettings} from './prom-flags.js';
import {resolveRecordFlags, type RecordFlags, type RecordOptions} from './record-flags.js';

export type View = 'pods' | 'nodes' | 'events' | 'workloads';
export type Command = View | 'recommend';

export interface Options extends RecordOptions {
	command: Command;
	commandGiven: boolean;
	kubeconfig?: string;
	context?: string;
	namespace?: string;
	allNamespaces: boolean;
	selector?: string;
	metricsIntervalMs: number;
	historyMs: number;
	metrics: boolean;
	summary: boolean;
	demo: boolean;
	seed: number;
	once: boolean;
	output: 'table' | 'json';
	observeMs: number;
	/** --max-answer: the bound on one answer from the cluster */
	maxAnswerBytes?: number;
	/** --request-timeout: the longest one request may take */
	requestTimeoutMs?: number;
	/** --prometheus…: where history comes from (null: none) */
	prometheus: PromSettings | null;
	/** recommend --window (0: observe live) */
	windowMs: number;
}

/** "15s", "2m", "1h30m", "500ms", or a plain number of seconds. */
export function durationFlag(value: string, flag: string): number {
	const s = value.trim();
	if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
	if (s.startsWith('-')) throw new MemtopError(`--${flag}: "${value}" is negative (a duration is at least 0, e.g. 15s, 2m, 1h)`, 2);
	const ms = parseDuration(s);
	if (ms === null) throw new MemtopError(`--${flag}: "${value}" is not a duration (examples: 15s, 2m, 1h)`, 2);
	return ms;
}

/** "256Mi", "1Gi", "500M", or a plain number of bytes, between 16Mi and 4Gi */
function answerFlag(value: string): number {
	const bytes = parseQuantityOrNull(value.trim());
	if (bytes === null) throw new MemtopError(`--max-answer: "${value}" is not a size (examples: 256Mi, 1Gi)`, 2);
	if (bytes < 16 * 2 ** 20 || bytes > 4 * 2 ** 30) throw new MemtopError('--max-answer must be between 16Mi and 4Gi', 2);
	return bytes;
}

/**
 * `--flag value` where the value starts with a dash, as `--flag=value`: a flag that takes a value
 * takes the next word whatever it is, as kubectl's flags do (`--metrics-interval -5s` is a
 * negative duration, not the flags -5 and -s). `valued` holds the names with their dashes.
 */
export function attachValues(argv: readonly string[], valued: ReadonlySet<string>): string[] {
	const out: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const word = argv[i]!;
		const next = argv[i + 1];
		if (valued.has(word) && next !== undefined && next.startsWith('-')) {
			out.push(`${word}=${next}`);
			i++;
		} else {
			out.push(word);
		}
	}

	return out;
}

const commands = new Set<Command>(['pods', 'nodes', 'events', 'workloads', 'recommend']);
const aliases: Record<string, Command> = {po: 'pods', pod: 'pods', no: 'nodes', node: 'nodes', ev: 'events', event: 'events', workload: 'workloads', wl: 'workloads', rec: 'recommend'};

interface RawFlags extends PromRawFlags, RecordFlags {
	kubeconfig?: string;
	context?: string;
	namespace?: string;
	allNamespaces?: boolean;
	selector?: string;
	metricsInterval?: string;
	history?: string;
	metrics?: boolean;
	summary?: boolean;
	demo?: boolean;
	seed?: number;
	once?: boolean;
	output?: string;
	observe?: string;
	maxAnswer?: string;
	requestTimeout?: string;
}

export function resolveOptions(words: string[], flags: RawFlags): Options {
	const rec = resolveRecordFlags(words, flags);
	const input = rec.words;
	if (rec.outputIsFile) flags = {...flags, output: undefined};
	if (input.length > 1) {
		throw new MemtopError(`expected at most one command (pods, nodes, events, workloads, recommend), got: ${input.join(' ')}`, 2);
	}

	let command: Command = 'pods';
	const word = input[0];
	if (word !== undefined) {
		const c = (commands.has(word as Command) ? word : aliases[word]) as Command | undefined;
		if (!c) throw new MemtopError(`unknown command "${word}" (use pods, nodes, events, workloads or recommend)`, 2);
		command = c;
	}

	if (flags.namespace !== undefined && flags.allNamespaces) {
		throw new MemtopError('--namespace and --all-namespaces exclude each other', 2);
	}

	if (flags.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(flags.namespace)) {
		throw new MemtopError(`--namespace: "${flags.namespace}" is not a valid namespace name`, 2);
	}

	const output = flags.output ?? 'table';
	if (output !== 'table' && output !== 'json') {
		throw new MemtopError(`--output: "${output}" is not supported (use table or json)`, 2);
	}

	if (flags.output !== undefined && !flags.once && !rec.options.watch && command !== 'recommend') {
		throw new MemtopError('--output goes with --once or --watch (the interactive screen has no output format)', 2);
	}

	const metricsIntervalMs = durationFlag(flags.metricsInterval ?? '15s', 'metrics-interval');
	if (metricsIntervalMs < 1000 || metricsIntervalMs > 3_600_000) {
		throw new MemtopError('--metrics-interval must be between 1s and 1h', 2);
	}

	const historyMs = durationFlag(flags.history ?? '1h', 'history');
	if (historyMs < metricsIntervalMs * 4 || historyMs > 7 * 24 * 3_600_000) {
		throw new MemtopError('--history must cover at least 4 metrics intervals and at most 7 days', 2);
	}

	if (flags.selector !== undefined && flags.selector.trim() === '') {
		throw new MemtopError('--selector is empty', 2);
	}

	if (flags.demo && (flags.kubeconfig || flags.context)) {
		throw new MemtopError('--demo runs its own simulated cluster: drop --kubeconfig/--context', 2);
	}

	const requestTimeoutMs = flags.requestTimeout === undefined ? undefined : durationFlag(flags.requestTimeout, 'request-timeout');
	if (requestTimeoutMs !== undefined && (requestTimeoutMs < 1000 || requestTimeoutMs > 3_600_000)) {
		throw new MemtopError('--request-timeout must be between 1s and 1h', 2);
	}

	const prometheus = promSettings(flags);
	const windowMs = windowFlag(flags, command, prometheus);
	if (windowMs > 0 && flags.observe !== undefined) throw new MemtopError('--window and --observe exclude each other (a window from Prometheus, or live observation)', 2);

	const seed = flags.seed ?? 1;
	if (!Number.isInteger(seed) || seed < 0) throw new MemtopError('--seed must be a whole number ≥ 0', 2);

	return {
		...rec.options,
		command,
		commandGiven: word !== undefined,
		kubeconfig: flags.kubeconfig,
		context: flags.context,
		namespace: flags.namespace,
		allNamespaces: Boolean(flags.allNamespaces),
		selector: flags.selector,
		metricsIntervalMs,
		historyMs,
		metrics: flags.metrics !== false,
		summary: flags.summary !== false,
		demo: Boolean(flags.demo),
		seed,
		once: Boolean(flags.once),
		output,
		observeMs: durationFlag(flags.observe ?? '0s', 'observe'),
		maxAnswerBytes: flags.maxAnswer === undefined ? undefined : answerFlag(flags.maxAnswer),
		requestTimeoutMs,
		prometheus,
		windowMs,
	};
}
