/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A benchmark, as the runner sees it (struct bench_ops), and the run it
 * works in (struct run): the runner boots guests and keeps the manifest;
 * a benchmark plans the boots and says what runs on each. One instance
 * per benchmark, each in its own file (bench_cycles.c, bench_oomedge.c);
 * the runner picks one from the job's `benchmark` (bench_find()), and no
 * other file asks which benchmark runs. */
#ifndef MHP_BENCH_H
#define MHP_BENCH_H

#include "config/job.h"
#include "config/kernels.h"
#include "results/report.h"
#include "results/store.h"
#include "run/deep.h"
#include "run/guest.h"
#include "run/order.h"
#include "run/runner.h"

#include <gsl/gsl_rng.h>
#include <jansson.h>
#include <limits.h>

struct run {
	const struct job *job;
	const struct runner_opts *opts;
	const struct bench_ops *bench;
	struct store st;
	char initrd[PATH_MAX], qemu[PATH_MAX];
	struct run_kernel kernels[JOB_MAX_KERNELS];
	int nkernels;
	uint64_t blocks[JOB_MAX_SIZES]; /* block sizes; 0 = kernel's pick */
	int nblocks;
	struct deep_boot db;   /* this boot's probe, tracer and PMU */
	enum qemu_accel accel; /* decided at the first boot */
	int accel_decided;
	gsl_rng *rng;	    /* seeded with the job's seed */
	gsl_rng *order_rng; /* the rounds' boot order (run/order.h) */
	int total, done;
	struct report_timing tm;
	json_t *boots; /* manifest "boots", borrowed */
	/* Failures the run went on from (on_hang = next-boot, a refused
	 * offline): how many, and the first one's reason. */
	int nfailed_boots, nfailed_cycles;
	char first_failure[1024];
};

/* One boot of the run: which kernel, block size and mode. */
struct boot_spec {
	const struct run_kernel *k;
	uint64_t block; /* bytes; 0 = the kernel's pick at boot_mem */
	enum job_memmap mode;
	/* zone_present of this boot (bytes), when zone_axis is set */
	int zone_axis;
	uint64_t zone_present;
};

struct bench_ops {
	const char *name; /* as the job's `benchmark` and the manifest say */
	/* DIMMs plugged at once at most: maxmem (auto) leaves room for this
	 * many of the largest. */
	int (*dimms_at_once)(const struct job *job);
	/* Progress steps of the whole run. */
	int (*count)(const struct run *r);
	/* Its part of the manifest, added when the run starts; may be NULL. */
	void (*manifest)(struct run *r, json_t *manifest);
	/* The plan: the boots in order, each through runner_boot(). 0, or
	 * -errno with err_set(). */
	int (*plan)(struct run *r);
	/* What the job needs of a booted guest that the job parser could not
	 * know (its block size); may be NULL. 0, or -errno with err_set(). */
	int (*check)(struct run *r, const struct guest *g);
	/* What runs on a booted guest; @arg is what plan gave runner_boot().
	 * 0, or -errno with err_set(). */
	int (*body)(struct run *r, struct guest *g, int bidx,
		    enum job_memmap mode, json_t *boot, void *arg);
};

extern const struct bench_ops bench_cycles;
extern const struct bench_ops bench_oomedge;

/* The benchmark @b runs as; NULL for none. */
const struct bench_ops *bench_find(enum job_benchmark b);

/* Boots @b as boot @bidx, runs the benchmark's check and body on it
 * (with @arg) and powers the guest off. 0, or -errno with err_set(). */
int runner_boot(struct run *r, int bidx, const struct boot_spec *b, void *arg);

/* on_hang = next-boot: a boot that ended with a hung or dead guest is
 * recorded in the manifest's failures and the run goes on (0); any
 * other @ret is returned as it is. */
int runner_next_boot(struct run *r, int bidx, int ret);

/* Round @round's boot order for @seq (one sequence per block size or
 * target, named in the manifest by @what = @value, which it takes), drawn
 * from the run's order RNG and appended to the manifest's "boot_order". */
void runner_round(struct run *r, struct order_seq *seq, int round,
		  const char *what, json_t *value);

/* Saves the manifest; a write error is err_set(EXIT_IO). */
int runner_save_manifest(struct run *r);

/* The first line of @msg (a recorded error: the console tail follows). */
void runner_first_line(char *buf, size_t len, const char *msg);

#endif
