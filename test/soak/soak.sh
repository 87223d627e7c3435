#!/usr/bin/env bash
# Soak: the real memtop --demo in a real terminal (tmux) for MINUTES (default 30), a key every few
# seconds (views, sorts, drill-downs), RSS read from /proc every 30 s. The demo churns: CronJobs
# come and go, pods are OOM-killed and restarted, a node evicts. Passes when the RSS at the end is
# within 10 % of the RSS at 5 minutes. Prints one line per sample and a result line.
#   bash test/soak/soak.sh [minutes]      (run `npm run build` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:-30}
node_bin="$PWD/node_modules/node/bin"
socket="memtop-soak-$$"
tm() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"; }
trap cleanup EXIT
tm new-session -d -s soak -x 160 -y 45 "PATH=$node_bin:\$PATH exec node --max-semi-space-size=32 dist/cli/main.js --demo"
sleep 5
# the pane's process is memtop itself (exec)
pid=$(tm list-panes -t soak -F '#{pane_pid}')
grep -qa 'memtop' "/proc/$pid/cmdline" || { echo "soak: memtop did not start"; exit 1; }
rss() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }
keys=(1 m z j j Enter Escape 2 j Enter Escape 3 j 4 1 o k)
start=$(date +%s); at5=""; n=0
while :; do
	now=$(date +%s); el=$(( now - start ))
	[ "$el" -ge $(( minutes * 60 )) ] && break
	tm send-keys -t soak "${keys[$(( n % ${#keys[@]} ))]}"; n=$(( n + 1 ))
	if [ $(( n % 10 )) -eq 0 ]; then
		r=$(rss); echo "t=${el}s rss=${r}MB"
		[ -z "$at5" ] && [ "$el" -ge 300 ] && at5=$r
	fi
	sleep 3
done
end=$(rss)
[ -n "$at5" ] || at5=$end
pct=$(awk -v a="$at5" -v b="$end" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
echo "soak: ${minutes} min, ${n} keys; RSS at 5 min ${at5} MB, at the end ${end} MB (${pct} %)"
awk -v a="$at5" -v b="$end" 'BEGIN {exit !(b <= a * 1.10)}'
