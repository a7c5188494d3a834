#!/usr/bin/env bash
# Starts the binaries that build.sh installed the way fabric8 kube-api-test 7.5.2
# starts them (same etcd and kube-apiserver flags, same kind of certificates,
# same `kubectl get ns default` readiness check), then checks that the API
# server answers, and stops both processes again (by PID).
#
# Differences from kube-api-test, all to stay on 127.0.0.1 only:
#   * etcd listens on 127.0.0.1 instead of 0.0.0.0, and the API server is given
#     --etcd-servers http://127.0.0.1:<port> instead of http://0.0.0.0:<port>;
#   * the API server gets --bind-address 127.0.0.1 (kube-api-test passes none, so
#     it would listen on all interfaces; tests can add it through apiServerFlags).
#   * certificates are made with openssl in a temporary directory, not with
#     BouncyCastle in $KUBE_API_TEST_DIR.
#
# Usage: smoke-test.sh [BINARY_DIR]   (default: the directory build.sh fills)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[smoke-test] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

kube_tag="$(awk '!/^[[:space:]]*\/\// { for (i = 1; i < NF; i++) if ($i == "k8s.io/kubernetes" && $(i + 1) ~ /^v[0-9]/) { print $(i + 1); exit } }' "$here/go.mod")"
case "$(uname -m)" in
  x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; ppc64le) arch=ppc64le ;; *) arch="$(uname -m)" ;;
esac
os_name="$(uname -s | tr '[:upper:]' '[:lower:]')"
bin="${1:-${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${kube_tag#v}-${os_name}-${arch}}"
for b in etcd kube-apiserver kubectl; do
  [[ -x "$bin/$b" ]] || die "$bin/$b missing: run build.sh first"
done

work="$(mktemp -d /tmp/kube-api-smoke.XXXXXX)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A free port in the range kube-api-test uses (49152-65535).
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$(( 49152 + RANDOM % 16384 ))
    if [[ -z "$(ss -Htln "sport = :$p")" ]]; then echo "$p"; return; fi
  done
  die "no free port"
}

# --- certificates, as io.fabric8.kubeapitest.cert.CertManager makes them -----
# apiserver.crt/.key: self-signed, CN=example.org, SAN IP 127.0.0.1 + kubernetes.*;
# the API server finds them through --cert-dir (its default serving-cert names)
# and they are also the service-account signing key. client.crt/.key:
# self-signed O=system:masters,CN=kubeapitest, also used as --client-ca-file.
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=example.org" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster,DNS:kubernetes.default.svc.cluster.local" \
  -keyout "$work/apiserver.key" -out "$work/apiserver.crt" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/O=system:masters/CN=kubeapitest" \
  -keyout "$work/client.key" -out "$work/client.crt" 2>/dev/null

# --- etcd, as io.fabric8.kubeapitest.process.EtcdProcess starts it ------------
etcd_port=$(free_port)
peer_port=$(free_port)
mkdir -p "$work/etcddata" "$work/etcdwal"
"$bin/etcd" -data-dir "$work/etcddata" -wal-dir "$work/etcdwal" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --initial-cluster "default=http://localhost:$peer_port" \
  --initial-advertise-peer-urls "http://localhost:$peer_port" \
  --listen-peer-urls "http://localhost:$peer_port" \
  >"$work/etcd.log" 2>&1 &
pids+=($!)
log "etcd pid ${pids[0]} on 127.0.0.1:$etcd_port"

# --- kube-apiserver, as io.fabric8.kubeapitest.process.KubeAPIServerProcess ---
api_port=$(free_port)
start=$(date +%s%N)
"$bin/kube-apiserver" \
  --bind-address 127.0.0.1 \
  --cert-dir "$work" \
  --secure-port "$api_port" \
  --etcd-servers "http://127.0.0.1:$etcd_port" \
  --authorization-mode RBAC \
  --service-account-issuer https://localhost \
  --service-account-signing-key-file "$work/apiserver.key" \
  --service-account-signing-key-file "$work/apiserver.key" \
  --service-account-key-file "$work/apiserver.key" \
  --service-account-issuer "$work/apiserver.crt" \
  --disable-admission-plugins ServiceAccount \
  --client-ca-file "$work/client.crt" \
  --service-cluster-ip-range 10.0.0.0/24 \
  --allow-privileged \
  >"$work/kube-apiserver.log" 2>&1 &
pids+=($!)
log "kube-apiserver pid ${pids[1]} on https://127.0.0.1:$api_port"

# Readiness, as io.fabric8.kubeapitest.process.ProcessReadinessChecker: GET /readyz
# over HTTP/1.1 without credentials until 200, then `kubectl get ns default`.
kubectl_check=("$bin/kubectl" "--client-certificate=$work/client.crt" "--client-key=$work/client.key"
  "--certificate-authority=$work/apiserver.crt" "--server=https://127.0.0.1:$api_port" "--request-timeout=5s")
deadline=$(( $(date +%s) + 60 ))
until curl -fsk --http1.1 -o /dev/null "https://127.0.0.1:$api_port/readyz"; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$work/etcd.log" "$work/kube-apiserver.log" >&2; die "process $pid died"; }
  done
  (( $(date +%s) < deadline )) || { tail -30 "$work/kube-apiserver.log" >&2; die "not ready within 60s"; }
  sleep 0.2
done
until KUBECONFIG="$work/.kubeconfig" "${kubectl_check[@]}" get ns default >/dev/null 2>&1; do
  (( $(date +%s) < deadline )) || die "namespace default not there within 60s"
  sleep 0.2
done
log "ready (readyz + namespace default) after $(( ($(date +%s%N) - start) / 1000000 )) ms"

# --- checks -------------------------------------------------------------------
cat >"$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: kubeapitest
    cluster:
      certificate-authority: $work/apiserver.crt
      server: https://127.0.0.1:$api_port
users:
  - name: kubeapitest
    user:
      client-certificate: $work/client.crt
      client-key: $work/client.key
contexts:
  - name: kubeapitest
    context: {cluster: kubeapitest, user: kubeapitest, namespace: default}
current-context: kubeapitest
EOF
export KUBECONFIG="$work/kubeconfig"
k() { "$bin/kubectl" "$@"; }

version_json="$(k get --raw /version)"
echo "$version_json"
grep -q "\"gitVersion\": \"$kube_tag\"" <<<"$version_json" || die "/version does not report $kube_tag"
resources="$(k api-resources)"
echo "$resources" | head -5
echo "... $(echo "$resources" | wc -l) lines of api-resources"
grep -q '^customresourcedefinitions ' <<<"$resources" || die "no customresourcedefinitions in api-resources"
k version
k create namespace smoke-test
k -n smoke-test create configmap hello --from-literal=greeting=hi
[[ "$(k -n smoke-test get configmap hello -o jsonpath='{.data.greeting}')" == hi ]] || die "configmap round trip failed"
k apply -f - <<'EOF'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.smoke.example.com
spec:
  group: smoke.example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
EOF
k wait --for condition=Established --timeout=30s crd/widgets.smoke.example.com
k -n smoke-test apply -f - <<'EOF'
apiVersion: smoke.example.com/v1
kind: Widget
metadata: {name: w1}
spec: {size: 3}
EOF
[[ "$(k -n smoke-test get widget w1 -o jsonpath='{.spec.size}')" == 3 ]] || die "custom resource round trip failed"
log "OK: etcd + kube-apiserver $kube_tag from $bin answer (version, api-resources, configmap, CRD + custom resource)"
