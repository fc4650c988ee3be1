#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# errors.t again, against the harness built with ASan and UBSan
# (build/asan/mhpbench; `make test` builds it): bad jobs, missing files, a
# guest that never says hello, a QMP error and one real 128M cycle, with
# every sanitizer report fatal. Reports also go to files, so one that
# errors.t's checks happen to miss still fails the last test here.
. "$(dirname "$0")/lib.sh"
bin="$ROOT/build/asan/mhpbench"
[ -x "$bin" ] || skip_all "$bin is not built (make test builds it)"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export MHP="$bin"
# LeakSanitizer needs the process not to be ptraced (no strace or gdb).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:strict_string_checks=1:log_path=$logs/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"

"$ROOT/tests/integration/errors.t" >"$logs/out"
rc=$?
# errors.t's own plan goes; the count grows by the test below.
grep -v '^1\.\.[0-9]*$' "$logs/out"
n=$(grep -cE '^(not )?ok ' "$logs/out")
reports=$(find "$logs" -name 'asan.*' -o -name 'ubsan.*')
n=$((n + 1))
if [ -z "$reports" ]; then
	echo "ok $n - no sanitizer report from build/asan/mhpbench"
else
	echo "not ok $n - sanitizer reports from build/asan/mhpbench"
	for f in $reports; do sed 's/^/# /' "$f"; done
	rc=1
fi
echo "1..$n"
exit $rc
