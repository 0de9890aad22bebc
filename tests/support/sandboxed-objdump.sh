#!/bin/sh
# objdump as the annotate oracles saw it (tests/fixtures/real/workloads/make-annotate-oracles.py):
# in a mount namespace of its own where /usr/lib/debug (detached debug info that binutils finds by
# build-id by itself) and /tmp/perfreal (the workloads' sources, which objdump -S would print) are
# empty. Needs root (or unprivileged user namespaces); tests use it only where those folders exist.
exec unshare --mount --map-root-user sh -c '
  for d in /usr/lib/debug /tmp/perfreal; do
    if [ -d "$d" ]; then mount -t tmpfs -o ro,size=1m none "$d" || exit 97; fi
  done
  exec objdump "$@"' objdump "$@"
