/** memtop's flags, as meow takes them, and the help text that lists them: one table for both. */
export const help = `
  Usage
    $ memtop [pods|nodes|events|workloads] [flags]      live memory monitor
    $ memtop [view] --once [-o table|json]              print a snapshot and exit
    $ memtop recommend --observe 30m [-o table|json]    right-size requests and limits
    $ memtop [view] --watch [-o table|json]             a stream for a pipe, one snapshot per window
    $ memtop record -o FILE [--duration 24h]            record headless (no terminal needed)
    $ memtop replay FILE [view] [--at 14:03]            the live view on a recording
    $ memtop replay FILE --at T --once [-o table|json]  the snapshot at T
    $ memtop recommend --from FILE                      recommend from a whole recording
    $ kubectl memtop ...                                 the same, as a kubectl plugin

  Cluster
    --kubeconfig <file>        kubeconfig to use (default: $KUBECONFIG, merged, then ~/.kube/config)
    --context <name>           kubeconfig context
    -n, --namespace <ns>       watch one namespace
    -A, --all-namespaces       all namespaces (the default; with -A, no fallback when forbidden)
    -l, --selector <sel>       label selector for pods (e.g. app=web,tier!=cache)
    --metrics-interval <dur>   metrics poll interval, matched to metrics-server's window (default 15s)
    --history <dur>            how much history to keep per pod (default 1h)
    --no-metrics               don't read metrics.k8s.io (requests and limits only)
    --no-summary               don't poll the kubelet Summary API (RSS/cache breakdown)
    --max-answer <size>        the largest answer read from the cluster (default 256Mi; a
                               sixteenth of it for /version, a Summary, one watch event)
    --request-timeout <dur>    the longest one request may take (default 60s; a list of
                               many pages: ten times that)

  Prometheus (history at start, long chart windows, recommend --window)
    --prometheus <url|auto>    a Prometheus (or Thanos, Mimir, VictoriaMetrics) HTTP API; auto:
                               the well-known services through the API server's service proxy
    --prometheus-service <ns/name:port>  one service, through the API server (kubeconfig login)
    --prometheus-token <t>     bearer token (or --prometheus-token-file <file>, or
                               $MEMTOP_PROMETHEUS_TOKEN)
    --prometheus-user <name>   basic auth, the password in $MEMTOP_PROMETHEUS_PASSWORD
    --prometheus-ca <file>     CA bundle for an https:// Prometheus
    --prometheus-insecure      don't verify its TLS certificate
    --prometheus-labels <k=l,..>  label names when relabelled (namespace, pod, container, node)
    --window <dur>             recommend: the window read from Prometheus (e.g. 7d)

  Demo
    --demo                     run against a built-in simulated cluster
    --seed <n>                 the demo scenario's seed (default 1)

  Output
    --once                     print one snapshot and exit
    -o, --output <fmt>         table (default) or json (exact bytes)
    --observe <dur>            recommend: how long to watch before answering
    --watch                    print a snapshot per metrics window (events: an entry as it
                               comes) to a pipe; a slow reader skips windows, and is told

  Record and replay
    --record <file>            record while the live view runs
    --duration <dur>           record: stop after this long
    --rotate <dur>             record: start a new file this often (FILE.1, FILE.2, ...)
    --at <time>                replay: start at (HH:MM[:SS] or an ISO time)
    --from <file>              recommend: from a recording instead of a cluster

  memtop only reads from the cluster (get, list, watch).
`;

export const flags = {
	kubeconfig: {type: 'string'},
	context: {type: 'string'},
	namespace: {type: 'string', shortFlag: 'n'},
	allNamespaces: {type: 'boolean', shortFlag: 'A'},
	selector: {type: 'string', shortFlag: 'l'},
	metricsInterval: {type: 'string'},
	history: {type: 'string'},
	metrics: {type: 'boolean', default: true},
	summary: {type: 'boolean', default: true},
	demo: {type: 'boolean'},
	seed: {type: 'number'},
	once: {type: 'boolean'},
	output: {type: 'string', shortFlag: 'o'},
	observe: {type: 'string'},
	maxAnswer: {type: 'string'},
	requestTimeout: {type: 'string'},
	prometheus: {type: 'string'},
	prometheusService: {type: 'string'},
	prometheusToken: {type: 'string'},
	prometheusTokenFile: {type: 'string'},
	prometheusUser: {type: 'string'},
	prometheusCa: {type: 'string'},
	prometheusInsecure: {type: 'boolean'},
	prometheusLabels: {type: 'string'},
	window: {type: 'string'},
	watch: {type: 'boolean'},
	record: {type: 'string'},
	duration: {type: 'string'},
	rotate: {type: 'string'},
	at: {type: 'string'},
	from: {type: 'string'},
} as const;

export const kebab = (name: string): string => name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);

/** the flags that take a value, as typed: --metrics-interval, -n, ... */
export const valued = new Set(
	Object.entries(flags)
		.filter(([, f]) => f.type !== 'boolean')
		.flatMap(([name, f]) => [`--${kebab(name)}`, ...('shortFlag' in f ? [`-${f.shortFlag}`] : [])]),
);
