// SPDX-License-Identifier: GPL-2.0-or-later
/* `mhpbench history`: appends runs to the history, lists them, or prints
 * the trend of one metric with its change points. */
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
	"                       history, in one transaction (repeatable)\n"
	"  --list               list the stored runs and their status\n"
	"  otherwise prints the trend of one metric, per cell, with change\n"
	"  points (windowed Welch t-test, as Apache Otava):\n"
	"  --metric M (latency_ns) --phase P (online) --view V (guest)\n"
	"  --memmap ram|self    --dimm SIZE (e.g. 128M)\n"
	"  --kernel LABEL       --accel ACCEL     --block SIZE\n"
	"  (one trend per kernel, accel, block size, mode, size and node)\n"
	"  --by night|run       one point per night (UTC date) or per run\n"
	"  --window N (5)       --alpha A (0.01)    --format text|csv\n"
	"  --db PATH            (default RESULTS/history.db)\n"
	"  --results DIR        (default results)\n"
	"exit: 0 ok, 2 bad command line, 10 missing or corrupt history or "
	"run\n";

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
	fprintf(f, "%-36s %-10s %-16s %-10s %-6s %7s\n", "run", "status",
		"kernel", "accel", "blocks", "samples");
	/* Every kernel, accel and block size of a run, not its first. */
	while (history_runs_next(cur, &r) > 0)
		fprintf(f, "%-36s %-10s %-16s %-10s %-6s %7d%s\n", r.run_id,
			r.status, r.kernels ?: "", r.accels ?: "",
			r.blocks ?: "", r.samples,
			r.injected ? " injected" : "");
	history_cursor_close(cur);
	return 0;
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
	const char *root = "results", *db = NULL, *append[64];
	char dbbuf[4200], dir[4096], err[4600], *end;
	int c, nappend = 0, list = 0, csv = 0, ret, i;

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
		case 'h':
			fputs(history_usage, stdout);
			return EXIT_OK;
		default:
			return bad_usage(NULL);
		}
	}
	if (optind != argc)
		return bad_usage("unexpected argument");
	if (!db) {
		snprintf(dbbuf, sizeof(dbbuf), "%s/history.db", root);
		db = dbbuf;
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
			return ret == -EIO ? EXIT_IO : EXIT_BADINPUT;
		}
		printf("appended %s to %s\n", dir, db);
	}
	if (nappend && !list)
		return EXIT_OK;
	ret = list ? list_runs(db, stdout, err, sizeof(err))
		   : history_trend(db, &q, csv, stdout, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "mhpbench history: %s\n", err);
		return EXIT_BADINPUT;
	}
	return EXIT_OK;
}
