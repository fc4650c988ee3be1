// SPDX-License-Identifier: GPL-2.0-or-later
/* Option values: parsing a value's text into struct job (integers,
 * sizes, durations, enums and their lists, with ranges and alignment),
 * the text job_dump() writes back, and kernel labels. Every error message
 * names the option, for the reader to put after "file:line: ". */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/job.h"
#include "config/job_opts.h"
#include "config/job_value.h"
#include "base/units.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void value_format_size(uint64_t v, char *buf, size_t len)
{
	units_format_size(v, buf, (int)len);
}

/* The coarsest exact unit, so that the text parses back to the same value. */
static void format_list_size(const struct opt *o, uint64_t v, char *buf,
			     size_t len)
{
	if (o->block_word && v == JOB_SIZE_BLOCK)
		snprintf(buf, len, "block");
	else
		value_format_size(v, buf, len);
}

static void format_duration(int64_t ms, char *buf, size_t len)
{
	if (ms && ms % HOURS(1) == 0)
		snprintf(buf, len, "%lldh", (long long)(ms / HOURS(1)));
	else if (ms && ms % MINUTES(1) == 0)
		snprintf(buf, len, "%lldm", (long long)(ms / MINUTES(1)));
	else if (ms % SECONDS(1) == 0)
		snprintf(buf, len, "%llds", (long long)(ms / SECONDS(1)));
	else
		snprintf(buf, len, "%lldms", (long long)ms);
}

/* Microseconds: as a duration in ms where whole, else "1430us". */
static void format_duration_us(int64_t us, char *buf, size_t len)
{
	if (us % 1000 == 0)
		format_duration(us / 1000, buf, len);
	else
		snprintf(buf, len, "%lldus", (long long)us);
}

void value_names_text(const char *const *names, const char *sep, char *buf,
		      size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; names[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? sep : "", names[i]);
}

static int lookup_name(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcasecmp(names[i], s))
			return i;
	return -1;
}

/* Plain decimal, optional '-': strtoll alone would take "+3", " 3", "0x3". */
static int parse_int(const char *s, long long *v)
{
	char *end;

	if (!((s[0] >= '0' && s[0] <= '9') ||
	      (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
		return -EINVAL;
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (*end)
		return -EINVAL;
	return errno == ERANGE ? -ERANGE : 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long u;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	u = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*v = u;
	return 0;
}

void opt_range_text(const struct opt *o, char *buf, size_t len)
{
	char lo[VALUE_MAX], hi[VALUE_MAX];

	switch (o->type) {
	case OPT_SIZE:
	case OPT_SIZE_LIST:
		value_format_size((uint64_t)o->min, lo, sizeof(lo));
		value_format_size((uint64_t)o->max, hi, sizeof(hi));
		break;
	case OPT_DURATION:
		format_duration(o->min, lo, sizeof(lo));
		format_duration(o->max, hi, sizeof(hi));
		break;
	case OPT_DURATION_US:
		format_duration_us(o->min, lo, sizeof(lo));
		format_duration_us(o->max, hi, sizeof(hi));
		break;
	default:
		snprintf(lo, sizeof(lo), "%lld", (long long)o->min);
		snprintf(hi, sizeof(hi), "%lld", (long long)o->max);
		break;
	}
	snprintf(buf, len, "%s..%s", lo, hi);
}

/* "KEY: VALUE is out of range LO..HI", and -ERANGE. */
static int out_of_range(const struct opt *o, const char *value, char *msg,
			size_t len)
{
	char range[2 * VALUE_MAX + 2];

	opt_range_text(o, range, sizeof(range));
	snprintf(msg, len, "%s: %s is out of range %s", o->name, value, range);
	return -ERANGE;
}

/* One size, as a whole value or as a list entry: parse, range, alignment. */
static int parse_size_value(const struct opt *o, const char *s, uint64_t *v,
			    char *msg, size_t len)
{
	char align[VALUE_MAX];
	int ret;

	ret = units_parse_size(s, v);
	if (ret == -ERANGE) {
		snprintf(msg, len, "%s: '%s' is too large", o->name, s);
		return ret;
	}
	if (ret) {
		snprintf(msg, len,
			 "%s: '%s' is not a size (a whole number, optionally "
			 "followed by K, M, G or T)",
			 o->name, s);
		return ret;
	}
	if (opt_ranged(o) && (*v < (uint64_t)o->min || *v > (uint64_t)o->max))
		return out_of_range(o, s, msg, len);
	if (o->align && *v % o->align) {
		value_format_size(o->align, align, sizeof(align));
		snprintf(msg, len, "%s: %s is not a multiple of %s", o->name, s,
			 align);
		return -EINVAL;
	}
	return 0;
}

static int parse_enum_value(const struct opt *o, const char *s, int *v,
			    char *msg, size_t len)
{
	char names[VALUE_MAX * 2];

	*v = lookup_name(o->names, s);
	if (*v >= 0)
		return 0;
	value_names_text(o->names, ", ", names, sizeof(names));
	snprintf(msg, len, "%s: '%s' is not one of %s", o->name, s, names);
	return -EINVAL;
}

/* A whole percentage: "50%" or "50", in the option's range. */
static int parse_pct_value(const struct opt *o, const char *s, uint64_t *v,
			   char *msg, size_t len)
{
	char num[VALUE_MAX];
	size_t n = strlen(s);
	long long ll;

	if (n && s[n - 1] == '%')
		n--;
	snprintf(num, sizeof(num), "%.*s", (int)n, s);
	if (n >= sizeof(num) || parse_int(num, &ll)) {
		snprintf(msg, len,
			 "%s: '%s' is not a percentage (a whole number, "
			 "optionally followed by %%)",
			 o->name, s);
		return -EINVAL;
	}
	if (ll < o->min || ll > o->max)
		return out_of_range(o, s, msg, len);
	*v = (uint64_t)ll;
	return 0;
}

char *value_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* The entries of a list as they are read, before they go into the job. */
struct list {
	uint64_t v[JOB_MAX_SIZES];
	size_t n;
};

static int *list_count(const struct opt *o, struct job *job)
{
	return (int *)((char *)job + o->count_off);
}

/* One list entry: the word block, a size or a name. */
static int parse_list_item(const struct opt *o, const char *item, uint64_t *v,
			   char *msg, size_t len)
{
	int ret, e;

	if (o->block_word && !strcasecmp(item, "block")) {
		*v = JOB_SIZE_BLOCK;
		return 0;
	}
	if (o->type == OPT_SIZE_LIST)
		return parse_size_value(o, item, v, msg, len);
	if (o->type == OPT_PCT_LIST)
		return parse_pct_value(o, item, v, msg, len);
	ret = parse_enum_value(o, item, &e, msg, len);
	*v = (uint64_t)e;
	return ret;
}

/* Appends @v: no repeats, at most o->size entries. */
static int list_add(const struct opt *o, struct list *l, uint64_t v, char *msg,
		    size_t len)
{
	char shown[VALUE_MAX];
	size_t i;

	/* Before the count: "ram,self,ram" is a repeat, not a list that is
	 * too long. */
	for (i = 0; i < l->n; i++) {
		if (l->v[i] != v)
			continue;
		if (o->type == OPT_SIZE_LIST)
			format_list_size(o, v, shown, sizeof(shown));
		else if (o->type == OPT_PCT_LIST)
			snprintf(shown, sizeof(shown), "%d%%", (int)v);
		else
			snprintf(shown, sizeof(shown), "%s", o->names[v]);
		snprintf(msg, len, "%s: %s is listed twice", o->name, shown);
		return -EINVAL;
	}
	if (l->n == o->size || l->n == ARRAY_SIZE(l->v)) {
		snprintf(msg, len, "%s: more than %zu entries", o->name,
			 o->size);
		return -E2BIG;
	}
	l->v[l->n++] = v;
	return 0;
}

/* The comma-separated entries of @text (cut in place) into @l. */
static int parse_list_items(const struct opt *o, char *text, struct list *l,
			    char *msg, size_t len)
{
	char *item, *next;
	uint64_t v;
	int ret;

	for (next = text; next;) {
		item = next;
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		item = value_trim(item);
		if (!*item) {
			snprintf(msg, len, "%s: empty entry in the list",
				 o->name);
			return -EINVAL;
		}
		ret = parse_list_item(o, item, &v, msg, len);
		if (!ret)
			ret = list_add(o, l, v, msg, len);
		if (ret)
			return ret;
	}
	return 0;
}

static void list_store(const struct opt *o, struct job *job,
		       const struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (o->type == OPT_SIZE_LIST)
			((uint64_t *)opt_ptr(o, job))[i] = l->v[i];
		else
			((int *)opt_ptr(o, job))[i] = (int)l->v[i];
	}
	*list_count(o, job) = (int)l->n;
}

/* Comma-separated sizes or names. The job is only changed once the whole
 * list is good. */
static int parse_list(const struct opt *o, struct job *job, const char *value,
		      char *msg, size_t len)
{
	struct list l = {.n = 0};
	char *copy = strdup(value);
	int ret = 0;

	if (!copy) {
		snprintf(msg, len, "%s: out of memory", o->name);
		return -ENOMEM;
	}
	if (*value_trim(copy)) {
		ret = parse_list_items(o, copy, &l, msg, len);
		if (!ret)
			list_store(o, job, &l);
	} else if (!o->def[0]) {
		/* A list that is empty by default may be emptied again. */
		*list_count(o, job) = 0;
	} else {
		snprintf(msg, len, "%s: the list is empty", o->name);
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

static int set_str(const struct opt *o, struct job *job, const char *value,
		   char *msg, size_t len)
{
	if (strlen(value) >= o->size) {
		snprintf(msg, len, "%s: longer than %zu characters", o->name,
			 o->size - 1);
		return -ENAMETOOLONG;
	}
	if (strlen(value) < (size_t)o->min) {
		snprintf(msg, len, "%s: must not be empty", o->name);
		return -EINVAL;
	}
	strcpy(opt_ptr(o, job), value);
	return 0;
}

static int set_int(const struct opt *o, struct job *job, const char *value,
		   char *msg, size_t len)
{
	long long ll;
	int ret = parse_int(value, &ll);

	if (ret == -EINVAL) {
		snprintf(msg, len, "%s: '%s' is not an integer", o->name,
			 value);
		return ret;
	}
	if (ret || ll < o->min || ll > o->max)
		return out_of_range(o, value, msg, len);
	*(int *)opt_ptr(o, job) = (int)ll;
	return 0;
}

static int set_u64(const struct opt *o, struct job *job, const char *value,
		   char *msg, size_t len)
{
	uint64_t u;
	int ret = parse_u64(value, &u);

	if (ret == -EINVAL) {
		snprintf(msg, len, "%s: '%s' is not a non-negative integer",
			 o->name, value);
		return ret;
	}
	if (ret) {
		snprintf(msg, len, "%s: %s does not fit in 64 bits", o->name,
			 value);
		return ret;
	}
	*(uint64_t *)opt_ptr(o, job) = u;
	return 0;
}

static int set_size(const struct opt *o, struct job *job, const char *value,
		    char *msg, size_t len)
{
	uint64_t u;
	int ret = parse_size_value(o, value, &u, msg, len);

	if (!ret)
		*(uint64_t *)opt_ptr(o, job) = u;
	return ret;
}

static int set_duration(const struct opt *o, struct job *job, const char *value,
			char *msg, size_t len)
{
	int64_t v;
	int us = o->type == OPT_DURATION_US;
	int ret = us ? units_parse_duration_us(value, &v)
		     : units_parse_duration_ms(value, &v);

	if (ret == -EINVAL) {
		snprintf(msg, len,
			 "%s: '%s' is not a duration (a whole number with "
			 "%sms, s, m or h; no suffix means s)",
			 o->name, value, us ? "us, " : "");
		return ret;
	}
	if (ret || v < o->min || v > o->max)
		return out_of_range(o, value, msg, len);
	*(int64_t *)opt_ptr(o, job) = v;
	return 0;
}

static int set_enum(const struct opt *o, struct job *job, const char *value,
		    char *msg, size_t len)
{
	int v, ret = parse_enum_value(o, value, &v, msg, len);

	if (!ret)
		*(int *)opt_ptr(o, job) = v;
	return ret;
}

/* Sets one option from its text. On error @msg says why, naming the key. */
int opt_set(const struct opt *o, struct job *job, const char *value, char *msg,
	    size_t len)
{
	switch (o->type) {
	case OPT_STR:
		return set_str(o, job, value, msg, len);
	case OPT_INT:
		return set_int(o, job, value, msg, len);
	case OPT_U64:
		return set_u64(o, job, value, msg, len);
	case OPT_SIZE:
		return set_size(o, job, value, msg, len);
	case OPT_DURATION:
	case OPT_DURATION_US:
		return set_duration(o, job, value, msg, len);
	case OPT_ENUM:
		return set_enum(o, job, value, msg, len);
	case OPT_SIZE_LIST:
	case OPT_ENUM_LIST:
	case OPT_PCT_LIST:
		return parse_list(o, job, value, msg, len);
	}
	snprintf(msg, len, "%s: internal error: unknown option type", o->name);
	return -EINVAL;
}

/* A list's entries, comma-separated. */
static void format_list(const struct opt *o, const struct job *job, char *buf,
			size_t len)
{
	const void *p = opt_cptr(o, job);
	const uint64_t *sizes = p;
	const int *ints = p;
	char item[VALUE_MAX];
	size_t used = 0;
	int i, n;

	n = *(const int *)((const char *)job + o->count_off);
	if (n < 0 || (size_t)n > o->size)
		n = 0;
	for (i = 0; i < n && used < len; i++) {
		if (o->type == OPT_SIZE_LIST)
			format_list_size(o, sizes[i], item, sizeof(item));
		else if (o->type == OPT_PCT_LIST)
			snprintf(item, sizeof(item), "%d%%", ints[i]);
		else
			snprintf(item, sizeof(item), "%s",
				 opt_name_at(o->names, ints[i]));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "," : "", item);
	}
}

/* The value as job_dump() writes it, which opt_set() reads back. */
void opt_format(const struct opt *o, const struct job *job, char *buf,
		size_t len)
{
	const void *p = opt_cptr(o, job);

	buf[0] = '\0';
	switch (o->type) {
	case OPT_STR:
		snprintf(buf, len, "%s", (const char *)p);
		break;
	case OPT_INT:
		snprintf(buf, len, "%d", *(const int *)p);
		break;
	case OPT_U64:
		snprintf(buf, len, "%llu",
			 (unsigned long long)*(const uint64_t *)p);
		break;
	case OPT_SIZE:
		value_format_size(*(const uint64_t *)p, buf, len);
		break;
	case OPT_DURATION:
		format_duration(*(const int64_t *)p, buf, len);
		break;
	case OPT_DURATION_US:
		format_duration_us(*(const int64_t *)p, buf, len);
		break;
	case OPT_ENUM:
		snprintf(buf, len, "%s",
			 opt_name_at(o->names, *(const int *)p));
		break;
	case OPT_SIZE_LIST:
	case OPT_ENUM_LIST:
	case OPT_PCT_LIST:
		format_list(o, job, buf, len);
		break;
	}
}

/* Labels name kernels in samples.csv, file names and selectors. */
int job_label_check(const char *l, size_t len, char *why, size_t wlen)
{
	if (!len || len >= JOB_LABEL_MAX) {
		snprintf(why, wlen, "a label has 1 to %d characters",
			 JOB_LABEL_MAX - 1);
		return -EINVAL;
	}
	if (!isalnum((unsigned char)l[0])) {
		snprintf(why, wlen, "a label starts with a letter or digit");
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)l[i]) && !strchr("._+-", l[i])) {
			snprintf(why, wlen,
				 "'%c' in a label: use letters, digits and . "
				 "_ + -",
				 l[i]);
			return -EINVAL;
		}
	return 0;
}
