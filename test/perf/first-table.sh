#!/usr/bin/env bash
# Start → first table with memory figures: memtop in tmux (200×50) against the simulated cluster
# in its own process (N pods), the time from starting memtop to the first screen that shows a pod
# row with a working set (a figure like 123Mi in the WS column), polled every 20 ms. Runs the given
# entries alternated, R rounds, and prints each time and the medians.
#   bash test/perf/first-table.sh [pods=10000] [rounds=3] entry.js [entry.js ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
pods=${1:-10000}
rounds=${2:-3}
shift 2 || true
entries=("$@")
[ ${#entries[@]} -gt 0 ] || entries=(dist/cli/main.js)
. test/perf/sim.sh
start_sim "$pods"
declare -A times
for r in $(seq 1 "$rounds"); do
	for e in "${entries[@]}"; do
		t0=$(date +%s%N)
		tmux -L "$sock" new-session -d -x 200 -y 50 "exec node --max-semi-space-size=32 $e --kubeconfig $work/kubeconfig"
		ms=""
		for _ in $(seq 1 1500); do
			# a table row: namespace, pod name, then a working set such as 512Mi or 1.2Gi
			if tmux -L "$sock" capture-pane -p 2>/dev/null | grep -Eq '^.[a-z0-9-]+ +[a-z0-9.-]+ +[0-9.]+[KMGT]i '; then
				ms=$((($(date +%s%N) - t0) / 1000000))
				break
			fi
			sleep 0.02
		done
		tmux -L "$sock" kill-server 2>/dev/null || true
		echo "round $r $e: ${ms:-timeout} ms"
		times[$e]="${times[$e]:-} ${ms:-99999}"
		sleep 1
	done
done
for e in "${entries[@]}"; do
	echo "median $e: $(echo ${times[$e]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms"
done
