#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs the README's two commands, `make run` and `make test`, as a new user
# would: in a pristine Debian 12 root (debootstrap --variant=minbase
# bookworm, the shape of the official debian:12 image), from a clean clone
# of this repository's HEAD, as root (README, "The two commands"). Prints
# each command's output and duration; exits with the first failure's code.
#
#   scripts/fresh-debian.sh [ROOT]     ROOT defaults to /srv/mhpbench-bookworm
#
# ROOT is made once and copied for each check (ROOT.run), so every check
# starts from the same pristine system. The host's apt sources and apt
# settings are copied in, so the root reaches the same mirror as the host.
# Needs root; installs debootstrap on the host (scripts/deps.sh --fresh).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
BASE=${1:-/srv/mhpbench-bookworm}
RUN=$BASE.run

[ "$(id -u)" = 0 ] || { echo "fresh-debian: needs root (chroot, mount)" >&2; exit 3; }
./scripts/deps.sh --fresh

if [ ! -x "$BASE/bin/bash" ]; then
	echo "fresh-debian: debootstrap --variant=minbase bookworm $BASE"
	mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
	debootstrap --variant=minbase bookworm "$BASE" "${mirror:-http://deb.debian.org/debian}" >"$BASE.log" 2>&1 ||
		{ tail -n 20 "$BASE.log" >&2; exit 1; }
fi

mounts=()
cleanup() {
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "fresh-debian: copying $BASE to $RUN"
rm -rf "$RUN"
cp -a "$BASE" "$RUN"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	rm -f "$RUN/etc/apt/sources.list"
	cp /etc/apt/sources.list.d/debian.sources "$RUN/etc/apt/sources.list.d/"
fi
cp /etc/apt/apt.conf.d/99* "$RUN/etc/apt/apt.conf.d/" 2>/dev/null || true
cp /etc/resolv.conf "$RUN/etc/resolv.conf"
for m in proc sys dev dev/pts; do
	mkdir -p "$RUN/$m"
	mount --bind "/$m" "$RUN/$m"
	mounts+=("$RUN/$m")
done

# A clean clone: only what is committed travels, as in CI.
git clone -q --no-local "$REPO" "$RUN/root/mhpbench"
echo "fresh-debian: clone of $(git -C "$REPO" rev-parse --short HEAD) in $RUN/root/mhpbench"

in_root() { # in_root CMD: runs CMD in the clone inside the root, timed
	local t0=$SECONDS rc=0
	echo "fresh-debian: # $1"
	chroot "$RUN" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /root/mhpbench && $1" || rc=$?
	echo "fresh-debian: '$1' exited $rc after $((SECONDS - t0)) s"
	return $rc
}
# A minbase root has no make: the README's first step installs it.
in_root "apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends make >/dev/null"
in_root "make run"
in_root "make test"
