#!/usr/bin/env bash
# Makes IMAGE_RUNNER_FLEET, the project's image, from a built jar, without a
# Docker daemon: the bookworm image of build.sh (which has Java 17 and the
# runner-fleet user 10001) plus ONE layer holding what src/docker/Dockerfile
# copies (/opt/runner-fleet/runner-fleet.jar and entrypoint.sh), with the
# Dockerfile's USER, ENV, ENTRYPOINT and CMD. Then, when the cluster is up, it
# imports it into the cluster's containerd (if not there yet) and sets the
# IMAGE_RUNNER_FLEET= line of cluster.env.
#
# Usage: image.sh [JAR]   (default operator/target/runner-fleet.jar)
# Prints the image reference on stdout, everything else on stderr:
#   runner-fleet.test/runner-fleet:<12 hex>
# The tag is a content hash (of the jar, entrypoint.sh and the base image), so
# a new jar is a new tag and IfNotPresent always runs the jar it names.
#
# Fast when nothing changed (a hash and a lookup: the Java tests call it at the
# start of every run); a new jar takes a few seconds: the archive it imports
# holds only the new layer, the base layers are already in containerd.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

jar="$(realpath "${1:-$repo_root/operator/target/runner-fleet.jar}")"
[[ -f "$jar" ]] || die "$jar does not exist: build it with ./mvnw -B -q package -DskipTests"
entrypoint="$repo_root/src/docker/entrypoint.sh"
oci="$IMAGES/oci"
[[ -f "$oci/index.json" && -f "$IMAGES/bookworm.tar" ]] || die "no bookworm image in $IMAGES: run bash src/test-cluster/build.sh"

mkdir -p "$IMAGES"
exec 9>"$IMAGES/.image.lock"
flock 9   # two test runs at once build and import one image once

base_manifest="$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "bookworm-1") | .digest' "$oci/index.json")"
[[ -n "$base_manifest" ]] || die "no bookworm-1 in $oci"
tag="$(cat <(sha256sum <"$jar") <(sha256sum <"$entrypoint") <(echo "$base_manifest") | sha256sum | cut -c1-12)"
ref="$IMAGE_RUNNER_FLEET_REPO:$tag"
archive="$IMAGES/runner-fleet-$tag.tar"

# --- the archive: index + manifest + config + one layer (no base layers) ---------------
if [[ ! -f "$archive" ]]; then
  t0=$(date +%s%N)
  work="$(mktemp -d "$IMAGES/.runner-fleet.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/layer/opt/runner-fleet" "$work/oci/blobs/sha256"
  # As the Dockerfile's COPY: owned by root, the jar read-only, the script executable.
  install -m 0644 "$jar" "$work/layer/opt/runner-fleet/runner-fleet.jar"
  install -m 0755 "$entrypoint" "$work/layer/opt/runner-fleet/entrypoint.sh"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$work/layer.tar" -C "$work/layer" opt
  blob() { # file media-type: moves it into the blobs, prints its descriptor
    local digest size
    digest="$(sha256sum "$1" | cut -c1-64)"
    size="$(stat -c %s "$1")"
    mv "$1" "$work/oci/blobs/sha256/$digest"
    jq -nc --arg m "$2" --arg d "sha256:$digest" --argjson s "$size" '{mediaType: $m, digest: $d, size: $s}'
  }
  layer="$(blob "$work/layer.tar" application/vnd.oci.image.layer.v1.tar)"
  base="$(cat "$oci/blobs/sha256/${base_manifest#sha256:}")"
  base_config="$oci/blobs/sha256/$(jq -r '.config.digest | ltrimstr("sha256:")' <<<"$base")"
  # src/docker/Dockerfile: USER, ENV JAVA_TOOL_OPTIONS, EXPOSE, ENTRYPOINT, CMD.
  jq --arg diff "$(jq -r .digest <<<"$layer")" --arg jar "$(basename "$jar")" '
    .config.User = "10001:10001"
    | .config.Env = ((.config.Env // []) + ["JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"])
    | .config.ExposedPorts = {"9252/tcp": {}, "8080/tcp": {}}
    | .config.Entrypoint = ["/opt/runner-fleet/entrypoint.sh", "java", "-jar", "/opt/runner-fleet/runner-fleet.jar"]
    | .config.Cmd = ["--help"]
    | .config.Labels = {"org.opencontainers.image.title": "runner-fleet",
        "org.opencontainers.image.description": "Kubernetes operator and runner manager for GitLab CI runner fleets",
        "org.opencontainers.image.licenses": "Apache-2.0"}
    | .rootfs.diff_ids += [$diff]
    | if .history then .history += [{created_by: ("src/test-cluster/image.sh " + $jar)}] else . end
  ' "$base_config" >"$work/config.json"
  config="$(blob "$work/config.json" application/vnd.oci.image.config.v1+json)"
  jq -c --argjson c "$config" --argjson l "$layer" '.config = $c | .layers += [$l]' <<<"$base" >"$work/manifest.json"
  manifest="$(blob "$work/manifest.json" application/vnd.oci.image.manifest.v1+json)"
  jq -n --argjson m "$manifest" --arg r "$ref" \
    '{schemaVersion: 2, manifests: [$m + {annotations: {"io.containerd.image.name": $r, "org.opencontainers.image.ref.name": $r}}]}' \
    >"$work/oci/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"
  tar -cf "$work/image.tar" -C "$work/oci" oci-layout index.json blobs
  mv "$work/image.tar" "$archive"
  rm -rf "$work"
  trap - EXIT
  # Keep the three newest.
  ls -t "$IMAGES"/runner-fleet-*.tar | tail -n +4 | xargs -r rm -f
  log "built $ref from $jar in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
fi

# --- into the running cluster -----------------------------------------------------------------
if [[ ! -f "$CLUSTER_ENV" ]] || ! daemon_alive containerd; then
  die "the test cluster is not up (run bash src/test-cluster/up.sh); built $archive only"
fi
if [[ -z "$(ctr_ images ls -q "name==$ref")" ]]; then
  t0=$(date +%s%N)
  ctr_ images import "$archive" >/dev/null
  log "imported $ref in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
fi
if ! grep -qx "IMAGE_RUNNER_FLEET=$ref" "$CLUSTER_ENV"; then
  # Rewritten whole and renamed, so a reader never sees half a file.
  { grep -v '^IMAGE_RUNNER_FLEET=' "$CLUSTER_ENV" || true; echo "IMAGE_RUNNER_FLEET=$ref"; } >"$CLUSTER_ENV.tmp"
  mv "$CLUSTER_ENV.tmp" "$CLUSTER_ENV"
fi
echo "$ref"
