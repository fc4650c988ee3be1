/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading finished runs back for analysis (compare, gate, history, plot):
 * a run directory checked for what mhpbench writes, samples grouped into
 * cells, and the A/B comparison of two sets of samples cell by cell:
 * centres, a test on the per-boot centres (Welch) with Holm's correction,
 * and a two-stage bootstrap CI of the ratio of centres that resamples
 * boots, then cycles (results/stats_boot.h). */
#ifndef MHP_ANALYSIS_H
#define MHP_ANALYSIS_H

#include "base/err.h"
#include "results/metric.h"
#include "results/samples.h"
#include "results/stats.h"
#include "results/stats_boot.h"

#include <jansson.h>
#include <stdint.h>

/* The distinct values, first seen first, of the axes that define a cell
 * beside its DIMM, mode and phase: kernel label, accel and block size (in
 * MiB, as text). What a run holds, or one side of a comparison. Past
 * ANA_AXES_MAX values of an axis the count only says "more". */
#define ANA_AXES_MAX 16
struct ana_axes {
	char kernel[ANA_AXES_MAX][128];
	char accel[ANA_AXES_MAX][16];
	char block[ANA_AXES_MAX][24];
	int nkernel, naccel, nblock;
};

/* Counts @s's kernel, accel and block size into @a. */
void ana_axes_add(struct ana_axes *a, const struct sample *s);

/* "base, nomm" / "tcg-icount" / "128M, 256M": one axis's values. @which
 * is 'k', 'a' or 'b'. */
void ana_axes_list(const struct ana_axes *a, int which, char *buf, size_t len);

/* Adds every value of @from to @into. */
void ana_axes_merge(struct ana_axes *into, const struct ana_axes *from);

/* Whether @a and @b hold the same values of one axis (@which 'k', 'a' or
 * 'b'), in any order. */
int ana_axes_same(const struct ana_axes *a, const struct ana_axes *b,
		  int which);

/* The @i-th block size in MiB. */
int64_t ana_axes_block(const struct ana_axes *a, int i);

struct ana_run {
	char dir[4096];
	char run_id[96];
	char status[16];  /* complete, incomplete, running */
	char kernel[128]; /* the first measured sample's, for provenance; */
	char accel[16];	  /* axes holds every value */
	int64_t block_mib;
	struct ana_axes axes; /* of the measured samples */
	int64_t inject_online_delay_us;
	char started_utc[32];
	char git_rev[64];
	json_t *manifest;
	struct sample_table t;
};

/* Loads @dir. On error returns -errno and writes a one-line reason to
 * @err: no such directory, not a run (no manifest.json), corrupt JSON,
 * foreign (no mhpbench provenance), malformed or missing samples.csv, no
 * measured samples. */
int ana_load_run(const char *dir, struct ana_run *r, char *err, size_t len);
void ana_free_run(struct ana_run *r);

/* How a metric reads (results/metric.h): which way is better, the scale
 * and unit it is shown in, its label, how the gate judges it. */
const struct metric_def *ana_metric(const char *name);

/* Picks samples: key=value with key memmap, kernel, accel, boot or
 * node; an empty key takes every measured sample. */
struct ana_sel {
	char key[16];
	char val[128];
};
int ana_parse_sel(const char *text, struct ana_sel *sel);
int ana_sel_match(const struct ana_sel *sel, const struct sample *s);

/* The fields that make a cell. A folded axis (ana_cmp.fold) is left
 * empty ("" or 0): memmap, kernel, accel or node when the selection is on
 * it (both sides' values are then A and B), and kernel, accel or block
 * size when each side holds one value of it (the same one, when both sides
 * are of one run). Every other axis is in the key, so no cell pools
 * samples that differ in it. */
struct ana_key {
	char kernel[128];
	char accel[16];
	int64_t block_mib;
	char memmap[8];
	int64_t dimm_mib;
	int node;
	int64_t target_mib;
	int offline_fill_pct;	  /* -1: no fill axis */
	int64_t zone_present_mib; /* -1: no zone_present axis */
	char source[8];		  /* "dimm" or "pmem": never pooled */
	char phase[24];
	char view[8];
	char metric[48];
	char unit[16];
};

struct ana_row {
	struct ana_key k;
	struct stats_summary a, b;
	double ca, cb;	 /* the centres compared: medians or minimums */
	double *va, *vb; /* the values, for plots and history */
	int *ga, *gb;	 /* each value's boot, 0-based per side */
	size_t boots_a, boots_b;
	/* Both sides have STATS_MIN_BOOTS boots: p is Welch's t-test on the
	 * per-boot centres. Else p is mw.p, a test of cycles that cannot
	 * tell a shift from one boot's luck, and sig stays 0. */
	int gate_grade;
	struct stats_mw mw; /* of the cycles, reported beside p */
	double p;
	double p_holm;
	struct stats_ci ci; /* NaN when undefined */
	int ci_ok;
	double change_pct; /* signed: + is better; for neutral metrics B-A */
	int sig;	   /* gate_grade and p_holm < alpha */
	/* A's and B's values are guest virtual time (metric_virtual_time:
	 * tcg-icount, guest or deep view); they differ only where the accel
	 * is folded into A and B and the sides' accels differ. */
	int virt_a, virt_b;
};

/* What every output says its p and its CI are (README, "Analysis"). */
#define ANA_TEST_TEXT                                                          \
	"Welch t on per-boot centres, two-sided (Mann-Whitney U on cycles "    \
	"where a side has fewer than 2 boots: not gate-grade)"
#define ANA_CI_TEXT                                                            \
	"95% two-stage percentile bootstrap of the ratio B/A (boots, then "    \
	"cycles within them)"

struct ana_opts {
	unsigned long seed; /* bootstrap seed, recorded in every output */
	int reps;	    /* bootstrap resamples */
	double alpha;
	enum stats_center center; /* what change and ratio are taken of */
	/* Which metrics/views take part; NULL = all but errno. */
	const char *const *metrics; /* "metric" or "metric:view" */
	int nmetrics;
	int no_deep; /* a metric named without a view leaves deep cells out */
};

/* Axes a comparison folds into A and B instead of keying cells by. */
enum ana_fold {
	ANA_FOLD_MEMMAP = 1,
	ANA_FOLD_KERNEL = 2,
	ANA_FOLD_ACCEL = 4,
	ANA_FOLD_BLOCK = 8,
	ANA_FOLD_NODE = 16,
	ANA_FOLD_SOURCE = 32,
};

struct ana_cmp {
	struct ana_row *rows;
	size_t n;
	size_t only_a, only_b; /* cells found on one side only */
	struct ana_key *gone;  /* the only_a cells of A, in A's order */
	struct ana_opts o;
	unsigned fold;	       /* enum ana_fold bits */
	struct ana_axes ax[2]; /* what A and B hold (selected, compared) */
};

/* Compares the samples @sa picks from @ta (A) with those @sb picks from
 * @tb (B), cell by cell; @sa and @sb select on the same key (or are NULL
 * or empty). Which axes are folded into A and B is in out->fold (see
 * struct ana_key); rows are ordered by kernel (as first seen), accel,
 * block size, then the cell. 0 or -ENOMEM. */
int ana_compare(const struct sample_table *ta, const struct ana_sel *sa,
		const struct sample_table *tb, const struct ana_sel *sb,
		const struct ana_opts *o, struct ana_cmp *out);
void ana_cmp_free(struct ana_cmp *c);

/* The accel of side @side (0: A, 1: B) of the cell @k: its own, or where
 * the accel is folded, the one that side holds ("" if none). */
const char *ana_side_accel(const struct ana_cmp *c, const struct ana_key *k,
			   int side);

/* Whether side @side's values of the cell @k are guest virtual time. */
int ana_key_virtual(const struct ana_cmp *c, const struct ana_key *k, int side);

/* For CSV and JSON: "virtual", "wall", "virtual/wall" or "wall/virtual"
 * (A's, then B's, where they differ), or "" (not a time). */
const char *ana_row_time_base(const struct ana_row *r);

/* @r's metric label with its time unit marked (metric_time_label):
 * "latency vms", "latency vms/ms"; at most @width characters (0: any). */
void ana_row_label(const struct ana_row *r, int width, char *buf, size_t len);

/* The unit @r's values are shown in, marked (metric_time_unit). */
void ana_row_unit(const struct ana_row *r, char *buf, size_t len);

/* "median" or "min"; ana_parse_center: 0 or -EINVAL. */
const char *ana_center_name(enum stats_center c);
int ana_parse_center(const char *text, enum stats_center *c);

/* "128M", "1G" */
void ana_size_str(int64_t mib, char *buf, size_t len);
/* The same for a zone size (zone_present_mib), where 0 is "0". */
void ana_zone_str(int64_t mib, char *buf, size_t len);

#endif
