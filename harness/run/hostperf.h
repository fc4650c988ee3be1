/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Counting on the host with perf_event_open: one event on a set of
 * threads of another process (pid = tid, cpu = -1), summed; the threads
 * of a process; a libpfm4 event string as a perf_event_attr. Used for the
 * host_cost view (run/hostcost.h; README, "The host's cost of a phase"). */
#ifndef MHP_HOSTPERF_H
#define MHP_HOSTPERF_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <sys/types.h>

#define HOSTPERF_MAX_THREADS 128

/* One event on each of n threads: fd[i] counts thread i. */
struct hostperf_counter {
	int n;
	int fd[HOSTPERF_MAX_THREADS];
};

/* A software event (PERF_COUNT_SW_*) counting user and kernel time; with
 * @inherit, threads the counted thread creates later count into it too. */
void hostperf_sw_attr(struct perf_event_attr *a, unsigned long long config,
		      int inherit);

/* libpfm4's encoding of @event ("cycles:mg" = perf's cycles:G) into @a.
 * 0, or libpfm4's error code with its words in @why. */
int hostperf_encode(const char *event, struct perf_event_attr *a, char *why,
		    size_t len);

/* Opens @a on each of @tids, counting from now. 0, or -errno of the first
 * open that failed (the others closed again) with the thread and the
 * system's words in @why. */
int hostperf_open(struct hostperf_counter *c, const struct perf_event_attr *a,
		  const pid_t *tids, int n, char *why, size_t len);

/* The sum over the threads (a thread that has exited keeps its last
 * count), scaled by time enabled / time running when the kernel
 * multiplexed the event (then *@scaled is 1). 0 or -errno. */
int hostperf_read(const struct hostperf_counter *c, double *value, int *scaled);

void hostperf_close(struct hostperf_counter *c);

/* The thread ids of process @pid (/proc/PID/task), at most @max, in
 * ascending order. 0 or -errno. */
int hostperf_threads(pid_t pid, pid_t *tids, int max, int *n);

#endif
