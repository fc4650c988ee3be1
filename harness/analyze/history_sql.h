/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SQL both history back ends run (history_be.h): the schema's columns
 * and the queries they share, written with SQLite's ?N parameters
 * (history_pg.c turns them into $N). Where the two dialects differ
 * (column types, string aggregation) each back end has its own text. */
#ifndef MHP_HISTORY_SQL_H
#define MHP_HISTORY_SQL_H

/* The columns of runs and of samples, in the order the back ends bind
 * them (appending) and read them (baseline, import). */
#define HISTORY_RUN_COLS                                                       \
	"testbed, run_id, dir, started_utc, night, status, kernel, accel, "    \
	"block_mib, git_rev, inject_online_delay_ms, appended_utc, manifest, " \
	"job, hostname, cpu_model, cpus, host_kernel, qemu_version"
#define HISTORY_RUN_NCOLS 19
#define HISTORY_SAMPLE_COLS                                                    \
	"testbed, run_id, seq, kernel, accel, memmap, block_mib, dimm_mib, "   \
	"node, rep, phase, view, metric, value, unit, boot, cycle, warmup, "   \
	"block, target_mib, offline_fill_pct, zone_present_mib, source"
#define HISTORY_SAMPLE_NCOLS 23

/* For each (kernel ?1, accel ?2, block size ?3): the measured samples of
 * the last ?7 complete, uninjected runs of testbed ?4 and job ?5 but run
 * ?6 that have such samples, their columns in the order of struct
 * sample's fields (history_sqlite.c and history_pg.c read them so). */
extern const char history_sql_baseline[];

/* The samples of a trend (history_query; ?1 by run, ?2 metric, ?3 view,
 * ?4 phase, ?5 memmap, ?6 DIMM MiB, ?7 kernel, ?8 accel, ?9 block MiB,
 * ?10 testbed), ordered by cell, then by when their run started. */
extern const char history_sql_trend[];

#endif
