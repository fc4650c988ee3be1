// SPDX-License-Identifier: GPL-2.0-or-later
/* The x categories of the run plots: DIMM size x kernel x accel x block
 * size x offline fill, as the run holds them. */
#include "analyze/plot_cats.h"

#include "analyze/analysis.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plot_gp_safe(char *s)
{
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || strchr(" ._+-:,()/=", *s)))
			*s = '?';
}

int plot_cat_match(const struct plot_cat *c, const struct sample *s)
{
	return s->dimm_mib == c->dimm_mib && s->block_mib == c->block_mib &&
	       !strcmp(s->kernel, c->kernel) && !strcmp(s->accel, c->accel) &&
	       s->offline_fill_pct == c->fill &&
	       s->zone_present_mib == c->zone_mib &&
	       !strcmp(s->source, c->source);
}

/* The kernels in the order they were first seen, for sorting. */
struct seen {
	const char *k[PLOT_CATS_MAX];
	size_t n;
};

static size_t kernel_rank(const struct seen *seen, const char *k)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		if (!strcmp(seen->k[i], k))
			return i;
	return i;
}

static int cat_cmp(const void *x, const void *y, void *ctx)
{
	const struct plot_cat *a = x, *b = y;
	size_t ra = kernel_rank(ctx, a->kernel),
	       rb = kernel_rank(ctx, b->kernel);
	int c;

	if (a->dimm_mib != b->dimm_mib)
		return a->dimm_mib < b->dimm_mib ? -1 : 1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if ((c = strcmp(a->accel, b->accel)))
		return c;
	if (a->block_mib != b->block_mib)
		return a->block_mib < b->block_mib ? -1 : 1;
	if (a->fill != b->fill)
		return a->fill < b->fill ? -1 : 1;
	if (a->zone_mib != b->zone_mib)
		return a->zone_mib < b->zone_mib ? -1 : 1;
	return strcmp(a->source, b->source);
}

/* The categories of the measured samples of @metric in @view (NULL: any)
 * that are per DIMM (@oom 0) or oom-edge points (@oom 1). */
static void cats_of(const struct sample_table *t, const char *view,
		    const char *metric, int oom, struct plot_cats *pc)
{
	struct seen seen = {.n = 0};
	size_t i, j;

	memset(pc, 0, sizeof(*pc));
	for (i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];
		struct plot_cat *c;

		if (s->warmup || (s->target_mib >= 0) != oom ||
		    s->dimm_mib <= 0 || (view && strcmp(s->view, view)) ||
		    strcmp(s->metric, metric))
			continue;
		if (kernel_rank(&seen, s->kernel) == seen.n &&
		    seen.n < PLOT_CATS_MAX)
			seen.k[seen.n++] = s->kernel;
		for (j = 0; j < pc->n && !plot_cat_match(&pc->c[j], s); j++)
			;
		if (j < pc->n || pc->n == PLOT_CATS_MAX)
			continue;
		c = &pc->c[pc->n++];
		c->kernel = s->kernel;
		c->accel = s->accel;
		c->block_mib = s->block_mib;
		c->dimm_mib = s->dimm_mib;
		c->fill = s->offline_fill_pct;
		c->zone_mib = s->zone_present_mib;
		c->source = s->source;
		if (pc->n > 1) {
			pc->by_kernel |=
				strcmp(c->kernel, pc->c[0].kernel) != 0;
			pc->by_accel |= strcmp(c->accel, pc->c[0].accel) != 0;
			pc->by_block |= c->block_mib != pc->c[0].block_mib;
			pc->by_fill |= c->fill != pc->c[0].fill;
			pc->by_zone |= c->zone_mib != pc->c[0].zone_mib;
		}
	}
	qsort_r(pc->c, pc->n, sizeof(pc->c[0]), cat_cmp, &seen);
}

void plot_cats_of(const struct sample_table *t, const char *view,
		  const char *metric, struct plot_cats *pc)
{
	cats_of(t, view, metric, 0, pc);
}

void plot_cats_oom(const struct sample_table *t, const char *metric,
		   struct plot_cats *pc)
{
	cats_of(t, NULL, metric, 1, pc);
}

void plot_cat_group(const struct plot_cats *pc, size_t i, char *buf, size_t len)
{
	const struct plot_cat *c = &pc->c[i];
	char blk[16], fill[16] = "", zone[24] = "", z[16];

	ana_size_str(c->block_mib, blk, sizeof(blk));
	if (pc->by_fill)
		snprintf(fill, sizeof(fill), "/fill%dpct", c->fill);
	if (pc->by_zone) {
		ana_zone_str(c->zone_mib, z, sizeof(z));
		snprintf(zone, sizeof(zone), "/zone%s", z);
	}
	snprintf(buf, len, "%s%s%s%s%s%s%s", c->kernel, pc->by_accel ? "/" : "",
		 pc->by_accel ? c->accel : "", pc->by_block ? "/" : "",
		 pc->by_block ? blk : "", fill, zone);
	plot_gp_safe(buf);
	for (; *buf; buf++)
		if (*buf == ' ')
			*buf = '_';
}

void plot_cat_label(const struct plot_cats *pc, size_t i, const char *sep,
		    char *buf, size_t len)
{
	const struct plot_cat *c = &pc->c[i];
	char sz[16], blk[16], fill[16] = "", zone[32] = "", z[16], rest[256];

	ana_size_str(c->dimm_mib, sz, sizeof(sz));
	/* The memory kmem added of a pmem region, not a DIMM. */
	if (!strcmp(c->source, "pmem"))
		snprintf(sz + strlen(sz), sizeof(sz) - strlen(sz), " pmem");
	ana_size_str(c->block_mib, blk, sizeof(blk));
	if (pc->by_fill)
		/* not '%': gnuplot reads tic labels as formats */
		snprintf(fill, sizeof(fill), "%sfill %dpct",
			 pc->by_kernel || pc->by_accel || pc->by_block ? " "
								       : "",
			 c->fill);
	if (pc->by_zone) {
		ana_zone_str(c->zone_mib, z, sizeof(z));
		snprintf(zone, sizeof(zone), "%szone %s",
			 pc->by_kernel || pc->by_accel || pc->by_block ||
					 pc->by_fill
				 ? " "
				 : "",
			 z);
	}
	snprintf(rest, sizeof(rest), "%s%s%s%s%s%s%s%s",
		 pc->by_kernel ? c->kernel : "",
		 pc->by_kernel && (pc->by_accel || pc->by_block) ? " " : "",
		 pc->by_accel ? c->accel : "",
		 pc->by_accel && pc->by_block ? " " : "",
		 pc->by_block ? blk : "", pc->by_block ? "-blk" : "", fill,
		 zone);
	plot_gp_safe(rest);
	snprintf(buf, len, "%s%s%s", sz, rest[0] ? sep : "", rest);
}

void plot_cats_xtics(const struct plot_cats *pc, char *buf, size_t len)
{
	char lab[300];
	size_t i, k;

	/* Two-line tics push the axis label down a line. */
	k = snprintf(buf, len,
		     "xlabel_text = \"%s%s%s%s%s%s\"\nxlines = %d\n"
		     "nsizes = %zu\nxtics_list = '",
		     pc->n && !strcmp(pc->c[0].source, "pmem")
			     ? "memory kmem added (pmem)"
			     : "DIMM size",
		     pc->by_kernel ? ", kernel" : "",
		     pc->by_accel ? ", accel" : "",
		     pc->by_block ? ", block size" : "",
		     pc->by_fill ? ", offline fill" : "",
		     pc->by_zone ? ", zone size" : "",
		     pc->by_kernel || pc->by_accel || pc->by_block ||
				     pc->by_fill || pc->by_zone
			     ? 2
			     : 1,
		     pc->n);
	for (i = 0; i < pc->n && k < len; i++) {
		/* "\n" inside the tic's "...": a second line under the size */
		plot_cat_label(pc, i, "\\n", lab, sizeof(lab));
		k += snprintf(buf + k, len - k, "%s\"%s\" %zu", i ? ", " : "",
			      lab, i);
	}
	if (k < len)
		snprintf(buf + k, len - k, "'");
}
