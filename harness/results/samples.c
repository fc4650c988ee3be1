// SPDX-License-Identifier: GPL-2.0-or-later
#include "results/samples.h"

#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NFIELDS 22
/* Runs written before target_mib existed have 17 columns, before
 * kernel_release 18, before offline_fill_pct 19, before zone_present_mib
 * 20, before source 21. */
#define NFIELDS_V1 17
#define NFIELDS_V2 18
#define NFIELDS_V3 19
#define NFIELDS_V4 20
#define NFIELDS_V5 21
#define HEADER_V1                                                              \
	"run_id,kernel,accel,memmap,block_mib,dimm_mib,node,rep,phase,view,"   \
	"metric,value,unit,boot,cycle,warmup,block"

/* Bytes of complete rows: every row is flushed when written, so nothing
 * is buffered between rows. -1 if unknown. */
static off_t good_size(FILE *f)
{
	struct stat st;

	return fstat(fileno(f), &st) ? -1 : st.st_size;
}

/* A row that could not be written whole (ENOSPC, EIO, EFBIG) must not
 * stay in the file: drop what stdio still holds of it and cut the file
 * back to the last complete row. Returns @err. */
static int undo_row(FILE *f, off_t good, int err)
{
	__fpurge(f);
	clearerr(f);
	/* Should this fail too, the loader still skips a partial last row. */
	if (good >= 0 && good_size(f) != good)
		(void)!ftruncate(fileno(f), good);
	return err;
}

FILE *samples_open(const char *path)
{
	struct stat st;
	int fresh = stat(path, &st) || st.st_size == 0, err;
	FILE *f = fopen(path, "a");

	if (!f)
		return NULL;
	if (fresh && (fprintf(f, "%s\n", SAMPLES_HEADER) < 0 || fflush(f))) {
		err = errno ? errno : EIO;
		undo_row(f, 0, -err);
		fclose(f);
		errno = err;
		return NULL;
	}
	return f;
}

/* Kernel strings come from the guest; quote anything CSV would split on. */
static void put_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int samples_write(FILE *f, const struct sample *s)
{
	const char *text[] = {s->run_id, s->kernel, s->accel, s->memmap};
	off_t good = good_size(f);

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		put_field(f, text[i]);
		fputc(',', f);
	}
	fprintf(f, "%lld,%lld,%d,%d,", (long long)s->block_mib,
		(long long)s->dimm_mib, s->node, s->rep);
	put_field(f, s->phase);
	fputc(',', f);
	put_field(f, s->view);
	fputc(',', f);
	put_field(f, s->metric);
	fprintf(f, ",%.17g,", s->value);
	put_field(f, s->unit);
	fprintf(f, ",%d,%d,%d,%d,%lld,", s->boot, s->cycle, s->warmup, s->block,
		(long long)s->target_mib);
	put_field(f, s->kernel_release);
	fprintf(f, ",%d,%lld,", s->offline_fill_pct,
		(long long)s->zone_present_mib);
	put_field(f, s->source[0] ? s->source : "dimm");
	fputc('\n', f);
	if (ferror(f) || fflush(f))
		return undo_row(f, good, errno ? -errno : -EIO);
	return 0;
}

int samples_split(char *line, char **fields, int max)
{
	char *r = line, *w = line;
	int n = 0;

	while (n < max) {
		int quoted = *r == '"';

		fields[n++] = w;
		if (quoted)
			r++;
		for (;;) {
			if (!*r)
				break;
			if (quoted && *r == '"') {
				if (r[1] == '"') {
					*w++ = '"';
					r += 2;
					continue;
				}
				quoted = 0;
				r++;
				continue;
			}
			if (!quoted && *r == ',')
				break;
			*w++ = *r++;
		}
		if (*r != ',') {
			*w = '\0';
			break;
		}
		*w++ = '\0';
		r++;
	}
	return n;
}

static int parse_ll(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno || end == s || *end ? -EPROTO : 0;
}

static int parse_row(char *line, struct sample *s)
{
	char *f[NFIELDS + 1];
	long long v[9], fill = -1, zone = -1;
	const int num[] = {4, 5, 6, 7, 13, 14, 15, 16, 17};
	char *end;
	int n = samples_split(line, f, NFIELDS + 1);

	if (n != NFIELDS && n != NFIELDS_V5 && n != NFIELDS_V4 &&
	    n != NFIELDS_V3 && n != NFIELDS_V2 && n != NFIELDS_V1)
		return -EPROTO;
	if (n >= NFIELDS_V4 &&
	    (parse_ll(f[19], &fill) || fill < -1 || fill > 100))
		return -EPROTO;
	if (n >= NFIELDS_V5 && (parse_ll(f[20], &zone) || zone < -1))
		return -EPROTO;
	if (n == NFIELDS && strcmp(f[21], "dimm") && strcmp(f[21], "pmem"))
		return -EPROTO;
	v[8] = -1;
	for (int i = 0; i < (n > NFIELDS_V2 ? NFIELDS_V2 : n) - NFIELDS_V1 + 8;
	     i++)
		if (parse_ll(f[num[i]], &v[i]))
			return -EPROTO;
	memset(s, 0, sizeof(*s));
	snprintf(s->run_id, sizeof(s->run_id), "%s", f[0]);
	snprintf(s->kernel, sizeof(s->kernel), "%s", f[1]);
	snprintf(s->accel, sizeof(s->accel), "%s", f[2]);
	snprintf(s->memmap, sizeof(s->memmap), "%s", f[3]);
	s->block_mib = v[0];
	s->dimm_mib = v[1];
	s->node = (int)v[2];
	s->rep = (int)v[3];
	snprintf(s->phase, sizeof(s->phase), "%s", f[8]);
	snprintf(s->view, sizeof(s->view), "%s", f[9]);
	snprintf(s->metric, sizeof(s->metric), "%s", f[10]);
	s->value = strtod(f[11], &end);
	if (end == f[11] || *end)
		return -EPROTO;
	snprintf(s->unit, sizeof(s->unit), "%s", f[12]);
	s->boot = (int)v[4];
	s->cycle = (int)v[5];
	s->warmup = (int)v[6];
	s->block = (int)v[7];
	s->target_mib = v[8];
	/* Before the kernels axis the kernel column was the release. */
	snprintf(s->kernel_release, sizeof(s->kernel_release), "%s",
		 n >= NFIELDS_V3 ? f[18] : f[1]);
	s->offline_fill_pct = (int)fill;
	s->zone_present_mib = zone;
	/* Before the source column every run was of pc-dimms. */
	snprintf(s->source, sizeof(s->source), "%s",
		 n == NFIELDS ? f[21] : "dimm");
	return 0;
}

static int push(struct sample_table *t, const struct sample *s)
{
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 256;
		struct sample *ns = realloc(t->s, ncap * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		t->s = ns;
		t->cap = ncap;
	}
	t->s[t->n++] = *s;
	return 0;
}

int samples_load(const char *path, struct sample_table *t, int *line)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	int ret = 0;

	memset(t, 0, sizeof(*t));
	*line = 0;
	if (!f)
		return -errno;
	while (fgets(buf, sizeof(buf), f)) {
		struct sample s;

		int complete = strchr(buf, '\n') != NULL;

		++*line;
		buf[strcspn(buf, "\r\n")] = '\0';
		if (*line == 1) {
			/* The current header extends the first one. */
			if (strncmp(buf, HEADER_V1, strlen(HEADER_V1))) {
				ret = -EPROTO;
				break;
			}
			continue;
		}
		/* A run killed mid-write leaves at most one partial last row:
		 * skip it rather than refuse the whole file. */
		if (!buf[0] || (!complete && feof(f)))
			continue;
		ret = parse_row(buf, &s);
		if (!ret)
			ret = push(t, &s);
		if (ret)
			break;
	}
	fclose(f);
	if (!ret)
		*line = 0;
	return ret;
}

void samples_free(struct sample_table *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* The index of @s's boot among those of @sg, adding it if new. */
static int group_index(struct sample_groups *sg, const struct sample *s)
{
	char id[112];
	char(*n)[112];
	size_t i;

	snprintf(id, sizeof(id), "%.96s/%d", s->run_id, s->boot);
	for (i = 0; i < sg->ng; i++)
		if (!strcmp(sg->ids[i], id))
			return (int)i;
	n = realloc(sg->ids, (sg->ng + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	sg->ids = n;
	memcpy(n[sg->ng], id, sizeof(id));
	return (int)sg->ng++;
}

int sample_groups_add(struct sample_groups *sg, const struct sample *s)
{
	int g = group_index(sg, s);

	if (g < 0)
		return g;
	if (sg->n == sg->cap) {
		size_t cap = sg->cap * 2 + 16;
		double *nv = realloc(sg->v, cap * sizeof(*nv));
		int *ng;

		if (!nv)
			return -ENOMEM;
		sg->v = nv;
		ng = realloc(sg->g, cap * sizeof(*ng));
		if (!ng)
			return -ENOMEM;
		sg->g = ng;
		sg->cap = cap;
	}
	sg->v[sg->n] = s->value;
	sg->g[sg->n++] = g;
	return 0;
}

void sample_groups_free_ids(struct sample_groups *sg)
{
	free(sg->ids);
	sg->ids = NULL;
}

void sample_groups_free(struct sample_groups *sg)
{
	sample_groups_free_ids(sg);
	free(sg->v);
	free(sg->g);
	memset(sg, 0, sizeof(*sg));
}
