#!/usr/bin/env bash
# Bad input and failures: each gets a clear message and its own exit code,
# and nothing is left running.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

job() { # job NAME BODY...: writes $res/NAME.job
	printf '%s\n' "${@:2}" >"$res/$1.job"
}

# 1. Unknown key: file:line, exit 2
job badkey '[job]' 'sizes = 128M' 'sizez = 256M'
"$MHP" run --parse-only "$res/badkey.job" >/dev/null 2>"$res/e1"
is "$?" 2 "unknown job key: exit 2"
grep -q "badkey.job:3:.*sizez" "$res/e1"
ok $? "unknown job key: message has file:line ($(head -1 "$res/e1"))"

# 2. Bad value: file:line, exit 2
job badval '[job]' '; comment' 'reps = three'
"$MHP" run "$res/badval.job" >/dev/null 2>"$res/e2"
is "$?" 2 "bad value: exit 2"
grep -q "badval.job:3:" "$res/e2"
ok $? "bad value: message has file:line ($(head -1 "$res/e2"))"

# 3. Missing job file
"$MHP" run "$res/nope.job" >/dev/null 2>"$res/e3"
is "$?" 2 "missing job file: exit 2"

# 4. Missing kernel: exit 3 and the path in the message
job nokernel '[job]' 'kernel = /nonexistent/bzImage' 'accel = tcg'
"$MHP" run --results "$res/r" "$res/nokernel.job" >/dev/null 2>"$res/e4"
is "$?" 3 "missing kernel: exit 3"
grep -q "/nonexistent/bzImage" "$res/e4"
ok $? "missing kernel: message names it ($(grep error "$res/e4"))"
KERNEL=/nonexistent/k2 "$MHP" run --results "$res/r" "$ROOT/tests/jobs/cycle128.job" >/dev/null 2>"$res/e4b"
is "$?" 3 "KERNEL= override is used (missing: exit 3)"
grep -q "/nonexistent/k2" "$res/e4b"
ok $? "KERNEL= override named in the message"

# 5. Missing QEMU binary: exit 3
job noqemu '[job]' 'qemu = /nonexistent/qemu-system-x86_64' 'accel = tcg'
"$MHP" run --results "$res/r" "$res/noqemu.job" >/dev/null 2>"$res/e5"
is "$?" 3 "missing QEMU: exit 3"
grep -q "QEMU binary '/nonexistent/qemu-system-x86_64' not found" "$res/e5"
ok $? "missing QEMU: message names it"

# 6. A guest that never says hello: deadline, console tail, exit 4
start=$(date +%s)
"$MHP" run --results "$res/r" "$ROOT/tests/jobs/nohello.job" >/dev/null 2>"$res/e6"
rc=$?
took=$(($(date +%s) - start))
is "$rc" 4 "guest never says hello: exit 4"
grep -q "did not say hello within 8000 ms" "$res/e6"
ok $? "no hello: message names the deadline"
grep -q "last 20 lines of the guest console" "$res/e6" &&
	grep -q "as init process" "$res/e6"
ok $? "no hello: the error shows the guest console's last lines"
ok $([ "$took" -lt 60 ]; echo $?) "no hello: gave up at the deadline (${took}s)"
man=$(ls -d "$res"/r/*nohello*/manifest.json | head -1)
is "$(json "$man" '$j->{status}')" incomplete "no hello: manifest says incomplete"
grep -q "hello" <<<"$(json "$man" '$j->{reason}')"
ok $? "no hello: manifest gives the reason"

# 7. --parse-only accepts the shipped jobs
for j in quick full; do
	"$MHP" run --parse-only "$ROOT/bench/$j.job" >/dev/null 2>&1
	is "$?" 0 "bench/$j.job parses"
done

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
