#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kconfig-merge.sh [-o OUT] BASE FRAGMENT...
#
# Merges Kconfig fragments into a base .config, like the kernel's
# scripts/kconfig/merge_config.sh but without needing a kernel tree, so it
# can be tested on its own (tests/integration/kconfig.t).
#
# Each fragment line is `CONFIG_X=value`, `# CONFIG_X is not set`, a
# comment or blank. A fragment's value replaces the base's; a later
# fragment replaces an earlier one (a note on stderr says so when the value
# changes). `CONFIG_X=n` is written as `# CONFIG_X is not set`. Base lines
# that no fragment touches are kept as they are, in order; the fragments'
# options follow, in the order they first appear. The result still has to
# go through `make olddefconfig`, and then kconfig-check.sh, because
# Kconfig drops values whose dependencies are not met.
#
# Exit: 0 merged, 2 bad usage, missing file or a line that is not an
# assignment (file:line in the message).
set -u
prog=kconfig-merge
usage() {
	echo "usage: $prog.sh [-o OUT] BASE FRAGMENT..." >&2
	exit 2
}
out=
if [ "${1:-}" = -o ]; then
	if [ $# -lt 2 ] || [ -z "$2" ]; then
		usage
	fi
	out=$2
	shift 2
fi
[ $# -ge 1 ] || usage
for f in "$@"; do
	if [ -d "$f" ] || [ ! -r "$f" ]; then
		if [ "$f" = "$1" ]; then
			echo "$prog: base config '$f' not found" >&2
		else
			echo "$prog: fragment '$f' not found" >&2
		fi
		exit 2
	fi
done
tmp=$(mktemp "${TMPDIR:-/tmp}/$prog.XXXXXX") || exit 2
trap 'rm -f "$tmp"' EXIT

base=$1
shift
LC_ALL=C awk -v prog="$prog" -v basefile="$base" '
function parse(line) {  # sets SYM and VAL ("n" for not set); 0 if no option
	if (match(line, /^CONFIG_[A-Za-z0-9_]+=/)) {
		SYM = substr(line, 1, RLENGTH - 1)
		VAL = substr(line, RLENGTH + 1)
		return 1
	}
	if (line ~ /^# CONFIG_[A-Za-z0-9_]+ is not set[ \t]*$/) {
		split(line, w, " ")
		SYM = w[2]
		VAL = "n"
		return 1
	}
	return 0
}
function show(v) { return v == "n" ? "not set" : v }
BEGIN {                                 # the base: keep every line
	while ((r = getline line < basefile) > 0) {
		sub(/\r$/, "", line)
		base[++nbase] = line
		basesym[nbase] = parse(line) ? SYM : ""
	}
	if (r < 0) {
		printf "%s: cannot read %s\n", prog, basefile > "/dev/stderr"
		bad = 1
		exit 2
	}
}
{ sub(/\r$/, "") }
{
	if (!parse($0)) {
		if ($0 ~ /^[ \t]*(#.*)?$/)
			next
		printf "%s: %s:%d: not a Kconfig assignment: %s\n",
		       prog, FILENAME, FNR, $0 > "/dev/stderr"
		bad = 1
		exit 2
	}
	if (SYM in want) {
		if (want[SYM] != VAL)
			printf "%s: %s:%d: %s: %s overrides %s from %s\n", prog,
			       FILENAME, FNR, SYM, show(VAL), show(want[SYM]),
			       from[SYM] > "/dev/stderr"
	} else {
		order[++nwant] = SYM
	}
	want[SYM] = VAL
	from[SYM] = FILENAME ":" FNR
}
END {
	if (bad)
		exit 2
	for (i = 1; i <= nbase; i++)
		if (basesym[i] == "" || !(basesym[i] in want))
			print base[i]
	for (i = 1; i <= nwant; i++) {
		s = order[i]
		if (want[s] == "n")
			printf "# %s is not set\n", s
		else
			printf "%s=%s\n", s, want[s]
	}
}' "$@" </dev/null >"$tmp" || exit 2

if [ -z "$out" ]; then
	cat "$tmp"
elif ! cp "$tmp" "$out.tmp" || ! mv "$out.tmp" "$out"; then
	echo "$prog: cannot write '$out'" >&2
	rm -f "$out.tmp"
	exit 2
fi
