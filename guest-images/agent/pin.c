// SPDX-License-Identifier: GPL-2.0-or-later
/* Pipe buffers are unmovable kernel pages (GFP_HIGHUSER, no __GFP_MOVABLE),
 * and the page allocator tries the highest zone first. In the mhpbench
 * guest all boot memory is below 4G (ZONE_DMA32), so a hot-added block
 * onlined with online_kernel is the only ZONE_NORMAL memory, and the pipe
 * pages land there: offline_pages() then cannot isolate the block and the
 * write to memoryN/state fails with EBUSY. The pages stay as long as the
 * pipes are open and unread. */
#include "pin.h"
#include "mempol.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define PIN_MAX_MIB 1024
#define PIPE_BYTES (1 << 20)
#define MAX_PIPES PIN_MAX_MIB
#define KMSG_MAX_LINES 64
#define KMSG_LINE_MAX 400
#define PRINTK "/proc/sys/kernel/printk"
/* 6.1 reports why an offline failed only with pr_debug(). */
#define DYNDBG "/sys/kernel/debug/dynamic_debug/control"
#define DYNDBG_SITE "file mm/memory_hotplug.c"

static int pipes[MAX_PIPES][2];
static int npipes;
static long long pinned_bytes;
static int kmsg_fd = -1;
static char saved_loglevel[64];
static int log_on, dyndbg;
static long long normal_before = -1;

/* Free pages of every zone called @zone, in KiB (-1 if unreadable), from
 * /proc/zoneinfo opened and read once at prepare time: opening a file
 * after the block is online could put a new slab page into it. */
static int zoneinfo_fd = -1;

static long long zone_free_kib(const char *zone)
{
	static char text[64 << 10];
	char name[32], *line, *save;
	long long sum = -1, v;
	ssize_t n, len = 0;
	int in_zone = 0;

	if (zoneinfo_fd < 0 || lseek(zoneinfo_fd, 0, SEEK_SET) < 0)
		return -1;
	while (len < (ssize_t)sizeof(text) - 1 &&
	       (n = read(zoneinfo_fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "Node %*d, zone %31s", name) == 1) {
			in_zone = !strcmp(name, zone);
			continue;
		}
		if (in_zone && sscanf(line, " pages free %lld", &v) == 1) {
			sum = (sum < 0 ? 0 : sum) + v * 4;
			in_zone = 0;
		}
	}
	return sum;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* The kernel's words about the offline go to the console as they happen
 * (loglevel 8 shows pr_debug) and into the unpin reply. */
static int kernel_log_on(void)
{
	FILE *f = fopen(PRINTK, "re");

	saved_loglevel[0] = '\0';
	if (f) {
		if (!fgets(saved_loglevel, sizeof(saved_loglevel), f))
			saved_loglevel[0] = '\0';
		fclose(f);
	}
	write_text(PRINTK, "8");
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
	return write_text(DYNDBG, DYNDBG_SITE " +p") == 0;
}

static json_t *kernel_log_off(void)
{
	json_t *arr = json_array();
	char rec[8192];

	write_text(DYNDBG, DYNDBG_SITE " -p");
	if (saved_loglevel[0])
		write_text(PRINTK, saved_loglevel);
	for (int k = 0; kmsg_fd >= 0 && k < 4096; k++) {
		ssize_t n = read(kmsg_fd, rec, sizeof(rec) - 1);
		char *text;

		if (n < 0 && errno == EPIPE)
			continue; /* overwritten before we read it */
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
	if (kmsg_fd >= 0)
		close(kmsg_fd);
	kmsg_fd = -1;
	return arr;
}

static void close_pipes(void)
{
	for (int i = 0; i < npipes; i++) {
		close(pipes[i][0]);
		close(pipes[i][1]);
	}
	npipes = 0;
	pinned_bytes = 0;
}

/* Opens one more empty pipe of PIPE_BYTES. */
static int open_pipe(void)
{
	int *p = pipes[npipes];

	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0)
		return -errno;
	npipes++;
	/* Root may go past pipe-max-size; 1 MiB is within it anyway. The
	 * ring (10 KiB) is a kmalloc_large, not slab. */
	if (fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES) < 0)
		return -errno;
	return 0;
}

/* Fills pipe @i up to PIPE_BYTES; returns the bytes it holds or -errno. */
static long long fill_pipe(int i)
{
	static char chunk[64 << 10];
	long long held = 0;

	memset(chunk, 0x5a, sizeof(chunk));
	while (held < PIPE_BYTES) {
		ssize_t w = write(pipes[i][1], chunk, sizeof(chunk));

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			break; /* full */
		if (w < 0)
			return -errno;
		held += w;
	}
	return held;
}

/* Everything that opens a file or allocates kernel objects, done before
 * the block exists when the harness asks for it with "fill": false. */
static int prepare(long long mib, json_t *res)
{
	struct rlimit rl;
	int r;

	if (!log_on) {
		/* Two descriptors per MiB. */
		if (!getrlimit(RLIMIT_NOFILE, &rl) &&
		    rl.rlim_cur < 2 * MAX_PIPES + 64) {
			rl.rlim_cur = 2 * MAX_PIPES + 64;
			if (rl.rlim_max < rl.rlim_cur)
				rl.rlim_max = rl.rlim_cur;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		zoneinfo_fd = open("/proc/zoneinfo", O_RDONLY | O_CLOEXEC);
		zone_free_kib("Normal"); /* sizes its buffer */
		dyndbg = kernel_log_on();
		log_on = 1;
	}
	while (npipes < mib) {
		r = open_pipe();
		if (r < 0)
			return proto_fail(res, r, "pipe %d: %s", npipes,
					  strerror(-r));
	}
	return 0;
}

/* Puts the kernel log back (its lines since prepare() go to @res unless
 * NULL), then closes the pipes: last, so that nothing this op allocates
 * can land in the block the pipes held. */
static void release(json_t *res)
{
	json_t *kmsg = log_on ? kernel_log_off() : json_array();

	if (zoneinfo_fd >= 0)
		close(zoneinfo_fd);
	zoneinfo_fd = -1;
	log_on = 0;
	if (res)
		json_object_set_new(res, "kmsg", kmsg);
	else
		json_decref(kmsg);
	close_pipes();
}

int pin_op_pin(const json_t *req, json_t *res, int64_t deadline_ns)
{
	json_t *jfill = json_object_get(req, "fill");
	long long mib = 0, node = -1;
	int r;

	(void)deadline_ns;
	r = proto_get_int(req, "mib", 1, PIN_MAX_MIB, 1, &mib, res);
	if (!r)
		r = proto_get_int(req, "node", 0, 127, 0, &node, res);
	if (r < 0)
		return r;
	if (jfill && !json_is_boolean(jfill))
		return proto_fail(res, -EINVAL,
				  "argument \"fill\" must be true or false");
	if (pinned_bytes)
		return proto_fail(res, -EBUSY,
				  "%lld KiB already pinned: unpin first",
				  pinned_bytes >> 10);
	r = prepare(mib, res);
	if (r < 0) {
		release(NULL);
		return r;
	}
	json_object_set_new(res, "pipes", json_integer(npipes));
	if (jfill && json_is_false(jfill))
		return 0;
	/* From here on only reads and writes of open files: page
	 * allocations. */
	normal_before = zone_free_kib("Normal");
	if (node >= 0 && (r = mempol_prefer_node(node)) < 0) {
		release(NULL);
		return proto_fail(res, r,
				  "set_mempolicy(MPOL_PREFERRED, %lld): %s",
				  node, strerror(-r));
	}
	for (int i = 0; i < npipes && pinned_bytes < mib << 20; i++) {
		long long got = fill_pipe(i);

		if (got < 0) {
			mempol_prefer_node(-1);
			r = proto_fail(res, (int)got,
				       "pipe %d: %s (%lld KiB pinned so far)",
				       i, strerror((int)-got),
				       pinned_bytes >> 10);
			release(NULL);
			return r;
		}
		pinned_bytes += got;
	}
	if (node >= 0)
		mempol_prefer_node(-1);
	proto_log("pinned %lld KiB of unmovable memory in %d pipes",
		  pinned_bytes >> 10, npipes);
	json_object_set_new(res, "pinned_kib",
			    json_integer(pinned_bytes >> 10));
	json_object_set_new(res, "normal_free_kib_before",
			    json_integer(normal_before));
	json_object_set_new(res, "normal_free_kib_after",
			    json_integer(zone_free_kib("Normal")));
	json_object_set_new(res, "dyndbg", json_boolean(dyndbg));
	return 0;
}

int pin_op_unpin(const json_t *req, json_t *res, int64_t deadline_ns)
{
	long long was = pinned_bytes;

	(void)req;
	(void)deadline_ns;
	json_object_set_new(res, "unpinned_kib", json_integer(was >> 10));
	release(res);
	return 0;
}
