// SPDX-License-Identifier: GPL-2.0-or-later
/* `mhpbench gate`: the command line. Loads the candidate and the baseline
 * (a run, or the history), checks that they compare, judges (gate.h) and
 * writes the verdicts (gate_out.h). */
#include "analyze/gate_cmd.h"

#include "analyze/gate_zone.h"
#include "analyze/gate_out.h"
#include "analyze/history.h"
#include "results/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What --across may name, bit i of gate_opts.across: the difference
 * between the runs that the comparison is about. */
static const char *const across_names[] = {"kernel", "accel", "block"};

struct gate_opts {
	const char *baseline, *candidate, *db, *out_dir, *junit, *root;
	const char *metrics[32];
	int force, history_runs, across, deep;
	struct gate_rules rules;
};

/* Adds the comma-separated names of @text to @across. 0 or -EINVAL. */
static int parse_across(const char *text, int *across)
{
	char buf[64], *tok, *save;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		for (i = 0; i < 3; i++)
			if (!strcmp(tok, across_names[i]))
				break;
		if (i == 3)
			return -EINVAL;
		*across |= 1 << i;
	}
	return *across ? 0 : -EINVAL;
}

/* One difference between the runs: a note when --across names it (@i,
 * an index of across_names), else an error. 1 when refused. */
static int differs(int i, int across, const char *what, const char *b,
		   const char *c, json_t *notes)
{
	char buf[512], why[48] = "";
	int ok = across & 1 << i;

	if (ok)
		snprintf(why, sizeof(why), " (intended: --across %s)",
			 across_names[i]);
	snprintf(buf, sizeof(buf), "%s differs: baseline %s, candidate %s%s",
		 what, b, c, why);
	json_array_append_new(notes, json_string(buf));
	if (!ok)
		fprintf(stderr, "mhpbench gate: %s\n", buf);
	return !ok;
}

/* The memory sources of @r's samples, "dimm", "pmem" or "dimm,pmem". */
static void run_sources(const struct ana_run *r, char *buf, size_t len)
{
	int dimm = 0, pmem = 0;

	for (size_t i = 0; i < r->t.n; i++) {
		pmem |= !strcmp(r->t.s[i].source, "pmem");
		dimm |= strcmp(r->t.s[i].source, "pmem") != 0;
	}
	snprintf(buf, len, "%s%s%s", dimm ? "dimm" : "",
		 dimm && pmem ? "," : "", pmem ? "pmem" : "");
}

/* Sources never mix in a gate: a pmem cycle is not a DIMM's, and no
 * --across makes it one (compare --a source=dimm --b source=pmem shows
 * the difference). 1 when they differ. */
static int sources_differ(const struct ana_run *b, const struct ana_run *c,
			  json_t *notes)
{
	char sb[16], sc[16], buf[128];

	run_sources(b, sb, sizeof(sb));
	run_sources(c, sc, sizeof(sc));
	if (!strcmp(sb, sc))
		return 0;
	snprintf(buf, sizeof(buf),
		 "memory source differs: baseline %s, candidate %s", sb, sc);
	json_array_append_new(notes, json_string(buf));
	fprintf(stderr,
		"mhpbench gate: %s; refusing to gate one against "
		"the other\n",
		buf);
	return 1;
}

/* The runs must be comparable: same kernel, accel and block size, but for
 * the difference that --across names, and the same memory source. */
static int check_match(const struct ana_run *b, const struct ana_run *c,
		       json_t *notes, int across)
{
	static const char axes[] = "kab";
	static const char *const what[] = {"kernel", "accel", "block size"};
	char vb[200], vc[200];
	int bad = 0, i;

	/* Every value of each axis, not the first sample's: two runs of the
	 * same two kernels match whatever order their samples came in. */
	for (i = 0; i < 3; i++) {
		if (!ana_axes_same(&b->axes, &c->axes, axes[i])) {
			ana_axes_list(&b->axes, axes[i], vb, sizeof(vb));
			ana_axes_list(&c->axes, axes[i], vc, sizeof(vc));
			bad |= differs(i, across, what[i], vb, vc, notes);
		}
	}
	if (sources_differ(b, c, notes))
		return -EINVAL;
	if (bad)
		fprintf(stderr,
			"mhpbench gate: refusing to compare mismatched runs "
			"(name each intended difference with --across "
			"kernel, accel or block)\n");
	return bad ? -EINVAL : 0;
}

/* The candidate's job may carry `gate_threshold = METRIC=PCT,...` (read
 * from the effective job in its manifest); the command line wins, as its
 * entries come first. */
static int job_thresholds(struct gate_rules *g, const struct ana_run *cand,
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
			if (gate_add_threshold(g, tok, 1)) {
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
	"                        latency_ns:guest, memmap_from_ram_kib,\n"
	"                        self_hosted and, with offline_fill,\n"
	"                        migrated_pages_per_ms:guest and\n"
	"                        migrate_failed_pages:guest); with\n"
	"                        zone_present in both runs, each slope of\n"
	"                        guest online/offline time per GiB of zone\n"
	"                        too (lower is better; README, \"Cost\n"
	"                        against the size of the zone\")\n"
	"  --deep                a metric without :VIEW takes the deep view's\n"
	"                        cells too (else only M:deep does)\n"
	"  --threshold PCT       a change smaller than this is noise (5)\n"
	"  --threshold M=PCT     per metric (also from the candidate's job:\n"
	"                        gate_threshold = M=PCT,...)\n"
	"  --abs-tolerance M=V   a change of M within V (ms, KiB) is noise\n"
	"                        (defaults: latency 0.1 ms, memory 256 KiB)\n"
	"  --across kernel|accel|block\n"
	"                        the intended difference between the runs\n"
	"                        (repeatable); any other one is refused\n"
	"  --allow-missing       a cell of the baseline missing in the\n"
	"                        candidate is not a regression\n"
	"  --stat median|min     the ratio's centre (median)\n"
	"  --no-floor-guard      timings: do not require the minimum to\n"
	"                        move past the threshold as well\n"
	"  --alpha A (0.05)      of Welch's test on per-boot centres (2\n"
	"                        boots a side at least), after Holm\n"
	"  --seed N (1), --reps N (2000)\n"
	"                        the two-stage bootstrap (boots, then\n"
	"                        cycles)\n"
	"  --min-n N (5)         fewest samples a side for a verdict\n"
	"  --history LOCATION    the history: a SQLite file or a\n"
	"                        postgresql:// URI ($MHPBENCH_HISTORY, else\n"
	"                        RESULTS/history.db); --db is the same\n"
	"  --history-runs N      baseline: the last N matching runs (5)\n"
	"  --out DIR             where gate.json and gate-junit.xml go\n"
	"                        (default: the candidate's run directory)\n"
	"  --junit PATH          JUnit XML path instead\n"
	"  --force               gate an incomplete candidate (its missing\n"
	"                        cells are regressions unless\n"
	"                        --allow-missing)\n"
	"  --results DIR         where run ids are looked up (results)\n"
	"exit: 0 nothing regressed, 1 regression, 9 inconclusive, 2 bad\n"
	"  command line, 10 corrupt, foreign, missing or mismatched input\n";

static enum mhp_exit bad_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "mhpbench gate: %s\n", msg);
	fputs(gate_usage, stderr);
	return EXIT_USAGE;
}

/* 0, EXIT_USAGE (said why), or -1 when --help was printed. */
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
		{"history", required_argument, NULL, 'd'},
		{"history-runs", required_argument, NULL, 'H'},
		{"out", required_argument, NULL, 'o'},
		{"junit", required_argument, NULL, 'j'},
		{"force", no_argument, NULL, 'F'},
		{"stat", required_argument, NULL, 'c'},
		{"no-floor-guard", no_argument, NULL, 'G'},
		{"across", required_argument, NULL, 'A'},
		{"allow-missing", no_argument, NULL, 'M'},
		{"deep", no_argument, NULL, 'D'},
		{"abs-tolerance", required_argument, NULL, 'T'},
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
			if (g->rules.ao.nmetrics == 32)
				return bad_usage("too many --metric");
			g->metrics[g->rules.ao.nmetrics++] = optarg;
			break;
		case 't':
			if (gate_add_threshold(&g->rules, optarg, 0))
				return bad_usage("--threshold wants PCT or "
						 "METRIC=PCT, 0 < PCT < 100");
			break;
		case 'l':
			g->rules.ao.alpha = strtod(optarg, &end);
			if (*end || g->rules.ao.alpha <= 0 ||
			    g->rules.ao.alpha >= 1)
				return bad_usage("--alpha wants 0 < A < 1");
			break;
		case 's':
			g->rules.ao.seed = strtoul(optarg, &end, 0);
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
				g->rules.ao.reps = v;
			else if (c == 'N')
				g->rules.min_n = v;
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
			g->rules.floor_guard = 0;
			break;
		case 'A':
			if (parse_across(optarg, &g->across))
				return bad_usage("--across wants kernel, accel "
						 "or block");
			break;
		case 'M':
			g->rules.allow_missing = 1;
			break;
		case 'D':
			g->deep = 1;
			break;
		case 'T':
			if (gate_add_abs(&g->rules, optarg))
				return bad_usage("--abs-tolerance wants "
						 "METRIC=VALUE, VALUE >= 0 in "
						 "the metric's unit");
			break;
		case 'c':
			if (ana_parse_center(optarg, &g->rules.ao.center))
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

/* The baseline: a run, or the last matching runs of the history. */
static int load_baseline(const struct gate_opts *g, const struct ana_run *cand,
			 struct ana_run *base)
{
	char err[1024], db[4200];
	int ret;

	if (strcmp(g->baseline, "history"))
		return load(g->root, g->baseline, base);
	ret = history_baseline(history_location(g->db, g->root, db, sizeof(db)),
			       cand, g->history_runs, base, err, sizeof(err));
	if (ret)
		fprintf(stderr, "mhpbench gate: %s\n", err);
	return ret;
}

/* The candidate and the baseline, checked: a complete candidate (unless
 * --force), the job's thresholds, runs that compare. 0 or -errno, said
 * why. */
static int load_runs(struct gate_opts *g, struct ana_run *base,
		     struct ana_run *cand, json_t *notes)
{
	if (load(g->root, g->candidate, cand))
		return -EINVAL;
	if (strcmp(cand->status, "complete") && !g->force) {
		fprintf(stderr,
			"mhpbench gate: candidate %s is %s, not complete "
			"(use --force to gate it anyway)\n",
			cand->run_id, cand->status);
		return -EINVAL;
	}
	if (job_thresholds(&g->rules, cand, notes) ||
	    load_baseline(g, cand, base))
		return -EINVAL;
	return check_match(base, cand, notes, g->across);
}

/* gate.json and gate-junit.xml, by default into the candidate's run
 * directory. */
static enum mhp_exit write_outputs(const struct gate_opts *g,
				   const struct ana_run *cand, json_t *out,
				   const struct ana_cmp *c,
				   const struct gate_result *res,
				   const json_t *notes)
{
	char path[4200];

	if (g->out_dir && mkdir(g->out_dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "mhpbench gate: cannot create %s: %s\n",
			g->out_dir, strerror(errno));
		return EXIT_IO;
	}
	snprintf(path, sizeof(path), "%s/gate.json", g->out_dir ?: cand->dir);
	if (!out || gate_write_json(path, out)) {
		fprintf(stderr, "mhpbench gate: cannot write %s\n", path);
		return EXIT_IO;
	}
	printf("gate.json: %s\n", path);
	if (g->junit)
		snprintf(path, sizeof(path), "%s", g->junit);
	else
		snprintf(path, sizeof(path), "%s/gate-junit.xml",
			 g->out_dir ?: cand->dir);
	if (gate_write_junit(path, c, res, notes)) {
		fprintf(stderr, "mhpbench gate: cannot write %s\n", path);
		return EXIT_IO;
	}
	printf("JUnit: %s\n", path);
	return EXIT_OK;
}

enum mhp_exit gate_cmd(int argc, char **argv)
{
	struct gate_opts g = {
		.rules = {.ao = {.seed = 1, .reps = 2000, .alpha = 0.05},
			  .threshold = 0.05,
			  .min_n = 5,
			  .floor_guard = 1},
		.history_runs = 5,
		.root = "results",
	};
	struct ana_opts *ao = &g.rules.ao;
	struct ana_run base, cand;
	struct compare_side sb = {0}, sc = {0};
	struct gate_result res = {0};
	struct gate_zone zone = {0};
	struct ana_cmp cmp = {0};
	json_t *notes = NULL, *out = NULL;
	enum mhp_exit ret;
	int err;

	memset(&base, 0, sizeof(base));
	memset(&cand, 0, sizeof(cand));
	err = parse_opts(argc, argv, &g);
	if (err)
		return err < 0 ? EXIT_OK : (enum mhp_exit)err;
	gate_select(&g.rules, g.metrics, ao->nmetrics, g.deep);
	notes = json_array();
	if (load_runs(&g, &base, &cand, notes)) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	sb.run = &base;
	sc.run = &cand;
	err = ana_compare(&base.t, NULL, &cand.t, NULL, ao, &cmp);
	if (err) {
		fprintf(stderr, "mhpbench gate: %s\n", strerror(-err));
		ret = EXIT_BADINPUT;
		goto out;
	}
	/* Cells that vanished are a verdict of their own, unless allowed. */
	if (!cmp.n && (!cmp.only_a || g.rules.allow_missing)) {
		fprintf(stderr, "mhpbench gate: no gated metric exists in "
				"both runs\n");
		ret = EXIT_BADINPUT;
		goto out;
	}
	compare_notes(&sb, &sc, &cmp, notes);
	if (gate_judge_all(&cmp, &g.rules, cand.manifest, &res)) {
		ret = EXIT_FAIL;
		goto out;
	}
	/* The zone-size slope, where both runs have one (gate_zone.h). */
	if (gate_zone_judge(&base.t, &cand.t, g.rules.threshold, ao->alpha,
			    &zone)) {
		ret = EXIT_FAIL;
		goto out;
	}
	if (zone.worst > res.worst)
		res.worst = zone.worst;
	gate_print(stdout, &base, &cand, &cmp, &g.rules, &res, notes);
	gate_zone_print(stdout, &zone);
	ret = gate_exit_code(res.worst);
	out = gate_json(&sb, &sc, &cmp, &g.rules, &res, notes);
	if (out && json_array_size(zone.rows))
		json_object_set(out, "zone_slope", zone.rows);
	if (write_outputs(&g, &cand, out, &cmp, &res, notes))
		ret = EXIT_IO;
out:
	json_decref(out);
	json_decref(notes);
	gate_result_free(&res);
	gate_zone_free(&zone);
	ana_cmp_free(&cmp);
	ana_free_run(&base);
	ana_free_run(&cand);
	return ret;
}
