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
# Prints the version a go.mod requires for module $1 (`require M V` or a block).
required_version() {
  awk -v m="$1" '!/^[[:space:]]*\/\// { for (i = 1; i < NF; i++) if ($i == m && $(i + 1) ~ /^v[0-9]/) { print $(i + 1); exit } }' "$2"
}
kube_tag="$(required_version k8s.io/kubernetes go.mod)"
etcd_tag="$(required_version go.etcd.io/etcd/server/v3 etcd/go.mod)"
[[ "$kube_tag" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "cannot read a k8s.io/kubernetes v1.X.Y from go.mod (got '$kube_tag')"
kube_minor="${BASH_REMATCH[1]}"
kube_patch="${BASH_REMATCH[2]}"
[[ "$etcd_tag" =~ ^v3\.[0-9]+\.[0-9]+$ ]] || die "cannot read go.etcd.io/etcd/server/v3 from etcd/go.mod (got '$etcd_tag')"
kube_version="${kube_tag#v}"   # kube-api-test directory names have no leading "v"
etcd_version="${etcd_tag#v}"

# Every k8s.io staging module must be replaced by the matching v0.X.Y tag.
staging_tag="v0.${kube_minor}.${kube_patch}"
bad_replaces="$(awk -v want="$staging_tag" '
  /^replace \(/ { inblock = 1; next }
  inblock && /^\)/ { inblock = 0 }
  inblock && $1 ~ /^k8s\.io\// && $2 == "=>" && $4 != want { print $1 " => " $3 " " $4 }
' go.mod)"
[[ -z "$bad_replaces" ]] || die "go.mod replaces not at $staging_tag:"$'\n'"$bad_replaces"

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
  "$d/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes ${kube_tag}" || return 1
  "$d/etcd" --version 2>/dev/null | grep -qx "etcd Version: ${etcd_version}" || return 1
  "$d/kubectl" version --client 2>/dev/null | grep -qx "Client Version: ${kube_tag}" || return 1
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

# Same version stamping as kubernetes' hack/lib/version.sh (kube::version::ldflags),
# for both k8s.io/client-go/pkg/version and k8s.io/component-base/version.
# buildDate is the publication time of the k8s.io/kubernetes module, so that the
# binaries are reproducible. gitCommit is not known from a module download and
# is left at its default.
build_date="$(go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)"
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags+=" -X '${pkg}.gitVersion=${kube_tag}'"
  ldflags+=" -X '${pkg}.gitMajor=1'"
  ldflags+=" -X '${pkg}.gitMinor=${kube_minor}'"
  ldflags+=" -X '${pkg}.gitTreeState=clean'"
  ldflags+=" -X '${pkg}.buildDate=${build_date}'"
done
# Build tags of the upstream release build (hack/lib/golang.sh, non-debug).
tags="selinux,notest,grpcnotrace"

log "building kube-apiserver + kubectl ${kube_tag}, etcd ${etcd_tag} for ${os_name}/${arch} (go build -p ${jobs}, $(go env GOVERSION))"
log "target: $target"

t0=$(date +%s)
go build -p "$jobs" -trimpath -tags "$tags" -ldflags "all=${ldflags}" \
  -o "$staging/" ./cmd/kube-apiserver ./cmd/kubectl
log "kube-apiserver + kubectl built in $(( $(date +%s) - t0 ))s"

t0=$(date +%s)
(cd etcd && go build -p "$jobs" -trimpath -ldflags "-s -w" -o "$staging/etcd" .)
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
