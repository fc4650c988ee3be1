/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Option values, private to config/: the text of a job file's value to
 * and from struct job, through an option of the table (job_opts.h). */
#ifndef MHP_JOB_VALUE_H
#define MHP_JOB_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "config/job.h"
#include "config/job_opts.h"

/* Sets one option from its text. On error @msg says why, naming the key,
 * and the job is left as it was. */
int opt_set(const struct opt *o, struct job *job, const char *value, char *msg,
	    size_t len);

/* The value as job_dump() writes it, which opt_set() reads back. */
void opt_format(const struct opt *o, const struct job *job, char *buf,
		size_t len);

/* "lo..hi" in the option's own unit (bytes as sizes, ms as durations). */
void opt_range_text(const struct opt *o, char *buf, size_t len);

/* @v bytes in the coarsest exact unit ("512M"). */
void value_format_size(uint64_t v, char *buf, size_t len);

/* The NULL-terminated @names joined with @sep. */
void value_names_text(const char *const *names, const char *sep, char *buf,
		      size_t len);

/* @s without leading and trailing blanks (cut in place). */
char *value_trim(char *s);

/* Whether @l (@len bytes) can be a kernel label; if not, @why says why. */
int job_label_check(const char *l, size_t len, char *why, size_t wlen);

#endif
