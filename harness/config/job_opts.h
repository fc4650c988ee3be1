/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The job options table and what reads it (private to config/): each
 * option's name, type, where it lives in struct job, default, range and
 * help. The table itself is in job_opts.c; job_defaults(), the parser,
 * job_dump() and job_help() all read it, so they cannot drift apart. */
#ifndef MHP_JOB_OPTS_H
#define MHP_JOB_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/job.h"

#define KIB(x) ((int64_t)(x) << 10)
#define MIB(x) ((int64_t)(x) << 20)
#define GIB(x) ((int64_t)(x) << 30)
#define TIB(x) ((int64_t)(x) << 40)
#define SECONDS(x) ((int64_t)(x)*1000)
#define MINUTES(x) (SECONDS(x) * 60)
#define HOURS(x) (MINUTES(x) * 60)
#define VALUE_MAX 64

enum opt_type {
	OPT_STR,
	OPT_INT,
	OPT_U64,
	OPT_SIZE,
	OPT_DURATION,
	OPT_DURATION_US,
	OPT_ENUM,
	OPT_SIZE_LIST,
	OPT_ENUM_LIST,
	OPT_PCT_LIST, /* whole percentages, "50%" or "50", stored as int */
};

struct opt {
	const char *name;
	enum opt_type type;
	size_t off;
	/* OPT_STR: buffer size; lists: most entries */
	size_t size;
	/* lists: offset of the int that counts the entries */
	size_t count_off;
	const char *def;
	/* OPT_STR: length; OPT_INT, OPT_PCT_LIST: value; OPT_SIZE(_LIST):
	 * bytes;
	 * OPT_DURATION: ms; OPT_DURATION_US: us. min == max == 0: no
	 * range. */
	int64_t min, max;
	/* OPT_SIZE(_LIST): each value must be a multiple of this */
	uint64_t align;
	/* OPT_ENUM(_LIST): value i is spelled names[i]; NULL-terminated */
	const char *const *names;
	/* OPT_SIZE_LIST: the word "block" stands for one memory block */
	bool block_word;
	const char *help;
};

/* Entries in job_opts[]; job_opts.c checks that the two agree. */
#define JOB_NOPTS 48

extern const struct opt job_opts[JOB_NOPTS];

/* The option called @name, or NULL. */
const struct opt *opt_find(const char *name);

/* names[v], or "unknown" for a value outside the list. */
const char *opt_name_at(const char *const *names, int v);

static inline void *opt_ptr(const struct opt *o, struct job *job)
{
	return (char *)job + o->off;
}

static inline const void *opt_cptr(const struct opt *o, const struct job *job)
{
	return (const char *)job + o->off;
}

static inline bool opt_ranged(const struct opt *o)
{
	return o->min || o->max;
}

#endif
