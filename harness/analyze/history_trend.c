// SPDX-License-Identifier: GPL-2.0-or-later
/* The history's trend per cell: samples grouped into per-night (or per-run)
 * medians, change points marked, printed as text or CSV. */
#include "analyze/history_trend.h"

#include "results/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One point of a trend: a night (UTC date) and the median of its samples. */
struct history_point {
	char night[96]; /* or the run id, per run */
	double median;
	size_t n;
	int change; /* a change point starts at this night */
	double p;   /* the t-test's p at this point (NaN if not tested) */
};

/* One trend line: everything that defines a cell but the run. */
struct trend_cell {
	char testbed[128];
	char kernel[128];
	char accel[16];
	int64_t block_mib;
	char memmap[8];
	int64_t dimm_mib;
	int node;
	int offline_fill_pct;
	int64_t zone_present_mib;
	char source[8];
	struct history_point *pts;
	int *injected;
	size_t n, cap;
	double *vals;
	size_t nv, vcap;
};

static int cell_close_point(struct trend_cell *c)
{
	struct stats_summary s;

	if (!c->nv)
		return 0;
	stats_summarize(c->vals, c->nv, &s);
	c->pts[c->n - 1].median = s.median;
	c->pts[c->n - 1].n = s.n;
	c->nv = 0;
	return 0;
}

/* Closes the point before and starts the one of @s's night (or run). */
static int cell_new_point(struct trend_cell *c, const struct history_sample *s)
{
	cell_close_point(c);
	if (c->n == c->cap) {
		c->cap = c->cap * 2 + 16;
		c->pts = realloc(c->pts, c->cap * sizeof(*c->pts));
		c->injected =
			realloc(c->injected, c->cap * sizeof(*c->injected));
		if (!c->pts || !c->injected)
			return -ENOMEM;
	}
	memset(&c->pts[c->n], 0, sizeof(c->pts[0]));
	snprintf(c->pts[c->n].night, sizeof(c->pts[0].night), "%s", s->group);
	c->injected[c->n] = 0;
	c->n++;
	snprintf(c->testbed, sizeof(c->testbed), "%s", s->testbed);
	snprintf(c->kernel, sizeof(c->kernel), "%s", s->kernel);
	snprintf(c->accel, sizeof(c->accel), "%s", s->accel);
	c->block_mib = s->block_mib;
	snprintf(c->memmap, sizeof(c->memmap), "%s", s->memmap);
	c->dimm_mib = s->dimm_mib;
	c->node = s->node;
	c->offline_fill_pct = s->offline_fill_pct;
	c->zone_present_mib = s->zone_present_mib;
	snprintf(c->source, sizeof(c->source), "%s", s->source);
	return 0;
}

/* Whether @s belongs to another trend line than @c's. */
static int other_cell(const struct trend_cell *c,
		      const struct history_sample *s)
{
	return strcmp(s->testbed, c->testbed) || strcmp(s->kernel, c->kernel) ||
	       strcmp(s->accel, c->accel) || s->block_mib != c->block_mib ||
	       strcmp(s->memmap, c->memmap) || s->dimm_mib != c->dimm_mib ||
	       s->node != c->node ||
	       s->offline_fill_pct != c->offline_fill_pct ||
	       s->zone_present_mib != c->zone_present_mib ||
	       strcmp(s->source, c->source);
}

/* "[testbed:]base/tcg-icount/128M-blocks/ram/128M[/node1][/fill50%]
 * [/zone8G][/pmem]": a trend line's name without spaces, for the plot's
 * legend. */
static void series_name(const struct trend_cell *c, char *buf, size_t len)
{
	char b[16], d[16];
	int n;

	ana_size_str(c->block_mib, b, sizeof(b));
	ana_size_str(c->dimm_mib, d, sizeof(d));
	n = snprintf(buf, len, "%s%s%s/%s/%s-blocks/%s/%s", c->testbed,
		     c->testbed[0] ? ":" : "", c->kernel, c->accel, b,
		     c->memmap, d);
	if (c->node && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, "/node%d", c->node);
	if (c->offline_fill_pct >= 0 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, "/fill%d%%",
			      c->offline_fill_pct);
	if (c->zone_present_mib >= 0 && n > 0 && (size_t)n < len) {
		ana_zone_str(c->zone_present_mib, d, sizeof(d));
		n += snprintf(buf + n, len - n, "/zone%s", d);
	}
	if (!strcmp(c->source, "pmem") && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, "/pmem");
	for (; *buf; buf++)
		if (*buf == ' ' || *buf == ',')
			*buf = '_';
}

static int cell_add_value(struct trend_cell *c, double v)
{
	if (c->nv == c->vcap) {
		c->vcap = c->vcap * 2 + 64;
		c->vals = realloc(c->vals, c->vcap * sizeof(*c->vals));
		if (!c->vals)
			return -ENOMEM;
	}
	c->vals[c->nv++] = v;
	return 0;
}

/* Marks the points where a change starts (stats_change_points, on the
 * medians); leaves them as they are when memory runs out. */
static void mark_changes(struct history_point *pts, size_t n, int window,
			 double alpha)
{
	double *v = malloc(n * sizeof(*v)), *p = malloc(n * sizeof(*p));
	int *change = malloc(n * sizeof(*change));
	size_t i;

	for (i = 0; v && i < n; i++)
		v[i] = pts[i].median;
	if (v && p && change &&
	    !stats_change_points(v, n, window, alpha, p, change))
		for (i = 0; i < n; i++) {
			pts[i].p = p[i];
			pts[i].change = change[i];
		}
	free(v);
	free(p);
	free(change);
}

static void print_cell(FILE *f, const struct history_query *q,
		       struct trend_cell *c, int csv)
{
	const struct metric_def *mi = ana_metric(q->metric);
	char sz[16], blk[16], series[256], node[48] = "", unit[32];
	size_t i;
	/* Under tcg-icount a guest time is virtual (metric.h): "vms". */
	int virt = metric_virtual_time(c->accel, q->view, mi->unit);
	const char *tb = metric_time_base(c->accel, q->view, mi->unit);

	mark_changes(c->pts, c->n, q->window, q->alpha);
	metric_time_unit(mi, virt, virt, unit, sizeof(unit));
	ana_size_str(c->dimm_mib, sz, sizeof(sz));
	ana_size_str(c->block_mib, blk, sizeof(blk));
	series_name(c, series, sizeof(series));
	if (c->node)
		snprintf(node, sizeof(node), " node%d", c->node);
	if (c->offline_fill_pct >= 0)
		snprintf(node + strlen(node), sizeof(node) - strlen(node),
			 " offline fill %d%%", c->offline_fill_pct);
	if (c->zone_present_mib >= 0) {
		char z[16];

		ana_zone_str(c->zone_present_mib, z, sizeof(z));
		snprintf(node + strlen(node), sizeof(node) - strlen(node),
			 " zone holding %s", z);
	}
	if (!strcmp(c->source, "pmem"))
		snprintf(node + strlen(node), sizeof(node) - strlen(node),
			 " pmem (dax/kmem)");
	if (!csv) {
		fprintf(f,
			"\n%s %s %s, %s %s%s: median per %s (%s)\n"
			"testbed %s\nkernel %s, accel %s, %s blocks\n"
			"change points: windowed Welch t-test (as Apache "
			"Otava), window %d, p < %g\n",
			q->metric, q->phase, q->view, c->memmap, sz, node,
			q->by_run ? "run" : "night", unit,
			c->testbed[0] ? c->testbed : "(none recorded)",
			c->kernel, c->accel, blk, q->window, q->alpha);
		if (virt)
			metric_vms_legend(f, "", "  ", 0);
		fprintf(f, "%-32s %12s %5s %9s  %s\n",
			q->by_run ? "run" : "night", "median", "n", "p",
			"change");
	}
	for (i = 0; i < c->n; i++) {
		const struct history_point *p = &c->pts[i];

		if (csv) {
			fprintf(f,
				"%s,%lld,%zu,%s,%.17g,%zu,%d,%.6g,%d,%s,%s,%"
				"lld,"
				"%d,%s,%s,%s\n",
				c->memmap, (long long)c->dimm_mib, i, p->night,
				p->median * mi->scale, p->n, p->change, p->p,
				c->injected[i], c->kernel, c->accel,
				(long long)c->block_mib, c->node, series, tb,
				c->testbed);
			continue;
		}
		fprintf(f, "%-32s %12.3f %5zu ", p->night,
			p->median * mi->scale, p->n);
		if (isfinite(p->p))
			fprintf(f, "%9.2g", p->p);
		else
			fprintf(f, "%9s", "-");
		fprintf(f, "  %s%s\n", p->change ? "<<< change point" : "",
			c->injected[i] ? " (injected delay)" : "");
	}
}

int history_trend(const char *db_path, const struct history_query *q, int csv,
		  FILE *f, char *err, size_t len)
{
	struct trend_cell c = {0};
	struct history_cursor *cur;
	struct history_sample s;
	char shown[1024];
	int ret, cells = 0;

	history_shown(db_path, shown, sizeof(shown));
	ret = history_trend_open(db_path, q, &cur, err, len);
	if (ret)
		return ret;
	if (csv)
		fprintf(f,
			"memmap,dimm_mib,index,%s,median,n,change,p,"
			"injected,kernel,accel,block_mib,node,series,"
			"time_base,testbed\n",
			q->by_run ? "run" : "night");
	while ((ret = history_trend_next(cur, &s, err, len)) > 0) {
		if (c.n && other_cell(&c, &s)) {
			cell_close_point(&c);
			print_cell(f, q, &c, csv);
			cells++;
			c.n = 0;
		}
		if (!c.n || strcmp(c.pts[c.n - 1].night, s.group)) {
			ret = cell_new_point(&c, &s);
			if (ret)
				goto out;
		}
		if (s.injected)
			c.injected[c.n - 1] = 1;
		ret = cell_add_value(&c, s.value);
		if (ret)
			goto out;
	}
	if (ret)
		goto out;
	if (c.n) {
		cell_close_point(&c);
		print_cell(f, q, &c, csv);
		cells++;
	}
	if (!cells) {
		snprintf(err, len,
			 "%s: no complete run has %s %s %s samples%s%s%s%s",
			 shown, q->metric, q->phase, q->view,
			 q->memmap[0] ? " for memmap=" : "", q->memmap,
			 q->testbed && *q->testbed ? " on testbed " : "",
			 q->testbed ? q->testbed : "");
		ret = -ENODATA;
	}
out:
	free(c.pts);
	free(c.injected);
	free(c.vals);
	history_cursor_close(cur);
	return ret;
}
