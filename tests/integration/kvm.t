#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The KVM path, in make test: each tests/kvm/*.t runs inside the lab host
# guest (scripts/labhost.sh: nested KVM under TCG, README "KVM on a lab
# host"), and every check it makes there is a check of this file, named
# "kvm/FILE: ...", so prove's count and verdict include them; a lab host
# that does not come up or does not finish is a failure with its
# console's tail. Three faults of the nested SVM that TCG emulates
# (README, "KVM on a lab host") are not a verdict on mhpbench: the lab
# host's own kernel stalling (scripts/labhost.sh exit 4 with its line: an
# RCU stall, a soft lockup or a hung task); a lab host that does not
# finish within 720 s, 3 to 5 times what a file takes, though mhpbench's
# own deadlines (boot 300 s, phases less) end every boot sooner; and an
# error that says the inner guest reset without a word from its kernel
# (the reset case of faults.t asks for one and passes). A file that fails
# with one runs again in a fresh lab host, up to 3 tries within 45
# minutes for the whole file; each failed try's checks are printed as
# diagnostics and its files kept (NAME.tryN/). A try that fails otherwise
# fails the test; a file whose every try hit a lab host fault is a skip
# that names them. `make test-kvm` runs the same files alone, once.
. "$(dirname "$0")/lib.sh"
set -u
keep=$ROOT/build/test-kvm
rm -rf "$keep"
start=$(date +%s)
# 45 minutes for the whole file, so make test stays inside CI's 90.
budget=2700
limit=720

# Why a failed try is a fault of the lab host, not of mhpbench; "" if it
# is not. By labhost's line, not by exit 4 alone, which COMMAND may give
# too. A reset is one the file did not ask for: mhpbench's message for it
# in a failed check or a diagnostic, not in a passing check (faults.t's
# reset case passes with it, and a regression there would not quote it).
lab_fault() { # lab_fault OUT ERR
	if grep -q "^labhost: the lab host's own kernel reported" "$2"; then
		echo "the lab host's kernel stalled"
	elif grep -q "^labhost: no end within" "$2"; then
		echo "the lab host did not finish within $limit s, though mhpbench's deadlines end every boot sooner"
	elif grep -E '^(not ok|#)' "$1" | grep -q "QEMU died: exited with status 0; the guest reset without a word"; then
		echo "the inner guest reset without a word from its kernel"
	fi
}

for t in "$ROOT"/tests/kvm/*.t; do
	base=$(basename "$t" .t)
	name=kvm/$base
	out=$(mktemp)
	t0=$(date +%s)
	faults=
	for try in 1 2 3; do
		LABHOST_KEEP=$keep/$base "$ROOT/scripts/labhost.sh" -t $limit \
			bash "tests/kvm/$base.t" >"$out" 2>"$out.err"
		rc=$?
		why=
		[ "$rc" -eq 0 ] || why=$(lab_fault "$out" "$out.err")
		[ -n "$why" ] || break
		faults="${faults:+$faults; }try $try: $why"
		echo "# $name: try $try: $why ($(($(date +%s) - t0)) s in). Its checks:"
		{ grep -E '^(not )?ok ' "$out"; tail -12 "$out.err"; } | diag
		mv "$keep/$base" "$keep/$base.try$try"
		[ "$try" -lt 3 ] && [ $(($(date +%s) - start + limit)) -le $budget ] || break
		echo "# $name: running it again in a fresh lab host"
	done
	if [ -n "$why" ]; then
		# Every try ended in a lab host fault: nothing was learnt about
		# mhpbench, which is a skip with the reasons, not a verdict.
		skip "the lab host failed below mhpbench ($faults)" \
			"$name: ran in the lab host and exited 0"
		rm -f "$out" "$out.err"
		continue
	fi
	n=$T_N
	# The inner TAP, renumbered into this file's; its diagnostics kept.
	while IFS= read -r line; do
		case "$line" in
		"ok "* | "not ok "*)
			d=$(sed -E 's/^(not )?ok [0-9]+( - )?//' <<<"$line")
			case "$line" in
			"ok "*) ok 0 "$name: $d" ;;
			*) ok 1 "$name: $d" ;;
			esac
			;;
		"#"*) echo "$line" ;;
		esac
	done <"$out"
	ok $([ "$rc" -eq 0 ] && [ "$T_N" -gt "$n" ]; echo $?) \
		"$name: ran in the lab host and exited 0 ($((T_N - n)) checks, $(($(date +%s) - t0)) s${faults:+, after $faults})"
	[ "$rc" -eq 0 ] || tail -40 "$out.err" | diag
	rm -f "$out" "$out.err"
done
is "$(pgrep -c -f 'qemu-system.*labhost\.' || true)" 0 "no lab host QEMU left running"
is "$(ls -d "${TMPDIR:-/tmp}"/labhost.* 2>/dev/null | wc -l)" 0 "no lab host share left in ${TMPDIR:-/tmp}"
done_testing
