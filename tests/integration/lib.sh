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

# Values of METRIC in PHASE for MEMMAP (measured cycles only: no warm-up,
# no deep cycle), one a line; VIEW (host/guest/deep) is optional.
metric() { # metric CSV MEMMAP PHASE METRIC [VIEW]
	awk -F, -v m="$2" -v p="$3" -v k="$4" -v v="${5:-}" \
		'NR > 1 && $4 == m && $9 == p && $11 == k && $16 == 0 &&
		 ((v == "" && $10 != "deep") || $10 == v) { print $12 }' "$1"
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
