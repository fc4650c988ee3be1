#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernels axis: two labels (the same Debian kernel, once from a
# directory like those `make -C guest-images kernel` writes) run the same
# job interleaved; every sample carries its label, the summary compares them
# side by side, and bad kernel specs are refused clearly.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

copy="$res/kernels/copy"
mkdir -p "$copy"
cp "$ROOT/guest-images/build/vmlinuz" "$copy/vmlinuz"
cp "$ROOT/guest-images/build/kernel.release" "$copy/kernel.release"
sed "s|@COPYDIR@|$copy|" "$ROOT/tests/jobs/kernels2.job" >"$res/k.job"

"$MHP" run --results "$res" "$res/k.job" >"$res/out" 2>"$res/err"
rc=$?
is "$rc" 0 "two-kernel run exits 0"
[ $rc -eq 0 ] || { tail -30 "$res/err" | diag; }
run="$res/latest"
csv="$run/samples.csv"
man="$run/manifest.json"
rel=$(cat "$ROOT/guest-images/build/kernel.release")

labels=$(csvawk '{ print f("kernel") }' "$csv" | sort -u | tr '\n' ' ')
is "$labels" "base copy " "samples carry both kernel labels"
csvawk '{ print f("kernel_release") }' "$csv" | all_equal "$rel"
ok $? "kernel_release column holds the guest's release ($rel)"
for l in base copy; do
	n=$(csvawk -v l=$l 'f("kernel") == l && f("metric") == "latency_ns" &&
		f("view") == "host" && f("phase") == "online"' "$csv" | wc -l)
	is "$n" 2 "$l: 2 online samples"
done
is "$(json "$man" '$j->{kernels}[0]{label}')" base "manifest: kernel 0 is base"
is "$(json "$man" '$j->{kernels}[1]{source}')" built "manifest: a kernel directory is recorded as built"
is "$(json "$man" '$j->{kernels}[1]{image}')" "$copy/vmlinuz" "manifest: the directory's vmlinuz is booted"
boot_of() { json "$man" "(grep { \$_->{kernel_label} eq '$1' } @{\$j->{boots}})[0]{cmdline}"; }
grep -q 'mhp.kernel_label=copy' <<<"$(boot_of copy)"
ok $? "the copy's boot has its own cmdline extra"
grep -q 'mhp.kernel_label' <<<"$(boot_of base)"
ok $([ $? -ne 0 ]; echo $?) "the base boot does not"
is "$(json "$run/summary.json" '$j->{kernels_side_by_side}{kernels}')" '["base","copy"]' \
	"summary: kernels side by side"
grep -q "Kernels side by side" "$res/out"
ok $? "the side-by-side table is printed"
is "$(json "$run/summary.json" '$j->{placement}[1]{verdict}')" "self-hosted" \
	"summary: the copy's placement has a verdict of its own"

# Bad kernel specs: usage conflicts exit 2, a missing image exits 3.
"$MHP" run --results "$res" --kernel /nonexistent "$res/k.job" >/dev/null 2>"$res/err2"
is "$?" 2 "--kernel with a kernels axis exits 2"
grep -q "drop one of the two" "$res/err2"
ok $? "and says which two conflict"
sed "s|$copy|$res/nope|" "$res/k.job" >"$res/bad.job"
"$MHP" run --results "$res" "$res/bad.job" >/dev/null 2>"$res/err3"
is "$?" 3 "a missing kernel image exits 3"
grep -q "kernel image $res/nope of copy" "$res/err3"
ok $? "and names the image and its label"
printf '[job]\nkernels = a:debian\n[kernel b]\n' >"$res/sect.job"
"$MHP" run --results "$res" "$res/sect.job" >/dev/null 2>"$res/err4"
is "$?" 2 "a [kernel] section for an unknown label exits 2"
grep -q "sect.job:3: \[kernel b\]: b is not in kernels" "$res/err4"
ok $? "with file:line"
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "nothing left in TMPDIR"
done_testing
