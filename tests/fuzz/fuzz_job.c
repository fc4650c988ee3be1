// SPDX-License-Identifier: GPL-2.0-or-later
/* Job files: the input is the file's bytes, given to the parser with
 * their exact length (no NUL after them, so that a read past the end is
 * caught). A job that parses must also survive the trip through its own
 * effective form: job_dump() writes what `run --parse-only` prints and
 * the manifest records, and parsing that text must give the same job. */
#include "fuzz.h"
#include "config/job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_INPUT_MAX (64 * 1024)

/* The effective job as text (malloc'd), or NULL. */
static char *dump(const struct job *job)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	job_dump(job, f);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

int fuzz_job(const uint8_t *data, size_t size)
{
	/* Large (several path buffers): static, one input at a time. */
	static struct job job, again;
	struct job_error err;
	char *text, *text2;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	if (job_load_buffer(&job, "fuzz.job", (const char *)data, size, &err))
		return 0;
	text = dump(&job);
	if (!text)
		return 0;
	if (job_load_string(&again, "fuzz.job", text, &err)) {
		fprintf(stderr, "effective job does not parse: %d: %s\n%s",
			err.line, err.msg, text);
		abort();
	}
	text2 = dump(&again);
	if (text2 && strcmp(text, text2)) {
		fprintf(stderr,
			"effective job changed on a second parse:\n"
			"%s---\n%s",
			text, text2);
		abort();
	}
	free(text2);
	free(text);
	return 0;
}
