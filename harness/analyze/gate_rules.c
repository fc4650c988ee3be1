// SPDX-License-Identifier: GPL-2.0-or-later
/* The gate's rules and its verdicts on a whole comparison: which metrics
 * take part, the thresholds and tolerances they are judged with, the
 * verdict of every compared row (gate.c) and of every cell that vanished
 * from the candidate, with the reason its manifest gives. */
#include "analyze/gate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The offline_fill metrics are only in runs with a fill (README,
 * "Offline with pages to migrate"); elsewhere they select nothing. */
const char *const gate_default_metrics[GATE_NDEFAULT] = {
	"latency_ns:guest", "memmap_from_ram_kib", "self_hosted",
	"migrated_pages_per_ms:guest", "migrate_failed_pages:guest"};

void gate_select(struct gate_rules *g, const char *const *metrics, int n,
		 int deep)
{
	g->ao.metrics = n ? metrics : gate_default_metrics;
	g->ao.nmetrics = n ? n : GATE_NDEFAULT;
	g->ao.no_deep = !deep;
}

static const struct gate_threshold *find(const struct gate_threshold *t, int n,
					 const char *metric)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].metric, metric))
			return &t[i];
	return NULL;
}

double gate_threshold_for(const struct gate_rules *g, const char *metric)
{
	const struct gate_threshold *t = find(g->thr, g->nthr, metric);

	return t ? t->frac : g->threshold;
}

struct gate_tol gate_tol_for(const struct gate_rules *g, const char *metric)
{
	const struct gate_threshold *a = find(g->abs, g->nabs, metric);
	struct gate_tol tol = {gate_threshold_for(g, metric),
			       a ? a->frac : ana_metric(metric)->abs_tol};

	return tol;
}

/* Splits "METRIC=..." into @g's next entry of @t; the value's text. */
static const char *add_entry(struct gate_threshold *t, int *n, const char *text)
{
	const char *eq = strchr(text, '=');

	if (!eq || *n == 16 || eq == text ||
	    (size_t)(eq - text) >= sizeof(t->metric))
		return NULL;
	snprintf(t[*n].metric, sizeof(t->metric), "%.*s", (int)(eq - text),
		 text);
	return eq + 1;
}

int gate_add_threshold(struct gate_rules *g, const char *text, int from_job)
{
	const char *eq = strchr(text, '='), *v = text;
	char *end;
	double pct;

	if (eq && !(v = add_entry(g->thr, &g->nthr, text)))
		return -EINVAL;
	pct = strtod(v, &end);
	while (*end == ' ')
		end++;
	if (*end == '%')
		end++;
	if (*end || pct <= 0 || pct >= 100)
		return -EINVAL;
	if (eq) {
		g->thr[g->nthr++].frac = pct / 100;
		return 0;
	}
	if (!from_job || !g->threshold_set)
		g->threshold = pct / 100;
	g->threshold_set |= !from_job;
	return 0;
}

int gate_add_abs(struct gate_rules *g, const char *text)
{
	const char *v = add_entry(g->abs, &g->nabs, text);
	const struct metric_def *mi;
	char *end;
	double x;

	if (!v)
		return -EINVAL;
	mi = ana_metric(g->abs[g->nabs].metric);
	x = strtod(v, &end);
	while (*end == ' ')
		end++;
	if (end == v || x < 0 || (*end && strcmp(end, mi->shown_unit)))
		return -EINVAL;
	g->abs[g->nabs++].frac = x / mi->scale;
	return 0;
}

/* Why the candidate lacks @k: a mode its kernel does not support or a
 * size its block size skips (the manifest's "skipped"), a run that
 * stopped, or nothing recorded. */
static void gone_reason(const struct ana_key *k, const json_t *manifest,
			char *buf, size_t len)
{
	const json_t *e;
	const char *st = json_string_value(json_object_get(manifest, "status"));
	char sz[16];
	size_t i;

	ana_size_str(k->dimm_mib, sz, sizeof(sz));
	json_array_foreach(json_object_get(manifest, "skipped"), i, e)
	{
		const char *m = json_string_value(json_object_get(e, "memmap"));
		const char *s = json_string_value(json_object_get(e, "size"));
		const char *why =
			json_string_value(json_object_get(e, "reason")) ?: "";

		if (m && !strcmp(m, k->memmap)) {
			snprintf(buf, len, "%s mode %s", m, why);
			return;
		}
		if (s && !strcmp(s, sz)) {
			snprintf(buf, len,
				 "%s DIMMs skipped with %lldM blocks: %s", s,
				 (long long)json_integer_value(
					 json_object_get(e, "block_mib")),
				 why);
			return;
		}
	}
	if (st && strcmp(st, "complete"))
		snprintf(buf, len,
			 "the candidate is %s: it stopped before this cell",
			 st);
	else
		snprintf(buf, len,
			 "the candidate has no sample of it (does "
			 "its job still ask for it?)");
}

static int judge_gone(const struct ana_cmp *c, const struct gate_rules *g,
		      const json_t *manifest, struct gate_result *res)
{
	char why[384];
	size_t i;

	res->gone = calloc(c->only_a ? c->only_a : 1, sizeof(*res->gone));
	if (!res->gone)
		return -ENOMEM;
	for (i = 0; i < c->only_a && c->gone; i++) {
		struct gate_gone *x = &res->gone[res->ngone++];

		x->k = c->gone[i];
		x->allowed = g->allow_missing;
		gone_reason(&x->k, manifest, why, sizeof(why));
		snprintf(x->why, sizeof(x->why),
			 "%s in the baseline, missing in the candidate: %s%s",
			 x->k.metric, why,
			 x->allowed ? " (allowed: --allow-missing)" : "");
		if (x->allowed)
			continue;
		res->vanished++;
		res->count[GATE_REGRESSION]++;
		res->worst = GATE_REGRESSION;
	}
	return 0;
}

int gate_judge_all(const struct ana_cmp *c, const struct gate_rules *g,
		   const json_t *manifest, struct gate_result *res)
{
	size_t i;

	memset(res, 0, sizeof(*res));
	res->verdict = calloc(c->n ? c->n : 1, sizeof(*res->verdict));
	res->why = calloc(c->n ? c->n : 1, sizeof(*res->why));
	res->threshold = calloc(c->n ? c->n : 1, sizeof(*res->threshold));
	res->abs_tol = calloc(c->n ? c->n : 1, sizeof(*res->abs_tol));
	if (!res->verdict || !res->why || !res->threshold || !res->abs_tol ||
	    judge_gone(c, g, manifest, res)) {
		gate_result_free(res);
		return -ENOMEM;
	}
	for (i = 0; i < c->n; i++) {
		const struct ana_row *r = &c->rows[i];
		struct gate_tol tol = gate_tol_for(g, r->k.metric);

		res->threshold[i] = tol.rel;
		res->abs_tol[i] = tol.abs;
		res->verdict[i] = gate_judge(r, g->ao.alpha, tol, g->min_n,
					     g->floor_guard, res->why[i],
					     sizeof(res->why[i]));
		res->count[res->verdict[i]]++;
		if (res->verdict[i] > res->worst)
			res->worst = res->verdict[i];
	}
	return 0;
}

void gate_result_free(struct gate_result *res)
{
	free(res->verdict);
	free(res->why);
	free(res->threshold);
	free(res->abs_tol);
	free(res->gone);
	memset(res, 0, sizeof(*res));
}
