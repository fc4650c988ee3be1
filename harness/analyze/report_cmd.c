// SPDX-License-Identifier: GPL-2.0-or-later
/* `mhpbench report`: finds a run directory, reads its timing from the
 * manifest and its cells from samples.csv, and prints the summary tables. */
#include "analyze/report_cmd.h"

#include "results/deepreport.h"
#include "results/memmapcount.h"
#include "results/report.h"
#include "results/sidebyside.h"
#include "results/store.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <string.h>

/* Timing comes from the manifest; cells from samples.csv. */
static int read_timing(const char *dir, struct report_timing *tm)
{
	char path[4200];
	json_t *m, *t;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	m = json_load_file(path, 0, NULL);
	if (!m)
		return -ENOENT;
	t = json_object_get(m, "timing");
	tm->wall_ns = json_integer_value(json_object_get(t, "wall_ns"));
	tm->boot_ns = json_integer_value(json_object_get(t, "boot_ns"));
	tm->phase_ns = json_integer_value(json_object_get(t, "phase_ns"));
	tm->inject_online_delay_us = report_injected_delay_us(m, 1);
	tm->pmu_note = deepreport_pmu_note(m);
	tm->params_note = sidebyside_params_note(m);
	tm->memmap_note = memmapcount_note(m);
	printf("run %s (%s)\n",
	       json_string_value(json_object_get(m, "run_id")) ?: dir,
	       json_string_value(json_object_get(m, "status")) ?: "?");
	json_decref(m);
	return 0;
}

enum mhp_exit report_cmd(int argc, char **argv, void (*usage)(FILE *f))
{
	static const struct option opts[] = {
		{"results", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	const char *root = "results";
	struct report_timing tm = {0};
	struct sample_table t;
	char dir[4096], path[4200];
	int c, line, ret;
	json_t *sum;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'r')
			root = optarg;
		else {
			usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? EXIT_OK : EXIT_USAGE;
		}
	}
	ret = store_find_run(root, optind < argc ? argv[optind] : NULL, dir,
			     sizeof(dir));
	if (ret) {
		fprintf(stderr, "mhpbench report: no run %s: %s\n",
			optind < argc ? argv[optind] : "latest",
			strerror(-ret));
		return EXIT_USAGE;
	}
	read_timing(dir, &tm);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	ret = samples_load(path, &t, &line);
	if (ret) {
		fprintf(stderr, "mhpbench report: %s:%d: %s\n", path, line,
			ret == -EPROTO ? "malformed row" : strerror(-ret));
		return EXIT_USAGE;
	}
	sum = report_summary(&t, &tm);
	report_print(stdout, sum);
	json_decref(sum);
	json_decref(tm.pmu_note);
	json_decref(tm.params_note);
	json_decref(tm.memmap_note);
	samples_free(&t);
	return EXIT_OK;
}
