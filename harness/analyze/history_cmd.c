// SPDX-License-Identifier: GPL-2.0-or-later
/* `mhpbench history`: appends runs to the history, imports an old SQLite
 * history, lists the runs, or prints the trend of one metric with its
 * change points. The history is a SQLite file or a PostgreSQL database
 * (history.h; README, "A lab of many hosts"). */
#include "analyze/history_cmd.h"

#include "analyze/history_trend.h"
#include "results/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char history_usage[] =
	"usage: mhpbench history [options]\n"
	"  --append RUN         store a run (complete or incomplete) in the\n"
	"                       history, in one transaction (repeatable);\n"
	"                       a run appended again is replaced\n"
	"  --import OLD.db      store every run of an old SQLite history\n"
	"  --list               list the stored runs, their testbed, status\n"
	"  otherwise prints the trend of one metric, per cell, with change\n"
	"  points (windowed Welch t-test, as Apache Otava):\n"
	"  --metric M (latency_ns) --phase P (online) --view V (guest)\n"
	"  --memmap ram|self    --dimm SIZE (e.g. 128M)\n"
	"  --kernel LABEL       --accel ACCEL     --block SIZE\n"
	"  --testbed NAME       one testbed's trend (default: the fleet,\n"
	"                       one trend per testbed)\n"
	"  (one trend per testbed, kernel, accel, block size, mode, size\n"
	"  and node)\n"
	"  --by night|run       one point per night (UTC date) or per run\n"
	"  --window N (5)       --alpha A (0.01)    --format text|csv\n"
	"  --history LOCATION   a SQLite file or a postgresql:// URI (or\n"
	"                       libpq key=value conninfo); default\n"
	"                       $MHPBENCH_HISTORY, else RESULTS/history.db;\n"
	"                       --db is the same\n"
	"  --results DIR        (default results)\n"
	"exit: 0 ok, 2 bad command line, 8 a SQLite history that could not\n"
	"  be written, 10 missing or corrupt history or run, a server not\n"
	"  reached, refusing the login or lost mid-append, another schema\n"
	"  version\n";

static enum mhp_exit bad_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "mhpbench history: %s\n", msg);
	fputs(history_usage, stderr);
	return EXIT_USAGE;
}

/* `--list`: the stored runs, oldest first. */
static int list_runs(const char *db_path, FILE *f, char *err, size_t len)
{
	struct history_cursor *cur;
	struct history_run r;
	int ret = history_runs_open(db_path, &cur, err, len);

	if (ret)
		return ret;
	fprintf(f, "%-36s %-12s %-10s %-16s %-10s %-6s %7s\n", "run", "testbed",
		"status", "kernel", "accel", "blocks", "samples");
	/* Every kernel, accel and block size of a run, not its first. */
	while (history_runs_next(cur, &r) > 0)
		fprintf(f, "%-36s %-12s %-10s %-16s %-10s %-6s %7d%s\n",
			r.run_id, r.testbed && *r.testbed ? r.testbed : "-",
			r.status, r.kernels ?: "", r.accels ?: "",
			r.blocks ?: "", r.samples,
			r.injected ? " injected" : "");
	history_cursor_close(cur);
	return 0;
}

/* A SQLite file that could not be written is 8 (as any results that
 * could not be written); everything else (a history missing, foreign or
 * of another schema, a server not reached or lost) is bad input, 10. */
static enum mhp_exit exit_of(int ret)
{
	return ret == -EIO ? EXIT_IO : EXIT_BADINPUT;
}

/* "128M", "1G" or "128" (MiB) into @mib. 0 or -EINVAL. */
static int parse_mib(const char *text, int64_t *mib)
{
	char *end;

	*mib = strtoll(text, &end, 10);
	if (*end == 'G' || *end == 'g')
		*mib *= 1024, end++;
	else if (*end == 'M' || *end == 'm')
		end++;
	return *end || *mib <= 0 ? -EINVAL : 0;
}

enum mhp_exit history_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{"append", required_argument, NULL, 'A'},
		{"list", no_argument, NULL, 'L'},
		{"metric", required_argument, NULL, 'm'},
		{"phase", required_argument, NULL, 'p'},
		{"view", required_argument, NULL, 'v'},
		{"memmap", required_argument, NULL, 'M'},
		{"dimm", required_argument, NULL, 'd'},
		{"kernel", required_argument, NULL, 'k'},
		{"accel", required_argument, NULL, 'a'},
		{"block", required_argument, NULL, 'B'},
		{"by", required_argument, NULL, 'b'},
		{"window", required_argument, NULL, 'w'},
		{"alpha", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'},
		{"db", required_argument, NULL, 'D'},
		{"history", required_argument, NULL, 'D'},
		{"import", required_argument, NULL, 'I'},
		{"testbed", required_argument, NULL, 'T'},
		{"results", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	struct history_query q = {.metric = "latency_ns",
				  .phase = "online",
				  .view = "guest",
				  .memmap = "",
				  .kernel = "",
				  .accel = "",
				  .window = 5,
				  .alpha = 0.01};
	const char *root = "results", *db = NULL, *append[64], *import = NULL;
	char dbbuf[4200], dir[4096], err[4600], shown[1024], *end;
	int c, nappend = 0, list = 0, csv = 0, ret, i, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'A':
			if (nappend == 64)
				return bad_usage("too many --append");
			append[nappend++] = optarg;
			break;
		case 'L':
			list = 1;
			break;
		case 'm':
			q.metric = optarg;
			break;
		case 'p':
			q.phase = optarg;
			break;
		case 'v':
			q.view = optarg;
			break;
		case 'M':
			q.memmap = optarg;
			break;
		case 'd':
		case 'B':
			if (parse_mib(optarg,
				      c == 'd' ? &q.dimm_mib : &q.block_mib))
				return bad_usage(
					c == 'd' ? "--dimm wants a size "
						   "like 128M or 1G"
						 : "--block wants a "
						   "size like 128M "
						   "or 1G");
			break;
		case 'k':
			q.kernel = optarg;
			break;
		case 'a':
			q.accel = optarg;
			break;
		case 'b':
			if (strcmp(optarg, "night") && strcmp(optarg, "run"))
				return bad_usage("--by is night or run");
			q.by_run = !strcmp(optarg, "run");
			break;
		case 'w':
			q.window = strtol(optarg, &end, 10);
			if (*end || q.window < 2 || q.window > 100)
				return bad_usage("--window wants 2..100");
			break;
		case 'l':
			q.alpha = strtod(optarg, &end);
			if (*end || q.alpha <= 0 || q.alpha >= 1)
				return bad_usage("--alpha wants 0 < A < 1");
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "csv"))
				return bad_usage("--format is text or csv");
			csv = !strcmp(optarg, "csv");
			break;
		case 'D':
			db = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'I':
			import = optarg;
			break;
		case 'T':
			q.testbed = optarg;
			break;
		case 'h':
			fputs(history_usage, stdout);
			return EXIT_OK;
		default:
			return bad_usage(NULL);
		}
	}
	if (optind != argc)
		return bad_usage("unexpected argument");
	db = history_location(db, root, dbbuf, sizeof(dbbuf));
	history_shown(db, shown, sizeof(shown));
	if (import) {
		ret = history_import(db, import, &n, err, sizeof(err));
		if (ret) {
			fprintf(stderr,
				"mhpbench history: %s (%d run%s imported "
				"before)\n",
				err, n, n == 1 ? "" : "s");
			return exit_of(ret);
		}
		printf("imported %d run%s from %s to %s\n", n,
		       n == 1 ? "" : "s", import, shown);
	}
	for (i = 0; i < nappend; i++) {
		ret = store_find_run(root, append[i], dir, sizeof(dir));
		if (ret) {
			fprintf(stderr, "mhpbench history: no run %s: %s\n",
				append[i], strerror(-ret));
			return EXIT_BADINPUT;
		}
		ret = history_append_run(db, dir, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "mhpbench history: %s\n", err);
			return exit_of(ret);
		}
		printf("appended %s to %s\n", dir, shown);
	}
	if ((nappend || import) && !list)
		return EXIT_OK;
	ret = list ? list_runs(db, stdout, err, sizeof(err))
		   : history_trend(db, &q, csv, stdout, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "mhpbench history: %s\n", err);
		return EXIT_BADINPUT;
	}
	return EXIT_OK;
}
