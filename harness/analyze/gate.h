/* `mhpbench gate`: a yes/no on whether a candidate run regressed against a
 * baseline run or the history, per metric and cell, with the evidence
 * (Mann-Whitney p after Holm, bootstrap CI of the ratio of medians) on
 * stdout, in gate.json and as JUnit XML (gate_out.h). This part judges;
 * gate_cmd.h is the command line. */
#ifndef MHP_GATE_H
#define MHP_GATE_H

#include "analyze/analysis.h"

enum gate_verdict {
	GATE_SAME,
	GATE_IMPROVEMENT,
	GATE_INCONCLUSIVE,
	GATE_REGRESSION,
};

const char *gate_verdict_name(enum gate_verdict v);

/* The verdict of one compared row (A = baseline, B = candidate) with its
 * reason: regression when p_holm < alpha and the whole CI of B/A lies
 * beyond the threshold on the worse side; improvement in the mirror case;
 * same when the whole CI lies within +-threshold; else inconclusive (also
 * when either side has fewer than @min_n samples). With @floor_guard, a
 * timing (unit ns) is a regression or improvement only if its minimum moved
 * past the threshold too: noise that only adds time moves the median but
 * not the floor. */
enum gate_verdict gate_judge(const struct ana_row *r, double alpha,
			     double threshold, size_t min_n, int floor_guard,
			     char *why, size_t len);

/* How a gate judges: the comparison's options, the noise threshold (a
 * default and per metric, as fractions), the smallest n and the floor
 * guard. */
struct gate_rules {
	struct ana_opts ao;
	double threshold;
	struct gate_threshold {
		char metric[48];
		double frac;
	} thr[16];
	int nthr;
	int threshold_set; /* the default came from the command line */
	size_t min_n;
	int floor_guard;
};

/* The threshold @metric is judged with. */
double gate_threshold_for(const struct gate_rules *g, const char *metric);

/* Adds "METRIC=PCT" (or sets the default from "PCT") to @g; @from_job: an
 * entry from the candidate's job, whose default yields to the command
 * line's. 0 or -EINVAL. */
int gate_add_threshold(struct gate_rules *g, const char *text, int from_job);

/* The verdicts of every row of a comparison, each with its reason and the
 * threshold it was judged with. */
struct gate_result {
	enum gate_verdict *verdict;
	char (*why)[512];
	double *threshold;
	size_t count[4]; /* rows per verdict */
	enum gate_verdict worst;
};

/* Judges every row of @c by @g. 0 or -ENOMEM. */
int gate_judge_all(const struct ana_cmp *c, const struct gate_rules *g,
		   struct gate_result *res);
void gate_result_free(struct gate_result *res);

/* What the worst verdict makes of the exit: EXIT_FAIL (1) for a
 * regression, EXIT_INCONCLUSIVE, else EXIT_OK. */
enum mhp_exit gate_exit_code(enum gate_verdict worst);

#endif
