// SPDX-License-Identifier: GPL-2.0-or-later
#include "oom.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOG_NAME "mhp-hog"
#define KMSG_MAX_LINES 256
#define KMSG_LINE_MAX 400

static pid_t hog_pid;
static int hog_status = -1; /* wait status once reaped */
static int kmsg_fd = -1;

/* A /proc file's "key value" line, e.g. MemFree in /proc/meminfo. */
static long long proc_value(const char *path, const char *key)
{
	size_t klen = strlen(key);
	long long v = -1;
	char line[256];
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) &&
		    (line[klen] == ':' || line[klen] == ' ')) {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* A /proc file that holds one number, e.g. /proc/sys/vm/min_free_kbytes. */
static long long proc_number(const char *path)
{
	long long v = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static long long memfree_kib(void)
{
	return proc_value("/proc/meminfo", "MemFree");
}

/* Opened at the first hog so the log starts there, not at boot. */
static void kmsg_open(void)
{
	if (kmsg_fd >= 0)
		return;
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

/* The child: first in line for the OOM killer, touches anonymous memory
 * in shrinking chunks until MemFree is at the target, reports how much it
 * holds, then sleeps until killed. */
static void hog_child(long long target_kib, int out)
{
	long long held = 0, free_kib;
	FILE *f;

	f = fopen("/proc/self/oom_score_adj", "we");
	if (f) {
		fputs("1000", f);
		fclose(f);
	}
	prctl(PR_SET_NAME, HOG_NAME);
	while ((free_kib = memfree_kib()) > target_kib) {
		long long chunk = (free_kib - target_kib) / 2;
		char *p;

		if (chunk < 16)
			chunk = 16; /* a few pages: page tables cost too */
		if (chunk > 64 * 1024)
			chunk = 64 * 1024;
		p = mmap(NULL, (size_t)chunk * 1024, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			break;
		for (long long off = 0; off < chunk * 1024; off += 4096)
			p[off] = 1; /* touched: really allocated */
		held += chunk;
	}
	if (write(out, &held, sizeof(held)) != sizeof(held))
		_exit(1);
	close(out);
	for (;;)
		pause();
}

static void hog_reap(void)
{
	int st;

	if (hog_pid > 0 && waitpid(hog_pid, &st, WNOHANG) == hog_pid) {
		hog_status = st;
		hog_pid = -hog_pid; /* remembered for the report, not alive */
	}
}

static void hog_kill(void)
{
	if (hog_pid > 0) {
		kill(hog_pid, SIGKILL);
		waitpid(hog_pid, NULL, 0);
	}
	hog_pid = 0;
	hog_status = -1;
}

static int wait_hog(int fd, long long *held, int64_t deadline_ns)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int r = poll(&pfd, 1, clock_poll_ms(deadline_ns));

	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	r = (int)read(fd, held, sizeof(*held));
	return r == sizeof(*held) ? 0 : -EIO;
}

int oom_op_hog(const json_t *req, json_t *res, int64_t deadline_ns)
{
	long long target = 0, free_kib, held = 0;
	int pfd[2], r;

	r = proto_get_int(req, "free_kib", 1, 1LL << 40, 1, &target, res);
	if (r < 0)
		return r;
	hog_kill();
	kmsg_open();
	free_kib = memfree_kib();
	if (free_kib <= target)
		return proto_fail(res, -EINVAL,
				  "MemFree is %lld KiB, already at or below "
				  "the target %lld KiB",
				  free_kib, target);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return proto_fail(res, -errno, "pipe: %s", strerror(errno));
	hog_pid = fork();
	if (hog_pid < 0) {
		r = -errno;
		close(pfd[0]);
		close(pfd[1]);
		hog_pid = 0;
		return proto_fail(res, r, "fork: %s", strerror(-r));
	}
	if (!hog_pid) {
		close(pfd[0]);
		hog_child(target, pfd[1]);
	}
	close(pfd[1]);
	r = wait_hog(pfd[0], &held, deadline_ns);
	close(pfd[0]);
	if (r == -EIO && waitpid(hog_pid, &hog_status, 0) == hog_pid &&
	    WIFSIGNALED(hog_status)) {
		/* The OOM killer took it on the way down: a result. */
		json_object_set_new(res, "hog_signal",
				    json_integer(WTERMSIG(hog_status)));
		json_object_set_new(res, "memfree_kib",
				    json_integer(memfree_kib()));
		hog_pid = -hog_pid;
		return proto_fail(res, -ENOMEM,
				  "the hog was killed by signal %d before "
				  "MemFree reached %lld KiB",
				  WTERMSIG(hog_status), target);
	}
	if (r < 0) {
		hog_kill();
		return proto_fail(res, r, "the hog did not reach %lld KiB: %s",
				  target, strerror(-r));
	}
	json_object_set_new(res, "pid", json_integer(hog_pid));
	json_object_set_new(res, "hog_kib", json_integer(held));
	json_object_set_new(res, "memfree_kib", json_integer(memfree_kib()));
	json_object_set_new(
		res, "min_free_kbytes",
		json_integer(proc_number("/proc/sys/vm/min_free_kbytes")));
	return 0;
}

/* New kernel log lines since the last call (the text after "pri,seq,..;"). */
static json_t *kmsg_lines(void)
{
	json_t *arr = json_array();
	char rec[8192];
	ssize_t n;

	if (kmsg_fd < 0)
		return arr;
	for (int k = 0; k < 4096; k++) {
		char *text;

		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten before we read it: skip */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		text[strcspn(text, "\n")] = '\0';
		if (strlen(text) > KMSG_LINE_MAX)
			text[KMSG_LINE_MAX] = '\0';
		if (json_array_size(arr) >= KMSG_MAX_LINES)
			json_array_remove(arr, 0);
		json_array_append_new(arr, proto_string(text));
	}
	return arr;
}

int oom_op_status(const json_t *req, json_t *res, int64_t deadline_ns)
{
	(void)req;
	(void)deadline_ns;
	kmsg_open();
	hog_reap();
	json_object_set_new(
		res, "oom_kill",
		json_integer(proc_value("/proc/vmstat", "oom_kill")));
	json_object_set_new(
		res, "hog_pid",
		hog_pid ? json_integer(hog_pid > 0 ? hog_pid : -hog_pid)
			: json_null());
	json_object_set_new(res, "hog_alive", json_boolean(hog_pid > 0));
	if (hog_pid < 0 && WIFSIGNALED(hog_status))
		json_object_set_new(res, "hog_signal",
				    json_integer(WTERMSIG(hog_status)));
	json_object_set_new(res, "kmsg", kmsg_lines());
	return 0;
}
