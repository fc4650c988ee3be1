// SPDX-License-Identifier: GPL-2.0-or-later
/* The gate's verdict on one compared row, by the kind of its metric: the
 * share of 1s of a 0/1 metric, the ranges of an amount the kernel's code
 * sets, else the p, the CI and the tolerance (gate.h). */
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

/* The verdict of a change whose values went up (@up) or down. */
static enum gate_verdict direction(const struct metric_def *mi, int up)
{
	if (!mi->better)
		return GATE_REGRESSION; /* neutral: any change fails */
	return (mi->better > 0) != up ? GATE_REGRESSION : GATE_IMPROVEMENT;
}

/* How far from the baseline's centre a value may lie and be noise. */
static double band(struct gate_tol tol, double ca)
{
	return fmax(tol.abs, tol.rel * fabs(ca));
}

/* "5%" when the relative threshold decides, "256 KiB = 6.2%" when the
 * absolute one does. */
static void tol_text(const struct ana_row *r, const struct metric_def *mi,
		     struct gate_tol tol, double ca, char *buf, size_t len)
{
	char u[16];

	ana_row_unit(r, u, sizeof(u)); /* "vms": guest virtual time */
	if (tol.abs <= tol.rel * fabs(ca))
		snprintf(buf, len, "%g%%", tol.rel * 100);
	else if (ca)
		snprintf(buf, len, "%g %s = %.1f%%", tol.abs * mi->scale, u,
			 tol.abs / fabs(ca) * 100);
	else
		snprintf(buf, len, "%g %s", tol.abs * mi->scale, u);
}

static size_t count_yes(const double *v, size_t n)
{
	size_t i, yes = 0;

	for (i = 0; i < n; i++)
		yes += v[i] >= 0.5;
	return yes;
}

/* A 0/1 outcome of the kernel's code (self-hosted or not) has no noise to
 * test against: a share that moved is the finding, at any n. */
static enum gate_verdict judge_share(const struct ana_row *r,
				     const struct metric_def *mi,
				     struct gate_tol tol, char *why, size_t len)
{
	size_t ya = count_yes(r->va, r->a.n), yb = count_yes(r->vb, r->b.n);
	double pa = (double)ya / r->a.n, pb = (double)yb / r->b.n;
	int moved = fabs(pb - pa) > tol.abs;

	snprintf(why, len,
		 "%s in %zu of %zu baseline and %zu of %zu candidate cycles: "
		 "%s (a 0/1 outcome: a change of the share counts at any n)",
		 mi->name, ya, r->a.n, yb, r->b.n,
		 moved ? "the share changed" : "the same share");
	return moved ? direction(mi, pb > pa) : GATE_SAME;
}

/* An amount the kernel's code sets varies only by other allocations that
 * land in the window, within the tolerance: ranges that lie apart by more
 * than it are a change at any n, ranges within it of the baseline's centre
 * are the same. 0 when the ranges decide nothing. */
static int judge_ranges(const struct ana_row *r, const struct metric_def *mi,
			struct gate_tol tol, enum gate_verdict *v, char *why,
			size_t len)
{
	double b = band(tol, r->ca), s = mi->scale;
	char t[64], u[16];
	int up = r->b.min - r->a.max > b, down = r->a.min - r->b.max > b;

	tol_text(r, mi, tol, r->ca, t, sizeof(t));
	ana_row_unit(r, u, sizeof(u));
	if (up || down) {
		snprintf(why, len,
			 "every candidate value (%g..%g %s) lies %s every "
			 "baseline value (%g..%g) by more than the tolerance "
			 "%s: an amount the kernel sets, the ranges decide "
			 "at any n",
			 r->b.min * s, r->b.max * s, u, up ? "above" : "below",
			 r->a.min * s, r->a.max * s, t);
		*v = direction(mi, up);
		return 1;
	}
	if (fmin(r->a.min, r->b.min) >= r->ca - b &&
	    fmax(r->a.max, r->b.max) <= r->ca + b) {
		snprintf(why, len,
			 "every value (baseline %g..%g, candidate %g..%g %s) "
			 "lies within the tolerance %s of the baseline's %g",
			 r->a.min * s, r->a.max * s, r->b.min * s, r->b.max * s,
			 u, t, r->ca * s);
		*v = GATE_SAME;
		return 1;
	}
	return 0;
}

/* No ratio (a baseline centre of 0): the middle half of each side against
 * the tolerance around the baseline's centre. */
static enum gate_verdict judge_no_ratio(const struct ana_row *r,
					const struct metric_def *mi,
					double alpha, struct gate_tol tol,
					char *why, size_t len)
{
	double b = band(tol, r->ca), lo = r->ca - b, hi = r->ca + b;
	double s = mi->scale;
	char t[64], u[16];

	tol_text(r, mi, tol, r->ca, t, sizeof(t));
	ana_row_unit(r, u, sizeof(u));
	if (r->a.q1 >= lo && r->a.q3 <= hi && r->b.q1 >= lo && r->b.q3 <= hi) {
		snprintf(why, len,
			 "no ratio (baseline centre %g); the middle half of "
			 "both sides lies within the tolerance %s of it "
			 "(p=%.3g, Holm %.3g)",
			 r->ca * s, t, r->p, r->p_holm);
		return GATE_SAME;
	}
	if (r->sig && (r->b.q1 > hi || r->b.q3 < lo)) {
		int up = r->b.q1 > hi;

		snprintf(why, len,
			 "no ratio (baseline centre %g); p=%.3g (Holm %.3g) "
			 "< %.2g and the middle half of the candidate "
			 "(%g..%g %s) lies %s the tolerance %s",
			 r->ca * s, r->p, r->p_holm, alpha, r->b.q1 * s,
			 r->b.q3 * s, u, up ? "above" : "below", t);
		return direction(mi, up);
	}
	snprintf(why, len,
		 "ratio undefined (baseline centre %g), p=%.3g (Holm %.3g), "
		 "the candidate's middle half %g..%g %s straddles the "
		 "tolerance %s: more samples needed",
		 r->ca * s, r->p, r->p_holm, r->b.q1 * s, r->b.q3 * s, u, t);
	return GATE_INCONCLUSIVE;
}

/* The CI of B/A against 1 +- the tolerance as a fraction of A's centre. */
static enum gate_verdict judge_ratio(const struct ana_row *r,
				     const struct metric_def *mi, double alpha,
				     struct gate_tol tol, int floor_guard,
				     char *why, size_t len)
{
	double frac = band(tol, r->ca) / fabs(r->ca);
	double lo = 1 - frac, hi = 1 + frac;
	char t[64], u[16];
	int worse_up; /* a larger ratio is worse */

	tol_text(r, mi, tol, r->ca, t, sizeof(t));
	ana_row_unit(r, u, sizeof(u));
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
				 "of B/A is %s +-%s, but the minimum moved "
				 "only by %.4f (%.4g -> %.4g %s): the shift is "
				 "in how often slow samples happen, not in "
				 "the floor; more samples needed",
				 r->p, r->p_holm, r->ci.lo, r->ci.hi,
				 up ? "above" : "below", t, floor,
				 r->a.min * mi->scale, r->b.min * mi->scale, u);
			return GATE_INCONCLUSIVE;
		}

		snprintf(why, len,
			 "p=%.3g (Holm %.3g) < %.2g and the whole CI "
			 "[%.4f,%.4f] of B/A is %s %.4f (threshold %s)%s",
			 r->p, r->p_holm, alpha, r->ci.lo, r->ci.hi,
			 up ? "above" : "below", up ? hi : lo, t,
			 mi->better ? ""
				    : "; neutral metric: any change fails");
		return bad ? GATE_REGRESSION : GATE_IMPROVEMENT;
	}
	if (r->ci.lo >= lo && r->ci.hi <= hi) {
		snprintf(why, len,
			 "the whole CI [%.4f,%.4f] of B/A lies within "
			 "+-%s (p=%.3g, Holm %.3g)",
			 r->ci.lo, r->ci.hi, t, r->p, r->p_holm);
		return GATE_SAME;
	}
	snprintf(why, len,
		 "CI [%.4f,%.4f] of B/A reaches past +-%s but %s "
		 "(p=%.3g, Holm %.3g): more samples needed",
		 r->ci.lo, r->ci.hi, t,
		 r->sig ? "not all of it" : "the shift is not significant",
		 r->p, r->p_holm);
	return GATE_INCONCLUSIVE;
}

enum gate_verdict gate_judge(const struct ana_row *r, double alpha,
			     struct gate_tol tol, size_t min_n, int floor_guard,
			     char *why, size_t len)
{
	const struct metric_def *mi = ana_metric(r->k.metric);
	enum gate_verdict v;

	if (mi->kind == METRIC_BOOL && r->a.n && r->b.n && r->va && r->vb)
		return judge_share(r, mi, tol, why, len);
	if (mi->kind == METRIC_EXACT && r->a.n && r->b.n &&
	    judge_ranges(r, mi, tol, &v, why, len))
		return v;
	if (!r->gate_grade) {
		snprintf(why, len,
			 "%zu baseline and %zu candidate boots: the boot is "
			 "the unit of evidence and a shift needs at least %d "
			 "a side to be told from one boot's luck (set boots "
			 "in the job)",
			 r->boots_a, r->boots_b, STATS_MIN_BOOTS);
		return GATE_INCONCLUSIVE;
	}
	if (r->a.n < min_n || r->b.n < min_n) {
		snprintf(why, len,
			 "too few samples (baseline n=%zu, candidate n=%zu, "
			 "need %zu): more samples needed",
			 r->a.n, r->b.n, min_n);
		return GATE_INCONCLUSIVE;
	}
	if (!r->ci_ok || !r->ca)
		return judge_no_ratio(r, mi, alpha, tol, why, len);
	return judge_ratio(r, mi, alpha, tol, floor_guard, why, len);
}

enum mhp_exit gate_exit_code(enum gate_verdict worst)
{
	return worst == GATE_REGRESSION	    ? EXIT_FAIL
	       : worst == GATE_INCONCLUSIVE ? EXIT_INCONCLUSIVE
					    : EXIT_OK;
}
