#!/usr/bin/env bash
# The README's start-up figures: the single executable (npm run package first) against
# `node dist/cli/main.js` with the bin's V8 flag, medians of RUNS (default 20) runs each.
#   --version, --demo --once: hyperfine (apt-get install hyperfine), 3 warm-up runs
#   the TUI's first frame: from starting `memtop --demo` in a 120×40 tmux to the pods table on the
#   pane (capture-pane every 10 ms)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-20}
node=$PWD/node_modules/node/bin/node
exe=$PWD/dist/release/memtop-linux-x64
[[ -x $exe ]] || { echo "startup.sh: no dist/release/memtop-linux-x64 (run npm run package)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo 'startup.sh: needs hyperfine (apt-get install hyperfine)' >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A command=([executable]="$exe" [node]="$node --max-semi-space-size=32 $PWD/dist/cli/main.js")

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

first_frame() { # COMMAND: ms from starting it in tmux to the pods table on screen
	local start end socket
	start=$(date +%s%N)
	socket=memtop-startup-$start
	tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 "$1 --demo"
	until tmux -L "$socket" capture-pane -p | grep -q '\[1 Pods\]'; do sleep 0.01; done
	end=$(date +%s%N)
	tmux -L "$socket" kill-server
	echo $(((end - start) / 1000000))
}

echo "startup.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each, medians"
for args in --version '--demo --once'; do
	hyperfine -N -w 3 -r "$runs" --output=null --export-json "$tmp/h.json" -n executable "$exe $args" -n node "${command[node]} $args" >/dev/null
	"$node" -e 'for (const r of require(process.argv[1]).results) console.log(`${process.argv[2].padEnd(14)} ${r.command.padEnd(10)} ${(r.median * 1000).toFixed(0).padStart(5)} ms`)' "$tmp/h.json" "$args"
done
for name in executable node; do
	for ((i = 0; i < runs; i++)); do first_frame "${command[$name]}"; done | median | xargs printf "%-14s %-10s %5.0f ms\n" 'first frame' "$name"
done
