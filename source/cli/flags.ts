import {MemtopError} from '../kube/errors.js';
import type {Thresholds} from '../memory/percent.js';
import {parseDuration, parseQuantityOrNull} from '../memory/quantity.js';
import type {ListName} from '../view/sorts.js';
import type {FileConfig, LoadedConfig, View} from './config-file.js';
import {commands, outputFormats, shells, type OutputFormat} from './flag-table.js';
import {promSettings, windowFlag, type PromRawFlags, type PromSettings} from './prom-flags.js';
import {resolveRecordFlags, type RecordFlags, type RecordOptions} from './record-flags.js';

export type {View} from './config-file.js';
export type Command = View | 'recommend';
export type Shell = (typeof shells)[number];

export interface Options extends RecordOptions {
	command: Command;
	commandGiven: boolean;
	kubeconfig?: string;
	context?: string;
	namespace?: string;
	allNamespaces: boolean;
	selector?: string;
	fieldSelector?: string;
	/** where the namespace comes from without -n/-A: the context's (as kubectl) or all */
	namespaceScope: 'context' | 'all';
	metricsIntervalMs: number;
	historyMs: number;
	metrics: boolean;
	summary: boolean;
	demo: boolean;
	seed: number;
	once: boolean;
	output: OutputFormat;
	/** false: --no-headers */
	headers: boolean;
	observeMs: number;
	/** `memtop completion SHELL`: print the script, nothing else */
	shell?: Shell;
	/** from the config file: colours (auto: unless NO_COLOR/TERM=dumb), levels, first sort orders */
	colors: 'auto' | boolean;
	thresholds?: Thresholds;
	sorts: Partial<Record<ListName, string>>;
	/** the config file read (null: none) and what was wrong with it (each a line for stderr and a banner) */
	configFile: string | null;
	configProblems: string[];
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

const commandOf = new Map<string, Command | 'completion'>(commands.flatMap(c => [c.name, ...c.aliases].map(word => [word, c.name as Command | 'completion'])));
const commandNames = commands.map(c => c.name).join(', ');

export interface RawFlags extends PromRawFlags, RecordFlags {
	kubeconfig?: string;
	context?: string;
	namespace?: string;
	allNamespaces?: boolean;
	selector?: string;
	fieldSelector?: string;
	metricsInterval?: string;
	history?: string;
	headers?: boolean;
	config?: string;
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

const noConfig: LoadedConfig = {file: null, config: {}, problems: []};

/** the command word and its argument (`completion bash`) */
function commandWords(input: string[], config: FileConfig): {command: Command; shell?: Shell} {
	const word = input[0];
	const command = word === undefined ? (config.view ?? 'pods') : commandOf.get(word);
	if (!command) throw new MemtopError(`unknown command "${word}" (use ${commandNames})`, 2);
	if (command === 'completion') {
		const shell = input[1];
		if (shell === undefined || !(shells as readonly string[]).includes(shell) || input.length > 2) {
			throw new MemtopError(`completion: say which shell: memtop completion ${shells.join('|')}`, 2);
		}

		return {command: 'pods', shell: shell as Shell};
	}

	if (input.length > 1) throw new MemtopError(`expected at most one command (${commandNames}), got: ${input.join(' ')}`, 2);
	return {command};
}

/** the history to keep: the flag's, else the config's when it covers 4 intervals (else a problem and the default) */
function historyOf(flag: string | undefined, config: FileConfig, metricsIntervalMs: number, problems: string[], file: string | null): number {
	if (flag !== undefined) return durationFlag(flag, 'history');
	const h = config.historyMs;
	if (h !== undefined && h >= metricsIntervalMs * 4) return h;
	if (h !== undefined) problems.push(`config ${file}: history: shorter than 4 metrics intervals; using its default`);
	return Math.max(3_600_000, metricsIntervalMs * 4);
}

export function resolveOptions(words: string[], flags: RawFlags, loaded: LoadedConfig = noConfig): Options {
	const rec = resolveRecordFlags(words, flags);
	const input = rec.words;
	if (rec.outputIsFile) flags = {...flags, output: undefined};
	const config = loaded.config;
	const problems = [...loaded.problems];
	const {command, shell} = commandWords(input, config);
	const word = input[0];

	if (flags.namespace !== undefined && flags.allNamespaces) {
		throw new MemtopError('--namespace and --all-namespaces exclude each other', 2);
	}

	if (flags.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(flags.namespace)) {
		throw new MemtopError(`--namespace: "${flags.namespace}" is not a valid namespace name`, 2);
	}

	const output = (flags.output ?? 'table') as OutputFormat;
	if (!outputFormats.includes(output)) {
		throw new MemtopError(`--output: "${output}" is not supported (use ${outputFormats.join(', ')})`, 2);
	}

	if ((command === 'recommend' || rec.options.watch) && output !== 'table' && output !== 'json') {
		throw new MemtopError(`--output: ${rec.options.watch ? '--watch' : 'recommend'} prints table or json, not ${output}`, 2);
	}

	if (output === 'name' && command === 'events') {
		throw new MemtopError('--output name: events have no names to print (use pods, nodes or workloads)', 2);
	}

	if (flags.headers === false && !flags.once) {
		throw new MemtopError('--no-headers goes with --once', 2);
	}

	if (flags.output !== undefined && !flags.once && !rec.options.watch && command !== 'recommend') {
		throw new MemtopError('--output goes with --once or --watch (the interactive screen has no output format)', 2);
	}

	const metricsIntervalMs = flags.metricsInterval === undefined ? (config.metricsIntervalMs ?? 15_000) : durationFlag(flags.metricsInterval, 'metrics-interval');
	if (metricsIntervalMs < 1000 || metricsIntervalMs > 3_600_000) {
		throw new MemtopError('--metrics-interval must be between 1s and 1h', 2);
	}

	const historyMs = historyOf(flags.history, config, metricsIntervalMs, problems, loaded.file);
	if (historyMs < metricsIntervalMs * 4 || historyMs > 7 * 24 * 3_600_000) {
		throw new MemtopError('--history must cover at least 4 metrics intervals and at most 7 days', 2);
	}

	if (flags.selector !== undefined && flags.selector.trim() === '') {
		throw new MemtopError('--selector is empty', 2);
	}

	if (flags.fieldSelector !== undefined && flags.fieldSelector.trim() === '') {
		throw new MemtopError('--field-selector is empty', 2);
	}

	if (flags.fieldSelector !== undefined && command !== 'pods' && command !== 'workloads' && command !== 'recommend' && flags.once) {
		throw new MemtopError(`--field-selector selects pods: it does not apply to ${command}`, 2);
	}

	if (flags.demo && (flags.kubeconfig || flags.context)) {
		throw new MemtopError('--demo runs its own simulated cluster: drop --kubeconfig/--context', 2);
	}

	const requestTimeoutMs = flags.requestTimeout === undefined ? undefined : durationFlag(flags.requestTimeout, 'request-timeout');
	if (requestTimeoutMs !== undefined && (requestTimeoutMs < 1000 || requestTimeoutMs > 3_600_000)) {
		throw new MemtopError('--request-timeout must be between 1s and 1h', 2);
	}

	// the config file's Prometheus, unless a flag names one
	const promFromFile = flags.prometheus === undefined && flags.prometheusService === undefined ? {prometheus: config.prometheus, prometheusService: config.prometheusService, prometheusLabels: flags.prometheusLabels ?? config.prometheusLabels} : {};
	const prometheus = promSettings({...flags, ...promFromFile});
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
		fieldSelector: flags.fieldSelector,
		namespaceScope: config.namespaceScope ?? 'context',
		metricsIntervalMs,
		historyMs,
		metrics: flags.metrics !== false,
		summary: flags.summary !== false,
		demo: Boolean(flags.demo),
		seed,
		once: Boolean(flags.once),
		output,
		headers: flags.headers !== false,
		observeMs: durationFlag(flags.observe ?? '0s', 'observe'),
		shell,
		colors: config.colors ?? 'auto',
		thresholds: config.thresholds,
		sorts: config.sort ?? {},
		configFile: loaded.file,
		configProblems: problems,
		maxAnswerBytes: flags.maxAnswer === undefined ? undefined : answerFlag(flags.maxAnswer),
		requestTimeoutMs,
		prometheus,
		windowMs,
	};
}
