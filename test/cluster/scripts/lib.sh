# Shared settings for the test cluster scripts (sourced, not run).
# Everything lives outside the repo: binaries in the build cache, run state in the state dir.
K8S_VERSION=${K8S_VERSION:-v1.36.3}
ETCD_VERSION=${ETCD_VERSION:-v3.6.14}
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}
METRICS_SERVER_VERSION=${METRICS_SERVER_VERSION:-v0.9.0}
CACHE=${MEMTOP_CLUSTER_CACHE:-$HOME/.cache/memtop-cluster}
BIN=$CACHE/bin
STATE=${MEMTOP_CLUSTER_STATE:-/tmp/memtop-cluster}

# Fixed loopback ports, chosen away from the usual 2379/6443/10250 so a real cluster on the
# same machine does not clash. Each can be overridden.
ETCD_PORT=${MEMTOP_CLUSTER_ETCD_PORT:-23790}
ETCD_PEER_PORT=${MEMTOP_CLUSTER_ETCD_PEER_PORT:-23800}
APISERVER_PORT=${MEMTOP_CLUSTER_APISERVER_PORT:-26443}
KCM_PORT=${MEMTOP_CLUSTER_KCM_PORT:-26257}
KWOK_PORT=${MEMTOP_CLUSTER_KWOK_PORT:-26250}
METRICS_PORT=${MEMTOP_CLUSTER_METRICS_PORT:-26444}

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER_DIR=$(dirname "$SCRIPTS")
FIXTURES=${MEMTOP_SHARED_FIXTURES:-$(cd "$CLUSTER_DIR/../../.." && pwd)/shared/fixtures/real}
KUBECONFIG_ADMIN=$STATE/admin.kubeconfig
COMPONENTS=(etcd kube-apiserver kube-controller-manager kwok metrics-server)

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

kc() { kubectl --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

pid_of() { # NAME -> pid if that component is alive
	local f=$STATE/pids/$1.pid pid
	[[ -f $f ]] || return 1
	pid=$(<"$f")
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
	# Guard against a recycled pid: the process must be the binary we started.
	[[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$BIN/"* ]] || return 1
	echo "$pid"
}

# start_component NAME: runs $STATE/run/NAME.sh (which execs the binary) in the background.
start_component() {
	local name=$1
	mkdir -p "$STATE/pids" "$STATE/logs"
	if pid_of "$name" >/dev/null; then
		log "$name already running"
		return 0
	fi
	setsid bash "$STATE/run/$name.sh" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
	echo $! >"$STATE/pids/$name.pid"
	log "started $name (pid $!)"
}

# stop_component NAME: TERM, then KILL after 10 s; waits until the process is gone.
stop_component() {
	local name=$1 pid i
	pid=$(pid_of "$name") || { rm -f "$STATE/pids/$name.pid"; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	fi
	rm -f "$STATE/pids/$name.pid"
	log "stopped $name (pid $pid)"
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND every 0.5 s until it succeeds.
wait_for() {
	local what=$1 secs=$2 deadline
	shift 2
	deadline=$(($(date +%s) + secs))
	until "$@" >/dev/null 2>&1; do
		if (($(date +%s) >= deadline)); then
			log "timed out after ${secs}s waiting for $what"
			return 1
		fi
		sleep 0.5
	done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
