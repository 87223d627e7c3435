/**
 * memtop's commands and flags, one table: meow's flags, the help text, the shell completions
 * (completion.ts) and the unknown-flag check all read it.
 */
import type {AnyFlag, AnyFlags} from 'meow';

type Group = 'Cluster' | 'Prometheus' | 'Demo' | 'Output' | 'Record' | 'Config';

interface FlagDef {
	type: 'string' | 'boolean' | 'number';
	shortFlag?: string;
	default?: boolean;
	/** the value's placeholder in the help ("<file>"); none for booleans */
	value?: string;
	/** the values a shell completes (-o: table, json, ...); 'file' completes file names */
	choices?: readonly string[] | 'file';
	/** shown as --no-<name> (a boolean that defaults to true) */
	negated?: boolean;
	group: Group;
	/** the help line; a second line (after \n) is indented under it */
	help: string;
}

export const outputFormats = ['table', 'wide', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export const table = {
	kubeconfig: {type: 'string', value: '<file>', choices: 'file', group: 'Cluster', help: 'kubeconfig to use (default: $KUBECONFIG, merged, then ~/.kube/config)'},
	context: {type: 'string', value: '<name>', group: 'Cluster', help: 'kubeconfig context'},
	namespace: {type: 'string', shortFlag: 'n', value: '<ns>', group: 'Cluster', help: "watch one namespace (default: the context's, as kubectl; all when it names none)"},
	allNamespaces: {type: 'boolean', shortFlag: 'A', group: 'Cluster', help: 'all namespaces (no fallback to one namespace when that is forbidden)'},
	selector: {type: 'string', shortFlag: 'l', value: '<sel>', group: 'Cluster', help: 'label selector for pods (e.g. app=web,tier!=cache)'},
	fieldSelector: {type: 'string', value: '<sel>', group: 'Cluster', help: 'field selector for pods (e.g. spec.nodeName=node-1,status.phase=Running)'},
	metricsInterval: {type: 'string', value: '<dur>', group: 'Cluster', help: "metrics poll interval, matched to metrics-server's window (default 15s)"},
	history: {type: 'string', value: '<dur>', group: 'Cluster', help: 'how much history to keep per pod (default 1h)'},
	metrics: {type: 'boolean', default: true, negated: true, group: 'Cluster', help: "don't read metrics.k8s.io (requests and limits only)"},
	summary: {type: 'boolean', default: true, negated: true, group: 'Cluster', help: "don't poll the kubelet Summary API (RSS/cache breakdown)"},
	maxAnswer: {type: 'string', value: '<size>', group: 'Cluster', help: 'the largest answer read from the cluster (default 256Mi; a\nsixteenth of it for /version, a Summary, one watch event)'},
	requestTimeout: {type: 'string', value: '<dur>', group: 'Cluster', help: 'the longest one request may take (default 60s; a list of\nmany pages: ten times that)'},
	prometheus: {type: 'string', value: '<url|auto>', group: 'Prometheus', help: 'a Prometheus (or Thanos, Mimir, VictoriaMetrics) HTTP API; auto:\nthe well-known services through the API server\'s service proxy'},
	prometheusService: {type: 'string', value: '<ns/name:port>', group: 'Prometheus', help: 'one service, through the API server (kubeconfig login)'},
	prometheusToken: {type: 'string', value: '<t>', group: 'Prometheus', help: 'bearer token (or --prometheus-token-file <file>, or\n$MEMTOP_PROMETHEUS_TOKEN)'},
	prometheusTokenFile: {type: 'string', value: '<file>', choices: 'file', group: 'Prometheus', help: 'a file holding the bearer token'},
	prometheusUser: {type: 'string', value: '<name>', group: 'Prometheus', help: 'basic auth, the password in $MEMTOP_PROMETHEUS_PASSWORD'},
	prometheusCa: {type: 'string', value: '<file>', choices: 'file', group: 'Prometheus', help: 'CA bundle for an https:// Prometheus'},
	prometheusInsecure: {type: 'boolean', group: 'Prometheus', help: "don't verify its TLS certificate"},
	prometheusLabels: {type: 'string', value: '<k=l,..>', group: 'Prometheus', help: 'label names when relabelled (namespace, pod, container, node)'},
	window: {type: 'string', value: '<dur>', group: 'Prometheus', help: 'recommend: the window read from Prometheus (e.g. 7d)'},
	demo: {type: 'boolean', group: 'Demo', help: 'run against a built-in simulated cluster'},
	seed: {type: 'number', value: '<n>', group: 'Demo', help: "the demo scenario's seed (default 1)"},
	once: {type: 'boolean', group: 'Output', help: 'print one snapshot and exit'},
	output: {type: 'string', shortFlag: 'o', value: '<fmt>', choices: outputFormats, group: 'Output', help: 'table (default, fits the terminal), wide (every column),\njson or yaml (exact bytes), name (pod/NAME, as kubectl)'},
	headers: {type: 'boolean', default: true, negated: true, group: 'Output', help: 'tables without the header row (and warnings on stderr)'},
	observe: {type: 'string', value: '<dur>', group: 'Output', help: 'recommend: how long to watch before answering'},
	watch: {type: 'boolean', group: 'Output', help: 'print a snapshot per metrics window (events: an entry as it\ncomes) to a pipe; a slow reader skips windows, and is told'},
	record: {type: 'string', value: '<file>', choices: 'file', group: 'Record', help: 'record while the live view runs'},
	duration: {type: 'string', value: '<dur>', group: 'Record', help: 'record: stop after this long'},
	rotate: {type: 'string', value: '<dur>', group: 'Record', help: 'record: start a new file this often (FILE.2, FILE.3, ...; each replays alone)'},
	at: {type: 'string', value: '<time>', group: 'Record', help: 'replay: start at (HH:MM[:SS] or an ISO time)'},
	from: {type: 'string', value: '<file>', choices: 'file', group: 'Record', help: 'recommend: from a recording instead of a cluster'},
	config: {type: 'string', value: '<file>', choices: 'file', group: 'Config', help: 'config file (default $XDG_CONFIG_HOME/memtop/config.yaml,\nthen ~/.config/memtop/config.yaml)'},
} as const satisfies Record<string, FlagDef>;

export type FlagName = keyof typeof table;

/** commands with their aliases and what they show */
export const commands = [
	{name: 'pods', aliases: ['po', 'pod'], help: 'pods by working set (the default)'},
	{name: 'nodes', aliases: ['no', 'node'], help: 'nodes: working set, allocatable, pressure'},
	{name: 'events', aliases: ['ev', 'event'], help: 'OOM kills, evictions, node memory events'},
	{name: 'workloads', aliases: ['workload', 'wl'], help: 'deployments, statefulsets, ... summed'},
	{name: 'recommend', aliases: ['rec'], help: 'right-size requests and limits'},
	{name: 'record', aliases: [], help: 'record headless to -o FILE'},
	{name: 'replay', aliases: [], help: 'the live view on a recording: replay FILE [view]'},
	{name: 'completion', aliases: [], help: 'print a shell completion script: bash, zsh or fish'},
] as const;

export const shells = ['bash', 'zsh', 'fish'] as const;

export const kebab = (name: string): string => name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);

/** the flag as typed: --no-metrics, --all-namespaces */
export function longName(name: string, def: FlagDef): string {
	return `--${def.negated ? 'no-' : ''}${kebab(name)}`;
}

const defs = table as Record<string, FlagDef>;

/** meow's flags */
export const flags: AnyFlags = Object.fromEntries(
	Object.entries(defs).map(([name, d]) => [name, {type: d.type, ...(d.shortFlag ? {shortFlag: d.shortFlag} : {}), ...(d.default !== undefined ? {default: d.default} : {})} as AnyFlag]),
);

/** the flags that take a value, as typed: --metrics-interval, -n, ... */
export const valued = new Set(
	Object.entries(defs)
		.filter(([, f]) => f.type !== 'boolean')
		.flatMap(([name, f]) => [`--${kebab(name)}`, ...(f.shortFlag ? [`-${f.shortFlag}`] : [])]),
);

function flagLines(group: Group): string {
	const lines: string[] = [];
	for (const [name, d] of Object.entries(defs)) {
		if (d.group !== group) continue;
		const left = `${d.shortFlag ? `-${d.shortFlag}, ` : ''}${longName(name, d)}${d.value ? ` ${d.value}` : ''}`;
		const [first, ...rest] = d.help.split('\n');
		lines.push(`    ${left.padEnd(27)}${left.length >= 27 ? ' ' : ''}${first}`);
		for (const r of rest) lines.push(`    ${' '.repeat(27)}${r}`);
	}

	return lines.join('\n');
}

export const help = `
  Usage
    $ memtop [pods|nodes|events|workloads] [flags]      live memory monitor
    $ memtop [view] --once [-o ${outputFormats.join('|')}]  print a snapshot and exit
    $ memtop recommend --observe 30m [-o table|json]    right-size requests and limits
    $ memtop [view] --watch [-o table|json]             a stream for a pipe, one snapshot per window
    $ memtop record -o FILE [--duration 24h]            record headless (no terminal needed)
    $ memtop replay FILE [view] [--at 14:03]            the live view on a recording
    $ memtop replay FILE --at T --once [-o table|json]  the snapshot at T
    $ memtop recommend --from FILE                      recommend from a whole recording
    $ memtop completion bash|zsh|fish                   shell completion script
    $ kubectl memtop ...                                 the same, as a kubectl plugin

  Cluster
${flagLines('Cluster')}

  Prometheus (history at start, long chart windows, recommend --window)
${flagLines('Prometheus')}

  Demo
${flagLines('Demo')}

  Output
${flagLines('Output')}

  Record and replay
${flagLines('Record')}

  Config
${flagLines('Config')}

  memtop only reads from the cluster (get, list, watch).
`;
