// SPDX-License-Identifier: GPL-2.0-or-later
/* Job files: job_load() and its in-memory forms run inih over the text
 * with the reader in job_read.c, then job_check() (job_check.c). The
 * options table (job_opts.c) drives the defaults, the values
 * (job_value.c), job_dump() and job_help(), so they cannot drift apart.
 * Also what a loaded job's DIMMs come to. */
#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/blocksize.h"
#include "config/job.h"
#include "config/job_parse.h"

/* Longest line, "\r\n" included; long enough for a JOB_PATH_MAX path. */
#define JOB_LINE_MAX (JOB_PATH_MAX + 256)
/* A job file is a few hundred bytes; anything this big is a wrong path. */
#define JOB_FILE_MAX (1 << 20)

uint64_t job_dimm_size(const struct job *job, int i, uint64_t block)
{
	return job->sizes[i] == JOB_SIZE_BLOCK ? block : job->sizes[i];
}

uint64_t job_largest_dimm(const struct job *job)
{
	uint64_t largest = 0, block = blocksize_for_boot_mem(job->boot_mem);

	for (int i = 0; i < job->nblock_sizes; i++)
		if (job->block_sizes[i] > block || !i)
			block = job->block_sizes[i];
	for (int i = 0; i < job->nsizes; i++)
		if (job_dimm_size(job, i, block) > largest)
			largest = job_dimm_size(job, i, block);
	return largest;
}

int job_oom_cap(const struct job *job)
{
	return job->oom_cap ? job->oom_cap : job->slots;
}

struct ini_settings {
	bool multiline, bom, use_stack, realloc, stop, no_value;
	int max_line, initial_alloc;
	char *start_prefixes, *inline_prefixes;
};

static void ini_settings_swap(struct ini_settings *s)
{
	struct ini_settings old = {
		.multiline = ini_allow_multiline,
		.bom = ini_allow_bom,
		.use_stack = ini_use_stack,
		.realloc = ini_allow_realloc,
		.stop = ini_stop_on_first_error,
		.no_value = ini_allow_no_value,
		.max_line = ini_max_line,
		.initial_alloc = ini_initial_alloc,
		.start_prefixes = ini_start_comment_prefixes,
		.inline_prefixes = ini_inline_comment_prefixes,
	};

	ini_allow_multiline = s->multiline;
	ini_allow_bom = s->bom;
	ini_use_stack = s->use_stack;
	ini_allow_realloc = s->realloc;
	ini_stop_on_first_error = s->stop;
	ini_allow_no_value = s->no_value;
	ini_max_line = s->max_line;
	ini_initial_alloc = s->initial_alloc;
	ini_start_comment_prefixes = s->start_prefixes;
	ini_inline_comment_prefixes = s->inline_prefixes;
	*s = old;
}

/* Runs inih over the parser's buffer; returns what ini_parse_stream()
 * does. */
static int run_inih(struct parser *p)
{
	static char comment_prefixes[] = ";#";
	/* Debian's libinih takes its options at run time; they are set for
	 * each parse and put back after, since they are process-wide.
	 * Continuation lines are off: an indented line that belongs to the
	 * previous key is too easy to write by accident. A heap buffer is
	 * the only way to get lines longer than the 200 bytes built in. */
	struct ini_settings settings = {
		.multiline = false,
		.bom = true,
		.use_stack = false,
		.realloc = false,
		.stop = false,
		.no_value = false,
		.max_line = JOB_LINE_MAX,
		.initial_alloc = JOB_LINE_MAX,
		.start_prefixes = comment_prefixes,
		.inline_prefixes = comment_prefixes,
	};
	int ret;

	ini_settings_swap(&settings);
	ret = ini_parse_stream(job_read_line, p, job_on_key, p);
	ini_settings_swap(&settings);
	return ret;
}

/* What inih's result (@ret) and a missing [job] section add to the errors
 * the reader recorded, then the checks between options. */
static void finish(struct parser *p, int ret)
{
	if (ret == -2)
		parser_fail(p, -ENOMEM, 0, "out of memory");
	else if (ret > 0 && (!p->rc || ret < p->err.line))
		job_syntax_error(p, ret);
	if (!p->rc && !p->job_line)
		parser_fail(p, -EINVAL, 0,
			    p->len ? "no [job] section: a job file needs one"
				   : "the file is empty: it needs a [job] "
				     "section");
	if (!p->rc)
		job_check(p);
}

static int parse(struct job *job, const char *name, const char *buf, size_t len,
		 struct job_error *err)
{
	struct job_error scratch;
	struct parser *p;
	int ret;

	if (!err)
		err = &scratch;
	err->line = 0;
	err->msg[0] = '\0';
	if (strlen(name) >= sizeof(job->path)) {
		snprintf(err->msg, sizeof(err->msg), "path is too long");
		return -ENAMETOOLONG;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	job_defaults(&p->job);
	strcpy(p->job.path, name);
	p->buf = buf;
	p->len = len;
	finish(p, run_inih(p));

	ret = p->rc;
	if (ret)
		*err = p->err;
	else
		*job = p->job;
	free(p);
	return ret;
}

int job_load_string(struct job *job, const char *name, const char *text,
		    struct job_error *err)
{
	if (!text) {
		if (err) {
			err->line = 0;
			snprintf(err->msg, sizeof(err->msg), "no job text");
		}
		return -EINVAL;
	}
	return parse(job, name ? name : "<string>", text, strlen(text), err);
}

int job_load_buffer(struct job *job, const char *name, const char *buf,
		    size_t len, struct job_error *err)
{
	return parse(job, name ? name : "<buffer>", len ? buf : "", len, err);
}

int job_load(struct job *job, const char *path, struct job_error *err)
{
	struct job_error scratch;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (!err)
		err = &scratch;
	err->line = 0;
	f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		snprintf(err->msg, sizeof(err->msg), "cannot open %s: %s", path,
			 strerror(-ret));
		return ret;
	}
	buf = malloc(JOB_FILE_MAX + 1);
	if (!buf) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	len = fread(buf, 1, JOB_FILE_MAX + 1, f);
	if (ferror(f)) {
		ret = errno ? -errno : -EIO;
		snprintf(err->msg, sizeof(err->msg), "cannot read %s: %s", path,
			 strerror(-ret));
		goto out;
	}
	if (len > JOB_FILE_MAX) {
		snprintf(err->msg, sizeof(err->msg),
			 "%s is larger than %d KiB: not a job file", path,
			 JOB_FILE_MAX >> 10);
		ret = -EFBIG;
		goto out;
	}
	ret = parse(job, path, buf, len, err);
out:
	free(buf);
	fclose(f);
	return ret;
}
