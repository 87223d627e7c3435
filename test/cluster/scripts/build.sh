#!/usr/bin/env bash
# Builds the test cluster's programs from the Go module proxy into a cache outside the repo.
#   etcd, kube-apiserver, kube-controller-manager, kwok, metrics-server
# Binaries land in $CACHE/bin/<name>-<version>; a binary whose version already matches is skipped.
# Env: MEMTOP_CLUSTER_CACHE (default ~/.cache/memtop-cluster), K8S_VERSION, ETCD_VERSION,
#      KWOK_VERSION, METRICS_SERVER_VERSION, MEMTOP_CLUSTER_BUILD_P (go build -p, default nproc).
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-v1.36.3}
ETCD_VERSION=${ETCD_VERSION:-v3.6.14}
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}
METRICS_SERVER_VERSION=${METRICS_SERVER_VERSION:-v0.9.0}
CACHE=${MEMTOP_CLUSTER_CACHE:-$HOME/.cache/memtop-cluster}

. "$(dirname "${BASH_SOURCE[0]}")/go-env.sh"
go_env "$CACHE" build.sh
BUILD_P=${MEMTOP_CLUSTER_BUILD_P:-$(nproc)}
BIN=$CACHE/bin
SRC=$CACHE/src
mkdir -p "$BIN" "$SRC"

echo "build.sh: $(go version), cache $CACHE, -p $BUILD_P"

T0=$(date +%s)
step_start=0
begin() { step_start=$(date +%s); echo "==> $*"; }
done_step() { echo "    done in $(( $(date +%s) - step_start ))s"; }

# version_ok BINARY EXPECTED-SUBSTRING: the binary exists and `--version` mentions EXPECTED.
version_ok() {
	[[ -x $1 ]] || return 1
	local out
	if [[ $(basename "$1") == kubectl-* ]]; then
		out=$("$1" version --client 2>&1 | head -5) || true
	else
		out=$("$1" --version 2>&1 | head -5) || true
	fi
	[[ $out == *"$2"* ]]
}
# module_ok BINARY MODULE VERSION: the binary was built from MODULE at VERSION (go's build info).
module_ok() {
	[[ -x $1 ]] || return 1
	go version -m "$1" 2>/dev/null | grep -Eq "^[[:space:]]+(mod|dep)[[:space:]]+$2[[:space:]]+$3([[:space:]]|$)"
}

# ---------- etcd ----------
ETCD_BIN=$BIN/etcd-$ETCD_VERSION
if version_ok "$ETCD_BIN" "etcd Version: ${ETCD_VERSION#v}"; then
	echo "==> etcd $ETCD_VERSION: up to date"
else
	begin "etcd $ETCD_VERSION (wrapper module)"
	d=$SRC/etcd-$ETCD_VERSION
	rm -rf "$d" && mkdir -p "$d"
	cat >"$d/go.mod" <<GOMOD
module memtop.local/cluster/etcd

go 1.26

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
GOMOD
	(cd "$d" && go mod download go.etcd.io/etcd/server/v3 && go build -mod=mod -p "$BUILD_P" -trimpath -ldflags='-s -w' -o "$ETCD_BIN.tmp" go.etcd.io/etcd/server/v3)
	mv "$ETCD_BIN.tmp" "$ETCD_BIN"
	version_ok "$ETCD_BIN" "etcd Version: ${ETCD_VERSION#v}" || { echo "etcd reports: $("$ETCD_BIN" --version)" >&2; exit 1; }
	done_step
fi

# ---------- kube-apiserver, kube-controller-manager, kubectl ----------
# One wrapper module (kubernetes' own go.mod replaces every k8s.io staging module with a local
# path, so `go install k8s.io/kubernetes/...@version` cannot work); each binary is its own step
# so a missing one is built alone, sharing the Go build cache with the others.
K8S_SRC=$SRC/kubernetes-$K8S_VERSION
k8s_wrapper() {
	[[ -f $K8S_SRC/.ready ]] && return 0
	rm -rf "$K8S_SRC" && mkdir -p "$K8S_SRC"
	# Staging modules are versioned v0.<minor>.<patch> alongside kubernetes v1.<minor>.<patch>.
	local staging=v0.${K8S_VERSION#v1.} kmod goline
	kmod=$(cd "$K8S_SRC" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
	[[ -f $kmod ]] || { echo "build.sh: cannot find go.mod of k8s.io/kubernetes@$K8S_VERSION" >&2; exit 1; }
	goline=$(grep -m1 '^go ' "$kmod")
	{
		echo 'module memtop.local/cluster/kubernetes'
		echo
		echo "$goline"
		grep '^godebug ' "$kmod" || true
		echo
		echo "require k8s.io/kubernetes $K8S_VERSION"
		echo
		echo 'replace ('
		# Every `k8s.io/X => ./staging/src/k8s.io/X` of kubernetes' own go.mod, pointed at the published module.
		grep -E '^[[:space:]]*k8s\.io/[^ ]+ => \./staging/' "$kmod" | awk -v v="$staging" '{print "\t" $1 " => " $1 " " v}'
		echo ')'
	} >"$K8S_SRC/go.mod"
	echo "    wrapper module with $(grep -c ' => ' "$K8S_SRC/go.mod") staging replaces"
	(cd "$K8S_SRC" && go mod download k8s.io/kubernetes)
	touch "$K8S_SRC/.ready"
}
k8s_build() { # NAME: k8s.io/kubernetes/cmd/NAME -> $BIN/NAME-$K8S_VERSION
	local name=$1 target=$BIN/$1-$K8S_VERSION
	if version_ok "$target" "$K8S_VERSION"; then
		echo "==> $name $K8S_VERSION: up to date"
		return
	fi
	begin "$name $K8S_VERSION (wrapper module)"
	k8s_wrapper
	local minor now ldf p
	minor=$(echo "$K8S_VERSION" | cut -d. -f2)
	now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	ldf="-s -w"
	for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		ldf+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$now"
	done
	(cd "$K8S_SRC" && go build -mod=mod -p "$BUILD_P" -trimpath -ldflags="$ldf" -o "$target.tmp" "k8s.io/kubernetes/cmd/$name")
	mv "$target.tmp" "$target"
	version_ok "$target" "$K8S_VERSION" || { echo "build.sh: $target does not report $K8S_VERSION" >&2; exit 1; }
	done_step
}
k8s_build kube-apiserver
k8s_build kube-controller-manager
k8s_build kubectl

# ---------- kwok, metrics-server (their documented go install) ----------
install_tool() { # NAME MODULE PACKAGE VERSION
	local name=$1 mod=$2 pkg=$3 ver=$4
	local target=$BIN/$name-$ver
	if module_ok "$target" "$mod" "$ver"; then
		echo "==> $name $ver: up to date"
		return
	fi
	begin "$name $ver (go install)"
	local gobin=$SRC/$name-$ver-bin
	rm -rf "$gobin" && mkdir -p "$gobin"
	GOBIN=$gobin go install -p "$BUILD_P" -trimpath -ldflags='-s -w' "$pkg@$ver"
	mv "$gobin/$name" "$target"
	module_ok "$target" "$mod" "$ver" || { echo "build.sh: $target has unexpected build info" >&2; go version -m "$target" >&2; exit 1; }
	done_step
}
install_tool kwok sigs.k8s.io/kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION"
install_tool metrics-server sigs.k8s.io/metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server "$METRICS_SERVER_VERSION"

echo "build.sh: all binaries ready in $BIN ($(( $(date +%s) - T0 ))s total)"
ls -la "$BIN"
