# Versions and Go build flags shared by src/test-apiserver/build.sh and
# src/test-cluster/build.sh, so that every Kubernetes binary of the project is
# pinned and stamped in exactly one place. Sourced, never run.
#
# Needs: $apiserver_src (this directory) and a die() function. Sets:
#   kube_tag (v1.34.4), kube_minor, kube_patch, kube_version (1.34.4),
#   etcd_tag, etcd_version, staging_tag (v0.34.4)
# Functions: check_staging_replaces, kube_go_build OUT_DIR PKG... (go only then)

# shellcheck shell=bash
# Prints the version a go.mod requires for module $1 (`require M V` or a block).
required_version() {
  awk -v m="$1" '!/^[[:space:]]*\/\// { for (i = 1; i < NF; i++) if ($i == m && $(i + 1) ~ /^v[0-9]/) { print $(i + 1); exit } }' "$2"
}
kube_tag="$(required_version k8s.io/kubernetes "$apiserver_src/go.mod")"
etcd_tag="$(required_version go.etcd.io/etcd/server/v3 "$apiserver_src/etcd/go.mod")"
[[ "$kube_tag" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "cannot read a k8s.io/kubernetes v1.X.Y from go.mod (got '$kube_tag')"
kube_minor="${BASH_REMATCH[1]}"
kube_patch="${BASH_REMATCH[2]}"
[[ "$etcd_tag" =~ ^v3\.[0-9]+\.[0-9]+$ ]] || die "cannot read go.etcd.io/etcd/server/v3 from etcd/go.mod (got '$etcd_tag')"
kube_version="${kube_tag#v}"   # kube-api-test directory names have no leading "v"
etcd_version="${etcd_tag#v}"
staging_tag="v0.${kube_minor}.${kube_patch}"

# Every k8s.io staging module must be replaced by the matching v0.X.Y tag.
check_staging_replaces() {
  local bad
  bad="$(awk -v want="$staging_tag" '
    /^replace \(/ { inblock = 1; next }
    inblock && /^\)/ { inblock = 0 }
    inblock && $1 ~ /^k8s\.io\// && $2 == "=>" && $4 != want { print $1 " => " $3 " " $4 }
  ' "$apiserver_src/go.mod")"
  [[ -z "$bad" ]] || die "go.mod replaces not at $staging_tag:"$'\n'"$bad"
}

# go build of main packages of $apiserver_src (./cmd/NAME) into directory $1,
# stamped and tagged as the upstream release build does. Needs go on PATH.
kube_go_build() {
  local out="$1"; shift
  # Never let go download another toolchain, never pick up a go.work from a
  # parent directory, build fully static binaries like the upstream release,
  # and never let the build rewrite the committed go.mod/go.sum.
  local build_date ldflags tags pkg
  # Same version stamping as kubernetes' hack/lib/version.sh (kube::version::ldflags),
  # for both k8s.io/client-go/pkg/version and k8s.io/component-base/version.
  # buildDate is the publication time of the k8s.io/kubernetes module, so that the
  # binaries are reproducible. gitCommit is not known from a module download and
  # is left at its default.
  build_date="$(cd "$apiserver_src" && GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=readonly \
    go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)"
  ldflags="-s -w"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X '${pkg}.gitVersion=${kube_tag}'"
    ldflags+=" -X '${pkg}.gitMajor=1'"
    ldflags+=" -X '${pkg}.gitMinor=${kube_minor}'"
    ldflags+=" -X '${pkg}.gitTreeState=clean'"
    ldflags+=" -X '${pkg}.buildDate=${build_date}'"
  done
  # Build tags of the upstream release build (hack/lib/golang.sh, non-debug).
  # -buildvcs=false: this directory is inside the project's git repository, and
  # go would otherwise stamp its commit into every binary (not reproducible).
  tags="selinux,notest,grpcnotrace"
  (cd "$apiserver_src" && GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=readonly \
    GOMAXPROCS="${GOMAXPROCS:-${JOBS:-2}}" \
    go build -p "${JOBS:-2}" -trimpath -buildvcs=false -tags "$tags" -ldflags "all=${ldflags}" -o "$out/" "$@")
}
