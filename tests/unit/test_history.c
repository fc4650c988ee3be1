// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the run history (harness/analyze/history*.c and
 * history_trend.c) on made-up runs in a temporary directory: appending,
 * replacing, listing, the gate's baseline (per testbed, job, kernel, accel
 * and block size), a trend with its change point, a trend that keeps
 * kernels, accels and testbeds apart, migrating and importing old SQLite
 * histories, and the location printed without its password. The history
 * is a SQLite file in the temporary directory, or the (empty) database
 * that $MHPBENCH_TEST_HISTORY names: tests/integration/history-pg.t runs
 * this file again against a real PostgreSQL server. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyze/history_trend.h"

#include <sqlite3.h>

#define NRUNS 8
#define PER_RUN 5 /* measured samples; each run also has one warm-up */

static char tmp[64], db[1024];

/* The testbed and job file the next made-up run names. */
static const char *run_host = "hostA", *run_job = "bench/nightly.job";

/* A complete run @id on night 2026-01-<day>, accel @accel, PER_RUN
 * measured online samples of @base ns (+1 us each) per kernel of
 * @kernels, and a warm-up. */
static void write_run(const char *id, int day, const char *accel,
		      const char *const *kernels, int nk, double base)
{
	char dir[128], path[192], started[32];
	struct sample s;
	json_t *m;
	FILE *f;
	int i, k;

	snprintf(dir, sizeof(dir), "%s/%s", tmp, id);
	assert_int_equal(mkdir(dir, 0777), 0);
	snprintf(started, sizeof(started), "2026-01-%02dT00:00:00Z", day);
	m = json_pack("{s:{s:s}, s:s, s:s, s:s, s:{s:s}, s:{s:s, s:s, s:i}, "
		      "s:{s:s}}",
		      "mhpbench", "git_rev", "x", "run_id", id, "status",
		      "complete", "started_utc", started, "accel", "used",
		      accel, "host", "hostname", run_host, "cpu_model",
		      "Made-up CPU", "cpus", 2, "job", "path", run_job);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	assert_int_equal(json_dump_file(m, path, 0), 0);
	json_decref(m);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	f = samples_open(path);
	assert_non_null(f);
	for (k = 0; k < nk; k++)
		for (i = -1; i < PER_RUN; i++) {
			memset(&s, 0, sizeof(s));
			snprintf(s.run_id, sizeof(s.run_id), "%s", id);
			snprintf(s.kernel, sizeof(s.kernel), "%s", kernels[k]);
			snprintf(s.accel, sizeof(s.accel), "%s", accel);
			snprintf(s.memmap, sizeof(s.memmap), "ram");
			s.block_mib = s.dimm_mib = 128;
			s.rep = i;
			s.warmup = i < 0;
			s.block = s.target_mib = -1;
			s.offline_fill_pct = -1;
			s.zone_present_mib = -1;
			snprintf(s.phase, sizeof(s.phase), "online");
			snprintf(s.view, sizeof(s.view), "guest");
			snprintf(s.metric, sizeof(s.metric), "latency_ns");
			snprintf(s.unit, sizeof(s.unit), "ns");
			s.value = i < 0 ? 9e9 : base + i * 1e3;
			assert_int_equal(samples_write(f, &s), 0);
		}
	fclose(f);
}

/* run<k>: a complete run on night 2026-01-0<k+1>; online latency ~20 ms
 * in the first half, ~30 ms in the second. */
static void make_run(int k)
{
	static const char *const kernel[] = {"6.1.0-56-amd64"};
	char id[16];

	snprintf(id, sizeof(id), "run%d", k);
	write_run(id, k + 1, "tcg", kernel, 1, k < NRUNS / 2 ? 20e6 : 30e6);
}

static int setup(void **state)
{
	char dir[128], err[512];
	int k;

	const char *loc = getenv("MHPBENCH_TEST_HISTORY");

	snprintf(tmp, sizeof(tmp), "/tmp/test_history.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	if (loc && *loc)
		snprintf(db, sizeof(db), "%s", loc);
	else
		snprintf(db, sizeof(db), "%s/history.db", tmp);
	for (k = 0; k < NRUNS; k++) {
		make_run(k);
		snprintf(dir, sizeof(dir), "%s/run%d", tmp, k);
		if (history_append_run(db, dir, err, sizeof(err)))
			return -1;
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Every run listed once, oldest first, also after one is appended again. */
static void test_list(void **state)
{
	struct history_cursor *cur;
	struct history_run r;
	char dir[128], err[512];
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/run3", tmp);
	assert_int_equal(history_append_run(db, dir, err, sizeof(err)), 0);
	assert_int_equal(history_runs_open(db, &cur, err, sizeof(err)), 0);
	while (history_runs_next(cur, &r) > 0) {
		char want[16];

		snprintf(want, sizeof(want), "run%d", n++);
		assert_string_equal(r.run_id, want);
		assert_string_equal(r.status, "complete");
		assert_int_equal(r.samples, PER_RUN + 1);
		assert_false(r.injected);
	}
	history_cursor_close(cur);
	assert_int_equal(n, NRUNS);
}

/* The last runs like the candidate, the candidate and warm-ups left out. */
static void test_baseline(void **state)
{
	struct ana_run cand, base;
	char dir[128], err[512];

	snprintf(dir, sizeof(dir), "%s/run7", tmp);
	assert_int_equal(ana_load_run(dir, &cand, err, sizeof(err)), 0);
	assert_int_equal(
		history_baseline(db, &cand, 3, &base, err, sizeof(err)), 0);
	assert_int_equal(base.t.n, 3 * PER_RUN);
	assert_string_equal(base.run_id, "history: 3 runs run4..run6");
	assert_string_equal(base.kernel, "6.1.0-56-amd64");
	ana_free_run(&base);
	/* the baseline follows the samples' accel, not the first one's */
	for (size_t i = 0; i < cand.t.n; i++)
		snprintf(cand.t.s[i].accel, sizeof(cand.t.s[i].accel), "kvm");
	assert_int_equal(
		history_baseline(db, &cand, 3, &base, err, sizeof(err)),
		-ENODATA);
	ana_free_run(&cand);
	assert_int_equal(history_baseline("/nonexistent/history.db", &cand, 3,
					  &base, err, sizeof(err)),
			 -ENOENT);
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* The trend the tests read: guest-view online latency, every cell. */
static const struct history_query online_guest = {.metric = "latency_ns",
						  .phase = "online",
						  .view = "guest",
						  .memmap = "",
						  .window = 5,
						  .alpha = 0.01};

/* Per-night medians with one change point, where the step is. */
static void test_trend(void **state)
{
	struct history_query q = online_guest;
	char *buf = NULL, err[512], *line, *save;
	size_t len = 0;
	int rows = 0, changes = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(history_trend(db, &q, 1, f, err, sizeof(err)), 0);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), rows++) {
		char *fld[16];

		if (!rows) {
			assert_string_equal(line, "memmap,dimm_mib,index,night,"
						  "median,n,change,p,"
						  "injected,kernel,accel,"
						  "block_mib,node,series,"
						  "time_base,testbed");
			continue;
		}
		assert_int_equal(samples_split(line, fld, 16), 16);
		assert_string_equal(fld[14], "wall"); /* tcg */
		assert_string_equal(fld[15], "hostA");
		assert_string_equal(fld[0], "ram");
		assert_string_equal(fld[5], "5"); /* no warm-up */
		if (strcmp(fld[6], "1"))
			continue;
		changes++;
		assert_string_equal(fld[2], "4");
		assert_string_equal(fld[3], "2026-01-05");
	}
	free(buf);
	assert_int_equal(rows, 1 + NRUNS);
	assert_int_equal(changes, 1);

	q.metric = "nosuch";
	f = open_memstream(&buf, &len);
	assert_int_equal(history_trend(db, &q, 1, f, err, sizeof(err)),
			 -ENODATA);
	fclose(f);
	free(buf);
	assert_non_null(strstr(err, "no complete run has nosuch"));
}

/* A run of two kernels under tcg-icount (run8): --list names both; the
 * trend gets a line per kernel and accel, each of its own samples, and
 * the tcg line of the eight runs before is as it was. */
static void test_trend_keyed(void **state)
{
	static const char *const kernels[] = {"6.1.0-56-amd64", "k612"};
	struct history_query q = online_guest;
	char dir[128], err[512], *buf = NULL, *line, *save;
	struct history_cursor *cur;
	struct history_run r;
	int rows[3] = {0}, last = 0;
	size_t len = 0;
	FILE *f;

	write_run("run8", 9, "tcg-icount", kernels, 2, 46e6);
	snprintf(dir, sizeof(dir), "%s/run8", tmp);
	assert_int_equal(history_append_run(db, dir, err, sizeof(err)), 0);
	assert_int_equal(history_runs_open(db, &cur, err, sizeof(err)), 0);
	while (history_runs_next(cur, &r) > 0)
		last = !strcmp(r.run_id, "run8") &&
		       !strcmp(r.kernels, "6.1.0-56-amd64, k612") &&
		       !strcmp(r.accels, "tcg-icount") &&
		       !strcmp(r.blocks, "128M");
	history_cursor_close(cur);
	assert_true(last);

	q.by_run = 1;
	f = open_memstream(&buf, &len);
	assert_int_equal(history_trend(db, &q, 1, f, err, sizeof(err)), 0);
	fclose(f);
	strtok_r(buf, "\n", &save); /* the header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *fld[17];
		double med;

		assert_int_equal(samples_split(line, fld, 17), 16);
		/* a guest time under tcg-icount is virtual */
		assert_string_equal(fld[14], strcmp(fld[10], "tcg") ? "virtual"
								    : "wall");
		med = strtod(fld[4], NULL);
		assert_string_equal(fld[5], "5"); /* one kernel's samples */
		if (!strcmp(fld[10], "tcg")) {
			assert_true(med < 31);
			rows[0]++;
		} else if (!strcmp(fld[9], "k612")) {
			assert_string_equal(fld[13],
					    "hostA:k612/tcg-icount/128M-blocks/"
					    "ram/128M");
			rows[1]++;
		} else {
			assert_string_equal(fld[10], "tcg-icount");
			rows[2]++;
		}
		if (strcmp(fld[10], "tcg"))
			assert_true(fabs(med - 46.002) < 1e-9);
	}
	free(buf);
	assert_int_equal(rows[0], NRUNS);
	assert_int_equal(rows[1], 1);
	assert_int_equal(rows[2], 1);

	/* The text: the tcg-icount lines in vms with the legend, the tcg
	 * line in ms; every line within 80 columns. */
	f = open_memstream(&buf, &len);
	assert_int_equal(history_trend(db, &q, 0, f, err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(count_of(buf, "median per run (vms)\ntestbed hostA\n"
				       "kernel k612, accel tcg-icount"),
			 1);
	assert_int_equal(count_of(buf, "median per run (vms)\ntestbed hostA\n"
				       "kernel 6.1.0-56-amd64, accel "
				       "tcg-icount"),
			 1);
	assert_int_equal(count_of(buf, "median per run (ms)\ntestbed hostA\n"
				       "kernel 6.1.0-56-amd64, accel tcg,"),
			 1);
	assert_int_equal(count_of(buf, "vms: guest virtual time under "
				       "tcg-icount"),
			 2);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		assert_true(strlen(line) <= 80);
	free(buf);
}

/* A history written before the offline_fill axis (schema version 1, no
 * offline_fill_pct column, and no source) still reads, its samples
 * without a fill and of pc-dimms, and takes new runs, its table given the
 * columns. */
static void test_schema_before_fill(void **state)
{
	struct history_query q = online_guest;
	struct history_cursor *cur;
	struct history_sample hs;
	char old[160], dir[128], err[512];
	sqlite3 *h;
	int n = 0;

	snprintf(old, sizeof(old), "%s/old.db", tmp);
	assert_int_equal(sqlite3_open(old, &h), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(
			h,
			"CREATE TABLE runs (run_id TEXT PRIMARY KEY, dir TEXT,"
			" started_utc TEXT, night TEXT, status TEXT NOT NULL,"
			" kernel TEXT, accel TEXT, block_mib INTEGER, git_rev "
			"TEXT, inject_online_delay_ms INTEGER, appended_utc "
			"TEXT, manifest TEXT NOT NULL);"
			"CREATE TABLE samples (run_id TEXT NOT NULL, kernel "
			"TEXT, accel TEXT, memmap TEXT, block_mib INTEGER, "
			"dimm_mib INTEGER, node INTEGER, rep INTEGER, phase "
			"TEXT, view TEXT, metric TEXT, value REAL, unit TEXT, "
			"boot INTEGER, cycle INTEGER, warmup INTEGER, block "
			"INTEGER, target_mib INTEGER);"
			"INSERT INTO runs VALUES ('old', '', "
			"'2025-12-01T00:00:00Z', '2025-12-01', 'complete', "
			"'k', "
			"'tcg', 128, 'x', 0, '', '{}');"
			"INSERT INTO samples VALUES ('old', 'k', 'tcg', 'ram', "
			"128, 128, 0, 0, 'online', 'guest', 'latency_ns', 2e7, "
			"'ns', 0, 0, 0, -1, -1);"
			"PRAGMA user_version = 1;",
			NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(history_trend_open(old, &q, &cur, err, sizeof(err)),
			 0);
	while (history_trend_next(cur, &hs, err, sizeof(err)) > 0) {
		assert_int_equal(hs.offline_fill_pct, -1);
		assert_string_equal(hs.source, "dimm");
		n++;
	}
	history_cursor_close(cur);
	assert_int_equal(n, 1);
	snprintf(dir, sizeof(dir), "%s/run0", tmp);
	assert_int_equal(history_append_run(old, dir, err, sizeof(err)), 0);
	assert_int_equal(history_trend_open(old, &q, &cur, err, sizeof(err)),
			 0);
	n = 0;
	while (history_trend_next(cur, &hs, err, sizeof(err)) > 0) {
		assert_int_equal(hs.offline_fill_pct, -1);
		assert_string_equal(hs.source, "dimm");
		n++;
	}
	history_cursor_close(cur);
	assert_int_equal(n, 1 + PER_RUN);
	unlink(old);
}

/* Appends the made-up run @id of @host and @job (write_run's others). */
static void add_run(const char *id, int day, const char *host, const char *job,
		    const char *accel, const char *const *kernels, int nk)
{
	char dir[128], err[512];

	run_host = host;
	run_job = job;
	write_run(id, day, accel, kernels, nk, 20e6);
	run_host = "hostA";
	run_job = "bench/nightly.job";
	snprintf(dir, sizeof(dir), "%s/%s", tmp, id);
	assert_int_equal(history_append_run(db, dir, err, sizeof(err)), 0);
}

static int baseline_of(const char *id, struct ana_run *base)
{
	struct ana_run cand;
	char dir[128], err[512];
	int ret;

	snprintf(dir, sizeof(dir), "%s/%s", tmp, id);
	assert_int_equal(ana_load_run(dir, &cand, err, sizeof(err)), 0);
	ret = history_baseline(db, &cand, 3, base, err, sizeof(err));
	ana_free_run(&cand);
	return ret;
}

/* A baseline never crosses testbeds or jobs: later runs of another host
 * or another job are left out, and another host's candidate gets its
 * host's runs only. */
static void test_baseline_testbed_job(void **state)
{
	static const char *const k[] = {"6.1.0-56-amd64"};
	struct ana_run base;

	add_run("run9", 10, "hostB", "bench/nightly.job", "tcg", k, 1);
	add_run("run10", 11, "hostA", "/srv/lab/other.job", "tcg", k, 1);
	assert_int_equal(baseline_of("run7", &base), 0);
	assert_string_equal(base.run_id, "history: 3 runs run4..run6");
	ana_free_run(&base);
	assert_int_equal(baseline_of("run9", &base), -ENODATA);
	add_run("run11", 12, "hostB", "bench/nightly.job", "tcg", k, 1);
	assert_int_equal(baseline_of("run11", &base), 0);
	assert_string_equal(base.run_id, "history: 1 run run9");
	assert_int_equal(base.t.n, PER_RUN);
	ana_free_run(&base);
}

static size_t count_kernel(const struct ana_run *r, const char *kernel)
{
	size_t n = 0;

	for (size_t i = 0; i < r->t.n; i++)
		n += !strcmp(r->t.s[i].kernel, kernel);
	return n;
}

/* A candidate of two kernels (run14) gets, for each kernel, the last runs
 * that have it: k612 from run8, run12 (k612 only) and run13, the other
 * from run8 and run13 (choosing by its first kernel would miss run12; the
 * label sorts run ids as text). Runs that started after the candidate
 * are never its baseline: run12 gated again after run13 gets run8 only. */
static void test_baseline_kernels(void **state)
{
	static const char *const both[] = {"6.1.0-56-amd64", "k612"};
	static const char *const k612[] = {"k612"};
	struct ana_run base;

	add_run("run12", 13, "hostA", "bench/nightly.job", "tcg-icount", k612,
		1);
	add_run("run13", 14, "hostA", "bench/nightly.job", "tcg-icount", both,
		2);
	add_run("run14", 15, "hostA", "bench/nightly.job", "tcg-icount", both,
		2);
	assert_int_equal(baseline_of("run14", &base), 0);
	assert_string_equal(base.run_id, "history: 3 runs run12..run8");
	assert_int_equal(count_kernel(&base, "k612"), 3 * PER_RUN);
	assert_int_equal(count_kernel(&base, "6.1.0-56-amd64"), 2 * PER_RUN);
	for (size_t i = 0; i < base.t.n; i++)
		assert_string_equal(base.t.s[i].accel, "tcg-icount");
	ana_free_run(&base);
	assert_int_equal(baseline_of("run12", &base), 0);
	assert_string_equal(base.run_id, "history: 1 run run8");
	assert_int_equal(count_kernel(&base, "k612"), PER_RUN);
	ana_free_run(&base);
}

/* A schema 2 file is migrated on open: runs keyed by testbed (from the
 * stored manifest), the job named, a schema_version table. */
static void test_migrate_v2(void **state)
{
	struct history_cursor *cur;
	struct history_run r;
	char old[160], dir[128], err[512];
	sqlite3 *h;
	int n = 0, ver = 0;
	sqlite3_stmt *st;

	snprintf(old, sizeof(old), "%s/v2.db", tmp);
	assert_int_equal(sqlite3_open(old, &h), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(
			h,
			"CREATE TABLE runs (run_id TEXT PRIMARY KEY, dir TEXT,"
			" started_utc TEXT, night TEXT, status TEXT NOT NULL,"
			" kernel TEXT, accel TEXT, block_mib INTEGER, git_rev "
			"TEXT, inject_online_delay_ms INTEGER, appended_utc "
			"TEXT, manifest TEXT NOT NULL);"
			"CREATE TABLE samples (run_id TEXT NOT NULL, kernel "
			"TEXT, accel TEXT, memmap TEXT, block_mib INTEGER, "
			"dimm_mib INTEGER, node INTEGER, rep INTEGER, phase "
			"TEXT, view TEXT, metric TEXT, value REAL, unit TEXT, "
			"boot INTEGER, cycle INTEGER, warmup INTEGER, block "
			"INTEGER, target_mib INTEGER, offline_fill_pct INTEGER "
			"NOT NULL DEFAULT -1);"
			"INSERT INTO runs VALUES ('old', '', "
			"'2025-12-01T00:00:00Z', '2025-12-01', 'complete', "
			"'k', "
			"'tcg', 128, 'x', 0, '', '{\"host\": {\"hostname\": "
			"\"oldhost\", \"cpus\": 4}, \"job\": {\"path\": "
			"\"/x/bench/nightly.job\"}}');"
			"INSERT INTO samples VALUES ('old', 'k', 'tcg', 'ram', "
			"128, 128, 0, 0, 'online', 'guest', 'latency_ns', 2e7, "
			"'ns', 0, 0, 0, -1, -1, 50);"
			"INSERT INTO samples VALUES ('old', 'k', 'tcg', 'ram', "
			"128, 128, 0, 1, 'online', 'guest', 'latency_ns', 3e7, "
			"'ns', 0, 1, 0, -1, -1, 50);"
			"PRAGMA user_version = 2;",
			NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(history_runs_open(old, &cur, err, sizeof(err)), 0);
	while (history_runs_next(cur, &r) > 0) {
		assert_string_equal(r.run_id, "old");
		assert_string_equal(r.testbed, "oldhost");
		assert_string_equal(r.job, "nightly");
		assert_int_equal(r.samples, 2);
		n++;
	}
	history_cursor_close(cur);
	assert_int_equal(n, 1);
	assert_int_equal(sqlite3_prepare_v2(h,
					    "SELECT max(version) FROM "
					    "schema_version",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(ver, 3);
	sqlite3_close(h);
	snprintf(dir, sizeof(dir), "%s/run0", tmp);
	assert_int_equal(history_append_run(old, dir, err, sizeof(err)), 0);
}

/* A location of a later schema is refused, and said so. */
static void test_newer_schema(void **state)
{
	struct history_cursor *cur;
	char path[160], err[512];
	sqlite3 *h;

	snprintf(path, sizeof(path), "%s/v9.db", tmp);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
				      "CREATE TABLE schema_version (version "
				      "INTEGER); INSERT INTO schema_version "
				      "VALUES (9);",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(history_runs_open(path, &cur, err, sizeof(err)),
			 -EPROTO);
	assert_non_null(strstr(err, "schema version 9, newer than this "
				    "mhpbench's 3"));
}

/* The location printed without its password; which one is PostgreSQL;
 * --history, then $MHPBENCH_HISTORY, then RESULTS/history.db. */
static void test_location(void **state)
{
	static const char *const cases[][2] = {
		{"postgresql://u:s3cr@t@h:5432/db?sslmode=require&password=x",
		 "postgresql://u@h:5432/db?sslmode=require"},
		{"postgres://u@h/db", "postgres://u@h/db"},
		{"postgresql:///db?password=p&host=/run/pg",
		 "postgresql:///db?host=/run/pg"},
		{"postgresql://:pw@h/db", "postgresql://@h/db"},
		{"host=/run/pg user=u password='a b\\' c' dbname=d",
		 "host=/run/pg user=u dbname=d"},
		{"password = x host=h", "host=h"},
		{"results/history.db", "results/history.db"},
	};
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		history_shown(cases[i][0], buf, sizeof(buf));
		assert_string_equal(buf, cases[i][1]);
	}
	assert_true(history_is_pg("postgresql://h/db"));
	assert_true(history_is_pg("dbname=x"));
	assert_false(history_is_pg("results/history.db"));
	assert_false(history_is_pg("/srv/a=b.db"));
	unsetenv("MHPBENCH_HISTORY");
	assert_string_equal(history_location(NULL, "res", buf, sizeof(buf)),
			    "res/history.db");
	setenv("MHPBENCH_HISTORY", "postgresql://h/db", 1);
	assert_string_equal(history_location(NULL, "res", buf, sizeof(buf)),
			    "postgresql://h/db");
	assert_string_equal(history_location("x.db", "res", buf, sizeof(buf)),
			    "x.db");
	unsetenv("MHPBENCH_HISTORY");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_trend_keyed),
		cmocka_unit_test(test_schema_before_fill),
		cmocka_unit_test(test_baseline_testbed_job),
		cmocka_unit_test(test_baseline_kernels),
		cmocka_unit_test(test_migrate_v2),
		cmocka_unit_test(test_newer_schema),
		cmocka_unit_test(test_location),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
