#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `mhpbench export --format kcidb` on a real run (selfhost.job: 128M, both
# modes, one cycle a mode) and on its gate result: the output validates
# against KCIDB's v5.3 schema (tests/data/kcidb/, Draft 7, with
# python3-jsonschema), and the validator does fail on a broken copy; each
# cell's median is a DONE test with its number, each gate verdict a
# PASS/FAIL/SKIP test; ids are ORIGIN:...; bad input is exit 10 or 2 with
# a clear message (README, "Exit codes").
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"
R="$res/runs"
SCHEMA="$ROOT/tests/data/kcidb/kcidb-io.schema.v5.3.json"

# validate FILE: the schema's errors, one a line (none: valid); exit 0
# when valid, 1 when not. Debian's python3, whose jsonschema is
# python3-jsonschema's, whatever python3 comes first on PATH.
validate() {
	/usr/bin/python3 - "$SCHEMA" "$1" <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
data = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
errs = list(v.iter_errors(data))
for e in errs[:20]:
    print("/".join(str(p) for p in e.absolute_path), e.message[:200])
sys.exit(1 if errs else 0)
EOF
}

"$MHP" run --results "$R" "$ROOT/tests/jobs/selfhost.job" >/dev/null 2>"$res/err"
is $? 0 "run exits 0" || tail -20 "$res/err" | diag
run=$(readlink -f "$R/latest")
id=$(json "$run/manifest.json" '$j->{run_id}')
kernel=$(csvawk '{ print f("kernel") }' "$run/samples.csv" | sort -u)

# --- the run alone ----------------------------------------------------------
"$MHP" export --format kcidb -o "$res/k.json" "$run" 2>"$res/err"
is $? 0 "export exits 0" || diag <"$res/err"
validate "$res/k.json" >"$res/v" 2>&1
ok $? "the export validates against KCIDB's v5.3 schema" || diag <"$res/v"
is "$(json "$res/k.json" '"$j->{version}{major}.$j->{version}{minor}"')" 5.3 "version 5.3"
is "$(json "$res/k.json" 'scalar @{$j->{checkouts}}') $(json "$res/k.json" 'scalar @{$j->{builds}}')" "1 1" \
	"one kernel: one checkout and one build"
is "$(json "$res/k.json" '$j->{builds}[0]{id}')" "mhpbench:$id/$kernel" "the build's id is origin:run/kernel"
is "$(json "$res/k.json" '$j->{builds}[0]{checkout_id}')" "$(json "$res/k.json" '$j->{checkouts}[0]{id}')" \
	"the build names its checkout"
cells=$(json "$run/summary.json" 'scalar @{$j->{cells}}')
is "$(json "$res/k.json" 'scalar grep { $_->{status} eq "DONE" } @{$j->{tests}}')" "$cells" \
	"a DONE test for each of the summary's $cells cells"
is "$(json "$res/k.json" 'scalar grep { $_->{path} =~ /^mhpbench\.gate/ } @{$j->{tests}}')" 0 \
	"no gate result, no gate tests"
is "$(json "$res/k.json" 'scalar grep { $_->{id} !~ /^mhpbench:/ || $_->{build_id} ne $j->{builds}[0]{id} } @{$j->{tests}}')" 0 \
	"every test's id is mhpbench:..., on the build"
# The number of a cell: the median of its samples, in KCIDB's units.
p=mhpbench.tcg.block-128M.ram.dimm-128M.add.guest.memmap_from_ram_kib
want=$(metric "$run/samples.csv" ram add memmap_from_ram_kib guest | median)
is "$(json "$res/k.json" "join ' ', map { \"\$_->{number}{value} \$_->{number}{unit} \$_->{number}{prefix}\" } grep { \$_->{path} eq '$p' } @{\$j->{tests}}")" \
	"$(awk -v m="$want" 'BEGIN { print m * 1024 }') B binary" "$p: the median ($want KiB) in bytes, binary prefix"
p=mhpbench.tcg.block-128M.self.dimm-128M.online.host.latency_ns
want=$(metric "$run/samples.csv" self online latency_ns host | median)
got=$(json "$res/k.json" "join ' ', map { \"\$_->{number}{value} \$_->{number}{unit} \$_->{number}{prefix}\" } grep { \$_->{path} eq '$p' } @{\$j->{tests}}")
awk -v g="${got%% *}" -v w="$want" 'BEGIN { d = g * 1e9 - w; exit !(d < 1 && d > -1) }' &&
	[ "${got#* }" = "s metric" ]
ok $? "$p: the median ($want ns) in seconds, metric prefix ($got)"

# stdout is the same JSON.
"$MHP" export --format kcidb "$run" >"$res/k2.json" 2>/dev/null
cmp -s "$res/k.json" "$res/k2.json"
ok $? "without -o the same JSON goes to stdout"

# --- the validator can fail ---------------------------------------------------
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); $j->{tests}[0]{status} = "MAYBE";
	$j->{builds}[0]{id} = "no origin"; print encode_json($j)' <"$res/k.json" >"$res/bad.json"
validate "$res/bad.json" >"$res/v" 2>&1
is $? 1 "a broken copy (status MAYBE, an id without origin) does not validate"
grep -q "MAYBE" "$res/v" && grep -q "no origin" "$res/v"
ok $? "the validator names both" || diag <"$res/v"

# --- with a gate result -------------------------------------------------------
"$MHP" gate --baseline "$run" --candidate "$run" --out "$res/g" >"$res/g.out" 2>&1
rc=$?
ok $([ $rc -eq 0 ] || [ $rc -eq 9 ]; echo $?) "gate of the run against itself exits 0 or 9 (one boot a side): $rc"
"$MHP" export --format kcidb --gate "$res/g/gate.json" --origin my_lab -o "$res/kg.json" "$run" 2>"$res/err"
is $? 0 "export --gate --origin my_lab exits 0" || diag <"$res/err"
validate "$res/kg.json" >"$res/v" 2>&1
ok $? "it validates" || diag <"$res/v"
rows=$(json "$res/g/gate.json" 'scalar @{$j->{rows}} + scalar @{$j->{missing}}')
is "$(json "$res/kg.json" 'scalar grep { $_->{path} =~ /^mhpbench\.gate\./ } @{$j->{tests}}')" "$rows" \
	"a gate test for each of the gate's $rows verdicts"
is "$(json "$res/kg.json" 'scalar grep { $_->{id} !~ /^my_lab:/ || $_->{origin} ne "my_lab" } @{$j->{tests}}, @{$j->{builds}}, @{$j->{checkouts}}')" 0 \
	"every id is my_lab:..., every origin my_lab"
# same -> PASS, inconclusive -> SKIP, as gate-junit.xml marks them
for v in same:PASS inconclusive:SKIP; do
	n=$(json "$res/g/gate.json" "scalar grep { \$_->{verdict} eq '${v%:*}' } @{\$j->{rows}}")
	is "$(json "$res/kg.json" "scalar grep { \$_->{path} =~ /^mhpbench\.gate\./ && \$_->{status} eq '${v#*:}' } @{\$j->{tests}}")" \
		"$n" "${v%:*} verdicts ($n) are ${v#*:}"
done
st=$(json "$res/g/gate.json" '$j->{verdict}')
want=$([ "$st" = pass ] && echo PASS || echo SKIP)
is "$(json "$res/kg.json" 'join " ", map { $_->{status} } grep { $_->{path} eq "mhpbench.gate" } @{$j->{tests}}')" "$want" \
	"the gate as a whole ($st) is one test, $want"
json "$res/kg.json" 'join "\n", map { $_->{comment} } grep { $_->{path} =~ /^mhpbench\.gate\./ } @{$j->{tests}}' >"$res/reasons"
json "$res/g/gate.json" 'join "\n", map { $_->{reason} } @{$j->{rows}}' | cmp -s - "$res/reasons"
ok $? "each gate test's comment is the gate's reason"
# A regression is a FAIL: the same gate.json with its first row's
# verdict made a regression.
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); $j->{rows}[0]{verdict} = "regression";
	$j->{verdict} = "regression"; print encode_json($j)' <"$res/g/gate.json" >"$res/g/reg.json"
"$MHP" export --format kcidb --gate "$res/g/reg.json" -o "$res/kr.json" "$run" 2>"$res/err"
is $? 0 "export with a regression exits 0" || diag <"$res/err"
is "$(json "$res/kr.json" 'scalar grep { $_->{status} eq "FAIL" } @{$j->{tests}}')" 2 \
	"the regression and the whole gate are FAIL"
validate "$res/kr.json" >/dev/null 2>&1
ok $? "it validates"
# RUN/gate.json is taken when --gate is not given.
cp "$res/g/gate.json" "$run/gate.json"
"$MHP" export --format kcidb "$run" 2>/dev/null >"$res/kd.json"
is "$(json "$res/kd.json" 'scalar grep { $_->{path} =~ /^mhpbench\.gate/ } @{$j->{tests}}')" "$((rows + 1))" \
	"RUN/gate.json is exported without --gate"
rm "$run/gate.json"

# --- bad input ------------------------------------------------------------------
bad() { # bad WANT-EXIT MESSAGE-REGEX DESCRIPTION ARGS...
	local want=$1 re=$2 d=$3
	shift 3
	"$MHP" export "$@" >"$res/out" 2>"$res/err"
	is $? "$want" "$d: exit $want"
	grep -Eq -e "$re" "$res/err"
	ok $? "$d: says why ($(head -1 "$res/err"))"
	is "$(wc -c <"$res/out")" 0 "$d: writes nothing on stdout"
}
bad 10 "no run $res/nope: No such file" "no such run" --format kcidb "$res/nope"
bad 2 "unknown format 'junit' \(kcidb is the one there is\)" "unknown format" --format junit "$run"
bad 2 "--origin 'My-Lab': KCIDB origins are \[a-z0-9_\]\+" "bad origin" --format kcidb --origin My-Lab "$run"
bad 2 "expected one RUN" "no RUN" --format kcidb
cp -r "$run" "$res/inc"
perl -MJSON::PP -i -0pe '$j = decode_json($_); $j->{status} = "incomplete";
	$j->{reason} = "guest died"; $_ = encode_json($j)' "$res/inc/manifest.json"
bad 10 "the run is incomplete \(guest died\): not exported" "incomplete run" --format kcidb "$res/inc"
echo '{"rows": [' >"$res/g/broken.json"
bad 10 "broken.json:[0-9]+: " "corrupt gate file" --format kcidb --gate "$res/g/broken.json" "$run"
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); $j->{candidate}{run_id} = "other";
	print encode_json($j)' <"$res/g/gate.json" >"$res/g/other.json"
bad 10 "the gate result is about run 'other', not this run \($id\)" "gate of another run" \
	--format kcidb --gate "$res/g/other.json" "$run"
"$MHP" export --format kcidb -o "$res/no/such/dir/k.json" "$run" 2>"$res/err"
is $? 8 "an output that cannot be written: exit 8"
grep -q "cannot write $res/no/such/dir/k.json: No such file or directory" "$res/err"
ok $? "... naming it"

is "$(tmp_left)" 0 "no temporary file left behind"
done_testing
