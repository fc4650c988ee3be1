/* The run history: results/history.db (SQLite). Each run is appended in one
 * transaction with its manifest and samples; an incomplete run is stored as
 * incomplete. `mhpbench history` prints per-night medians of one cell and
 * marks change points (a windowed Welch t-test, as Apache Otava/Hunter
 * does); the gate can use the history as its baseline. */
#ifndef MHP_HISTORY_H
#define MHP_HISTORY_H

#include "analyze/analysis.h"

#include <stdio.h>

/* Appends (or replaces) the run in @run_dir. 0 or -errno, with a one-line
 * reason in @err. Safe to call at the end of every run. */
int history_append_run(const char *db_path, const char *run_dir, char *err,
		       size_t len);

/* Fills @out with the measured samples of the last @max_runs complete runs
 * in the history that match @cand's kernel, accel and block size (the
 * candidate itself left out). -ENOENT: no history; -ENODATA: no such runs. */
int history_baseline(const char *db_path, const struct ana_run *cand,
		     int max_runs, struct ana_run *out, char *err, size_t len);

/* One point of a trend: a night (UTC date) and the median of its samples. */
struct history_point {
	char night[96]; /* or the run id, per run */
	double median;
	size_t n;
	int change; /* a change point starts at this night */
	double p;   /* the t-test's p at this point (NaN if not tested) */
};

/* Which trend `mhpbench history` shows. */
struct history_query {
	const char *metric, *phase, *view;
	const char *memmap; /* "" = every mode */
	int64_t dimm_mib;   /* 0 = every size */
	int by_run;	    /* one point per run instead of per night */
	int window;
	double alpha;
};

/* Per cell (mode x DIMM size) the per-night (or per-run) medians with the
 * change points, as text or CSV, from complete runs only. */
int history_trend(const char *db_path, const struct history_query *q, int csv,
		  FILE *f, char *err, size_t len);

int history_cmd(int argc, char **argv);

#endif
