#!/bin/sh
# Entrypoint of the test cluster's IMAGE_DIND, behaving like the official
# docker:dind image's dockerd-entrypoint.sh for the ways GitLab CI uses it:
#   * no arguments, or arguments that start with "-" (a service's
#     `command: ["--insecure-registry=HOST:PORT"]`): they are options of dockerd,
#     which listens on the unix socket and on plain tcp :2375 (no TLS, as with
#     DOCKER_TLS_CERTDIR="");
#   * "dockerd ..." without --host/-H: the same two listeners are added;
#   * anything else is run as is (`sh -c ...`, `docker info`).
set -eu

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- dockerd "$@"
fi

if [ "$1" = dockerd ]; then
  has_host=no
  for arg in "$@"; do
    case "$arg" in
      -H | -H* | --host | --host=*) has_host=yes ;;
    esac
  done
  if [ "$has_host" = no ]; then
    shift
    set -- dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 --tls=false "$@"
  fi
  # dockerd leaves a stale pid file behind when it is killed; a restarted
  # container would refuse to start with it.
  rm -f /var/run/docker.pid
fi

exec "$@"
