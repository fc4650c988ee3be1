#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The faults that depend on the accelerator, under KVM in the lab host
# (make test-kvm): tests/integration/faults-guest.t (a guest kernel
# panic, a silent reset, a hung agent with on_hang = next-boot, QEMU
# killed) run as is,
# with copies of its jobs set to accel = kvm. A nested boot under TCG
# takes up to 90 s here, so boots get 300 s and the normal phases of the
# hang job 20 s (its hang still ends at that deadline); nopvspin as in
# tests/jobs/kvm-cycle.job (the hang job's second boot runs a deep cycle).
. "$(dirname "$0")/kvm-lib.sh"
set -u
need_kvm
jobs=$(mktemp -d)
trap 'rm -rf "$jobs"' EXIT
for j in fault-crash fault-reset fault-long; do
	kvm_job "$ROOT/tests/jobs/$j.job" "$jobs/$j.job" boot_timeout=300s \
		cmdline_extra=nopvspin
done
kvm_job "$ROOT/tests/jobs/fault-hang.job" "$jobs/fault-hang.job" \
	boot_timeout=300s phase_timeout=20s cmdline_extra=nopvspin
FAULT_JOBS=$jobs FAULT_ACCEL=kvm FAULT_WAIT=900 \
	bash "$ROOT/tests/integration/faults-guest.t"
