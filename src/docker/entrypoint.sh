#!/bin/sh
# Runs the command given as arguments and passes stop signals on to it. gitlab-runner stops gracefully on SIGQUIT
# (finish running jobs, then exit), but the JVM keeps SIGQUIT for thread dumps; so SIGQUIT is passed on as SIGHUP,
# which the manager takes as that graceful stop. SIGTERM (hand running jobs over to a peer) and SIGINT pass as is.
set -u
"$@" &
child=$!
trap 'kill -HUP "$child" 2>/dev/null' QUIT
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
status=0
while kill -0 "$child" 2>/dev/null; do
  wait "$child"
  status=$?
done
exit "$status"
