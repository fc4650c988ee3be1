// SPDX-License-Identifier: GPL-2.0-or-later
/* job_help(): the options table as text for `mhpbench help job`: each
 * option's type, default, range and help, wrapped to 79 columns. */
#include <stdio.h>
#include <string.h>

#include "config/job.h"
#include "config/job_opts.h"
#include "config/job_value.h"

#define HELP_WIDTH 79

static const char *const type_names[] = {
	[OPT_STR] = "string",	     [OPT_INT] = "integer",
	[OPT_U64] = "integer",	     [OPT_SIZE] = "size",
	[OPT_DURATION] = "duration", [OPT_DURATION_US] = "duration",
	[OPT_ENUM] = "choice",	     [OPT_SIZE_LIST] = "list of sizes",
	[OPT_ENUM_LIST] = "list",    [OPT_PCT_LIST] = "list of percentages",
};

/* Greedy word wrap to HELP_WIDTH; runs of blanks inside a line are kept. */
static void print_wrapped(FILE *f, const char *text, int first_indent,
			  int indent)
{
	const char *s = text, *word;
	size_t gap, wlen;
	int col = 0;

	while (*s) {
		for (gap = 0; *s == ' '; s++)
			gap++;
		if (!*s)
			break;
		for (word = s; *s && *s != ' '; s++)
			;
		wlen = (size_t)(s - word);
		if (col && (size_t)col + gap + wlen > HELP_WIDTH) {
			fputc('\n', f);
			col = 0;
		}
		if (!col) {
			col = fprintf(f, "%*s", first_indent, "");
			first_indent = indent;
			gap = 0;
		}
		col += fprintf(f, "%*s%.*s", (int)gap, "", (int)wlen, word);
	}
	if (col)
		fputc('\n', f);
}

/* What an option takes: its range, alignment or choices, and for lists
 * how many entries; "" when anything goes. */
static void range_help(const struct opt *o, char *range, size_t len)
{
	char tmp[2 * VALUE_MAX + 2], align[VALUE_MAX];

	range[0] = '\0';
	switch (o->type) {
	case OPT_STR:
		if (o->min)
			snprintf(range, len, "not empty");
		break;
	case OPT_INT:
	case OPT_DURATION:
	case OPT_DURATION_US:
		opt_range_text(o, range, len);
		break;
	case OPT_PCT_LIST:
		snprintf(range, len,
			 "each %lld%%..%lld%%; at most %zu, no "
			 "repeats",
			 (long long)o->min, (long long)o->max, o->size);
		break;
	case OPT_U64:
		snprintf(range, len, "0..2^64-1");
		break;
	case OPT_SIZE:
	case OPT_SIZE_LIST:
		if (opt_ranged(o))
			opt_range_text(o, tmp, sizeof(tmp));
		else
			tmp[0] = '\0';
		value_format_size(o->align, align, sizeof(align));
		snprintf(range, len, "%s%s%smultiple of %s",
			 o->type == OPT_SIZE_LIST ? "each " : "", tmp,
			 tmp[0] ? ", " : "", align);
		break;
	case OPT_ENUM:
	case OPT_ENUM_LIST:
		value_names_text(o->names, "|", tmp, sizeof(tmp));
		snprintf(range, len, "%s%s",
			 o->type == OPT_ENUM_LIST ? "each " : "", tmp);
		break;
	}
	if (o->type == OPT_SIZE_LIST)
		snprintf(range + strlen(range), len - strlen(range),
			 "; at most %zu, no repeats", o->size);
	else if (o->type == OPT_ENUM_LIST)
		snprintf(range + strlen(range), len - strlen(range),
			 "; no repeats");
}

/* "name (type)  default: D  range: R", then the help text indented. */
static void print_option(FILE *f, const struct opt *o)
{
	char head[512], range[256];

	range_help(o, range, sizeof(range));
	snprintf(head, sizeof(head), "%s (%s)  default: %s%s%s", o->name,
		 type_names[o->type], o->def[0] ? o->def : "\"\"",
		 range[0] ? "  range: " : "", range);
	fputc('\n', f);
	print_wrapped(f, head, 0, 4);
	print_wrapped(f, o->help, 4, 4);
}

void job_help(FILE *f)
{
	print_wrapped(f,
		      "A job file has one [job] section of 'key = value' "
		      "lines. Lines starting with ';' or '#' are comments, and "
		      "so is the rest of a line after ' ;' or ' #'. Sizes are "
		      "whole numbers with an optional binary suffix K, M, G or "
		      "T (also KiB, MiB, GiB, TiB; no suffix means bytes). "
		      "Durations take ms, s, m or h (no suffix means seconds). "
		      "Lists are comma-separated.",
		      0, 0);
	for (size_t i = 0; i < JOB_NOPTS; i++)
		print_option(f, &job_opts[i]);
}
