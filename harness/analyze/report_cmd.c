// SPDX-License-Identifier: GPL-2.0-or-later
/* `mhpbench report`: finds a run directory, reads its timing from the
 * manifest and its cells from samples.csv, and prints the summary tables;
 * with --html, writes them, the provenance, the gate's verdicts, the plots
 * and the trend as one HTML page (report_html.h). */
#include "analyze/report_cmd.h"

#include "analyze/analysis.h"
#include "analyze/history.h"
#include "analyze/plot.h"
#include "analyze/report_html.h"
#include "results/deepreport.h"
#include "results/memmapcount.h"
#include "results/report.h"
#include "results/sidebyside.h"
#include "results/store.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Timing and the notes of the tables, from the manifest @m. */
static void timing_of(const json_t *m, struct report_timing *tm)
{
	const json_t *t = json_object_get(m, "timing");

	tm->wall_ns = json_integer_value(json_object_get(t, "wall_ns"));
	tm->boot_ns = json_integer_value(json_object_get(t, "boot_ns"));
	tm->phase_ns = json_integer_value(json_object_get(t, "phase_ns"));
	tm->inject_online_delay_us = report_injected_delay_us(m, 1);
	tm->pmu_note = deepreport_pmu_note(m);
	tm->params_note = sidebyside_params_note(m);
	tm->memmap_note = memmapcount_note(m);
}

static void timing_free(struct report_timing *tm)
{
	json_decref(tm->pmu_note);
	json_decref(tm->params_note);
	json_decref(tm->memmap_note);
}

/* Timing comes from the manifest; cells from samples.csv. */
static int read_timing(const char *dir, struct report_timing *tm)
{
	char path[4200];
	json_t *m;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	m = json_load_file(path, 0, NULL);
	if (!m)
		return -ENOENT;
	timing_of(m, tm);
	printf("run %s (%s)\n",
	       json_string_value(json_object_get(m, "run_id")) ?: dir,
	       json_string_value(json_object_get(m, "status")) ?: "?");
	json_decref(m);
	return 0;
}

struct report_opts {
	const char *root, *out, *gate, *history;
	int html;
};

/* Removes the plot directory @dir and the files in it (plot_make writes
 * no subdirectories). */
static void rm_plots(const char *dir)
{
	char path[4700];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The gate result: @path, or RUN/gate.json when there is one (what
 * `mhpbench gate` writes, and scripts/nightly.sh runs). 0 with NULL when
 * there is none; -1 when it cannot be read or is about another run (said
 * why). */
static int html_gate(const char *path, const struct ana_run *r, json_t **g,
		     char *used, size_t len)
{
	json_error_t je;
	const char *cand;

	*g = NULL;
	snprintf(used, len, "%s/gate.json", r->dir);
	if (!path && access(used, F_OK))
		return 0;
	if (path)
		snprintf(used, len, "%s", path);
	*g = json_load_file(used, 0, &je);
	if (!*g || !json_object_get(*g, "rows")) {
		fprintf(stderr, "mhpbench report: %s:%d: %s\n", used, je.line,
			*g ? "not a gate result (no rows)" : je.text);
		json_decref(*g);
		*g = NULL;
		return -1;
	}
	cand = json_string_value(
		json_object_get(json_object_get(*g, "candidate"), "run_id"));
	if (!cand || strcmp(cand, r->run_id)) {
		fprintf(stderr,
			"mhpbench report: %s is about run '%s', not %s\n", used,
			cand ? cand : "?", r->run_id);
		json_decref(*g);
		*g = NULL;
		return -1;
	}
	return 0;
}

/* The page, through a temporary file and rename() when @path is given. */
static int html_out(const char *path, const struct html_report *h)
{
	char tmp[4300];
	FILE *f;
	int e;

	if (!path)
		return html_report_write(stdout, h) || fflush(stdout) ? -EIO
								      : 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	e = html_report_write(f, h);
	if (fclose(f) && !e)
		e = -EIO;
	if (!e && rename(tmp, path))
		e = -errno;
	if (e)
		unlink(tmp);
	return e;
}

/* `mhpbench report --html`: the run, its plots made into a temporary
 * directory (the run directory is left as it is), the page. */
static enum mhp_exit report_html(const struct report_opts *o, const char *dir)
{
	static const char *const svg[] = {"svg"};
	struct html_report h = {0};
	struct report_timing tm = {0};
	struct plot_result pr;
	char err[1024], gpath[4200], db[4200], tmpd[4200], *text = NULL;
	const char *tmpdir = getenv("TMPDIR");
	enum mhp_exit ret = EXIT_OK;
	struct ana_run r;
	struct stat st;
	size_t tlen = 0;
	json_t *sum, *gate = NULL;
	FILE *tf;
	int e;

	memset(&r, 0, sizeof(r));
	if (ana_load_run(dir, &r, err, sizeof(err))) {
		fprintf(stderr, "mhpbench report: %s\n", err);
		ana_free_run(&r);
		return EXIT_BADINPUT;
	}
	if (html_gate(o->gate, &r, &gate, gpath, sizeof(gpath))) {
		ana_free_run(&r);
		return EXIT_BADINPUT;
	}
	timing_of(r.manifest, &tm);
	sum = report_summary(&r.t, &tm);
	tf = open_memstream(&text, &tlen);
	if (tf) {
		report_print(tf, sum);
		fclose(tf);
	}
	/* The history: --history, else $MHPBENCH_HISTORY, else
	 * RESULTS/history.db if it exists (README, "A lab of many hosts"). */
	h.history = history_location(o->history, o->root, db, sizeof(db));
	if (!history_is_pg(h.history) && stat(h.history, &st))
		h.history = NULL;
	snprintf(tmpd, sizeof(tmpd), "%s/mhpbench-report-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmpd)) {
		fprintf(stderr, "mhpbench report: cannot create %s: %s\n", tmpd,
			strerror(errno));
		ret = EXIT_IO;
		goto out;
	}
	e = plot_make(&r, h.history ? h.history : db, tmpd, svg, 1, NULL, &pr);
	h.run = &r;
	h.summary = sum;
	h.text = text;
	h.gate = gate;
	h.gate_path = gpath;
	h.plot_dir = tmpd;
	h.plots = e ? NULL : &pr;
	h.plots_missing = e == -ENOENT ? "gnuplot not found (install "
					 "gnuplot-nox)"
			  : e	       ? "gnuplot failed (see stderr)"
				       : NULL;
	if (e)
		fprintf(stderr, "mhpbench report: warning: no plots: %s\n",
			h.plots_missing);
	e = html_out(o->out, &h);
	if (e) {
		fprintf(stderr, "mhpbench report: cannot write %s: %s\n",
			o->out ? o->out : "stdout", strerror(-e));
		ret = EXIT_IO;
	}
	rm_plots(tmpd);
out:
	free(text);
	json_decref(gate);
	json_decref(sum);
	timing_free(&tm);
	ana_free_run(&r);
	return ret;
}

enum mhp_exit report_cmd(int argc, char **argv, void (*usage)(FILE *f))
{
	static const struct option opts[] = {
		{"results", required_argument, NULL, 'r'},
		{"html", no_argument, NULL, 'H'},
		{"output", required_argument, NULL, 'o'},
		{"gate", required_argument, NULL, 'g'},
		{"history", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	struct report_opts o = {.root = "results"};
	struct report_timing tm = {0};
	struct sample_table t;
	char dir[4096], path[4200];
	int c, line, ret;
	json_t *sum;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+ho:", opts, NULL)) != -1) {
		if (c == 'r')
			o.root = optarg;
		else if (c == 'H')
			o.html = 1;
		else if (c == 'o')
			o.out = optarg;
		else if (c == 'g')
			o.gate = optarg;
		else if (c == 'd')
			o.history = optarg;
		else {
			usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? EXIT_OK : EXIT_USAGE;
		}
	}
	if (!o.html && (o.out || o.gate || o.history)) {
		fprintf(stderr, "mhpbench report: -o, --gate and --history go "
				"with --html\n");
		return EXIT_USAGE;
	}
	if (argc - optind > 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	ret = store_find_run(o.root, optind < argc ? argv[optind] : NULL, dir,
			     sizeof(dir));
	if (ret) {
		fprintf(stderr, "mhpbench report: no run %s: %s\n",
			optind < argc ? argv[optind] : "latest",
			strerror(-ret));
		/* The text report has always said 2 here; the page is an
		 * analysis command's, 10 (README, "Exit codes"). */
		return o.html ? EXIT_BADINPUT : EXIT_USAGE;
	}
	if (o.html)
		return report_html(&o, dir);
	read_timing(dir, &tm);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	ret = samples_load(path, &t, &line);
	if (ret) {
		fprintf(stderr, "mhpbench report: %s:%d: %s\n", path, line,
			ret == -EPROTO ? "malformed row" : strerror(-ret));
		timing_free(&tm);
		return EXIT_USAGE;
	}
	sum = report_summary(&t, &tm);
	report_print(stdout, sum);
	json_decref(sum);
	timing_free(&tm);
	samples_free(&t);
	return EXIT_OK;
}
