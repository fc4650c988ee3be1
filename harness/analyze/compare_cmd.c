// SPDX-License-Identifier: GPL-2.0-or-later
/* `mhpbench compare`: the command line. Loads one or two runs, compares
 * them cell by cell (analysis.h) and prints the table (compare_print.h). */
#include "analyze/compare_cmd.h"

#include "analyze/compare_print.h"
#include "results/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct compare_args {
	struct ana_opts o;
	const char *root, *format, *metrics[32];
	struct compare_side a, b;
	char **runs; /* one or two run arguments */
	int nruns;
};

static const char compare_usage[] =
	"usage: mhpbench compare [options] RUN_A [RUN_B]\n"
	"  Compares B against A cell by cell (kernel x accel x block size x\n"
	"  DIMM size x mode x node x phase x view x metric); several kernels,\n"
	"  accels or block sizes on a side are compared within each.\n"
	"  With one RUN, A and B are selections within it (default: --a\n"
	"  memmap=ram --b memmap=self, the memmap_on_memory headline).\n"
	"  --a SEL, --b SEL     key=value, key one of memmap, kernel, accel,\n"
	"                       boot, node, source (both must use the same\n"
	"                       key)\n"
	"  --format FMT         text (80 columns), csv, json or markdown\n"
	"  --metric M[:VIEW]    only this metric (repeatable), e.g. "
	"latency_ns:guest\n"
	"  --seed N             seed of the two-stage bootstrap (boots,\n"
	"                       then cycles) (default 1), --reps N (2000)\n"
	"  --alpha A            significance level of Welch's test on the\n"
	"                       per-boot centres, after Holm (0.05)\n"
	"  --stat median|min    what change and B/A are taken of (median)\n"
	"  --results DIR        where run ids are looked up (results)\n"
	"exit: 0 ok, 2 bad command line, 10 corrupt/foreign/missing run\n";

static enum mhp_exit bad_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "mhpbench compare: %s\n", msg);
	fputs(compare_usage, stderr);
	return EXIT_USAGE;
}

/* The options, then what they must agree on. 0, EXIT_USAGE (said why), or
 * -1 when --help was printed. */
static int parse_opts(int argc, char **argv, struct compare_args *c)
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
	struct ana_opts *o = &c->o;
	struct ana_sel *sa = &c->a.sel, *sb = &c->b.sel;
	const char *fmt;
	char *end;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
		case 'b':
			if (ana_parse_sel(optarg, ch == 'a' ? sa : sb))
				return bad_usage("bad selection (want "
						 "key=value, key memmap, "
						 "kernel, accel, boot, "
						 "node or source)");
			break;
		case 'f':
			c->format = optarg;
			break;
		case 'm':
			if (o->nmetrics == 32)
				return bad_usage("too many --metric");
			c->metrics[o->nmetrics++] = optarg;
			break;
		case 's':
			o->seed = strtoul(optarg, &end, 0);
			if (*end || !*optarg)
				return bad_usage("bad --seed");
			break;
		case 'n':
			o->reps = strtol(optarg, &end, 10);
			if (*end || o->reps < 100 || o->reps > 1000000)
				return bad_usage("--reps wants 100..1000000");
			break;
		case 'l':
			o->alpha = strtod(optarg, &end);
			if (*end || o->alpha <= 0 || o->alpha >= 1)
				return bad_usage("--alpha wants 0 < A < 1");
			break;
		case 'c':
			if (ana_parse_center(optarg, &o->center))
				return bad_usage("--stat is median or min");
			break;
		case 'r':
			c->root = optarg;
			break;
		case 'h':
			fputs(compare_usage, stdout);
			return -1;
		default:
			return bad_usage(NULL);
		}
	}
	o->metrics = c->metrics;
	c->runs = argv + optind;
	c->nruns = argc - optind;
	if (c->nruns < 1 || c->nruns > 2)
		return bad_usage("expected one or two runs");
	fmt = c->format;
	if (strcmp(fmt, "text") && strcmp(fmt, "csv") && strcmp(fmt, "json") &&
	    strcmp(fmt, "markdown"))
		return bad_usage("--format is text, csv, json or markdown");
	if (c->nruns == 1 && !sa->key[0] && !sb->key[0]) {
		ana_parse_sel("memmap=ram", sa);
		ana_parse_sel("memmap=self", sb);
	}
	if (!sa->key[0] != !sb->key[0] || strcmp(sa->key, sb->key))
		return bad_usage("--a and --b must select on the same key");
	if (c->nruns == 1 && !sa->key[0])
		return bad_usage("one run needs --a and --b");
	return 0;
}

/* A run directory or id under @root, loaded; -errno, said why. */
static int load_run(const char *root, const char *arg, struct ana_run *r)
{
	char dir[4096], err[1024];
	int ret = store_find_run(root, arg, dir, sizeof(dir));

	if (ret) {
		fprintf(stderr, "mhpbench compare: no run %s: %s\n", arg,
			strerror(-ret));
		return ret;
	}
	ret = ana_load_run(dir, r, err, sizeof(err));
	if (ret)
		fprintf(stderr, "mhpbench compare: %s\n", err);
	return ret;
}

enum mhp_exit compare_cmd(int argc, char **argv)
{
	struct compare_args c = {
		.o = {.seed = 1, .reps = 2000, .alpha = 0.05},
		.root = "results",
		.format = "text",
	};
	enum mhp_exit ret = EXIT_BADINPUT;
	struct ana_run ra, rb;
	struct ana_cmp cmp;
	int err;

	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	err = parse_opts(argc, argv, &c);
	if (err)
		return err < 0 ? EXIT_OK : (enum mhp_exit)err;
	if (load_run(c.root, c.runs[0], &ra))
		goto out;
	c.a.run = c.b.run = &ra;
	if (c.nruns == 2) {
		if (load_run(c.root, c.runs[1], &rb))
			goto out;
		c.b.run = &rb;
	}
	err = ana_compare(&c.a.run->t, &c.a.sel, &c.b.run->t, &c.b.sel, &c.o,
			  &cmp);
	if (err) {
		fprintf(stderr, "mhpbench compare: %s\n", strerror(-err));
		ret = EXIT_FAIL;
		goto out;
	}
	compare_print(stdout, c.format, &c.a, &c.b, &cmp);
	if (!cmp.n)
		fprintf(stderr, "mhpbench compare: no cell exists on both "
				"sides (check --a/--b)\n");
	ret = cmp.n ? EXIT_OK : EXIT_BADINPUT;
	ana_cmp_free(&cmp);
out:
	ana_free_run(&ra);
	ana_free_run(&rb);
	return ret;
}
