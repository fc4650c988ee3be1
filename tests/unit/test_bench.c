// SPDX-License-Identifier: GPL-2.0-or-later
/* The benchmarks as the runner sees them (run/bench.h): one struct
 * bench_ops for each benchmark the job parser knows, found by the job's
 * `benchmark`, and what each says about the run before any guest boots
 * (progress steps, DIMMs plugged at once, so maxmem). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "run/bench.h"

#include <stdlib.h>
#include <string.h>

#define MIB (1024ULL * 1024)

static void load(struct job *job, const char *text)
{
	struct job_error err;

	if (job_load_string(job, "test.job", text, &err))
		fail_msg("job did not load: %d: %s", err.line, err.msg);
}

/* struct run is large (kernel paths): on the heap, with one kernel and
 * the kernel's own block size. */
static struct run *run_of(const struct job *job)
{
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->job = job;
	r->bench = bench_find(job->benchmark);
	r->nkernels = 1;
	r->nblocks = 1;
	return r;
}

static void every_benchmark_has_ops(void **state)
{
	int b;

	for (b = 0; strcmp(job_benchmark_name(b), "unknown"); b++) {
		const struct bench_ops *o = bench_find(b);

		assert_non_null(o);
		assert_string_equal(o->name, job_benchmark_name(b));
		assert_non_null(o->dimms_at_once);
		assert_non_null(o->count);
		assert_non_null(o->plan);
		assert_non_null(o->body);
	}
	assert_true(b >= 2);
	assert_null(bench_find(b));
}

static void cycles(void **state)
{
	struct job job;
	struct run *r;

	load(&job, "[job]\nboot_mem = 512M\nsizes = 128M,256M\n"
		   "modes = ram,self\nreps = 3\ndeep_reps = 1\nwarmup = 1\n"
		   "boots = 2\n");
	r = run_of(&job);
	assert_ptr_equal(r->bench, &bench_cycles);
	assert_int_equal(r->bench->dimms_at_once(&job), 1);
	/* (1 warm-up + 2 sizes x (3 reps + 1 deep)) x 2 modes x 2 boots */
	assert_int_equal(r->bench->count(r), 36);
	assert_true(guest_maxmem(&job, job.boot_mem,
				 r->bench->dimms_at_once(&job)) ==
		    (512 + 256) * MIB);
	free(r);
}

static void oom_edge(void **state)
{
	struct job job;
	struct run *r;

	load(&job, "[job]\nbenchmark = oom-edge\nboot_mem = 512M\n"
		   "sizes = 128M\nslots = 24\noom_targets = 64M,32M\n"
		   "modes = ram,self\nreps = 2\n");
	r = run_of(&job);
	assert_ptr_equal(r->bench, &bench_oomedge);
	/* A point keeps every DIMM up to the cap (the slots) plugged. */
	assert_int_equal(r->bench->dimms_at_once(&job), 24);
	assert_true(guest_maxmem(&job, job.boot_mem,
				 r->bench->dimms_at_once(&job)) ==
		    (512 + 24 * 128) * MIB);
	/* One boot per point: 2 reps x 2 targets x 2 modes */
	assert_int_equal(r->bench->count(r), 8);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_benchmark_has_ops),
		cmocka_unit_test(cycles),
		cmocka_unit_test(oom_edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
