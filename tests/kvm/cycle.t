#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The KVM path, in the lab host guest (make test-kvm): 128M cycles in both
# modes under accel = auto with the guest's two NUMA nodes bound to the lab
# host's (tests/jobs/kvm-cycle.job). KVM on the first try, marked nested;
# the same verdicts and MemTotal deltas as under TCG (cycle128.t); the
# binding checked by mhpbench and, independently, here from QEMU's
# numa_maps and its vCPU threads' affinity while it runs; deep cycles
# (probe and ftrace) that finish; VM exits by reason in the qemu view.
. "$(dirname "$0")/kvm-lib.sh"
set -u
need_kvm
res=$(mktemp -d)
trap 'pkill -KILL -f "qemu-system.*$res" 2>/dev/null; rm -rf "$res"' EXIT
private_tmp "$res"

# While the run goes: QEMU's numa_maps and every thread's allowed CPUs
# ("TID LIST"), every 2 s, as this machine sees them.
watch_qemu() {
	local i=0 pid t
	while :; do
		for pid in $(pgrep -f "qemu-system.*$res"); do
			cat "/proc/$pid/numa_maps" >"$res/nm.$pid.$i" 2>/dev/null
			for t in /proc/$pid/task/*; do
				echo "${t##*/} $(awk '/Cpus_allowed_list/ { print $2 }' "$t/status")"
			done >"$res/aff.$pid.$i" 2>/dev/null
		done
		i=$((i + 1))
		sleep 2
	done
}
watch_qemu &
wpid=$!

t0=$(date +%s)
"$MHP" run --results "$res" "$ROOT/tests/jobs/kvm-cycle.job" >"$res/out" 2>"$res/err"
rc=$?
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
is "$rc" 0 "run exits 0 ($(($(date +%s) - t0)) s)"
[ $rc -eq 0 ] || { tail -40 "$res/err" | diag; }
run="$res/latest"
csv="$run/samples.csv"
man="$run/manifest.json"

# KVM on the first try, and why.
is "$(json "$man" '$j->{accel}{requested}')" auto "manifest: accel requested auto"
is "$(json "$man" '$j->{accel}{used}')" kvm "manifest: accel used kvm"
is "$(json "$man" '$j->{accel}{fallback}')" null "manifest: no fallback"
grep -q "no fallback" <<<"$(json "$man" '$j->{accel}{reason}')"
ok $? "manifest: accel.reason says why ($(json "$man" '$j->{accel}{reason}'))"
is "$(json "$man" 'join " ", map { $_->{accel} } @{$j->{boots}}')" "kvm kvm" "both boots ran under KVM"
is "$(csvawk '{ print f("accel") }' "$csv" | sort -u)" kvm "every sample carries accel kvm"
grep -q "falling back" "$res/err"
is "$?" 1 "no fallback warning"

# Nested, and said so.
is "$(json "$man" '$j->{accel}{nested}{nested}')" true "manifest: accel.nested says nested"
is "$(json "$man" '$j->{accel}{nested}{representative}')" false "manifest: not representative"
is "$(json "$man" '$j->{accel}{nested}{kvm_module}')" kvm_amd "manifest: the KVM module (kvm_amd)"
is "$(json "$run/summary.json" '$j->{nested}{nested}')" true "summary.json: nested"
grep -q "NESTED KVM, NOT REPRESENTATIVE" "$res/out"
ok $? "the report says nested, not representative"
grep -q "warning: nested KVM, not representative" "$res/err"
ok $? "a warning says nested KVM"

# The same memory figures as under TCG (tests/integration/cycle128.t).
metric "$csv" ram online memtotal_delta_kib | all_equal 131072
ok $? "ram: MemTotal increase after online = 131072 KiB exactly"
metric "$csv" self online memtotal_delta_kib | all_equal 129024
ok $? "self: MemTotal increase after online = 131072 - 2048 KiB exactly"
metric "$csv" ram online self_hosted | all_equal 0
ok $? "ram: self_hosted = 0"
metric "$csv" self online self_hosted | all_equal 1
ok $? "self: self_hosted = 1"
min_ram=$(metric "$csv" ram add memmap_from_ram_kib | sort -g | head -1)
ok $([ "${min_ram:-0}" -ge 1024 ]; echo $?) "ram: free memory drops >= 1024 KiB at add (min $min_ram)"
for m in ram self; do
	is "$(metric "$csv" $m remove latency_ns host | wc -l)" 2 "$m: 2 measured cycles removed"
	metric "$csv" $m remove memtotal_residual_kib | all_equal 0
	ok $? "$m: MemTotal back to the baseline after remove"
	metric "$csv" $m remove blocks_residual | all_equal 0
	ok $? "$m: block count back to the baseline after remove"
done
is "$(json "$run/summary.json" 'join ",", map { $_->{verdict} } @{$j->{placement}}')" "from RAM,self-hosted" "summary: the verdicts"

# Deep cycles: the probe, and ftrace (which multi-threaded TCG cannot do).
n=$(csvawk 'f("view") == "deep" && f("metric") == "memmap_local_fraction"' "$csv" | wc -l)
is "$n" 2 "one deep cycle per mode probed the DIMM's memmap"
csvawk 'f("view") == "deep" && f("metric") == "memmap_local_fraction" { print f("memmap") "=" f("value") }' "$csv" | sort | tr '\n' ' ' >"$res/local"
# Node 1 has boot memory here (its binding is checked below), so the
# kernel allocates even ram mode's memmap there, node-local to the DIMM;
# self's is inside the DIMM. (On a memoryless node ram's is remote:
# README, "NUMA topology".)
is "$(cat "$res/local")" "ram=1 self=1 " "memmap local to the DIMM's node 1: ram from node 1's RAM, self inside the DIMM"
for m in ram self; do
	for p in online offline; do
		n=$(csvawk -v m=$m -v p=$p 'f("view") == "deep" && f("memmap") == m &&
			f("phase") == p && f("metric") ~ /^fn_.*_ns$/' "$csv" | wc -l)
		ok $([ "$n" -gt 0 ]; echo $?) "$m $p: traced under KVM ($n function rows)"
	done
done

# numa_host_nodes: applied, and what mhpbench checked.
for b in 0 1; do
	B="\$j->{boots}[$b]{numa}{binding}"
	is "$(json "$man" "$B{applied}")" true "boot $b: binding applied"
	is "$(json "$man" "$B{vcpus_pinned}")" true "boot $b: vCPUs pinned (read back)"
	is "$(json "$man" "join ' ', map { \$_->{ok} ? 'ok' : 'bad' } @{$B{memory_checks}}")" "ok ok ok" \
		"boot $b: boot memory of nodes 0 and 1 and the DIMM's node checked in numa_maps"
	is "$(json "$man" "$B{memory_checks}[2]{host_node}")" 1 "boot $b: the DIMM's memory check is of host node 1"
	is "$(json "$man" "$B{memory_checks}[2]{kib_elsewhere}")" 0 "boot $b: nothing bound to node 1 resident elsewhere"
done
self_boot=$(json "$man" 'my $i = 0; for (@{$j->{boots}}) { last if $_->{memmap} eq "self"; $i++ } $i')
kib=$(json "$man" "\$j->{boots}[$self_boot]{numa}{binding}{memory_checks}[2]{kib_on_node}")
ok $([ "${kib:-0}" -ge 2048 ]; echo $?) "self: >= 2048 KiB (the DIMM's own memmap, and node 1's boot memory) resident on host node 1 ($kib KiB)"

# The same, seen from here while QEMU ran.
node1=$(cat /sys/devices/system/node/node1/cpulist)
node0=$(cat /sys/devices/system/node/node0/cpulist)
on1=$(cat "$res"/nm.* 2>/dev/null | awk '$2 == "bind:1" { for (i = 3; i <= NF; i++) if ($i ~ /^N1=/) { split($i, a, "="); s += a[2] } } END { print s + 0 }')
off1=$(cat "$res"/nm.* 2>/dev/null | awk '$2 == "bind:1" { for (i = 3; i <= NF; i++) if ($i ~ /^N[0-9]+=/ && $i !~ /^N1=/) n++ } END { print n + 0 }')
ok $([ "$on1" -gt 0 ]; echo $?) "numa_maps: QEMU's memory bound to node 1 has pages on node 1 ($on1 page-snapshots)"
is "$off1" 0 "numa_maps: none of it on another node"
# The vCPU threads mhpbench pinned (manifest), in the last snapshot that
# has them: the pinning comes a moment after boot.
pinned() {
	local tid vcpu f
	{
		json "$man" 'join "\n", map { map { "$_->{thread} $_->{vcpu}" } @{$_->{numa}{binding}{pins}} } @{$j->{boots}}'
		echo # json prints no newline at the end
	} | while read -r tid vcpu; do
			# Not a snapshot of a thread on its way out (no list).
			f=$(cd "$res" && grep -l "^$tid [0-9]" aff.* 2>/dev/null | sort -t. -k3 -n | tail -1)
			[ -n "$f" ] && echo "vcpu$vcpu $(awk -v t="$tid" '$1 == t { print $2 }' "$res/$f")"
		done
}
is "$(pinned | sort -u | tr '\n' ';')" "vcpu0 $node0;vcpu1 $node1;" \
	"vCPU threads: vCPU 0 on node 0's CPUs ($node0), vCPU 1 on node 1's ($node1), both boots"

# The host's view: VM exits by reason under KVM.
hc='map { @{$_->{host_cost}{metrics}} } @{$j->{boots}}'
is "$(json "$man" "join ' ', map { \$_->{available} } grep { \$_->{metric} eq 'host_kvm_exits' } $hc")" "1 1" \
	"manifest: host_kvm_exits counts in both boots"
is "$(json "$man" '(grep { $_->{metric} eq "host_kvm_exits" } @{$j->{boots}[0]{host_cost}{metrics}})[0]{vendor}')" svm "manifest: exit reasons of SVM"
other=$(json "$man" '(grep { $_->{metric} eq "host_kvm_exits" } @{$j->{boots}[0]{host_cost}{metrics}})[0]{classes}{host_kvm_exits_other}')
ok $(grep -Eq '^exit_reason != 0x400 && .* && exit_reason != 0x77$' <<<"$other"; echo $?) \
	"manifest: other's filter is every class excluded ($other)"
for m in ram self; do
	for p in add online offline remove; do
		n=$(metric "$csv" $m $p host_kvm_exits qemu | awk '$1 > 0' | wc -l)
		is "$n" 2 "$m $p: VM exits > 0 in each measured cycle"
	done
done
# Per cycle and phase, the classes and other add up to all exits.
bad=$(csvawk 'f("view") == "qemu" && f("metric") ~ /^host_kvm_exits/ {
		k = f("boot") SUBSEP f("cycle") SUBSEP f("phase")
		if (f("metric") == "host_kvm_exits") all[k] = f("value"); else sum[k] += f("value") }
	END { for (k in all) if (all[k] != sum[k]) n++; print n + 0 }' "$csv")
is "$bad" 0 "the exit classes add up to all exits in every phase"
neg=$(csvawk 'f("view") == "qemu" && f("metric") ~ /^host_kvm_exits/ && f("value") < 0' "$csv" | wc -l)
is "$neg" 0 "no class has a negative count"
bad=$(json "$man" "join ' ', map { \$_->{metric} } grep { !\$_->{available} && !length \$_->{reason} } $hc")
is "$bad" "" "manifest: every host_cost counter that cannot count says why"

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
# For the README's figures: the report, kept by make test-kvm.
if [ -n "${LABHOST_OUT:-}" ]; then
	mkdir -p "$LABHOST_OUT/cycle" && cp -r "$run/." "$LABHOST_OUT/cycle/" && cp "$res/out" "$res/err" "$LABHOST_OUT/cycle/"
fi
done_testing
