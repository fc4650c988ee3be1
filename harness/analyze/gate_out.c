// SPDX-License-Identifier: GPL-2.0-or-later
/* The gate's table on stdout, gate.json and the JUnit XML. */
#include "analyze/gate_out.h"
#include "analyze/report_html.h"
#include "results/store.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The overall verdict in words: for the table, for gate.json. */
/* A row of the verdict table as strings (the header, a gone cell): 80
 * columns with "REGRESSION", a cover letter's width; gate_print's rows
 * have the same widths with numbers. */
#define GATE_ROW_STR "%-14s %-7s %-5s %-14s %8s %8s %7s %s\n"

static const char *verdict_text(enum mhp_exit ret)
{
	return ret == EXIT_FAIL ? "REGRESSION"
	       : ret == EXIT_OK ? "nothing regressed"
				: "inconclusive (more samples needed)";
}

static const char *verdict_json(enum mhp_exit ret)
{
	return ret == EXIT_FAIL ? "regression"
	       : ret == EXIT_OK ? "pass"
				: "inconclusive";
}

/* The label of the cell @k's metric, @width wide, its time unit marked
 * as side A's (the baseline's) values are: "latency vms". */
static void key_metric(const struct ana_cmp *c, const struct ana_key *k,
		       int width, char *buf, size_t len)
{
	int v = ana_key_virtual(c, k, 0);

	metric_time_label(ana_metric(k->metric), v, v, width, buf, len);
}

/* Whether a row or a vanished cell shows guest virtual time (vms), and
 * whether in vns (@vns). */
static int any_virtual(const struct ana_cmp *c, int *vns)
{
	char l[64];
	size_t i;
	int any = 0;

	*vns = 0;
	for (i = 0; i < c->n + c->only_a; i++) {
		const struct ana_key *k =
			i < c->n ? &c->rows[i].k : &c->gone[i - c->n];

		if (i < c->n ? !c->rows[i].virt_a && !c->rows[i].virt_b
			     : !ana_key_virtual(c, k, 0))
			continue;
		any = 1;
		if (i < c->n)
			ana_row_label(&c->rows[i], 0, l, sizeof(l));
		else
			key_metric(c, k, 0, l, sizeof(l));
		*vns |= strstr(l, "vns") != NULL;
	}
	return any;
}

static void print_header(FILE *f, const struct ana_run *base,
			 const struct ana_run *cand, const struct ana_cmp *c,
			 const struct gate_rules *g)
{
	char scope[4000];
	int vns;

	compare_scope_named(c, NULL, "baseline", "candidate", scope,
			    sizeof(scope));
	fprintf(f, "gate: candidate %s\n      baseline  %s\n", cand->run_id,
		base->run_id);
	fprintf(f,
		"%s\nBoots are the unit: Welch t on per-boot centres, Holm "
		"over %zu, alpha %.2g;\n95%% CI of the %s ratio: two-stage "
		"bootstrap (boots, then cycles),\n%d resamples, seed %lu; "
		"default threshold %.0f%%\n",
		scope, c->n, g->ao.alpha, ana_center_name(g->ao.center),
		g->ao.reps, g->ao.seed, g->threshold * 100);
	if (any_virtual(c, &vns))
		metric_vms_legend(f, "", "  ", vns);
	if (cand->inject_online_delay_us || base->inject_online_delay_us)
		fprintf(f,
			"NOTE: inject_online_delay is set (baseline %g ms, "
			"candidate %g ms):\n      a deliberate slowdown\n",
			base->inject_online_delay_us / 1e3,
			cand->inject_online_delay_us / 1e3);
}

/* A label for the cell of @k (compare_cell_label takes a row). */
static void key_label(const struct ana_key *k, char *buf, size_t len)
{
	struct ana_row r = {.k = *k};

	compare_cell_label(&r, buf, len);
}

/* The cells of the baseline that the candidate lacks, after the rows. */
static void print_gone(FILE *f, const struct ana_cmp *c,
		       const struct gate_result *res)
{
	char cell[64], metric[64];
	size_t i;

	for (i = 0; i < res->ngone; i++) {
		const struct gate_gone *x = &res->gone[i];

		key_label(&x->k, cell, sizeof(cell));
		key_metric(c, &x->k, 14, metric, sizeof(metric));
		fprintf(f, GATE_ROW_STR, cell, x->k.phase, x->k.view, metric,
			"-", "-", "gone",
			x->allowed ? "allowed" : "REGRESSION");
		fprintf(f, "  %s\n", x->why);
	}
}

void gate_print(FILE *f, const struct ana_run *base, const struct ana_run *cand,
		const struct ana_cmp *c, const struct gate_rules *g,
		const struct gate_result *res, const json_t *notes)
{
	enum mhp_exit ret = gate_exit_code(res->worst);
	char cell[64], metric[64];
	size_t i;
	json_t *n;

	print_header(f, base, cand, c, g);
	fprintf(f, "\n" GATE_ROW_STR, "cell", "phase", "view", "metric", "base",
		"cand", "change", "verdict");
	for (i = 0; i < c->n; i++) {
		const struct ana_row *r = &c->rows[i];
		const struct metric_def *mi = ana_metric(r->k.metric);

		compare_cell_label(r, cell, sizeof(cell));
		ana_row_label(r, 14, metric, sizeof(metric));
		fprintf(f, "%-14s %-7s %-5s %-14s %8.2f %8.2f %+6.1f%% %s\n",
			cell, r->k.phase, r->k.view, metric, r->ca * mi->scale,
			r->cb * mi->scale,
			isfinite(r->change_pct) ? r->change_pct : 0,
			res->verdict[i] == GATE_REGRESSION
				? "REGRESSION"
				: gate_verdict_name(res->verdict[i]));
		fprintf(f, "  %s\n", res->why[i]);
	}
	print_gone(f, c, res);
	fprintf(f,
		"\nverdict: %s (%zu regression, %zu inconclusive, %zu same, "
		"%zu improvement)",
		verdict_text(ret), res->count[GATE_REGRESSION],
		res->count[GATE_INCONCLUSIVE], res->count[GATE_SAME],
		res->count[GATE_IMPROVEMENT]);
	if (res->ngone)
		fprintf(f, "; %zu cells missing in the candidate (%zu allowed)",
			res->ngone, res->ngone - res->vanished);
	fputc('\n', f);
	if (json_array_size(notes)) {
		fprintf(f, "notes:\n");
		json_array_foreach(notes, i, n)
			fprintf(f, "  - %s\n", json_string_value(n));
	}
}

static const char *kind_name(const struct metric_def *mi)
{
	return mi->kind == METRIC_BOOL	  ? "share"
	       : mi->kind == METRIC_EXACT ? "ranges"
					  : "test";
}

/* The cells that vanished, with their keys, verdicts and reasons. */
static json_t *gone_json(const struct ana_cmp *c, const struct gate_result *res)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < res->ngone; i++) {
		const struct gate_gone *x = &res->gone[i];

		json_array_append_new(
			a,
			json_pack("{s:s, s:s, s:I, s:i, s:I, s:i, s:I, s:s, "
				  "s:s, s:s, s:s, s:s, s:s, s:s}",
				  "source", x->k.source, "memmap", x->k.memmap,
				  "dimm_mib", (json_int_t)x->k.dimm_mib, "node",
				  x->k.node, "target_mib",
				  (json_int_t)x->k.target_mib,
				  "offline_fill_pct", x->k.offline_fill_pct,
				  "zone_present_mib",
				  (json_int_t)x->k.zone_present_mib, "phase",
				  x->k.phase, "view", x->k.view, "metric",
				  x->k.metric, "unit", x->k.unit, "time_base",
				  metric_time_base(ana_side_accel(c, &x->k, 0),
						   x->k.view, x->k.unit),
				  "verdict",
				  x->allowed ? "allowed" : "regression",
				  "reason", x->why));
	}
	return a;
}

json_t *gate_json(const struct compare_side *base,
		  const struct compare_side *cand, const struct ana_cmp *c,
		  const struct gate_rules *g, const struct gate_result *res,
		  json_t *notes)
{
	enum mhp_exit ret = gate_exit_code(res->worst);
	json_t *rows = json_array(), *out;
	size_t i;

	for (i = 0; i < c->n; i++) {
		json_t *jr = compare_row_json(&c->rows[i]);

		json_object_set_new(
			jr, "verdict",
			json_string(gate_verdict_name(res->verdict[i])));
		json_object_set_new(jr, "reason", json_string(res->why[i]));
		json_object_set_new(jr, "threshold_pct",
				    json_real(res->threshold[i] * 100));
		json_object_set_new(jr, "abs_tolerance",
				    json_real(res->abs_tol[i]));
		json_object_set_new(jr, "kind",
				    json_string(kind_name(
					    ana_metric(c->rows[i].k.metric))));
		json_array_append_new(rows, jr);
	}
	out = json_pack(
		"{s:s, s:s, s:i, s:o, s:o, s:f, s:f, s:I, s:i, s:I, "
		"s:s, s:s, s:b, s:o, s:o, s:{s:I, s:I, s:I, s:I}}",
		"center", ana_center_name(g->ao.center), "verdict",
		verdict_json(ret), "exit_code", (int)ret, "baseline",
		compare_side_json(base), "candidate", compare_side_json(cand),
		"alpha", g->ao.alpha, "default_threshold_pct",
		g->threshold * 100, "seed", (json_int_t)g->ao.seed,
		"bootstrap_reps", g->ao.reps, "min_n", (json_int_t)g->min_n,
		"test", ANA_TEST_TEXT ", holm", "ci", ANA_CI_TEXT,
		"floor_guard", g->floor_guard, "rows", json_incref(rows),
		"notes", json_incref(notes), "counts", "regression",
		(json_int_t)res->count[GATE_REGRESSION], "inconclusive",
		(json_int_t)res->count[GATE_INCONCLUSIVE], "same",
		(json_int_t)res->count[GATE_SAME], "improvement",
		(json_int_t)res->count[GATE_IMPROVEMENT]);
	json_decref(rows);
	if (out) {
		json_object_set_new(out, "missing", gone_json(c, res));
		json_object_set_new(out, "allow_missing",
				    json_boolean(g->allow_missing));
		json_object_set_new(json_object_get(out, "counts"), "missing",
				    json_integer((json_int_t)res->vanished));
	}
	return out;
}

/* One testcase per vanished cell: a failure unless allowed. */
static void junit_gone(FILE *f, const struct gate_result *res)
{
	char name[256], cell[64];
	size_t i;

	for (i = 0; i < res->ngone; i++) {
		const struct gate_gone *x = &res->gone[i];

		key_label(&x->k, cell, sizeof(cell));
		snprintf(name, sizeof(name), "%s %s %s %s", cell, x->k.phase,
			 x->k.view, x->k.metric);
		fprintf(f, "<testcase classname=\"mhpbench.gate\" name=\"");
		html_escape(f, name);
		fprintf(f, x->allowed ? "\"><system-out>allowed: "
				      : "\"><failure type=\"missing\" "
					"message=\"");
		html_escape(f, x->why);
		fprintf(f, x->allowed ? "</system-out></testcase>\n"
				      : "\"/></testcase>\n");
	}
}

/* Writes through a temporary file and rename(), as store.c does. */
int gate_write_junit(const char *path, const struct ana_cmp *c,
		     const struct gate_result *res, const json_t *notes)
{
	const enum gate_verdict *v = res->verdict;
	char tmp[4300], name[256], cell[64];
	size_t i, fails = 0, skips = 0;
	FILE *f;
	json_t *n;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	for (i = 0; i < c->n; i++) {
		fails += v[i] == GATE_REGRESSION;
		skips += v[i] == GATE_INCONCLUSIVE;
	}
	fails += res->vanished;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
		"<testsuites><testsuite name=\"mhpbench-gate\" tests=\"%zu\" "
		"failures=\"%zu\" skipped=\"%zu\" errors=\"0\">\n",
		c->n + res->ngone, fails, skips);
	if (json_array_size(notes)) {
		fprintf(f, "<properties>\n");
		json_array_foreach(notes, i, n)
		{
			fprintf(f, "<property name=\"note%zu\" value=\"", i);
			html_escape(f, json_string_value(n));
			fprintf(f, "\"/>\n");
		}
		fprintf(f, "</properties>\n");
	}
	for (i = 0; i < c->n; i++) {
		const struct ana_row *r = &c->rows[i];

		compare_cell_label(r, cell, sizeof(cell));
		snprintf(name, sizeof(name), "%s %s %s %s", cell, r->k.phase,
			 r->k.view, r->k.metric);
		fprintf(f, "<testcase classname=\"mhpbench.gate\" name=\"");
		html_escape(f, name);
		fprintf(f, "\">");
		if (v[i] == GATE_REGRESSION || v[i] == GATE_INCONCLUSIVE) {
			fprintf(f,
				v[i] == GATE_REGRESSION
					? "<failure type=\"regression\" "
					  "message=\""
					: "<skipped message=\"inconclusive: ");
			html_escape(f, res->why[i]);
			fprintf(f, "\"/>");
		} else {
			fprintf(f, "<system-out>%s: ", gate_verdict_name(v[i]));
			html_escape(f, res->why[i]);
			fprintf(f, "</system-out>");
		}
		fprintf(f, "</testcase>\n");
	}
	junit_gone(f, res);
	fprintf(f, "</testsuite></testsuites>\n");
	if (fclose(f) || rename(tmp, path)) {
		int e = -errno;

		unlink(tmp);
		return e;
	}
	return 0;
}

int gate_write_json(const char *path, json_t *o)
{
	return store_write_json_file(path, o);
}
