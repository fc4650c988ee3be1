/* mhpbench: command line. Only main() exits; subcommands return codes
 * from err.h. */
#include "results/deepreport.h"
#include "results/sidebyside.h"
#include "analyze/compare_cmd.h"
#include "base/err.h"
#include "analyze/gate_cmd.h"
#include "analyze/history.h"
#include "analyze/history_cmd.h"
#include "analyze/plot.h"
#include "config/job.h"
#include "results/report.h"
#include "run/runner.h"
#include "base/sig.h"
#include "results/store.h"
#include "base/version.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: mhpbench <command> [options]\n"
	"\n"
	"Memory hotplug benchmark: boots a guest kernel in QEMU and times\n"
	"hot-add, online, offline and remove of pc-dimm memory with the "
	"memmap\n"
	"from RAM (memmap_on_memory=0) and self-hosted (=1).\n"
	"\n"
	"commands:\n"
	"  run [options] JOB    run a job file (bench/quick.job, ...)\n"
	"      --parse-only     validate JOB, print the effective job, exit\n"
	"      --results DIR    where run directories go (default: results)\n"
	"      --kernel PATH    guest bzImage (default: the job's `kernel`;\n"
	"                       also taken from $KERNEL)\n"
	"  report [RUN]         print the tables of a run directory or run id\n"
	"      --results DIR    where to look for run ids (default: results)\n"
	"  compare [opts] RUN_A [RUN_B]\n"
	"                       A/B table (80 columns, csv, json, markdown);\n"
	"                       one RUN: --a memmap=ram --b memmap=self\n"
	"  gate --baseline RUN|history --candidate RUN [opts]\n"
	"                       regression verdicts, gate.json, JUnit XML\n"
	"  history [opts]       --append RUN, --list, or per-night medians\n"
	"                       with change points (results/history.db)\n"
	"  plot [opts] [RUN]    gnuplot PNG/SVG/ASCII plots into RUN/plots\n"
	"  help [job]           this text, or every job option\n"
	"\n"
	"options: -h/--help, -V/--version\n"
	"\n"
	"exit codes: 0 ok, 1 measurement failed, 2 bad command line or job,\n"
	"  3 missing QEMU/kernel/initramfs, 4 guest never said hello,\n"
	"  5 QEMU refused a QMP command, 6 guest or QEMU hung or died\n"
	"  mid-run, 7 interrupted (SIGINT/SIGTERM; a second one stops at\n"
	"  once), 8 results could not be written;\n"
	"  analysis commands: 9 gate inconclusive, 10 corrupt, foreign,\n"
	"  missing or mismatched results or history.\n"
	"See man/mhpbench.1 and README.md.\n";

static int usage(FILE *f, int code)
{
	fputs(usage_text, f);
	return code;
}

static int load_job(struct job *job, const char *path)
{
	struct job_error e;
	int ret = job_load(job, path, &e);

	if (!ret)
		return 0;
	if (e.line > 0)
		fprintf(stderr, "%s:%d: %s\n", path, e.line, e.msg);
	else
		fprintf(stderr, "%s: %s\n", path, e.msg);
	return EXIT_USAGE;
}

static int fail(void)
{
	fprintf(stderr, "mhpbench: error: %s\n", err_msg());
	return err_class() ? (int)err_class() : EXIT_FAIL;
}

/* Every run, complete or not, goes into <results>/history.db, the nightly
 * gate's baseline. A history that cannot be written costs a warning, not
 * the run: its samples are already safe in the run directory. */
static void append_history(const char *root, const char *run_dir)
{
	char db[2200], why[512];

	snprintf(db, sizeof(db), "%s/history.db", root);
	if (history_append_run(db, run_dir, why, sizeof(why)))
		warn_add("not added to %s: %s", db, why);
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"parse-only", no_argument, NULL, 'p'},
		{"results", required_argument, NULL, 'r'},
		{"kernel", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	struct runner_opts ro = {
		.results_root = "results",
		.argc = argc,
		.argv = argv,
		.finished = append_history};
	int parse_only = 0, c, ret;
	struct job *job;

	ro.kernel = getenv("KERNEL");
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			parse_only = 1;
			break;
		case 'r':
			ro.results_root = optarg;
			break;
		case 'k':
			ro.kernel = optarg;
			break;
		case 'h':
			return usage(stdout, EXIT_OK);
		default:
			return usage(stderr, EXIT_USAGE);
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "mhpbench run: expected one job file\n");
		return usage(stderr, EXIT_USAGE);
	}
	job = calloc(1, sizeof(*job));
	if (!job)
		return EXIT_FAIL;
	ret = load_job(job, argv[optind]);
	if (!ret && parse_only) {
		printf("# %s: OK\n", argv[optind]);
		job_dump(job, stdout);
	} else if (!ret) {
		sig_install();
		ret = runner_run(job, &ro) ? fail() : EXIT_OK;
	}
	free(job);
	return ret;
}

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
	tm->inject_online_delay_ms = json_integer_value(json_object_get(
		json_object_get(m, "injected"), "online_delay_ms"));
	tm->pmu_note = deepreport_pmu_note(m);
	tm->params_note = sidebyside_params_note(m);
	printf("run %s (%s)\n",
	       json_string_value(json_object_get(m, "run_id")) ?: dir,
	       json_string_value(json_object_get(m, "status")) ?: "?");
	json_decref(m);
	return 0;
}

static int cmd_report(int argc, char **argv)
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
		else
			return usage(c == 'h' ? stdout : stderr,
				     c == 'h' ? EXIT_OK : EXIT_USAGE);
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
	samples_free(&t);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd)
		return usage(stderr, EXIT_USAGE);
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		return usage(stdout, EXIT_OK);
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("mhpbench %s (%s)\n", MHP_VERSION, version_git_rev());
		return EXIT_OK;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return compare_cmd(argc - 1, argv + 1);
	if (!strcmp(cmd, "gate"))
		return gate_cmd(argc - 1, argv + 1);
	if (!strcmp(cmd, "history"))
		return history_cmd(argc - 1, argv + 1);
	if (!strcmp(cmd, "plot"))
		return plot_cmd(argc - 1, argv + 1);
	if (!strcmp(cmd, "help")) {
		if (argc > 2 && !strcmp(argv[2], "job")) {
			job_help(stdout);
			return EXIT_OK;
		}
		return usage(stdout, EXIT_OK);
	}
	fprintf(stderr, "mhpbench: unknown command '%s'\n", cmd);
	return usage(stderr, EXIT_USAGE);
}
