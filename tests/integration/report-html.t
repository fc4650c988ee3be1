#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `mhpbench report --html` on a real run (selfhost.job: 128M, both modes),
# gated against itself, with the history the run was appended to, loaded
# in a real browser (Debian's chromium, headless): every table and plot
# the run has is in the DOM, there is no console error (and the check does
# see one that a broken copy makes), nothing loads from outside, the page
# fits a phone's width, and what came from files is escaped. Screenshots
# (phone and wide), the page and a print PDF are kept in
# build/test-artifacts/report-html/ (README, "Tests").
. "$(dirname "$0")/lib.sh"
set -u
command -v chromium >/dev/null || skip_all "chromium is not installed (scripts/deps.sh installs it)"
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"
R="$res/runs"
ART="$ROOT/build/test-artifacts/report-html"
mkdir -p "$ART"

# chromium ARGS...: headless, as root (no sandbox), with a profile of its
# own that goes with $res; its log (console messages included) in
# $res/chromium.log.
chromium_run() {
	local prof
	prof=$(mktemp -d "$res/profile.XXXXXX")
	chromium --headless=new --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$prof" --enable-logging=stderr --v=0 "$@" \
		2>"$res/chromium.log"
	local rc=$?
	rm -rf "$prof"
	return $rc
}
# console_errors: the console messages of the last load, one a line.
console_errors() { grep ':CONSOLE' "$res/chromium.log"; }
# dom FILE WIDTH: the DOM after load at WIDTH x 844 into $res/dom.
dom() { chromium_run --window-size="$2",844 --dump-dom "file://$1" >"$res/dom"; }
count() { grep -o "$1" "$2" | wc -l; }

"$MHP" run --results "$R" "$ROOT/tests/jobs/selfhost.job" >/dev/null 2>"$res/err"
is $? 0 "run exits 0" || tail -20 "$res/err" | diag
run=$(readlink -f "$R/latest")
"$MHP" gate --baseline "$run" --candidate "$run" >"$res/gate.out" 2>&1
rc=$?
ok $([ $rc -eq 0 ] || [ $rc -eq 9 ]; echo $?) "gate of the run against itself writes RUN/gate.json ($rc)"

t0=$(date +%s.%N)
"$MHP" report --html --results "$R" -o "$res/report.html" "$run" 2>"$res/err"
is $? 0 "report --html exits 0" || diag <"$res/err"
t1=$(date +%s.%N)
cp "$res/report.html" "$ART/report.html"
echo "# page: $(wc -c <"$res/report.html") bytes, written in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"

# What the run has: the text report's tables, the plots `mhpbench plot`
# makes of it, the gate, the history's trend.
"$MHP" report "$run" >"$res/text"
nlat=$(grep -c '^Latency per phase' "$res/text")
nplace=$(grep -c '^Memmap placement' "$res/text")
"$MHP" plot --format svg --results "$R" "$run" >/dev/null 2>&1
nsvg=$(ls "$run"/plots/*.svg | wc -l)
ok $([ -f "$run/plots/trend.svg" ]; echo $?) "the history (RESULTS/history.db) gives a trend plot"
ntab=$((1 + nlat + nplace + 1 + 1)) # provenance, latency, placement, gate, trend
is "$(count '<table' "$res/report.html")" "$ntab" "the page has $ntab tables: provenance, $nlat latency, $nplace placement, gate, trend"
is "$(count '<svg' "$res/report.html")" "$nsvg" "the page has the $nsvg plots inline"

# --- self-contained ------------------------------------------------------------
grep -Eiq '<script|<link|<img|<iframe|@import|(src|href)="?(https?:|//)|url\((https?:|//)' "$res/report.html"
is $? 1 "no script and nothing that loads from outside"
grep -q '<meta name="viewport" content="width=device-width' "$res/report.html" &&
	grep -q '@media print' "$res/report.html" && grep -q '\.scroll{overflow-x:auto' "$res/report.html"
ok $? "viewport meta, print stylesheet, tables in horizontal scrollers"

# --- in the browser --------------------------------------------------------------
dom "$res/report.html" 390
is $? 0 "chromium loads the page"
is "$(count '<table' "$res/dom")" "$ntab" "the DOM has the $ntab tables"
is "$(count '<svg' "$res/dom")" "$nsvg" "the DOM has the $nsvg SVG plots"
is "$(count '<figure class="plot"' "$res/dom")" "$nsvg" "... each in its figure"
is "$(count '<table class="latency"' "$res/dom") $(count '<table class="placement"' "$res/dom") $(count '<table class="gate"' "$res/dom") $(count '<table class="trend"' "$res/dom")" \
	"$nlat $nplace 1 1" "latency, placement, gate and trend tables"
nrows=$(json "$run/gate.json" 'scalar @{$j->{rows}} + scalar @{$j->{missing}}')
is "$(sed -n '/<table class="gate"/,/<\/table>/p' "$res/dom" | count '<td class="why">' -)" "$nrows" \
	"a gate row with its reason for each of the $nrows verdicts"
reason=$(json "$run/gate.json" '$j->{rows}[0]{reason}' | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' | cut -c1-60)
grep -qF "$reason" "$res/dom"
ok $? "the gate's first reason is on the page ($reason...)"
grep -qF "$(json "$run/manifest.json" '$j->{mhpbench}{git_rev}')" "$res/dom" &&
	grep -qF "$(json "$run/manifest.json" '$j->{qemu}{version}' | sed 's/&/\&amp;/g')" "$res/dom"
ok $? "provenance: the git revision and the QEMU version from manifest.json"
console_errors >"$res/console"
is "$(wc -l <"$res/console")" 0 "no console error or warning" || diag <"$res/console"

# inject FILE HEAD BODY: FILE with its Content-Security-Policy meta made
# HEAD and BODY put before </body>, on stdout.
inject() { HEAD=$2 BODY=$3 perl -pe 's|<meta http-equiv="Content-Security-Policy"[^>]*>|$ENV{HEAD}|;
	s|</body>|$ENV{BODY}</body>|' "$1"; }

# The check sees an error: a copy whose policy allows script but no
# image, with a script that throws and an image from outside.
inject "$res/report.html" "<meta http-equiv=\"Content-Security-Policy\" content=\"img-src 'none'\">" \
	'<img src="http://192.0.2.1/x.png" alt=""><script>throw new Error("report-html.t boom")</script>' >"$res/bad.html"
dom "$res/bad.html" 390
console_errors | grep -q 'Uncaught Error: report-html.t boom'
ok $? "a JS error in a broken copy is caught" || diag <"$res/chromium.log"
console_errors | grep -q 'Content Security Policy'
ok $? "an outside resource in a broken copy is refused and caught" || diag <"$res/chromium.log"

# On a phone nothing is wider than the screen: the tables scroll inside
# their boxes, the plots shrink. Headless chromium's window is at least
# 500 CSS px wide whatever --window-size says, so a copy lays the page
# out 390 px wide (the phone's width; below 600 px the phone styles
# apply) and measures the right edge of everything outside the
# scrollers; the page has no script of its own.
inject "$res/report.html" '<style>html{width:390px}</style>' '<script>
document.title = "right " + Math.round(Math.max(...[...document.querySelectorAll("body *")]
	.filter(e => !e.closest(".scroll *") && !e.closest("svg *"))
	.map(e => e.getBoundingClientRect().right))) + " svgmax " +
	Math.max(...[...document.querySelectorAll("svg")].map(s => Math.round(s.getBoundingClientRect().width)))
</script>' >"$res/measure.html"
dom "$res/measure.html" 390
t=$(sed -n 's|.*<title>\(right [^<]*\)</title>.*|\1|p' "$res/dom")
r=$(echo "$t" | awk '{ print $2 }')
s=$(echo "$t" | awk '{ print $4 }')
ok $([ -n "$r" ] && [ "$r" -le 390 ] && [ "$s" -le 390 ] && [ "$s" -gt 100 ]; echo $?) \
	"at 390 px nothing but the tables' scrollers' content is wider than the screen ($t)"
# ... and the check fails when a table is taken out of its scroller
inject "$res/measure.html" '' '<style>.scroll{overflow:visible}</style>' |
	sed 's|class="scroll"|class="noscroll"|' >"$res/measure2.html"
dom "$res/measure2.html" 390
t=$(sed -n 's|.*<title>\(right [^<]*\)</title>.*|\1|p' "$res/dom")
r=$(echo "$t" | awk '{ print $2 }')
ok $([ -n "$r" ] && [ "$r" -gt 390 ]; echo $?) "... which a copy without the scrollers fails ($t)"

# --- kept: screenshots and a print PDF -----------------------------------------
rm -f "$ART"/*.png "$ART"/*.pdf
chromium_run --window-size=390,844 --screenshot="$ART/phone.png" "file://$res/report.html" >/dev/null
chromium_run --window-size=1280,900 --screenshot="$ART/wide.png" "file://$res/report.html" >/dev/null
chromium_run --no-pdf-header-footer --print-to-pdf="$ART/report.pdf" "file://$res/report.html" >/dev/null
# png_size FILE: "WIDTH HEIGHT" from the PNG's header.
png_size() { perl -e 'open my $f, "<:raw", $ARGV[0] or exit 1; read $f, my $b, 24;
	substr($b, 1, 3) eq "PNG" or exit 1; print join " ", unpack "x16 N N", $b' "$1"; }
is "$(png_size "$ART/phone.png")" "390 844" "phone screenshot kept: $ART/phone.png"
is "$(png_size "$ART/wide.png")" "1280 900" "wide screenshot kept: $ART/wide.png"
[ "$(head -c 5 "$ART/report.pdf")" = "%PDF-" ]
ok $? "print PDF kept: $ART/report.pdf ($(wc -c <"$ART/report.pdf") bytes)"

# --- escaping ------------------------------------------------------------------------
# A copy whose manifest and kernel label carry markup: it shows as text.
cp -rL "$run" "$res/hostile"
rm -rf "$res/hostile/plots" "$res/hostile/gate.json"
perl -MJSON::PP -i -0pe '$j = decode_json($_); $j->{job}{description} = "<script>alert(1)</script>";
	push @{$j->{warnings}}, "<img src=x onerror=alert(2)> & co"; $_ = encode_json($j)' "$res/hostile/manifest.json"
perl -pi -e 's/^([^,]*),[^,]*,/$1,<b>k<\/b>&x,/ if $. > 1' "$res/hostile/samples.csv"
"$MHP" report --html -o "$res/hostile.html" "$res/hostile" 2>"$res/err"
is $? 0 "report --html of a run with markup in its files exits 0" || diag <"$res/err"
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$res/hostile.html" &&
	grep -qF '&lt;img src=x onerror=alert(2)&gt; &amp; co' "$res/hostile.html" &&
	grep -qF '&lt;b&gt;k&lt;/b&gt;&amp;x' "$res/hostile.html"
ok $? "the description, the warning and the kernel label are escaped"
dom "$res/hostile.html" 1280
is "$(count '<script\|<img\|<b>' "$res/dom")" 0 "the DOM has no script, img or b element from them"
is "$(count '<svg' "$res/dom")" "$(count '<figure class="plot"' "$res/dom")" "its plots are inline as well"
console_errors >"$res/console"
is "$(wc -l <"$res/console")" 0 "no console error" || diag <"$res/console"

# --- bad input -------------------------------------------------------------------------
"$MHP" report --html -o "$res/x.html" "$res/nope" 2>"$res/err"
is $? 10 "no such run: exit 10"
grep -q "no run $res/nope: No such file or directory" "$res/err"
ok $? "... saying so"
echo '{' >"$res/hostile/manifest.json"
"$MHP" report --html -o "$res/x.html" "$res/hostile" 2>"$res/err"
is $? 10 "a corrupt manifest: exit 10 ($(head -1 "$res/err"))"
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); $j->{candidate}{run_id} = "other";
	print encode_json($j)' <"$run/gate.json" >"$res/other.json"
"$MHP" report --html --gate "$res/other.json" -o "$res/x.html" "$run" 2>"$res/err"
is $? 10 "a gate result about another run: exit 10"
grep -q "is about run 'other', not" "$res/err"
ok $? "... saying so"
"$MHP" report -o "$res/x.html" "$run" 2>"$res/err"
is $? 2 "-o without --html: exit 2"
ok $([ ! -e "$res/x.html" ]; echo $?) "no page written on bad input"

is "$(tmp_left)" 0 "no temporary file left behind (the plots' directory removed)"
done_testing
