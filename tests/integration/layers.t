#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The layering rule of harness/ (README, "Layout"): the tree keeps it, and
# the check fails, naming file:line and the header, when it is broken.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CHECK="$ROOT/scripts/check-layers.sh"

out=$("$CHECK" "$ROOT/harness" 2>&1)
ok $? "harness/ keeps its layering"
echo "$out" | diag

# The analysis side reaching into the run side and the protocols.
cp -r "$ROOT/harness" "$T/harness"
line=$(grep -n '^#include' "$T/harness/analyze/compare.c" | tail -1 | cut -d: -f1)
sed -i "${line}a #include \"run/cycle.h\"\n#include \"proto/qmp.h\"" \
	"$T/harness/analyze/compare.c"
out=$("$CHECK" "$T/harness" 2>&1)
is $? 1 "an analyze/ file that includes a run/ header fails the check"
echo "$out" | grep -q "analyze/compare.c:$((line + 1)): analyze/ may not include \"run/cycle.h\""
ok $? "the message names the file, the line and the header"
echo "$out" | grep -q "analyze/compare.c:$((line + 2)): analyze/ may not include \"proto/qmp.h\""
ok $? "every offending include is named, not only the first"
echo "$out" | diag

# A folder that is in no rule is refused, so a new layer must be placed.
cp -r "$ROOT/harness" "$T/h2"
mkdir "$T/h2/misc" && echo '#include "run/cycle.h"' > "$T/h2/misc/x.c"
out=$("$CHECK" "$T/h2" 2>&1)
is $? 1 "a folder without a rule fails the check"
echo "$out" | grep -q "folder 'misc' has no rule"
ok $? "and says so"

done_testing
