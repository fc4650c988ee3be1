// SPDX-License-Identifier: GPL-2.0-or-later
/* mhpbench: command line. Only main() exits; subcommands return codes
 * from err.h. */
#include "results/metric.h"
#include "analyze/compare_cmd.h"
#include "analyze/export_cmd.h"
#include "analyze/gate_cmd.h"
#include "analyze/history.h"
#include "analyze/history_cmd.h"
#include "analyze/plot.h"
#include "analyze/report_cmd.h"
#include "base/err.h"
#include "base/sig.h"
#include "base/version.h"
#include "config/job.h"
#include "run/runner.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The command table: each command's lines of `mhpbench --help`, as
 * printed (man/mhpbench.1 says the same). */
struct command {
	const char *name;
	enum mhp_exit (*fn)(int argc, char **argv);
	const char *help;
};

static const char usage_head[] =
	"usage: mhpbench <command> [options]\n"
	"\n"
	"Memory hotplug benchmark: boots a guest kernel in QEMU and times\n"
	"hot-add, online, offline and remove of pc-dimm memory with the "
	"memmap\n"
	"from RAM (memmap_on_memory=0) and self-hosted (=1).\n"
	"\n"
	"commands:\n";

static const char usage_tail[] =
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

static void print_usage(FILE *f);

static enum mhp_exit usage(FILE *f, enum mhp_exit code)
{
	print_usage(f);
	return code;
}

static enum mhp_exit load_job(struct job *job, const char *path)
{
	struct job_error e;
	int ret = job_load(job, path, &e);

	if (!ret)
		return EXIT_OK;
	if (e.line > 0)
		fprintf(stderr, "%s:%d: %s\n", path, e.line, e.msg);
	else
		fprintf(stderr, "%s: %s\n", path, e.msg);
	return EXIT_USAGE;
}

static enum mhp_exit fail(void)
{
	fprintf(stderr, "mhpbench: error: %s\n", err_msg());
	return err_class() ? err_class() : EXIT_FAIL;
}

/* `run --history LOCATION`, else $MHPBENCH_HISTORY, else
 * <results>/history.db. */
static const char *history_opt;

/* Every run, complete or not, goes into the history, the nightly gate's
 * baseline. A history that cannot be written (a server down) costs a
 * warning, not the run: its samples are already safe in the run
 * directory, and `mhpbench history --append` stores it later. */
static void append_history(const char *root, const char *run_dir)
{
	char db[2200], why[1024];
	const char *loc = history_location(history_opt, root, db, sizeof(db));

	/* @why names the history (without its password) */
	if (history_append_run(loc, run_dir, why, sizeof(why)))
		warn_add("not added to the history: %s (append it later with "
			 "`mhpbench history --append %s`)",
			 why, run_dir);
}

/* @argv for the manifest: a --history location without its password
 * (the manifest is evidence that travels, into the history too). */
static char **argv_shown(int argc, char **argv, char *buf, size_t len)
{
	char **v = calloc(argc + 1, sizeof(*v));
	int i;

	for (i = 0; v && i < argc; i++) {
		v[i] = argv[i];
		if (!history_opt)
			continue;
		if (argv[i] == history_opt) {
			history_shown(argv[i], buf, len);
			v[i] = buf;
		} else if (!strncmp(argv[i], "--history=", 10)) {
			memcpy(buf, "--history=", 10);
			history_shown(argv[i] + 10, buf + 10, len - 10);
			v[i] = buf;
		}
	}
	return v;
}

static enum mhp_exit cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"parse-only", no_argument, NULL, 'p'},
		{"results", required_argument, NULL, 'r'},
		{"kernel", required_argument, NULL, 'k'},
		{"history", required_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	struct runner_opts ro = {.results_root = "results",
				 .argc = argc,
				 .argv = argv,
				 .finished = append_history};
	int parse_only = 0, c;
	enum mhp_exit ret;
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
		case 'H':
			history_opt = optarg;
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
		char shown[1024];
		char **v = argv_shown(argc, argv, shown, sizeof(shown));

		ro.argv = v ? v : argv;
		sig_install();
		ret = runner_run(job, &ro) ? fail() : EXIT_OK;
		free(v);
	}
	free(job);
	return ret;
}

static enum mhp_exit cmd_report(int argc, char **argv)
{
	return report_cmd(argc, argv, print_usage);
}

static enum mhp_exit cmd_help(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "job")) {
		job_help(stdout);
		return EXIT_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "metrics")) {
		metric_help(stdout);
		return EXIT_OK;
	}
	return usage(stdout, EXIT_OK);
}

static const struct command commands[] = {
	{"run", cmd_run,
	 "  run [options] JOB    run a job file (bench/quick.job, ...)\n"
	 "      --parse-only     validate JOB, print the effective job, exit\n"
	 "      --results DIR    where run directories go (default: results)\n"
	 "      --kernel PATH    guest bzImage, debian or debian-MAJOR.MINOR\n"
	 "                       (default: the job's `kernel`; also taken\n"
	 "                       from $KERNEL)\n"
	 "      --history LOC    where the run is appended: a SQLite file\n"
	 "                       or postgresql:// URI (default:\n"
	 "                       $MHPBENCH_HISTORY, else "
	 "RESULTS/history.db)\n"},
	{"report", cmd_report,
	 "  report [RUN]         print the tables of a run directory or run "
	 "id\n"
	 "      --results DIR    where to look for run ids (default: "
	 "results)\n"
	 "      --html           one self-contained HTML page instead:\n"
	 "                       provenance, tables, gate verdicts, plots\n"
	 "                       (inline SVG), trend\n"
	 "      -o FILE          write the page there (default: stdout)\n"
	 "      --gate FILE      gate.json to show (default: RUN/gate.json)\n"
	 "      --history LOC    history for the trend (default:\n"
	 "                       $MHPBENCH_HISTORY, else\n"
	 "                       RESULTS/history.db if it exists)\n"},
	{"compare", compare_cmd,
	 "  compare [opts] RUN_A [RUN_B]\n"
	 "                       A/B table (80 columns, csv, json, markdown);\n"
	 "                       one RUN: --a memmap=ram --b memmap=self\n"},
	{"gate", gate_cmd,
	 "  gate --baseline RUN|history --candidate RUN [opts]\n"
	 "                       regression verdicts, gate.json, JUnit XML\n"},
	{"history", history_cmd,
	 "  history [opts]       --append RUN, --list, --import OLD.db, or\n"
	 "                       per-night medians with change points\n"
	 "                       (--history LOC: results/history.db or a\n"
	 "                       postgresql:// URI; $MHPBENCH_HISTORY)\n"},
	{"plot", plot_cmd,
	 "  plot [opts] [RUN]    gnuplot PNG/SVG/ASCII plots into RUN/plots\n"},
	{"export", export_cmd,
	 "  export --format kcidb [opts] RUN\n"
	 "                       KernelCI KCIDB JSON (v5.3): kernels as\n"
	 "                       builds, cell medians and gate verdicts as\n"
	 "                       tests; --origin NAME, --gate FILE, -o FILE\n"},
	{"help", cmd_help,
	 "  help [job|metrics]   this text, every job option, or every "
	 "metric\n"},
	{0}};

static void print_usage(FILE *f)
{
	const struct command *c;

	fputs(usage_head, f);
	for (c = commands; c->name; c++)
		fputs(c->help, f);
	fputs(usage_tail, f);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	const struct command *c;

	if (!cmd)
		return usage(stderr, EXIT_USAGE);
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		return usage(stdout, EXIT_OK);
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("mhpbench %s (%s)\n", MHP_VERSION, version_git_rev());
		return EXIT_OK;
	}
	for (c = commands; c->name; c++)
		if (!strcmp(cmd, c->name))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "mhpbench: unknown command '%s'\n", cmd);
	return usage(stderr, EXIT_USAGE);
}
