# shellcheck shell=bash
# Sourced by the test/perf scripts: the simulated cluster at $1 pods in its own process (changing
# every 15 s as a cluster does), a kubeconfig for it at $work/kubeconfig, and a tmux socket; both
# are gone when the script exits. Sets work, sock, sim_pid.
work=$(mktemp -d)
sock="memtop-perf-$$"
sim_pid=""
perf_cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap perf_cleanup EXIT
start_sim() {
	node dist/sim/main.js --scenario scale --pods "$1" --nodes $(($1 / 33)) --seed 1 --tick-ms 15000 --kubeconfig "$work/kubeconfig" >"$work/sim.out" 2>&1 &
	sim_pid=$!
	for _ in $(seq 1 300); do grep -q '^SIM_KUBECONFIG=' "$work/sim.out" && return 0; sleep 0.2; done
	echo "the simulated cluster did not start" >&2
	return 1
}
