# Shared names, paths and helpers of the test-cluster scripts (build.sh, up.sh,
# image.sh, down.sh, check-clean.sh). Sourced, never run.
#
# Names, addresses and ports are FIXED: there is one test cluster per machine
# (the bridge name, its subnet and the daemons' ports would collide otherwise).
# Only the state directory can be moved, with RUNNER_FLEET_TEST_CLUSTER.

# shellcheck shell=bash
tc_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$tc_here/../.." && pwd)"
apiserver_src="$repo_root/src/test-apiserver"

log() { printf '[test-cluster] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- versions: k8s.io/kubernetes in src/test-apiserver/go.mod, the one pin -----
# shellcheck source=../test-apiserver/versions.sh
. "$apiserver_src/versions.sh"

# --- state ---------------------------------------------------------------------
STATE="${RUNNER_FLEET_TEST_CLUSTER:-$HOME/.runner-fleet-test-cluster}"
# kubelet, kube-scheduler, kube-controller-manager, kube-proxy. Deliberately not
# under ~/.kubeapitest/k8s/: kube-api-test scans that directory for versions.
BIN="$STATE/bin/$kube_tag"
# kube-apiserver, etcd, kubectl, as src/test-apiserver/build.sh installs them.
KBIN="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${kube_version}-linux-amd64"
IMAGES="$STATE/images"        # kept by down.sh: OCI layout + tarballs
PKI="$STATE/pki"
CONF="$STATE/conf"
RUN="$STATE/run"              # pid files
HOST_RECORD="$STATE/host"     # the host as up.sh found it (sysctls, absent paths); down.sh and check-clean.sh read it
LOGS="$STATE/logs"
CTRD="$STATE/containerd"
CTRD_SOCK="$CTRD/containerd.sock"
KUBELET_DIR="$STATE/kubelet"
DNS_HOSTS_DIR="$STATE/dns/hosts.d"
DNS_HOSTS_FILE="$DNS_HOSTS_DIR/hosts"
CLUSTER_ENV="$STATE/cluster.env"
KUBECONFIG_ADMIN="$STATE/kubeconfig"

# --- fixed names and addresses ---------------------------------------------------
BRIDGE=cni0
HOST_IP=10.244.0.1            # the bridge: node IP, apiserver, dnsmasq, registry
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/24
KUBERNETES_SVC_IP=10.96.0.1
NODE_NAME=runner-fleet-test-node
CLUSTER_DOMAIN=cluster.local
TEST_DOMAIN=runner-fleet.test # dnsmasq is authoritative for it; image names use it too
REGISTRY="$HOST_IP:5000"
# A second registry that requires basic auth (htpasswd): a job's image there is pulled only with the job's
# registry credentials. Fixed, public test credentials; the bcrypt line below is this password's.
REGISTRY_AUTH="$HOST_IP:5001"
REGISTRY_AUTH_USER=rf-registry
REGISTRY_AUTH_PASSWORD=rf-registry-password
REGISTRY_AUTH_HTPASSWD='rf-registry:$2b$10$AWJqbMYJ6V7Uqu1M6AwAjeG1fuOojqewAiMJI2RPdr5FDOwzwrk3O'
CNI_CONF=/etc/cni/net.d/10-runner-fleet-test.conflist

# Image references. A fake registry host, so that nothing ever tries a real
# pull, and never `latest`, so that IfNotPresent uses the imported image.
IMAGE_PAUSE=runner-fleet.test/pause:1
IMAGE_BUILD=runner-fleet.test/build:bookworm-1
# The bookworm layer plus python3 and the stand-in gitlab-runner-helper (build.sh: the helper image).
IMAGE_HELPER=runner-fleet.test/helper:stand-in-bookworm-1
# Named like docker:<version>-dind, which is how the Job Pod builder recognises a Docker-in-Docker service (its
# startup probe waits for dockerd's port before the build starts), as users' .gitlab-ci.yml files name it.
IMAGE_DIND=runner-fleet.test/docker:dind-bookworm-1
IMAGE_RUNNER_FLEET_REPO=runner-fleet.test/runner-fleet
# The bookworm image, pushed by up.sh into the auth registry only.
IMAGE_BUILD_PRIVATE="$REGISTRY_AUTH/private/build:bookworm-1"

# Sysctls the kubelet sets while it runs (kernel.panic=10, panic_on_oops=1,
# vm.overcommit_memory=1); ip_forward is recorded to prove it never changes.
SAVED_SYSCTLS=(kernel.panic kernel.panic_on_oops vm.overcommit_memory net.ipv4.ip_forward)
# Paths the kubelet, containerd and libcni use even when pointed elsewhere
# (hard-coded); down.sh removes those that did not exist before up.sh.
SYSTEM_PATHS=(/etc/cni /var/lib/kubelet /var/lib/cni /run/containerd /var/log/containers /var/log/pods /usr/libexec/kubernetes)
DAEMONS=(dnsmasq etcd registry registry-auth containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

# "reference manifest-digest" of every image in one of build.sh's archives.
archive_images() {
  tar -xOf "$1" --occurrence=1 index.json |
    jq -r '.manifests[] | .annotations["io.containerd.image.name"] + " " + .digest'
}
# The images build.sh makes, the only ones down.sh keeps in containerd.
base_images() { for a in "$IMAGES/pause.tar" "$IMAGES/bookworm.tar"; do archive_images "$a"; done; }

kubectl_() { "$KBIN/kubectl" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
ctr_() { ctr --address "$CTRD_SOCK" -n k8s.io "$@"; }

# A pid is alive and not a zombie: our daemons are re-parented to PID 1, which
# on this VM reaps them only lazily, so `kill -0` alone would wait for nothing.
running() {
  local state
  state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}
# Whether pid $1 is still the process the pid file $2 was written for: every
# daemon names our state dir on its command line, the image import is up.sh's
# subshell. (After a reboot a stale pid file may name someone else's process.)
is_ours() {
  local cmdline
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" || return 1
  [[ "$cmdline" == *"$STATE/"* || ("$2" == import && "$cmdline" == *up.sh*) ]]
}
daemon_pid() { [[ -f "$RUN/$1.pid" ]] && cat "$RUN/$1.pid"; }
daemon_alive() { local pid; pid="$(daemon_pid "$1")" && running "$pid" && is_ours "$pid" "$1"; }

# The daemons must never use an HTTP proxy for the bridge or loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
