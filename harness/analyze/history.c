// SPDX-License-Identifier: GPL-2.0-or-later
/* The run history in SQLite (README, "Analysis: compare, plot, gate,
 * history"): its schema, appending a run, and reading samples back (the
 * gate's baseline, a trend, the list of runs). */
#include "analyze/history.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS runs ("
	" run_id TEXT PRIMARY KEY, dir TEXT, started_utc TEXT, night TEXT,"
	" status TEXT NOT NULL, kernel TEXT, accel TEXT, block_mib INTEGER,"
	" git_rev TEXT, inject_online_delay_ms INTEGER, appended_utc TEXT,"
	" manifest TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS samples ("
	" run_id TEXT NOT NULL REFERENCES runs(run_id), kernel TEXT,"
	" accel TEXT, memmap TEXT, block_mib INTEGER, dimm_mib INTEGER,"
	" node INTEGER, rep INTEGER, phase TEXT, view TEXT, metric TEXT,"
	" value REAL, unit TEXT, boot INTEGER, cycle INTEGER,"
	" warmup INTEGER, block INTEGER, target_mib INTEGER,"
	" offline_fill_pct INTEGER NOT NULL DEFAULT -1,"
	" source TEXT NOT NULL DEFAULT 'dimm');"
	"CREATE INDEX IF NOT EXISTS samples_run ON samples(run_id);"
	"CREATE INDEX IF NOT EXISTS samples_cell ON samples(metric, view,"
	" phase, memmap, dimm_mib);"
	"PRAGMA user_version = 3;";

static int has_column(sqlite3 *db, const char *col)
{
	sqlite3_stmt *st = NULL;
	char sql[96];
	int rc;

	snprintf(sql, sizeof(sql), "SELECT %s FROM main.samples LIMIT 0", col);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_finalize(st);
	return rc == SQLITE_OK;
}

/* Histories from before the offline_fill axis (user_version 1) lack its
 * column, and those from before the source axis (2) lack source: a writer
 * adds them (old rows had no fill, -1, and were pc-dimms), a reader sees
 * the table through a temporary view of the same name, which SQLite
 * resolves before the main schema's table. */
static int fill_column(sqlite3 *db, int writable)
{
	int fill = has_column(db, "offline_fill_pct"),
	    src = has_column(db, "source");
	char sql[256];

	if (fill && src)
		return SQLITE_OK;
	if (writable)
		snprintf(sql, sizeof(sql), "%s%sPRAGMA user_version = 3;",
			 fill ? ""
			      : "ALTER TABLE samples ADD COLUMN "
				"offline_fill_pct "
				"INTEGER NOT NULL DEFAULT -1; ",
			 src ? ""
			     : "ALTER TABLE samples ADD COLUMN source TEXT NOT "
			       "NULL DEFAULT 'dimm'; ");
	else
		snprintf(sql, sizeof(sql),
			 "CREATE TEMP VIEW samples AS SELECT *%s%s FROM "
			 "main.samples;",
			 fill ? "" : ", -1 AS offline_fill_pct",
			 src ? "" : ", 'dimm' AS source");
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static void set_err(char *err, size_t len, const char *fmt, const char *a,
		    const char *b)
{
	if (err && len)
		snprintf(err, len, fmt, a, b);
}

static int open_db(const char *path, int create, sqlite3 **db, char *err,
		   size_t len)
{
	struct stat st;
	int rc;

	*db = NULL;
	if (!create && stat(path, &st)) {
		set_err(err, len,
			"no history at %s%s (append runs with `mhpbench "
			"history --append RUN` or scripts/nightly.sh)",
			path, "");
		return -ENOENT;
	}
	rc = sqlite3_open_v2(path, db,
			     create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
				    : SQLITE_OPEN_READONLY,
			     NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(*db, 10000);
	if (rc == SQLITE_OK && create)
		rc = sqlite3_exec(*db, schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = fill_column(*db, create);
	if (rc == SQLITE_OK && !create)
		rc = sqlite3_exec(*db,
				  "SELECT run_id, status FROM runs "
				  "LIMIT 1; SELECT value FROM samples "
				  "LIMIT 1;",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		set_err(err, len, "%s: not a mhpbench history (%s)", path,
			*db ? sqlite3_errmsg(*db) : "cannot open");
		sqlite3_close(*db);
		*db = NULL;
		return -EPROTO;
	}
	return 0;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int history_append_run(const char *db_path, const char *run_dir, char *err,
		       size_t len)
{
	sqlite3_stmt *st = NULL;
	struct ana_run r;
	char night[16] = "", now[32], *man = NULL;
	const char *status;
	sqlite3 *db = NULL;
	time_t t = time(NULL);
	int ret, rc;
	size_t i;

	ret = ana_load_run(run_dir, &r, err, len);
	/* An incomplete run may have no samples yet: store it anyway. */
	if (ret && !(r.run_id[0] && (ret == -ENODATA || ret == -ENOENT)))
		goto out;
	status = !strcmp(r.status, "complete") && !ret ? "complete"
						       : "incomplete";
	ret = open_db(db_path, 1, &db, err, len);
	if (ret)
		goto out;
	snprintf(night, sizeof(night), "%.10s", r.started_utc);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	man = json_dumps(r.manifest, JSON_COMPACT | JSON_SORT_KEYS);
	rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto db_err;
	/* Appending a run again replaces it (one run, one set of rows). */
	rc = sqlite3_prepare_v2(db,
				"DELETE FROM samples WHERE run_id = ?1; "
				"",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		bind_text(st, 1, r.run_id);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_OK)
		goto rollback;
	rc = sqlite3_prepare_v2(
		db,
		"INSERT OR REPLACE INTO runs (run_id, dir, started_utc, "
		"night, status, kernel, accel, block_mib, git_rev, "
		"inject_online_delay_ms, appended_utc, manifest) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		goto rollback;
	bind_text(st, 1, r.run_id);
	bind_text(st, 2, r.dir);
	bind_text(st, 3, r.started_utc);
	bind_text(st, 4, night);
	bind_text(st, 5, status);
	bind_text(st, 6, r.kernel);
	bind_text(st, 7, r.accel);
	sqlite3_bind_int64(st, 8, r.block_mib);
	bind_text(st, 9, r.git_rev);
	/* the column keeps its name in existing databases: any delay, even
	 * below a millisecond, makes it nonzero */
	sqlite3_bind_int64(st, 10, (r.inject_online_delay_us + 999) / 1000);
	bind_text(st, 11, now);
	bind_text(st, 12, man ?: "{}");
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_OK)
		goto rollback;
	rc = sqlite3_prepare_v2(
		db,
		"INSERT INTO samples (run_id, kernel, accel, memmap, "
		"block_mib, dimm_mib, node, rep, phase, view, metric, value, "
		"unit, boot, cycle, warmup, block, target_mib, "
		"offline_fill_pct, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		"?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
		"?20)",
		-1, &st, NULL);
	for (i = 0; rc == SQLITE_OK && i < r.t.n; i++) {
		const struct sample *s = &r.t.s[i];

		sqlite3_reset(st);
		bind_text(st, 1, s->run_id);
		bind_text(st, 2, s->kernel);
		bind_text(st, 3, s->accel);
		bind_text(st, 4, s->memmap);
		sqlite3_bind_int64(st, 5, s->block_mib);
		sqlite3_bind_int64(st, 6, s->dimm_mib);
		sqlite3_bind_int(st, 7, s->node);
		sqlite3_bind_int(st, 8, s->rep);
		bind_text(st, 9, s->phase);
		bind_text(st, 10, s->view);
		bind_text(st, 11, s->metric);
		sqlite3_bind_double(st, 12, s->value);
		bind_text(st, 13, s->unit);
		sqlite3_bind_int(st, 14, s->boot);
		sqlite3_bind_int(st, 15, s->cycle);
		sqlite3_bind_int(st, 16, s->warmup);
		sqlite3_bind_int(st, 17, s->block);
		sqlite3_bind_int64(st, 18, s->target_mib);
		sqlite3_bind_int(st, 19, s->offline_fill_pct);
		bind_text(st, 20, s->source[0] ? s->source : "dimm");
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_OK)
		goto rollback;
	rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		ret = 0;
		goto out;
	}
rollback:
	set_err(err, len, "%s: %s", db_path, sqlite3_errmsg(db));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	ret = -EIO;
	goto out;
db_err:
	set_err(err, len, "%s: %s", db_path, sqlite3_errmsg(db));
	ret = -EIO;
out:
	free(man);
	sqlite3_close(db);
	ana_free_run(&r);
	return ret;
}

static int table_push(struct sample_table *t, const struct sample *s)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct sample *ns = realloc(t->s, cap * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		t->s = ns;
		t->cap = cap;
	}
	t->s[t->n++] = *s;
	return 0;
}

static void col_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	snprintf(buf, len, "%s", v ? (const char *)v : "");
}

/* Rows of `SELECT <sample columns> ...` into @t. */
static const char sample_cols[] =
	"s.run_id, s.kernel, s.accel, s.memmap, s.block_mib, s.dimm_mib, "
	"s.node, s.rep, s.phase, s.view, s.metric, s.value, s.unit, s.boot, "
	"s.cycle, s.warmup, s.block, s.target_mib, s.offline_fill_pct, "
	"s.source";

static int read_samples(sqlite3_stmt *st, struct sample_table *t)
{
	struct sample s;
	int rc, ret = 0;

	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&s, 0, sizeof(s));
		col_text(st, 0, s.run_id, sizeof(s.run_id));
		col_text(st, 1, s.kernel, sizeof(s.kernel));
		col_text(st, 2, s.accel, sizeof(s.accel));
		col_text(st, 3, s.memmap, sizeof(s.memmap));
		s.block_mib = sqlite3_column_int64(st, 4);
		s.dimm_mib = sqlite3_column_int64(st, 5);
		s.node = sqlite3_column_int(st, 6);
		s.rep = sqlite3_column_int(st, 7);
		col_text(st, 8, s.phase, sizeof(s.phase));
		col_text(st, 9, s.view, sizeof(s.view));
		col_text(st, 10, s.metric, sizeof(s.metric));
		s.value = sqlite3_column_double(st, 11);
		col_text(st, 12, s.unit, sizeof(s.unit));
		s.boot = sqlite3_column_int(st, 13);
		s.cycle = sqlite3_column_int(st, 14);
		s.warmup = sqlite3_column_int(st, 15);
		s.block = sqlite3_column_int(st, 16);
		s.target_mib = sqlite3_column_int64(st, 17);
		s.offline_fill_pct = sqlite3_column_int(st, 18);
		col_text(st, 19, s.source, sizeof(s.source));
		ret = table_push(t, &s);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = -EIO;
	return ret;
}

int history_baseline(const char *db_path, const struct ana_run *cand,
		     int max_runs, struct ana_run *out, char *err, size_t len)
{
	char sql[1024], first[96] = "", last[96] = "";
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	int ret, nruns = 0;

	memset(out, 0, sizeof(*out));
	ret = open_db(db_path, 0, &db, err, len);
	if (ret)
		return ret;
	/* The last @max_runs complete, uninjected runs like the candidate. */
	snprintf(sql, sizeof(sql),
		 "CREATE TEMP TABLE base AS SELECT run_id, started_utc FROM "
		 "runs WHERE status = 'complete' AND kernel = ?1 AND accel = "
		 "?2 AND block_mib = ?3 AND run_id <> ?4 AND "
		 "inject_online_delay_ms = 0 ORDER BY started_utc DESC, "
		 "run_id DESC LIMIT %d",
		 max_runs);
	ret = -EIO;
	if (sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		goto db_err;
	bind_text(st, 1, cand->kernel);
	bind_text(st, 2, cand->accel);
	sqlite3_bind_int64(st, 3, cand->block_mib);
	bind_text(st, 4, cand->run_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto db_err;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db,
			       "SELECT count(*), min(run_id), max(run_id) "
			       "FROM base",
			       -1, &st, NULL) ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto db_err;
	nruns = sqlite3_column_int(st, 0);
	col_text(st, 1, first, sizeof(first));
	col_text(st, 2, last, sizeof(last));
	sqlite3_finalize(st);
	st = NULL;
	if (!nruns) {
		snprintf(err, len,
			 "%s: no complete run with kernel %s, accel %s, %lldM "
			 "blocks (other than the candidate)",
			 db_path, cand->kernel, cand->accel,
			 (long long)cand->block_mib);
		ret = -ENODATA;
		goto out;
	}
	snprintf(sql, sizeof(sql),
		 "SELECT %s FROM samples s JOIN base b ON s.run_id = "
		 "b.run_id WHERE s.warmup = 0",
		 sample_cols);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		goto db_err;
	ret = read_samples(st, &out->t);
	if (ret)
		goto db_err;
	for (size_t i = 0; i < out->t.n; i++)
		ana_axes_add(&out->axes, &out->t.s[i]);
	snprintf(out->dir, sizeof(out->dir), "%s", db_path);
	snprintf(out->run_id, sizeof(out->run_id),
		 "history: %d run%s %.40s%s%.40s", nruns, nruns > 1 ? "s" : "",
		 first, nruns > 1 ? ".." : "", nruns > 1 ? last : "");
	snprintf(out->status, sizeof(out->status), "complete");
	snprintf(out->kernel, sizeof(out->kernel), "%s", cand->kernel);
	snprintf(out->accel, sizeof(out->accel), "%s", cand->accel);
	out->block_mib = cand->block_mib;
	ret = 0;
	goto out;
db_err:
	snprintf(err, len, "%s: %s", db_path, sqlite3_errmsg(db));
	if (!ret)
		ret = -EIO;
	samples_free(&out->t);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}

/* A query being read row by row; @path names the history in errors. */
struct history_cursor {
	const char *path;
	sqlite3 *db;
	sqlite3_stmt *st;
};

void history_cursor_close(struct history_cursor *cur)
{
	if (!cur)
		return;
	sqlite3_finalize(cur->st);
	sqlite3_close(cur->db);
	free(cur);
}

static int cursor_open(const char *db_path, const char *sql,
		       struct history_cursor **cur, char *err, size_t len)
{
	struct history_cursor *c = calloc(1, sizeof(*c));
	int ret;

	*cur = NULL;
	if (!c)
		return -ENOMEM;
	c->path = db_path;
	ret = open_db(db_path, 0, &c->db, err, len);
	if (!ret && sqlite3_prepare_v2(c->db, sql, -1, &c->st, NULL)) {
		snprintf(err, len, "%s: %s", db_path, sqlite3_errmsg(c->db));
		ret = -EIO;
	}
	if (ret)
		history_cursor_close(c);
	else
		*cur = c;
	return ret;
}

static const char trend_sql[] =
	"SELECT CASE WHEN ?1 THEN r.run_id ELSE r.night END AS grp, "
	"s.memmap, s.dimm_mib, s.value, r.inject_online_delay_ms, s.kernel, "
	"s.accel, s.block_mib, s.node, s.offline_fill_pct, s.source "
	"FROM samples s JOIN runs r ON s.run_id = r.run_id "
	"WHERE r.status = 'complete' AND s.warmup = 0 AND s.metric = ?2 "
	"AND s.view = ?3 AND s.phase = ?4 AND (?5 = '' OR s.memmap = ?5) "
	"AND (?6 = 0 OR s.dimm_mib = ?6) AND (?7 = '' OR s.kernel = ?7) "
	"AND (?8 = '' OR s.accel = ?8) AND (?9 = 0 OR s.block_mib = ?9) "
	"ORDER BY s.kernel, s.accel, s.block_mib, s.memmap, s.dimm_mib, "
	"s.node, s.offline_fill_pct, s.source, r.started_utc, r.run_id";

int history_trend_open(const char *db_path, const struct history_query *q,
		       struct history_cursor **cur, char *err, size_t len)
{
	int ret = cursor_open(db_path, trend_sql, cur, err, len);
	sqlite3_stmt *st = ret ? NULL : (*cur)->st;

	if (ret)
		return ret;
	sqlite3_bind_int(st, 1, q->by_run);
	bind_text(st, 2, q->metric);
	bind_text(st, 3, q->view);
	bind_text(st, 4, q->phase);
	bind_text(st, 5, q->memmap);
	sqlite3_bind_int64(st, 6, q->dimm_mib);
	bind_text(st, 7, q->kernel ?: "");
	bind_text(st, 8, q->accel ?: "");
	sqlite3_bind_int64(st, 9, q->block_mib);
	return 0;
}

int history_trend_next(struct history_cursor *cur, struct history_sample *s,
		       char *err, size_t len)
{
	int rc = sqlite3_step(cur->st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		snprintf(err, len, "%s: %s", cur->path,
			 sqlite3_errmsg(cur->db));
		return -EIO;
	}
	col_text(cur->st, 0, s->group, sizeof(s->group));
	col_text(cur->st, 1, s->memmap, sizeof(s->memmap));
	s->dimm_mib = sqlite3_column_int64(cur->st, 2);
	s->value = sqlite3_column_double(cur->st, 3);
	s->injected = sqlite3_column_int64(cur->st, 4) != 0;
	col_text(cur->st, 5, s->kernel, sizeof(s->kernel));
	col_text(cur->st, 6, s->accel, sizeof(s->accel));
	s->block_mib = sqlite3_column_int64(cur->st, 7);
	s->node = sqlite3_column_int(cur->st, 8);
	s->offline_fill_pct = sqlite3_column_int(cur->st, 9);
	col_text(cur->st, 10, s->source, sizeof(s->source));
	return 1;
}

/* Each run with every kernel, accel and block size of its measured
 * samples, first seen first (the runs table holds only the first). */
static const char runs_sql[] =
	"SELECT r.run_id, r.status, r.kernel, r.accel, "
	"r.inject_online_delay_ms, "
	"(SELECT count(*) FROM samples s WHERE s.run_id = r.run_id), "
	"coalesce((SELECT group_concat(v, ', ') FROM (SELECT s.kernel AS v, "
	"min(s.rowid) AS o FROM samples s WHERE s.run_id = r.run_id AND "
	"s.warmup = 0 GROUP BY v ORDER BY o)), r.kernel), "
	"coalesce((SELECT group_concat(v, ', ') FROM (SELECT s.accel AS v, "
	"min(s.rowid) AS o FROM samples s WHERE s.run_id = r.run_id AND "
	"s.warmup = 0 GROUP BY v ORDER BY o)), r.accel), "
	"coalesce((SELECT group_concat(v || 'M', ', ') FROM (SELECT "
	"s.block_mib AS v, min(s.rowid) AS o FROM samples s WHERE "
	"s.run_id = r.run_id AND s.warmup = 0 GROUP BY v ORDER BY o)), "
	"r.block_mib || 'M') "
	"FROM runs r ORDER BY r.started_utc, r.run_id";

int history_runs_open(const char *db_path, struct history_cursor **cur,
		      char *err, size_t len)
{
	return cursor_open(db_path, runs_sql, cur, err, len);
}

int history_runs_next(struct history_cursor *cur, struct history_run *r)
{
	sqlite3_stmt *st = cur->st;

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
	return 1;
}
