#!/usr/bin/env bash
# krew, offline: the manifest npm run package wrote (dist/release/memtop.yaml) checked by krew's
# own validator, then each platform installed by the real krew from its local archive (which
# checks the archive against the manifest's sha256) into a throwaway KREW_ROOT and run as
# `kubectl memtop`, with no node on the PATH; arm64 under qemu-user.
# krew and validate-krew-manifest are built from the Go module proxy (sigs.k8s.io/krew) into a
# cache outside the repo, skipped when already built at KREW_VERSION.
# Env: MEMTOP_PACKAGE_CACHE (default ~/.cache/memtop-package), KREW_VERSION (default v0.4.3).
set -euo pipefail
cd "$(dirname "$0")/../.."
KREW_VERSION=${KREW_VERSION:-v0.4.3}
CACHE=${MEMTOP_PACKAGE_CACHE:-$HOME/.cache/memtop-package}
KREW_BIN=$CACHE/krew-$KREW_VERSION
release=$PWD/dist/release
version=$(node_modules/node/bin/node -p 'require("./package.json").version')

built() { # BINARY: built from sigs.k8s.io/krew at KREW_VERSION (go's build info)
	[[ -x $1 ]] && go version -m "$1" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+sigs\.k8s\.io/krew[[:space:]]+$KREW_VERSION([[:space:]]|$)"
}
if built "$KREW_BIN/kubectl-krew" && built "$KREW_BIN/validate-krew-manifest"; then
	echo "krew.sh: krew $KREW_VERSION: up to date in $KREW_BIN"
else
	command -v go >/dev/null || { echo 'krew.sh: go is not installed' >&2; exit 1; }
	start=$(date +%s)
	gobin=$CACHE/krew-$KREW_VERSION.tmp
	rm -rf "$gobin" && mkdir -p "$gobin"
	GOTOOLCHAIN=local GOMODCACHE=$CACHE/go/mod GOCACHE=$CACHE/go/build GOPATH=$CACHE/go/path GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOBIN=$gobin \
		go install -trimpath -ldflags='-s -w' "sigs.k8s.io/krew/cmd/krew@$KREW_VERSION" "sigs.k8s.io/krew/cmd/validate-krew-manifest@$KREW_VERSION"
	# kubectl finds plugins by name: kubectl-krew
	mv "$gobin/krew" "$gobin/kubectl-krew"
	rm -rf "$KREW_BIN" && mv "$gobin" "$KREW_BIN"
	echo "krew.sh: built krew $KREW_VERSION in $(($(date +%s) - start))s"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$(command -v kubectl)" "$work/bin/kubectl"

# The validator's own install step downloads each platform's uri, which is not published from
# here: krew install --archive below does that part, offline.
"$KREW_BIN/validate-krew-manifest" -manifest "$release/memtop.yaml" -skip-install

krew_install() { # KREW_ARCH ARCHIVE: installs memtop into $work/ARCH, prints kubectl-memtop's path
	local root=$work/$1
	env -i HOME="$work" PATH="$root/bin:$KREW_BIN:$work/bin" KREW_ROOT="$root" KREW_ARCH="$1" KREW_NO_UPGRADE_CHECK=1 \
		kubectl krew install --manifest="$release/memtop.yaml" --archive="$release/$2" >&2
	echo "$root/bin/kubectl-memtop"
}
memtop() { env -i HOME="$work" PATH="$work/amd64/bin:$work/bin" kubectl memtop "$@"; }

krew_install amd64 memtop-linux-amd64.tar.gz >/dev/null
got=$(memtop --version)
[[ $got == "memtop $version" ]] || { echo "krew.sh: kubectl memtop --version printed: $got" >&2; exit 1; }
memtop --demo --once | grep -q '^NAMESPACE ' || { echo 'krew.sh: kubectl memtop --demo --once printed no table' >&2; exit 1; }
echo "krew.sh: amd64: krew installed it; kubectl memtop --version: '$got'; kubectl memtop --demo --once: a table"

arm=$(krew_install arm64 memtop-linux-arm64.tar.gz)
got=$(env -i PATH="$work/bin" "$(command -v qemu-aarch64)" -L /usr/aarch64-linux-gnu "$arm" --version)
[[ $got == "memtop $version" ]] || { echo "krew.sh: the arm64 kubectl-memtop --version printed: $got" >&2; exit 1; }
echo "krew.sh: arm64: krew installed it (KREW_ARCH=arm64); its kubectl-memtop under qemu-user: '$got'"
