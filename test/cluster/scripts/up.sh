#!/usr/bin/env bash
# Starts the memtop test cluster on 127.0.0.1: etcd, kube-apiserver (audit log on),
# kube-controller-manager, kwok (simulated nodes/pods + kubelet resource metrics) and
# metrics-server (registered as the v1beta1.metrics.k8s.io APIService), then creates N kwok
# nodes and M pods and waits until metrics flow. Prints the admin kubeconfig path last.
#
# Usage: up.sh [--nodes N] [--pods M] [--namespaces K] [--static-nodes S] [--no-wait-metrics]
# Env: MEMTOP_CLUSTER_STATE (default /tmp/memtop-cluster), MEMTOP_CLUSTER_CACHE, ports (lib.sh).
# On any failure it stops everything it started (down.sh).
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODES=${MEMTOP_CLUSTER_NODES:-10}
PODS=${MEMTOP_CLUSTER_PODS:-200}
NAMESPACES=${MEMTOP_CLUSTER_NAMESPACES:-5}
STATIC_NODES=${MEMTOP_CLUSTER_STATIC_NODES:-2}
WAIT_METRICS=1
METRICS_TIMEOUT=${MEMTOP_CLUSTER_METRICS_TIMEOUT:-300}
while (($#)); do
	case $1 in
	--nodes) NODES=$2; shift 2 ;;
	--pods) PODS=$2; shift 2 ;;
	--namespaces) NAMESPACES=$2; shift 2 ;;
	--static-nodes) STATIC_NODES=$2; shift 2 ;;
	--no-wait-metrics) WAIT_METRICS=0; shift ;;
	-h | --help) sed -n '2,10p' "$0"; exit 0 ;;
	*) echo "up.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
((NODES >= 1)) || { echo 'up.sh: --nodes must be at least 1' >&2; exit 2; }
((NAMESPACES >= 1)) || NAMESPACES=1

T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

ETCD_BIN=$BIN/etcd-$ETCD_VERSION
APISERVER_BIN=$BIN/kube-apiserver-$K8S_VERSION
KCM_BIN=$BIN/kube-controller-manager-$K8S_VERSION
KWOK_BIN=$BIN/kwok-$KWOK_VERSION
METRICS_BIN=$BIN/metrics-server-$METRICS_SERVER_VERSION
for b in "$ETCD_BIN" "$APISERVER_BIN" "$KCM_BIN" "$KWOK_BIN" "$METRICS_BIN"; do
	[[ -x $b ]] || { echo "up.sh: missing $b — run 'npm run cluster:build' first" >&2; exit 1; }
done
[[ -x $KUBECTL ]] || command -v "$KUBECTL" >/dev/null || { echo 'up.sh: kubectl is needed (npm run cluster:build makes one)' >&2; exit 1; }
[[ -d $FIXTURES/kwok ]] || { echo "up.sh: kwok fixtures not found in $FIXTURES (set MEMTOP_SHARED_FIXTURES)" >&2; exit 1; }

# A previous run's leftovers are stopped and wiped: every start is from a clean etcd.
if [[ -d $STATE ]]; then
	bash "$SCRIPTS/down.sh" >/dev/null 2>&1 || true
	rm -rf "$STATE"
fi
for p in "$ETCD_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT" "$KCM_PORT" "$KWOK_PORT" "$METRICS_PORT"; do
	port_free "$p" || { echo "up.sh: port 127.0.0.1:$p is in use (override with MEMTOP_CLUSTER_*_PORT)" >&2; exit 1; }
done
mkdir -p "$STATE"/{run,pids,logs,manifests,etcd}

on_error() {
	local rc=$?
	log "up.sh failed (exit $rc); last log lines:"
	for c in "${COMPONENTS[@]}"; do
		[[ -f $STATE/logs/$c.log ]] && { echo "--- $c" >&2; tail -n 8 "$STATE/logs/$c.log" >&2; }
	done
	log 'stopping everything that was started'
	bash "$SCRIPTS/down.sh" >&2 || true
	exit "$rc"
}
trap on_error ERR
trap 'trap - ERR; log "interrupted"; bash "$SCRIPTS/down.sh" >&2; exit 130' INT TERM

log 'certificates'
bash "$SCRIPTS/certs.sh"
log "network namespace $NETNS ($HOST_IP <-> $NODE_IP)"
net_up
PKI=$STATE/pki

# ---------- run scripts (kept so the tests can stop and restart single components) ----------
cat >"$STATE/run/etcd.sh" <<RUN
exec "$ETCD_BIN" --name memtop-test --data-dir "$STATE/etcd" \\
	--listen-client-urls http://127.0.0.1:$ETCD_PORT --advertise-client-urls http://127.0.0.1:$ETCD_PORT \\
	--listen-peer-urls http://127.0.0.1:$ETCD_PEER_PORT --initial-advertise-peer-urls http://127.0.0.1:$ETCD_PEER_PORT \\
	--initial-cluster memtop-test=http://127.0.0.1:$ETCD_PEER_PORT \\
	--quota-backend-bytes 4294967296 --unsafe-no-fsync --log-level warn
RUN

cat >"$STATE/audit-policy.yaml" <<'YAML'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
YAML

cat >"$STATE/run/kube-apiserver.sh" <<RUN
exec "$APISERVER_BIN" \\
	--etcd-servers http://127.0.0.1:$ETCD_PORT \\
	--bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port $APISERVER_PORT \\
	--endpoint-reconciler-type none \\
	--service-cluster-ip-range 10.96.0.0/16 \\
	--tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \\
	--client-ca-file "$PKI/ca.crt" \\
	--service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \\
	--service-account-issuer https://kubernetes.default.svc \\
	--authorization-mode RBAC,Node \\
	--kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \\
	--kubelet-preferred-address-types InternalIP,Hostname \\
	--requestheader-client-ca-file "$PKI/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \\
	--requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \\
	--requestheader-extra-headers-prefix X-Remote-Extra- \\
	--proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \\
	--audit-policy-file "$STATE/audit-policy.yaml" --audit-log-path "$STATE/audit.log" --audit-log-format json \\
	--audit-log-mode blocking \\
	--max-requests-inflight 800 --max-mutating-requests-inflight 400 \\
	--profiling=false --v 1
RUN

cat >"$STATE/run/kube-controller-manager.sh" <<RUN
exec "$KCM_BIN" \\
	--kubeconfig "$KUBECONFIG_ADMIN" \\
	--authentication-kubeconfig "$KUBECONFIG_ADMIN" --authorization-kubeconfig "$KUBECONFIG_ADMIN" \\
	--bind-address 127.0.0.1 --secure-port $KCM_PORT \\
	--leader-elect=false \\
	--service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \\
	--controllers '*,-nodelifecycle,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller,-persistentvolume-binder,-attachdetach' \\
	--kube-api-qps 200 --kube-api-burst 400 \\
	--profiling=false --v 1
RUN

cat "$FIXTURES"/kwok/kwok-stage-*.yaml >/dev/null # fail early if missing
KWOK_CONFIGS=""
for f in "$FIXTURES"/kwok/kwok-stage-node-initialize.yaml "$FIXTURES"/kwok/kwok-stage-node-heartbeat-with-lease.yaml \
	"$FIXTURES"/kwok/kwok-stage-pod-ready.yaml "$FIXTURES"/kwok/kwok-stage-pod-complete.yaml \
	"$FIXTURES"/kwok/kwok-stage-pod-delete.yaml \
	"$FIXTURES"/kwok/kwok-metric-metrics-resource.yaml "$FIXTURES"/kwok/kwok-clusterresourceusage-usage-from-annotation.yaml; do
	KWOK_CONFIGS+=" --config \"$f\""
done
cat >"$STATE/run/kwok.sh" <<RUN
exec "$KWOK_BIN" \\
	--kubeconfig "$KUBECONFIG_ADMIN" $KWOK_CONFIGS \\
	--manage-all-nodes=false --manage-nodes-with-label-selector type=kwok \\
	--node-ip $HOST_IP --node-port $KWOK_PORT --server-address $HOST_IP:$KWOK_PORT \\
	--tls-cert-file "$PKI/kwok.crt" --tls-private-key-file "$PKI/kwok.key" \\
	--cidr 10.0.0.0/16 --node-lease-duration-seconds 40
RUN

cat >"$STATE/run/metrics-server.sh" <<RUN
exec "$METRICS_BIN" \\
	--kubeconfig "$KUBECONFIG_ADMIN" \\
	--authentication-kubeconfig "$KUBECONFIG_ADMIN" --authorization-kubeconfig "$KUBECONFIG_ADMIN" \\
	--bind-address 127.0.0.1 --secure-port $METRICS_PORT \\
	--tls-cert-file "$PKI/metrics-server.crt" --tls-private-key-file "$PKI/metrics-server.key" \\
	--kubelet-insecure-tls --kubelet-use-node-status-port \\
	--kubelet-preferred-address-types InternalIP,Hostname \\
	--metric-resolution 10s --kubelet-request-timeout 5s --v 1
RUN

# ---------- start ----------
start_component etcd
wait_for etcd 60 etcd_healthy

start_component kube-apiserver
wait_for kube-apiserver 120 kc get --raw /readyz
log "kube-apiserver ready ($(elapsed)s)"

start_component kube-controller-manager
start_component kwok

# metrics-server is reached through the aggregator: Service (ExternalName to loopback) + APIService.
CABUNDLE=$(base64 -w0 "$PKI/ca.crt")
cat >"$STATE/manifests/metrics-apiservice.json" <<JSON
{"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"v1","kind":"Service","metadata":{"name":"metrics-server","namespace":"kube-system"},
  "spec":{"type":"ExternalName","externalName":"127.0.0.1","ports":[{"name":"https","port":$METRICS_PORT,"protocol":"TCP"}]}},
 {"apiVersion":"apiregistration.k8s.io/v1","kind":"APIService","metadata":{"name":"v1beta1.metrics.k8s.io"},
  "spec":{"service":{"name":"metrics-server","namespace":"kube-system","port":$METRICS_PORT},
   "group":"metrics.k8s.io","version":"v1beta1","caBundle":"$CABUNDLE",
   "groupPriorityMinimum":100,"versionPriority":100}}
]}
JSON
kc apply -f "$STATE/manifests/metrics-apiservice.json" >/dev/null
start_component metrics-server

# ---------- nodes ----------
node "$SCRIPTS/gen.mjs" nodes "$NODES" "$STATE/manifests/nodes.json"
kc create -f "$STATE/manifests/nodes.json" >/dev/null
if ((STATIC_NODES > 0)); then
	node "$SCRIPTS/gen.mjs" static-nodes "$STATIC_NODES" "$STATE/manifests/static-nodes.json"
	kc create -f "$STATE/manifests/static-nodes.json" >/dev/null
fi
log "created $NODES kwok nodes and $STATIC_NODES static nodes ($(elapsed)s)"

# ---------- namespaces, then pods in parallel chunks ----------
for ((n = 0; n < NAMESPACES; n++)); do echo "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"load-$n\",\"labels\":{\"memtop-test\":\"load\"}}}"; done |
	kc create -f - >/dev/null
# Pods are rejected until kube-controller-manager has made each namespace's default ServiceAccount.
sa_ready() {
	local count
	count=$(kc get serviceaccounts -A --field-selector metadata.name=default --no-headers \
		-o custom-columns=NS:.metadata.namespace 2>/dev/null | grep -c '^load-')
	((count >= NAMESPACES))
}
wait_for 'default service accounts' 120 sa_ready
if ((PODS > 0)); then
	CHUNKS=$(((PODS + 499) / 500))
	node "$SCRIPTS/gen.mjs" pods "$PODS" "$NODES" "$NAMESPACES" "$CHUNKS" "$STATE/manifests/pods"
	PAR=${MEMTOP_CLUSTER_CREATE_PARALLEL:-4}
	ls "$STATE"/manifests/pods-*.json | xargs -P "$PAR" -I{} "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" create -f {} -o name >"$STATE/logs/create-pods.log"
	created=$(wc -l <"$STATE/logs/create-pods.log")
	((created == PODS)) || { log "created $created of $PODS pods"; false; }
	log "created $PODS pods in $NAMESPACES namespaces ($(elapsed)s)"
fi

# ---------- wait: pods running, nodes ready, metrics flowing ----------
count_running() {
	kc get pods -A -l memtop-test=load --field-selector status.phase=Running -o name 2>/dev/null | wc -l
}
running_ok() { (($(count_running) >= PODS)); }
wait_for "$PODS running pods" 600 running_ok
log "all $PODS pods Running ($(elapsed)s)"

if ((WAIT_METRICS)); then
	metrics_ok() {
		kc get --raw '/apis/metrics.k8s.io/v1beta1/nodes' >"$STATE/.nodes-metrics.json" 2>/dev/null || return 1
		kc get --raw '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=memtop-test%3Dload' >"$STATE/.pods-metrics.json" 2>/dev/null || return 1
		node -e '
			const fs = require("fs");
			const n = JSON.parse(fs.readFileSync(process.argv[1])).items.length;
			const p = JSON.parse(fs.readFileSync(process.argv[2])).items.length;
			process.exit(n >= +process.argv[3] && p >= +process.argv[4] ? 0 : 1);
		' "$STATE/.nodes-metrics.json" "$STATE/.pods-metrics.json" "$NODES" "$PODS"
	}
	wait_for 'metrics.k8s.io to report every node and pod' "$METRICS_TIMEOUT" metrics_ok
	rm -f "$STATE"/.nodes-metrics.json "$STATE"/.pods-metrics.json
	log "metrics flowing ($(elapsed)s)"
fi

trap - ERR INT TERM
cat >"$STATE/cluster.env" <<ENV
MEMTOP_CLUSTER_KUBECONFIG=$KUBECONFIG_ADMIN
MEMTOP_CLUSTER_STATE=$STATE
MEMTOP_CLUSTER_NODES=$NODES
MEMTOP_CLUSTER_PODS=$PODS
MEMTOP_CLUSTER_NAMESPACES=$NAMESPACES
MEMTOP_CLUSTER_STATIC_NODES=$STATIC_NODES
MEMTOP_CLUSTER_APISERVER_PORT=$APISERVER_PORT
MEMTOP_CLUSTER_METRICS_PORT=$METRICS_PORT
MEMTOP_CLUSTER_KWOK_PORT=$KWOK_PORT
MEMTOP_CLUSTER_NETNS=$NETNS
MEMTOP_CLUSTER_HOST_IP=$HOST_IP
MEMTOP_CLUSTER_NODE_IP=$NODE_IP
MEMTOP_CLUSTER_START_SECONDS=$(elapsed)
ENV
log "cluster up in $(elapsed)s: $NODES kwok nodes, $STATIC_NODES static nodes, $PODS pods; audit log $STATE/audit.log"
echo "$KUBECONFIG_ADMIN"
