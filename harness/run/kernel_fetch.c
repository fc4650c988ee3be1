// SPDX-License-Identifier: GPL-2.0-or-later
/* Fetching Debian kernel series (kernel_fetch.h): guest-images' make runs
 * once per series, its output passed through to stderr as it comes (a
 * first fetch downloads about 110 MB), and apt's error lines are kept for
 * the error a failed fetch ends the run with. */
#include "run/kernel_fetch.h"
#include "base/err.h"
#include "base/sig.h"
#include "config/kernels.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEEP_MAX 1024
#define LINE_MAX_LEN 4096

struct fetch_out {
	char keep[KEEP_MAX]; /* apt's first error: the others repeat it */
	char last[512];	     /* the last line, for a failure without them */
	char line[LINE_MAX_LEN];
	size_t len;
};

/* The make rule prefixes apt's lines with "apt: " (debian-series.mk);
 * apt-get download's own failures say "E: ". */
static void take_line(struct fetch_out *o)
{
	const char *l = o->line;
	int used = o->keep[0] != '\0';

	o->line[o->len] = '\0';
	fprintf(stderr, "%s\n", l);
	if (!strncmp(l, "apt: ", 5))
		l += 5;
	if (!strncmp(l, "E: ", 3) && !used)
		snprintf(o->keep, sizeof(o->keep), "%.1000s", l);
	if (*o->line)
		snprintf(o->last, sizeof(o->last), "%.511s", o->line);
	o->len = 0;
}

static void take_bytes(struct fetch_out *o, const char *buf, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			take_line(o);
			continue;
		}
		if (o->len < sizeof(o->line) - 1)
			o->line[o->len++] = buf[i];
	}
}

/* make's stdout and stderr both go to *@fd. Our caller's make (make run)
 * must not leak its flags and jobserver into this one. */
static int spawn_make(const char *dir, const char *series, int *fd, pid_t *pid)
{
	char arg[32];
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	*pid = fork();
	if (*pid < 0) {
		int e = errno;

		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (!*pid) {
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		for (const char *const *v =
			     (const char *const[]){"MAKEFLAGS", "MFLAGS",
						   "MAKELEVEL", "MAKEOVERRIDES",
						   "KDIR", "KERNEL_ABI", NULL};
		     *v; v++)
			unsetenv(*v);
		snprintf(arg, sizeof(arg), "SERIES=%s", series);
		execlp("make", "make", "-s", "--no-print-directory", "-C", dir,
		       "debian-series", arg, (char *)NULL);
		dprintf(STDERR_FILENO, "cannot run make: %s\n",
			strerror(errno));
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	return 0;
}

/* Reads until EOF; a signal stops make, and the reading goes on to EOF. */
static int drain(int fd, pid_t pid, struct fetch_out *o)
{
	char buf[4096];
	int stopped = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			take_bytes(o, buf, n);
			continue;
		}
		if (!n)
			break;
		if (errno != EINTR)
			return -errno;
		if (sig_pending() && !stopped) {
			kill(pid, SIGTERM);
			stopped = 1;
		}
	}
	if (o->len)
		take_line(o);
	return stopped;
}

static int fetch_one(const char *data, const char *series, const char *label)
{
	struct fetch_out o = {0};
	char dir[2048 + 16], how[64];
	int fd = -1, st = 0, stopped, ret;
	pid_t pid = -1;

	snprintf(dir, sizeof(dir), "%s/guest-images", data);
	ret = spawn_make(dir, series, &fd, &pid);
	if (ret) {
		err_set(EXIT_ENV, "cannot start make for debian-%s: %s", series,
			strerror(-ret));
		return ret;
	}
	stopped = drain(fd, pid, &o);
	close(fd);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (stopped > 0 || sig_pending()) {
		err_set(EXIT_INTR,
			"interrupted by %s while fetching Debian kernel "
			"series %s",
			sig_name(sig_pending()), series);
		return -EINTR;
	}
	if (stopped == 0 && WIFEXITED(st) && !WEXITSTATUS(st))
		return 0;
	if (WIFEXITED(st))
		snprintf(how, sizeof(how), "exited %d", WEXITSTATUS(st));
	else
		snprintf(how, sizeof(how), "died of signal %d",
			 WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	err_set(EXIT_ENV,
		"kernel %s%sdebian-%s: cannot fetch Debian kernel series "
		"%s: %s (`make -C %s debian-series SERIES=%s` %s)",
		label, *label ? ": " : "", series, series,
		o.keep[0]   ? o.keep
		: o.last[0] ? o.last
			    : "no output",
		dir, series, how);
	return -ENOENT;
}

/* Whether an earlier spec of @specs already named @series. */
static int seen_before(const char *const *specs, int i, const char *series)
{
	char s[KERNELS_SERIES_MAX], why[8];

	for (int j = 0; j < i; j++)
		if (kernels_debian_series(specs[j], s, sizeof(s), why,
					  sizeof(why)) == 1 &&
		    !strcmp(s, series))
			return 1;
	return 0;
}

int kernel_fetch_all(const struct job *job, const char *cli, const char *data)
{
	const char *specs[JOB_MAX_KERNELS], *labels[JOB_MAX_KERNELS];
	char series[KERNELS_SERIES_MAX], why[256];
	int n = 0, ret;

	if (job->nkernels && cli && *cli)
		return 0;
	if (!job->nkernels) {
		specs[n] = cli && *cli ? cli : job->kernel;
		labels[n++] = "";
	}
	for (int i = 0; i < job->nkernels; i++) {
		specs[n] = job->kernels[i].image;
		labels[n++] = job->kernels[i].label;
	}
	for (int i = 0; i < n; i++) {
		if (kernels_debian_series(specs[i], series, sizeof(series), why,
					  sizeof(why)) != 1 ||
		    seen_before(specs, i, series))
			continue;
		ret = fetch_one(data, series, labels[i]);
		if (ret)
			return ret;
	}
	return 0;
}
