# How up.sh starts the daemons that restart.sh restarts one at a time (kube-apiserver, containerd, kubelet), and the
# helpers both use. Sourced after lib.sh, never run. The caller defines step() (wait_for reports with it).

# shellcheck shell=bash

start() { # name command... : in the background, in its own session, with a pid file
  local name="$1"
  shift
  if daemon_alive "$name"; then return; fi
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}
wait_for() { # description timeout-seconds command...
  local what="$1" end=$(($(date +%s) + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if (($(date +%s) >= end)); then
      die "timed out waiting for $what (logs: $LOGS)"
    fi
    sleep 0.2
  done
  step "$what"
}
node_ready() {
  [[ "$(kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}
apiserver_ready() {
  curl -sf --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "https://$HOST_IP:6443/readyz"
}
containerd_up() { ctr --address "$CTRD_SOCK" version; }
kubelet_healthy() { curl -sf http://127.0.0.1:10248/healthz; }

start_containerd() { start containerd containerd --config "$CONF/containerd.toml"; }

start_kube_apiserver() {
  start kube-apiserver "$KBIN/kube-apiserver" \
    --etcd-servers=http://127.0.0.1:2379 \
    --bind-address="$HOST_IP" --advertise-address="$HOST_IP" --secure-port=6443 \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$PKI/ca.crt" --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --allow-privileged=true --profiling=false --v=1
}

# --node-ip: the bridge (the kubelet refuses loopback and would pick eth0);
# --containerd: cAdvisor would look for /run/containerd/containerd.sock.
start_kubelet() {
  start kubelet "$BIN/kubelet" --config="$CONF/kubelet.yaml" \
    --kubeconfig="$PKI/kubelet.kubeconfig" --root-dir="$KUBELET_DIR" --cert-dir="$KUBELET_DIR/pki" \
    --hostname-override="$NODE_NAME" --node-ip="$HOST_IP" --containerd="$CTRD_SOCK" --v=1
}
