#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every external command that the scripts, the tests, the Makefiles and the
# harness run comes from a package that scripts/deps.sh installs (or one
# they pull in) or from Debian's Essential set, so that `make run` and
# `make test` work on a fresh Debian 12 machine (README, "The two
# commands"). Also checks that the audit catches a missing package.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
AUDIT="$ROOT/scripts/audit-commands.pl"
all=$("$ROOT/scripts/deps.sh" --list | xargs)
# without PKG...: the list less PKG...
without() { printf '%s\n' $all | grep -vxF "$(printf '%s\n' "$@")" | xargs; }
# chromium (report-html.t) pulls procps in through its dependencies, so
# "without procps" leaves it out too.
noprocps="procps chromium"

out=$("$AUDIT" 2>&1)
ok $? "every command of the scripts, tests and Makefiles has its package"
echo "$out" | diag

printf '%s\n' $all | grep -qx procps
ok $? "deps.sh installs procps (pgrep, pkill and ps in the tests)"

# The case of the issue: the tests' pgrep/pkill without procps.
out=$("$AUDIT" --packages "$(without $noprocps)" 2>&1)
is $? 1 "without procps the audit fails"
echo "$out" | grep -q "^audit: pgrep (.*\.t:[0-9]*): package procps is neither installed by scripts/deps.sh nor Essential"
ok $? "it names pgrep, where it is called (file:line) and its package"
echo "$out" | grep -q "^audit: pkill "
ok $? "and pkill"
echo "$out" | diag

# A program the harness execs (gnuplot for `mhpbench plot`), found in
# harness/ even when no script names it.
printf '#!/bin/sh\ntrue\n' >"$T/empty.sh"
out=$("$AUDIT" --packages "$(without gnuplot-nox)" "$T/empty.sh" 2>&1)
is $? 1 "without gnuplot-nox the audit fails"
echo "$out" | grep -qF "audit: gnuplot (harness/ (exec)): package gnuplot-nox"
ok $? "it names gnuplot, which the harness execs"

# Someone adds a call to a new tool: in a script, in a Makefile recipe
# (through a variable), in a command substitution.
printf '#!/usr/bin/env bash\nn=$(pgrep -c qemu)\n' >"$T/new.t"
out=$("$AUDIT" --packages "$(without $noprocps)" "$T/new.t" 2>&1)
is $? 1 "a new script that calls pgrep in \$( ) fails without procps"
echo "$out" | grep -qF "pgrep ($T/new.t:2)"
ok $? "naming the new file and line"
printf 'TOOL := pkill\nall:\n\t@echo x; $(TOOL) -f qemu\n' >"$T/Makefile"
out=$("$AUDIT" --packages "$(without $noprocps)" "$T/Makefile" 2>&1)
is $? 1 "a Makefile recipe that runs pkill through a variable fails"
echo "$out" | grep -qF "pkill ($T/Makefile:3)"
ok $? "naming the recipe's line"
printf '#!/bin/sh\nfrobnicate-mhpbench --now | sort\n' >"$T/unknown.sh"
out=$("$AUDIT" "$T/unknown.sh" 2>&1)
is $? 1 "a command that no package here provides fails"
echo "$out" | grep -qF "frobnicate-mhpbench ($T/unknown.sh:2): not found on this machine"
ok $? "and says it is not found"

# Words that are not commands: quoted text, awk programs, here-documents,
# case labels, functions, arithmetic, comments.
out=$("$AUDIT" --packages "$(without $noprocps)" "$ROOT/tests/data/audit/quiet.sh" 2>&1)
ok $? "quoted text, awk, here-documents, case labels, arithmetic and comments are no commands"
echo "$out" | diag

done_testing
