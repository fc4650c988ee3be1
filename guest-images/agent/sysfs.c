// SPDX-License-Identifier: GPL-2.0-or-later
#include "sysfs.h"
#include "uevent.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarm_fired;
static timer_t state_timer;
static int timer_ready;

static void on_alarm(int sig)
{
	(void)sig;
	alarm_fired = 1;
}

int sysfs_read(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int fd, err = 0;

	if (!size)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (err)
		return err;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	return (int)len;
}

int sysfs_timer_init(void)
{
	struct sigaction sa;
	struct sigevent sev;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a write(2) to memoryN/state stuck in offline_pages()
	 * must come back with EINTR at the deadline, not be restarted. */
	sa.sa_flags = 0;
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		return -errno;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	if (timer_create(CLOCK_MONOTONIC, &sev, &state_timer) < 0)
		return -errno;
	timer_ready = 1;
	return 0;
}

static int arm_timer(int64_t ns)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = ns / NS_PER_S;
	its.it_value.tv_nsec = ns % NS_PER_S;
	return timer_settime(state_timer, 0, &its, NULL) < 0 ? -errno : 0;
}

/* Adds memoryN/<attr> to @res as @key: its text, or null if unreadable. */
static void put_attr(json_t *res, const char *key, int block, const char *attr)
{
	char path[128], buf[256];

	snprintf(path, sizeof(path), SYSFS_MEMORY_DIR "/memory%d/%s", block,
		 attr);
	if (sysfs_read(path, buf, sizeof(buf)) < 0)
		json_object_set_new(res, key, json_null());
	else
		json_object_set_new(res, key, proto_string(buf));
}

/* The end of the last hotplug operation this guest saw: a state write
 * (here) or an add or remove (its last memory-block uevent). */
static int64_t last_write_end_ns;

static int64_t last_hotplug_ns(void)
{
	int64_t u = uevent_last_memory_ns();

	return u > last_write_end_ns ? u : last_write_end_ns;
}

/* Waits until @settle_us have passed since the last hotplug operation,
 * then to a fixed phase of the tick, and returns the gap the write then
 * starts after. Whether a write pays
 * for an RCU grace period in mem_hotplug_begin() depends on that gap, so
 * the harness can fix it (job option `settle`) and records it either way
 * (README, "Settle time"). */
static int64_t settle(long long settle_us)
{
	int64_t last = last_hotplug_ns(), until, now = clock_now_ns();

	if (!last)
		return -1;
	until = last + (int64_t)settle_us * 1000;
	if (settle_us > 0 && now < until) {
		struct timespec ts = {(until - now) / NS_PER_S,
				      (until - now) % NS_PER_S};

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		now = clock_now_ns();
	}
	if (settle_us > 0) {
		/* Start at a fixed phase of the scheduler tick: the kernel
		 * aligns its ticks to multiples of the tick period on
		 * CLOCK_MONOTONIC, and 20 ms is a multiple of the period at
		 * HZ 100, 250 and 1000. A write's wait for the grace period
		 * ends on a tick, so its cost depended on where between two
		 * ticks it started (README, "Settle time"). */
		int64_t grid = 20 * 1000000LL, off = 1000000LL;
		int64_t at = (now / grid + 1) * grid + off;
		struct timespec ts = {at / NS_PER_S, at % NS_PER_S};

		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
		now = clock_now_ns();
	}
	return now - last;
}

/* Writes @value to memoryN/state, timing exactly the write(2), plus an
 * injected sleep of @delay_us after it inside the timed window (tests of
 * the analysis need a known slowdown; 0 in real measurements). Before it, at
 * least @settle_us since the last hotplug operation (outside the window). */
static int set_state(int block, const char *value, const char *what,
		     long long delay_us, long long settle_us, json_t *res,
		     int64_t deadline_ns)
{
	int64_t gap;
	char path[128];
	size_t len = strlen(value);
	int64_t left, t0, t1;
	ssize_t n;
	int fd, err, r;

	snprintf(path, sizeof(path), SYSFS_MEMORY_DIR "/memory%d/state", block);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return proto_fail(res, -errno, "open %s: %s", path,
				  strerror(errno));
	left = deadline_ns - clock_now_ns();
	if (left <= 0) {
		close(fd);
		return proto_fail(res, -ETIMEDOUT,
				  "deadline passed before the %s of memory%d "
				  "started",
				  what, block);
	}
	r = timer_ready ? arm_timer(left) : -ENOTSUP;
	if (r < 0) {
		close(fd);
		return proto_fail(res, r, "cannot arm the deadline timer: %s",
				  strerror(-r));
	}
	gap = settle(settle_us);
	alarm_fired = 0;
	t0 = clock_now_ns();
	n = write(fd, value, len);
	err = errno;
	/* The injected sleep comes after the write: before it, it would move
	 * the write against the tick and the grace period that the write
	 * waits for, and a 1.5 ms sleep added 4 ms to one mode's online and
	 * nothing to the other's. After it, the write runs as it would have,
	 * and the window grows by the sleep (plus the timer slack). */
	if (delay_us > 0) {
		struct timespec ts = {delay_us / 1000000,
				      (delay_us % 1000000) * 1000};

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR &&
		       !alarm_fired)
			;
	}
	t1 = clock_now_ns();
	arm_timer(0);
	close(fd);
	last_write_end_ns = t1;

	json_object_set_new(res, "ns", json_integer(t1 - t0));
	if (gap >= 0)
		json_object_set_new(res, "gap_ns", json_integer(gap));
	put_attr(res, "state", block, "state");
	put_attr(res, "zones", block, "valid_zones");
	if (n < 0 && err == EINTR && alarm_fired)
		return proto_fail(res, -ETIMEDOUT,
				  "%s of memory%d interrupted at the request "
				  "deadline, %.3f s into write(2)",
				  what, block, (double)(t1 - t0) / NS_PER_S);
	if (n < 0)
		return proto_fail(res, -err, "%s", strerror(err));
	if ((size_t)n != len)
		return proto_fail(res, -EIO, "short write to %s", path);
	return 0;
}

/* Block argument: a non-negative int naming an existing memoryN. */
static int get_block(const json_t *req, json_t *res, int *block)
{
	char path[128];
	struct stat st;
	long long b = -1;
	int r = proto_get_int(req, "block", 0, INT_MAX, 1, &b, res);

	if (r < 0)
		return r;
	*block = (int)b;
	json_object_set_new(res, "block", json_integer(b));
	snprintf(path, sizeof(path), SYSFS_MEMORY_DIR "/memory%d", *block);
	if (stat(path, &st) < 0)
		return proto_fail(res, -errno, "memory block %d: %s", *block,
				  strerror(errno));
	return 0;
}

int sysfs_op_online(const json_t *req, json_t *res, int64_t deadline_ns)
{
	static const struct {
		const char *zone, *state;
	} zones[] = {
		{"movable", "online_movable"},
		{"normal", "online_kernel"},
		{"auto", "online"},
	};
	const char *zone;
	long long delay_us = 0, settle_us = 0;
	int block, r;

	r = get_block(req, res, &block);
	if (r < 0)
		return r;
	r = proto_get_string(req, "zone", &zone, res);
	if (r < 0)
		return r;
	r = proto_get_int(req, "inject_delay_us", 0, 10000000, 0, &delay_us,
			  res);
	if (r < 0)
		return r;
	r = proto_get_int(req, "settle_us", 0, 10000000, 0, &settle_us, res);
	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (!strcmp(zone, zones[i].zone))
			return set_state(block, zones[i].state, "online",
					 delay_us, settle_us, res, deadline_ns);
	return proto_fail(res, -EINVAL,
			  "zone must be \"movable\", \"normal\" or \"auto\"");
}

int sysfs_op_offline(const json_t *req, json_t *res, int64_t deadline_ns)
{
	long long settle_us = 0;
	int block, r;

	r = get_block(req, res, &block);
	if (r < 0)
		return r;
	r = proto_get_int(req, "settle_us", 0, 10000000, 0, &settle_us, res);
	if (r < 0)
		return r;
	return set_state(block, "offline", "offline", 0, settle_us, res,
			 deadline_ns);
}
