#!/usr/bin/env bash
# Stops or starts one component of a running test cluster (used by the suite for the
# kube-apiserver restart and metrics-server outage cases).
# Usage: ctl.sh stop|start|kill|status COMPONENT
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cmd=${1:?stop|start|kill|status}
name=${2:?component}
[[ -f $STATE/run/$name.sh ]] || { echo "ctl.sh: unknown component $name" >&2; exit 2; }
case $cmd in
stop) stop_component "$name" ;;
kill)
	pid=$(pid_of "$name") || { echo "ctl.sh: $name is not running" >&2; exit 1; }
	kill -KILL "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	rm -f "$STATE/pids/$name.pid"
	log "killed $name (pid $pid)"
	;;
start) start_component "$name" ;;
status) pid_of "$name" || { echo "ctl.sh: $name is not running" >&2; exit 1; } ;;
*) echo "ctl.sh: unknown command $cmd" >&2; exit 2 ;;
esac
