#!/usr/bin/env bash
# Builds everything the test cluster (up.sh) runs, offline except for the Debian
# mirror apt already uses and the Go module proxy:
#
#   1. Debian packages: containerd, runc, CNI plugins, dnsmasq, nftables (kube-proxy),
#      docker-registry, umoci/skopeo/debootstrap (images), gcc (pause) ...
#   2. kube-apiserver, etcd, kubectl: src/test-apiserver/build.sh (skips when built)
#   3. kubelet, kube-scheduler, kube-controller-manager, kube-proxy, from the same
#      pinned module (src/test-apiserver/go.mod, cmd/<name>/main.go), stamped the
#      same way, into $STATE/bin/<version>/ (not where kube-api-test looks)
#   4. images, as an OCI layout in $STATE/images/oci plus the tarballs up.sh imports:
#      pause.tar    IMAGE_PAUSE  static C pause (images/pause.c)
#      bookworm.tar IMAGE_BUILD, IMAGE_DIND: ONE Debian bookworm rootfs
#                   (debootstrap minbase + docker.io git openjdk-17 ...); IMAGE_DIND
#                   differs only in its entrypoint (images/dockerd-entrypoint.sh);
#                   IMAGE_HELPER: that layer plus a thin one with python3 and the
#                   tests' stand-in gitlab-runner-helper (cache up/downloads)
#   (IMAGE_RUNNER_FLEET, the project's jar on top of it, is image.sh's job.)
#
# Every step is skipped when its output is present and current; FORCE=1 redoes all.
# Environment: RUNNER_FLEET_TEST_CLUSTER (state dir, default ~/.runner-fleet-test-cluster),
# FORCE=1, JOBS (go build -p, default 2).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $EUID == 0 ]] || die "run as root (the cluster needs mounts, namespaces and a bridge)"
force="${FORCE:-0}"
start=$(date +%s)

# --- 1. Debian packages ----------------------------------------------------------
packages=(containerd runc containernetworking-plugins dnsmasq-base iptables nftables
  docker-registry umoci skopeo debootstrap busybox-static gcc libc6-dev openssl curl jq iproute2 util-linux)
missing=()
for p in "${packages[@]}"; do
  [[ "$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null || true)" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  t0=$(date +%s)
  # Installing containerd or docker-registry must not start their system
  # services (the registry would listen on all interfaces): policy-rc.d says no.
  own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ((own_policy)) && rm -f /usr/sbin/policy-rc.d
  log "packages installed in $(( $(date +%s) - t0 ))s"
fi

# --- 2. kube-apiserver, etcd, kubectl ----------------------------------------------
bash "$apiserver_src/build.sh"

# --- 3. kubelet, kube-scheduler, kube-controller-manager, kube-proxy ------------------
node_binaries=(kubelet kube-scheduler kube-controller-manager kube-proxy)
node_binaries_ok() {
  local d="$1" b out
  for b in "${node_binaries[@]}"; do
    [[ -x "$d/$b" ]] || return 1
    out="$("$d/$b" --version 2>/dev/null)" || return 1
    [[ "$out" == "Kubernetes ${kube_tag}" ]] || return 1
  done
}
if [[ "$force" != 1 ]] && node_binaries_ok "$BIN"; then
  log "${node_binaries[*]} ${kube_tag} present in $BIN"
else
  command -v go >/dev/null || die "go is not on PATH"
  check_staging_replaces
  mkdir -p "$STATE/bin"
  staging="$(mktemp -d "$STATE/bin/.build.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  log "building ${node_binaries[*]} ${kube_tag} (go build -p ${JOBS:-2}, $(go env GOVERSION)); 3-4 minutes on 2 cores after test-apiserver's build (shared Go build cache)"
  t0=$(date +%s)
  kube_go_build "$staging" "${node_binaries[@]/#/./cmd/}"
  node_binaries_ok "$staging" || die "the freshly built binaries do not report Kubernetes ${kube_tag}"
  rm -rf "$BIN"
  mv "$staging" "$BIN"
  chmod 0755 "$BIN"
  trap - EXIT
  log "built into $BIN in $(( $(date +%s) - t0 ))s"
fi

# --- 4. images -------------------------------------------------------------------------
oci="$IMAGES/oci"
mkdir -p "$IMAGES"

# Writes an OCI archive that `ctr images import` names by the
# io.containerd.image.name annotation: $1 = output, then REF=LAYOUT_TAG pairs.
# Only the blobs of the chosen tags go in.
oci_archive() {
  local out="$1" ref tag desc digest tmp
  shift
  tmp="$(mktemp -d "$IMAGES/.archive.XXXXXX")"
  local descs=() blobs=()
  for pair in "$@"; do
    ref="${pair%%=*}" tag="${pair#*=}"
    desc="$(jq -c --arg t "$tag" --arg r "$ref" '.manifests[]
      | select(.annotations["org.opencontainers.image.ref.name"] == $t)
      | .annotations = {"io.containerd.image.name": $r, "org.opencontainers.image.ref.name": $r}' "$oci/index.json")"
    [[ -n "$desc" ]] || die "no tag $tag in $oci"
    descs+=("$desc")
    digest="$(jq -r .digest <<<"$desc")"
    blobs+=("blobs/sha256/${digest#sha256:}")
    while read -r digest; do
      blobs+=("blobs/sha256/${digest#sha256:}")
    done < <(jq -r '.config.digest, .layers[].digest' "$oci/blobs/sha256/${digest#sha256:}")
  done
  printf '%s\n' "${descs[@]}" | jq -s '{schemaVersion: 2, manifests: .}' >"$tmp/index.json"
  cp "$oci/oci-layout" "$tmp/oci-layout"
  tar -cf "$tmp/out.tar" -C "$tmp" oci-layout index.json -C "$oci" $(printf '%s\n' "${blobs[@]}" | sort -u)
  mv "$tmp/out.tar" "$out"
  rm -rf "$tmp"
}

# An empty image to unpack: its bundle's rootfs is where the files go, and
# `umoci repack` turns what was put there into one layer.
new_bundle() { # layout-tag bundle-dir
  [[ -d "$oci" ]] || umoci init --layout "$oci"
  umoci rm --image "$oci:$1" 2>/dev/null || true
  umoci new --image "$oci:$1"
  rm -rf "$2"
  umoci unpack --image "$oci:$1" "$2" >/dev/null
}
default_path=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# pause
pause_inputs="$(sha256sum "$tc_here/images/pause.c" | cut -c1-64)"
if [[ "$force" != 1 && -f "$IMAGES/pause.tar" && "$(cat "$IMAGES/pause.inputs" 2>/dev/null)" == "$pause_inputs" ]]; then
  log "pause image present ($IMAGE_PAUSE)"
else
  t0=$(date +%s)
  bundle="$IMAGES/.bundle-pause"
  new_bundle pause-1 "$bundle"
  gcc -Os -static -Wall -o "$bundle/rootfs/pause" "$tc_here/images/pause.c"
  strip "$bundle/rootfs/pause"
  umoci repack --image "$oci:pause-1" "$bundle"
  umoci config --image "$oci:pause-1" --os linux --architecture amd64 \
    --config.entrypoint /pause --config.user 65535:65535 --config.workingdir /
  rm -rf "$bundle"
  umoci gc --layout "$oci"
  oci_archive "$IMAGES/pause.tar" "$IMAGE_PAUSE=pause-1"
  echo "$pause_inputs" >"$IMAGES/pause.inputs"
  log "pause image built in $(( $(date +%s) - t0 ))s ($IMAGE_PAUSE)"
fi

# Debian bookworm: the build, helper and dind image.
# git + ca-certificates: the helper clones over http(s); docker.io: the docker CLI
# for builds and dockerd for the dind service; openjdk-17-jre-headless: the
# runner-fleet image (image.sh) adds only its jar on top of this one.
bookworm_packages=(docker.io git ca-certificates iptables procps iproute2 openjdk-17-jre-headless busybox-static)
bookworm_inputs="$(cat "$tc_here/images/dockerd-entrypoint.sh" <(echo "${bookworm_packages[*]}") | sha256sum | cut -c1-64)"
# The digest of a tag of the OCI layout, empty when it has none.
layout_digest() {
  jq -r --arg t "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' \
    "$oci/index.json" 2>/dev/null || true
}
if [[ "$force" != 1 && -n "$(layout_digest bookworm-1)" && -n "$(layout_digest dind-bookworm-1)" &&
  "$(cat "$IMAGES/bookworm.inputs" 2>/dev/null)" == "$bookworm_inputs" ]]; then
  log "bookworm rootfs present"
else
  t0=$(date +%s)
  # The mirror this machine's apt uses (deb822 sources or a classic sources.list).
  mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }')"
  [[ -n "$mirror" ]] || mirror="$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)"
  [[ -n "$mirror" ]] || die "cannot find the Debian mirror in /etc/apt/sources.list(.d)"
  bundle="$IMAGES/.bundle-bookworm"
  rootfs="$bundle/rootfs"
  new_bundle bookworm-1 "$bundle"
  mkdir -p "$LOGS"
  log "debootstrap bookworm from $mirror (log: $LOGS/debootstrap.log); 1-2 minutes in all"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$LOGS/debootstrap.log" 2>&1 \
    || die "debootstrap failed: see $LOGS/debootstrap.log"
  log "debootstrap done after $(( $(date +%s) - t0 ))s; installing ${bookworm_packages[*]}"
  # No service may start inside the chroot; java's postinst wants /proc.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod +x "$rootfs/usr/sbin/policy-rc.d"
  mount -t proc proc "$rootfs/proc"
  trap 'umount "$rootfs/proc" 2>/dev/null || true' EXIT
  chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    "${bookworm_packages[@]}" >"$LOGS/bookworm-apt.log" 2>&1 \
    || die "apt-get install in the bookworm rootfs failed: see $LOGS/bookworm-apt.log"
  # The runner-fleet image's user, as src/docker/Dockerfile creates it.
  # (useradd warns that 10001 is above SYS_UID_MAX: the Dockerfile's user all the same.)
  chroot "$rootfs" groupadd --system --gid 10001 runner-fleet
  chroot "$rootfs" useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin runner-fleet \
    2>>"$LOGS/bookworm-apt.log"
  umount "$rootfs/proc"
  trap - EXIT
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/sbin/policy-rc.d "$rootfs"/var/log/* \
    "$rootfs"/usr/share/doc "$rootfs"/usr/share/man "$rootfs"/usr/share/info "$rootfs"/var/cache/debconf/*-old
  # The kubelet bind-mounts the pod's own resolv.conf, hosts and hostname.
  : >"$rootfs/etc/resolv.conf"
  : >"$rootfs/etc/hostname"
  install -m 0755 "$tc_here/images/dockerd-entrypoint.sh" "$rootfs/usr/local/bin/dockerd-entrypoint.sh"
  log "rootfs $(du -sh "$rootfs" | cut -f1); packing it"
  umoci repack --image "$oci:bookworm-1" "$bundle"
  rm -rf "$bundle"
  umoci config --image "$oci:bookworm-1" --os linux --architecture amd64 \
    --config.env "$default_path" --config.cmd bash --config.workingdir /
  # dind: the same layer, another entrypoint (as docker:dind: ENTRYPOINT
  # dockerd-entrypoint.sh, no CMD, /var/lib/docker a volume).
  umoci rm --image "$oci:dind-bookworm-1" 2>/dev/null || true
  umoci config --image "$oci:bookworm-1" --tag dind-bookworm-1 --config.entrypoint dockerd-entrypoint.sh \
    --clear config.cmd --config.volume /var/lib/docker --config.exposedports 2375/tcp
  umoci gc --layout "$oci"
  echo "$bookworm_inputs" >"$IMAGES/bookworm.inputs"
  log "bookworm rootfs built in $(( $(date +%s) - t0 ))s"
fi

# The helper image: bookworm plus ONE thin layer with python3 and the stand-in
# gitlab-runner-helper the tests already run (GeneratedScriptsTest,
# SharedCacheOnRealS3Test): the same file, installed as is, so the cache's
# download and upload through presigned URLs are written once. Its
# cache-extractor / cache-archiver really move the archives; its other commands
# fail without a test harness recording them (see the file), as a missing
# gitlab-runner-helper did before. Build, dind and runner-fleet images keep the
# bookworm layer alone. Rebuilt when the base, the file or the packages change.
helper_packages=(python3)
fake_helper="$repo_root/operator/src/test/resources/fake-helper/gitlab-runner-helper"
helper_inputs="$(cat <(layout_digest bookworm-1) "$fake_helper" <(echo "${helper_packages[*]}") | sha256sum | cut -c1-64)"
if [[ "$force" != 1 && -n "$(layout_digest helper-bookworm-1)" &&
  "$(cat "$IMAGES/helper.inputs" 2>/dev/null)" == "$helper_inputs" ]]; then
  log "helper layer present"
else
  t0=$(date +%s)
  bundle="$IMAGES/.bundle-helper"
  rootfs="$bundle/rootfs"
  rm -rf "$bundle"
  umoci rm --image "$oci:helper-bookworm-1" 2>/dev/null || true
  umoci unpack --image "$oci:bookworm-1" "$bundle" >/dev/null
  # apt in the chroot needs a resolver to reach the mirror (the image's resolv.conf
  # is empty: the kubelet mounts the pod's own), and java's triggers want /proc.
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod +x "$rootfs/usr/sbin/policy-rc.d"
  mount -t proc proc "$rootfs/proc"
  trap 'umount "$rootfs/proc" 2>/dev/null || true' EXIT
  mkdir -p "$LOGS"
  log "helper layer: installing ${helper_packages[*]} on bookworm (log: $LOGS/helper-apt.log)"
  { chroot "$rootfs" apt-get update -q &&
    chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      "${helper_packages[@]}"; } >"$LOGS/helper-apt.log" 2>&1 ||
    die "apt-get install in the helper rootfs failed: see $LOGS/helper-apt.log"
  umount "$rootfs/proc"
  trap - EXIT
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/sbin/policy-rc.d "$rootfs"/var/log/* \
    "$rootfs"/usr/share/doc "$rootfs"/usr/share/man "$rootfs"/usr/share/info "$rootfs"/var/cache/debconf/*-old
  : >"$rootfs/etc/resolv.conf"
  install -m 0755 "$fake_helper" "$rootfs/usr/local/bin/gitlab-runner-helper"
  # Only what changed goes into the new layer, on top of bookworm-1's.
  umoci repack --image "$oci:helper-bookworm-1" "$bundle"
  rm -rf "$bundle"
  umoci gc --layout "$oci"
  echo "$helper_inputs" >"$IMAGES/helper.inputs"
  log "helper layer built in $(( $(date +%s) - t0 ))s"
fi

# One archive for the three (their blobs once): written again when a tag's name
# (lib.sh) or image changed.
bookworm_tags=("$IMAGE_BUILD=bookworm-1" "$IMAGE_HELPER=helper-bookworm-1" "$IMAGE_DIND=dind-bookworm-1")
bookworm_names="$(for pair in "${bookworm_tags[@]}"; do echo "$pair@$(layout_digest "${pair#*=}")"; done)"
if [[ "$force" != 1 && -f "$IMAGES/bookworm.tar" && "$(cat "$IMAGES/bookworm.names" 2>/dev/null)" == "$bookworm_names" ]]; then
  log "bookworm images present ($IMAGE_BUILD, $IMAGE_HELPER, $IMAGE_DIND)"
else
  oci_archive "$IMAGES/bookworm.tar" "${bookworm_tags[@]}"
  echo "$bookworm_names" >"$IMAGES/bookworm.names"
  log "bookworm images written ($IMAGE_BUILD, $IMAGE_HELPER, $IMAGE_DIND): $(du -h "$IMAGES/bookworm.tar" | cut -f1)"
fi

log "build done in $(( $(date +%s) - start ))s"
