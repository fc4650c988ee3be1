/* SPDX-License-Identifier: GPL-2.0-or-later */
/* samples.csv: one sample per row, written and flushed as soon as it
 * exists, and read back for the summary (so `mhpbench report` computes the
 * same table from any run directory). Columns: README's stable set, then
 * boot, cycle, warmup, block, target_mib, kernel_release,
 * offline_fill_pct, zone_present_mib and source. `kernel` is the kernel's
 * label from the job's kernels axis, or its release when the job has one
 * kernel. */
#ifndef MHP_SAMPLES_H
#define MHP_SAMPLES_H

#include <stdint.h>
#include <stdio.h>

#define SAMPLES_HEADER                                                         \
	"run_id,kernel,accel,memmap,block_mib,dimm_mib,node,rep,phase,view,"   \
	"metric,value,unit,boot,cycle,warmup,block,target_mib,kernel_release," \
	"offline_fill_pct,zone_present_mib,source"

struct sample {
	char run_id[96];
	char kernel[128];
	char accel[16];
	char memmap[8];
	int64_t block_mib;
	int64_t dimm_mib;
	int node;
	int rep; /* measured repetition, 0-based; -1 for warm-up */
	char phase[24];
	char view[8];
	char metric[48];
	double value;
	char unit[16];
	int boot;
	int cycle;	    /* cycle index within the boot */
	int warmup;	    /* 1: warm-up cycle, excluded from statistics */
	int block;	    /* memory block number, -1 when per DIMM */
	int64_t target_mib; /* oom-edge: the free-memory target F, else -1 */
	char kernel_release[128]; /* uname -r of the guest */
	/* The share of each block filled with movable pages before the
	 * offline (job option offline_fill), else -1: an axis of its own, so
	 * no cell pools two fills. */
	int offline_fill_pct;
	/* MiB already in the zone the measured blocks join (job option
	 * zone_present), else -1: an axis of its own, like the fill. */
	int64_t zone_present_mib;
	/* Where the memory came from: "dimm" (ACPI pc-dimm) or "pmem"
	 * (dax/kmem): an axis of its own too, so no cell pools the two. */
	char source[8];
};

struct sample_table {
	struct sample *s;
	size_t n, cap;
};

/* Opens @path for appending, writing the header if the file is new. */
FILE *samples_open(const char *path);

/* Appends one row and flushes it. 0 or -errno (-ENOSPC...). */
int samples_write(FILE *f, const struct sample *s);

/* Reads every row of @path. -ENOENT, -EPROTO with @line set, or 0. */
int samples_load(const char *path, struct sample_table *t, int *line);
void samples_free(struct sample_table *t);

/* Chosen samples' values grouped by boot, what the boot-level statistics
 * (results/stats_boot.h) take: each value with the dense index of its boot,
 * a boot being run and boot number (runs pooled as a history baseline each
 * have a boot 0). */
struct sample_groups {
	double *v;
	int *g;
	size_t n, ng;
	size_t cap;
	char (*ids)[112]; /* "run_id/boot" of each group */
};

/* Appends @s's value and boot. 0 or -ENOMEM. */
int sample_groups_add(struct sample_groups *sg, const struct sample *s);
/* Frees the boot names only, for a caller that keeps v and g. */
void sample_groups_free_ids(struct sample_groups *sg);
void sample_groups_free(struct sample_groups *sg);

/* Splits one CSV record in place (RFC 4180 quoting); returns field count. */
int samples_split(char *line, char **fields, int max);

#endif
