#!/usr/bin/env bash
# Builds kube-apiserver, kubectl (Kubernetes, from k8s.io/kubernetes + k8s.io/kubectl)
# and etcd (go.etcd.io/etcd/server/v3) from source with the Go toolchain and
# installs them where fabric8 io.fabric8:kube-api-test 7.5.2 looks them up:
#
#   $KUBE_API_TEST_DIR/k8s/<major.minor.patch>-<os>-<arch>/{kube-apiserver,etcd,kubectl}
#   e.g. ~/.kubeapitest/k8s/1.34.4-linux-amd64/
#
# The versions are NOT set here: they are read from go.mod (k8s.io/kubernetes)
# and etcd/go.mod (go.etcd.io/etcd/server/v3), the single source of truth.
#
# Environment:
#   KUBE_API_TEST_DIR  target root, default ~/.kubeapitest (same default and
#                      same variable as kube-api-test itself)
#   FORCE=1            rebuild even if the binaries are already present
#   JOBS               go build -p (default: 2, the cores of the CI machine)
#   GOMODCACHE/GOCACHE usual Go caches (defaults ~/go/pkg/mod, ~/.cache/go-build)
#
# Only the Go module proxy is contacted (for modules not yet in GOMODCACHE).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# Never let go download another toolchain, never pick up a go.work from a parent
# directory, and build fully static binaries like the upstream release does.
export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0
# go.mod/go.sum are committed and complete: never let the build rewrite them.
export GOFLAGS=-mod=readonly
jobs="${JOBS:-2}"
export GOMAXPROCS="${GOMAXPROCS:-$jobs}"

log() { printf '[test-apiserver] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go is not on PATH"

# --- versions, from the go.mod files -----------------------------------------
# versions.sh sets kube_tag, kube_version, etcd_tag, etcd_version ... and holds
# the build flags (kube_go_build), shared with src/test-cluster/build.sh.
apiserver_src="$here"
# shellcheck source=versions.sh
. "$here/versions.sh"
check_staging_replaces

# --- target directory, named the way kube-api-test names it ------------------
# kube-api-test: <dir>/k8s/<version><Utils.platformSuffix(OSInfo)>, where the
# suffix is "-" + lower-cased Java os.name ("linux") + "-" + arch (amd64, arm64,
# ppc64le). Go's GOHOSTOS/GOHOSTARCH give the same words on those platforms.
os_name="$(go env GOHOSTOS)"
arch="$(go env GOHOSTARCH)"
test_dir="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
target="$test_dir/k8s/${kube_version}-${os_name}-${arch}"

installed_ok() {
  local d="$1"
  [[ -x "$d/kube-apiserver" && -x "$d/etcd" && -x "$d/kubectl" ]] || return 1
  # Not `cmd | grep -q`: under pipefail, grep exiting at the first match can
  # kill the writer with SIGPIPE and fail the check at random.
  grep -qx "Kubernetes ${kube_tag}" <<<"$("$d/kube-apiserver" --version 2>/dev/null)" || return 1
  grep -qx "etcd Version: ${etcd_version}" <<<"$("$d/etcd" --version 2>/dev/null)" || return 1
  grep -qx "Client Version: ${kube_tag}" <<<"$("$d/kubectl" version --client 2>/dev/null)" || return 1
}

if [[ "${FORCE:-0}" != 1 ]] && installed_ok "$target"; then
  log "kube-apiserver/kubectl ${kube_tag} and etcd ${etcd_tag} already present in $target; skipping build (FORCE=1 rebuilds)"
  exit 0
fi
if [[ -e "$target" ]]; then
  log "$target exists but is incomplete or of another version; rebuilding it"
fi

# --- build --------------------------------------------------------------------
start=$(date +%s)
mkdir -p "$test_dir/k8s"
# Build into a staging directory that kube-api-test ignores (its name does not
# end in -<os>-<arch>; it scans k8s/ for that suffix and parses the prefix as a
# version, so no other names may end that way), then rename it into place.
staging="$(mktemp -d "$test_dir/.build.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

log "building kube-apiserver + kubectl ${kube_tag}, etcd ${etcd_tag} for ${os_name}/${arch} (go build -p ${jobs}, $(go env GOVERSION))"
log "target: $target"

t0=$(date +%s)
kube_go_build "$staging" ./cmd/kube-apiserver ./cmd/kubectl
log "kube-apiserver + kubectl built in $(( $(date +%s) - t0 ))s"

t0=$(date +%s)
(cd etcd && go build -p "$jobs" -trimpath -buildvcs=false -ldflags "-s -w" -o "$staging/etcd" .)
log "etcd built in $(( $(date +%s) - t0 ))s"

installed_ok "$staging" || {
  "$staging/kube-apiserver" --version || true
  "$staging/etcd" --version || true
  "$staging/kubectl" version --client || true
  die "the freshly built binaries do not report the expected versions"
}

rm -rf "$target"
mv "$staging" "$target"
chmod 0755 "$target"
trap - EXIT

elapsed=$(( $(date +%s) - start ))
"$target/kube-apiserver" --version >&2
"$target/etcd" --version | head -1 >&2
log "installed into $target"
log "build took ${elapsed}s ($(( elapsed / 60 ))m$(( elapsed % 60 ))s)"
