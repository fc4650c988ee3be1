#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boots the real guest (TCG here; KVM where it works) and runs 128M cycles in
# both memmap modes; asserts what the kernel did with the memory.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

"$MHP" run --results "$res" "$ROOT/tests/jobs/cycle128.job" >"$res/out" 2>"$res/err"
rc=$?
is "$rc" 0 "run exits 0"
[ $rc -eq 0 ] || { tail -30 "$res/err" | diag; }
run="$res/latest"
csv="$run/samples.csv"
ok $([ -f "$csv" ]; echo $?) "samples.csv exists behind results/latest"
head -1 "$csv" | grep -q '^run_id,kernel,accel,memmap,block_mib,dimm_mib,node,rep,phase,view,metric,value,unit'
ok $? "samples.csv has the stable columns"

# ram mode: MemTotal +128M exactly, MemFree -(>= 1 MiB) at add, not self-hosted
metric "$csv" ram online memtotal_delta_kib | all_equal 131072
ok $? "ram: MemTotal increase after online = 131072 KiB exactly"
min_ram=$(metric "$csv" ram add memmap_from_ram_kib | sort -g | head -1)
ok $([ "${min_ram:-0}" -ge 1024 ]; echo $?) "ram: free memory (MemFree + per-CPU lists) drops >= 1024 KiB at add (min $min_ram)"
metric "$csv" ram online self_hosted | all_equal 0
ok $? "ram: self_hosted = 0"

# self mode: MemTotal +128M - 2M exactly, self-hosted, and cheaper in RAM
metric "$csv" self online memtotal_delta_kib | all_equal 129024
ok $? "self: MemTotal increase after online = 131072 - 2048 KiB exactly"
metric "$csv" self online self_hosted | all_equal 1
ok $? "self: self_hosted = 1"
med_ram=$(metric "$csv" ram add memmap_from_ram_kib | median)
med_self=$(metric "$csv" self add memmap_from_ram_kib | median)
awk -v r="$med_ram" -v s="$med_self" 'BEGIN { exit !(s <= r - 1024) }'
ok $? "self: median free-memory drop at add ($med_self KiB) >= 1 MiB below ram ($med_ram KiB)"

# remove: DEVICE_DELETED arrived (host latency recorded), state restored
for m in ram self; do
	n=$(metric "$csv" $m remove latency_ns host | wc -l)
	is "$n" 3 "$m: remove completed (DEVICE_DELETED): 3 host samples"
	metric "$csv" $m remove blocks_residual | all_equal 0
	ok $? "$m: block count back to the baseline after remove"
	metric "$csv" $m remove memtotal_residual_kib | all_equal 0
	ok $? "$m: MemTotal back to the baseline after remove"
	n=$(metric "$csv" $m online block_latency_ns | wc -l)
	is "$n" 3 "$m: one per-block online time per measured cycle"
done
warm=$(csvawk 'f("warmup") == 1' "$csv" | wc -l)
ok $([ "$warm" -gt 0 ]; echo $?) "warm-up cycle rows are marked warmup=1"

man="$run/manifest.json"
is "$(json "$man" '$j->{status}')" complete "manifest: status complete"
for k in '$j->{kernel}{image}' '$j->{boots}[0]{kernel_release}' \
	'$j->{boots}[0]{cmdline}' '$j->{qemu}{version}' '$j->{accel}{used}' \
	'$j->{host}{hostname}' '$j->{mhpbench}{git_rev}' '$j->{job}{path}' \
	'$j->{seed}'; do
	v=$(json "$man" "$k")
	ok $([ -n "$v" ] && [ "$v" != null ]; echo $?) "manifest records $k ($v)"
done
used=$(json "$man" '$j->{accel}{used}')
if [ "$used" = tcg ]; then
	ok $([ "$(json "$man" '$j->{accel}{fallback_reason}')" != null ]; echo $?) \
		"accel=auto fell back to TCG and says why"
else
	is "$used" kvm "accel=auto used KVM"
fi
acc=$(csvawk '{ print f("accel") }' "$csv" | sort -u)
is "$acc" "$used" "every sample carries the accel used"
grep -q "memory_hotplug.memmap_on_memory=1" <<<"$(json "$man" '(grep { $_->{memmap} eq "self" } @{$j->{boots}})[0]{cmdline}')"
ok $? "self boot's kernel cmdline has memmap_on_memory=1"
# The boots follow the round's recorded, seeded order (README, "Boot order").
order=$(json "$man" 'join " ", map { $_->{mode} } @{$j->{boot_order}{rounds}[0]{order}}')
booted=$(json "$man" 'join " ", map { $_->{memmap} } @{$j->{boots}}')
is "$booted" "$order" "boots ran in the order the manifest records ($order)"
is "$(json "$man" '$j->{boot_order}{seed}')" "$(json "$man" '$j->{seed}')" "the boot order names its seed"
is "$(json "$run/summary.json" '$j->{placement}[0]{verdict}')" "from RAM" "summary: ram verdict"
is "$(json "$run/summary.json" '$j->{placement}[1]{verdict}')" "self-hosted" "summary: self verdict"
# The default deep cycle: the probe runs; ftrace is skipped under
# multi-threaded TCG (it deadlocks there), with the reason.
n=$(csvawk 'f("view") == "deep" && f("metric") == "memmap_local_fraction"' "$csv" | wc -l)
is "$n" 2 "one deep cycle per mode probed the DIMM's memmap"
if [ "$used" = tcg ]; then
	is "$(json "$man" '$j->{boots}[0]{trace}{enabled}')" false "multi-threaded TCG: no tracing"
	grep -q "no ftrace breakdown: tracer switches deadlock multi-threaded TCG" "$res/err"
	ok $? "and the run says why"
else
	skip "accel is $used, not TCG" "multi-threaded TCG: no tracing" "and the run says why"
fi
grep -q "Latency per phase" "$res/out"
ok $? "the table is printed"
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
# Views named for what they time (README, "What a run prints and writes").
n=$(csvawk 'f("view") == "guest" && f("metric") == "latency_ns" &&
	(f("phase") == "add" || f("phase") == "remove")' "$csv" | wc -l)
is "$n" 0 "add and remove have no guest latency_ns (their uevent span is not the phase)"
tries=$(csvawk 'f("phase") == "offline" && f("metric") == "offline_tries" { print f("value") }' "$csv" | sort -u)
is "$tries" 1 "every offline records offline_tries, 1 here"
n_off=$(csvawk 'f("phase") == "offline" && f("metric") == "offline_tries"' "$csv" | wc -l)
n_lat=$(csvawk 'f("phase") == "offline" && f("view") == "host" && f("metric") == "latency_ns"' "$csv" | wc -l)
is "$n_lat" "$n_off" "an offline without retries has its host latency_ns"

# What each phase cost QEMU on the host (README, "The host's cost of a
# phase"): counters on QEMU's threads, view qemu; what cannot count is
# never written, and the manifest says why.
for m in ram self; do
	for p in add online offline remove; do
		n=$(metric "$csv" $m $p host_vcpu_clock_ns qemu | awk '$1 > 0' | wc -l)
		is "$n" 3 "$m $p: vCPU task-clock > 0 in each measured cycle (view qemu)"
	done
	for k in host_clock_ns host_page_faults host_ctx_switches host_rss_delta_kib; do
		n=$(metric "$csv" $m online $k qemu | wc -l)
		is "$n" 3 "$m online: $k in each measured cycle"
	done
done
hc='map { @{$_->{host_cost}{metrics}} } @{$j->{boots}}'
bad=$(json "$man" "join ' ', map { \$_->{metric} } grep { !\$_->{available} && !length \$_->{reason} } $hc")
is "$bad" "" "manifest: every host_cost counter that cannot count says why"
off=$(json "$man" "join ' ', sort keys %{{ map { \$_->{metric} => 1 } grep { !\$_->{available} } $hc }}")
for k in $off; do
	n=$(csvawk -v k="$k" 'f("metric") == k' "$csv" | wc -l)
	is "$n" 0 "$k is unavailable and has no sample (never a zero)"
done
if [ "$used" != kvm ]; then
	why=$(json "$man" "(grep { \$_->{metric} eq 'host_kvm_exits' } $hc)[0]{reason}")
	is "$why" "no KVM (accel $used)" "VM exits: unavailable without KVM, and why"
	why=$(json "$man" "(grep { \$_->{metric} eq 'host_guest_cycles' } $hc)[0]{reason}")
	grep -q "no guest mode without KVM" <<<"$why"
	ok $? "guest-mode cycles: unavailable without KVM ($why)"
	# TCG writes guest memory from QEMU's own threads, so the first touch
	# of the memmap inside each new DIMM is a host page fault at online.
	n=$(metric "$csv" self online host_page_faults qemu | awk '$1 >= 1' | wc -l)
	is "$n" 3 "self: QEMU faults in host memory at each online (the memmap inside the DIMM)"
else
	skip "accel is kvm" "VM exits: unavailable without KVM" \
		"guest-mode cycles: unavailable without KVM" \
		"self: QEMU faults in host memory at each online"
fi

done_testing
