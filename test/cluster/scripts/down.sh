#!/usr/bin/env bash
# Stops every process the test cluster scripts started (pids in $STATE/pids), newest first.
# Keeps the state dir (logs, audit log) for inspection; up.sh wipes it on the next start.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -d $STATE/pids ]] || { net_down; log "nothing to stop in $STATE"; exit 0; }
for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
	stop_component "${COMPONENTS[i]}"
done
# Anything else recorded there (e.g. extra helpers) goes too.
for f in "$STATE"/pids/*.pid; do
	[[ -e $f ]] || continue
	stop_component "$(basename "$f" .pid)"
done
net_down
left=$(ls "$STATE"/pids 2>/dev/null | wc -l)
((left == 0)) || { log "some pid files remain: $(ls "$STATE"/pids)"; exit 1; }
log 'test cluster stopped'
