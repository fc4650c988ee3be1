/* The gate's verdicts: one per compared row, from its p, its CI and the
 * noise threshold of its metric. */
#include "analyze/gate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const verdict_names[] = {"same", "improvement",
					    "inconclusive", "regression"};

const char *gate_verdict_name(enum gate_verdict v)
{
	return verdict_names[v];
}

enum gate_verdict gate_judge(const struct ana_row *r, double alpha,
			     double threshold, size_t min_n, int floor_guard,
			     char *why, size_t len)
{
	const struct ana_metric_info *mi = ana_metric(r->k.metric);
	double lo = 1 - threshold, hi = 1 + threshold;
	int worse_up; /* a larger ratio is worse */

	if (r->a.n < min_n || r->b.n < min_n) {
		snprintf(why, len,
			 "too few samples (baseline n=%zu, candidate n=%zu, "
			 "need %zu): more samples needed",
			 r->a.n, r->b.n, min_n);
		return GATE_INCONCLUSIVE;
	}
	if (!r->ci_ok) {
		if (r->ca == 0 && r->cb == 0 && !r->sig) {
			snprintf(why, len,
				 "both medians 0, p=%.3g (Holm %.3g): no "
				 "shift",
				 r->mw.p, r->p_holm);
			return GATE_SAME;
		}
		snprintf(why, len,
			 "ratio undefined (baseline centre %g), p=%.3g "
			 "(Holm %.3g)",
			 r->ca, r->mw.p, r->p_holm);
		return GATE_INCONCLUSIVE;
	}
	/* Negative medians (free memory that dropped) turn the sense of the
	 * ratio round. */
	worse_up = (mi->better <= 0) != (r->ca < 0);
	if (r->sig && (r->ci.lo > hi || r->ci.hi < lo)) {
		int up = r->ci.lo > hi;
		int bad = mi->better ? up == worse_up : 1;
		double floor = r->a.min ? r->b.min / r->a.min : NAN;

		/* Timing noise only ever adds (preemption, a stall until the
		 * next timer): it moves the median but not the minimum. A
		 * real slowdown or speed-up moves the minimum too. */
		if (floor_guard && !strcmp(r->k.unit, "ns") &&
		    !(up ? floor > hi : floor < lo)) {
			snprintf(why, len,
				 "p=%.3g (Holm %.3g) and the CI [%.4f,%.4f] "
				 "of B/A is %s +-%.0f%%, but the minimum moved "
				 "only by %.4f (%.4g -> %.4g %s): the shift is "
				 "in how often slow samples happen, not in "
				 "the floor; more samples needed",
				 r->mw.p, r->p_holm, r->ci.lo, r->ci.hi,
				 up ? "above" : "below", threshold * 100, floor,
				 r->a.min * mi->scale, r->b.min * mi->scale,
				 mi->shown_unit);
			return GATE_INCONCLUSIVE;
		}

		snprintf(why, len,
			 "p=%.3g (Holm %.3g) < %.2g and the whole CI "
			 "[%.4f,%.4f] of B/A is %s %.4f (threshold %.0f%%)%s",
			 r->mw.p, r->p_holm, alpha, r->ci.lo, r->ci.hi,
			 up ? "above" : "below", up ? hi : lo, threshold * 100,
			 mi->better ? ""
				    : "; neutral metric: any change fails");
		return bad ? GATE_REGRESSION : GATE_IMPROVEMENT;
	}
	if (r->ci.lo >= lo && r->ci.hi <= hi) {
		snprintf(why, len,
			 "the whole CI [%.4f,%.4f] of B/A lies within "
			 "+-%.0f%% (p=%.3g, Holm %.3g)",
			 r->ci.lo, r->ci.hi, threshold * 100, r->mw.p,
			 r->p_holm);
		return GATE_SAME;
	}
	snprintf(why, len,
		 "CI [%.4f,%.4f] of B/A reaches past +-%.0f%% but %s "
		 "(p=%.3g, Holm %.3g): more samples needed",
		 r->ci.lo, r->ci.hi, threshold * 100,
		 r->sig ? "not all of it" : "the shift is not significant",
		 r->mw.p, r->p_holm);
	return GATE_INCONCLUSIVE;
}

double gate_threshold_for(const struct gate_rules *g, const char *metric)
{
	int i;

	for (i = 0; i < g->nthr; i++)
		if (!strcmp(g->thr[i].metric, metric))
			return g->thr[i].frac;
	return g->threshold;
}

int gate_add_threshold(struct gate_rules *g, const char *text, int from_job)
{
	const char *eq = strchr(text, '=');
	char *end;
	double pct = strtod(eq ? eq + 1 : text, &end);

	while (*end == ' ')
		end++;
	if (*end == '%')
		end++;
	if (*end || pct <= 0 || pct >= 100)
		return -EINVAL;
	if (!eq) {
		if (!from_job || !g->threshold_set)
			g->threshold = pct / 100;
		g->threshold_set |= !from_job;
		return 0;
	}
	if (g->nthr == 16 || eq == text ||
	    (size_t)(eq - text) >= sizeof(g->thr[0].metric))
		return -EINVAL;
	snprintf(g->thr[g->nthr].metric, sizeof(g->thr[0].metric), "%.*s",
		 (int)(eq - text), text);
	g->thr[g->nthr++].frac = pct / 100;
	return 0;
}

int gate_judge_all(const struct ana_cmp *c, const struct gate_rules *g,
		   struct gate_result *res)
{
	size_t i;

	memset(res, 0, sizeof(*res));
	res->verdict = calloc(c->n, sizeof(*res->verdict));
	res->why = calloc(c->n, sizeof(*res->why));
	res->threshold = calloc(c->n, sizeof(*res->threshold));
	if (!res->verdict || !res->why || !res->threshold) {
		gate_result_free(res);
		return -ENOMEM;
	}
	for (i = 0; i < c->n; i++) {
		const struct ana_row *r = &c->rows[i];

		res->threshold[i] = gate_threshold_for(g, r->k.metric);
		res->verdict[i] = gate_judge(r, g->ao.alpha, res->threshold[i],
					     g->min_n, g->floor_guard,
					     res->why[i], sizeof(res->why[i]));
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
	memset(res, 0, sizeof(*res));
}

enum mhp_exit gate_exit_code(enum gate_verdict worst)
{
	return worst == GATE_REGRESSION	    ? EXIT_FAIL
	       : worst == GATE_INCONCLUSIVE ? EXIT_INCONCLUSIVE
					    : EXIT_OK;
}
