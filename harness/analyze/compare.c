#include "analyze/compare.h"

#include "results/store.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void side_name(const struct compare_side *s, char *buf, size_t len)
{
	if (s->sel.key[0])
		snprintf(buf, len, "%s %s=%s", s->run->run_id, s->sel.key,
			 s->sel.val);
	else
		snprintf(buf, len, "%s", s->run->run_id);
}

void compare_cell_label(const struct ana_row *r, char *buf, size_t len)
{
	char sz[16];
	int n;

	ana_size_str(r->k.dimm_mib, sz, sizeof(sz));
	n = snprintf(buf, len, "%s%s%s", r->k.memmap, r->k.memmap[0] ? " " : "",
		     sz);
	if (r->k.node)
		n += snprintf(buf + n, len - n, " node%d", r->k.node);
	if (r->k.target_mib >= 0)
		snprintf(buf + n, len - n, " F=%lldM",
			 (long long)r->k.target_mib);
}

void compare_notes(const struct compare_side *a, const struct compare_side *b,
		   const struct ana_cmp *c, json_t *notes)
{
	const struct compare_side *sides[2] = {a, b};
	char buf[512], cell[64];
	int pmu = 0, i;
	size_t k;

	for (i = 0; i < 2; i++) {
		const struct ana_run *r = sides[i]->run;

		if (r->inject_online_delay_ms) {
			snprintf(buf, sizeof(buf),
				 "%c (%s) ran with inject_online_delay = %lld "
				 "ms: every online write in the guest was "
				 "padded on purpose (a test of the analysis, "
				 "not a kernel change)",
				 'A' + i, r->run_id,
				 (long long)r->inject_online_delay_ms);
			json_array_append_new(notes, json_string(buf));
		}
		if (strcmp(r->status, "complete")) {
			snprintf(buf, sizeof(buf),
				 "%c (%s) is %s: it stopped before the end",
				 'A' + i, r->run_id, r->status);
			json_array_append_new(notes, json_string(buf));
		}
		for (k = 0; k < r->t.n && !pmu; k++)
			pmu = !strncmp(r->t.s[k].metric, "pmu_", 4);
	}
	if (a->run != b->run && strcmp(a->run->kernel, b->run->kernel)) {
		snprintf(buf, sizeof(buf), "kernels differ: A %s, B %s",
			 a->run->kernel, b->run->kernel);
		json_array_append_new(notes, json_string(buf));
	}
	if (a->run != b->run && strcmp(a->run->accel, b->run->accel)) {
		snprintf(buf, sizeof(buf), "accels differ: A %s, B %s",
			 a->run->accel, b->run->accel);
		json_array_append_new(notes, json_string(buf));
	}
	if (!pmu)
		json_array_append_new(
			notes, json_string("no PMU data: neither side has "
					   "pmu_* metrics (no PMU counters "
					   "were available; none are shown "
					   "as zero)"));
	for (k = 0; k < c->n; k++) {
		const struct ana_row *r = &c->rows[k];

		if (r->a.n >= 5 && r->b.n >= 5)
			continue;
		compare_cell_label(r, cell, sizeof(cell));
		snprintf(buf, sizeof(buf),
			 "%s %s %s %s: fewer than 5 samples (A n=%zu, B "
			 "n=%zu)",
			 cell, r->k.phase, r->k.view, r->k.metric, r->a.n,
			 r->b.n);
		json_array_append_new(notes, json_string(buf));
	}
	if (c->only_a || c->only_b) {
		snprintf(buf, sizeof(buf),
			 "cells on one side only (not compared): %zu in A, "
			 "%zu in B",
			 c->only_a, c->only_b);
		json_array_append_new(notes, json_string(buf));
	}
	if (!c->n)
		json_array_append_new(
			notes, json_string("no cell exists on both sides"));
}

json_t *compare_side_json(const struct compare_side *s)
{
	char sel[160] = "";

	if (s->sel.key[0])
		snprintf(sel, sizeof(sel), "%s=%s", s->sel.key, s->sel.val);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:{s:I}}",
			 "run_id", s->run->run_id, "dir", s->run->dir, "select",
			 sel, "status", s->run->status, "kernel",
			 s->run->kernel, "accel", s->run->accel, "block_mib",
			 (json_int_t)s->run->block_mib, "injected",
			 "online_delay_ms",
			 (json_int_t)s->run->inject_online_delay_ms);
}

/* JSON has no NaN: undefined values are null. */
static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *summary_json(const struct stats_summary *s)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "n",
			 (json_int_t)s->n, "median", num(s->median), "q1",
			 num(s->q1), "q3", num(s->q3), "iqr", num(s->iqr),
			 "min", num(s->min), "max", num(s->max), "mean",
			 num(s->mean), "sd", num(s->sd));
}

json_t *compare_row_json(const struct ana_row *r)
{
	const struct ana_metric_info *mi = ana_metric(r->k.metric);

	return json_pack(
		"{s:s, s:I, s:i, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, "
		"s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o}",
		"memmap", r->k.memmap, "dimm_mib", (json_int_t)r->k.dimm_mib,
		"node", r->k.node, "target_mib", (json_int_t)r->k.target_mib,
		"phase", r->k.phase, "view", r->k.view, "metric", r->k.metric,
		"unit", r->k.unit, "better",
		mi->better > 0	 ? "higher"
		: mi->better < 0 ? "lower"
				 : "neutral",
		"a", summary_json(&r->a), "b", summary_json(&r->b), "a_center",
		num(r->ca), "b_center", num(r->cb), "change_pct",
		num(r->change_pct), "u", num(r->mw.u), "p", num(r->mw.p),
		"p_holm", num(r->p_holm), "exact_p", r->mw.exact, "significant",
		r->sig, "ratio", num(r->ci.ratio), "ci_lo",
		num(r->ci_ok ? r->ci.lo : NAN), "ci_hi",
		num(r->ci_ok ? r->ci.hi : NAN));
}

static void fmt_change(const struct ana_row *r, char *buf, size_t len)
{
	if (!isfinite(r->change_pct))
		snprintf(buf, len, "n/a");
	else if (!ana_metric(r->k.metric)->better)
		snprintf(buf, len, "(%+.1f%%)", r->change_pct);
	else
		snprintf(buf, len, "%+.1f%%", r->change_pct);
}

static void fmt_bound(double v, char *buf, size_t len)
{
	snprintf(buf, len, fabs(v) < 10 ? "%.3f" : "%.1f", v == 0 ? 0.0 : v);
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

static void legend(FILE *f, const struct ana_cmp *c, int md)
{
	const char *p = md ? "- " : "  ";

	fprintf(f, "%sA, B: %s, in the unit after the metric name\n", p,
		c->o.center == STATS_MIN ? "minimums" : "medians");
	fprintf(f,
		"%schange: B against A, signed so that + is better (lower "
		"latency or\n%s  memory taken, higher free or total memory); "
		"(..): neutral metric, B-A\n",
		p, md ? "" : "  ");
	fprintf(f,
		"%s*: Mann-Whitney U two-sided p < %.2g after Holm "
		"correction over %zu rows\n",
		p, c->o.alpha, c->n);
	fprintf(f,
		"%sB/A 95%% CI: percentile bootstrap of %s(B)/%s(A), "
		"%d resamples,\n%s  seed %lu (n/a: that value of A is 0)\n",
		p, ana_center_name(c->o.center), ana_center_name(c->o.center),
		c->o.reps, md ? "" : "  ", c->o.seed);
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
		const char *s = json_string_value(v);
		int first = 1;

		if (md) {
			fprintf(f, "- %s\n", s);
			continue;
		}
		/* Wrapped to 80 columns for a cover letter. */
		while (*s) {
			int n = strlen(s), cut = n;

			if (n > 74) {
				for (cut = 74; cut > 0 && s[cut] != ' '; cut--)
					;
				if (!cut)
					cut = 74;
			}
			fprintf(f, "%s%.*s\n", first ? "  - " : "    ", cut, s);
			s += cut;
			while (*s == ' ')
				s++;
			first = 0;
		}
	}
}

static void print_text(FILE *f, const struct compare_side *a,
		       const struct compare_side *b, const struct ana_cmp *c,
		       const json_t *notes, int md)
{
	char na[256], nb[256], cell[64], last[64] = "", ch[24], ci[64];
	size_t i;

	side_name(a, na, sizeof(na));
	side_name(b, nb, sizeof(nb));
	if (md) {
		fprintf(f, "**A**: %s  \n**B**: %s  \n", na, nb);
		fprintf(f, "kernel %s, accel %s, %lldM blocks\n\n",
			b->run->kernel, b->run->accel,
			(long long)b->run->block_mib);
		fprintf(f, "| cell | phase | view | metric | A | B | change "
			   "| sig | B/A 95%% CI |\n");
		fprintf(f, "|---|---|---|---|--:|--:|--:|:-:|---|\n");
	} else {
		fprintf(f, "A: %s\nB: %s\n", na, nb);
		fprintf(f, "kernel %s, accel %s, %lldM blocks\n",
			b->run->kernel, b->run->accel,
			(long long)b->run->block_mib);
	}
	for (i = 0; i < c->n; i++) {
		const struct ana_row *r = &c->rows[i];
		const struct ana_metric_info *mi = ana_metric(r->k.metric);
		char metric[64];

		compare_cell_label(r, cell, sizeof(cell));
		fmt_change(r, ch, sizeof(ch));
		fmt_ci(r, ci, sizeof(ci));
		snprintf(metric, sizeof(metric), "%s", mi->label);
		if (md) {
			fprintf(f,
				"| %s | %s | %s | %s | %.2f | %.2f | %s | %s "
				"| %s |\n",
				cell, r->k.phase, r->k.view, metric,
				r->ca * mi->scale, r->cb * mi->scale, ch,
				r->sig ? "*" : "", ci);
			continue;
		}
		if (strcmp(cell, last)) {
			fprintf(f, "\n%-33s %10s %10s %8s %1s %s\n", cell, "A",
				"B", "change", "", "B/A 95% CI");
			snprintf(last, sizeof(last), "%s", cell);
		}
		fprintf(f, "%-7s %-5s %-19.19s %10.2f %10.2f %8s %1s %s\n",
			r->k.phase, r->k.view, metric, r->ca * mi->scale,
			r->cb * mi->scale, ch, r->sig ? "*" : "", ci);
	}
	fprintf(f, "\n");
	legend(f, c, md);
	print_notes(f, notes, md);
}

static void print_csv(FILE *f, const struct ana_cmp *c)
{
	size_t i;

	fprintf(f, "memmap,dimm_mib,node,target_mib,phase,view,metric,unit,"
		   "better,a_n,a_median,a_q1,a_q3,a_min,a_max,a_mean,a_sd,b_n,"
		   "b_median,b_q1,b_q3,b_min,b_max,b_mean,b_sd,change_pct,u,p,"
		   "p_holm,significant,ratio,ci_lo,ci_hi\n");
	for (i = 0; i < c->n; i++) {
		const struct ana_row *r = &c->rows[i];
		const struct ana_metric_info *mi = ana_metric(r->k.metric);

		fprintf(f,
			"%s,%lld,%d,%lld,%s,%s,%s,%s,%s,%zu,%.17g,%.17g,%."
			"17g,%.17g,%.17g,%.17g,%.17g,%zu,%.17g,%.17g,%.17g,%."
			"17g,%.17g,%.17g,%.17g,%.6g,%.1f,%.6g,%.6g,%d,%.6g,%."
			"6g,%.6g\n",
			r->k.memmap, (long long)r->k.dimm_mib, r->k.node,
			(long long)r->k.target_mib, r->k.phase, r->k.view,
			r->k.metric, r->k.unit,
			mi->better > 0	 ? "higher"
			: mi->better < 0 ? "lower"
					 : "neutral",
			r->a.n, r->a.median, r->a.q1, r->a.q3, r->a.min,
			r->a.max, r->a.mean, r->a.sd, r->b.n, r->b.median,
			r->b.q1, r->b.q3, r->b.min, r->b.max, r->b.mean,
			r->b.sd, r->change_pct, r->mw.u, r->mw.p, r->p_holm,
			r->sig, r->ci.ratio, r->ci_ok ? r->ci.lo : NAN,
			r->ci_ok ? r->ci.hi : NAN);
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

		for (i = 0; i < c->n; i++)
			json_array_append_new(rows,
					      compare_row_json(&c->rows[i]));
		o = json_pack(
			"{s:o, s:o, s:s, s:I, s:i, s:f, s:f, s:s, s:s, "
			"s:o, s:o}",
			"a", compare_side_json(a), "b", compare_side_json(b),
			"center", ana_center_name(c->o.center), "seed",
			(json_int_t)c->o.seed, "bootstrap_reps", c->o.reps,
			"alpha", c->o.alpha, "ci_level", 0.95, "test",
			"mann-whitney-u two-sided", "correction", "holm",
			"rows", rows, "notes", json_incref(notes));
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

static const char compare_usage[] =
	"usage: mhpbench compare [options] RUN_A [RUN_B]\n"
	"  Compares B against A cell by cell (DIMM size x phase x view x "
	"metric).\n"
	"  With one RUN, A and B are selections within it (default: --a\n"
	"  memmap=ram --b memmap=self, the memmap_on_memory headline).\n"
	"  --a SEL, --b SEL     key=value, key one of memmap, kernel, accel,\n"
	"                       boot, node (both must use the same key)\n"
	"  --format FMT         text (80 columns), csv, json or markdown\n"
	"  --metric M[:VIEW]    only this metric (repeatable), e.g. "
	"latency_ns:guest\n"
	"  --seed N             bootstrap seed (default 1), --reps N (2000)\n"
	"  --alpha A            significance level (0.05)\n"
	"  --stat median|min    what change and B/A are taken of (median)\n"
	"  --results DIR        where run ids are looked up (results)\n"
	"exit: 0 ok, 2 bad command line, 10 corrupt/foreign/missing run\n";

static int bad_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "mhpbench compare: %s\n", msg);
	fputs(compare_usage, stderr);
	return 2;
}

int compare_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{"a", required_argument, NULL, 'a'},
		{"b", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'f'},
		{"metric", required_argument, NULL, 'm'},
		{"seed", required_argument, NULL, 's'},
		{"reps", required_argument, NULL, 'n'},
		{"alpha", required_argument, NULL, 'l'},
		{"stat", required_argument, NULL, 'c'},
		{"results", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	struct ana_opts o = {.seed = 1, .reps = 2000, .alpha = 0.05};
	const char *root = "results", *format = "text", *metrics[32];
	struct compare_side a = {0}, b = {0};
	struct ana_run ra, rb;
	char dir[4096], err[1024];
	int c, ret, nruns;
	struct ana_cmp cmp;
	char *end;

	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
		case 'b':
			if (ana_parse_sel(optarg, c == 'a' ? &a.sel : &b.sel))
				return bad_usage("bad selection (want "
						 "key=value, key memmap, "
						 "kernel, accel, boot or "
						 "node)");
			break;
		case 'f':
			format = optarg;
			break;
		case 'm':
			if (o.nmetrics == 32)
				return bad_usage("too many --metric");
			metrics[o.nmetrics++] = optarg;
			break;
		case 's':
			o.seed = strtoul(optarg, &end, 0);
			if (*end || !*optarg)
				return bad_usage("bad --seed");
			break;
		case 'n':
			o.reps = strtol(optarg, &end, 10);
			if (*end || o.reps < 100 || o.reps > 1000000)
				return bad_usage("--reps wants 100..1000000");
			break;
		case 'l':
			o.alpha = strtod(optarg, &end);
			if (*end || o.alpha <= 0 || o.alpha >= 1)
				return bad_usage("--alpha wants 0 < A < 1");
			break;
		case 'c':
			if (ana_parse_center(optarg, &o.center))
				return bad_usage("--stat is median or min");
			break;
		case 'r':
			root = optarg;
			break;
		case 'h':
			fputs(compare_usage, stdout);
			return 0;
		default:
			return bad_usage(NULL);
		}
	}
	o.metrics = metrics;
	nruns = argc - optind;
	if (nruns < 1 || nruns > 2)
		return bad_usage("expected one or two runs");
	if (strcmp(format, "text") && strcmp(format, "csv") &&
	    strcmp(format, "json") && strcmp(format, "markdown"))
		return bad_usage("--format is text, csv, json or markdown");
	if (nruns == 1 && !a.sel.key[0] && !b.sel.key[0]) {
		ana_parse_sel("memmap=ram", &a.sel);
		ana_parse_sel("memmap=self", &b.sel);
	}
	if (!a.sel.key[0] != !b.sel.key[0] || strcmp(a.sel.key, b.sel.key))
		return bad_usage("--a and --b must select on the same key");
	if (nruns == 1 && !a.sel.key[0])
		return bad_usage("one run needs --a and --b");

	ret = store_find_run(root, argv[optind], dir, sizeof(dir));
	if (ret) {
		fprintf(stderr, "mhpbench compare: no run %s: %s\n",
			argv[optind], strerror(-ret));
		return EXIT_BADINPUT;
	}
	if (ana_load_run(dir, &ra, err, sizeof(err))) {
		fprintf(stderr, "mhpbench compare: %s\n", err);
		ret = EXIT_BADINPUT;
		goto out;
	}
	a.run = b.run = &ra;
	if (nruns == 2) {
		ret = store_find_run(root, argv[optind + 1], dir, sizeof(dir));
		if (ret) {
			fprintf(stderr, "mhpbench compare: no run %s: %s\n",
				argv[optind + 1], strerror(-ret));
			ret = EXIT_BADINPUT;
			goto out;
		}
		if (ana_load_run(dir, &rb, err, sizeof(err))) {
			fprintf(stderr, "mhpbench compare: %s\n", err);
			ret = EXIT_BADINPUT;
			goto out;
		}
		b.run = &rb;
	}
	ret = ana_compare(&a.run->t, &a.sel, &b.run->t, &b.sel, &o, &cmp);
	if (ret) {
		fprintf(stderr, "mhpbench compare: %s\n", strerror(-ret));
		ret = 1;
		goto out;
	}
	compare_print(stdout, format, &a, &b, &cmp);
	if (!cmp.n)
		fprintf(stderr, "mhpbench compare: no cell exists on both "
				"sides (check --a/--b)\n");
	ret = cmp.n ? 0 : EXIT_BADINPUT;
	ana_cmp_free(&cmp);
out:
	ana_free_run(&ra);
	ana_free_run(&rb);
	return ret;
}
