# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for the integration tests (read by prove).
# shellcheck shell=bash
T_N=0
T_FAIL=0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MHP="${MHP:-$ROOT/mhpbench}"

ok() { # ok COND-EXIT-CODE DESCRIPTION
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAIL=$((T_FAIL + 1))
	fi
}

is() { # is GOT WANT DESCRIPTION
	[ "$1" = "$2" ]
	local r=$?
	ok $r "$3"
	[ $r -eq 0 ] || echo "#   got '$1', want '$2'"
}

diag() { sed 's/^/# /'; }

done_testing() {
	echo "1..$T_N"
	[ "$T_FAIL" -eq 0 ]
}

# skip REASON [DESCRIPTION]...: a TAP skip ("ok N - DESCRIPTION # SKIP
# REASON") for each test whose precondition is missing (one without a
# description when none is given). Each counts as a test, so the count
# does not depend on what the machine has.
skip() {
	local why=$1 d
	shift
	[ $# -gt 0 ] || set -- ""
	for d in "$@"; do
		T_N=$((T_N + 1))
		echo "ok $T_N${d:+ - $d} # SKIP $why"
	done
}

# skip_all REASON: the whole script cannot run here; an empty plan that
# says why, and exit 0.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# csvawk [AWK-OPTION]... PROGRAM CSV: awk -F, over the data rows of CSV
# (the header is skipped), where f("NAME") is the field of the column the
# header names NAME (samples.csv's columns: README "What a run prints and
# writes"). Addressed by name, a column added or moved cannot shift a
# test; a name the header lacks is an error on stderr, exit 2.
csvawk() {
	local prog=${*:$#-1:1} csv=${*:$#:1}
	awk -F, "${@:1:$#-2}" '
		function f(name) {
			if (!(name in col_)) {
				print "csvawk: " FILENAME " has no column " name > "/dev/stderr"
				exit 2
			}
			return $col_[name]
		}
		FNR == 1 { for (i = 1; i <= NF; i++) col_[$i] = i; next }
		'"$prog" "$csv"
}

# Values of METRIC in PHASE for MEMMAP (measured cycles only: no warm-up,
# no deep cycle), one a line; VIEW (host/guest/deep) is optional.
metric() { # metric CSV MEMMAP PHASE METRIC [VIEW]
	csvawk -v m="$2" -v p="$3" -v k="$4" -v v="${5:-}" \
		'f("memmap") == m && f("phase") == p && f("metric") == k &&
		 f("warmup") == 0 && ((v == "" && f("view") != "deep") ||
		 f("view") == v) { print f("value") }' "$1"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan";
	else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# all_equal WANT: every line of stdin equals WANT, and there is at least one.
all_equal() { awk -v w="$1" '$1 != w { bad = 1 } END { exit (NR == 0 || bad) }'; }

# json FILE PERL-EXPR: prints the value of $j->{...} (core JSON::PP).
json() {
	perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die;
		my $j = decode_json(<$f>); my $v = eval $ARGV[1];
		print defined $v ? (ref $v ? encode_json($v) : $v) : "null"' "$1" "$2"
}

qemu_count() { pgrep -c -f "qemu-system.*$1" 2>/dev/null || true; }

# Each test gets its own TMPDIR, so "nothing left behind" is exact even
# with other runs on the machine.
private_tmp() { # private_tmp DIR
	mkdir -p "$1/tmp"
	export TMPDIR="$1/tmp"
}
tmp_left() { ls -A "$TMPDIR" | wc -l; }
