#!/usr/bin/env bash
# Stops the test cluster and undoes everything up.sh did to this machine:
# pods (and their processes, shims, mounts, veths), the daemons, the bridge, the
# kubepods cgroups, kube-proxy's nftables tables, the CNI config, the system
# directories that did not exist before, the sysctls the kubelet changed; then
# wipes the runtime state (etcd, containerd, kubelet, registry, certificates,
# cluster.env). Keeps $STATE/bin/ and $STATE/images/ (what build.sh made).
#
# Kills only by pid: the pid files of up.sh, the pids in the kubepods cgroups,
# and shims whose command line names our containerd socket. Idempotent, and
# safe when nothing is up; works after a crash (kubelet/containerd killed).
# check-clean.sh verifies the result.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $EUID == 0 ]] || die "run as root"

t_start=$(date +%s%N)
step() {
  local ms=$((($(date +%s%N) - t_start) / 1000000))
  log "$(printf '%3d.%ds' $((ms / 1000)) $((ms % 1000 / 100))) $*"
}

stop() { # name [timeout-seconds]: SIGTERM, then SIGKILL
  local name="$1" timeout="${2:-15}" pid i
  pid="$(daemon_pid "$name")" || return 0
  if running "$pid" && is_ours "$pid" "$name"; then
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < timeout * 10; i++)); do running "$pid" || break; sleep 0.1; done
    if running "$pid"; then
      log "$name ($pid) did not stop: SIGKILL"
      kill -KILL "$pid" 2>/dev/null
      sleep 0.2
      rm -f "$RUN/$name.pid"
      return 1
    fi
    step "stopped $name ($pid)"
  fi
  rm -f "$RUN/$name.pid"
}

# The cluster is no longer usable from here on.
rm -f "$CLUSTER_ENV"
# An image import of an up.sh that failed before it ended.
stop import 2

# 1. No new pods from here on: the controllers (ReplicaSets would replace every
#    deleted pod) and the scheduler stop first.
stop kube-controller-manager
stop kube-scheduler

# 2. Pods, through the API while the kubelet still runs, so that it tears their
#    sandboxes down properly (CNI DEL, netns, mounts).
if daemon_alive kube-apiserver && daemon_alive kubelet && daemon_alive containerd; then
  kubectl_ delete pods --all --all-namespaces --grace-period=1 --wait=false >/dev/null 2>&1
  # No task left = every sandbox stopped (the CRI runs CNI DEL before it stops
  # the pause task). The pod objects themselves do not matter: etcd goes.
  for ((i = 0; i < 150; i++)); do
    [[ -z "$(ctr_ tasks ls -q 2>/dev/null)" ]] && break
    sleep 0.2
  done
  step "pods stopped"
fi
stop kubelet
stop kube-proxy

# 3. Whatever still runs in containerd. Then every image but build.sh's goes
#    (pushed, pulled, older runner-fleet tags: image.sh re-imports in a second),
#    and when nothing else is left and containerd stops on SIGTERM, its store
#    is kept: the next up.sh need not import 700 MB again (10-25 s).
keep_images=0
if daemon_alive containerd; then
  for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$t" >/dev/null 2>&1; done
  sleep 0.3
  for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$t" >/dev/null 2>&1; done
  for c in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers delete "$c" >/dev/null 2>&1; done
  # Keep build.sh's references at build.sh's digests, and the sha256:<id>
  # references the CRI adds for them; remove every other reference.
  others="$(ctr_ images ls 2>/dev/null | awk -v keep="$(base_images 2>/dev/null | tr '\n' ' ')" '
    BEGIN { n = split(keep, k, " "); for (i = 1; i < n; i += 2) { name[k[i] " " k[i + 1]] = 1; digest[k[i + 1]] = 1 } }
    NR > 1 && !(($1 " " $3) in name) && !($1 ~ /^sha256:/ && $3 in digest) { print $1 }')"
  if [[ -n "$others" ]]; then
    # shellcheck disable=SC2086
    ctr_ images rm --sync $others >/dev/null 2>&1
  fi
  [[ -z "$(ctr_ containers ls -q 2>/dev/null)" && -n "$(ctr_ images ls -q 2>/dev/null)" ]] && keep_images=1
fi
stop containerd || keep_images=0

# 4. Pod processes left behind (kubelet or containerd crashed): every pid in a
#    kubepods cgroup belongs to a pod of this cluster.
for ((i = 0; i < 50; i++)); do
  pids="$(find /sys/fs/cgroup/*/kubepods -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u | tr '\n' ' ')"
  [[ -z "${pids// /}" ]] && break
  ((i == 0)) && log "killing leftover pod processes: $pids"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null
  sleep 0.1
done

# 5. Shims of our containerd (their command line names our socket).
for p in /proc/[0-9]*; do
  cmdline="$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" || continue
  if [[ "$cmdline" == *"-address $CTRD_SOCK "* ]]; then
    log "killing leftover shim ${p#/proc/}"
    kill -KILL "${p#/proc/}" 2>/dev/null
  fi
done

for d in kube-apiserver etcd registry registry-auth dnsmasq; do stop "$d"; done

# 6. Mounts under the state dir (rootfs overlays, shm, netns, token tmpfs, the
#    kubelet's bind mount of its root dir), deepest first.
while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "cannot unmount $m"
done < <(awk -v s="$STATE/" 'index($5, s) == 1 { print $5 }' /proc/self/mountinfo | sort -r)

# 7. Network: veths left on the bridge, the bridge, the CNI config, kube-proxy's
#    nftables tables (the same as `kube-proxy --cleanup` removes in nftables mode).
for v in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
  ip link del "$v" 2>/dev/null
done
if ip link show "$BRIDGE" >/dev/null 2>&1; then
  ip link del "$BRIDGE" && step "bridge $BRIDGE deleted"
fi
rm -f "$CNI_CONF"
for family in ip ip6; do
  nft list table "$family" kube-proxy >/dev/null 2>&1 && nft delete table "$family" kube-proxy
done

# 8. The kubelet's /var/log/containers symlinks into our pod logs.
for l in /var/log/containers/*; do
  [[ -L "$l" && "$(readlink "$l")" == "$STATE/"* ]] && rm -f "$l"
done

# 9. kubepods cgroups (every v1 hierarchy, and the unified one), deepest first.
for h in /sys/fs/cgroup/*/; do
  if [[ -d "$h/kubepods" ]]; then
    find "$h/kubepods" -depth -type d -exec rmdir {} + 2>/dev/null
    [[ -d "$h/kubepods" ]] && log "WARNING: could not remove $h/kubepods"
  fi
done

# 10. Sysctls the kubelet changed, back to what up.sh recorded.
if [[ -f "$HOST_RECORD/sysctls" ]]; then
  while IFS= read -r kv; do sysctl -q -w "$kv"; done <"$HOST_RECORD/sysctls"
  step "sysctls restored"
fi

# 11. System paths that did not exist before up.sh (the kubelet's device-plugins
#     dir, libcni's cache, containerd's shim sockets, the flexvolume dir ...).
if [[ -f "$HOST_RECORD/absent-paths" ]]; then
  while IFS= read -r d; do
    [[ -n "$d" && -e "$d" ]] && rm -rf "$d"
  done <"$HOST_RECORD/absent-paths"
fi

# 12. Runtime state; bin/, images/, host/ (the record check-clean.sh compares
#     with) and, after a clean stop, containerd's image store stay.
if ((keep_images)); then
  find "$CTRD" -mindepth 1 -maxdepth 1 ! -name root -exec rm -rf {} +
  # The CRI plugin's per-sandbox and per-container directories.
  rm -rf "$CTRD/root/io.containerd.grpc.v1.cri"
  step "containerd's image store kept"
else
  rm -rf "$CTRD"
fi
rm -rf "$STATE/etcd" "$KUBELET_DIR" "$STATE/pod-logs" "$STATE/cni" "$STATE/registry" "$STATE/registry-auth" \
  "$STATE/dns" "$PKI" "$CONF" "$KUBECONFIG_ADMIN" "$RUN"
step "down"
