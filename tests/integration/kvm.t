#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The KVM path, in make test: each tests/kvm/*.t runs inside the lab host
# guest (scripts/labhost.sh: nested KVM under TCG, README "KVM on a lab
# host"), and every check it makes there is a check of this file, named
# "kvm/FILE: ...", so prove's count and verdict include them; a lab host
# that does not come up or does not finish is a failure with its
# console's tail. Three faults of the nested SVM that TCG emulates
# (README, "KVM on a lab host") are not a verdict on mhpbench, and a file
# that fails with one runs once more in a fresh lab host: the lab host's
# own kernel stalling (scripts/labhost.sh exit 4 with its line: an RCU
# stall, a soft lockup or a hung task); a lab host that does not finish
# within 720 s, 3 to 5 times what a file takes, though mhpbench's own
# deadlines (boot 300 s, phases less) end every boot sooner; and an error
# that says the inner guest reset without a word from its kernel (the
# reset case of faults.t asks for one and passes). The first try's files
# are kept (NAME.try1/) and its checks printed as diagnostics; a second
# failure of any kind fails. `make test-kvm` runs the same files alone.
. "$(dirname "$0")/lib.sh"
set -u
keep=$ROOT/build/test-kvm
rm -rf "$keep"
for t in "$ROOT"/tests/kvm/*.t; do
	name=kvm/$(basename "$t" .t)
	out=$(mktemp)
	t0=$(date +%s)
	for try in 1 2; do
		LABHOST_KEEP=$keep/$(basename "$t" .t) "$ROOT/scripts/labhost.sh" -t 720 \
			bash "tests/kvm/$(basename "$t")" >"$out" 2>"$out.err"
		rc=$?
		[ "$rc" -ne 0 ] && [ "$try" -eq 1 ] || break
		# By labhost's line, not by exit 4 alone, which COMMAND may
		# give too; a reset is one the file did not ask for: in its
		# failure's diagnostics, not in a passing check.
		if grep -q "^labhost: the lab host's own kernel reported" "$out.err"; then
			why="the lab host's kernel stalled"
		elif grep -q "^labhost: no end within" "$out.err"; then
			why="the lab host did not finish, though mhpbench's own deadlines end every boot and phase sooner"
		elif grep -q "^# .*error: .*the guest reset without a word from its kernel" "$out"; then
			why="the inner guest reset without a word from its kernel"
		else
			break
		fi
		echo "# $name: $why ($(($(date +%s) - t0)) s in); running it again in a fresh lab host. The first try:"
		{ grep -E '^(not )?ok ' "$out"; tail -12 "$out.err"; } | diag
		mv "$keep/$(basename "$t" .t)" "$keep/$(basename "$t" .t).try1"
	done
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
		"$name: ran in the lab host and exited 0 ($((T_N - n)) checks, $(($(date +%s) - t0)) s)"
	[ "$rc" -eq 0 ] || tail -40 "$out.err" | diag
	rm -f "$out" "$out.err"
done
is "$(pgrep -c -f 'qemu-system.*labhost\.' || true)" 0 "no lab host QEMU left running"
is "$(ls -d "${TMPDIR:-/tmp}"/labhost.* 2>/dev/null | wc -l)" 0 "no lab host share left in ${TMPDIR:-/tmp}"
done_testing
