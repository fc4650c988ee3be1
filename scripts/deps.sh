#!/usr/bin/env bash
# Installs the Debian packages mhpbench needs, skipping those already present.
# Called from `make` (target `deps`); safe to run again: prints what it installs.
set -euo pipefail

# Host build and run time. busybox-static and the guest kernel are NOT installed
# here: guest-images/ unpacks them from their .debs so the host's /boot and
# its busybox stay untouched.
PKGS=(
  build-essential pkg-config cpio gzip
  qemu-system-x86 qemu-utils
  libjansson-dev libinih-dev libgsl-dev libcmocka-dev libpfm4-dev
  libsqlite3-dev gnuplot-nox
  gawk perl
)

missing=()
for p in "${PKGS[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "deps: missing packages: ${missing[*]}" >&2
  echo "deps: run 'sudo $0' (or install them) and retry" >&2
  exit 3
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A stale package list makes 'install' fail on a fresh machine; refresh once.
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
