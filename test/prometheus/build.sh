#!/usr/bin/env bash
# Builds Prometheus and promtool from the Go module proxy into a cache outside the repo, for the
# real-Prometheus tests (issue 11). Binaries land in $CACHE/bin/<name>-<version>; a binary whose
# build info already names the module at that version is skipped.
#   `go install github.com/prometheus/prometheus/cmd/{prometheus,promtool}@$PROMETHEUS_VERSION`
# works as is (its go.mod has no replace directives). Tags: netgo as upstream; no builtinassets
# (the web UI's compiled assets are not in the module and the tests use only the HTTP API);
# remove_all_sd keeps only the file and http service discovery (tests use static_configs).
# Env: MEMTOP_PROMETHEUS_CACHE (default ~/.cache/memtop-prometheus), PROMETHEUS_VERSION,
#      MEMTOP_PROMETHEUS_BUILD_P (go build -p, default nproc).
set -euo pipefail

PROMETHEUS_VERSION=${PROMETHEUS_VERSION:-v0.316.0}
CACHE=${MEMTOP_PROMETHEUS_CACHE:-$HOME/.cache/memtop-prometheus}
MODULE=github.com/prometheus/prometheus

. "$(dirname "${BASH_SOURCE[0]}")/../cluster/scripts/go-env.sh"
go_env "$CACHE" build.sh
BUILD_P=${MEMTOP_PROMETHEUS_BUILD_P:-$(nproc)}
BIN=$CACHE/bin
SRC=$CACHE/src
mkdir -p "$BIN" "$SRC"

echo "build.sh: $(go version), cache $CACHE, -p $BUILD_P"
T0=$(date +%s)

module_ok() { # BINARY: built from $MODULE at $PROMETHEUS_VERSION (go's build info)
	[[ -x $1 ]] || return 1
	go version -m "$1" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+$MODULE[[:space:]]+$PROMETHEUS_VERSION([[:space:]]|$)"
}

# The release that module version carries (v0.316.0 is Prometheus 3.16.0), for --version.
release=$(go mod download -json "$MODULE@$PROMETHEUS_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
release=$(cat "$release/VERSION" 2>/dev/null || echo "${PROMETHEUS_VERSION#v}")
ldf="-s -w -X github.com/prometheus/common/version.Version=$release -X github.com/prometheus/common/version.Branch=module -X github.com/prometheus/common/version.Revision=$PROMETHEUS_VERSION"

for name in prometheus promtool; do
	target=$BIN/$name-$PROMETHEUS_VERSION
	if module_ok "$target"; then
		echo "==> $name $PROMETHEUS_VERSION: up to date"
		continue
	fi
	start=$(date +%s)
	echo "==> $name $PROMETHEUS_VERSION (go install, Prometheus $release)"
	gobin=$SRC/$name-$PROMETHEUS_VERSION-bin
	rm -rf "$gobin" && mkdir -p "$gobin"
	GOBIN=$gobin go install -p "$BUILD_P" -trimpath -tags netgo,remove_all_sd -ldflags="$ldf" "$MODULE/cmd/$name@$PROMETHEUS_VERSION"
	mv "$gobin/$name" "$target"
	module_ok "$target" || { echo "build.sh: $target has unexpected build info" >&2; go version -m "$target" >&2; exit 1; }
	echo "    done in $(( $(date +%s) - start ))s"
done

echo "build.sh: Prometheus binaries ready in $BIN ($(( $(date +%s) - T0 ))s total)"
ls -la "$BIN"
