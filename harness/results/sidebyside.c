// SPDX-License-Identifier: GPL-2.0-or-later
#include "results/sidebyside.h"
#include "base/units.h"
#include "results/stats_boot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KERNELS 8
#define SBS_ALPHA 0.05

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static json_int_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Kernel labels in the order the cells are sorted (first seen first). */
static json_t *labels(const json_t *cells)
{
	json_t *l = json_array(), *e;
	size_t i, j;
	const json_t *c;

	json_array_foreach(cells, i, c)
	{
		int seen = 0;

		json_array_foreach(l, j, e)
		{
			seen |= !strcmp(json_string_value(e), str(c, "kernel"));
		}
		if (!seen && json_array_size(l) < MAX_KERNELS)
			json_array_append_new(l, json_string(str(c, "kernel")));
	}
	return l;
}

/* A cell's offline fill in per cent, -1 when the run has no fill axis. */
static json_int_t fill_of(const json_t *c)
{
	const json_t *f = json_object_get(c, "offline_fill_pct");

	return f ? json_integer_value(f) : -1;
}

/* A cell's zone_present in MiB, -1 when the run has no such axis. */
static json_int_t zone_of(const json_t *c)
{
	const json_t *z = json_object_get(c, "zone_present_mib");

	return z ? json_integer_value(z) : -1;
}

static int same_row(const json_t *a, const json_t *b)
{
	return num(a, "block_mib") == num(b, "block_mib") &&
	       fill_of(a) == fill_of(b) && zone_of(a) == zone_of(b) &&
	       num(a, "dimm_mib") == num(b, "dimm_mib") &&
	       num(a, "node") == num(b, "node") &&
	       !strcmp(str(a, "memmap"), str(b, "memmap")) &&
	       !strcmp(str(a, "phase"), str(b, "phase")) &&
	       !strcmp(str(a, "view"), str(b, "view")) &&
	       !strcmp(str(a, "metric"), str(b, "metric")) &&
	       !strcmp(str(a, "accel"), str(b, "accel"));
}

/* The host-view latencies and the guest view's memmap at add: one view
 * each (the deep view's traced cycles are the deep report's), so that no
 * row is printed twice. */
static int wanted(const json_t *c)
{
	return (!strcmp(str(c, "metric"), "latency_ns") &&
		!strcmp(str(c, "view"), "host")) ||
	       (!strcmp(str(c, "metric"), "memmap_from_ram_kib") &&
		!strcmp(str(c, "phase"), "add") &&
		!strcmp(str(c, "view"), "guest"));
}

/* One row: the medians of every kernel for the row of @like. */
static json_t *row(const json_t *cells, const json_t *like, const json_t *l)
{
	json_t *med = json_array(), *ratio = json_array(), *lab;
	double base = 0;
	size_t i, k;
	const json_t *c;

	json_array_foreach(l, k, lab)
	{
		json_t *m = json_null();

		json_array_foreach(cells, i, c)
		{
			if (!strcmp(str(c, "kernel"), json_string_value(lab)) &&
			    same_row(c, like)) {
				m = json_real(json_number_value(
					json_object_get(c, "median")));
				break;
			}
		}
		if (!k && json_is_real(m))
			base = json_real_value(m);
		json_array_append_new(
			ratio, json_is_real(m) && base > 0
				       ? json_real(json_real_value(m) / base)
				       : json_null());
		json_array_append_new(med, m);
	}
	json_t *o = json_pack(
		"{s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "accel",
		str(like, "accel"), "block_mib", num(like, "block_mib"),
		"dimm_mib", num(like, "dimm_mib"), "node", num(like, "node"),
		"memmap", str(like, "memmap"), "phase", str(like, "phase"),
		"view", str(like, "view"), "metric", str(like, "metric"),
		"unit", str(like, "unit"), "median", med, "ratio_to_first",
		ratio);

	if (o && fill_of(like) >= 0)
		json_object_set_new(o, "offline_fill_pct",
				    json_integer(fill_of(like)));
	if (o && zone_of(like) >= 0)
		json_object_set_new(o, "zone_present_mib",
				    json_integer(zone_of(like)));
	return o;
}

/* Whether sample @s is of the row @like and kernel @kernel. */
static int sample_of(const struct sample *s, const json_t *like,
		     const char *kernel)
{
	return !s->warmup && !strcmp(s->kernel, kernel) &&
	       !strcmp(s->accel, str(like, "accel")) &&
	       s->block_mib == num(like, "block_mib") &&
	       s->dimm_mib == num(like, "dimm_mib") &&
	       s->node == num(like, "node") &&
	       s->offline_fill_pct == fill_of(like) &&
	       s->zone_present_mib == zone_of(like) &&
	       !strcmp(s->memmap, str(like, "memmap")) &&
	       !strcmp(s->phase, str(like, "phase")) &&
	       !strcmp(s->view, str(like, "view")) &&
	       !strcmp(s->metric, str(like, "metric"));
}

/* One kernel's values of row @like, grouped by boot. */
static int side_of(const struct sample_table *t, const json_t *like,
		   const char *kernel, struct sample_groups *sg)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < t->n && !ret; i++)
		if (sample_of(&t->s[i], like, kernel))
			ret = sample_groups_add(sg, &t->s[i]);
	return ret;
}

/* p of kernel @kernel against the first kernel @first in row @like, and
 * whether both had STATS_MIN_BOOTS boots (else the p is Mann-Whitney's on
 * the cycles). NaN when a side has no values. */
static double row_p(const struct sample_table *t, const json_t *like,
		    const char *first, const char *kernel, int *grade)
{
	struct sample_groups a = {0}, b = {0};
	struct stats_mw mw;
	double p = NAN;

	*grade = 0;
	if (!side_of(t, like, first, &a) && !side_of(t, like, kernel, &b) &&
	    a.n && b.n) {
		struct stats_grouped ga = {a.v, a.g, a.n, a.ng};
		struct stats_grouped gb = {b.v, b.g, b.n, b.ng};

		*grade = a.ng >= STATS_MIN_BOOTS && b.ng >= STATS_MIN_BOOTS;
		if (*grade ? stats_boot_welch(&ga, &gb, STATS_MEDIAN, &p)
			   : stats_mann_whitney(a.v, a.n, b.v, b.n, &mw))
			p = NAN;
		else if (!*grade)
			p = mw.p;
	}
	sample_groups_free(&a);
	sample_groups_free(&b);
	return p;
}

/* Each row's "mark" per kernel: "*" when its Holm-adjusted p (over every
 * ratio of the table) is below SBS_ALPHA with 2 boots a side, "?" when it
 * is below but from the cycles of fewer boots, "" else; "p_holm" holds
 * the adjusted p. */
static int mark_rows(json_t *rows, const json_t *l,
		     const struct sample_table *t)
{
	size_t nl = json_array_size(l), nr = json_array_size(rows), i, k, m = 0;
	double *p = calloc(nr * nl + 1, sizeof(*p));
	double *valid = calloc(nr * nl + 1, sizeof(*valid));
	int *grade = calloc(nr * nl + 1, sizeof(*grade));
	const char *first = json_string_value(json_array_get(l, 0));
	json_t *r;

	if (!p || !valid || !grade) {
		free(p);
		free(valid);
		free(grade);
		return -ENOMEM;
	}
	json_array_foreach(rows, i, r)
	{
		p[i * nl] = NAN; /* the first kernel is the reference */
		for (k = 1; k < nl; k++) {
			double q =
				row_p(t, r, first,
				      json_string_value(json_array_get(l, k)),
				      &grade[i * nl + k]);

			p[i * nl + k] = q;
			if (!isnan(q))
				valid[m++] = q;
		}
	}
	stats_holm(valid, m);
	for (i = 0, m = 0; i < nr * nl; i++)
		if (!isnan(p[i]))
			p[i] = valid[m++];
	json_array_foreach(rows, i, r)
	{
		json_t *ps = json_array(), *marks = json_array();

		for (k = 0; k < nl; k++) {
			double q = p[i * nl + k];

			json_array_append_new(ps, isnan(q) ? json_null()
							   : json_real(q));
			json_array_append_new(
				marks,
				json_string(isnan(q) || q >= SBS_ALPHA ? ""
					    : grade[i * nl + k]	       ? "*"
								       : "?"));
		}
		json_object_set_new(r, "p_holm", ps);
		json_object_set_new(r, "mark", marks);
	}
	free(p);
	free(valid);
	free(grade);
	return 0;
}

json_t *sidebyside_json(const json_t *cells, const struct sample_table *t)
{
	json_t *l = labels(cells), *rows = json_array();
	const json_t *c;
	size_t i, j;

	if (json_array_size(l) < 2) {
		json_decref(l);
		json_decref(rows);
		return NULL;
	}
	json_array_foreach(cells, i, c)
	{
		int done = 0;

		if (!wanted(c))
			continue;
		/* Rows follow the first cell of each key. */
		for (j = 0; j < i && !done; j++)
			done = wanted(json_array_get(cells, j)) &&
			       same_row(json_array_get(cells, j), c);
		if (!done)
			json_array_append_new(rows, row(cells, c, l));
	}
	if (t)
		mark_rows(rows, l, t);
	return json_pack("{s:o,s:o}", "kernels", l, "rows", rows);
}

/* "128M", "1G": the units the job files use. */
static void size_str(json_int_t mib, char *buf, size_t len)
{
	units_format_size((uint64_t)mib << 20, buf, (int)len);
}

static void print_row(FILE *f, const json_t *r, int ms)
{
	char b[24], d[24];
	size_t k;
	const json_t *m;

	size_str(num(r, "block_mib"), b, sizeof(b));
	size_str(num(r, "dimm_mib"), d, sizeof(d));
	if (num(r, "node")) /* a NUMA run: the DIMM's node */
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "@%lld",
			 (long long)num(r, "node"));
	if (fill_of(r) >= 0) /* an offline-fill run: the fill's own row */
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "/%lld%%",
			 (long long)fill_of(r));
	if (zone_of(r) >= 0) { /* a zone-size run: the size's own row */
		char z[16];

		size_str(zone_of(r), z, sizeof(z));
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "+%s", z);
	}
	fprintf(f, "%-5s %-5s %-4s %-8s", b, d, str(r, "memmap"),
		ms ? str(r, "phase") : "RAM KiB");
	json_array_foreach(json_object_get(r, "median"), k, m)
	{
		const json_t *q =
			json_array_get(json_object_get(r, "ratio_to_first"), k);
		const char *mk = json_string_value(
			json_array_get(json_object_get(r, "mark"), k));

		if (!json_is_number(m))
			fprintf(f, " %17s", "-");
		else if (!k)
			fprintf(f, " %17.2f",
				json_number_value(m) / (ms ? 1e6 : 1));
		else
			fprintf(f, " %9.2f x%5.2f%-1.1s",
				json_number_value(m) / (ms ? 1e6 : 1),
				json_is_number(q) ? json_number_value(q) : 0.0,
				mk ? mk : "");
	}
	fputc('\n', f);
}

void sidebyside_print(FILE *f, const json_t *sbs)
{
	const json_t *l = json_object_get(sbs, "kernels"), *lab, *r;
	size_t k, i;

	if (!sbs)
		return;
	fprintf(f,
		"\nKernels side by side: host ms median (x ratio to %s);\n"
		"RAM KiB = memmap taken from RAM at add (guest view);\n"
		"*: Welch t on per-boot medians, Holm p < %.2g; ?: p < %.2g "
		"from the cycles\nof fewer than %d boots a side (not "
		"evidence)\n",
		json_string_value(json_array_get(l, 0)), SBS_ALPHA, SBS_ALPHA,
		STATS_MIN_BOOTS);
	fprintf(f, "%-5s %-5s %-4s %-8s", "block", "DIMM", "mode", "phase");
	json_array_foreach(l, k, lab)
		fprintf(f, " %17.17s", json_string_value(lab));
	fputc('\n', f);
	json_array_foreach(json_object_get(sbs, "rows"), i, r)
		print_row(f, r, !strcmp(str(r, "metric"), "latency_ns"));
}

/* label -> {param: value} from the first boot of each kernel. */
static json_t *params_by_label(const json_t *manifest)
{
	json_t *by = json_object();
	const json_t *b;
	size_t i;

	json_array_foreach(json_object_get(manifest, "boots"), i, b)
	{
		const char *l = str(b, "kernel_label");

		if (!*l)
			l = str(b, "kernel_release");
		if (!json_object_get(by, l) &&
		    json_is_object(json_object_get(b, "hotplug_params")))
			json_object_set(by, l,
					json_object_get(b, "hotplug_params"));
	}
	return by;
}

json_t *sidebyside_params_note(const json_t *manifest)
{
	json_t *by = params_by_label(manifest), *names = json_object(), *p;
	const char *label, *name;
	char buf[1024] = "";
	size_t o = 0;

	json_object_foreach(by, label, p)
	{
		const char *k;
		json_t *v;

		json_object_foreach(p, k, v)
			json_object_set_new(names, k, json_true());
	}
	json_object_foreach(names, name, p)
	{
		const char *first = NULL;
		int differ = 0;
		json_t *kp;

		json_object_foreach(by, label, kp)
		{
			const char *v = str(kp, name);

			differ |= first && strcmp(first, v);
			first = first ? first : v;
		}
		if (!differ || o >= sizeof(buf))
			continue;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s (",
				      o ? "; " : "", name);
		json_object_foreach(by, label, kp)
		{
			if (o < sizeof(buf))
				o += (size_t)snprintf(
					buf + o, sizeof(buf) - o, "%s%s: %s",
					buf[o - 1] == '(' ? "" : ", ", label,
					*str(kp, name) ? str(kp, name) : "-");
		}
		if (o < sizeof(buf))
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, ")");
	}
	json_decref(names);
	json_decref(by);
	return o ? json_string(buf) : NULL;
}
