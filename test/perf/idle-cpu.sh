#!/usr/bin/env bash
# Idle CPU of the live view: memtop in tmux (200×50) against the simulated cluster in its own
# process (N pods, changing every 15 s as a cluster does), nobody typing. After a warm-up, the
# CPU time memtop used (utime + stime from /proc/PID/stat) over the window, as % of one core.
#   bash test/perf/idle-cpu.sh [pods=10000] [seconds=60] [memtop entry=dist/cli/main.js]
set -euo pipefail
cd "$(dirname "$0")/../.."
pods=${1:-10000}
secs=${2:-60}
entry=${3:-dist/cli/main.js}
. test/perf/sim.sh
start_sim "$pods"
tmux -L "$sock" new-session -d -x 200 -y 50 "exec node --max-semi-space-size=32 $entry --kubeconfig $work/kubeconfig"
pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
sleep 25 # lists, first metrics, the idle steps that prepare sort columns
a=$(ticks)
t0=$(date +%s.%N)
sleep "$secs"
b=$(ticks)
t1=$(date +%s.%N)
awk -v a="$a" -v b="$b" -v hz="$hz" -v t0="$t0" -v t1="$t1" -v p="$pods" 'BEGIN {printf "idle CPU at %d pods: %.2f %% of a core (%.2f s CPU in %.1f s)\n", p, 100 * (b - a) / hz / (t1 - t0), (b - a) / hz, t1 - t0}'
