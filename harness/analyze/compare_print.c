// SPDX-License-Identifier: GPL-2.0-or-later
/* A comparison printed: the 80-column text table (mmtests style, for a
 * cover letter), Markdown, CSV or JSON, with the legend and the notes. */
#include "analyze/compare_print.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static void side_name(const struct compare_side *s, char *buf, size_t len)
{
	if (s->sel.key[0])
		snprintf(buf, len, "%s %s=%s", s->run->run_id, s->sel.key,
			 s->sel.val);
	else
		snprintf(buf, len, "%s", s->run->run_id);
}

/* The change column is 8 wide: a tenth of a percent below 1000%, whole
 * percents up to 10^5 %, beyond that one digit and the exponent, so that
 * the columns to its right stay where they are. */
static void fmt_change(const struct ana_row *r, char *buf, size_t len)
{
	double c = r->change_pct;
	char v[16];

	if (!isfinite(c)) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (fabs(c) < 999.95)
		snprintf(v, sizeof(v), "%+.1f%%", c);
	else if (fabs(c) < 99999.5)
		snprintf(v, sizeof(v), "%+.0f%%", c);
	else
		snprintf(v, sizeof(v), "%+.0e%%", c);
	/* A metric with no better direction: the change in parentheses. */
	snprintf(buf, len, ana_metric(r->k.metric)->better ? "%s" : "(%s)", v);
}

static void fmt_bound(double v, char *buf, size_t len)
{
	/* Five characters at most: the CI column is 13 wide. */
	snprintf(buf, len,
		 fabs(v) < 10	    ? "%.3f"
		 : fabs(v) < 999.95 ? "%.1f"
				    : "%.0e",
		 v == 0 ? 0.0 : v);
}

static void fmt_ci(const struct ana_row *r, char *buf, size_t len)
{
	char lo[16], hi[16];

	if (!r->ci_ok) {
		snprintf(buf, len, "n/a");
		return;
	}
	fmt_bound(r->ci.lo, lo, sizeof(lo));
	fmt_bound(r->ci.hi, hi, sizeof(hi));
	snprintf(buf, len, "[%s,%s]", lo, hi);
}

/* mmtests' marker: '*' a significant change, '?' a change the cycles
 * suggest but too few boots back. */
static const char *mark(const struct ana_row *r, double alpha)
{
	if (r->sig)
		return "*";
	return !r->gate_grade && r->p_holm < alpha ? "?" : "";
}

/* Whether a row of @c shows virtual time (vms), and in vns (@vns). */
static int any_virtual(const struct ana_cmp *c, int *vns)
{
	char l[64];
	size_t i;
	int any = 0;

	*vns = 0;
	for (i = 0; i < c->n; i++) {
		if (!c->rows[i].virt_a && !c->rows[i].virt_b)
			continue;
		any = 1;
		ana_row_label(&c->rows[i], 0, l, sizeof(l));
		*vns |= strstr(l, "vns") != NULL;
	}
	return any;
}

static void legend(FILE *f, const struct ana_cmp *c, int md)
{
	const char *p = md ? "- " : "  ";
	int vns;

	fprintf(f, "%sA, B: %s, in the unit after the metric name\n", p,
		c->o.center == STATS_MIN ? "minimums" : "medians");
	if (any_virtual(c, &vns))
		metric_vms_legend(f, p, md ? "  " : "    ", vns);
	fprintf(f,
		"%schange: B against A, signed so that + is better (lower "
		"latency or\n%s  memory taken, higher free or total memory); "
		"(..): neutral metric, B-A\n",
		p, md ? "" : "  ");
	fprintf(f,
		"%s*: Welch t on per-boot %ss, two-sided p < %.2g after "
		"Holm over %zu rows\n%s  (the boot is the unit: at least %d "
		"a side); ?: fewer boots, only the\n%s  cycles' Mann-Whitney "
		"p is below it: not evidence of a shift\n",
		p, ana_center_name(c->o.center), c->o.alpha, c->n,
		md ? "" : "  ", STATS_MIN_BOOTS, md ? "" : "  ");
	fprintf(f,
		"%sB/A 95%% CI: two-stage bootstrap (boots, then cycles) of "
		"%s(B)/%s(A),\n%s  %d resamples, seed %lu (n/a: that value of "
		"A is 0)\n",
		p, ana_center_name(c->o.center), ana_center_name(c->o.center),
		md ? "" : "  ", c->o.reps, c->o.seed);
}

/* @s wrapped to 80 columns for a cover letter: @first leads the first
 * line, @rest the others. */
static void wrap(FILE *f, const char *s, const char *first, const char *rest)
{
	const char *lead = first;

	while (*s) {
		int n = strlen(s), width = 78 - (int)strlen(lead), cut = n;

		if (n > width) {
			for (cut = width; cut > 0 && s[cut] != ' '; cut--)
				;
			if (!cut)
				cut = width;
		}
		fprintf(f, "%s%.*s\n", lead, cut, s);
		s += cut;
		while (*s == ' ')
			s++;
		lead = rest;
	}
}

static void print_notes(FILE *f, const json_t *notes, int md)
{
	size_t i;
	json_t *v;

	if (!json_array_size(notes))
		return;
	fprintf(f, "%s\n", md ? "\n**Notes**\n" : "\nNotes:");
	json_array_foreach(notes, i, v)
	{
		if (md)
			fprintf(f, "- %s\n", json_string_value(v));
		else
			wrap(f, json_string_value(v), "  - ", "    ");
	}
}

/* The sides and what the table covers. */
static void print_head(FILE *f, const struct compare_side *a,
		       const struct compare_side *b, const struct ana_cmp *c,
		       int md)
{
	char na[256], nb[256], scope[4000];

	side_name(a, na, sizeof(na));
	side_name(b, nb, sizeof(nb));
	compare_scope(c, NULL, scope, sizeof(scope));
	if (md) {
		fprintf(f, "**A**: %s  \n**B**: %s  \n%s\n\n", na, nb, scope);
		fprintf(f, "| cell | phase | view | metric | A | B | change "
			   "| sig | B/A 95%% CI |\n");
		fprintf(f, "|---|---|---|---|--:|--:|--:|:-:|---|\n");
		return;
	}
	fprintf(f, "A: %s\nB: %s\n", na, nb);
	wrap(f, scope, "", "  ");
}

static void print_text(FILE *f, const struct compare_side *a,
		       const struct compare_side *b, const struct ana_cmp *c,
		       const json_t *notes, int md)
{
	char cell[64], last[64] = "", ch[24], ci[64], sect[4000],
		       lastsect[4000] = "";
	size_t i;

	print_head(f, a, b, c, md);
	for (i = 0; i < c->n; i++) {
		const struct ana_row *r = &c->rows[i];
		const struct metric_def *mi = ana_metric(r->k.metric);
		char metric[64];

		fmt_change(r, ch, sizeof(ch));
		fmt_ci(r, ci, sizeof(ci));
		ana_row_label(r, md ? 0 : 19, metric, sizeof(metric));
		if (md) {
			compare_cell_label(r, cell, sizeof(cell));
			fprintf(f,
				"| %s | %s | %s | %s | %.2f | %.2f | %s | %s "
				"| %s |\n",
				cell, r->k.phase, r->k.view, metric,
				r->ca * mi->scale, r->cb * mi->scale, ch,
				mark(r, c->o.alpha), ci);
			continue;
		}
		/* Several kernels, accels or block sizes: a section each,
		 * named, so that no number is read as another's. */
		if (compare_sectioned(c)) {
			compare_scope(c, r, sect, sizeof(sect));
			if (strcmp(sect, lastsect)) {
				fprintf(f, "\n");
				wrap(f, sect, "== ", "   ");
				snprintf(lastsect, sizeof(lastsect), "%s",
					 sect);
				last[0] = 0;
			}
		}
		compare_size_label(r, cell, sizeof(cell));
		if (strcmp(cell, last)) {
			fprintf(f, "\n%-33s %10s %10s %8s %1s %s\n", cell, "A",
				"B", "change", "", "B/A 95% CI");
			snprintf(last, sizeof(last), "%s", cell);
		}
		fprintf(f, "%-7s %-5s %-19s %10.2f %10.2f %8s %1s %s\n",
			r->k.phase, r->k.view, metric, r->ca * mi->scale,
			r->cb * mi->scale, ch, mark(r, c->o.alpha), ci);
	}
	fprintf(f, "\n");
	legend(f, c, md);
	print_notes(f, notes, md);
}

static void print_csv(FILE *f, const struct ana_cmp *c)
{
	size_t i;

	fprintf(f, "kernel,accel,block_mib,memmap,dimm_mib,node,target_mib,"
		   "phase,view,metric,unit,time_base,"
		   "better,a_n,a_median,a_q1,a_q3,a_min,a_max,a_mean,a_sd,b_n,"
		   "b_median,b_q1,b_q3,b_min,b_max,b_mean,b_sd,change_pct,u,p,"
		   "p_holm,significant,ratio,ci_lo,ci_hi,a_boots,b_boots,"
		   "gate_grade,p_cycles,offline_fill_pct,zone_present_mib,"
		   "source\n");
	for (i = 0; i < c->n; i++) {
		const struct ana_row *r = &c->rows[i];
		const struct metric_def *mi = ana_metric(r->k.metric);

		fprintf(f,
			"%s,%s,%lld,%s,%lld,%d,%lld,%s,%s,%s,%s,%s,%s,%zu,%."
			"17g,%.17g,%."
			"17g,%.17g,%.17g,%.17g,%.17g,%zu,%.17g,%.17g,%.17g,%."
			"17g,%.17g,%.17g,%.17g,%.6g,%.1f,%.6g,%.6g,%d,%.6g,%."
			"6g,%.6g,%zu,%zu,%d,%.6g,%d,%lld,%s\n",
			r->k.kernel, r->k.accel, (long long)r->k.block_mib,
			r->k.memmap, (long long)r->k.dimm_mib, r->k.node,
			(long long)r->k.target_mib, r->k.phase, r->k.view,
			r->k.metric, r->k.unit, ana_row_time_base(r),
			mi->better > 0	 ? "higher"
			: mi->better < 0 ? "lower"
					 : "neutral",
			r->a.n, r->a.median, r->a.q1, r->a.q3, r->a.min,
			r->a.max, r->a.mean, r->a.sd, r->b.n, r->b.median,
			r->b.q1, r->b.q3, r->b.min, r->b.max, r->b.mean,
			r->b.sd, r->change_pct, r->mw.u, r->p, r->p_holm,
			r->sig, r->ci.ratio, r->ci_ok ? r->ci.lo : NAN,
			r->ci_ok ? r->ci.hi : NAN, r->boots_a, r->boots_b,
			r->gate_grade, r->mw.p, r->k.offline_fill_pct,
			(long long)r->k.zone_present_mib, r->k.source);
	}
}

int compare_print(FILE *f, const char *format, const struct compare_side *a,
		  const struct compare_side *b, const struct ana_cmp *c)
{
	json_t *notes = json_array(), *o;
	size_t i;

	if (!notes)
		return -ENOMEM;
	compare_notes(a, b, c, notes);
	if (!strcmp(format, "text") || !strcmp(format, "markdown")) {
		print_text(f, a, b, c, notes, !strcmp(format, "markdown"));
	} else if (!strcmp(format, "csv")) {
		print_csv(f, c);
	} else if (!strcmp(format, "json")) {
		json_t *rows = json_array();
		char scope[4000];

		compare_scope(c, NULL, scope, sizeof(scope));

		for (i = 0; i < c->n; i++)
			json_array_append_new(rows,
					      compare_row_json(&c->rows[i]));
		o = json_pack(
			"{s:o, s:o, s:s, s:s, s:I, s:i, s:f, s:f, s:s, s:s, "
			"s:o, s:o}",
			"a", compare_side_json(a), "b", compare_side_json(b),
			"scope", scope, "center", ana_center_name(c->o.center),
			"seed", (json_int_t)c->o.seed, "bootstrap_reps",
			c->o.reps, "alpha", c->o.alpha, "ci_level", 0.95,
			"test", ANA_TEST_TEXT, "correction", "holm", "rows",
			rows, "notes", json_incref(notes));
		json_dumpf(o, f, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', f);
		json_decref(o);
	} else {
		json_decref(notes);
		return -EINVAL;
	}
	json_decref(notes);
	return 0;
}
