#!/bin/sh
# objdump as the annotate oracles saw it (tests/fixtures/real/workloads/make-annotate-oracles.py):
# in a mount namespace of its own where /usr/lib/debug (detached debug info that binutils finds by
# build-id by itself) and /tmp/perfreal (where the workloads' sources were, which objdump -S
# prints) are empty; with PERFWS_OBJDUMP_SOURCES=DIR, /tmp/perfreal/src shows DIR. Needs root (or
# unprivileged user namespaces); may leave an empty /tmp/perfreal behind.
exec unshare --mount --map-root-user sh -c '
  if [ -d /usr/lib/debug ]; then mount -t tmpfs -o ro,size=1m none /usr/lib/debug || exit 97; fi
  mkdir -p /tmp/perfreal && mount -t tmpfs -o size=1m none /tmp/perfreal || exit 97
  if [ -n "$PERFWS_OBJDUMP_SOURCES" ]; then
    mkdir /tmp/perfreal/src && mount --bind "$PERFWS_OBJDUMP_SOURCES" /tmp/perfreal/src || exit 97
  fi
  exec objdump "$@"' objdump "$@"
