// SPDX-License-Identifier: GPL-2.0-or-later
/* perf_event_open on another process's threads (hostperf.h). */
#include "run/hostperf.h"

#include <dirent.h>
#include <errno.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void hostperf_sw_attr(struct perf_event_attr *a, unsigned long long config,
		      int inherit)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = PERF_TYPE_SOFTWARE;
	a->config = config;
	a->inherit = inherit ? 1 : 0;
}

int hostperf_encode(const char *event, struct perf_event_attr *a, char *why,
		    size_t len)
{
	pfm_perf_encode_arg_t arg;
	int r = pfm_initialize();

	memset(a, 0, sizeof(*a));
	memset(&arg, 0, sizeof(arg));
	arg.attr = a;
	arg.size = sizeof(arg);
	if (r == PFM_SUCCESS)
		r = pfm_get_os_event_encoding(event, PFM_PLM0 | PFM_PLM3,
					      PFM_OS_PERF_EVENT_EXT, &arg);
	if (r != PFM_SUCCESS) {
		snprintf(why, len, "libpfm4 cannot encode %s: %s", event,
			 pfm_strerror(r));
		return r;
	}
	a->size = sizeof(*a);
	return 0;
}

static int perf_open(struct perf_event_attr *a, pid_t tid)
{
	return (int)syscall(SYS_perf_event_open, a, tid, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

int hostperf_open(struct hostperf_counter *c, const struct perf_event_attr *a,
		  const pid_t *tids, int n, char *why, size_t len)
{
	struct perf_event_attr at = *a;

	/* Enabled from the open on; the deltas between two reads are what
	 * a phase costs, so the window itself costs one read per thread. */
	at.disabled = 0;
	at.read_format =
		PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	c->n = 0;
	if (n > HOSTPERF_MAX_THREADS) {
		snprintf(why, len, "%d threads, more than the %d counted", n,
			 HOSTPERF_MAX_THREADS);
		return -E2BIG;
	}
	for (int i = 0; i < n; i++) {
		int fd = perf_open(&at, tids[i]);

		if (fd < 0) {
			int e = errno;

			snprintf(why, len, "perf_event_open on thread %d: %s",
				 (int)tids[i], strerror(e));
			hostperf_close(c);
			return -e;
		}
		c->fd[c->n++] = fd;
	}
	return 0;
}

int hostperf_read(const struct hostperf_counter *c, double *value, int *scaled)
{
	*value = 0;
	*scaled = 0;
	for (int i = 0; i < c->n; i++) {
		uint64_t v[3]; /* value, time enabled, time running */
		ssize_t got = read(c->fd[i], v, sizeof(v));

		if (got < 0)
			return -errno;
		if (got != (ssize_t)sizeof(v))
			return -EIO;
		if (v[2] && v[2] < v[1]) {
			*value += (double)v[0] * (double)v[1] / (double)v[2];
			*scaled = 1;
		} else {
			*value += (double)v[0];
		}
	}
	return 0;
}

void hostperf_close(struct hostperf_counter *c)
{
	for (int i = 0; i < c->n; i++)
		close(c->fd[i]);
	c->n = 0;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

int hostperf_threads(pid_t pid, pid_t *tids, int max, int *n)
{
	char path[64];
	struct dirent *e;
	DIR *d;

	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char *end;
		long t = strtol(e->d_name, &end, 10);

		if (*end || end == e->d_name)
			continue; /* "." and ".." */
		if (*n == max) {
			closedir(d);
			return -E2BIG;
		}
		tids[(*n)++] = (pid_t)t;
	}
	closedir(d);
	qsort(tids, (size_t)*n, sizeof(*tids), cmp_pid);
	return 0;
}
