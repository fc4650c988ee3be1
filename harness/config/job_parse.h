/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parser's state, private to config/: the job being read, where
 * each key was set, the [kernel LABEL] sections, and the first error. The
 * reader (job_read.c) fills it line by line; job_check() then checks the
 * options against each other. */
#ifndef MHP_JOB_PARSE_H
#define MHP_JOB_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "config/job.h"
#include "config/job_opts.h"

/* A [kernel LABEL] section, matched to `kernels` once all is read. */
struct kernel_section {
	char label[JOB_LABEL_MAX];
	int line;
	char cmdline_extra[JOB_STR_MAX];
	char modules[JOB_PATH_MAX];
	int cmdline_line, modules_line;
};

struct parser {
	struct job job;
	struct job_error err;
	int rc; /* 0 until the first error */
	const char *buf;
	size_t len, pos;
	int lineno;		 /* of the line inih is working on */
	int job_line;		 /* of [job]; 0 before it */
	int set_line[JOB_NOPTS]; /* where each key was set; 0 = default */
	struct kernel_section ks[JOB_MAX_KERNELS];
	int nks;
	int in_kernel; /* the current section is ks[nks - 1] */
};

/* Records an error at @line (0: none) unless one is already recorded:
 * later ones are often its consequences. Returns the recorded code. */
__attribute__((format(printf, 4, 5))) int
parser_fail(struct parser *p, int rc, int line, const char *fmt, ...);

/* inih's reader: the next line of the buffer into @str (@num bytes), or
 * NULL at its end or at the first error. */
char *job_read_line(char *str, int num, void *stream);

/* inih's handler: one key = value of the current section. */
int job_on_key(void *user, const char *section, const char *name,
	       const char *value);

/* Records inih's syntax error at @line, worded from that line's text, in
 * place of any error recorded so far (the caller's rule: the earlier line
 * wins). */
void job_syntax_error(struct parser *p, int line);

/* Checks between keys, once all are read; fills the kernels and NUMA
 * nodes they describe. */
void job_check(struct parser *p);

/* zone_present against the other keys and the guest's shape, @largest
 * being the largest measured DIMM (job_check_zone.c). */
void job_check_zone(struct parser *p, uint64_t largest);

/* zone_present's largest size against @avail bytes of host memory (0:
 * not checked). Returns the recorded error code, or 0. */
int job_check_zone_host(struct parser *p, uint64_t largest, uint64_t avail);

#endif
