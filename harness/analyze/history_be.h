/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the history (history.h): what a back end stores and reads. The
 * front (history.c) turns a run directory into a history_rec, picks the
 * back end from the location (a file: SQLite, history_sqlite.c; a
 * postgresql:// URI or libpq conninfo: PostgreSQL, history_pg.c) and
 * builds the gate's baseline from the cells the back end reads. Both back
 * ends hold the same schema (README, "A lab of many hosts"): runs keyed by
 * (testbed, run_id), samples, and schema_version. */
#ifndef MHP_HISTORY_BE_H
#define MHP_HISTORY_BE_H

#include "analyze/history.h"

/* The schema this mhpbench writes and reads. 1: the first; 2: samples'
 * offline_fill_pct; 3: the testbed and job of each run (and the key
 * (testbed, run_id)), each sample's seq, the schema_version table. */
#define HISTORY_SCHEMA 3

/* The host a run ran on (README, "A lab of many hosts"): its name keys
 * the history, the rest says what it was. */
struct history_testbed {
	char name[128];
	char hostname[128];
	char cpu_model[128];
	int cpus;
	char host_kernel[128];
	char qemu_version[128];
};

/* One run as stored: a row of runs and its samples. */
struct history_rec {
	const char *run_id, *dir, *started_utc, *status, *kernel, *accel;
	const char *git_rev, *manifest; /* compact JSON */
	char night[16], appended_utc[32], job[128];
	int64_t block_mib, inject_ms;
	struct history_testbed tb;
	const struct sample_table *t;
};

/* Fills @rec's testbed and job from a run's @manifest. */
void history_rec_describe(struct history_rec *rec, json_t *manifest);

/* One cell axis combination the gate's baseline asks for. */
struct history_bkey {
	const char *kernel, *accel;
	int64_t block_mib;
};

/* What the candidate of a baseline is: its testbed and job select, its own
 * run is left out, and only runs that started before it count (a
 * candidate gated again later must not get a baseline from its future;
 * "" when its start is unknown). */
struct history_bwho {
	const char *testbed, *job, *run_id, *started_utc;
};

/* A cursor: each back end's embeds this first. */
struct history_cursor {
	int (*trend_next)(struct history_cursor *c, struct history_sample *s,
			  char *err, size_t len);
	int (*runs_next)(struct history_cursor *c, struct history_run *r);
	void (*close)(struct history_cursor *c);
};

/* A back end. Every function returns 0 or -errno with a one-line reason
 * in @err that names the history as @shown (the location without its
 * password). -ENOENT: no history there; -EPROTO: not a history, or
 * another schema version; -ECONNREFUSED: the server cannot be reached or
 * refused the login; -ECONNRESET: it went away mid-query; -EIO: a
 * statement failed. */
struct history_be {
	const char *name;
	int (*append)(const char *loc, const char *shown,
		      const struct history_rec *rec, char *err, size_t len);
	/* For each of @nkeys keys: the measured samples of the last
	 * @max_runs complete, uninjected runs of @who's testbed and job,
	 * started before it, that have samples of that key (and only those
	 * samples), into @out. */
	int (*baseline)(const char *loc, const char *shown,
			const struct history_bwho *who,
			const struct history_bkey *keys, int nkeys,
			int max_runs, struct sample_table *out, char *err,
			size_t len);
	int (*trend_open)(const char *loc, const char *shown,
			  const struct history_query *q,
			  struct history_cursor **cur, char *err, size_t len);
	int (*runs_open)(const char *loc, const char *shown,
			 struct history_cursor **cur, char *err, size_t len);
};

extern const struct history_be history_sqlite, history_pg;

/* Appends @s to @t. 0 or -ENOMEM. */
int history_table_push(struct sample_table *t, const struct sample *s);

/* Reads every run of the SQLite history at @path, oldest first, and hands
 * each to @fn (for `--import`); stops at the first nonzero @fn returns. */
int history_sqlite_each(const char *path,
			int (*fn)(const struct history_rec *rec, void *arg),
			void *arg, char *err, size_t len);

#endif
