// SPDX-License-Identifier: GPL-2.0-or-later
/* The history in a PostgreSQL database that many hosts share (README, "A
 * lab of many hosts"), through libpq: the schema (history_be.h), created
 * under an advisory lock by the first mhpbench that finds none; a run
 * appended in one transaction (its row upserted first, which locks it, so
 * two hosts appending the same run queue instead of doubling its samples;
 * the samples by COPY); readers see only committed runs. */
#include "analyze/history_be.h"
#include "analyze/history_sql.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The schema of history_sqlite.c with PostgreSQL's types. */
static const char schema_ddl[] =
	"CREATE TABLE IF NOT EXISTS runs (testbed TEXT NOT NULL DEFAULT '', "
	"run_id TEXT NOT NULL, dir TEXT, started_utc TEXT, night TEXT, "
	"status TEXT NOT NULL, kernel TEXT, accel TEXT, block_mib BIGINT, "
	"git_rev TEXT, inject_online_delay_ms BIGINT, appended_utc TEXT, "
	"manifest TEXT NOT NULL, job TEXT NOT NULL DEFAULT '', hostname "
	"TEXT, cpu_model TEXT, cpus INTEGER, host_kernel TEXT, qemu_version "
	"TEXT, PRIMARY KEY (testbed, run_id));"
	"CREATE TABLE IF NOT EXISTS samples (testbed TEXT NOT NULL DEFAULT "
	"'', run_id TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0, kernel "
	"TEXT, accel TEXT, memmap TEXT, block_mib BIGINT, dimm_mib BIGINT, "
	"node INTEGER, rep INTEGER, phase TEXT, view TEXT, metric TEXT, "
	"value DOUBLE PRECISION, unit TEXT, boot INTEGER, cycle INTEGER, "
	"warmup INTEGER, block INTEGER, target_mib BIGINT, offline_fill_pct "
	"INTEGER NOT NULL DEFAULT -1, zone_present_mib BIGINT NOT NULL "
	"DEFAULT -1, source TEXT NOT NULL DEFAULT 'dimm');"
	"CREATE INDEX IF NOT EXISTS samples_run ON samples(testbed, run_id);"
	"CREATE INDEX IF NOT EXISTS samples_cell ON samples(metric, view, "
	"phase, memmap, dimm_mib);"
	"CREATE INDEX IF NOT EXISTS runs_testbed ON runs(testbed, job, "
	"status);"
	"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT "
	"NULL);";

/* Any 64-bit number: the lock every creator of the schema takes. */
#define SCHEMA_LOCK "7306813924187150899"

/* libpq's multi-line message on one line: its line breaks and tabs as
 * "; " and spaces. */
static void one_line(const char *msg, char *buf, size_t len)
{
	size_t at = 0;

	for (; *msg && at + 3 < len; msg++) {
		if (*msg == '\n' && msg[1] && at) {
			buf[at++] = ';';
			buf[at++] = ' ';
		} else if (*msg == '\t') {
			if (at && buf[at - 1] != ' ')
				buf[at++] = ' ';
		} else if (*msg != '\n') {
			buf[at++] = *msg;
		}
	}
	buf[at] = 0;
}

static void quiet(void *arg, const char *msg)
{
}

/* Connects; a server that cannot be reached or refuses the login is
 * -ECONNREFUSED, said with libpq's words (which never hold the
 * password). Connecting gives up after 10 s unless the location sets
 * connect_timeout. */
static int pg_connect(const char *loc, const char *shown, PGconn **conn,
		      char *err, size_t len)
{
	const char *const keys[] = {"connect_timeout", "application_name",
				    "dbname", NULL};
	const char *const vals[] = {"10", "mhpbench", loc, NULL};
	char why[768];

	*conn = PQconnectdbParams(keys, vals, 1);
	if (*conn && PQstatus(*conn) == CONNECTION_OK) {
		PQsetNoticeProcessor(*conn, quiet, NULL);
		return 0;
	}
	one_line(*conn ? PQerrorMessage(*conn) : "out of memory", why,
		 sizeof(why));
	snprintf(err, len, "history %s: cannot connect to the server: %s",
		 shown, why);
	PQfinish(*conn);
	*conn = NULL;
	return -ECONNREFUSED;
}

/* The error of a failed @what: -ECONNRESET when the server went away,
 * else -EPROTO with its message. */
static int pg_fail(PGconn *c, PGresult *res, const char *shown,
		   const char *what, char *err, size_t len)
{
	char why[768];
	int gone = PQstatus(c) != CONNECTION_OK;

	one_line(res && PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res)
						     : PQerrorMessage(c),
		 why, sizeof(why));
	snprintf(err, len, "history %s: %s%s: %s", shown,
		 gone ? "lost the server during " : "", what, why);
	PQclear(res);
	return gone ? -ECONNRESET : -EPROTO;
}

/* Runs @sql (no parameters) expecting @want. */
static int pg_exec(PGconn *c, const char *sql, ExecStatusType want,
		   const char *shown, const char *what, char *err, size_t len)
{
	PGresult *res = PQexec(c, sql);

	if (PQresultStatus(res) != want)
		return pg_fail(c, res, shown, what, err, len);
	PQclear(res);
	return 0;
}

/* The stored schema version: 0 when there is none. */
static int pg_version(PGconn *c, int *ver, const char *shown, char *err,
		      size_t len)
{
	PGresult *res = PQexec(c, "SELECT to_regclass('schema_version') IS "
				  "NULL, to_regclass('runs') IS NULL");

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(c, res, shown, "reading the schema version", err,
			       len);
	if (*PQgetvalue(res, 0, 0) == 't') {
		/* tables of someone else's, not a history */
		*ver = *PQgetvalue(res, 0, 1) == 't' ? 0 : -1;
		PQclear(res);
		return 0;
	}
	PQclear(res);
	res = PQexec(c, "SELECT coalesce(max(version), 0) FROM "
			"schema_version");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(c, res, shown, "reading the schema version", err,
			       len);
	*ver = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Creates the schema in one transaction under an advisory lock. A
 * second host waits for the lock, then finds it made and does nothing:
 * even CREATE INDEX IF NOT EXISTS would lock the tables against the
 * appends that the first host's schema already lets run (a deadlock).
 * The lock is the session's, taken before the transaction: a transaction
 * that starts after the wait sees the tables made meanwhile (a name
 * looked up inside one could still be the cached "no such table"). */
static int pg_create(PGconn *c, const char *shown, char *err, size_t len)
{
	const char *what = "creating the schema";
	int ver = 0,
	    ret = pg_exec(c, "SELECT pg_advisory_lock(" SCHEMA_LOCK ")",
			  PGRES_TUPLES_OK, shown, what, err, len);

	if (!ret)
		ret = pg_exec(c, "BEGIN", PGRES_COMMAND_OK, shown, what, err,
			      len);
	if (!ret)
		ret = pg_version(c, &ver, shown, err, len);
	if (!ret && !ver)
		ret = pg_exec(c, schema_ddl, PGRES_COMMAND_OK, shown, what, err,
			      len);
	if (!ret && !ver)
		ret = pg_exec(c, "INSERT INTO schema_version VALUES (3)",
			      PGRES_COMMAND_OK, shown, what, err, len);
	if (!ret)
		ret = pg_exec(c, "COMMIT", PGRES_COMMAND_OK, shown, what, err,
			      len);
	if (!ret)
		ret = pg_exec(c, "SELECT pg_advisory_unlock(" SCHEMA_LOCK ")",
			      PGRES_TUPLES_OK, shown, what, err, len);
	return ret;
}

/* Connects and checks the schema: made when @create and there is none,
 * else -ENOENT; another version is -EPROTO. */
static int pg_open(const char *loc, const char *shown, int create, PGconn **c,
		   char *err, size_t len)
{
	int ver = 0, ret = pg_connect(loc, shown, c, err, len);

	if (!ret)
		ret = pg_version(*c, &ver, shown, err, len);
	if (!ret && !ver && create)
		ret = pg_create(*c, shown, err, len);
	if (!ret && !ver && create)
		ret = pg_version(*c, &ver, shown, err, len);
	if (!ret && !ver) {
		snprintf(err, len,
			 "no history at %s (append runs with `mhpbench "
			 "history --append RUN`)",
			 shown);
		ret = -ENOENT;
	} else if (!ret && ver != HISTORY_SCHEMA) {
		if (ver < 0)
			snprintf(err, len,
				 "history %s: not a mhpbench history (a runs "
				 "table but no schema_version)",
				 shown);
		else
			snprintf(err, len,
				 "history %s: schema version %d, but this "
				 "mhpbench reads and writes version %d%s",
				 shown, ver, HISTORY_SCHEMA,
				 ver > HISTORY_SCHEMA ? ": update mhpbench"
						      : "");
		ret = -EPROTO;
	}
	if (ret) {
		PQfinish(*c);
		*c = NULL;
	}
	return ret;
}

/* @sql with SQLite's ?N parameters as libpq's $N (history_sql.h). */
static char *dollars(const char *sql)
{
	char *s = strdup(sql), *p;

	for (p = s; p && (p = strchr(p, '?')); p++)
		*p = '$';
	return s;
}

static PGresult *pg_params(PGconn *c, const char *sql, int n,
			   const char *const *vals)
{
	char *q = dollars(sql);
	PGresult *res =
		q ? PQexecParams(c, q, n, NULL, vals, NULL, NULL, 0) : NULL;

	free(q);
	return res;
}

static int upsert_run(PGconn *c, const struct history_rec *rec,
		      const char *shown, char *err, size_t len)
{
	char blk[24], inj[24], cpus[16];
	const char *v[HISTORY_RUN_NCOLS] = {
		rec->tb.name,	     rec->run_id, rec->dir,
		rec->started_utc,    rec->night,  rec->status,
		rec->kernel,	     rec->accel,  blk,
		rec->git_rev,	     inj,	  rec->appended_utc,
		rec->manifest,	     rec->job,	  rec->tb.hostname,
		rec->tb.cpu_model,   cpus,	  rec->tb.host_kernel,
		rec->tb.qemu_version};
	PGresult *res;

	snprintf(blk, sizeof(blk), "%lld", (long long)rec->block_mib);
	snprintf(inj, sizeof(inj), "%lld", (long long)rec->inject_ms);
	snprintf(cpus, sizeof(cpus), "%d", rec->tb.cpus);
	res = pg_params(
		c,
		"INSERT INTO runs (" HISTORY_RUN_COLS
		") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		"?13, ?14, ?15, ?16, ?17, ?18, ?19) ON CONFLICT (testbed, "
		"run_id) DO UPDATE SET dir = EXCLUDED.dir, started_utc = "
		"EXCLUDED.started_utc, night = EXCLUDED.night, status = "
		"EXCLUDED.status, kernel = EXCLUDED.kernel, accel = "
		"EXCLUDED.accel, block_mib = EXCLUDED.block_mib, git_rev = "
		"EXCLUDED.git_rev, inject_online_delay_ms = "
		"EXCLUDED.inject_online_delay_ms, appended_utc = "
		"EXCLUDED.appended_utc, manifest = EXCLUDED.manifest, job = "
		"EXCLUDED.job, hostname = EXCLUDED.hostname, cpu_model = "
		"EXCLUDED.cpu_model, cpus = EXCLUDED.cpus, host_kernel = "
		"EXCLUDED.host_kernel, qemu_version = EXCLUDED.qemu_version",
		HISTORY_RUN_NCOLS, v);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return pg_fail(c, res, shown, "storing the run", err, len);
	PQclear(res);
	res = pg_params(c,
			"DELETE FROM samples WHERE testbed = ?1 AND run_id = "
			"?2",
			2, v);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return pg_fail(c, res, shown, "replacing the run's samples",
			       err, len);
	PQclear(res);
	return 0;
}

/* @s into COPY's text format: \, tab and newlines escaped. */
static size_t copy_text(char *out, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		const char *e = *s == '\\'   ? "\\\\"
				: *s == '\t' ? "\\t"
				: *s == '\n' ? "\\n"
				: *s == '\r' ? "\\r"
					     : NULL;

		if (e) {
			memcpy(out + n, e, 2);
			n += 2;
		} else {
			out[n++] = *s;
		}
	}
	return n;
}

/* One sample as a COPY row (columns HISTORY_SAMPLE_COLS). */
static size_t copy_row(char *out, const struct history_rec *rec, size_t i)
{
	const struct sample *s = &rec->t->s[i];
	const char *txt[] = {rec->tb.name, rec->run_id, s->kernel,
			     s->accel,	   s->memmap,	s->phase,
			     s->view,	   s->metric,	s->unit};
	size_t n = 0;
	int k;

	for (k = 0; k < 2; k++) {
		n += copy_text(out + n, txt[k]);
		out[n++] = '\t';
	}
	n += sprintf(out + n, "%zu\t", i);
	for (k = 2; k < 5; k++) {
		n += copy_text(out + n, txt[k]);
		out[n++] = '\t';
	}
	n += sprintf(out + n, "%lld\t%lld\t%d\t%d\t", (long long)s->block_mib,
		     (long long)s->dimm_mib, s->node, s->rep);
	for (k = 5; k < 8; k++) {
		n += copy_text(out + n, txt[k]);
		out[n++] = '\t';
	}
	n += sprintf(out + n, "%.17g\t", s->value);
	n += copy_text(out + n, txt[8]);
	n += sprintf(out + n, "\t%d\t%d\t%d\t%d\t%lld\t%d\t%lld\t", s->boot,
		     s->cycle, s->warmup, s->block, (long long)s->target_mib,
		     s->offline_fill_pct, (long long)s->zone_present_mib);
	n += copy_text(out + n, s->source[0] ? s->source : "dimm");
	out[n++] = '\n';
	return n;
}

/* The run's samples by COPY, in chunks of about 64 KiB. */
static int copy_samples(PGconn *c, const struct history_rec *rec,
			const char *shown, char *err, size_t len)
{
	/* a row: 10 texts of at most 2 x 128 escaped bytes and 13 numbers */
	enum { ROW_MAX = 10 * 256 + 13 * 32, CHUNK = 65536 };
	char *buf = malloc(CHUNK + ROW_MAX);
	PGresult *res =
		PQexec(c, "COPY samples (" HISTORY_SAMPLE_COLS ") FROM STDIN");
	size_t at = 0, i;
	int ok = PQresultStatus(res) == PGRES_COPY_IN;

	PQclear(res);
	if (!ok || !buf) {
		free(buf);
		return pg_fail(c, NULL, shown, "copying the samples", err, len);
	}
	for (i = 0; ok && i < rec->t->n; i++) {
		at += copy_row(buf + at, rec, i);
		if (at >= CHUNK || i + 1 == rec->t->n) {
			ok = PQputCopyData(c, buf, (int)at) == 1;
			at = 0;
		}
	}
	free(buf);
	ok = PQputCopyEnd(c, ok ? NULL : "mhpbench: a write failed") == 1 && ok;
	res = PQgetResult(c);
	if (!ok || PQresultStatus(res) != PGRES_COMMAND_OK)
		return pg_fail(c, res, shown, "copying the samples", err, len);
	PQclear(res);
	while ((res = PQgetResult(c)))
		PQclear(res);
	return 0;
}

static int pg_append(const char *loc, const char *shown,
		     const struct history_rec *rec, char *err, size_t len)
{
	PGconn *c;
	int ret = pg_open(loc, shown, 1, &c, err, len);

	if (ret)
		return ret;
	ret = pg_exec(c, "BEGIN", PGRES_COMMAND_OK, shown, "appending", err,
		      len);
	if (!ret)
		ret = upsert_run(c, rec, shown, err, len);
	if (!ret && rec->t && rec->t->n)
		ret = copy_samples(c, rec, shown, err, len);
	if (!ret)
		ret = pg_exec(c, "COMMIT", PGRES_COMMAND_OK, shown,
			      "committing the run", err, len);
	if (ret == -ECONNRESET) {
		size_t n = strlen(err);

		snprintf(err + n, len - n,
			 "; nothing of run %s was stored (append it again "
			 "later)",
			 rec->run_id);
	}
	PQfinish(c);
	return ret;
}

/* A value of @res as a number. */
static long long num(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static void txt(const PGresult *res, int row, int col, char *buf, size_t len)
{
	snprintf(buf, len, "%s", PQgetvalue(res, row, col));
}

static int push_rows(const PGresult *res, struct sample_table *t)
{
	int n = PQntuples(res), ret = 0;

	for (int i = 0; !ret && i < n; i++) {
		struct sample s = {0};

		txt(res, i, 0, s.run_id, sizeof(s.run_id));
		txt(res, i, 1, s.kernel, sizeof(s.kernel));
		txt(res, i, 2, s.accel, sizeof(s.accel));
		txt(res, i, 3, s.memmap, sizeof(s.memmap));
		s.block_mib = num(res, i, 4);
		s.dimm_mib = num(res, i, 5);
		s.node = (int)num(res, i, 6);
		s.rep = (int)num(res, i, 7);
		txt(res, i, 8, s.phase, sizeof(s.phase));
		txt(res, i, 9, s.view, sizeof(s.view));
		txt(res, i, 10, s.metric, sizeof(s.metric));
		s.value = strtod(PQgetvalue(res, i, 11), NULL);
		txt(res, i, 12, s.unit, sizeof(s.unit));
		s.boot = (int)num(res, i, 13);
		s.cycle = (int)num(res, i, 14);
		s.warmup = (int)num(res, i, 15);
		s.block = (int)num(res, i, 16);
		s.target_mib = num(res, i, 17);
		s.offline_fill_pct = (int)num(res, i, 18);
		s.zone_present_mib = num(res, i, 19);
		txt(res, i, 20, s.source, sizeof(s.source));
		ret = history_table_push(t, &s);
	}
	return ret;
}

static int pg_baseline(const char *loc, const char *shown,
		       const struct history_bwho *who,
		       const struct history_bkey *keys, int nkeys, int max_runs,
		       struct sample_table *out, char *err, size_t len)
{
	char blk[24], lim[16];
	PGconn *c;
	int ret = pg_open(loc, shown, 0, &c, err, len);

	if (ret)
		return ret;
	/* one snapshot: every key sees the same runs */
	ret = pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		      PGRES_COMMAND_OK, shown, "reading the baseline", err,
		      len);
	snprintf(lim, sizeof(lim), "%d", max_runs);
	for (int k = 0; !ret && k < nkeys; k++) {
		const char *v[] = {
			keys[k].kernel, keys[k].accel, blk, who->testbed,
			who->job,	who->run_id,   lim, who->started_utc};
		PGresult *res;

		snprintf(blk, sizeof(blk), "%lld",
			 (long long)keys[k].block_mib);
		res = pg_params(c, history_sql_baseline, 8, v);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			ret = pg_fail(c, res, shown, "reading the baseline",
				      err, len);
			break;
		}
		ret = push_rows(res, out);
		PQclear(res);
	}
	PQfinish(c);
	return ret;
}

/* A query's whole result, read row by row. */
struct pg_cursor {
	struct history_cursor c;
	PGresult *res;
	int row;
};

static void pgc_close(struct history_cursor *c)
{
	struct pg_cursor *p = (struct pg_cursor *)c;

	PQclear(p->res);
	free(p);
}

static int pgc_trend_next(struct history_cursor *c, struct history_sample *s,
			  char *err, size_t len)
{
	struct pg_cursor *p = (struct pg_cursor *)c;
	const PGresult *r = p->res;
	int i = p->row;

	if (i >= PQntuples(r))
		return 0;
	p->row++;
	txt(r, i, 0, s->group, sizeof(s->group));
	txt(r, i, 1, s->memmap, sizeof(s->memmap));
	s->dimm_mib = num(r, i, 2);
	s->value = strtod(PQgetvalue(r, i, 3), NULL);
	s->injected = num(r, i, 4) != 0;
	txt(r, i, 5, s->kernel, sizeof(s->kernel));
	txt(r, i, 6, s->accel, sizeof(s->accel));
	s->block_mib = num(r, i, 7);
	s->node = (int)num(r, i, 8);
	s->offline_fill_pct = (int)num(r, i, 9);
	txt(r, i, 10, s->testbed, sizeof(s->testbed));
	s->zone_present_mib = num(r, i, 11);
	txt(r, i, 12, s->source, sizeof(s->source));
	return 1;
}

static int pgc_runs_next(struct history_cursor *c, struct history_run *h)
{
	struct pg_cursor *p = (struct pg_cursor *)c;
	const PGresult *r = p->res;
	int i = p->row;

	if (i >= PQntuples(r))
		return 0;
	p->row++;
	h->run_id = PQgetvalue(r, i, 0);
	h->status = PQgetvalue(r, i, 1);
	h->kernel = PQgetvalue(r, i, 2);
	h->accel = PQgetvalue(r, i, 3);
	h->injected = num(r, i, 4) != 0;
	h->samples = (int)num(r, i, 5);
	h->kernels = PQgetvalue(r, i, 6);
	h->accels = PQgetvalue(r, i, 7);
	h->blocks = PQgetvalue(r, i, 8);
	h->testbed = PQgetvalue(r, i, 9);
	h->job = PQgetvalue(r, i, 10);
	return 1;
}

/* Runs @sql and keeps its result for the cursor. */
static int pgc_open(const char *loc, const char *shown, const char *sql, int n,
		    const char *const *vals, const char *what,
		    struct history_cursor **cur, char *err, size_t len)
{
	struct pg_cursor *p;
	PGresult *res;
	PGconn *c;
	int ret = pg_open(loc, shown, 0, &c, err, len);

	*cur = NULL;
	if (ret)
		return ret;
	res = pg_params(c, sql, n, vals);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		ret = pg_fail(c, res, shown, what, err, len);
		PQfinish(c);
		return ret;
	}
	PQfinish(c);
	p = calloc(1, sizeof(*p));
	if (!p) {
		PQclear(res);
		return -ENOMEM;
	}
	p->c = (struct history_cursor){pgc_trend_next, pgc_runs_next,
				       pgc_close};
	p->res = res;
	*cur = &p->c;
	return 0;
}

static int pg_trend_open(const char *loc, const char *shown,
			 const struct history_query *q,
			 struct history_cursor **cur, char *err, size_t len)
{
	char by[4], dimm[24], blk[24];
	const char *v[] = {by,
			   q->metric,
			   q->view,
			   q->phase,
			   q->memmap,
			   dimm,
			   q->kernel ?: "",
			   q->accel ?: "",
			   blk,
			   q->testbed ?: ""};

	snprintf(by, sizeof(by), "%d", q->by_run);
	snprintf(dimm, sizeof(dimm), "%lld", (long long)q->dimm_mib);
	snprintf(blk, sizeof(blk), "%lld", (long long)q->block_mib);
	return pgc_open(loc, shown, history_sql_trend, 10, v,
			"reading the trend", cur, err, len);
}

/* Each run with every kernel, accel and block size of its measured
 * samples, first seen first (as history_sqlite.c's). */
static const char runs_sql[] =
	"SELECT r.run_id, r.status, r.kernel, r.accel, "
	"r.inject_online_delay_ms, (SELECT count(*) FROM samples s WHERE "
	"s.testbed = r.testbed AND s.run_id = r.run_id), "
	"coalesce((SELECT string_agg(v, ', ' ORDER BY o) FROM (SELECT "
	"s.kernel AS v, min(s.seq) AS o FROM samples s WHERE s.testbed = "
	"r.testbed AND s.run_id = r.run_id AND s.warmup = 0 GROUP BY "
	"s.kernel) x), r.kernel), "
	"coalesce((SELECT string_agg(v, ', ' ORDER BY o) FROM (SELECT "
	"s.accel AS v, min(s.seq) AS o FROM samples s WHERE s.testbed = "
	"r.testbed AND s.run_id = r.run_id AND s.warmup = 0 GROUP BY "
	"s.accel) x), r.accel), "
	"coalesce((SELECT string_agg(v || 'M', ', ' ORDER BY o) FROM (SELECT "
	"s.block_mib AS v, min(s.seq) AS o FROM samples s WHERE s.testbed = "
	"r.testbed AND s.run_id = r.run_id AND s.warmup = 0 GROUP BY "
	"s.block_mib) x), r.block_mib || 'M'), r.testbed, r.job "
	"FROM runs r ORDER BY r.started_utc, r.run_id, r.testbed";

static int pg_runs_open(const char *loc, const char *shown,
			struct history_cursor **cur, char *err, size_t len)
{
	return pgc_open(loc, shown, runs_sql, 0, NULL, "listing the runs", cur,
			err, len);
}

const struct history_be history_pg = {"postgresql", pg_append, pg_baseline,
				      pg_trend_open, pg_runs_open};
