#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kconfig-check.sh CONFIG FRAGMENT...
#
# Checks that a final .config (after `make olddefconfig`) has every option
# the fragments ask for. Kconfig silently drops a value whose dependencies
# are not met (CONFIG_MHP_MEMMAP_ON_MEMORY=y without SPARSEMEM_VMEMMAP ends
# up "not set"), and a kernel built from such a config boots but measures
# something else. This catches that.
#
# Fragments are read as kconfig-merge.sh reads them: a later fragment
# overrides an earlier one, `# CONFIG_X is not set` and `CONFIG_X=n` both
# mean "not set", and an option absent from CONFIG counts as not set.
# Each option that differs is listed on stderr as
#   CONFIG_X: wanted y, got not set (fragment.config:12)
#
# Exit: 0 every option matches, 1 some differ, 2 bad usage, missing file or
# a fragment line that is not an assignment.
set -u
prog=kconfig-check
if [ $# -lt 1 ]; then
	echo "usage: $prog.sh CONFIG FRAGMENT..." >&2
	exit 2
fi
if [ -d "$1" ] || [ ! -r "$1" ]; then
	echo "$prog: config '$1' not found" >&2
	exit 2
fi
for f in "${@:2}"; do
	if [ -d "$f" ] || [ ! -r "$f" ]; then
		echo "$prog: fragment '$f' not found" >&2
		exit 2
	fi
done
config=$1
shift

LC_ALL=C awk -v prog="$prog" -v config="$config" '
function parse(line) {  # sets SYM and VAL ("n" for not set); 0 if no option
	if (match(line, /^CONFIG_[A-Za-z0-9_]+=/)) {
		SYM = substr(line, 1, RLENGTH - 1)
		VAL = substr(line, RLENGTH + 1)
		if (VAL == "n")
			VAL = "not set"
		return 1
	}
	if (line ~ /^# CONFIG_[A-Za-z0-9_]+ is not set[ \t]*$/) {
		split(line, w, " ")
		SYM = w[2]
		VAL = "not set"
		return 1
	}
	return 0
}
BEGIN {
	while ((r = getline line < config) > 0) {
		sub(/\r$/, "", line)
		if (parse(line))
			got[SYM] = VAL
	}
	if (r < 0) {
		printf "%s: cannot read %s\n", prog, config > "/dev/stderr"
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
	if (!(SYM in want))
		order[++n] = SYM
	want[SYM] = VAL
	from[SYM] = FILENAME ":" FNR
}
END {
	if (bad)
		exit 2
	for (i = 1; i <= n; i++) {
		s = order[i]
		g = (s in got) ? got[s] : "not set"
		if (g != want[s]) {
			printf "%s: wanted %s, got %s (%s)\n", s, want[s], g,
			       from[s] > "/dev/stderr"
			nbad++
		}
	}
	if (nbad) {
		printf "%s: %d of %d options in the fragments differ in %s\n" \
		       "%s: Kconfig drops a value whose dependencies are not" \
		       " met; add those (its \"depends on\" in Kconfig, or /NAME" \
		       " in make menuconfig) to the fragment\n",
		       prog, nbad, n, config, prog > "/dev/stderr"
		exit 1
	}
	printf "%s: all %d options in the fragments are in %s\n", prog, n, config
}' "$@" </dev/null
