#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# source = pmem (README "Persistent memory through dax/kmem"): a 512M legacy
# pmem region on Debian's 6.12, one dax/kmem cycle in each mode
# (tests/jobs/pmem.job). The device's own memmap_on_memory decides where
# the memmap of the 3 blocks kmem adds lives: in self mode MemTotal grows
# by 2 MiB less per 128M block than in ram mode. The oom-edge benchmark
# with a 2G region at F = 8M. Bad pmem jobs exit 2 with
# file:line; a kernel before 6.8 has no such switch (checked on the 6.1
# series when it is built: "unsupported by kernel").
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

"$MHP" run --results "$res" "$ROOT/tests/jobs/pmem.job" >"$res/out" 2>"$res/err"
rc=$?
is "$rc" 0 "pmem run (ram and self) exits 0"
[ $rc -eq 0 ] || { tail -30 "$res/err" | diag; }
run="$res/latest"
csv="$run/samples.csv"
man="$run/manifest.json"

m() { csvawk -v mo="$1" -v p="$2" -v me="$3" -v v="${4:-guest}" \
	'f("memmap") == mo && f("phase") == p && f("metric") == me &&
	 f("view") == v && f("warmup") == 0 { print f("value") }' "$csv"; }
boot() { json "$man" "(grep { \$_->{memmap} eq '$1' } @{\$j->{boots}})[0]{pmem}{$2}"; }

is "$(boot ram memmap_on_memory)" 0 "manifest: ram boot's DAX device has memmap_on_memory 0"
is "$(boot self memmap_on_memory)" 1 "manifest: self boot's DAX device has memmap_on_memory 1"
is "$(boot self blocks)" 3 "kmem adds 3 blocks of the 512M region"
is "$(m ram boot dax_memmap_on_memory)" 0 "samples: the ram boot's device switch reads 0"
is "$(m self boot dax_memmap_on_memory)" 1 "samples: the self boot's device switch reads 1"
[[ $(boot self dev) == dax* ]]
ok $? "manifest: the boot names its DAX device ($(boot self dev))"
is "$(csvawk 'f("phase") == "online" && f("metric") == "self_hosted" { print f("dimm_mib") }' "$csv" | sort -u)" \
	384 "the cycle's size is the 384M kmem added"

tr=$(m ram online memtotal_delta_kib)
ts=$(m self online memtotal_delta_kib)
[ -n "$tr" ] && [ -n "$ts" ]
ok $? "both modes wrote MemTotal after online ($tr, $ts KiB)"
is "$((tr - ts))" 6144 "self mode's MemTotal is 2 MiB per 128M block (6144 KiB) below ram mode's"
is "$(m ram online self_hosted)" 0 "ram mode: memmap from RAM"
is "$(m self online self_hosted)" 1 "self mode: memmap self-hosted"
is "$(m self online self_hosted_kib)" 6144 "self mode: 6144 KiB inside the blocks"
fr=$(m ram add memmap_from_ram_kib)
fs=$(m self add memmap_from_ram_kib)
[ "$fr" -ge 6144 ] && [ "$fs" -lt 1024 ]
ok $? "the add takes 1/64 from RAM in ram mode ($fr KiB), little in self mode ($fs KiB)"
is "$(m self add nr_memmap_delta_kib)" 6144 "nr_memmap_pages grows by 6144 KiB at add (self)"
is "$(m ram add nr_memmap_delta_kib)" 6144 "and by as much in ram mode"
for mo in ram self; do
	is "$(m $mo remove blocks_residual)" 0 "$mo: no blocks left after remove"
	is "$(m $mo remove memtotal_residual_kib)" 0 "$mo: MemTotal back after remove"
	[ -n "$(m $mo add latency_ns host)" ] && [ -n "$(m $mo add latency_ns guest)" ] &&
		[ -n "$(m $mo remove latency_ns guest)" ]
	ok $? "$mo: kmem's add and remove are timed in both views"
done
grep -q "self-hosted" "$res/out"
ok $? "the placement table says self-hosted"
grep -qi "NOT as asked" "$res/out"
ok $([ $? -ne 0 ]; echo $?) "no placement against what was asked"

# The source is an axis: every row says pmem, compare and plot label it,
# and gate will not take a pc-dimm run as its baseline.
is "$(csvawk '{ print f("source") }' "$csv" | sort -u)" pmem "every sample's source is pmem"
"$MHP" compare "$run" >"$res/cmp" 2>&1
is "$?" 0 "compare of the pmem run (ram against self) exits 0"
grep -q "^384M pmem " "$res/cmp"
ok $? "compare labels the cells 384M pmem"
cp -r "$(readlink -f "$run")" "$res/asdimm"
sed -i 's/,pmem$/,dimm/' "$res/asdimm/samples.csv"
"$MHP" gate --baseline "$res/asdimm" --candidate "$run" >"$res/gate" 2>&1
is "$?" 10 "gate refuses a pc-dimm baseline for a pmem candidate"
grep -q "memory source differs: baseline dimm, candidate pmem" "$res/gate"
ok $? "and says why"
"$MHP" plot "$run" >"$res/plot" 2>&1
is "$?" 0 "plot of the pmem run exits 0"
grep -q '"384M pmem"' "$run/plots/latency-guest.gp"
ok $? "plot names the category 384M pmem"

# The oom-edge benchmark with a 2G region (1920M, a 30720 KiB memmap) at
# F = 8M: in ram mode kmem's add fails for want of memory for the memmap,
# in self mode the region goes in (the cap: one region).
printf '[job]\nkernel = debian-6.12\naccel = tcg\nsource = pmem\npmem_size = 2G\nbenchmark = oom-edge\noom_targets = 8M\nmodes = ram,self\nreps = 1\n' >"$res/oom.job"
"$MHP" run --results "$res" "$res/oom.job" >"$res/oomout" 2>"$res/oomerr"
is "$?" 0 "oom-edge with source = pmem exits 0"
ended() { json "$res/latest/manifest.json" "(grep { \$_->{memmap} eq '$1' } @{\$j->{oom_edge}})[0]{ended_by}"; }
is "$(ended ram)" add_failure "oom-edge F=8M, ram mode: kmem's add fails"
grep -q "kmem would not take dax0.0: Cannot allocate memory" "$res/latest/manifest.json"
ok $? "with ENOMEM from kmem's bind in the detail"
is "$(ended self)" cap "oom-edge F=8M, self mode: the region goes in"
grep -qE '^8M +0 \(0\) .* fail +1920 \(1920\)' "$res/oomout"
ok $? "the table: 0 MiB in ram mode, 1920 MiB in self mode, as the model predicts" || grep -A3 '^F ' "$res/oomout" | diag

# Bad input: file:line, exit 2.
bad() { # bad TEXT LINE MESSAGE DESCRIPTION
	printf '%b' "$1" >"$res/bad.job"
	"$MHP" run --parse-only "$res/bad.job" >/dev/null 2>"$res/berr"
	is "$?" 2 "$4 exits 2"
	grep -qF "bad.job:$2: $3" "$res/berr"
	ok $? "$4: file:line and the reason" || diag <"$res/berr"
}
bad '[job]\nsource = pmem\nboot_mem = 2G\npmem_size = 2G\n' 4 \
	"pmem_size: 2G does not fit boot memory" "a region that does not fit"
bad '[job]\nsource = pmem\npmem_align = 64K\n' 3 \
	"pmem_align: 64K is not an alignment the kernel takes" "an alignment the kernel refuses"
bad '[job]\nsource = pmem\npmem_size = 600M\n' 3 \
	"pmem_size: 600M is not a multiple of 128M" "a region of no whole blocks"

# The default kernel boots the shared initramfs, which has no nvdimm/dax
# modules: an environment error that says so.
printf '[job]\nkernel = debian\nsource = pmem\nmodes = ram\nreps = 1\nwarmup = 0\ndeep_reps = 0\naccel = tcg\n' >"$res/pdef.job"
"$MHP" run --results "$res" "$res/pdef.job" >/dev/null 2>"$res/errdef"
is "$?" 3 "pmem on a kernel without the nvdimm/dax modules exits 3"
grep -q "no nvdimm bus: this kernel has no libnvdimm built in" "$res/errdef"
ok $? "and says why" || tail -3 "$res/errdef" | diag

# A kernel before 6.8: its DAX devices have no memmap_on_memory switch.
if [ -f "$ROOT/guest-images/build/debian-6.1/initramfs.cpio.gz" ]; then
	printf '[job]\nkernel = debian-6.1\nsource = pmem\nmodes = self\nreps = 1\nwarmup = 0\ndeep_reps = 0\naccel = tcg\n' >"$res/p61.job"
	"$MHP" run --results "$res" "$res/p61.job" >"$res/out61" 2>"$res/err61"
	is "$?" 0 "6.1, self mode: the run ends normally"
	grep -q "unsupported by kernel 6.1.*no memmap_on_memory attribute (dax/kmem's came with 6.8)" "$res/err61"
	ok $? "6.1, self mode: unsupported by kernel, with the reason"
	grep -q "^self mode, kernel 6.1.*DAX device without memmap_on_memory (6.8+): unsupported by kernel" "$res/out61"
	ok $? "6.1, self mode: the summary says so instead of numbers"
	is "$(json "$res/latest/manifest.json" '$j->{skipped}[0]{source}')" pmem \
		"manifest: skipped, with the source"
else
	skip "debian-6.1 series not built (make -C guest-images debian-series SERIES=6.1)" \
		"6.1 self mode ends normally" "6.1 unsupported by kernel" \
		"the summary says so" "manifest: skipped"
fi
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "nothing left in TMPDIR"
done_testing
