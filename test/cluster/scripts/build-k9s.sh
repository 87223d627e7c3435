#!/usr/bin/env bash
# Builds k9s (a peer TUI, for `npm run bench:cluster` only) from the Go module proxy into a cache
# outside the repo: $CACHE/bin/k9s-<version>. Skipped when that binary's Go build info matches.
# Env: MEMTOP_K9S_CACHE (default ~/.cache/memtop-k9s), K9S_VERSION (default v0.50.16),
#      MEMTOP_K9S_BUILD_P (go build -p, default nproc).
set -euo pipefail

K9S_VERSION=${K9S_VERSION:-v0.50.16}
CACHE=${MEMTOP_K9S_CACHE:-$HOME/.cache/memtop-k9s}
. "$(dirname "${BASH_SOURCE[0]}")/go-env.sh"
go_env "$CACHE" build-k9s.sh
BIN=$CACHE/bin/k9s-$K9S_VERSION

if [[ -x $BIN ]] && go version -m "$BIN" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/derailed/k9s[[:space:]]+$K9S_VERSION([[:space:]]|$)"; then
	echo "build-k9s.sh: k9s $K9S_VERSION up to date ($BIN)"
	exit 0
fi

T0=$(date +%s)
echo "build-k9s.sh: $(go version), building k9s $K9S_VERSION into $CACHE"
GOBIN=$CACHE/bin.tmp go install -p "${MEMTOP_K9S_BUILD_P:-$(nproc)}" -trimpath -ldflags='-s -w' "github.com/derailed/k9s@$K9S_VERSION"
mv "$CACHE/bin.tmp/k9s" "$BIN"
rmdir "$CACHE/bin.tmp" 2>/dev/null || true
echo "build-k9s.sh: built $BIN in $(( $(date +%s) - T0 ))s"
