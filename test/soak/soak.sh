#!/usr/bin/env bash
# Soak: the real memtop in a real terminal (tmux) for MINUTES (default 30) against the demo
# cluster, a key every few seconds (views, sorts, drill-downs), RSS read from /proc every 30 s. The
# demo churns: CronJobs come and go, pods are OOM-killed and restarted, a node evicts. The simulated
# cluster runs in a process of its own (as in the bench), so the figures are memtop's alone: the
# simulated API server keeps an hour of Events, as a real one does, and would grow in memtop's
# process with --demo. RSS moves ±30 MB with each major GC, so one sample says little: the figures
# compared are the highest RSS of minutes 3–5 (warmed up) and of the last 5 minutes. Passes when
# the second is within 10 % of the first.
#   bash test/soak/soak.sh [minutes]      (run `npm run build` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:-30}
node_bin="$PWD/node_modules/node/bin"
socket="memtop-soak-$$"
tm() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"; }
trap cleanup EXIT
work=$(mktemp -d)
PATH="$node_bin:$PATH" node dist/sim/main.js --scenario demo --seed 1 --kubeconfig "$work/config" > "$work/sim.out" &
sim=$!
trap 'cleanup; kill $sim 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q SIM_URL "$work/sim.out" 2>/dev/null && break; sleep 0.2; done
tm new-session -d -s soak -x 160 -y 45 "PATH=$node_bin:\$PATH exec node --max-semi-space-size=32 dist/cli/main.js --kubeconfig $work/config"
sleep 5
# the pane's process is memtop itself (exec)
pid=$(tm list-panes -t soak -F '#{pane_pid}')
grep -qa 'memtop' "/proc/$pid/cmdline" || { echo "soak: memtop did not start"; exit 1; }
rss() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }
keys=(1 m z j j Enter Escape 2 j Enter Escape 3 j 4 1 o k)
start=$(date +%s); at5=0; last=(); n=0
while :; do
	now=$(date +%s); el=$(( now - start ))
	[ "$el" -ge $(( minutes * 60 )) ] && break
	tm send-keys -t soak "${keys[$(( n % ${#keys[@]} ))]}"; n=$(( n + 1 ))
	if [ $(( n % 10 )) -eq 0 ]; then
		r=$(rss); echo "t=${el}s rss=${r}MB"
		[ "$el" -ge 180 ] && [ "$el" -le 300 ] && [ "$r" -gt "$at5" ] && at5=$r
		[ "$el" -ge $(( minutes * 60 - 300 )) ] && last+=("$r")
	fi
	sleep 3
done
last+=("$(rss)")
end=$(printf '%s\n' "${last[@]}" | sort -n | tail -1)
[ "$at5" -gt 0 ] || at5=$end
pct=$(awk -v a="$at5" -v b="$end" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
echo "soak: ${minutes} min, ${n} keys; highest RSS in minutes 3-5 ${at5} MB, in the last 5 minutes ${end} MB (${pct} %)"
awk -v a="$at5" -v b="$end" 'BEGIN {exit !(b <= a * 1.10)}'
