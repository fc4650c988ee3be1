// SPDX-License-Identifier: GPL-2.0-or-later
/* The gate's zone-size slope rule (gate_zone.h). */
#include "analyze/gate_zone.h"
#include "results/zonereport.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static double dbl(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static int same_fit(const json_t *x, const json_t *y)
{
	static const char *const keys[] = {"kernel", "accel", "memmap", "phase",
					   "view"};
	static const char *const nums[] = {"block_mib", "dimm_mib", "node",
					   "offline_fill_pct"};

	for (int i = 0; i < 5; i++)
		if (strcmp(str(x, keys[i]), str(y, keys[i])))
			return 0;
	for (int i = 0; i < 4; i++) {
		const json_t *p = json_object_get(x, nums[i]);
		const json_t *q = json_object_get(y, nums[i]);

		if ((p || q) && !(p && q && json_equal(p, q)))
			return 0;
	}
	return 1;
}

/* The verdict of candidate fit @b against baseline fit @a, into @row. */
static enum gate_verdict judge(const json_t *a, const json_t *b,
			       double threshold, double alpha, json_t *row)
{
	double sa = dbl(a, "slope_ns_per_gib"), sb = dbl(b, "slope_ns_per_gib");
	double ea = dbl(a, "se"), eb = dbl(b, "se"), d = sb - sa;
	double va = ea * ea, vb = eb * eb, se = sqrt(va + vb), df, t, lo, hi;
	double band = fmax(threshold * fabs(sa), GATE_ZONE_ABS_NS);
	enum gate_verdict v;
	char why[256];

	/* Welch-Satterthwaite; with no spread at all the CI is the point */
	df = se > 0 ? (va + vb) * (va + vb) /
			      (va * va / dbl(a, "df") + vb * vb / dbl(b, "df"))
		    : 1;
	t = gsl_cdf_tdist_Pinv(1 - alpha / 2, df);
	lo = d - t * se;
	hi = d + t * se;
	if (lo > band)
		v = GATE_REGRESSION;
	else if (hi < -band)
		v = GATE_IMPROVEMENT;
	else if (lo >= -band && hi <= band)
		v = GATE_SAME;
	else
		v = GATE_INCONCLUSIVE;
	snprintf(why, sizeof(why),
		 "slope %.0f -> %.0f ns/GiB: the %.0f%% CI [%.0f, %.0f] of the "
		 "change is %s the tolerance +-%.0f",
		 sa, sb, 100 * (1 - alpha), lo, hi,
		 v == GATE_REGRESSION	 ? "above"
		 : v == GATE_IMPROVEMENT ? "below"
		 : v == GATE_SAME	 ? "within"
					 : "across",
		 band);
	json_object_set_new(row, "baseline_ns_per_gib", json_real(sa));
	json_object_set_new(row, "candidate_ns_per_gib", json_real(sb));
	json_object_set_new(row, "change_ci_lo", json_real(lo));
	json_object_set_new(row, "change_ci_hi", json_real(hi));
	json_object_set_new(row, "tolerance_ns_per_gib", json_real(band));
	json_object_set_new(row, "verdict", json_string(gate_verdict_name(v)));
	json_object_set_new(row, "reason", json_string(why));
	return v;
}

static json_t *key_of(const json_t *f)
{
	json_t *k = json_pack("{s:s,s:s,s:s,s:O,s:s,s:s}", "kernel",
			      str(f, "kernel"), "accel", str(f, "accel"),
			      "memmap", str(f, "memmap"), "dimm_mib",
			      json_object_get(f, "dimm_mib"), "phase",
			      str(f, "phase"), "view", str(f, "view"));

	if (k && json_object_get(f, "offline_fill_pct"))
		json_object_set(k, "offline_fill_pct",
				json_object_get(f, "offline_fill_pct"));
	return k;
}

int gate_zone_judge(const struct sample_table *a, const struct sample_table *b,
		    double threshold, double alpha, struct gate_zone *out)
{
	json_t *za = zonereport_json(a), *zb = zonereport_json(b);
	const json_t *fa, *fb;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	out->rows = json_array();
	if (!out->rows)
		return -ENOMEM;
	json_array_foreach(json_object_get(zb, "fits"), i, fb)
	{
		if (strcmp(str(fb, "view"), "guest") ||
		    !json_object_get(fb, "se"))
			continue;
		json_array_foreach(json_object_get(za, "fits"), j, fa)
		{
			json_t *row;
			enum gate_verdict v;

			if (!same_fit(fa, fb) || !json_object_get(fa, "se"))
				continue;
			row = key_of(fb);
			if (!row)
				break;
			v = judge(fa, fb, threshold, alpha, row);
			out->count[v]++;
			if (v > out->worst)
				out->worst = v;
			json_array_append_new(out->rows, row);
			break;
		}
	}
	json_decref(za);
	json_decref(zb);
	return 0;
}

void gate_zone_print(FILE *f, const struct gate_zone *z)
{
	const json_t *r;
	size_t i;

	if (!json_array_size(z->rows))
		return;
	fprintf(f, "\nZone-size slope (ns per GiB of zone, guest view; lower "
		   "is better)\n");
	json_array_foreach(z->rows, i, r)
	{
		fprintf(f, "%-4s %-7s %-12s %s\n", str(r, "memmap"),
			str(r, "phase"), str(r, "verdict"), str(r, "reason"));
	}
}

void gate_zone_free(struct gate_zone *z)
{
	json_decref(z->rows);
	z->rows = NULL;
}
