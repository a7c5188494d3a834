#!/usr/bin/env bash
# Kills one daemon of the running test cluster and starts it again exactly as up.sh started it (daemons.sh), for
# the tests of a control plane or node that fails under a running job (issue #18):
#
#   restart.sh kube-apiserver --signal KILL    # SIGKILL, started again at once
#   restart.sh containerd                      # SIGTERM (a service manager's restart), started again
#   restart.sh kubelet --stop-for 60           # SIGTERM, down for 60 s, then started again
#   restart.sh kubelet --ensure-up             # kills nothing: starts it if it is not running, waits until healthy
#
# Returns when the daemon is back and the cluster healthy again (kube-apiserver /readyz, the kubelet's healthz,
# node Ready), or fails saying what did not come back. Never touches another daemon; never runs up.sh or down.sh.
#
# Environment: RUNNER_FLEET_TEST_CLUSTER (state dir, default ~/.runner-fleet-test-cluster)
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/daemons.sh"
[[ $EUID == 0 ]] || die "run as root (the daemons run as root)"
# The daemon started here must inherit no descriptor but 0-2: run under `flock /tmp/real-cluster.lock`, it would
# otherwise keep the lock's descriptor, and so the lock, for as long as it runs. 255 is bash's own, reading this file.
for fd in /proc/$$/fd/*; do
  fd="${fd##*/}"
  if ((fd > 2 && fd != 255)); then eval "exec $fd>&-"; fi
done

t_start=$(date +%s%N)
step() {
  local ms=$((($(date +%s%N) - t_start) / 1000000))
  log "restart $component: $(printf '%3d.%ds' $((ms / 1000)) $((ms % 1000 / 100))) $*"
}
usage() { die "usage: restart.sh kube-apiserver|containerd|kubelet [--signal TERM|KILL] [--stop-for SECONDS] [--ensure-up]"; }

component="${1:-}"
shift || true
case "$component" in
  kube-apiserver | containerd | kubelet) ;;
  *) usage ;;
esac
signal=TERM stop_for=0 ensure_up=0
while (($#)); do
  case "$1" in
    --signal) signal="${2:-}"; shift 2 || usage ;;
    --stop-for) stop_for="${2:-}"; shift 2 || usage ;;
    --ensure-up) ensure_up=1; shift ;;
    *) usage ;;
  esac
done
[[ "$signal" == TERM || "$signal" == KILL ]] || die "--signal: TERM or KILL, not '$signal'"
[[ "$stop_for" =~ ^[0-9]+$ ]] || die "--stop-for: whole seconds, not '$stop_for'"
[[ -f "$CLUSTER_ENV" ]] || die "the test cluster is not up ($CLUSTER_ENV missing): bash src/test-cluster/up.sh"

if ((!ensure_up)); then
  pid="$(daemon_pid "$component")" || die "$component has no pid file in $RUN: is the cluster up?"
  daemon_alive "$component" || die "$component (pid $pid) is not running: nothing to restart"
  kill "-$signal" "$pid"
  # up.sh's start() would do nothing while the old process lives (daemon_alive).
  # Gone means more than not running: a SIGKILLed Go daemon's main thread is a zombie while its other threads still
  # exit, and they hold its listening sockets until the last one is gone (kube-apiserver started again then failed
  # with "bind: address already in use"). Its /proc/PID/task lists the threads left.
  exited() {
    local tasks
    running "$1" && return 1
    tasks="$(ls "/proc/$1/task" 2>/dev/null | wc -l)"
    ((tasks <= 1)) || return 1
    [[ "$component" != kube-apiserver || -z "$(ss -Hltn "sport = :6443")" ]]
  }
  wait_for "$component (pid $pid) exited after SIG$signal" 60 exited "$pid"
  if ((stop_for > 0)); then
    sleep "$stop_for"
    step "$component was down for $stop_for s"
  fi
fi

case "$component" in
  kube-apiserver) start_kube_apiserver ;;
  containerd) start_containerd ;;
  kubelet) start_kubelet ;;
esac
step "$component started (pid $(daemon_pid "$component"))"
case "$component" in
  containerd) wait_for "containerd answering" 60 containerd_up ;;
  kubelet) wait_for "kubelet healthy" 60 kubelet_healthy ;;
esac
wait_for "kube-apiserver ready" 120 apiserver_ready
wait_for "node $NODE_NAME Ready" 180 node_ready
