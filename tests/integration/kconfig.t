#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The config steps of `make -C guest-images kernel`, on small synthetic
# configs: scripts/kconfig-merge.sh merges fragments into a base (later wins,
# "is not set" handled), scripts/kconfig-check.sh fails, naming the option,
# when Kconfig dropped one; and the recipe (guest-images/kernel.mk) on a
# fake kernel tree. No kernel is unpacked or built here. If the kernel tree
# that guest-images unpacks (or $KSRC) is there, our merge is also compared
# with the kernel's own scripts/kconfig/merge_config.sh.
. "$(dirname "$0")/lib.sh"
set -u
MERGE="$ROOT/scripts/kconfig-merge.sh"
CHECK="$ROOT/scripts/kconfig-check.sh"
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"
cd "$res" || exit 1

lines() { # lines FILE LINE...: writes FILE
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
has() { grep -qxF -- "$2" "$1"; } # has FILE LINE
fails() { ok "$(($1 == 0))" "$2"; }  # fails RC DESCRIPTION: ok if RC != 0

lines base '#' '# Automatically generated file' 'CONFIG_A=y' \
	'# CONFIG_B is not set' 'CONFIG_C="old"' 'CONFIG_D=m' 'CONFIG_E=0x10'
lines f1 '# first fragment' 'CONFIG_A=m' 'CONFIG_B=y' 'CONFIG_F=y' '' \
	'CONFIG_G=y'
lines f2 'CONFIG_A=y' '# CONFIG_F is not set' 'CONFIG_C="new value"' \
	'CONFIG_H=n'

# 1. Merge
"$MERGE" -o merged base f1 f2 2>merge.err
is "$?" 0 "merge: exit 0"
has merged 'CONFIG_A=y'
ok $? "merge: a later fragment overrides an earlier one (A: m then y)"
has merged 'CONFIG_B=y'
ok $? "merge: a fragment's y replaces the base's '# CONFIG_B is not set'"
has merged '# CONFIG_F is not set'
ok $? "merge: a later '# CONFIG_F is not set' overrides an earlier y"
has merged 'CONFIG_C="new value"'
ok $? "merge: string values are kept as written"
has merged '# CONFIG_H is not set'
ok $? "merge: CONFIG_H=n is written as '# CONFIG_H is not set'"
has merged 'CONFIG_D=m' && has merged 'CONFIG_E=0x10' &&
	has merged '# Automatically generated file'
ok $? "merge: base lines no fragment touches are kept"
dups=$(grep -oE 'CONFIG_[A-Z0-9_]+' merged | sort | uniq -d | tr '\n' ' ')
is "$dups" "" "merge: every option appears once"
is "$(grep -c 'CONFIG_' merged)" 8 "merge: 8 options (5 from the base, 3 new)"
grep -q "f2:1: CONFIG_A: y overrides m from f1:2" merge.err
ok $? "merge: a redefinition is reported with both places ($(head -1 merge.err))"
grep -q "CONFIG_B" merge.err
fails $? "merge: overriding the base is not reported as a redefinition"
"$MERGE" base f1 >stdout.cfg 2>/dev/null
has stdout.cfg 'CONFIG_A=m'
ok $? "merge: without -o the result goes to stdout"
lines nonl.config 'CONFIG_X=y'
printf 'CONFIG_Y=y' >>nonl.config # no newline at the end
"$MERGE" -o m2 /dev/null nonl.config 2>/dev/null && has m2 'CONFIG_Y=y' && has m2 'CONFIG_X=y'
ok $? "merge: an empty base and a last line without a newline"

# 2. Merge errors
cp merged merged.before
"$MERGE" -o merged base f1 missing.config >/dev/null 2>e1
is "$?" 2 "merge: a missing fragment is exit 2"
grep -q "fragment 'missing.config' not found" e1
ok $? "merge: the message names the missing fragment ($(cat e1))"
cmp -s merged merged.before
ok $? "merge: the output is left as it was"
"$MERGE" -o x nobase f1 >/dev/null 2>e2
is "$?" 2 "merge: a missing base is exit 2"
grep -q "base config 'nobase' not found" e2
ok $? "merge: the message names the missing base"
lines bad 'CONFIG_A=y' 'CONFIG_B y'
"$MERGE" -o x base bad >/dev/null 2>e3
is "$?" 2 "merge: a line that is not an assignment is exit 2"
grep -q "bad:2: not a Kconfig assignment" e3
ok $? "merge: the message has file:line ($(cat e3))"
[ ! -e x ]
ok $? "merge: nothing is written on error"
"$MERGE" >/dev/null 2>&1
is "$?" 2 "merge: no arguments is exit 2"

# 3. Check: what olddefconfig kept (good) and what it dropped (bad)
cp merged good.config
"$CHECK" good.config f1 f2 >c1 2>&1
is "$?" 0 "check: every fragment option present: exit 0"
grep -q "all 6 options" c1
ok $? "check: says how many options it checked ($(cat c1))"
# Kconfig dropped G (a dependency missing) and turned F on by select.
grep -v '^CONFIG_G=' good.config | sed 's/^# CONFIG_F is not set$/CONFIG_F=y/' >dropped.config
"$CHECK" dropped.config f1 f2 >/dev/null 2>c2
is "$?" 1 "check: dropped options: exit 1"
grep -qx "CONFIG_G: wanted y, got not set (f1:6)" c2
ok $? "check: names the dropped option, what was wanted and where ($(grep -m1 CONFIG_G c2))"
grep -qx "CONFIG_F: wanted not set, got y (f2:2)" c2
ok $? "check: an option wanted 'not set' that is set is named too"
grep -q "2 of 6 options" c2
ok $? "check: counts the differing options"
sed 's/^CONFIG_C=.*/CONFIG_C="other"/' good.config >str.config
"$CHECK" str.config f1 f2 2>c3 >/dev/null
is "$?" 1 "check: a different string value fails"
grep -qx 'CONFIG_C: wanted "new value", got "other" (f2:3)' c3
ok $? "check: shows both string values"
lines absent 'CONFIG_A=y'
lines wantoff '# CONFIG_Z is not set' 'CONFIG_Y=n'
"$CHECK" absent wantoff >/dev/null 2>&1
is "$?" 0 "check: an option absent from the config counts as not set"
"$CHECK" good.config f1 >/dev/null 2>c4
is "$?" 1 "check: the last fragment decides (f1 alone wants A=m)"
grep -qx "CONFIG_A: wanted m, got y (f1:2)" c4
ok $? "check: names the option of the earlier fragment"

# 4. Check errors
"$CHECK" good.config f1 nope.config >/dev/null 2>e4
is "$?" 2 "check: a missing fragment is exit 2"
grep -q "fragment 'nope.config' not found" e4
ok $? "check: the message names the missing fragment"
"$CHECK" nope/.config f1 >/dev/null 2>e5
is "$?" 2 "check: a missing config is exit 2"
"$CHECK" good.config bad >/dev/null 2>e6
is "$?" 2 "check: a bad fragment line is exit 2"
grep -q "bad:2:" e6
ok $? "check: the message has file:line"

# 5. The shipped fragments parse, and do not contradict each other
frags=("$ROOT"/guest-images/config/*.config)
"$MERGE" /dev/null "${frags[@]}" >shipped.config 2>shipped.err
is "$?" 0 "the fragments in guest-images/config/ parse"
is "$(cat shipped.err)" "" "the shipped fragments do not redefine each other's options"
"$CHECK" shipped.config "${frags[@]}" >/dev/null 2>&1
is "$?" 0 "the shipped fragments merged pass their own check"
for o in CONFIG_ACPI_HOTPLUG_MEMORY=y CONFIG_MEMORY_HOTPLUG=y \
	CONFIG_MEMORY_HOTREMOVE=y CONFIG_SPARSEMEM_VMEMMAP=y \
	CONFIG_MHP_MEMMAP_ON_MEMORY=y CONFIG_NUMA=y CONFIG_ACPI_NUMA=y \
	CONFIG_SERIAL_8250_CONSOLE=y CONFIG_BLK_DEV_INITRD=y CONFIG_RD_GZIP=y \
	CONFIG_DEVTMPFS=y CONFIG_MODULES=y CONFIG_MODULE_UNLOAD=y \
	CONFIG_FUNCTION_GRAPH_TRACER=y CONFIG_DEBUG_FS=y CONFIG_PERF_EVENTS=y; do
	has shipped.config "$o"
	ok $? "the shipped fragments ask for $o"
done

# 6. Against the kernel's own merge_config.sh, when a tree is at hand
ksrc=${KSRC:-$ROOT/guest-images/build/linux-source-6.1}
mc=$ksrc/scripts/kconfig/merge_config.sh
if [ -f "$mc" ]; then
	mkdir -p mc
	cp base mc/.config
	# merge_config.sh keeps CONFIG_H=n as written; compare the rest.
	grep -v CONFIG_H f2 >f2-noh
	sh "$mc" -m -O mc mc/.config f1 f2-noh >mc.out 2>&1
	is "$?" 0 "merge_config.sh -m ran"
	"$MERGE" base f1 f2-noh 2>/dev/null | grep CONFIG_ | sort >ours.sorted
	grep CONFIG_ mc/.config | grep -v '^# Automatically' | sort >theirs.sorted
	diff ours.sorted theirs.sorted >mc.diff
	ok $? "our merge gives the same options as the kernel's merge_config.sh"
	[ -s mc.diff ] && diag <mc.diff
else
	skip "no kernel tree ($mc); make -C guest-images kernel-source" \
		"merge_config.sh -m ran" "our merge gives the same options as the kernel's merge_config.sh"
fi

# 7. The recipe (guest-images/kernel.mk) on a fake kernel tree: a Makefile
# with the targets the recipe calls, whose olddefconfig drops
# CONFIG_DROPME as Kconfig would. Outputs go to BUILD=$res/b.
mkdir -p fake/sub fq badq
lines fake/file.c 'one' 'two' 'three'
lines fake/sub/other.c 'other'
cat >fake/Makefile <<'MK'
O ?= .
tinyconfig:
	@mkdir -p $(O) && printf 'CONFIG_FAKE_BASE=y\n' >$(O)/.config
olddefconfig:
	@sed -i '/^CONFIG_DROPME=/d' $(O)/.config
all:
	@mkdir -p $(O)/arch/x86/boot && cat $(CURDIR)/file.c >$(O)/arch/x86/boot/bzImage
kernelrelease:
	@echo 1.2.3$(LOCALVERSION)
modules_install:
	@mkdir -p $(INSTALL_MOD_PATH)/lib/modules/1.2.3$(LOCALVERSION)
MK
lines fq/0001-two.patch 'From: t <t@t>' 'Subject: [PATCH] two' '---' \
	' file.c | 2 +-' '' '--- a/file.c' '+++ b/file.c' '@@ -1,3 +1,3 @@' \
	' one' '-two' '+TWO' ' three'
lines badq/0001-bad.patch '--- a/file.c' '+++ b/file.c' '@@ -1,3 +1,3 @@' \
	' one' '-deux' '+DEUX' ' three'
lines drop.config 'CONFIG_DROPME=y'
kmake() { make -s --no-print-directory -C "$ROOT/guest-images" kernel \
	BUILD="$res/b" NICE= JOBS=1 "$@"; }
kmake SRC="$res/fake" PATCHES="$res/fq" >k1 2>&1
rc=$?
if grep -q "missing build tools" k1; then
	skip "$(grep -o 'missing build tools: [^;]*' k1)" \
		"recipe builds from a patch queue" "recipe errors"
else
	out=$res/b/kernels/fq
	is "$rc" 0 "recipe: builds the fake tree with a patch queue (LABEL from PATCHES)"
	[ "$rc" -eq 0 ] || diag <k1
	is "$(sed -n 2p "$out/vmlinuz")" TWO "recipe: the patch is in the image"
	is "$(cat "$out/kernel.release" 2>/dev/null)" 1.2.3-fq "recipe: kernel.release ends with the label"
	has "$out/config" CONFIG_FAKE_BASE=y && has "$out/config" CONFIG_MHP_MEMMAP_ON_MEMORY=y
	ok $? "recipe: config is the base merged with our fragments"
	[ -d "$out/lib/modules/1.2.3-fq" ] && [ "$(readlink "$out/build")" = obj ] &&
		[ -s "$out/build.log" ] && grep -q "^patch .*0001-two.patch" "$out/build.info"
	ok $? "recipe: modules, build -> obj, build.log and build.info are there"
	grep -q "built in [0-9]*m[0-9]*s" k1
	ok $? "recipe: prints the elapsed time"
	is "$(sed -n 2p fake/file.c)" two "recipe: the source tree is not patched"
	[ "$(stat -c %i fake/file.c)" != "$(stat -c %i "$out/src/file.c")" ] &&
		[ "$(stat -c %h fake/file.c)" = 1 ] &&
		[ "$(stat -c %i fake/sub/other.c)" = "$(stat -c %i "$out/src/sub/other.c")" ]
	ok $? "recipe: the copy is hard links, and the patched file has its own inode"
	kmake SRC="$res/fake" PATCHES="$res/fq" >k2 2>&1
	is "$?" 0 "recipe: a second run succeeds"
	grep -q "is up to date" k2 && ! grep -q "copying" k2
	ok $? "recipe: a second run does not copy or patch again"
	kmake SRC="$res/fake" LABEL=fq >k3 2>&1
	is "$(sed -n 2p "$out/vmlinuz")" two "recipe: dropping the queue rebuilds without the patch"
	[ "$out/src/file.c" -nt fake/file.c ] &&
		[ "$(stat -c %i fake/file.c)" != "$(stat -c %i "$out/src/file.c")" ]
	ok $? "recipe: the file a dropped patch touched is fresh, so Kbuild recompiles it"

	kmake SRC="$res/nofake" >k4 2>&1
	fails $? "recipe: a missing SRC fails"
	grep -q "SRC '$res/nofake' is not a kernel tree" k4
	ok $? "recipe: the message names SRC ($(grep -o 'kernel: SRC.*tree' k4))"
	kmake SRC="$res/fake" PATCHES="$res/badq" >k5 2>&1
	fails $? "recipe: a patch that does not apply fails"
	grep -q "error: patch $res/badq/0001-bad.patch does not apply" k5
	ok $? "recipe: the message names the patch file"
	is "$(sed -n 2p fake/file.c)" two "recipe: a failed patch leaves the source alone"
	kmake SRC="$res/fake" CONFIG="$res/nope.config" >k6 2>&1
	fails $? "recipe: a missing CONFIG fragment fails"
	grep -q "config fragment '$res/nope.config' not found" k6
	ok $? "recipe: the message names the fragment"
	kmake SRC="$res/fake" CONFIG="$res/drop.config" LABEL=drop >k7 2>&1
	fails $? "recipe: an option Kconfig dropped fails the build"
	grep -q "CONFIG_DROPME: wanted y, got not set ($res/drop.config:1)" k7 &&
		[ ! -e "$res/b/kernels/drop/vmlinuz" ]
	ok $? "recipe: names the dropped option, and builds nothing"
fi

cd / || exit 1
is "$(tmp_left)" 0 "no temporary file left in TMPDIR"
done_testing
