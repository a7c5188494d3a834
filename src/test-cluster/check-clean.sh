#!/usr/bin/env bash
# After down.sh: prints CLEAN, or every leftover of the test cluster it finds
# (processes, mounts, links, cgroups, nftables tables, iptables chains, system
# paths, listening ports, changed sysctls) and exits 1.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

leftovers=()
found() { leftovers+=("$*"); }

# Processes: ours name our state dir or binaries (daemons, shims), or sit in a
# top-level kubepods cgroup (pod processes whose shim is gone).
for p in /proc/[0-9]*; do
  [[ "${p#/proc/}" == "$$" ]] && continue
  cmdline="$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" || continue
  [[ "$cmdline" == *check-clean.sh* ]] && continue
  if [[ "$cmdline" == *"$STATE/"* || "$cmdline" == *"$KBIN/"* ]] ||
    grep -E '^[0-9]+:[^:]*:/kubepods' "$p/cgroup" >/dev/null 2>&1; then
    found "process ${p#/proc/}: $cmdline"
  fi
done
while read -r m; do found "mount $m"; done < <(awk -v s="$STATE/" 'index($5, s) == 1 { print $5 }' /proc/self/mountinfo)
while read -r l; do found "link $l"; done < <(ip -o link show | awk -F': ' -v b="$BRIDGE" '$2 == b || $2 ~ /^veth/ { print $2 }')
for h in /sys/fs/cgroup/*/kubepods; do [[ -e "$h" ]] && found "cgroup $h"; done
for family in ip ip6; do
  nft list table "$family" kube-proxy >/dev/null 2>&1 && found "nftables table $family kube-proxy"
done
chains="$(iptables-save 2>/dev/null; ip6tables-save 2>/dev/null)"
grep -E '^(:|-A )(KUBE|CNI)' <<<"$chains" >/dev/null && found "iptables KUBE-/CNI- chains"
[[ -e "$CNI_CONF" ]] && found "file $CNI_CONF"
if [[ -f "$HOST_RECORD/absent-paths" ]]; then
  while IFS= read -r d; do [[ -n "$d" && -e "$d" ]] && found "path $d (absent before up.sh)"; done <"$HOST_RECORD/absent-paths"
fi
for f in "$RUN"/*.pid; do [[ -e "$f" ]] && found "pid file $f"; done
[[ -f "$CLUSTER_ENV" ]] && found "file $CLUSTER_ENV"
for l in /var/log/containers/*; do
  [[ -L "$l" && "$(readlink "$l")" == "$STATE/"* ]] && found "symlink $l"
done
listening="$(ss -Hlntu)"
for port in 2379 2380 2381 6443 10248 10249 10250 10256 10257 10259; do
  grep -E "[:.]$port\b" <<<"$(awk '{ print $5 }' <<<"$listening")" >/dev/null && found "listening on port $port"
done
grep -F "$HOST_IP:" <<<"$listening" >/dev/null && found "listening on $HOST_IP"
# The sysctls the kubelet changes, against what up.sh recorded before it ran.
if [[ -f "$HOST_RECORD/sysctls" ]]; then
  while IFS='=' read -r key value; do
    [[ "$(sysctl -n "$key")" == "$value" ]] || found "sysctl $key=$(sysctl -n "$key") (was $value)"
  done <"$HOST_RECORD/sysctls"
fi
[[ "$(sysctl -n net.ipv4.ip_forward)" == 0 ]] || found "net.ipv4.ip_forward is on"

if ((${#leftovers[@]})); then
  printf '%s\n' "${leftovers[@]}"
  echo "NOT CLEAN"
  exit 1
fi
echo "CLEAN"
