// SPDX-License-Identifier: GPL-2.0-or-later
/* The history in a SQLite file (history_be.h): the schema, created or
 * migrated when the file is opened, appending a run in one IMMEDIATE
 * transaction (so writers on one host queue), and reading back. */
#include "analyze/history_be.h"
#include "analyze/history_sql.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The tables of schema HISTORY_SCHEMA (PostgreSQL's, in history_pg.c,
 * differ only in types). %s: the table's name, so that a migration can
 * build the new table beside the old one. */
static const char runs_ddl[] =
	"CREATE TABLE IF NOT EXISTS %s (testbed TEXT NOT NULL DEFAULT '', "
	"run_id TEXT NOT NULL, dir TEXT, started_utc TEXT, night TEXT, "
	"status TEXT NOT NULL, kernel TEXT, accel TEXT, block_mib INTEGER, "
	"git_rev TEXT, inject_online_delay_ms INTEGER, appended_utc TEXT, "
	"manifest TEXT NOT NULL, job TEXT NOT NULL DEFAULT '', hostname "
	"TEXT, cpu_model TEXT, cpus INTEGER, host_kernel TEXT, qemu_version "
	"TEXT, PRIMARY KEY (testbed, run_id));";
static const char samples_ddl[] =
	"CREATE TABLE IF NOT EXISTS %s (testbed TEXT NOT NULL DEFAULT '', "
	"run_id TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0, kernel TEXT, "
	"accel TEXT, memmap TEXT, block_mib INTEGER, dimm_mib INTEGER, node "
	"INTEGER, rep INTEGER, phase TEXT, view TEXT, metric TEXT, value "
	"REAL, unit TEXT, boot INTEGER, cycle INTEGER, warmup INTEGER, block "
	"INTEGER, target_mib INTEGER, offline_fill_pct INTEGER NOT NULL "
	"DEFAULT -1, zone_present_mib INTEGER NOT NULL DEFAULT -1, source "
	"TEXT NOT NULL DEFAULT 'dimm');";
static const char rest_ddl[] =
	"CREATE INDEX IF NOT EXISTS samples_run ON samples(testbed, run_id);"
	"CREATE INDEX IF NOT EXISTS samples_cell ON samples(metric, view,"
	" phase, memmap, dimm_mib);"
	"CREATE INDEX IF NOT EXISTS runs_testbed ON runs(testbed, job, "
	"status);"
	"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT "
	"NULL);";

static int exec_fmt(sqlite3 *db, const char *fmt, const char *table)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), fmt, table);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int one_int(sqlite3 *db, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The file's schema version: 0 empty, 1 and 2 from before the
 * schema_version table (PRAGMA user_version, or whether samples has
 * offline_fill_pct), else the table's. */
static int schema_of(sqlite3 *db, int *ver)
{
	int n, rc = one_int(db,
			    "SELECT count(*) FROM sqlite_master WHERE name = "
			    "'schema_version'",
			    &n);

	if (rc == SQLITE_OK && n)
		return one_int(db, "SELECT max(version) FROM schema_version",
			       ver);
	if (rc == SQLITE_OK)
		rc = one_int(db,
			     "SELECT count(*) FROM sqlite_master WHERE name = "
			     "'runs'",
			     &n);
	if (rc != SQLITE_OK || !n) {
		*ver = 0;
		return rc;
	}
	rc = one_int(db,
		     "SELECT count(*) FROM pragma_table_info('samples') WHERE "
		     "name = 'offline_fill_pct'",
		     &n);
	*ver = n ? 2 : 1;
	return rc;
}

/* Schema 1 and 2 to 3: runs keyed by (testbed, run_id), samples with
 * their testbed and seq (their order: the old rowid). The testbed and job
 * of each old run come from its stored manifest. */
static int migrate(sqlite3 *db, int from)
{
	static const char copy[] =
		"INSERT INTO runs3 (run_id, dir, started_utc, night, status, "
		"kernel, accel, block_mib, git_rev, inject_online_delay_ms, "
		"appended_utc, manifest) SELECT run_id, dir, started_utc, "
		"night, status, kernel, accel, block_mib, git_rev, "
		"inject_online_delay_ms, appended_utc, manifest FROM runs;"
		"DROP TABLE runs; ALTER TABLE runs3 RENAME TO runs;"
		"INSERT INTO samples3 (run_id, seq, kernel, accel, memmap, "
		"block_mib, dimm_mib, node, rep, phase, view, metric, value, "
		"unit, boot, cycle, warmup, block, target_mib, "
		"offline_fill_pct) SELECT run_id, rowid, kernel, accel, "
		"memmap, "
		"block_mib, dimm_mib, node, rep, phase, view, metric, value, "
		"unit, boot, cycle, warmup, block, target_mib, "
		"offline_fill_pct "
		"FROM samples; DROP TABLE samples; ALTER TABLE samples3 RENAME "
		"TO samples;";
	sqlite3_stmt *sel = NULL, *upd = NULL;
	int rc = SQLITE_OK;

	if (from == 1)
		rc = sqlite3_exec(db,
				  "ALTER TABLE samples ADD COLUMN "
				  "offline_fill_pct INTEGER NOT NULL DEFAULT "
				  "-1",
				  NULL, NULL, NULL);
	if (rc == SQLITE_OK && from)
		rc = exec_fmt(db, runs_ddl, "runs3");
	if (rc == SQLITE_OK && from)
		rc = exec_fmt(db, samples_ddl, "samples3");
	if (rc == SQLITE_OK && from)
		rc = sqlite3_exec(db, copy, NULL, NULL, NULL);
	if (rc == SQLITE_OK && from)
		rc = sqlite3_prepare_v2(db, "SELECT run_id, manifest FROM runs",
					-1, &sel, NULL);
	if (rc == SQLITE_OK && from)
		rc = sqlite3_prepare_v2(
			db,
			"UPDATE runs SET testbed = ?1, job = ?2, hostname = "
			"?3, cpu_model = ?4, cpus = ?5, host_kernel = ?6, "
			"qemu_version = ?7 WHERE run_id = ?8",
			-1, &upd, NULL);
	while (rc == SQLITE_OK && sel && sqlite3_step(sel) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(sel, 1);
		json_t *j = json_loads(m ? m : "{}", 0, NULL);
		struct history_rec rec = {0};

		history_rec_describe(&rec, j);
		json_decref(j);
		sqlite3_reset(upd);
		sqlite3_bind_text(upd, 1, rec.tb.name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 2, rec.job, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 3, rec.tb.hostname, -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 4, rec.tb.cpu_model, -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int(upd, 5, rec.tb.cpus);
		sqlite3_bind_text(upd, 6, rec.tb.host_kernel, -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 7, rec.tb.qemu_version, -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_value(upd, 8, sqlite3_column_value(sel, 0));
		rc = sqlite3_step(upd) == SQLITE_DONE ? SQLITE_OK
						      : SQLITE_ERROR;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if (rc == SQLITE_OK && from)
		rc = sqlite3_exec(db,
				  "UPDATE samples SET testbed = (SELECT "
				  "r.testbed FROM runs r WHERE r.run_id = "
				  "samples.run_id)",
				  NULL, NULL, NULL);
	if (rc == SQLITE_OK && !from)
		rc = exec_fmt(db, runs_ddl, "runs");
	if (rc == SQLITE_OK && !from)
		rc = exec_fmt(db, samples_ddl, "samples");
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, rest_ddl, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db,
				  "DELETE FROM schema_version; INSERT INTO "
				  "schema_version VALUES (3); PRAGMA "
				  "user_version = 3;",
				  NULL, NULL, NULL);
	return rc;
}

/* Brings the open @db to HISTORY_SCHEMA in one transaction (a second
 * writer waits, then finds it done). */
static int upgrade(sqlite3 *db, const char *shown, char *err, size_t len)
{
	int ver, rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		rc = schema_of(db, &ver);
	if (rc == SQLITE_OK && ver < HISTORY_SCHEMA)
		rc = migrate(db, ver);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	snprintf(err, len, "%s: cannot bring the history to schema %d: %s",
		 shown, HISTORY_SCHEMA, sqlite3_errmsg(db));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -EPROTO;
}

/* Opens the history at @path: for writing (@create: made if missing), or
 * for reading. Either brings an older schema to HISTORY_SCHEMA; a newer
 * one is refused. */
static int open_db(const char *path, const char *shown, int create,
		   sqlite3 **db, char *err, size_t len)
{
	struct stat st;
	int rc, ver = 0, ret;

	*db = NULL;
	if (!create && stat(path, &st)) {
		snprintf(err, len,
			 "no history at %s (append runs with `mhpbench "
			 "history --append RUN` or scripts/nightly.sh)",
			 shown);
		return -ENOENT;
	}
	rc = sqlite3_open_v2(path, db,
			     SQLITE_OPEN_READWRITE |
				     (create ? SQLITE_OPEN_CREATE : 0),
			     NULL);
	if (rc != SQLITE_OK && !create) {
		/* a history this user may only read: no migration */
		sqlite3_close(*db);
		rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(*db, 30000);
	if (rc == SQLITE_OK)
		rc = schema_of(*db, &ver);
	if (rc != SQLITE_OK) {
		snprintf(err, len, "%s: not a mhpbench history (%s)", shown,
			 *db ? sqlite3_errmsg(*db) : "cannot open");
		ret = -EPROTO;
	} else if (ver > HISTORY_SCHEMA) {
		snprintf(err, len,
			 "%s: history schema version %d, newer than this "
			 "mhpbench's %d: update mhpbench",
			 shown, ver, HISTORY_SCHEMA);
		ret = -EPROTO;
	} else if (!create && !ver) {
		snprintf(err, len, "%s: not a mhpbench history (no runs table)",
			 shown);
		ret = -EPROTO;
	} else {
		ret = ver < HISTORY_SCHEMA ? upgrade(*db, shown, err, len) : 0;
	}
	if (ret) {
		sqlite3_close(*db);
		*db = NULL;
	}
	return ret;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int insert_run(sqlite3 *db, const struct history_rec *rec)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		db,
		"INSERT OR REPLACE INTO runs (" HISTORY_RUN_COLS
		") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		"?13, ?14, ?15, ?16, ?17, ?18, ?19)",
		-1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	bind_text(st, 1, rec->tb.name);
	bind_text(st, 2, rec->run_id);
	bind_text(st, 3, rec->dir);
	bind_text(st, 4, rec->started_utc);
	bind_text(st, 5, rec->night);
	bind_text(st, 6, rec->status);
	bind_text(st, 7, rec->kernel);
	bind_text(st, 8, rec->accel);
	sqlite3_bind_int64(st, 9, rec->block_mib);
	bind_text(st, 10, rec->git_rev);
	sqlite3_bind_int64(st, 11, rec->inject_ms);
	bind_text(st, 12, rec->appended_utc);
	bind_text(st, 13, rec->manifest);
	bind_text(st, 14, rec->job);
	bind_text(st, 15, rec->tb.hostname);
	bind_text(st, 16, rec->tb.cpu_model);
	sqlite3_bind_int(st, 17, rec->tb.cpus);
	bind_text(st, 18, rec->tb.host_kernel);
	bind_text(st, 19, rec->tb.qemu_version);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	return rc;
}

static int insert_samples(sqlite3 *db, const struct history_rec *rec)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		db,
		"INSERT INTO samples (" HISTORY_SAMPLE_COLS
		") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		"?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
		-1, &st, NULL);

	for (size_t i = 0; rc == SQLITE_OK && i < rec->t->n; i++) {
		const struct sample *s = &rec->t->s[i];

		sqlite3_reset(st);
		bind_text(st, 1, rec->tb.name);
		bind_text(st, 2, rec->run_id);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		bind_text(st, 4, s->kernel);
		bind_text(st, 5, s->accel);
		bind_text(st, 6, s->memmap);
		sqlite3_bind_int64(st, 7, s->block_mib);
		sqlite3_bind_int64(st, 8, s->dimm_mib);
		sqlite3_bind_int(st, 9, s->node);
		sqlite3_bind_int(st, 10, s->rep);
		bind_text(st, 11, s->phase);
		bind_text(st, 12, s->view);
		bind_text(st, 13, s->metric);
		sqlite3_bind_double(st, 14, s->value);
		bind_text(st, 15, s->unit);
		sqlite3_bind_int(st, 16, s->boot);
		sqlite3_bind_int(st, 17, s->cycle);
		sqlite3_bind_int(st, 18, s->warmup);
		sqlite3_bind_int(st, 19, s->block);
		sqlite3_bind_int64(st, 20, s->target_mib);
		sqlite3_bind_int(st, 21, s->offline_fill_pct);
		sqlite3_bind_int64(st, 22, s->zone_present_mib);
		bind_text(st, 23, s->source[0] ? s->source : "dimm");
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	return rc;
}

/* One IMMEDIATE transaction: the run's row replaced, its old samples
 * deleted, its samples inserted. */
static int sq_append(const char *loc, const char *shown,
		     const struct history_rec *rec, char *err, size_t len)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	int ret = open_db(loc, shown, 1, &db, err, len), rc;

	if (ret)
		return ret;
	rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = insert_run(db, rec);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"DELETE FROM samples WHERE testbed = "
					"?1 AND run_id = ?2",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		bind_text(st, 1, rec->tb.name);
		bind_text(st, 2, rec->run_id);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK && rec->t)
		rc = insert_samples(db, rec);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, len, "%s: %s", shown, sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		ret = -EIO;
	}
	sqlite3_close(db);
	return ret;
}

static void col_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	snprintf(buf, len, "%s", v ? (const char *)v : "");
}

/* A row of history_sql_baseline's columns into @s. */
static void read_sample(sqlite3_stmt *st, int c, struct sample *s)
{
	memset(s, 0, sizeof(*s));
	col_text(st, c + 0, s->run_id, sizeof(s->run_id));
	col_text(st, c + 1, s->kernel, sizeof(s->kernel));
	col_text(st, c + 2, s->accel, sizeof(s->accel));
	col_text(st, c + 3, s->memmap, sizeof(s->memmap));
	s->block_mib = sqlite3_column_int64(st, c + 4);
	s->dimm_mib = sqlite3_column_int64(st, c + 5);
	s->node = sqlite3_column_int(st, c + 6);
	s->rep = sqlite3_column_int(st, c + 7);
	col_text(st, c + 8, s->phase, sizeof(s->phase));
	col_text(st, c + 9, s->view, sizeof(s->view));
	col_text(st, c + 10, s->metric, sizeof(s->metric));
	s->value = sqlite3_column_double(st, c + 11);
	col_text(st, c + 12, s->unit, sizeof(s->unit));
	s->boot = sqlite3_column_int(st, c + 13);
	s->cycle = sqlite3_column_int(st, c + 14);
	s->warmup = sqlite3_column_int(st, c + 15);
	s->block = sqlite3_column_int(st, c + 16);
	s->target_mib = sqlite3_column_int64(st, c + 17);
	s->offline_fill_pct = sqlite3_column_int(st, c + 18);
	s->zone_present_mib = sqlite3_column_int64(st, c + 19);
	col_text(st, c + 20, s->source, sizeof(s->source));
}

static int read_rows(sqlite3_stmt *st, struct sample_table *t)
{
	struct sample s;
	int rc, ret = 0;

	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_sample(st, 0, &s);
		ret = history_table_push(t, &s);
	}
	return ret ?: rc == SQLITE_DONE ? 0 : -EIO;
}

static int sq_baseline(const char *loc, const char *shown,
		       const struct history_bwho *who,
		       const struct history_bkey *keys, int nkeys, int max_runs,
		       struct sample_table *out, char *err, size_t len)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	int ret = open_db(loc, shown, 0, &db, err, len);

	if (ret)
		return ret;
	/* one read transaction: every key sees the same runs */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) ||
	    sqlite3_prepare_v2(db, history_sql_baseline, -1, &st, NULL))
		ret = -EIO;
	for (int k = 0; !ret && k < nkeys; k++) {
		sqlite3_reset(st);
		bind_text(st, 1, keys[k].kernel);
		bind_text(st, 2, keys[k].accel);
		sqlite3_bind_int64(st, 3, keys[k].block_mib);
		bind_text(st, 4, who->testbed);
		bind_text(st, 5, who->job);
		bind_text(st, 6, who->run_id);
		sqlite3_bind_int(st, 7, max_runs);
		bind_text(st, 8, who->started_utc);
		ret = read_rows(st, out);
	}
	if (ret)
		snprintf(err, len, "%s: %s", shown, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return ret;
}

/* A query being read row by row. */
struct sq_cursor {
	struct history_cursor c;
	char shown[1024];
	sqlite3 *db;
	sqlite3_stmt *st;
};

static void sq_close(struct history_cursor *c)
{
	struct sq_cursor *q = (struct sq_cursor *)c;

	sqlite3_finalize(q->st);
	sqlite3_close(q->db);
	free(q);
}

static int sq_trend_next(struct history_cursor *c, struct history_sample *s,
			 char *err, size_t len)
{
	struct sq_cursor *q = (struct sq_cursor *)c;
	sqlite3_stmt *st = q->st;
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		snprintf(err, len, "%s: %s", q->shown, sqlite3_errmsg(q->db));
		return -EIO;
	}
	col_text(st, 0, s->group, sizeof(s->group));
	col_text(st, 1, s->memmap, sizeof(s->memmap));
	s->dimm_mib = sqlite3_column_int64(st, 2);
	s->value = sqlite3_column_double(st, 3);
	s->injected = sqlite3_column_int64(st, 4) != 0;
	col_text(st, 5, s->kernel, sizeof(s->kernel));
	col_text(st, 6, s->accel, sizeof(s->accel));
	s->block_mib = sqlite3_column_int64(st, 7);
	s->node = sqlite3_column_int(st, 8);
	s->offline_fill_pct = sqlite3_column_int(st, 9);
	col_text(st, 10, s->testbed, sizeof(s->testbed));
	s->zone_present_mib = sqlite3_column_int64(st, 11);
	col_text(st, 12, s->source, sizeof(s->source));
	return 1;
}

static int sq_runs_next(struct history_cursor *c, struct history_run *r)
{
	sqlite3_stmt *st = ((struct sq_cursor *)c)->st;

	if (sqlite3_step(st) != SQLITE_ROW)
		return 0;
	r->run_id = (const char *)sqlite3_column_text(st, 0);
	r->status = (const char *)sqlite3_column_text(st, 1);
	r->kernel = (const char *)sqlite3_column_text(st, 2);
	r->accel = (const char *)sqlite3_column_text(st, 3);
	r->injected = sqlite3_column_int(st, 4) != 0;
	r->samples = sqlite3_column_int(st, 5);
	r->kernels = (const char *)sqlite3_column_text(st, 6);
	r->accels = (const char *)sqlite3_column_text(st, 7);
	r->blocks = (const char *)sqlite3_column_text(st, 8);
	r->testbed = (const char *)sqlite3_column_text(st, 9);
	r->job = (const char *)sqlite3_column_text(st, 10);
	return 1;
}

static int cursor_open(const char *loc, const char *shown, const char *sql,
		       struct sq_cursor **cur, char *err, size_t len)
{
	struct sq_cursor *c = calloc(1, sizeof(*c));
	int ret;

	*cur = NULL;
	if (!c)
		return -ENOMEM;
	c->c = (struct history_cursor){sq_trend_next, sq_runs_next, sq_close};
	snprintf(c->shown, sizeof(c->shown), "%s", shown);
	ret = open_db(loc, shown, 0, &c->db, err, len);
	if (!ret && sqlite3_prepare_v2(c->db, sql, -1, &c->st, NULL)) {
		snprintf(err, len, "%s: %s", shown, sqlite3_errmsg(c->db));
		ret = -EIO;
	}
	if (ret)
		sq_close(&c->c);
	else
		*cur = c;
	return ret;
}

static int sq_trend_open(const char *loc, const char *shown,
			 const struct history_query *q,
			 struct history_cursor **cur, char *err, size_t len)
{
	struct sq_cursor *c;
	int ret = cursor_open(loc, shown, history_sql_trend, &c, err, len);

	*cur = NULL;
	if (ret)
		return ret;
	sqlite3_bind_int(c->st, 1, q->by_run);
	bind_text(c->st, 2, q->metric);
	bind_text(c->st, 3, q->view);
	bind_text(c->st, 4, q->phase);
	bind_text(c->st, 5, q->memmap);
	sqlite3_bind_int64(c->st, 6, q->dimm_mib);
	bind_text(c->st, 7, q->kernel ?: "");
	bind_text(c->st, 8, q->accel ?: "");
	sqlite3_bind_int64(c->st, 9, q->block_mib);
	bind_text(c->st, 10, q->testbed ?: "");
	*cur = &c->c;
	return 0;
}

/* Each run with every kernel, accel and block size of its measured
 * samples, first seen first (the runs table holds only the first). */
static const char runs_sql[] =
	"SELECT r.run_id, r.status, r.kernel, r.accel, "
	"r.inject_online_delay_ms, "
	"(SELECT count(*) FROM samples s WHERE s.testbed = r.testbed AND "
	"s.run_id = r.run_id), "
	"coalesce((SELECT group_concat(v, ', ') FROM (SELECT s.kernel AS v, "
	"min(s.seq) AS o FROM samples s WHERE s.testbed = r.testbed AND "
	"s.run_id = r.run_id AND s.warmup = 0 GROUP BY v ORDER BY o)), "
	"r.kernel), "
	"coalesce((SELECT group_concat(v, ', ') FROM (SELECT s.accel AS v, "
	"min(s.seq) AS o FROM samples s WHERE s.testbed = r.testbed AND "
	"s.run_id = r.run_id AND s.warmup = 0 GROUP BY v ORDER BY o)), "
	"r.accel), "
	"coalesce((SELECT group_concat(v || 'M', ', ') FROM (SELECT "
	"s.block_mib AS v, min(s.seq) AS o FROM samples s WHERE s.testbed = "
	"r.testbed AND s.run_id = r.run_id AND s.warmup = 0 GROUP BY v "
	"ORDER BY o)), r.block_mib || 'M'), r.testbed, r.job "
	"FROM runs r ORDER BY r.started_utc, r.run_id, r.testbed";

static int sq_runs_open(const char *loc, const char *shown,
			struct history_cursor **cur, char *err, size_t len)
{
	struct sq_cursor *c;
	int ret = cursor_open(loc, shown, runs_sql, &c, err, len);

	*cur = ret ? NULL : &c->c;
	return ret;
}

const struct history_be history_sqlite = {"sqlite", sq_append, sq_baseline,
					  sq_trend_open, sq_runs_open};

/* The run @st holds (columns: see each_sql) with its samples. */
static int each_run(sqlite3 *db, sqlite3_stmt *st, int ver,
		    int (*fn)(const struct history_rec *rec, void *arg),
		    void *arg)
{
	struct sample_table t = {0};
	struct history_rec rec = {0};
	sqlite3_stmt *ss = NULL;
	json_t *m;
	char sql[512];
	int ret;

	rec.run_id = (const char *)sqlite3_column_text(st, 1);
	rec.dir = (const char *)sqlite3_column_text(st, 2);
	rec.started_utc = (const char *)sqlite3_column_text(st, 3);
	snprintf(rec.night, sizeof(rec.night), "%s",
		 (const char *)sqlite3_column_text(st, 4) ?: "");
	rec.status = (const char *)sqlite3_column_text(st, 5);
	rec.kernel = (const char *)sqlite3_column_text(st, 6);
	rec.accel = (const char *)sqlite3_column_text(st, 7);
	rec.block_mib = sqlite3_column_int64(st, 8);
	rec.git_rev = (const char *)sqlite3_column_text(st, 9);
	rec.inject_ms = sqlite3_column_int64(st, 10);
	snprintf(rec.appended_utc, sizeof(rec.appended_utc), "%s",
		 (const char *)sqlite3_column_text(st, 11) ?: "");
	rec.manifest = (const char *)sqlite3_column_text(st, 12) ?: "{}";
	m = json_loads(rec.manifest, 0, NULL);
	history_rec_describe(&rec, m);
	json_decref(m);
	if (ver >= 3) /* the stored testbed and job win */
		snprintf(rec.tb.name, sizeof(rec.tb.name), "%s",
			 (const char *)sqlite3_column_text(st, 0) ?: "");
	snprintf(sql, sizeof(sql),
		 "SELECT run_id, kernel, accel, memmap, block_mib, dimm_mib, "
		 "node, rep, phase, view, metric, value, unit, boot, cycle, "
		 "warmup, block, target_mib, %s, %s, %s FROM samples WHERE "
		 "run_id = ?1 AND %s ORDER BY %s",
		 ver >= 2 ? "offline_fill_pct" : "-1",
		 ver >= 3 ? "zone_present_mib" : "-1",
		 ver >= 3 ? "source" : "'dimm'",
		 ver >= 3 ? "testbed = ?2" : "?2 = ?2",
		 ver >= 3 ? "seq" : "rowid");
	ret = sqlite3_prepare_v2(db, sql, -1, &ss, NULL) ? -EIO : 0;
	if (!ret) {
		sqlite3_bind_value(ss, 1, sqlite3_column_value(st, 1));
		sqlite3_bind_value(ss, 2, sqlite3_column_value(st, 0));
		ret = read_rows(ss, &t);
	}
	sqlite3_finalize(ss);
	rec.t = &t;
	if (!ret)
		ret = fn(&rec, arg);
	samples_free(&t);
	return ret;
}

int history_sqlite_each(const char *path,
			int (*fn)(const struct history_rec *rec, void *arg),
			void *arg, char *err, size_t len)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	char sql[512];
	struct stat sb;
	int ver = 0, ret = 0, rc;

	*err = 0;
	if (stat(path, &sb)) {
		snprintf(err, len, "no history at %s", path);
		return -ENOENT;
	}
	/* read as it is: an old file is imported, not migrated */
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = schema_of(db, &ver);
	if (rc == SQLITE_OK && (!ver || ver > HISTORY_SCHEMA))
		rc = SQLITE_NOTADB;
	snprintf(sql, sizeof(sql),
		 "SELECT %s, run_id, dir, started_utc, night, status, kernel, "
		 "accel, block_mib, git_rev, inject_online_delay_ms, "
		 "appended_utc, manifest FROM runs ORDER BY started_utc, "
		 "run_id",
		 ver >= 3 ? "testbed" : "''");
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, len, "%s: not a mhpbench history (%s)", path,
			 db ? sqlite3_errmsg(db) : "cannot open");
		ret = -EPROTO;
	}
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = each_run(db, st, ver, fn, arg);
		if (ret == -EIO && !*err)
			snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}
