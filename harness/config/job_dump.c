// SPDX-License-Identifier: GPL-2.0-or-later
/* job_dump(): the effective job as a job file, every option as
 * key = value, which the parser reads back to the same job. `run
 * --parse-only` prints it, and the manifest keeps it. */
#include <stdio.h>
#include <string.h>

#include "config/job.h"
#include "config/job_opts.h"
#include "config/job_value.h"

static int name_width(void)
{
	size_t i, w = 0;

	for (i = 0; i < JOB_NOPTS; i++)
		if (strlen(job_opts[i].name) > w)
			w = strlen(job_opts[i].name);
	return (int)w;
}

/* "key = value" as inih reads it back: a value that starts with a comment
 * character follows the '=' directly, since after a blank it would start
 * an inline comment. */
static void dump_line(FILE *f, int width, const char *name, const char *value)
{
	fprintf(f, "%-*s =%s%s\n", width, name,
		value[0] && !strchr(";#", value[0]) ? " " : "", value);
}

void job_dump(const struct job *job, FILE *f)
{
	char value[JOB_PATH_MAX];
	int width = name_width();
	size_t i;

	fprintf(f, "[job]\n");
	for (i = 0; i < JOB_NOPTS; i++) {
		opt_format(&job_opts[i], job, value, sizeof(value));
		dump_line(f, width, job_opts[i].name, value);
	}
	for (i = 0; i < (size_t)job->nkernels; i++) {
		const struct job_kernel *k = &job->kernels[i];

		if (!k->cmdline_extra[0] && !k->modules[0])
			continue;
		fprintf(f, "\n[kernel %s]\n", k->label);
		if (k->cmdline_extra[0])
			dump_line(f, 0, "cmdline_extra", k->cmdline_extra);
		if (k->modules[0])
			dump_line(f, 0, "modules", k->modules);
	}
}
