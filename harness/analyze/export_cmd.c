// SPDX-License-Identifier: GPL-2.0-or-later
/* `mhpbench export --format kcidb RUN`: a finished run, and its gate
 * result when there is one, as KCIDB report data (kcidb.h). */
#include "analyze/export_cmd.h"

#include "analyze/analysis.h"
#include "analyze/kcidb.h"
#include "results/report.h"
#include "results/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char export_usage[] =
	"usage: mhpbench export --format kcidb [options] RUN\n"
	"  Writes RUN as KernelCI KCIDB report data (schema v5.3): each\n"
	"  kernel a checkout and a build, each cell's median a test (DONE,\n"
	"  with its number), each gate verdict a test (PASS, FAIL, SKIP).\n"
	"  --format kcidb        the format (kcidb is the one there is)\n"
	"  --origin NAME         KCIDB origin, [a-z0-9_]+ (mhpbench)\n"
	"  --gate FILE           a gate.json whose candidate is RUN\n"
	"                        (default: RUN/gate.json if there is one)\n"
	"  -o, --output FILE     write there instead of stdout\n"
	"  --results DIR         where run ids are looked up (results)\n"
	"exit: 0 ok, 2 bad command line, 8 cannot write, 10 no such run,\n"
	"  an incomplete, corrupt or foreign run, or a gate result that is\n"
	"  not about RUN\n";

/* The gate result: @path, or RUN/gate.json when there is one. NULL and
 * 0 when there is none; -1 when it cannot be read (said why). */
static int load_gate(const char *path, const char *dir, json_t **gate)
{
	char def[4200];
	json_error_t je;

	*gate = NULL;
	if (!path) {
		snprintf(def, sizeof(def), "%s/gate.json", dir);
		if (access(def, F_OK))
			return 0;
		path = def;
	}
	*gate = json_load_file(path, 0, &je);
	if (!*gate || !json_is_object(*gate) ||
	    !json_object_get(*gate, "rows")) {
		fprintf(stderr, "mhpbench export: %s:%d: %s\n", path, je.line,
			*gate ? "not a gate result (no rows)" : je.text);
		json_decref(*gate);
		*gate = NULL;
		return -1;
	}
	return 0;
}

/* Through a temporary file and rename(), as the run directory is. */
static int write_out(const char *path, const json_t *o)
{
	if (!path) {
		if (json_dumpf(o, stdout, JSON_INDENT(2) | JSON_SORT_KEYS))
			return -EIO;
		putchar('\n');
		return fflush(stdout) ? -errno : 0;
	}
	return store_write_json_file(path, o);
}

struct export_opts {
	const char *format, *origin, *gate, *out, *root;
};

/* 0, 1 for --help (printed), or EXIT_USAGE (said why). */
static int parse(int argc, char **argv, struct export_opts *o)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"origin", required_argument, NULL, 'O'},
		{"gate", required_argument, NULL, 'g'},
		{"output", required_argument, NULL, 'o'},
		{"results", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->format = optarg;
			break;
		case 'O':
			o->origin = optarg;
			break;
		case 'g':
			o->gate = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'h':
			fputs(export_usage, stdout);
			return 1;
		default:
			fputs(export_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (strcmp(o->format, "kcidb")) {
		fprintf(stderr,
			"mhpbench export: unknown format '%s' (kcidb is the "
			"one there is)\n",
			o->format);
		return EXIT_USAGE;
	}
	if (!kcidb_origin_valid(o->origin)) {
		fprintf(stderr,
			"mhpbench export: --origin '%s': KCIDB origins are "
			"[a-z0-9_]+\n",
			o->origin);
		return EXIT_USAGE;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "mhpbench export: expected one RUN\n");
		fputs(export_usage, stderr);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The run's cells (summary.json's, recomputed from samples.csv) as KCIDB
 * data, written out. */
static enum mhp_exit export_run(const struct export_opts *o,
				const struct ana_run *r)
{
	struct report_timing tm = {0};
	json_t *sum = report_summary(&r->t, &tm), *gate, *out;
	char err[1024];
	enum mhp_exit ret = EXIT_OK;
	int e;

	if (load_gate(o->gate, r->dir, &gate)) {
		json_decref(sum);
		return EXIT_BADINPUT;
	}
	out = kcidb_export(r->manifest, json_object_get(sum, "cells"), gate,
			   o->origin, err, sizeof(err));
	if (!out) {
		fprintf(stderr, "mhpbench export: %s\n", err);
		ret = EXIT_BADINPUT;
	} else if ((e = write_out(o->out, out))) {
		fprintf(stderr, "mhpbench export: cannot write %s: %s\n",
			o->out ? o->out : "stdout", strerror(-e));
		ret = EXIT_IO;
	} else {
		fprintf(stderr,
			"mhpbench export: run %s: %zu checkouts, %zu tests "
			"(%zu cells%s)%s%s\n",
			r->run_id,
			json_array_size(json_object_get(out, "checkouts")),
			json_array_size(json_object_get(out, "tests")),
			json_array_size(json_object_get(sum, "cells")),
			gate ? ", and the gate's verdicts" : ", no gate result",
			o->out ? " into " : "", o->out ? o->out : "");
	}
	json_decref(out);
	json_decref(gate);
	json_decref(sum);
	return ret;
}

enum mhp_exit export_cmd(int argc, char **argv)
{
	struct export_opts o = {
		.format = "kcidb", .origin = "mhpbench", .root = "results"};
	int e = parse(argc, argv, &o);
	char dir[4096], err[1024];
	enum mhp_exit ret;
	struct ana_run r;

	if (e)
		return e == 1 ? EXIT_OK : EXIT_USAGE;
	e = store_find_run(o.root, argv[optind], dir, sizeof(dir));
	if (e) {
		fprintf(stderr, "mhpbench export: no run %s: %s\n",
			argv[optind], strerror(-e));
		return EXIT_BADINPUT;
	}
	memset(&r, 0, sizeof(r));
	if (ana_load_run(dir, &r, err, sizeof(err))) {
		fprintf(stderr, "mhpbench export: %s\n", err);
		ana_free_run(&r);
		return EXIT_BADINPUT;
	}
	/* KCIDB has no "incomplete": a run that stopped would read as a
	 * complete set of results. */
	if (strcmp(r.status, "complete")) {
		const char *why = json_string_value(
			json_object_get(r.manifest, "reason"));

		fprintf(stderr,
			"mhpbench export: %s: the run is %s%s%s%s: not "
			"exported\n",
			r.dir, r.status, why ? " (" : "", why ? why : "",
			why ? ")" : "");
		ana_free_run(&r);
		return EXIT_BADINPUT;
	}
	ret = export_run(&o, &r);
	ana_free_run(&r);
	return ret;
}
