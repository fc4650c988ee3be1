#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel spec debian-6.12: guest-images fetches Debian's 6.12 (image,
# modules, headers, probe module, initramfs) when the run starts, and the
# run boots it beside the default 6.1 (tests/jobs/debian612.job). 6.12
# self-hosts a 256M DIMM block by block and its nr_memmap_pages grows by
# 1/64 of the DIMM at add; 6.1 has no such counter and the run says so
# instead of writing numbers. Bad series exit 2 (file:line) or 3 (apt).
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

"$MHP" run --results "$res" "$ROOT/tests/jobs/debian612.job" >"$res/out" 2>"$res/err"
rc=$?
is "$rc" 0 "debian vs debian-6.12 run exits 0"
[ $rc -eq 0 ] || { tail -30 "$res/err" | diag; }
run="$res/latest"
csv="$run/samples.csv"
man="$run/manifest.json"
sum="$run/summary.json"

series=$(json "$man" '$j->{kernels}[1]{debian_series}')
is "$series" 6.12 "manifest: k612 is Debian series 6.12"
pkg=$(json "$man" '$j->{kernels}[1]{package}')
[[ $pkg == linux-image-6.12.*+deb12-amd64*=6.12.* ]]
ok $? "manifest: k612's package and version are recorded ($pkg)"
[ -f "$ROOT/guest-images/build/debian-6.12/kernel.abi" ]
ok $? "the ABI is cached in guest-images/build/debian-6.12/kernel.abi"
rel=$(csvawk 'f("kernel") == "k612" { print f("kernel_release"); exit }' "$csv")
[[ $rel == 6.12.* ]]
ok $? "k612 booted a 6.12 kernel ($rel)"

# k612 mode self, measured cycle: placement and counter.
k() { csvawk -v k="$1" -v p="$2" -v m="$3" -v v="${4:-guest}" \
	'f("kernel") == k && f("phase") == p && f("metric") == m &&
	 f("view") == v && f("warmup") == 0 { print f("value") }' "$csv"; }
is "$(k k612 online self_hosted)" 1 "6.12 self-hosts the 256M DIMM"
is "$(k k612 online self_hosted_kib)" 4096 "with 4096 KiB inside it (1/64)"
is "$(k k612 add nr_memmap_delta_kib)" 4096 \
	"nr_memmap_pages grows by 1/64 of the DIMM at add (4096 KiB)"
is "$(k k612 online nr_memmap_delta_kib)" 0 "and not at online"
is "$(k k612 remove nr_memmap_delta_kib)" -4096 "and falls back by as much at remove"
is "$(json "$man" '(grep { $_->{kernel_label} eq "k612" } @{$j->{boots}})[0]{memmap_counter}{available}')" \
	true "manifest: the 6.12 boot has the counter"
grep -q "nr_memmap_pages grew" "$res/err"
ok $([ $? -ne 0 ]; echo $?) "no disagreement warning"

# 6.1: the DIMM spans two blocks, so its memmap is from RAM, and there
# is no counter: a reason, never a number.
is "$(k k61 online self_hosted)" 0 "6.1 takes the 256M DIMM's memmap from RAM"
is "$(csvawk 'f("kernel") == "k61" && f("metric") == "nr_memmap_delta_kib"' "$csv" | wc -l)" 0 \
	"6.1 writes no nr_memmap_delta_kib"
why=$(json "$man" '(grep { $_->{kernel_label} eq "k61" } @{$j->{boots}})[0]{memmap_counter}{reason}')
grep -q "has no nr_memmap_pages" <<<"$why"
ok $? "manifest: 6.1's counter is unavailable, with the reason"
grep -q "nr_memmap_pages: unavailable: k61: " "$res/out"
ok $? "the summary says so"
grep -q "Memmap counter" "$res/out"
ok $? "the summary prints the counter table"
is "$(json "$sum" '$j->{memmap_counter}{rows}[0]{agrees}')" true \
	"summary: the counter agrees with MemFree/MemTotal"

# The deep cycle on 6.12: the probe module built for it loads, and the
# tracer names 6.12's entry point.
is "$(k k612 online memmap_local_fraction deep | sort -u)" 1 \
	"6.12's probe module loaded: each block's self-hosted memmap is on the DIMM's node"
n=$(csvawk 'f("kernel") == "k612" && f("view") == "deep" && f("metric") == "fn_total_ns"' "$csv" | wc -l)
[ "$n" -ge 2 ]
ok $? "6.12's online and offline are traced ($n traced totals)"
grep -q "probe" <<<"$(grep -i 'warning' "$res/err")"
ok $([ $? -ne 0 ]; echo $?) "no probe warning"

# Bad series: a malformed one at parse time, one apt cannot find at run
# time (its package lists may get one apt-get update first).
printf '[job]\nsizes = 128M\nkernels = a:debian, b:debian-6.x\n' >"$res/bad.job"
"$MHP" run --results "$res" "$res/bad.job" >/dev/null 2>"$res/err2"
is "$?" 2 "a malformed Debian series exits 2"
grep -q "bad.job:3: kernels: b: 'debian-6.x' is no Debian kernel series" "$res/err2"
ok $? "with file:line"
printf '[job]\nsizes = 128M\nkernel = debian-6.99\n' >"$res/none.job"
"$MHP" run --results "$res" "$res/none.job" >/dev/null 2>"$res/err3"
is "$?" 3 "a series apt cannot find exits 3"
grep -q "cannot fetch Debian kernel series 6.99: E: Unable to locate package linux-image-6.99-amd64" "$res/err3"
ok $? "with apt's error"
[ ! -e "$ROOT/guest-images/build/debian-6.99" ]
ok $? "and leaves no directory for it"
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "nothing left in TMPDIR"
done_testing
