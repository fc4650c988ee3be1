#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The history in PostgreSQL (README, "A lab of many hosts") against a real
# server started here: Debian's PostgreSQL 15 (initdb, pg_ctl) in a
# temporary directory, on a Unix socket only (listen_addresses=''), with a
# password, run as nobody when the test runs as root (initdb refuses
# root). On it: the history unit tests; append, list, trend and gate
# --baseline history on recorded runs (tests/data/runs), giving what the
# SQLite back end gives; testbeds kept apart; 16 appends from processes at
# once; an old SQLite history imported; and the bad cases (no server, a
# wrong password, another schema version, the server stopped mid-append),
# each exit 10 with the server named and the password never printed. The
# server is stopped and its directory removed at the end.
. "$(dirname "$0")/lib.sh"
set -u
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] && [ -x "$PGBIN/psql" ] ||
	skip_all "no PostgreSQL 15 at $PGBIN (Debian package postgresql, scripts/deps.sh)"
res=$(mktemp -d)
# Outside $res (mode 700, root's) so that the server's user can reach it,
# and short: a socket path has at most 107 bytes.
pgd=$(mktemp -d /tmp/mhp-pg.XXXXXX)
pw="pw-$$-$RANDOM"
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}
pg_start() { as_pg "$PGBIN/pg_ctl" -D "$pgd/data" -l "$pgd/log" -w -o "-c listen_addresses='' -k $pgd" start >/dev/null; }
pg_stop() { [ -f "$pgd/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$pgd/data" -m "${1:-fast}" -w stop >/dev/null; }
cleanup() {
	pg_stop
	[ -n "${lockpid:-}" ] && kill "$lockpid" 2>/dev/null
	rm -rf "$res" "$pgd"
}
trap cleanup EXIT
private_tmp "$res"
uri() { echo "postgresql://mhp:${2:-$pw}@/$1?host=$pgd"; }
q() { "$PGBIN/psql" -X -qAt "$(uri "$1")" -c "$2"; }

[ "$(id -u)" = 0 ] && chown nobody:nogroup "$pgd"
printf '%s\n' "$pw" >"$pgd/pw"
[ "$(id -u)" = 0 ] && chown nobody "$pgd/pw"
as_pg "$PGBIN/initdb" -D "$pgd/data" -U mhp --pwfile="$pgd/pw" -N \
	--auth-local=scram-sha-256 --auth-host=reject --no-locale -E UTF8 >"$res/initdb" 2>&1 &&
	pg_start
ok $? "a PostgreSQL server starts on a Unix socket, with a password" || {
	diag <"$res/initdb"
	diag <"$pgd/log"
	done_testing
	exit
}
for d in unit h conc ver mid imp; do q postgres "CREATE DATABASE $d"; done

# --- the unit tests again, on PostgreSQL -----------------------------------
MHPBENCH_TEST_HISTORY=$(uri unit) "$ROOT/build/tests/test_history.t" >"$res/unit" 2>&1
ok $? "test_history passes against PostgreSQL" || diag <"$res/unit"

# --- recorded runs (tests/data/runs: four complete runs of two boots a
# mode, one with a 1.5 ms online delay injected, and one interrupted) ----
# The trials wrote one job file per run; the history keys baselines by
# job, so the copies name one.
R="$res/runs"
mkdir -p "$R"
cp -r "$ROOT"/tests/data/runs/* "$R/"
setjson() { # setjson MANIFEST PERL-STATEMENT
	perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; my $j = decode_json(<$f>);
		eval $ARGV[1]; die $@ if $@; open $f, ">", $ARGV[0] or die; print $f JSON::PP->new->canonical->encode($j)' "$1" "$2"
}
for r in "$R"/*; do setjson "$r/manifest.json" '$j->{job}{path} = "bench/trial.job"'; done
R0="$R/20261207-013905-R0" R1="$R/20261207-013945-R1" D1="$R/20261207-014025-D1"
R2="$R/20261207-014104-R2" R3="$R/20261207-014215-R3"
sum_before=$(cat "$R1"/* | md5sum)

S="$res/h.db" P=$(uri h)
for h in "$S" "$P"; do
	be=$([ "$h" = "$S" ] && echo sqlite || echo postgresql)
	t0=$(date +%s%N)
	for r in "$R0" "$R1" "$D1" "$R2" "$R3"; do
		"$MHP" history --history "$h" --append "$r" >"$res/out" 2>&1 || { diag <"$res/out"; false; }
	done
	ok $? "$be: five recorded runs appended"
	t1=$(date +%s%N)
	echo "# $be: 5 appends of 444 samples (111 for R3), $(((t1 - t0) / 5000000)) ms each on average"
done
grep -q "to postgresql://mhp@/h?host=$pgd\$" "$res/out" && ! grep -q "$pw" "$res/out"
ok $? "the append names the database without the password"
"$MHP" history --history "$S" --list >"$res/list.s" && "$MHP" history --history "$P" --list >"$res/list.p"
ok $? "both back ends list"
cmp -s "$res/list.s" "$res/list.p"
ok $? "... the same runs" || diff "$res/list.s" "$res/list.p" | diag
is "$(grep -c ' vm  *complete ' "$res/list.p")/$(grep -c ' vm  *incomplete ' "$res/list.p")" 4/1 \
	"four complete runs and an incomplete one, of testbed vm"
MHPBENCH_HISTORY=$P "$MHP" history --format csv --by run >"$res/trend.p" &&
	"$MHP" history --history "$S" --format csv --by run >"$res/trend.s"
ok $? "the trend reads from both (PostgreSQL chosen by MHPBENCH_HISTORY)"
cmp -s "$res/trend.s" "$res/trend.p"
ok $? "... the same trend, to the last digit" || diff "$res/trend.s" "$res/trend.p" | diag
is "$(csvawk '$1 == "ram" && f("injected") == 1 { print f("run") }' "$res/trend.p")" 20261207-014025-D1 \
	"the ram trend marks the injected run"
for h in "$S" "$P"; do
	"$MHP" gate --history "$h" --baseline history --candidate "$D1" --out "$res/gd" >"$res/gd.out" 2>&1
	echo $? >>"$res/gd.rc"
	grep -q 'history: 2 runs 20261207-013905-R0..20261207-013945-R1' "$res/gd.out" && echo ok >>"$res/gd.base"
	"$MHP" gate --history "$h" --baseline history --candidate "$R2" --out "$res/gr" >/dev/null 2>&1
	echo $? >>"$res/gr.rc"
done
is "$(xargs <"$res/gd.rc")" "1 1" "gate D1 (1.5 ms injected) against the history: regression on both"
is "$(xargs <"$res/gd.base")" "ok ok" "... the baseline: R0, R1 (not D1 itself, not R2 and R3: they started after it)"
grep -Eq "online +guest latency vms .*REGRESSION" "$res/gd.out"
ok $? "... online guest latency the regression" || diag <"$res/gd.out"
rc=$(xargs <"$res/gr.rc")
ok $([ "$rc" = "0 0" ] || [ "$rc" = "9 9" ]; echo $?) "gate R2 against the history: the same verdict on both, no regression ($rc)"

# A run appended again replaces it.
"$MHP" history --history "$P" --append "$R0" >/dev/null
is "$(q h "SELECT count(*), count(DISTINCT seq) FROM samples WHERE run_id = '20261207-013905-R0'")" "444|444" \
	"appended again, R0 still has its 444 samples once"

# --- testbeds -------------------------------------------------------------
# R2 as recorded on another host (same run id) and R1 as a run of it.
for r in R1 R2; do
	cp -r "$R/"*-$r "$res/B-$r"
	setjson "$res/B-$r/manifest.json" '$j->{testbed} = "hostB"'
	"$MHP" history --history "$P" --append "$res/B-$r" >/dev/null
done
is "$(grep -c '^20261207-014104-R2 ' <("$MHP" history --history "$P" --list))" 2 \
	"one run id on two testbeds is two runs"
"$MHP" history --history "$P" >"$res/fleet"
is "$(grep -c '^testbed ' "$res/fleet")" 4 "the fleet's trend: a line per testbed and mode (vm, hostB x ram, self)"
"$MHP" history --history "$P" --testbed hostB --by run >"$res/tbB"
ok $(grep -q '^testbed hostB' "$res/tbB" && ! grep -q '^testbed vm' "$res/tbB"; echo $?) "--testbed hostB: hostB's trend only"
"$MHP" gate --history "$P" --baseline history --candidate "$res/B-R2" --out "$res/gb" >"$res/gb.out" 2>&1
grep -q 'history: 1 run 20261207-013945-R1$' "$res/gb.out" || grep -q 'history: 1 run 20261207-013945-R1 ' "$res/gb.out"
ok $? "a hostB candidate's baseline is hostB's run only" || diag <"$res/gb.out"
"$MHP" history --history "$P" --testbed nosuch >/dev/null 2>"$res/e"
is $? 10 "a trend of an unknown testbed: 10"

# --- concurrency: 8 distinct runs and 8 appends of one, at once ----------
C=$(uri conc)
for i in 1 2 3 4 5 6 7 8; do
	c="$res/c/conc-$i"
	mkdir -p "$c"
	cp "$R0/manifest.json" "$c/"
	sed "2,\$ s/^20261207-013905-R0,/conc-$i,/" "$R0/samples.csv" >"$c/samples.csv"
	setjson "$c/manifest.json" "\$j->{run_id} = 'conc-$i'"
done
conc_test() { # conc_test LOCATION NAME
	local h=$1 n=0 bad t0 t1
	rm -f "$res/c.rc" "$res/c.list" "$res/c.err"
	# a reader lists while the appends run: no run may show part of its samples
	(for _ in $(seq 20); do "$MHP" history --history "$h" --list 2>/dev/null >>"$res/c.list"; done) &
	local reader=$!
	t0=$(date +%s%N)
	for i in 1 2 3 4 5 6 7 8; do
		("$MHP" history --history "$h" --append "$res/c/conc-$i" >/dev/null 2>>"$res/c.err"; echo $? >>"$res/c.rc") &
		("$MHP" history --history "$h" --append "$res/c/conc-1" >/dev/null 2>>"$res/c.err"; echo $? >>"$res/c.rc") &
	done
	wait $(jobs -p | grep -v "^$reader\$")
	t1=$(date +%s%N)
	wait "$reader"
	is "$(sort "$res/c.rc" | uniq -c | xargs)" "16 0" "$2: 16 appends at once all exit 0"
	[ -s "$res/c.err" ] && sort "$res/c.err" | uniq -c | diag
	echo "# $2: 16 concurrent appends of 444 samples took $(((t1 - t0) / 1000000)) ms"
	bad=$(awk '$1 ~ /^conc-/ && $NF != 444' "$res/c.list" | wc -l)
	n=$(grep -c '^conc-' "$res/c.list")
	is "$bad" 0 "$2: a reader listing meanwhile saw $n runs, each whole (444 samples)"
}
conc_test "$C" postgresql
is "$(q conc "SELECT count(*) FROM runs")/$(q conc "SELECT count(*) FROM samples")" "8/$((8 * 444))" \
	"postgresql: 8 runs, 8 x 444 samples: none lost, none doubled"
is "$(q conc "SELECT count(*) FROM (SELECT run_id FROM samples GROUP BY run_id HAVING count(*) <> 444 OR count(DISTINCT seq) <> 444) x")" 0 \
	"postgresql: every run has each of its samples once"
conc_test "$res/conc.db" sqlite
is "$("$MHP" history --history "$res/conc.db" --list | grep -c ' 444$')" 8 "sqlite: 8 runs of 444 samples"

# --- an old SQLite history imported ----------------------------------------
# The schema of the first mhpbench (version 1), as the trials' history was,
# filled from the recorded runs.
old="$res/old.db"
{
	echo "CREATE TABLE runs (run_id TEXT PRIMARY KEY, dir TEXT, started_utc TEXT, night TEXT, status TEXT NOT NULL, kernel TEXT, accel TEXT, block_mib INTEGER, git_rev TEXT, inject_online_delay_ms INTEGER, appended_utc TEXT, manifest TEXT NOT NULL);"
	echo "CREATE TABLE samples (run_id TEXT NOT NULL REFERENCES runs(run_id), kernel TEXT, accel TEXT, memmap TEXT, block_mib INTEGER, dimm_mib INTEGER, node INTEGER, rep INTEGER, phase TEXT, view TEXT, metric TEXT, value REAL, unit TEXT, boot INTEGER, cycle INTEGER, warmup INTEGER, block INTEGER, target_mib INTEGER);"
	echo "PRAGMA user_version = 1;"
	for r in "$R0" "$R1" "$D1" "$R2" "$R3"; do
		echo ".import --csv $r/samples.csv s"
		echo "INSERT INTO samples SELECT run_id, kernel, accel, memmap, block_mib, dimm_mib, node, rep, phase, view, metric, value, unit, boot, cycle, warmup, block, target_mib FROM s; DROP TABLE s;"
		echo "INSERT INTO runs SELECT json_extract(m, '\$.run_id'), '$r', json_extract(m, '\$.started_utc'), substr(json_extract(m, '\$.started_utc'), 1, 10), json_extract(m, '\$.status'), '6.1.0-57-amd64', json_extract(m, '\$.accel.used'), 128, json_extract(m, '\$.mhpbench.git_rev'), (coalesce(json_extract(m, '\$.injected.online_delay_us'), 0) + 999) / 1000, '', m FROM (SELECT CAST(readfile('$r/manifest.json') AS TEXT) AS m);"
	done
} >"$res/old.sql"
sqlite3 -bail "$old" <"$res/old.sql" && [ "$(sqlite3 "$old" "SELECT count(*) FROM samples")" = $((4 * 444 + 111)) ]
ok $? "an old (schema 1) SQLite history of the five runs" || diag <"$res/old.sql"
cp "$old" "$res/old-copy.db"
"$MHP" history --history "$(uri imp)" --import "$old" >"$res/imp" 2>&1
is $? 0 "history --import OLD.db --history postgresql://... exits 0" || diag <"$res/imp"
grep -q "^imported 5 runs from $old to postgresql://mhp@/imp" "$res/imp"
ok $? "... and says 5 runs, naming the server without its password"
is "$(sqlite3 "$old" 'PRAGMA user_version')" 1 "the old file is read, not changed"
"$MHP" history --history "$(uri imp)" --list >"$res/list.i"
cmp -s "$res/list.s" "$res/list.i"
ok $? "the imported history lists as the appended one" || diff "$res/list.s" "$res/list.i" | diag
"$MHP" history --history "$(uri imp)" --format csv --by run >"$res/trend.i"
cmp -s "$res/trend.s" "$res/trend.i"
ok $? "... and gives the same trend" || diff "$res/trend.s" "$res/trend.i" | diag
"$MHP" history --history "$res/old-copy.db" --list >"$res/list.o"
cmp -s "$res/list.s" "$res/list.o" && [ "$(sqlite3 "$res/old-copy.db" 'SELECT version FROM schema_version')" = 3 ]
ok $? "an old SQLite file read in place is migrated to schema 3, its runs as before" || diff "$res/list.s" "$res/list.o" | diag

# --- scripts/nightly.sh with MHPBENCH_HISTORY: a fleet's night ----------
q postgres "CREATE DATABASE nightly"
for r in "$R0" "$D1"; do
	cp -r "$r" "$res/n-${r##*-}"
done
MHPBENCH_HISTORY=$(uri nightly) RESULTS="$res/nres" NIGHTLY_RUN="$res/n-R0" "$ROOT/scripts/nightly.sh" >"$res/n1" 2>&1
is $? 0 "nightly.sh, the first night of this testbed in the database: nothing to gate against (0)" || diag <"$res/n1"
grep -q 'nothing in the history to gate against tonight' "$res/n1"
ok $? "... and it says so"
MHPBENCH_HISTORY=$(uri nightly) RESULTS="$res/nres" NIGHTLY_RUN="$res/n-D1" "$ROOT/scripts/nightly.sh" >"$res/n2" 2>&1
is $? 1 "nightly.sh: the injected night gates as a regression (1)" || diag <"$res/n2"
is "$(q nightly "SELECT count(*) FROM runs")" 2 "nightly.sh appended both nights to PostgreSQL"
ok $([ -f "$res/n-D1/plots/trend.png" ] && [ ! -e "$res/nres/history.db" ]; echo $?) \
	"it plotted the trend from PostgreSQL, and wrote no SQLite file"

# --- bad input: each exits 10, names the server, never the password -------
bad_case() { # bad_case DESCRIPTION GREP-PATTERN COMMAND...
	local d=$1 pat=$2
	shift 2
	"$@" >"$res/bad" 2>&1
	is $? 10 "$d: exit 10"
	grep -q "$pat" "$res/bad" && ! grep -q -- "$pw" "$res/bad" && ! grep -q wrong-pw "$res/bad"
	ok $? "$d: says so ($(head -c 200 "$res/bad"))"
}
bad_case "no server at the socket" "postgresql://mhp@/h?host=$res/none: cannot connect to the server" \
	"$MHP" history --history "postgresql://mhp:$pw@/h?host=$res/none" --append "$R0"
bad_case "a wrong password" "postgresql://mhp@/h?host=$pgd: cannot connect.*password authentication failed" \
	"$MHP" history --history "$(uri h wrong-pw)" --list
bad_case "a wrong password (conninfo)" "host=$pgd user=mhp dbname=h: cannot connect" \
	"$MHP" gate --history "host=$pgd user=mhp password=wrong-pw dbname=h" --baseline history --candidate "$R2"
"$MHP" history --history "$(uri ver)" --append "$R0" >/dev/null && q ver "UPDATE schema_version SET version = 99"
bad_case "a database of schema version 99" "schema version 99, but this mhpbench reads and writes version 3" \
	"$MHP" history --history "$(uri ver)" --append "$R1"
is "$(q ver "SELECT count(*) FROM runs")" 1 "... and nothing was appended to it"

# The server stopped mid-append: a session holds a lock on samples, so the
# append waits inside its transaction (its run row written) until the
# server is stopped at once.
M=$(uri mid)
"$MHP" history --history "$M" --append "$R0" >/dev/null
"$PGBIN/psql" -X -qAt "$M" -c "BEGIN" -c "LOCK TABLE samples IN SHARE MODE" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
lockpid=$!
# wait_for SQL: until SQL (a count) says 1, for 60 s at most
wait_for() {
	for _ in $(seq 600); do
		[ "$(q mid "$1" 2>/dev/null)" = 1 ] && return
		sleep 0.1
	done
}
wait_for "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'samples' AND l.mode = 'ShareLock' AND l.granted"
"$MHP" history --history "$M" --append "$R1" >"$res/mid" 2>&1 &
app=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mhpbench' AND wait_event_type = 'Lock'"
is "$(q mid "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mhpbench' AND wait_event_type = 'Lock'")" 1 \
	"the append waits inside its transaction"
pg_stop immediate
wait "$app"
is $? 10 "the server stopped mid-append: exit 10"
grep -q "postgresql://mhp@/mid?host=$pgd: lost the server during " "$res/mid" &&
	grep -q "nothing of run 20261207-013945-R1 was stored (append it again later)" "$res/mid" && ! grep -q -- "$pw" "$res/mid"
ok $? "... it says the server went away, that nothing was stored ($(head -c 300 "$res/mid"))"
wait "$lockpid" 2>/dev/null
lockpid=
pg_start
ok $? "the server starts again"
is "$(q mid "SELECT string_agg(run_id, ',') FROM runs")/$(q mid "SELECT count(*) FROM samples")" "20261207-013905-R0/444" \
	"no part of the interrupted run is stored"
is "$(cat "$R1"/* | md5sum)" "$sum_before" "the run directory is untouched"
"$MHP" history --history "$M" --append "$R1" >/dev/null
is "$(q mid "SELECT count(*) FROM runs")/$(q mid "SELECT count(*) FROM samples")" "2/888" "appended again later, it is stored whole"

# --- nothing left ---------------------------------------------------------
pg_stop
ok $? "the server stops"
is "$(pgrep -f -c -- "-D $pgd/data" || true)" 0 "no PostgreSQL process left"
rm -rf "$pgd"
ok $([ ! -e "$pgd" ]; echo $?) "its directory removed"
is "$(tmp_left)" 0 "nothing left in TMPDIR"
done_testing
