/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sweep: DIMM sizes × modes × repetitions over one or more boots per
 * mode, with provenance in the manifest and the summary at the end. */
#ifndef MHP_RUNNER_H
#define MHP_RUNNER_H

#include "config/job.h"

struct runner_opts {
	const char *results_root; /* "results" unless --results */
	const char *kernel;	  /* --kernel / $KERNEL; NULL = the job's */
	int argc;
	char **argv;
	/* Called once the run directory is final (complete or not), before
	 * "results:" is printed; main.c appends the run to the history
	 * there, which keeps run/ free of the analysis side. May be NULL. */
	void (*finished)(const char *results_root, const char *run_dir);
};

/* Runs @job. 0, or -errno with err_set() holding the reason. The run
 * directory is complete or marked incomplete either way. */
int runner_run(const struct job *job, const struct runner_opts *o);

/* Where guest-images/ lives: the directory of the mhpbench binary. */
void runner_data_dir(char *buf, size_t len);

#endif
