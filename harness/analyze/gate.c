#include "analyze/gate.h"

#include "analyze/compare.h"
#include "analyze/history.h"
#include "results/store.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

struct thr {
	char metric[48];
	double frac;
};

struct gate_opts {
	const char *baseline, *candidate, *db, *out_dir, *junit, *root;
	struct ana_opts ao;
	const char *metrics[32];
	struct thr thr[16];
	int nthr, force, history_runs, no_floor_guard, threshold_set;
	double threshold;
	size_t min_n;
};

static double threshold_for(const struct gate_opts *g, const char *metric)
{
	int i;

	for (i = 0; i < g->nthr; i++)
		if (!strcmp(g->thr[i].metric, metric))
			return g->thr[i].frac;
	return g->threshold;
}

static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* Writes through a temporary file and rename(), as store.c does. */
static int write_junit(const char *path, const struct ana_cmp *c,
		       const enum gate_verdict *v, char (*why)[512],
		       const json_t *notes)
{
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
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
		"<testsuites><testsuite name=\"mhpbench-gate\" tests=\"%zu\" "
		"failures=\"%zu\" skipped=\"%zu\" errors=\"0\">\n",
		c->n, fails, skips);
	if (json_array_size(notes)) {
		fprintf(f, "<properties>\n");
		json_array_foreach(notes, i, n)
		{
			fprintf(f, "<property name=\"note%zu\" value=\"", i);
			xml_escape(f, json_string_value(n));
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
		xml_escape(f, name);
		fprintf(f, "\">");
		if (v[i] == GATE_REGRESSION || v[i] == GATE_INCONCLUSIVE) {
			fprintf(f,
				v[i] == GATE_REGRESSION
					? "<failure type=\"regression\" "
					  "message=\""
					: "<skipped message=\"inconclusive: ");
			xml_escape(f, why[i]);
			fprintf(f, "\"/>");
		} else {
			fprintf(f, "<system-out>%s: ", gate_verdict_name(v[i]));
			xml_escape(f, why[i]);
			fprintf(f, "</system-out>");
		}
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, "</testsuite></testsuites>\n");
	if (fclose(f) || rename(tmp, path)) {
		int e = -errno;

		unlink(tmp);
		return e;
	}
	return 0;
}

static int write_json(const char *path, json_t *o)
{
	char tmp[4300];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(o, tmp, JSON_INDENT(2) | JSON_SORT_KEYS))
		return -EIO;
	if (rename(tmp, path)) {
		int e = -errno;

		unlink(tmp);
		return e;
	}
	return 0;
}

/* The runs must be comparable: same kernel, accel and block size. */
static int check_match(const struct ana_run *b, const struct ana_run *c,
		       json_t *notes, int force)
{
	char buf[512];
	int bad = 0;

#define CHECK(what, cond, fmt, x, y)                                           \
	if (cond) {                                                            \
		snprintf(buf, sizeof(buf),                                     \
			 "%s differs: baseline " fmt ", candidate " fmt "%s",  \
			 what, x, y, force ? " (--force)" : "");               \
		if (!force)                                                    \
			fprintf(stderr, "mhpbench gate: %s\n", buf);           \
		json_array_append_new(notes, json_string(buf));                \
		bad = 1;                                                       \
	}
	CHECK("kernel", strcmp(b->kernel, c->kernel), "%s", b->kernel,
	      c->kernel);
	CHECK("accel", strcmp(b->accel, c->accel), "%s", b->accel, c->accel);
	CHECK("block size", b->block_mib != c->block_mib, "%lldM",
	      (long long)b->block_mib, (long long)c->block_mib);
#undef CHECK
	if (bad && !force)
		fprintf(stderr, "mhpbench gate: refusing to compare "
				"mismatched runs (use --force to compare "
				"anyway)\n");
	return bad && !force ? -EINVAL : 0;
}

/* "METRIC=PCT" (or "PCT", the default) into @g; 0 or -EINVAL. */
static int add_threshold(struct gate_opts *g, const char *text, int from_job)
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

/* The candidate's job may carry `gate_threshold = METRIC=PCT,...` (read
 * from the effective job in its manifest); the command line wins, as its
 * entries come first. */
static int job_thresholds(struct gate_opts *g, const struct ana_run *cand,
			  json_t *notes)
{
	const char *job = json_string_value(json_object_get(
		json_object_get(cand->manifest, "job"), "effective"));
	const char *line, *eol;
	char buf[512], *tok, *save, msg[600];

	for (line = job; line && *line; line = eol ? eol + 1 : NULL) {
		const char *v;

		eol = strchr(line, '\n');
		if (strncmp(line, "gate_threshold", 14) ||
		    !(v = strchr(line, '=')) || (eol && v > eol))
			continue;
		snprintf(buf, sizeof(buf), "%.*s",
			 (int)(eol ? eol - v - 1 : (long)strlen(v + 1)), v + 1);
		for (tok = strtok_r(buf, ", \t", &save); tok;
		     tok = strtok_r(NULL, ", \t", &save))
			if (add_threshold(g, tok, 1)) {
				fprintf(stderr,
					"mhpbench gate: %s: bad gate_threshold "
					"entry '%s' in the job\n",
					cand->run_id, tok);
				return -EINVAL;
			}
		for (v++; *v == ' ' || *v == '\t'; v++)
			;
		snprintf(msg, sizeof(msg), "thresholds from the job: %.*s",
			 (int)(eol ? eol - v : (long)strlen(v)), v);
		json_array_append_new(notes, json_string(msg));
	}
	return 0;
}

static const char gate_usage[] =
	"usage: mhpbench gate --baseline RUN|history --candidate RUN "
	"[options]\n"
	"  --metric M[:VIEW]     gate this metric (repeatable; default\n"
	"                        latency_ns:guest and memmap_from_ram_kib)\n"
	"  --threshold PCT       a change smaller than this is noise (5)\n"
	"  --threshold M=PCT     per metric (also from the candidate's job:\n"
	"                        gate_threshold = M=PCT,...)\n"
	"  --stat median|min     the ratio's centre (median)\n"
	"  --no-floor-guard      timings: do not require the minimum to\n"
	"                        move past the threshold as well\n"
	"  --alpha A (0.05), --seed N (1), --reps N (2000), --min-n N (5)\n"
	"  --db PATH             history database (results/history.db)\n"
	"  --history-runs N      baseline: the last N matching runs (5)\n"
	"  --out DIR             where gate.json and gate-junit.xml go\n"
	"                        (default: the candidate's run directory)\n"
	"  --junit PATH          JUnit XML path instead\n"
	"  --force               compare runs whose kernel, accel or block\n"
	"                        size differ\n"
	"  --results DIR         where run ids are looked up (results)\n"
	"exit: 0 nothing regressed, 1 regression, 9 inconclusive, 2 bad\n"
	"  command line, 10 corrupt, foreign, missing or mismatched input\n";

static int bad_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "mhpbench gate: %s\n", msg);
	fputs(gate_usage, stderr);
	return 2;
}

static int parse_opts(int argc, char **argv, struct gate_opts *g)
{
	static const struct option opts[] = {
		{"baseline", required_argument, NULL, 'B'},
		{"candidate", required_argument, NULL, 'C'},
		{"metric", required_argument, NULL, 'm'},
		{"threshold", required_argument, NULL, 't'},
		{"alpha", required_argument, NULL, 'l'},
		{"seed", required_argument, NULL, 's'},
		{"reps", required_argument, NULL, 'n'},
		{"min-n", required_argument, NULL, 'N'},
		{"db", required_argument, NULL, 'd'},
		{"history-runs", required_argument, NULL, 'H'},
		{"out", required_argument, NULL, 'o'},
		{"junit", required_argument, NULL, 'j'},
		{"force", no_argument, NULL, 'F'},
		{"stat", required_argument, NULL, 'c'},
		{"no-floor-guard", no_argument, NULL, 'G'},
		{"results", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	char *end;
	int c;
	long v;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'B':
			g->baseline = optarg;
			break;
		case 'C':
			g->candidate = optarg;
			break;
		case 'm':
			if (g->ao.nmetrics == 32)
				return bad_usage("too many --metric");
			g->metrics[g->ao.nmetrics++] = optarg;
			break;
		case 't':
			if (add_threshold(g, optarg, 0))
				return bad_usage("--threshold wants PCT or "
						 "METRIC=PCT, 0 < PCT < 100");
			break;
		case 'l':
			g->ao.alpha = strtod(optarg, &end);
			if (*end || g->ao.alpha <= 0 || g->ao.alpha >= 1)
				return bad_usage("--alpha wants 0 < A < 1");
			break;
		case 's':
			g->ao.seed = strtoul(optarg, &end, 0);
			if (*end || !*optarg)
				return bad_usage("bad --seed");
			break;
		case 'n':
		case 'N':
		case 'H':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 1000000 ||
			    (c == 'n' && v < 100))
				return bad_usage("bad number");
			if (c == 'n')
				g->ao.reps = v;
			else if (c == 'N')
				g->min_n = v;
			else
				g->history_runs = v;
			break;
		case 'd':
			g->db = optarg;
			break;
		case 'o':
			g->out_dir = optarg;
			break;
		case 'j':
			g->junit = optarg;
			break;
		case 'F':
			g->force = 1;
			break;
		case 'G':
			g->no_floor_guard = 1;
			break;
		case 'c':
			if (ana_parse_center(optarg, &g->ao.center))
				return bad_usage("--stat is median or min");
			break;
		case 'r':
			g->root = optarg;
			break;
		case 'h':
			fputs(gate_usage, stdout);
			return -1;
		default:
			return bad_usage(NULL);
		}
	}
	if (optind != argc)
		return bad_usage("unexpected argument");
	if (!g->baseline || !g->candidate)
		return bad_usage("--baseline and --candidate are required");
	return 0;
}

static int load(const char *root, const char *arg, struct ana_run *r)
{
	char dir[4096], err[1024];
	int ret = store_find_run(root, arg, dir, sizeof(dir));

	if (ret) {
		fprintf(stderr, "mhpbench gate: no run %s under %s: %s\n", arg,
			root, strerror(-ret));
		return ret;
	}
	ret = ana_load_run(dir, r, err, sizeof(err));
	if (ret)
		fprintf(stderr, "mhpbench gate: %s\n", err);
	return ret;
}

int gate_cmd(int argc, char **argv)
{
	struct gate_opts g = {
		.ao = {.seed = 1, .reps = 2000, .alpha = 0.05},
		.threshold = 0.05,
		.min_n = 5,
		.history_runs = 5,
		.root = "results",
	};
	static const char *const defaults[] = {"latency_ns:guest",
					       "memmap_from_ram_kib"};
	struct ana_run base, cand;
	struct compare_side sb = {0}, sc = {0};
	char err[1024], path[4200], cell[64], db[4200];
	enum gate_verdict *verdict = NULL, worst = GATE_SAME;
	char(*why)[512] = NULL;
	json_t *notes = NULL, *rows = NULL, *out = NULL;
	struct ana_cmp cmp = {0};
	size_t i, count[4] = {0};
	int ret;

	memset(&base, 0, sizeof(base));
	memset(&cand, 0, sizeof(cand));
	ret = parse_opts(argc, argv, &g);
	if (ret)
		return ret < 0 ? 0 : ret;
	g.ao.metrics = g.ao.nmetrics ? g.metrics : defaults;
	if (!g.ao.nmetrics)
		g.ao.nmetrics = 2;
	notes = json_array();
	rows = json_array();
	if (load(g.root, g.candidate, &cand)) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	if (strcmp(cand.status, "complete") && !g.force) {
		fprintf(stderr,
			"mhpbench gate: candidate %s is %s, not complete "
			"(use --force to gate it anyway)\n",
			cand.run_id, cand.status);
		ret = EXIT_BADINPUT;
		goto out;
	}
	if (job_thresholds(&g, &cand, notes)) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	if (!strcmp(g.baseline, "history")) {
		snprintf(db, sizeof(db), "%s/history.db", g.root);
		ret = history_baseline(g.db ?: db, &cand, g.history_runs, &base,
				       err, sizeof(err));
		if (ret) {
			fprintf(stderr, "mhpbench gate: %s\n", err);
			ret = EXIT_BADINPUT;
			goto out;
		}
	} else if (load(g.root, g.baseline, &base)) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	if (check_match(&base, &cand, notes, g.force)) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	sb.run = &base;
	sc.run = &cand;
	ret = ana_compare(&base.t, NULL, &cand.t, NULL, &g.ao, &cmp);
	if (ret) {
		fprintf(stderr, "mhpbench gate: %s\n", strerror(-ret));
		ret = EXIT_BADINPUT;
		goto out;
	}
	if (!cmp.n) {
		fprintf(stderr, "mhpbench gate: no gated metric exists in "
				"both runs\n");
		ret = EXIT_BADINPUT;
		goto out;
	}
	compare_notes(&sb, &sc, &cmp, notes);
	verdict = calloc(cmp.n, sizeof(*verdict));
	why = calloc(cmp.n, sizeof(*why));
	if (!verdict || !why) {
		ret = 1;
		goto out;
	}
	printf("gate: candidate %s\n      baseline  %s\n", cand.run_id,
	       base.run_id);
	printf("kernel %s, accel %s, %lldM blocks\nMann-Whitney U with "
	       "Holm over %zu, alpha %.2g; 95%% CI of the %s ratio,\n"
	       "bootstrap %d resamples, seed %lu; default threshold %.0f%%\n",
	       cand.kernel, cand.accel, (long long)cand.block_mib, cmp.n,
	       g.ao.alpha, ana_center_name(g.ao.center), g.ao.reps, g.ao.seed,
	       g.threshold * 100);
	if (cand.inject_online_delay_ms || base.inject_online_delay_ms)
		printf("NOTE: inject_online_delay is set (baseline %lld ms, "
		       "candidate %lld ms): a deliberate slowdown\n",
		       (long long)base.inject_online_delay_ms,
		       (long long)cand.inject_online_delay_ms);
	printf("\n%-16s %-7s %-5s %-14s %9s %9s %7s %s\n", "cell", "phase",
	       "view", "metric", "base", "cand", "change", "verdict");
	for (i = 0; i < cmp.n; i++) {
		const struct ana_row *r = &cmp.rows[i];
		const struct ana_metric_info *mi = ana_metric(r->k.metric);
		double thr = threshold_for(&g, r->k.metric);
		json_t *jr;

		verdict[i] =
			gate_judge(r, g.ao.alpha, thr, g.min_n,
				   !g.no_floor_guard, why[i], sizeof(why[i]));
		count[verdict[i]]++;
		if (verdict[i] > worst)
			worst = verdict[i];
		compare_cell_label(r, cell, sizeof(cell));
		printf("%-16s %-7s %-5s %-14.14s %9.2f %9.2f %+6.1f%% %s\n",
		       cell, r->k.phase, r->k.view, mi->label,
		       r->ca * mi->scale, r->cb * mi->scale,
		       isfinite(r->change_pct) ? r->change_pct : 0,
		       verdict[i] == GATE_REGRESSION
			       ? "REGRESSION"
			       : gate_verdict_name(verdict[i]));
		printf("  %s\n", why[i]);
		jr = compare_row_json(r);
		json_object_set_new(jr, "verdict",
				    json_string(gate_verdict_name(verdict[i])));
		json_object_set_new(jr, "reason", json_string(why[i]));
		json_object_set_new(jr, "threshold_pct", json_real(thr * 100));
		json_array_append_new(rows, jr);
	}
	ret = worst == GATE_REGRESSION	   ? 1
	      : worst == GATE_INCONCLUSIVE ? EXIT_INCONCLUSIVE
					   : 0;
	printf("\nverdict: %s (%zu regression, %zu inconclusive, %zu same, "
	       "%zu improvement)\n",
	       ret == 1	  ? "REGRESSION"
	       : ret == 0 ? "nothing regressed"
			  : "inconclusive (more samples needed)",
	       count[GATE_REGRESSION], count[GATE_INCONCLUSIVE],
	       count[GATE_SAME], count[GATE_IMPROVEMENT]);
	if (json_array_size(notes)) {
		json_t *n;

		printf("notes:\n");
		json_array_foreach(notes, i, n)
			printf("  - %s\n", json_string_value(n));
	}
	out = json_pack(
		"{s:s, s:s, s:i, s:o, s:o, s:f, s:f, s:I, s:i, s:I, "
		"s:s, s:s, s:b, s:o, s:o, s:{s:I, s:I, s:I, s:I}}",
		"center", ana_center_name(g.ao.center), "verdict",
		ret == 1   ? "regression"
		: ret == 0 ? "pass"
			   : "inconclusive",
		"exit_code", ret, "baseline", compare_side_json(&sb),
		"candidate", compare_side_json(&sc), "alpha", g.ao.alpha,
		"default_threshold_pct", g.threshold * 100, "seed",
		(json_int_t)g.ao.seed, "bootstrap_reps", g.ao.reps, "min_n",
		(json_int_t)g.min_n, "test", "mann-whitney-u two-sided, holm",
		"ci", "95% percentile bootstrap of the ratio B/A",
		"floor_guard", !g.no_floor_guard, "rows", json_incref(rows),
		"notes", json_incref(notes), "counts", "regression",
		(json_int_t)count[GATE_REGRESSION], "inconclusive",
		(json_int_t)count[GATE_INCONCLUSIVE], "same",
		(json_int_t)count[GATE_SAME], "improvement",
		(json_int_t)count[GATE_IMPROVEMENT]);
	if (g.out_dir && mkdir(g.out_dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "mhpbench gate: cannot create %s: %s\n",
			g.out_dir, strerror(errno));
		ret = 8;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/gate.json", g.out_dir ?: cand.dir);
	if (!out || write_json(path, out)) {
		fprintf(stderr, "mhpbench gate: cannot write %s\n", path);
		ret = 8;
		goto out;
	}
	printf("gate.json: %s\n", path);
	if (g.junit)
		snprintf(path, sizeof(path), "%s", g.junit);
	else
		snprintf(path, sizeof(path), "%s/gate-junit.xml",
			 g.out_dir ?: cand.dir);
	if (write_junit(path, &cmp, verdict, why, notes)) {
		fprintf(stderr, "mhpbench gate: cannot write %s\n", path);
		ret = 8;
		goto out;
	}
	printf("JUnit: %s\n", path);
out:
	json_decref(out);
	json_decref(rows);
	json_decref(notes);
	free(verdict);
	free(why);
	ana_cmp_free(&cmp);
	ana_free_run(&base);
	ana_free_run(&cand);
	return ret;
}
