// SPDX-License-Identifier: GPL-2.0-or-later
/* The job file reader, for inih: it hands inih the lines (checking that
 * the file is text, counting lines and vetting section headers), takes
 * each key = value into the options table or a [kernel LABEL] section,
 * and words each error with the line it is on. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config/job.h"
#include "config/job_opts.h"
#include "config/job_parse.h"
#include "config/job_value.h"

/* Keeps the first error only: later ones are often its consequences. */
int parser_fail(struct parser *p, int rc, int line, const char *fmt, ...)
{
	va_list ap;

	if (p->rc)
		return p->rc;
	p->rc = rc;
	p->err.line = line;
	va_start(ap, fmt);
	vsnprintf(p->err.msg, sizeof(p->err.msg), fmt, ap);
	va_end(ap);
	return rc;
}

/* Length of the UTF-8 sequence at @s (at most @n bytes), 0 if invalid:
 * overlong forms, surrogates and code points above U+10FFFF included. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* A job file is text. Binary input is refused here, with its line, rather
 * than left to inih, which stops reading a line at a NUL. */
static int check_text(struct parser *p, const char *line, size_t n)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = 0, len;

	while (i < n) {
		if (s[i] == '\0')
			return parser_fail(
				p, -EINVAL, p->lineno,
				"NUL byte in column %zu: binary data, not "
				"a job file",
				i + 1);
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\r' &&
		     s[i] != '\n') ||
		    s[i] == 0x7f)
			return parser_fail(
				p, -EINVAL, p->lineno,
				"control character 0x%02x in column %zu: "
				"not a text file",
				s[i], i + 1);
		len = utf8_len(s + i, n - i);
		if (!len)
			return parser_fail(
				p, -EINVAL, p->lineno,
				"invalid UTF-8 in column %zu: not a text "
				"file",
				i + 1);
		i += len;
	}
	return 0;
}

/* "[kernel LABEL]": per-kernel extras of the kernels axis. */
static int kernel_section(struct parser *p, const char *label, size_t len)
{
	struct kernel_section *k;
	char why[128];

	while (len && *label == ' ')
		label++, len--;
	while (len && label[len - 1] == ' ')
		len--;
	if (job_label_check(label, len, why, sizeof(why)))
		return parser_fail(p, -EINVAL, p->lineno, "[kernel %.*s]: %s",
				   (int)(len > 64 ? 64 : len), label, why);
	for (int i = 0; i < p->nks; i++)
		if (strlen(p->ks[i].label) == len &&
		    !strncmp(p->ks[i].label, label, len))
			return parser_fail(
				p, -EINVAL, p->lineno,
				"second [kernel %s] section (the first is "
				"at line %d)",
				p->ks[i].label, p->ks[i].line);
	if (p->nks == JOB_MAX_KERNELS)
		return parser_fail(p, -E2BIG, p->lineno,
				   "more than %d [kernel] sections",
				   JOB_MAX_KERNELS);
	k = &p->ks[p->nks++];
	memcpy(k->label, label, len);
	k->label[len] = '\0';
	k->line = p->lineno;
	p->in_kernel = 1;
	return 0;
}

/* inih does not report section headers (this libinih is built without
 * INI_CALL_HANDLER_ON_NEW_SECTION), so they are checked as the reader
 * hands each line over, with the same syntax inih uses. */
static int check_line(struct parser *p, const char *line)
{
	const char *s = line, *end;
	size_t len;

	if (p->lineno == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '[')
		return 0;
	end = strchr(s, ']');
	if (!end)
		return 0; /* inih reports it as a syntax error */
	len = (size_t)(end - s - 1);
	p->in_kernel = 0;
	if (len == 3 && !strncmp(s + 1, "job", 3)) {
		if (p->job_line)
			return parser_fail(
				p, -EINVAL, p->lineno,
				"second [job] section (the first is at "
				"line %d): a job file holds one job",
				p->job_line);
		p->job_line = p->lineno;
		return 0;
	}
	if (len > 7 && !strncmp(s + 1, "kernel ", 7))
		return kernel_section(p, s + 8, len - 7);
	return parser_fail(
		p, -EINVAL, p->lineno,
		"unknown section [%.*s]: a job file has a [job] section "
		"and optional [kernel LABEL] sections",
		(int)(len > 64 ? 64 : len), s + 1);
}

/* fgets-style reader for inih over the buffer. It counts lines, because
 * this libinih is built without INI_HANDLER_LINENO, and stops the parse at
 * the first error. */
char *job_read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	const char *line, *nl;
	size_t n;

	if (p->rc || p->pos >= p->len)
		return NULL;
	line = p->buf + p->pos;
	nl = memchr(line, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - line) + 1 : p->len - p->pos;
	p->pos += n;
	p->lineno++;
	if (check_text(p, line, n))
		return NULL;
	/* inih would parse the rest of a long line as a line of its own. */
	if (n + 1 > (size_t)num) {
		parser_fail(p, -EINVAL, p->lineno,
			    "line is longer than %d bytes", num - 3);
		return NULL;
	}
	memcpy(str, line, n);
	str[n] = '\0';
	if (check_line(p, str))
		return NULL;
	return str;
}

/* Levenshtein distance, ignoring case: "SMP" is a typo for "smp". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t row[VALUE_MAX + 1], la = strlen(a), lb = strlen(b), i, j;

	if (la > VALUE_MAX || lb > VALUE_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best =
				diag + (tolower((unsigned char)a[i - 1]) !=
					tolower((unsigned char)b[j - 1]));

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void unknown_key(struct parser *p, const char *name)
{
	size_t i, d, best = SIZE_MAX, len = strlen(name), limit;
	const char *hint = NULL;

	if (!*name) {
		parser_fail(p, -EINVAL, p->lineno, "missing key before '='");
		return;
	}
	/* Close enough to be a typo, not so loose that anything matches. */
	limit = len / 3 > 2 ? len / 3 : 2;
	for (i = 0; i < JOB_NOPTS; i++) {
		d = edit_distance(name, job_opts[i].name);
		if (d < best) {
			best = d;
			hint = job_opts[i].name;
		}
	}
	if (hint && best <= limit && best < len)
		parser_fail(p, -EINVAL, p->lineno,
			    "unknown key '%.64s' (did you mean '%s'?)", name,
			    hint);
	else
		parser_fail(p, -EINVAL, p->lineno, "unknown key '%.64s'", name);
}

static void kernel_key(struct parser *p, struct kernel_section *k,
		       const char *name, const char *value)
{
	char *dst;
	size_t size;
	int *line;

	if (!strcmp(name, "cmdline_extra")) {
		dst = k->cmdline_extra;
		size = sizeof(k->cmdline_extra);
		line = &k->cmdline_line;
	} else if (!strcmp(name, "modules")) {
		dst = k->modules;
		size = sizeof(k->modules);
		line = &k->modules_line;
	} else {
		parser_fail(p, -EINVAL, p->lineno,
			    "unknown key '%.64s' in [kernel %s]: it takes "
			    "cmdline_extra and modules",
			    name, k->label);
		return;
	}
	if (*line) {
		parser_fail(p, -EINVAL, p->lineno,
			    "duplicate key '%s' (first set at line %d)", name,
			    *line);
		return;
	}
	*line = p->lineno;
	if (strlen(value) >= size)
		parser_fail(p, -ENAMETOOLONG, p->lineno,
			    "%s: longer than %zu characters", name, size - 1);
	else
		strcpy(dst, value);
}

int job_on_key(void *user, const char *section, const char *name,
	       const char *value)
{
	struct parser *p = user;
	const struct opt *o;
	char msg[sizeof(p->err.msg)];
	size_t idx;

	(void)section; /* check_line() already vetted it */
	if (p->rc)
		return 1;
	if (p->in_kernel) {
		kernel_key(p, &p->ks[p->nks - 1], name, value);
		return 1;
	}
	if (!p->job_line) {
		parser_fail(
			p, -EINVAL, p->lineno,
			"'%.64s' is outside a section: options go under [job]",
			name);
		return 1;
	}
	o = opt_find(name);
	if (!o) {
		unknown_key(p, name);
		return 1;
	}
	idx = (size_t)(o - job_opts);
	if (p->set_line[idx]) {
		parser_fail(p, -EINVAL, p->lineno,
			    "duplicate key '%s' (first set at line %d)", name,
			    p->set_line[idx]);
		return 1;
	}
	p->set_line[idx] = p->lineno;
	if (opt_set(o, &p->job, value, msg, sizeof(msg)))
		parser_fail(p, -EINVAL, p->lineno, "%s", msg);
	/* Errors are kept in @p; a zero return would only make inih record
	 * a second, vaguer one. */
	return 1;
}

void job_syntax_error(struct parser *p, int line)
{
	const char *s = p->buf, *end, *stop = p->buf + p->len;
	int n;

	for (n = 1; n < line && s; n++) {
		s = memchr(s, '\n', p->len - (size_t)(s - p->buf));
		if (s)
			s++;
	}
	/* The buffer need not end in a NUL (job_load reads a file into
	 * it): every scan stops at its end. */
	if (!s)
		s = stop;
	while (s < stop && (*s == ' ' || *s == '\t'))
		s++;
	end = s;
	while (end < stop && *end && *end != '\n' && *end != '\r')
		end++;
	p->rc = 0; /* an earlier line wins over a later error */
	if (s < stop && *s == '[')
		parser_fail(p, -EINVAL, line,
			    "section header without a closing ']'");
	else
		parser_fail(p, -EINVAL, line,
			    "expected 'key = value', '[job]' or a comment, got "
			    "'%.*s'",
			    (int)(end - s > 40 ? 40 : end - s), s);
}
