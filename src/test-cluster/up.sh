#!/usr/bin/env bash
# Starts the test cluster: a real single-node Kubernetes on this machine, from
# what build.sh built, as plain background processes (no systemd, no images
# pulled from anywhere):
#
#   bridge cni0 10.244.0.1/24 (made here, the node IP) -> dnsmasq, etcd,
#   containerd, registry -> kube-apiserver -> controller-manager, scheduler,
#   kubelet, kube-proxy (nftables) -> $STATE/cluster.env
#
# Idempotent: when the cluster is already up and healthy it only says so; when a
# previous run left a half-started cluster, it runs down.sh first. Writes
# $STATE/cluster.env (KEY=value lines, see README.md) last, when everything is
# ready, and then runs image.sh for operator/target/runner-fleet.jar if present.
#
# Network rule: every daemon listens on 127.0.0.1 or on the bridge address only;
# pods get no default route (only the bridge subnet and the Service CIDR via the
# bridge), dnsmasq never forwards, net.ipv4.ip_forward is never turned on.
#
# Environment: RUNNER_FLEET_TEST_CLUSTER (state dir, default ~/.runner-fleet-test-cluster)
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/daemons.sh"
[[ $EUID == 0 ]] || die "run as root (the cluster needs mounts, namespaces and a bridge)"

t_start=$(date +%s%N)
step() {
  local ms=$((($(date +%s%N) - t_start) / 1000000))
  log "$(printf '%3d.%ds' $((ms / 1000)) $((ms % 1000 / 100))) $*"
}

# --- what build.sh makes --------------------------------------------------------------
for f in "$KBIN/kube-apiserver" "$KBIN/etcd" "$KBIN/kubectl" "$BIN/kubelet" "$BIN/kube-scheduler" \
  "$BIN/kube-controller-manager" "$BIN/kube-proxy" "$IMAGES/pause.tar" "$IMAGES/bookworm.tar"; do
  [[ -e "$f" ]] || die "$f is missing: run bash src/test-cluster/build.sh first (about 14 minutes cold on 2 cores, seconds when built)"
done
for c in containerd runc dnsmasq docker-registry skopeo nft ctr openssl jq curl; do
  command -v "$c" >/dev/null || die "$c is not installed: run bash src/test-cluster/build.sh first"
done

# --- already up? ----------------------------------------------------------------------
cluster_healthy() {
  local d
  for d in "${DAEMONS[@]}"; do daemon_alive "$d" || return 1; done
  [[ -f "$CLUSTER_ENV" ]] || return 1
  [[ "$(kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}
if cluster_healthy; then
  log "the test cluster is already up ($CLUSTER_ENV)"
  if [[ -f "$repo_root/operator/target/runner-fleet.jar" ]]; then
    bash "$tc_here/image.sh" >/dev/null || log "WARNING: image.sh failed"
  fi
  exit 0
fi
leftovers=0
for d in "${DAEMONS[@]}"; do [[ -f "$RUN/$d.pid" ]] && leftovers=1; done
ip link show "$BRIDGE" >/dev/null 2>&1 && leftovers=1
if ((leftovers)); then
  log "a previous cluster was not stopped cleanly: running down.sh first"
  bash "$tc_here/down.sh"
fi

mkdir -p "$RUN" "$LOGS" "$CONF" "$PKI" "$CTRD" "$KUBELET_DIR" "$STATE/etcd" "$STATE/pod-logs" \
  "$STATE/cni/ipam" "$STATE/registry" "$STATE/registry-auth" "$DNS_HOSTS_DIR"
: >>"$DNS_HOSTS_FILE"
# Keep the previous run's daemon logs in logs/prev/.
if compgen -G "$LOGS/*.log" >/dev/null; then
  rm -rf "$LOGS/prev" && mkdir -p "$LOGS/prev" && mv "$LOGS"/*.log "$LOGS/prev/"
fi

# --- host state we change: remember it, so that down.sh restores it --------------------
# The kubelet sets kernel.panic=10, kernel.panic_on_oops=1, vm.overcommit_memory=1.
# Recorded afresh here: anything a previous cluster changed was undone by down.sh above.
mkdir -p "$HOST_RECORD"
for s in "${SAVED_SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")"; done >"$HOST_RECORD/sysctls"
for d in "${SYSTEM_PATHS[@]}"; do [[ -e "$d" ]] || echo "$d"; done >"$HOST_RECORD/absent-paths"

# --- certificates -------------------------------------------------------------------------
# One CA signs everything. ECDSA P-256 keys (milliseconds to make, so a fresh CA
# per cluster costs nothing), except the admin client key: RSA, which every
# Java client (fabric8 included) reads without BouncyCastle.
make_cert() { # name subject ext-key-usage [subjectAltName] [rsa]
  local name="$1" subj="$2" eku="$3" san="${4:-}" keytype="${5:-ec}"
  if [[ "$keytype" == rsa ]]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/$name.key" 2>/dev/null
  else
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$name.key"
  fi
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -z "$san" ]] || echo "subjectAltName=$san"
  } >"$PKI/$name.ext"
  openssl req -new -key "$PKI/$name.key" -subj "$subj" 2>/dev/null |
    openssl x509 -req -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 3650 \
      -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.ext"
}
kubeconfig() { # file user-cert-name: a kubeconfig with the certificates embedded
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: runner-fleet-test
  cluster:
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
    server: https://$HOST_IP:6443
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 "$PKI/$2.crt")
    client-key-data: $(base64 -w0 "$PKI/$2.key")
contexts:
- name: runner-fleet-test
  context: {cluster: runner-fleet-test, user: $2}
current-context: runner-fleet-test
EOF
  chmod 0600 "$1"
}
if [[ ! -f "$KUBECONFIG_ADMIN" ]]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/ca.key"
  openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=runner-fleet-test-ca" -days 3650 -out "$PKI/ca.crt"
  make_cert apiserver "/CN=kube-apiserver" serverAuth \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost,IP:$HOST_IP,IP:127.0.0.1,IP:$KUBERNETES_SVC_IP"
  make_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  make_cert kubelet-serving "/CN=$NODE_NAME" serverAuth "DNS:$NODE_NAME,IP:$HOST_IP"
  make_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
  make_cert controller-manager "/CN=system:kube-controller-manager" clientAuth
  make_cert scheduler "/CN=system:kube-scheduler" clientAuth
  make_cert kube-proxy "/CN=system:kube-proxy" clientAuth
  make_cert admin "/O=system:masters/CN=runner-fleet-test-admin" clientAuth "" rsa
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/sa.key"
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
  for u in kubelet controller-manager scheduler kube-proxy; do kubeconfig "$PKI/$u.kubeconfig" "$u"; done
  chmod 0600 "$PKI"/*.key
  kubeconfig "$KUBECONFIG_ADMIN.tmp" admin
  mv "$KUBECONFIG_ADMIN.tmp" "$KUBECONFIG_ADMIN"
  step "certificates made"
fi

# --- configuration files -------------------------------------------------------------------
# dnsmasq: DNS only, on the bridge address only, and never a forwarder (no
# upstream: no-resolv and no server= line), so a pod can resolve nothing but what
# is configured here. hostsdir is watched with inotify: a line "IP name" appended
# to $DNS_HOSTS_FILE is answered at once. Runs as root because the state dir
# may sit in root's 0700 home, where "nobody" could not re-read the hosts dir.
cat >"$CONF/dnsmasq.conf" <<EOF
port=53
listen-address=$HOST_IP
bind-interfaces
no-resolv
no-hosts
no-poll
no-negcache
user=root
log-queries
log-facility=$LOGS/dnsmasq.log
hostsdir=$DNS_HOSTS_DIR
# Every name is local: unknown names get NXDOMAIN, nothing is ever forwarded.
local=/#/
local=/$CLUSTER_DOMAIN/
local=/$TEST_DOMAIN/
# There is no CoreDNS: the kubernetes Service's names, as a cluster's DNS answers them.
host-record=kubernetes.default.svc.$CLUSTER_DOMAIN,kubernetes.default.svc,kubernetes.default,$KUBERNETES_SVC_IP
EOF
# The resolv.conf the kubelet gives pods with dnsPolicy Default (and the base of
# ClusterFirst): our dnsmasq only, never this machine's nameserver.
printf 'nameserver %s\n' "$HOST_IP" >"$CONF/resolv.conf"

# Plain-http registry (Debian's docker-registry, distribution 2.8) on the bridge.
cat >"$CONF/registry.yml" <<EOF
version: 0.1
log:
  level: info
  accesslog: {disabled: true}
storage:
  filesystem: {rootdirectory: $STATE/registry}
  delete: {enabled: true}
  maintenance: {uploadpurging: {enabled: false}}
http:
  addr: $REGISTRY
health:
  storagedriver: {enabled: false}
EOF

# The same registry again on another port, requiring basic auth (htpasswd; distribution 2.8 accepts it over plain
# http): for a job whose image may be pulled only with the job's registry credentials.
printf '%s\n' "$REGISTRY_AUTH_HTPASSWD" >"$CONF/registry-auth.htpasswd"
cat >"$CONF/registry-auth.yml" <<EOF
version: 0.1
log:
  level: info
  accesslog: {disabled: true}
storage:
  filesystem: {rootdirectory: $STATE/registry-auth}
  delete: {enabled: true}
  maintenance: {uploadpurging: {enabled: false}}
http:
  addr: $REGISTRY_AUTH
auth:
  htpasswd: {realm: runner-fleet-test, path: $CONF/registry-auth.htpasswd}
health:
  storagedriver: {enabled: false}
EOF
mkdir -p "$CONF/registry-hosts/$REGISTRY_AUTH"
cat >"$CONF/registry-hosts/$REGISTRY_AUTH/hosts.toml" <<EOF
server = "http://$REGISTRY_AUTH"
[host."http://$REGISTRY_AUTH"]
  capabilities = ["pull", "resolve"]
EOF

# containerd's registry hosts: the registry over plain http; the fake image
# host and docker.io also go there, so that a pull of an image that was not
# imported fails on this machine instead of asking the Internet.
for h in "$REGISTRY" runner-fleet.test docker.io; do
  mkdir -p "$CONF/registry-hosts/$h"
  cat >"$CONF/registry-hosts/$h/hosts.toml" <<EOF
server = "http://$REGISTRY"
[host."http://$REGISTRY"]
  capabilities = ["pull", "resolve"]
EOF
done

# containerd 1.6 (Debian): own root, state and socket; runc (crun rejects this
# host's hybrid cgroups); restrict_oom_score_adj because this VM lacks
# CAP_SYS_RESOURCE (every sandbox would fail with "can't get final child's PID");
# netns mounts and runc state under our state dir; the locally built pause.
cat >"$CONF/containerd.toml" <<EOF
version = 2
root = "$CTRD/root"
state = "$CTRD/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$CTRD_SOCK"
[ttrpc]
  address = "$CTRD_SOCK.ttrpc"
[debug]
  address = ""
  level = "info"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CTRD/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$IMAGE_PAUSE"
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  max_container_log_line_size = 16384
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        Root = "$CTRD/runc-root"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$(dirname "$CNI_CONF")"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$CONF/registry-hosts"
EOF

# CNI: the bridge that up.sh makes itself (so the bridge plugin never turns on
# ip_forward: isGateway false), host-local addresses, and NO default route: pods
# reach the bridge subnet and, through the bridge address where kube-proxy's
# nftables rules catch it, the Service CIDR.
cat >"$CONF/cni.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "runner-fleet-test",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": false,
      "isDefaultGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$STATE/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "rangeStart": "10.244.0.10", "rangeEnd": "10.244.0.250", "gateway": "$HOST_IP"}]],
        "routes": [{"dst": "$SERVICE_CIDR", "gw": "$HOST_IP"}]
      }
    }
  ]
}
EOF

# kubelet. Settings this VM needs (README.md): cgroupfs (PID 1 is not systemd),
# oomScoreAdj 0 (no CAP_SYS_RESOURCE), failCgroupV1 false (hybrid cgroups),
# makeIPTablesUtilChains false (no KUBE-* chains in the host's iptables), own
# resolvConf, image GC off and eviction thresholds low (imported images cannot be
# pulled again). Logs rotate at 5Mi x 3 files (tests follow a trace across a rotation).
cat >"$CONF/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $HOST_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
containerRuntimeEndpoint: unix://$CTRD_SOCK
cgroupDriver: cgroupfs
failSwapOn: false
failCgroupV1: false
oomScoreAdj: 0
makeIPTablesUtilChains: false
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $PKI/ca.crt}
authorization:
  mode: AlwaysAllow
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
rotateCertificates: false
serverTLSBootstrap: false
clusterDomain: $CLUSTER_DOMAIN
clusterDNS: [$HOST_IP]
resolvConf: $CONF/resolv.conf
podLogsDir: $STATE/pod-logs
containerLogMaxSize: 5Mi
containerLogMaxFiles: 3
volumePluginDir: $KUBELET_DIR/volume-plugins
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: "100Mi"
  nodefs.available: "1%"
  nodefs.inodesFree: "1%"
  imagefs.available: "1%"
maxPods: 110
EOF

# kube-proxy in nftables mode: the kubernetes Service (10.96.0.1:443) reaches the
# API server on the bridge address. It must touch no sysctl (conntrack settings 0)
# and listen only on loopback; node ports only on the bridge address.
cat >"$CONF/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection:
  kubeconfig: $PKI/kube-proxy.kubeconfig
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
detectLocalMode: ClusterCIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$HOST_IP/32"]
oomScoreAdj: 0
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
  udpTimeout: 0s
  udpStreamTimeout: 0s
EOF

# --- helpers ---------------------------------------------------------------------------------
# start, wait_for, node_ready and the start_* functions: daemons.sh (restart.sh uses them too).
service_programmed() { grep -q "$KUBERNETES_SVC_IP" <<<"$(nft list table ip kube-proxy 2>/dev/null)"; }
import_done() { [[ -f "$RUN/import.rc" ]]; }
dnsmasq_listening() { [[ -n "$(ss -Hlnu "src $HOST_IP:53")" ]]; }

# --- the bridge: node IP, apiserver, dnsmasq and registry address ---------------------------
ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
grep -q "$HOST_IP/24" <<<"$(ip -4 addr show dev "$BRIDGE")" || ip addr add "$HOST_IP/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
mkdir -p "$(dirname "$CNI_CONF")"
cp "$CONF/cni.conflist" "$CNI_CONF"
step "bridge $BRIDGE $HOST_IP/24"

# --- daemons that need nothing else ------------------------------------------------------------
start dnsmasq dnsmasq --keep-in-foreground --conf-file="$CONF/dnsmasq.conf" --pid-file=
start etcd "$KBIN/etcd" --name runner-fleet-test --data-dir "$STATE/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster runner-fleet-test=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --unsafe-no-fsync --log-level warn
start_containerd
start registry docker-registry serve "$CONF/registry.yml"
start registry-auth docker-registry serve "$CONF/registry-auth.yml"

# Images: down.sh keeps build.sh's images in containerd's store when it stopped
# containerd cleanly, so usually there is nothing to do. Otherwise they go in
# while the control plane starts: pause first (the kubelet needs it for every
# pod), then the bookworm images in the background (10-25 s, mostly unpacking).
wait_for "containerd" 30 containerd_up
images_listing="$(ctr_ images ls 2>/dev/null)"
image_present() { # ref digest
  awk -v r="$1" -v d="$2" '$1 == r && $3 == d { found = 1 } END { exit !found }' <<<"$images_listing"
}
archive_present() {
  local ref digest
  while read -r ref digest; do image_present "$ref" "$digest" || return 1; done < <(archive_images "$1")
}
archive_present "$IMAGES/pause.tar" || ctr_ images import "$IMAGES/pause.tar" >/dev/null
rm -f "$RUN/import.rc"
if archive_present "$IMAGES/bookworm.tar"; then
  echo 0 >"$RUN/import.rc"
  step "images already in containerd"
else
  (
    rc=0
    ctr_ images import "$IMAGES/bookworm.tar" >"$LOGS/import.log" 2>&1 || rc=$?
    echo "$rc" >"$RUN/import.rc"
  ) &
  echo $! >"$RUN/import.pid" # down.sh stops it if up.sh fails before it ends
  step "importing images"
fi

wait_for "etcd" 60 curl -sf http://127.0.0.1:2379/health

# --- control plane ---------------------------------------------------------------------------------
start_kube_apiserver
wait_for "kube-apiserver ready" 120 apiserver_ready

# --root-ca-file: without it no kube-root-ca.crt ConfigMap, so no pod could mount
# its service account token.
start kube-controller-manager "$BIN/kube-controller-manager" \
  --kubeconfig="$PKI/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$PKI/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$PKI/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false \
  --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
  --use-service-account-credentials=true --service-cluster-ip-range="$SERVICE_CIDR" \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --profiling=false --v=1
start kube-scheduler "$BIN/kube-scheduler" \
  --kubeconfig="$PKI/scheduler.kubeconfig" \
  --authentication-kubeconfig="$PKI/scheduler.kubeconfig" \
  --authorization-kubeconfig="$PKI/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --profiling=false --v=1

# --- node ---------------------------------------------------------------------------------------------
start_kubelet
start kube-proxy "$BIN/kube-proxy" --config="$CONF/kube-proxy.yaml" --v=1

wait_for "kube-controller-manager healthy" 60 curl -skf https://127.0.0.1:10257/healthz
wait_for "kube-scheduler healthy" 60 curl -skf https://127.0.0.1:10259/healthz
wait_for "kubelet healthy" 60 kubelet_healthy
wait_for "node $NODE_NAME Ready" 120 node_ready
# ServiceAccount admission rejects pods created before the default SA exists.
wait_for "default service account" 60 kubectl_ -n default get serviceaccount default
wait_for "kube-proxy programmed the kubernetes Service" 60 service_programmed
wait_for "registry" 30 curl -sf "http://$REGISTRY/v2/"
wait_for "registry with auth" 30 curl -sf -u "$REGISTRY_AUTH_USER:$REGISTRY_AUTH_PASSWORD" "http://$REGISTRY_AUTH/v2/"
# The build image, only there (6-7 s: one 245 MB layer from build.sh's OCI layout).
skopeo copy -q --dest-tls-verify=false --dest-creds "$REGISTRY_AUTH_USER:$REGISTRY_AUTH_PASSWORD" \
  "oci:$IMAGES/oci:bookworm-1" "docker://$IMAGE_BUILD_PRIVATE" >>"$LOGS/registry-auth.log" 2>&1 ||
  die "pushing $IMAGE_BUILD_PRIVATE failed: $LOGS/registry-auth.log"
wait_for "dnsmasq listening" 10 dnsmasq_listening
wait_for "images ready" 120 import_done
[[ "$(cat "$RUN/import.rc")" == 0 ]] || die "importing $IMAGES/bookworm.tar failed: $(cat "$LOGS/import.log")"
rm -f "$RUN/import.rc" "$RUN/import.pid"

# --- cluster.env: plain KEY=value lines, read by the Java tests -------------------------------------------
cat >"$CLUSTER_ENV.tmp" <<EOF
KUBECONFIG=$KUBECONFIG_ADMIN
KUBECTL=$KBIN/kubectl
HOST_IP=$HOST_IP
DNS_IP=$HOST_IP
DNS_HOSTS_FILE=$DNS_HOSTS_FILE
TEST_DOMAIN=$TEST_DOMAIN
REGISTRY=$REGISTRY
REGISTRY_AUTH=$REGISTRY_AUTH
REGISTRY_AUTH_USER=$REGISTRY_AUTH_USER
REGISTRY_AUTH_PASSWORD=$REGISTRY_AUTH_PASSWORD
IMAGE_BUILD_PRIVATE=$IMAGE_BUILD_PRIVATE
NODE_NAME=$NODE_NAME
POD_CIDR=$POD_CIDR
SERVICE_CIDR=$SERVICE_CIDR
KUBERNETES_SERVICE_IP=$KUBERNETES_SVC_IP
CTR_ADDRESS=$CTRD_SOCK
CTR_NAMESPACE=k8s.io
IMAGE_PAUSE=$IMAGE_PAUSE
IMAGE_BUILD=$IMAGE_BUILD
IMAGE_HELPER=$IMAGE_HELPER
IMAGE_DIND=$IMAGE_DIND
IMAGE_RUNNER_FLEET=
EOF
mv "$CLUSTER_ENV.tmp" "$CLUSTER_ENV"
step "cluster up: $CLUSTER_ENV"

if [[ -f "$repo_root/operator/target/runner-fleet.jar" ]]; then
  # The cluster is up even if this fails (a jar being rewritten by Maven, say).
  if ref="$(bash "$tc_here/image.sh" "$repo_root/operator/target/runner-fleet.jar")"; then
    step "runner-fleet image: $ref"
  else
    log "WARNING: image.sh failed; IMAGE_RUNNER_FLEET stays empty until it runs again"
  fi
else
  log "no operator/target/runner-fleet.jar: IMAGE_RUNNER_FLEET stays empty (run image.sh after ./mvnw -B -q package -DskipTests)"
fi
