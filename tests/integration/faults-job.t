#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad job files, from the real command line: every option that
# `mhpbench help job` lists gets a value of the wrong type, and every
# ranged one a value out of range; unknown sections, an empty file and a
# binary file too. Each must give exit code 2 and the file:line (the empty
# file, which has no line, its name). Then the security checks: job values
# never reach a shell, the run directory stays under --results whatever the
# job file is called, and the kernel, initramfs and QEMU paths are checked
# before QEMU sees them. No QEMU boots here.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

# bad NAME KEY VALUE WANT-IN-MESSAGE: the value on line 3 must be refused.
bad() {
	local f="$res/$1.job" rc
	printf '[job]\n; %s\n%s = %s\n' "$1" "$2" "$3" >"$f"
	"$MHP" run --results "$res/r" "$f" >/dev/null 2>"$res/err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "^$f:3: " "$res/err" &&
		grep -qF -- "$4" "$res/err"; then
		return 0
	fi
	echo "#   $2 = ${3:0:40}: exit $rc, $(head -c 200 "$res/err")"
	return 1
}

long=$(head -c 5000 /dev/zero | tr '\0' x)
opts=$("$MHP" help job | sed -nE 's/^([a-z_]+) \(([a-z ]+)\)  default:.*/\1|\2/p')
n=$(wc -l <<<"$opts")
ok $([ "$n" -ge 30 ]; echo $?) "help job lists the options ($n)"
fails=0 checked=0 ranged=0
while IFS='|' read -r key type; do
	# The wrong type, and a value out of range for the types that have one.
	case $type in
	string) wrong=$long why="longer than" far= ;;
	integer) wrong=twelve why="$key:" far=-99999999999 ;;
	size) wrong="12 apples" why="$key:" far=99999999T ;;
	duration) wrong=soon why="$key:" far=99999h ;;
	choice) wrong=no-such-choice why="$key:" far= ;;
	"list of sizes") wrong=128M,huge why="$key:" far=1T,99999999T ;;
	list) wrong=ram,no-such why="$key:" far= ;;
	"list of percentages") wrong=50%,lots why="$key:" far=0,150% ;;
	*) wrong= why= far= ;;
	esac
	if [ -z "$why" ]; then
		echo "#   $key: unknown type '$type'"
		fails=$((fails + 1))
		continue
	fi
	checked=$((checked + 1))
	bad "type-$key" "$key" "$wrong" "$why" || fails=$((fails + 1))
	if [ -n "$far" ]; then
		ranged=$((ranged + 1))
		bad "range-$key" "$key" "$far" "$key:" || fails=$((fails + 1))
	fi
done <<<"$opts"
is "$fails" 0 "every option refuses a wrongly typed or out-of-range value with exit 2 and file:3 ($checked options, $ranged out of range)"
ok $([ ! -e "$res/r" ]; echo $?) "a refused job creates no results directory"

# Unknown sections, a key before [job], a duplicate key.
printf '[jobs]\nreps = 1\n' >"$res/sec.job"
"$MHP" run "$res/sec.job" >/dev/null 2>"$res/err"
is "$?" 2 "unknown section: exit 2"
grep -q "^$res/sec.job:1: unknown section \[jobs\]" "$res/err"
ok $? "unknown section: file:1 and the section ($(head -1 "$res/err"))"
printf '[job]\nreps = 1\n[kernel]\n' >"$res/sec2.job"
"$MHP" run "$res/sec2.job" >/dev/null 2>"$res/err"
is "$?" 2 "[kernel] without a label: exit 2"
grep -q "^$res/sec2.job:3: " "$res/err"
ok $? "[kernel] without a label: file:3 ($(head -1 "$res/err"))"
printf 'reps = 1\n[job]\n' >"$res/outside.job"
"$MHP" run "$res/outside.job" >/dev/null 2>"$res/err"
is "$?" 2 "key outside a section: exit 2"
grep -q "^$res/outside.job:1: " "$res/err"
ok $? "key outside a section: file:1"
printf '[job]\nreps = 1\nreps = 2\n' >"$res/dup.job"
"$MHP" run "$res/dup.job" >/dev/null 2>"$res/err"
is "$?" 2 "duplicate key: exit 2"
grep -q "^$res/dup.job:3: duplicate key 'reps' (first set at line 2)" "$res/err"
ok $? "duplicate key: file:3 and the first line"

# The fault-injection options are checked against the rest of the job.
printf '[job]\nreps = 1\ninject_fault = offline-busy\n' >"$res/busy0.job"
"$MHP" run "$res/busy0.job" >/dev/null 2>"$res/err"
is "$?" 2 "inject_fault = offline-busy on node 0: exit 2"
grep -q "^$res/busy0.job:3: inject_fault: offline-busy needs the DIMMs on a NUMA node without vCPUs" "$res/err"
ok $? "inject_fault = offline-busy on node 0: file:3 and why"
printf '[job]\nbenchmark = oom-edge\ninject_fault = hang-agent\n' >"$res/oomf.job"
"$MHP" run "$res/oomf.job" >/dev/null 2>"$res/err"
is "$?" 2 "inject_fault with benchmark = oom-edge: exit 2"
grep -q "^$res/oomf.job:3: inject_fault: not with benchmark = oom-edge" "$res/err"
ok $? "inject_fault with benchmark = oom-edge: file:3 and why"
for j in "$ROOT"/tests/jobs/fault-*.job; do
	"$MHP" run --parse-only "$j" >/dev/null 2>&1
	is "$?" 0 "${j##*/} parses"
done

# An empty file has no line to name: the file and why.
: >"$res/empty.job"
"$MHP" run "$res/empty.job" >/dev/null 2>"$res/err"
is "$?" 2 "empty file: exit 2"
grep -q "^$res/empty.job: the file is empty" "$res/err"
ok $? "empty file: named, with why ($(head -1 "$res/err"))"

# Binary files: a NUL on line 2, and random bytes.
printf '[job]\nreps\0= 1\n' >"$res/nul.job"
"$MHP" run "$res/nul.job" >/dev/null 2>"$res/err"
is "$?" 2 "NUL byte: exit 2"
grep -q "^$res/nul.job:2: NUL byte in column 5" "$res/err"
ok $? "NUL byte: file:line and column ($(head -1 "$res/err"))"
head -c 4096 "$MHP" >"$res/elf.job"
"$MHP" run "$res/elf.job" >/dev/null 2>"$res/err"
is "$?" 2 "binary file (an ELF header): exit 2"
grep -qE "^$res/elf.job:[0-9]+: .*(NUL|control|UTF-8)" "$res/err"
ok $? "binary file: file:line ($(head -1 "$res/err"))"
printf '[job]\nsizes = 128M\xff\n' >"$res/utf.job"
"$MHP" run "$res/utf.job" >/dev/null 2>"$res/err"
is "$?" 2 "invalid UTF-8: exit 2"
grep -q "^$res/utf.job:2: invalid UTF-8" "$res/err"
ok $? "invalid UTF-8: file:line"

# --- security -----------------------------------------------------------
# A stand-in QEMU that records its argv and exits: the boot fails fast
# (exit 4), after the run directory exists.
cat >"$res/fakeqemu" <<EOF
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done >>"$res/argv"
echo --- >>"$res/argv"
exit 1
EOF
chmod +x "$res/fakeqemu"
mkdir -p "$res/odd dir"
weird="$res/odd dir/../we'ird \$(touch pwned0) \`touch pwned0b\` n;ame.job"
cat >"$weird" <<EOF
[job]
description = \`touch $res/pwned1\`
qemu = $res/fakeqemu
cmdline_extra = \$(touch $res/pwned2); touch $res/pwned3 && echo x > $res/pwned4
accel = tcg
reps = 1
warmup = 0
boot_timeout = 10s
EOF
"$MHP" run --results "$res/r" "$weird" >/dev/null 2>"$res/err"
is "$?" 4 "stand-in QEMU that exits: exit 4 ($(grep -m1 'error:' "$res/err"))"
ok $(ls "$res"/pwned* pwned* >/dev/null 2>&1; [ $? -ne 0 ]; echo $?) "no job value or file name ran in a shell (no pwned files)"
grep -qxF "\$(touch $res/pwned2); touch $res/pwned3 && echo x > $res/pwned4" <(grep -A0 'memhp_default_state=offline' "$res/argv" | sed 's/.*memhp_default_state=offline //')
ok $? "cmdline_extra reached QEMU as one argv element, verbatim"
runs=$(find "$res/r" -mindepth 1 -maxdepth 1 -type d)
is "$(wc -l <<<"$runs")" 1 "one run directory"
base=${runs##*/}
ok $([[ "$base" =~ ^[0-9]{8}-[0-9]{6}-[A-Za-z0-9_-]+$ ]]; echo $?) "its name is plain ($base)"
ok $([ "$(dirname "$runs")" = "$res/r" ]; echo $?) "and it is right under --results"
is "$(find "$res" -newer "$weird" -name '*.json' -not -path "$res/r/*" | wc -l)" 0 "nothing written outside --results"
for name in "..job" ".job" "...job"; do
	cp "$weird" "$res/$name"
	"$MHP" run --results "$res/r2" "$res/$name" >/dev/null 2>&1
done
is "$(find "$res/r2" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
	-regex '.*/[0-9]{8}-[0-9]{6}-run(-[0-9]+)?' | wc -l)" 3 \
	"job files named ..job, .job, ...job get run directories named run under --results"

# A run id names a directory under --results, never the root or its parent.
for cmd in report plot; do
	"$MHP" $cmd --results "$res/r" .. >/dev/null 2>"$res/err"
	grep -q "no run \.\.: Invalid argument" "$res/err"
	ok $? "$cmd ..: refused as a run id"
done

# Paths are checked before QEMU sees them: a directory or a device is no
# kernel, initramfs or QEMU.
printf '[job]\naccel = tcg\ninitramfs = %s\n' "$res" >"$res/initrd-dir.job"
"$MHP" run --results "$res/r3" "$res/initrd-dir.job" >/dev/null 2>"$res/err"
is "$?" 3 "initramfs that is a directory: exit 3"
grep -q "initramfs $res: Is a directory" "$res/err"
ok $? "initramfs that is a directory: named ($(grep -m1 error: "$res/err"))"
printf '[job]\naccel = tcg\nkernel = /dev/null\n' >"$res/kernel-dev.job"
"$MHP" run --results "$res/r3" "$res/kernel-dev.job" >/dev/null 2>"$res/err"
is "$?" 3 "kernel that is a device: exit 3"
grep -q "kernel image /dev/null: not a regular file" "$res/err"
ok $? "kernel that is a device: named ($(grep -m1 error: "$res/err"))"
printf '[job]\naccel = tcg\nqemu = %s\n' "$res" >"$res/qemu-dir.job"
"$MHP" run --results "$res/r3" "$res/qemu-dir.job" >/dev/null 2>"$res/err"
is "$?" 3 "QEMU that is a directory: exit 3"
grep -q "QEMU binary '$res' not found or not executable: Is a directory" "$res/err"
ok $? "QEMU that is a directory: named ($(grep -m1 error: "$res/err"))"
ok $([ ! -e "$res/r3" ]; echo $?) "bad paths are refused before a run directory exists"

# No system() or popen() in the harness: QEMU and gnuplot are exec'd from
# argv vectors.
ok $(grep -nE '\b(system|popen)[[:space:]]*\(' "$ROOT"/harness/*.c "$ROOT"/harness/*/*.c "$ROOT"/common/*.c >&2; [ $? -ne 0 ]; echo $?) \
	"no system() or popen() in harness/ or common/"

# A kernel name from a guest (or a crafted run directory) must not run
# commands in gnuplot, which expands `...` inside "...".
if command -v gnuplot >/dev/null; then
	run="$res/crafted"
	mkdir -p "$run"
	printf '{"run_id": "crafted", "mhpbench": {"version": "x"}, "status": "complete"}\n' >"$run/manifest.json"
	{
		echo "run_id,kernel,accel,memmap,block_mib,dimm_mib,node,rep,phase,view,metric,value,unit,boot,cycle,warmup,block,target_mib,kernel_release"
		for rep in 0 1 2; do
			echo "crafted,6.1\`touch $res/pwned5\`\"x,tcg,ram,128,128,0,$rep,online,guest,latency_ns,100$rep,ns,0,$rep,0,-1,-1,6.1"
		done
	} >"$run/samples.csv"
	"$MHP" plot --db "$res/none.db" "$run" >"$res/plot.out" 2>&1
	grep -q "kernel 6.1?touch" "$run/plots/latency-guest.gp"
	ok $? "plot: the script was written, the kernel name made plain"
	ok $([ ! -e "$res/pwned5" ]; echo $?) "plot: a kernel name with \`...\` does not run in gnuplot"
else
	skip "gnuplot is not installed" "plot: the script was written, the kernel name made plain" \
		"plot: a kernel name with \`...\` does not run in gnuplot"
fi

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
