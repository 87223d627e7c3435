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

# kube-apiserver refuses to proxy to loopback ("address not allowed"), so the kubelet endpoints it
# proxies to (/api/v1/nodes/<node>/proxy/...) live on a veth pair into a network namespace made
# here: host side HOST_IP (kwok's kubelet server), namespace side NODE_IP (the harness's kubelet
# stand-in). 198.18.0.0/15 is the range reserved for network tests; nothing leaves this machine.
NETNS=${MEMTOP_CLUSTER_NETNS:-memtop-cluster}
VETH_HOST=${MEMTOP_CLUSTER_VETH:-mtc0}
VETH_NS=${VETH_HOST}ns
HOST_IP=${MEMTOP_CLUSTER_HOST_IP:-198.18.0.1}
NODE_IP=${MEMTOP_CLUSTER_NODE_IP:-198.18.0.2}

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER_DIR=$(dirname "$SCRIPTS")
FIXTURES=${MEMTOP_SHARED_FIXTURES:-$(cd "$CLUSTER_DIR/../../.." && pwd)/shared/fixtures/real}
KUBECONFIG_ADMIN=$STATE/admin.kubeconfig
COMPONENTS=(etcd kube-apiserver kube-controller-manager kwok metrics-server)

STARTED=() # components started by this shell, checked while waiting
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# The kubectl built with the cluster (same version); the machine's own as a fallback.
KUBECTL=$BIN/kubectl-$K8S_VERSION
[[ -x $KUBECTL ]] || KUBECTL=$(command -v kubectl || echo kubectl)
kc() { "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

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
	STARTED+=("$name")
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
		local c
		for c in "${STARTED[@]}"; do
			pid_of "$c" >/dev/null || { log "$c exited while waiting for $what (see $STATE/logs/$c.log)"; return 1; }
		done
		if (($(date +%s) >= deadline)); then
			log "timed out after ${secs}s waiting for $what"
			return 1
		fi
		sleep 0.5
	done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

net_up() {
	command -v ip >/dev/null || { log 'the ip tool (iproute2) is needed for the test network namespace'; return 1; }
	net_down
	ip netns add "$NETNS"
	ip link add "$VETH_HOST" type veth peer name "$VETH_NS"
	ip link set "$VETH_NS" netns "$NETNS"
	ip addr add "$HOST_IP/30" dev "$VETH_HOST"
	ip link set "$VETH_HOST" up
	ip netns exec "$NETNS" ip addr add "$NODE_IP/30" dev "$VETH_NS"
	ip netns exec "$NETNS" ip link set "$VETH_NS" up
	ip netns exec "$NETNS" ip link set lo up
	echo "$NETNS" >"$STATE/netns"
}

net_down() {
	local pid
	if ip netns list 2>/dev/null | grep -qw "^$NETNS"; then
		# processes left inside the namespace were started for the tests: end them by pid
		for pid in $(ip netns pids "$NETNS" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
		ip netns del "$NETNS" 2>/dev/null || true
	fi
	ip link del "$VETH_HOST" 2>/dev/null || true
	rm -f "$STATE/netns"
}

etcd_healthy() {
	local out
	out=$(exec 3<>"/dev/tcp/127.0.0.1/$ETCD_PORT" && printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && timeout 5 cat <&3) || return 1
	[[ $out == *'"health":"true"'* ]]
}
