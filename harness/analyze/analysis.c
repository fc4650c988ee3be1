// SPDX-License-Identifier: GPL-2.0-or-later
#include "analyze/analysis.h"
#include "results/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The metric's row of the one table (results/metric.c); a name the table
 * does not know (a run written by an older mhpbench) reads as neutral,
 * noisy, shown as it is and labelled with its name. */
const struct metric_def *ana_metric(const char *name)
{
	static struct metric_def other = {.scale = 1, .shown_unit = ""};
	const struct metric_def *d = metric_find(name);

	if (d && d->label)
		return d;
	if (d)
		other = *d;
	else
		other = (struct metric_def){.scale = 1, .shown_unit = ""};
	other.name = name;
	other.label = name;
	return &other;
}

const char *ana_center_name(enum stats_center c)
{
	return c == STATS_MIN ? "min" : "median";
}

int ana_parse_center(const char *text, enum stats_center *c)
{
	if (!strcmp(text, "median"))
		*c = STATS_MEDIAN;
	else if (!strcmp(text, "min"))
		*c = STATS_MIN;
	else
		return -EINVAL;
	return 0;
}

void ana_size_str(int64_t mib, char *buf, size_t len)
{
	if (mib >= 1024 && mib % 1024 == 0)
		snprintf(buf, len, "%lldG", (long long)(mib / 1024));
	else
		snprintf(buf, len, "%lldM", (long long)mib);
}

void ana_zone_str(int64_t mib, char *buf, size_t len)
{
	if (mib)
		ana_size_str(mib, buf, len);
	else
		snprintf(buf, len, "0");
}

/* Adds @v to the @n strings of @width at @vals unless it is there. */
static void axis_add(char *vals, size_t width, int *n, const char *v)
{
	int i;

	for (i = 0; i < *n && i < ANA_AXES_MAX; i++)
		if (!strcmp(vals + i * width, v))
			return;
	if (*n < ANA_AXES_MAX)
		snprintf(vals + *n * width, width, "%s", v);
	(*n)++;
}

void ana_axes_add(struct ana_axes *a, const struct sample *s)
{
	char sz[24];

	axis_add(&a->kernel[0][0], sizeof(a->kernel[0]), &a->nkernel,
		 s->kernel);
	axis_add(&a->accel[0][0], sizeof(a->accel[0]), &a->naccel, s->accel);
	snprintf(sz, sizeof(sz), "%lld", (long long)s->block_mib);
	axis_add(&a->block[0][0], sizeof(a->block[0]), &a->nblock, sz);
}

void ana_axes_merge(struct ana_axes *into, const struct ana_axes *from)
{
	int i;

	for (i = 0; i < from->nkernel && i < ANA_AXES_MAX; i++)
		axis_add(&into->kernel[0][0], sizeof(into->kernel[0]),
			 &into->nkernel, from->kernel[i]);
	for (i = 0; i < from->naccel && i < ANA_AXES_MAX; i++)
		axis_add(&into->accel[0][0], sizeof(into->accel[0]),
			 &into->naccel, from->accel[i]);
	for (i = 0; i < from->nblock && i < ANA_AXES_MAX; i++)
		axis_add(&into->block[0][0], sizeof(into->block[0]),
			 &into->nblock, from->block[i]);
}

void ana_axes_list(const struct ana_axes *a, int which, char *buf, size_t len)
{
	int n = which == 'k'   ? a->nkernel
		: which == 'a' ? a->naccel
			       : a->nblock;
	size_t o = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < n && i < ANA_AXES_MAX && o < len; i++) {
		char sz[24];

		if (which == 'b')
			ana_size_str(ana_axes_block(a, i), sz, sizeof(sz));
		o += snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
			      which == 'k'   ? a->kernel[i]
			      : which == 'a' ? a->accel[i]
					     : sz);
	}
	if (n > ANA_AXES_MAX && o < len)
		snprintf(buf + o, len - o, ", ...");
}

/* Whether @v is one of @a's @n values (of @size bytes each). */
static int axis_has(const char *a, size_t size, int n, const char *v)
{
	int i;

	for (i = 0; i < n && i < ANA_AXES_MAX; i++)
		if (!strcmp(a + i * size, v))
			return 1;
	return 0;
}

int ana_axes_same(const struct ana_axes *a, const struct ana_axes *b, int which)
{
	const char *va = which == 'k'	? &a->kernel[0][0]
			 : which == 'a' ? &a->accel[0][0]
					: &a->block[0][0];
	const char *vb = which == 'k'	? &b->kernel[0][0]
			 : which == 'a' ? &b->accel[0][0]
					: &b->block[0][0];
	size_t size = which == 'k'   ? sizeof(a->kernel[0])
		      : which == 'a' ? sizeof(a->accel[0])
				     : sizeof(a->block[0]);
	int na = which == 'k'	? a->nkernel
		 : which == 'a' ? a->naccel
				: a->nblock;
	int nb = which == 'k'	? b->nkernel
		 : which == 'a' ? b->naccel
				: b->nblock;
	int i;

	if (na != nb)
		return 0;
	for (i = 0; i < na && i < ANA_AXES_MAX; i++)
		if (!axis_has(vb, size, nb, va + i * size))
			return 0;
	return 1;
}

int64_t ana_axes_block(const struct ana_axes *a, int i)
{
	return strtoll(a->block[i], NULL, 10);
}

static void set_err(char *err, size_t len, const char *dir, const char *msg)
{
	if (err && len)
		snprintf(err, len, "%s: %s", dir, msg);
}

int ana_load_run(const char *dir, struct ana_run *r, char *err, size_t len)
{
	char path[4200], msg[512];
	json_error_t je;
	struct stat st;
	json_t *m, *v;
	size_t i, measured = 0;
	int ret, line = 0;

	memset(r, 0, sizeof(*r));
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		set_err(err, len, dir, "no such run directory");
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	if (stat(path, &st)) {
		set_err(err, len, dir,
			"not a mhpbench run directory (no manifest.json)");
		return -ENOENT;
	}
	m = json_load_file(path, 0, &je);
	if (!m) {
		snprintf(msg, sizeof(msg),
			 "corrupt manifest.json (line %d: %s)", je.line,
			 je.text);
		set_err(err, len, dir, msg);
		return -EPROTO;
	}
	r->manifest = m;
	if (!json_is_object(m) ||
	    !json_is_object(json_object_get(m, "mhpbench")) ||
	    !json_is_string(json_object_get(m, "run_id"))) {
		set_err(err, len, dir,
			"foreign manifest.json: no mhpbench provenance or "
			"run_id");
		return -EPROTO;
	}
	snprintf(r->run_id, sizeof(r->run_id), "%s",
		 json_string_value(json_object_get(m, "run_id")));
	snprintf(r->status, sizeof(r->status), "%s",
		 json_string_value(json_object_get(m, "status")) ?: "unknown");
	snprintf(r->started_utc, sizeof(r->started_utc), "%s",
		 json_string_value(json_object_get(m, "started_utc")) ?: "");
	v = json_object_get(json_object_get(m, "mhpbench"), "git_rev");
	snprintf(r->git_rev, sizeof(r->git_rev), "%s",
		 json_string_value(v) ?: "");
	r->inject_online_delay_us = report_injected_delay_us(m, 1);
	snprintf(r->accel, sizeof(r->accel), "%s",
		 json_string_value(
			 json_object_get(json_object_get(m, "accel"), "used"))
			 ?: "");

	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	ret = samples_load(path, &r->t, &line);
	if (ret == -ENOENT) {
		set_err(err, len, dir, "no samples.csv");
		return ret;
	}
	if (ret) {
		snprintf(msg, sizeof(msg), "samples.csv:%d: %s", line,
			 ret == -EPROTO ? "malformed row (corrupt or foreign "
					  "file)"
					: strerror(-ret));
		set_err(err, len, dir, msg);
		return ret;
	}
	for (i = 0; i < r->t.n; i++) {
		const struct sample *s = &r->t.s[i];

		if (s->warmup)
			continue;
		ana_axes_add(&r->axes, s);
		if (!measured++) {
			snprintf(r->kernel, sizeof(r->kernel), "%s", s->kernel);
			r->block_mib = s->block_mib;
			if (!r->accel[0])
				snprintf(r->accel, sizeof(r->accel), "%s",
					 s->accel);
		}
		if (strcmp(s->run_id, r->run_id)) {
			snprintf(msg, sizeof(msg),
				 "samples.csv row %zu has run_id %s, the "
				 "manifest says %s",
				 i + 2, s->run_id, r->run_id);
			set_err(err, len, dir, msg);
			return -EPROTO;
		}
	}
	if (!measured) {
		set_err(err, len, dir, "no measured samples in samples.csv");
		return -ENODATA;
	}
	return 0;
}

void ana_free_run(struct ana_run *r)
{
	json_decref(r->manifest);
	r->manifest = NULL;
	if (r->t.s)
		samples_free(&r->t);
	memset(&r->t, 0, sizeof(r->t));
}

int ana_parse_sel(const char *text, struct ana_sel *sel)
{
	static const char *const keys[] = {"memmap", "kernel", "accel",
					   "boot",   "node",   "source"};
	const char *eq = strchr(text, '=');
	size_t i, kl;

	memset(sel, 0, sizeof(*sel));
	if (!eq || eq == text || !eq[1])
		return -EINVAL;
	kl = eq - text;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i]) == kl && !strncmp(keys[i], text, kl))
			break;
	if (i == sizeof(keys) / sizeof(keys[0]) ||
	    strlen(eq + 1) >= sizeof(sel->val))
		return -EINVAL;
	snprintf(sel->key, sizeof(sel->key), "%s", keys[i]);
	snprintf(sel->val, sizeof(sel->val), "%s", eq + 1);
	return 0;
}

int ana_sel_match(const struct ana_sel *sel, const struct sample *s)
{
	char num[24];

	if (!sel || !sel->key[0])
		return 1;
	if (!strcmp(sel->key, "memmap"))
		return !strcmp(s->memmap, sel->val);
	if (!strcmp(sel->key, "kernel"))
		return !strcmp(s->kernel, sel->val);
	if (!strcmp(sel->key, "accel"))
		return !strcmp(s->accel, sel->val);
	if (!strcmp(sel->key, "source"))
		return !strcmp(s->source, sel->val);
	snprintf(num, sizeof(num), "%d",
		 !strcmp(sel->key, "boot") ? s->boot : s->node);
	return !strcmp(num, sel->val);
}

static int metric_wanted(const struct ana_opts *o, const struct sample *s)
{
	int i;

	/* errno, gaps, tries: asked for by name only. */
	if (!o->nmetrics && ana_metric(s->metric)->diagnostic)
		return 0;
	if (!strcmp(s->metric, M_ERRNO))
		return 0;
	/* Deep cycles (traced, probed) and the per-boot capability rows are
	 * not what a regression is judged on; ask for them by name. */
	if (!o->nmetrics)
		return strcmp(s->view, "deep") && strcmp(s->phase, "boot");
	for (i = 0; i < o->nmetrics; i++) {
		const char *m = o->metrics[i], *c = strchr(m, ':');
		size_t ml = c ? (size_t)(c - m) : strlen(m);

		if (strlen(s->metric) == ml && !strncmp(s->metric, m, ml) &&
		    (c ? !strcmp(c + 1, s->view)
		       : !o->no_deep || strcmp(s->view, "deep")))
			return 1;
	}
	return 0;
}

static void make_key(const struct sample *s, unsigned fold, struct ana_key *k)
{
	memset(k, 0, sizeof(*k));
	if (!(fold & ANA_FOLD_KERNEL))
		snprintf(k->kernel, sizeof(k->kernel), "%s", s->kernel);
	if (!(fold & ANA_FOLD_ACCEL))
		snprintf(k->accel, sizeof(k->accel), "%s", s->accel);
	if (!(fold & ANA_FOLD_BLOCK))
		k->block_mib = s->block_mib;
	if (!(fold & ANA_FOLD_MEMMAP))
		snprintf(k->memmap, sizeof(k->memmap), "%s", s->memmap);
	k->dimm_mib = s->dimm_mib;
	if (!(fold & ANA_FOLD_NODE))
		k->node = s->node;
	k->target_mib = s->target_mib;
	k->offline_fill_pct = s->offline_fill_pct;
	k->zone_present_mib = s->zone_present_mib;
	if (!(fold & ANA_FOLD_SOURCE))
		snprintf(k->source, sizeof(k->source), "%s", s->source);
	snprintf(k->phase, sizeof(k->phase), "%s", s->phase);
	snprintf(k->view, sizeof(k->view), "%s", s->view);
	snprintf(k->metric, sizeof(k->metric), "%s", s->metric);
	snprintf(k->unit, sizeof(k->unit), "%s", s->unit);
}

static int phase_rank(const char *p)
{
	static const char *const order[] = {"add", "online", "offline",
					    "remove"};
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(order[i], p))
			return i;
	return 4;
}

static int key_cmp(const struct ana_key *a, const struct ana_key *b)
{
	int c;

	if ((c = strcmp(a->kernel, b->kernel)) ||
	    (c = strcmp(a->accel, b->accel)))
		return c;
	if (a->block_mib != b->block_mib)
		return a->block_mib < b->block_mib ? -1 : 1;
	if ((c = strcmp(a->memmap, b->memmap)))
		return c;
	if (a->dimm_mib != b->dimm_mib)
		return a->dimm_mib < b->dimm_mib ? -1 : 1;
	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	if (a->target_mib != b->target_mib)
		return a->target_mib < b->target_mib ? -1 : 1;
	if (a->offline_fill_pct != b->offline_fill_pct)
		return a->offline_fill_pct < b->offline_fill_pct ? -1 : 1;
	if (a->zone_present_mib != b->zone_present_mib)
		return a->zone_present_mib < b->zone_present_mib ? -1 : 1;
	if ((c = strcmp(a->source, b->source)))
		return c;
	if (phase_rank(a->phase) != phase_rank(b->phase))
		return phase_rank(a->phase) - phase_rank(b->phase);
	if ((c = strcmp(a->phase, b->phase)))
		return c;
	if ((c = strcmp(b->view, a->view))) /* host before guest */
		return c;
	return strcmp(a->metric, b->metric);
}

/* Where @kernel first appears in A, then B: rows of several kernels
 * follow the job's order, not the alphabet's. */
static int kernel_rank(const struct ana_axes ax[2], const char *kernel)
{
	int side, i, base = 0;

	for (side = 0; side < 2; side++) {
		for (i = 0; i < ax[side].nkernel && i < ANA_AXES_MAX; i++)
			if (!strcmp(ax[side].kernel[i], kernel))
				return base + i;
		base += ANA_AXES_MAX;
	}
	return base;
}

static int row_cmp(const void *x, const void *y, void *ctx)
{
	const struct ana_key *a = &((const struct ana_row *)x)->k;
	const struct ana_key *b = &((const struct ana_row *)y)->k;
	int ra = kernel_rank(ctx, a->kernel), rb = kernel_rank(ctx, b->kernel);

	return ra != rb ? ra - rb : key_cmp(a, b);
}

/* Values of the cell @k on one side, grouped by boot. */
static int collect(const struct sample_table *t, const struct ana_sel *sel,
		   unsigned fold, const struct ana_key *k,
		   struct sample_groups *out)
{
	struct ana_key sk;
	size_t i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < t->n && !ret; i++) {
		const struct sample *s = &t->s[i];

		if (s->warmup || !ana_sel_match(sel, s))
			continue;
		make_key(s, fold, &sk);
		if (key_cmp(&sk, k) || strcmp(sk.unit, k->unit))
			continue;
		ret = sample_groups_add(out, s);
	}
	sample_groups_free_ids(out);
	return ret;
}

static int has_key(const struct ana_row *rows, size_t n,
		   const struct ana_key *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!key_cmp(&rows[i].k, k))
			return 1;
	return 0;
}

/* Distinct keys of the wanted samples of one side, appended to @rows. */
static int side_keys(const struct sample_table *t, const struct ana_sel *sel,
		     unsigned fold, const struct ana_opts *o,
		     struct ana_row **rows, size_t *n, size_t *cap)
{
	struct ana_key k;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];

		if (s->warmup || !ana_sel_match(sel, s) || !metric_wanted(o, s))
			continue;
		make_key(s, fold, &k);
		if (has_key(*rows, *n, &k))
			continue;
		if (*n == *cap) {
			struct ana_row *nr = realloc(
				*rows, (*cap = *cap * 2 + 16) * sizeof(**rows));
			if (!nr)
				return -ENOMEM;
			*rows = nr;
		}
		memset(&(*rows)[*n], 0, sizeof(**rows));
		(*rows)[(*n)++].k = k;
	}
	return 0;
}

/* The axes of the samples one side compares. */
static void side_axes(const struct sample_table *t, const struct ana_sel *sel,
		      const struct ana_opts *o, struct ana_axes *ax)
{
	size_t i;

	memset(ax, 0, sizeof(*ax));
	for (i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];

		if (!s->warmup && ana_sel_match(sel, s) && metric_wanted(o, s))
			ana_axes_add(ax, s);
	}
}

/* Whether each side holds one value of an axis, and the same one unless
 * the sides are two runs (@two). */
static int single(int na, int nb, const char *va, const char *vb, int two)
{
	return na <= 1 && nb <= 1 && (two || !na || !nb || !strcmp(va, vb));
}

/* What becomes A and B rather than part of the key: the axis selected on,
 * and kernel, accel or block size where each side holds one value (a run
 * against a run of another kernel, two selections of one kernel). An axis
 * with several values on a side stays in the key: cells are compared
 * within each value and never pooled. So does one value a side of one
 * run when they differ (ram of one kernel against self of another). */
static unsigned fold_of(const struct ana_sel *sel, const struct ana_axes ax[2],
			int two)
{
	unsigned f = 0;

	if (sel && !strcmp(sel->key, "memmap"))
		f |= ANA_FOLD_MEMMAP;
	if (sel && !strcmp(sel->key, "kernel"))
		f |= ANA_FOLD_KERNEL;
	if (sel && !strcmp(sel->key, "accel"))
		f |= ANA_FOLD_ACCEL;
	if (sel && !strcmp(sel->key, "node"))
		f |= ANA_FOLD_NODE;
	/* Only on purpose (--a source=dimm --b source=pmem): a pc-dimm run
	 * against a pmem run has no cell in common otherwise. */
	if (sel && !strcmp(sel->key, "source"))
		f |= ANA_FOLD_SOURCE;
	if (single(ax[0].nkernel, ax[1].nkernel, ax[0].kernel[0],
		   ax[1].kernel[0], two))
		f |= ANA_FOLD_KERNEL;
	if (single(ax[0].naccel, ax[1].naccel, ax[0].accel[0], ax[1].accel[0],
		   two))
		f |= ANA_FOLD_ACCEL;
	if (single(ax[0].nblock, ax[1].nblock, ax[0].block[0], ax[1].block[0],
		   two))
		f |= ANA_FOLD_BLOCK;
	return f;
}

static void fill_change(struct ana_row *r)
{
	const struct metric_def *mi = ana_metric(r->k.metric);
	double a = r->ca, b = r->cb;

	if (!mi->better) {
		r->change_pct = a ? (b - a) / fabs(a) * 100 : NAN;
		return;
	}
	if (a == 0) {
		r->change_pct = b == 0 ? 0 : NAN;
		return;
	}
	r->change_pct = (mi->better > 0 ? b - a : a - b) / fabs(a) * 100;
}

/* The centres, the tests and the CI of one row. The boot is the unit of
 * evidence: with STATS_MIN_BOOTS boots a side the p is Welch's on the
 * per-boot centres; with fewer, Mann-Whitney's on the cycles, and the row
 * is not gate-grade. The CI resamples boots, then cycles within them. */
static int row_stats(struct ana_row *r, const struct sample_table *ta,
		     const struct ana_sel *sa, const struct sample_table *tb,
		     const struct ana_sel *sb, unsigned fold,
		     const struct ana_opts *o)
{
	struct sample_groups a, b = {0};
	struct stats_grouped ga, gb;
	double *tmp;
	int ret;

	ret = collect(ta, sa, fold, &r->k, &a);
	if (!ret)
		ret = collect(tb, sb, fold, &r->k, &b);
	r->va = a.v, r->ga = a.g, r->a.n = a.n, r->boots_a = a.ng;
	r->vb = b.v, r->gb = b.g, r->b.n = b.n, r->boots_b = b.ng;
	if (ret)
		return ret;
	/* stats_summarize sorts; keep the values in order taken */
	tmp = malloc((a.n + b.n + 1) * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, a.v, a.n * sizeof(*tmp));
	memcpy(tmp + a.n, b.v, b.n * sizeof(*tmp));
	stats_summarize(tmp, a.n, &r->a);
	stats_summarize(tmp + a.n, b.n, &r->b);
	free(tmp);
	ret = stats_mann_whitney(a.v, a.n, b.v, b.n, &r->mw);
	if (ret)
		return ret;
	ga = (struct stats_grouped){a.v, a.g, a.n, a.ng};
	gb = (struct stats_grouped){b.v, b.g, b.n, b.ng};
	r->gate_grade = a.ng >= STATS_MIN_BOOTS && b.ng >= STATS_MIN_BOOTS;
	r->p = r->mw.p;
	if (r->gate_grade) {
		ret = stats_boot_welch(&ga, &gb, o->center, &r->p);
		if (ret)
			return ret;
	}
	r->ca = o->center == STATS_MIN ? r->a.min : r->a.median;
	r->cb = o->center == STATS_MIN ? r->b.min : r->b.median;
	r->ci_ok = !stats_boot_ratio(&ga, &gb, o->center, o->seed, o->reps,
				     0.95, &r->ci);
	fill_change(r);
	return 0;
}

int ana_compare(const struct sample_table *ta, const struct ana_sel *sa,
		const struct sample_table *tb, const struct ana_sel *sb,
		const struct ana_opts *o, struct ana_cmp *out)
{
	struct ana_row *ka = NULL, *kb = NULL;
	size_t na = 0, nb = 0, ca = 0, cb = 0, i;
	unsigned fold;
	double *p = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	out->o = *o;
	side_axes(ta, sa, o, &out->ax[0]);
	side_axes(tb, sb, o, &out->ax[1]);
	fold = out->fold = fold_of(sa, out->ax, ta != tb);
	ret = side_keys(ta, sa, fold, o, &ka, &na, &ca);
	if (!ret)
		ret = side_keys(tb, sb, fold, o, &kb, &nb, &cb);
	if (ret)
		goto out;
	out->rows = calloc(na ? na : 1, sizeof(*out->rows));
	if (!out->rows) {
		ret = -ENOMEM;
		goto out;
	}
	out->gone = calloc(na ? na : 1, sizeof(*out->gone));
	if (!out->gone) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < na; i++) {
		if (has_key(kb, nb, &ka[i].k))
			out->rows[out->n++].k = ka[i].k;
		else
			out->gone[out->only_a++] = ka[i].k;
	}
	out->only_b = nb - out->n;
	qsort_r(out->rows, out->n, sizeof(*out->rows), row_cmp, out->ax);
	p = calloc(out->n ? out->n : 1, sizeof(*p));
	if (!p) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < out->n && !ret; i++) {
		ret = row_stats(&out->rows[i], ta, sa, tb, sb, fold, o);
		p[i] = out->rows[i].p;
	}
	if (ret)
		goto out;
	ret = stats_holm(p, out->n);
	for (i = 0; !ret && i < out->n; i++) {
		out->rows[i].p_holm = p[i];
		out->rows[i].sig = p[i] < o->alpha && out->rows[i].gate_grade;
		out->rows[i].virt_a = ana_key_virtual(out, &out->rows[i].k, 0);
		out->rows[i].virt_b = ana_key_virtual(out, &out->rows[i].k, 1);
	}
out:
	free(p);
	free(ka);
	free(kb);
	if (ret)
		ana_cmp_free(out);
	return ret;
}

void ana_cmp_free(struct ana_cmp *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->rows[i].va);
		free(c->rows[i].vb);
		free(c->rows[i].ga);
		free(c->rows[i].gb);
	}
	free(c->rows);
	free(c->gone);
	c->rows = NULL;
	c->gone = NULL;
	c->n = 0;
}

const char *ana_side_accel(const struct ana_cmp *c, const struct ana_key *k,
			   int side)
{
	const struct ana_axes *ax = &c->ax[side ? 1 : 0];

	if (k->accel[0] || !(c->fold & ANA_FOLD_ACCEL))
		return k->accel;
	/* folded: each side holds one accel (fold_of) */
	return ax->naccel >= 1 ? ax->accel[0] : "";
}

int ana_key_virtual(const struct ana_cmp *c, const struct ana_key *k, int side)
{
	return metric_virtual_time(ana_side_accel(c, k, side), k->view,
				   k->unit);
}

const char *ana_row_time_base(const struct ana_row *r)
{
	if (!metric_is_time(r->k.unit))
		return "";
	if (r->virt_a != r->virt_b)
		return r->virt_a ? "virtual/wall" : "wall/virtual";
	return r->virt_a ? "virtual" : "wall";
}

void ana_row_label(const struct ana_row *r, int width, char *buf, size_t len)
{
	metric_time_label(ana_metric(r->k.metric), r->virt_a, r->virt_b, width,
			  buf, len);
}

void ana_row_unit(const struct ana_row *r, char *buf, size_t len)
{
	metric_time_unit(ana_metric(r->k.metric), r->virt_a, r->virt_b, buf,
			 len);
}
