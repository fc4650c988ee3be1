#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
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
ok $? "missing kernel: message names it ($(grep -m1 "mhpbench: error:" "$res/e4"))"
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
grep -q "did not say hello within 20000 ms" "$res/e6"
ok $? "no hello: message names the deadline"
grep -q "last 20 lines of the guest console" "$res/e6" &&
	grep -q "as init process" "$res/e6"
ok $? "no hello: the error shows the guest console's last lines"
ok $([ "$took" -lt 60 ]; echo $?) "no hello: gave up at the deadline (${took}s)"
man=$(ls -d "$res"/r/*nohello*/manifest.json | head -1)
is "$(json "$man" '$j->{status}')" incomplete "no hello: manifest says incomplete"
grep -q "hello" <<<"$(json "$man" '$j->{reason}')"
ok $? "no hello: manifest gives the reason"

# 6b. The kernel panics during boot (no init): QEMU ends before the hello,
# and the error says why at once.
start=$(date +%s)
"$MHP" run --results "$res/r" "$ROOT/tests/jobs/noinit.job" >/dev/null 2>"$res/e6b"
is "$?" 4 "kernel panic during boot: exit 4"
ok $([ $(($(date +%s) - start)) -lt 60 ]; echo $?) "kernel panic during boot: seen before the boot deadline"
grep -q "boot (tcg): QEMU exited with status 0 before the guest said hello; the guest kernel panicked: Kernel panic - not syncing: " "$res/e6b"
ok $? "kernel panic during boot: the error quotes the panic ($(grep -m1 'error:' "$res/e6b" | cut -c1-160))"

# 7. QEMU refuses a QMP command: command name + QEMU's description, exit 5
"$MHP" run --results "$res/r" "$ROOT/tests/jobs/qmp-error.job" >/dev/null 2>"$res/e7"
is "$?" 5 "QMP error reply: exit 5"
grep -q "device_add: 'DIMM property node has value 1' which exceeds the number of numa nodes" "$res/e7"
ok $? "QMP error: message has the command and QEMU's description ($(grep -m1 "mhpbench: error:" "$res/e7"))"
qlog=$(ls "$res"/r/*qmp-error*/qmp-0.log | head -1)
grep -q '"execute":"object-del"' "$qlog"
ok $? "QMP error: the backend object is deleted again"

# 8. A user-supplied kernel image (KERNEL=) boots and is recorded as such
cp "$ROOT/guest-images/build/vmlinuz" "$res/bzImage-user"
KERNEL="$res/bzImage-user" "$MHP" run --results "$res/u" "$ROOT/tests/jobs/tiny.job" >/dev/null 2>"$res/e8"
is "$?" 0 "KERNEL=/path/to/bzImage: the run completes"
man="$res/u/latest/manifest.json"
is "$(json "$man" '$j->{kernel}{source}')" user "KERNEL=: manifest says the kernel is the user's"
is "$(json "$man" '$j->{kernel}{image}')" "$res/bzImage-user" "KERNEL=: manifest names the image"

# 9. --parse-only accepts the shipped jobs
for j in quick full; do
	"$MHP" run --parse-only "$ROOT/bench/$j.job" >/dev/null 2>&1
	is "$?" 0 "bench/$j.job parses"
done

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
