# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the KVM tests (tests/kvm/*.t), on top of
# tests/integration/lib.sh. They run inside the lab host guest
# (`make test-kvm`, scripts/labhost.sh; README, "Tests"), where /dev/kvm
# exists; there a missing /dev/kvm fails, anywhere else it skips.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

need_kvm() {
	if [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		return 0
	fi
	if [ -n "${LABHOST_OUT:-}" ]; then
		echo "1..1"
		echo "not ok 1 - /dev/kvm exists in the lab host (kvm-amd did not load?)"
		exit 1
	fi
	skip_all "no /dev/kvm here: make test-kvm runs these in the lab host guest"
}

# kvm_job SRC DST [KEY=VALUE]...: a copy of job SRC for KVM: accel = kvm,
# each KEY set to VALUE (replaced where SRC has it, appended otherwise).
kvm_job() {
	local src=$1 dst=$2 kv k v
	shift 2
	set -- accel=kvm "$@"
	cp "$src" "$dst"
	for kv in "$@"; do
		k=${kv%%=*} v=${kv#*=}
		if grep -q "^$k *=" "$dst"; then
			sed -i "s|^$k *=.*|$k = $v|" "$dst"
		else
			echo "$k = $v" >>"$dst"
		fi
	done
}
