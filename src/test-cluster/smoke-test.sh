#!/usr/bin/env bash
# Checks that the running test cluster (up.sh) does what the Java tests rely on,
# with kubectl and pods only, in a namespace of its own that it deletes again:
#
#   1. a pod shaped like a CI Job Pod (init container writing an emptyDir, a
#      native sidecar gated by a tcpSocket startup probe, hostAliases docker ->
#      127.0.0.1, dnsPolicy None on DNS_IP) ends Succeeded;
#   2. a pod reaches the API server through the kubernetes Service, resolves its
#      names through dnsmasq, and has no default route;
#   3. a name appended to DNS_HOSTS_FILE resolves from a running pod within 2 s;
#   4. IMAGE_DIND runs dockerd as a privileged sidecar: `docker info`, a build
#      and a push to REGISTRY from a second container;
#   5. an image pushed to REGISTRY with skopeo is pulled by the node (Always);
#   6. IMAGE_RUNNER_FLEET (if image.sh ran) prints its version.
#
# Every pod talks only to loopback and the bridge. Exit status 0 when all pass.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -f "$CLUSTER_ENV" ]] || die "the test cluster is not up: run bash src/test-cluster/up.sh"
# cluster.env is plain KEY=value: read it the way the Java tests do, not by sourcing.
env_value() { sed -n "s/^$1=//p" "$CLUSTER_ENV"; }
ns=test-cluster-smoke
k() { kubectl_ -n "$ns" "$@"; }
failed=0
pass() { log "PASS $*"; }
fail() { log "FAIL $*"; failed=1; }

# Waits for pod $1 to end; prints its logs when it did not succeed.
pod_result() { # pod timeout-seconds
  local phase="" end=$(($(date +%s) + $2))
  while (($(date +%s) < end)); do
    phase="$(k get pod "$1" -o jsonpath='{.status.phase}' 2>/dev/null || true)"
    [[ "$phase" == Succeeded || "$phase" == Failed ]] && break
    sleep 0.5
  done
  if [[ "$phase" != Succeeded ]]; then
    log "pod $1 is $phase:"
    k describe pod "$1" | tail -25 >&2 || true
    k logs "$1" --all-containers >&2 || true
    return 1
  fi
}

kubectl_ delete namespace "$ns" --ignore-not-found --wait=true >/dev/null
kubectl_ create namespace "$ns" >/dev/null
trap 'kubectl_ delete namespace "$ns" --wait=false >/dev/null 2>&1 || true' EXIT
until k get serviceaccount default >/dev/null 2>&1; do sleep 0.2; done

dns_ip="$(env_value DNS_IP)"
hosts_file="$(env_value DNS_HOSTS_FILE)"
registry="$(env_value REGISTRY)"
image_build="$(env_value IMAGE_BUILD)"
image_dind="$(env_value IMAGE_DIND)"
image_rf="$(env_value IMAGE_RUNNER_FLEET)"
name="smoke-$RANDOM.$TEST_DOMAIN"
echo "$HOST_IP registry.$TEST_DOMAIN" >>"$hosts_file"

# --- 1. + 2. + 3. ----------------------------------------------------------------------------------
t0=$(date +%s)
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: ci-job}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 5
  automountServiceAccountToken: false
  dnsPolicy: None
  dnsConfig:
    nameservers: ["$dns_ip"]
    searches: ["$TEST_DOMAIN"]
    options: [{name: ndots, value: "2"}]
  hostAliases:
  - {ip: "127.0.0.1", hostnames: ["docker"]}
  volumes:
  - {name: builds, emptyDir: {}}
  initContainers:
  - name: prepare
    image: $image_build
    imagePullPolicy: IfNotPresent
    command: ["sh", "-c", "echo written-by-prepare > /builds/input"]
    volumeMounts: [{name: builds, mountPath: /builds}]
  - name: svc
    image: $image_build
    imagePullPolicy: IfNotPresent
    restartPolicy: Always
    command:
    - sh
    - -c
    - |
      trap 'exit 0' TERM
      printf '#!/bin/sh\necho pong\n' > /tmp/pong; chmod +x /tmp/pong
      sleep 2
      busybox nc -ll -p 2375 -e /tmp/pong &
      while true; do sleep 1 & wait \$!; done
    startupProbe:
      tcpSocket: {port: 2375}
      periodSeconds: 1
      failureThreshold: 30
  containers:
  - name: build
    image: $image_build
    imagePullPolicy: IfNotPresent
    volumeMounts: [{name: builds, mountPath: /builds}]
    command:
    - sh
    - -c
    - |
      set -e
      grep -qx written-by-prepare /builds/input
      [ "\$(busybox nc docker 2375 </dev/null)" = pong ]
      getent hosts registry.$TEST_DOMAIN | grep "^$HOST_IP " >/dev/null
      echo ci-job-ok
---
apiVersion: v1
kind: Pod
metadata: {name: cluster-net}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: $image_build
    imagePullPolicy: IfNotPresent
    command:
    - sh
    - -c
    - |
      set -e
      echo "routes:"; ip route
      if ip route | grep '^default' >/dev/null; then echo "a default route"; exit 1; fi
      if ip route get 192.0.2.1 >/dev/null 2>&1; then echo "192.0.2.1 is routable"; exit 1; fi
      getent hosts kubernetes.default | grep '^$KUBERNETES_SVC_IP ' >/dev/null
      busybox wget -q -O /tmp/version --no-check-certificate https://kubernetes.default.svc:443/version
      grep -q '"gitVersion": "$kube_tag"' /tmp/version
      token=\$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)
      busybox wget -q -O- --header "Authorization: Bearer \$token" \
        --no-check-certificate https://$KUBERNETES_SVC_IP/api/v1/namespaces/$ns/pods >/dev/null 2>/tmp/err || grep -q 403 /tmp/err
      if getent hosts example.com; then echo "example.com resolved"; exit 1; fi
      # 3. the name appended to the hosts file after the pod started
      touch /tmp/ready; i=0
      until getent hosts $name >/dev/null; do
        i=\$((i + 1)); [ \$i -lt 40 ] || { echo "$name not resolved"; exit 1; }; sleep 0.1
      done
      echo "resolved $name at \$(date +%s%N)"
      echo cluster-net-ok
EOF
# Append the name once the pod is waiting for it.
until k exec cluster-net -- test -e /tmp/ready >/dev/null 2>&1; do
  sleep 0.2
  [[ "$(k get pod cluster-net -o jsonpath='{.status.phase}')" =~ ^(Failed|Succeeded)$ ]] && break
done
appended=$(date +%s%N)
echo "$HOST_IP $name" >>"$hosts_file"
if pod_result cluster-net 60; then
  resolved="$(sed -n 's/^resolved .* at //p' <<<"$(k logs cluster-net)")"
  pass "kubernetes Service (https://kubernetes.default.svc -> $kube_tag), no default route, local DNS only"
  ms=$(((resolved - appended) / 1000000))
  if ((ms <= 2000)); then pass "a name appended to DNS_HOSTS_FILE resolved after ${ms} ms"; else fail "hosts file name took ${ms} ms"; fi
else
  fail "cluster-net"
fi
if pod_result ci-job 60; then pass "CI-Job-shaped pod Succeeded in $(($(date +%s) - t0)) s"; else fail "ci-job"; fi

# --- 4. docker-in-docker, build and push to the registry -----------------------------------------
t0=$(date +%s)
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: dind}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 10
  automountServiceAccountToken: false
  dnsPolicy: None
  dnsConfig: {nameservers: ["$dns_ip"], searches: ["$TEST_DOMAIN"]}
  hostAliases:
  - {ip: "127.0.0.1", hostnames: ["docker"]}
  volumes:
  - {name: docker, emptyDir: {}}
  initContainers:
  - name: dind
    image: $image_dind
    imagePullPolicy: IfNotPresent
    restartPolicy: Always
    args: ["--insecure-registry=$registry"]
    securityContext: {privileged: true}
    volumeMounts: [{name: docker, mountPath: /var/lib/docker}]
    startupProbe:
      tcpSocket: {port: 2375}
      periodSeconds: 1
      failureThreshold: 120
  containers:
  - name: build
    image: $image_build
    imagePullPolicy: IfNotPresent
    env: [{name: DOCKER_HOST, value: "tcp://127.0.0.1:2375"}]
    command:
    - sh
    - -c
    - |
      set -ex
      docker info
      mkdir /ctx && cp /bin/busybox /ctx/
      printf 'FROM scratch\nCOPY busybox /busybox\nCMD ["/busybox", "echo", "hello from the registry"]\n' > /ctx/Dockerfile
      docker build -t $registry/smoke/hello:1 /ctx
      docker run --rm --network none $registry/smoke/hello:1
      docker push $registry/smoke/hello:1
      echo dind-ok
EOF
if pod_result dind 180; then
  pass "IMAGE_DIND: dockerd sidecar, docker info/build/run/push from a second container in $(($(date +%s) - t0)) s"
  # The node pulls what dind pushed.
  k run pulled --image="$registry/smoke/hello:1" --image-pull-policy=Always --restart=Never >/dev/null
  if pod_result pulled 60 && grep -q 'hello from the registry' <<<"$(k logs pulled)"; then
    pass "the node pulled $registry/smoke/hello:1 (pushed by docker) from the registry"
  else
    fail "pull of the image docker pushed"
  fi
else
  fail "dind"
fi

# --- 5. skopeo push, node pull ---------------------------------------------------------------------
t0=$(date +%s)
skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGES/oci:bookworm-1" "docker://$registry/smoke/bookworm:1"
k run skopeo-pushed --image="$registry/smoke/bookworm:1" --image-pull-policy=Always --restart=Never \
  --command -- sh -c 'echo pulled-ok' >/dev/null
if pod_result skopeo-pushed 120 && grep -q pulled-ok <<<"$(k logs skopeo-pushed)"; then
  pass "skopeo push to $registry and a pull by the node (imagePullPolicy Always) in $(($(date +%s) - t0)) s"
else
  fail "skopeo push / node pull"
fi

# --- 6. the project's image ---------------------------------------------------------------------------
if [[ -n "$image_rf" ]]; then
  k run runner-fleet --image="$image_rf" --image-pull-policy=IfNotPresent --restart=Never -- version >/dev/null
  if pod_result runner-fleet 60 && out="$(k logs runner-fleet)" && grep -q '^runner-fleet ' <<<"$out"; then
    pass "$image_rf: $(grep '^runner-fleet ' <<<"$out")"
  else
    fail "$image_rf version"
  fi
else
  log "SKIP IMAGE_RUNNER_FLEET is empty (run image.sh)"
fi

if ((failed)); then
  log "SMOKE TEST FAILED"
  exit 1
fi
log "ALL PASSED"
