/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The run history: a SQLite file (results/history.db by default) or a
 * PostgreSQL database that a fleet of hosts shares (README, "A lab of many
 * hosts"). Each function's first argument is the history's *location*: a
 * file path, or a postgresql:// (postgres://) URI or libpq key=value
 * conninfo. Each run is appended in one transaction with its manifest,
 * testbed and samples; an incomplete run is stored as incomplete. The gate
 * can use the history as its baseline; `mhpbench history` (history_cmd.h)
 * lists it and prints trends (history_trend.h) from what is read back
 * here. Errors name the location without its password. */
#ifndef MHP_HISTORY_H
#define MHP_HISTORY_H

#include "analyze/analysis.h"

#include <stdint.h>

/* Whether @loc names a PostgreSQL database rather than a SQLite file. */
int history_is_pg(const char *loc);

/* The location to use: @opt (a --history option) if given, else
 * $MHPBENCH_HISTORY, else @root/history.db, in @buf. */
const char *history_location(const char *opt, const char *root, char *buf,
			     size_t len);

/* The testbed a run's @manifest names (README, "A lab of many hosts"):
 * its "testbed", else its host name, else "". */
void history_testbed_name(json_t *manifest, char *buf, size_t len);

/* @loc as it may be printed: a password in a URI or conninfo removed. */
void history_shown(const char *loc, char *buf, size_t len);

/* Appends (or replaces) the run in @run_dir. 0 or -errno, with a one-line
 * reason in @err: -ECONNREFUSED, -ECONNRESET (a server not reached, or gone
 * mid-append: nothing of the run is stored), -EPROTO (another schema
 * version), -EIO (a write that failed). A run is identified by its testbed
 * and run id: appending it again replaces it. Safe to call at the end of
 * every run, and from several hosts at once. */
int history_append_run(const char *db_path, const char *run_dir, char *err,
		       size_t len);

/* Stores every run of the SQLite history at @old_path in the history at
 * @loc (each replacing a stored run of its testbed and id). 0 or -errno,
 * with @n the number of runs imported. */
int history_import(const char *loc, const char *old_path, int *n, char *err,
		   size_t len);

/* Fills @out with the measured samples of the history's complete,
 * uninjected runs like @cand: for each kernel label, accel and block size
 * of @cand's samples, those of the last @max_runs runs of @cand's testbed
 * and job that have them (the candidate itself left out). -ENOENT: no
 * history; -ENODATA: no such runs. */
int history_baseline(const char *db_path, const struct ana_run *cand,
		     int max_runs, struct ana_run *out, char *err, size_t len);

/* Which trend `mhpbench history` shows. */
struct history_query {
	const char *metric, *phase, *view;
	const char *memmap; /* "" = every mode */
	int64_t dimm_mib;   /* 0 = every size */
	const char *kernel; /* "" or NULL = every kernel label */
	const char *accel;  /* "" or NULL = every accel */
	int64_t block_mib;  /* 0 = every block size */
	int by_run;	    /* one point per run instead of per night */
	int window;
	double alpha;
	const char *testbed; /* "" or NULL = the fleet: a trend per testbed */
};

/* A query over the history, read row by row. The *_open functions return
 * 0 or -errno with a one-line reason in @err: -ENOENT no history, -EPROTO
 * not a history, -EIO a query that failed. */
struct history_cursor;
void history_cursor_close(struct history_cursor *cur);

/* One measured sample of a trend, from a complete run. */
struct history_sample {
	char group[96]; /* the night (UTC date), or the run id by run */
	char kernel[128];
	char accel[16];
	int64_t block_mib;
	char memmap[8];
	int64_t dimm_mib;
	int node;
	int offline_fill_pct;	  /* -1: no fill axis */
	int64_t zone_present_mib; /* -1: no zone_present axis */
	char source[8];		  /* "dimm" or "pmem" */
	double value;
	int injected; /* the run had inject_online_delay set */
	char testbed[128];
};

/* The samples @q selects, ordered by cell (testbed, kernel, accel, block size,
 * mode, DIMM size, node, offline fill: a trend never mixes them), then by when
 * their run started. _next: 1 with the next sample in @s, 0 at the end, -EIO
 * with the reason in @err. */
int history_trend_open(const char *db_path, const struct history_query *q,
		       struct history_cursor **cur, char *err, size_t len);
int history_trend_next(struct history_cursor *cur, struct history_sample *s,
		       char *err, size_t len);

/* One stored run; the strings live until the next call. kernels, accels
 * and blocks list every value of its measured samples ("base, patched",
 * "128M, 256M"); kernel and accel are the run's first. */
struct history_run {
	const char *run_id, *status, *kernel, *accel;
	const char *kernels, *accels, *blocks;
	int injected; /* inject_online_delay was set */
	int samples;
	const char *testbed, *job;
};

/* Every stored run, oldest first. _next: 1 with the next run in @r, 0 at
 * the end (or when the query fails). */
int history_runs_open(const char *db_path, struct history_cursor **cur,
		      char *err, size_t len);
int history_runs_next(struct history_cursor *cur, struct history_run *r);

#endif
