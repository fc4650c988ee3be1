// SPDX-License-Identifier: GPL-2.0-or-later
#include "uevent.h"
#include "clock.h"

#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Kernel uevent messages are at most UEVENT_BUFFER_SIZE (2048) plus the
 * "ACTION@DEVPATH" header. */
#define MSG_MAX 8192
#define RCVBUF_BYTES (16 << 20)
#define MEMORY_DEVPATH "/devices/system/memory/memory"

enum uev_kind { UEV_BLOCK, UEV_ACPI };
enum uev_action { UEV_ADD, UEV_REMOVE };

struct uev {
	int64_t ts_ns;
	int block; /* UEV_BLOCK only */
	unsigned char kind, action;
};

/* Ring, oldest at head. Overflow drops the oldest event and counts it. */
static struct uev queue[UEVENT_QUEUE_MAX];
static size_t q_head, q_len;
static long long q_lost;
static int nl_fd = -1;
static int nl_err = -ENOTCONN;

static struct uev *q_at(size_t i)
{
	return &queue[(q_head + i) % UEVENT_QUEUE_MAX];
}

static void q_push(const struct uev *e)
{
	if (q_len == UEVENT_QUEUE_MAX) {
		q_head = (q_head + 1) % UEVENT_QUEUE_MAX;
		q_len--;
		q_lost++;
	}
	*q_at(q_len++) = *e;
}

/* Removes the entries flagged in @take (indexed like q_at), keeping order. */
static void q_remove(const unsigned char *take)
{
	size_t out = 0;

	for (size_t i = 0; i < q_len; i++)
		if (!take[i])
			*q_at(out++) = *q_at(i);
	q_len = out;
}

int uevent_open(void)
{
	struct sockaddr_nl sa;
	int sz = RCVBUF_BYTES;
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return nl_err = -errno;
	/* A 2G DIMM brings 16 blocks plus their online/offline change events;
	 * the default buffer would overflow while an op keeps us busy. FORCE
	 * passes rmem_max (we run as root); plain RCVBUF is the fallback. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = 1; /* the kernel's group; udevd re-sends on group 2 */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		nl_err = -errno;
		close(fd);
		return nl_err;
	}
	nl_fd = fd;
	nl_err = 0;
	return fd;
}

/* "/devices/system/memory/memory42" → 42; -1 for anything else. */
static int block_of(const char *devpath)
{
	const char *p;
	char *end;
	long n;

	if (strncmp(devpath, MEMORY_DEVPATH, strlen(MEMORY_DEVPATH)))
		return -1;
	p = devpath + strlen(MEMORY_DEVPATH);
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	n = strtol(p, &end, 10);
	if (*end || errno || n > INT_MAX)
		return -1;
	return (int)n;
}

/* When the last memory-block uevent arrived: the end of the last add or
 * remove the guest saw (sysfs.c measures the gap before a state write). */
static int64_t last_memory_ns;

/* Parses "ACTION@DEVPATH\0KEY=VALUE\0..." and queues it if it matters. */
static void handle_msg(char *buf, size_t len, int64_t ts)
{
	const char *action = NULL, *devpath = NULL, *subsystem = NULL;
	struct uev e = {.ts_ns = ts, .block = -1};
	size_t off = strlen(buf) + 1; /* skip the header */

	while (off < len) {
		const char *kv = buf + off;

		if (!strncmp(kv, "ACTION=", 7))
			action = kv + 7;
		else if (!strncmp(kv, "DEVPATH=", 8))
			devpath = kv + 8;
		else if (!strncmp(kv, "SUBSYSTEM=", 10))
			subsystem = kv + 10;
		off += strlen(kv) + 1;
	}
	if (!action || !devpath || !subsystem)
		return;
	if (proto_debug)
		proto_log("uevent %lld %s %s %s", (long long)ts, action,
			  subsystem, devpath);
	if (!strcmp(action, "add"))
		e.action = UEV_ADD;
	else if (!strcmp(action, "remove"))
		e.action = UEV_REMOVE;
	else
		return; /* online/offline/change/bind: not ours to time */
	if (!strcmp(subsystem, "memory")) {
		e.kind = UEV_BLOCK;
		e.block = block_of(devpath);
		if (e.block < 0)
			return;
	} else if (!strcmp(subsystem, "acpi") && strstr(devpath, "PNP0C80")) {
		e.kind = UEV_ACPI;
	} else {
		return;
	}
	if (e.kind == UEV_BLOCK && ts > last_memory_ns)
		last_memory_ns = ts;
	q_push(&e);
}

int64_t uevent_last_memory_ns(void)
{
	return last_memory_ns;
}

int uevent_drain(void)
{
	static char buf[MSG_MAX + 1];

	if (nl_fd < 0)
		return nl_err;
	for (;;) {
		struct sockaddr_nl src;
		struct iovec iov = {.iov_base = buf, .iov_len = MSG_MAX};
		struct msghdr msg = {
			.msg_name = &src,
			.msg_namelen = sizeof(src),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		ssize_t n = recvmsg(nl_fd, &msg, 0);
		int64_t ts = clock_now_ns();

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == ENOBUFS) {
			/* The kernel dropped some; how many is unknown. */
			q_lost++;
			proto_log("uevent socket overflowed; events lost");
			continue;
		}
		if (n < 0)
			return -errno;
		/* Only the kernel (port 0) speaks for the hardware; a process
		 * could send anything to this group. */
		if (src.nl_pid != 0 || (msg.msg_flags & MSG_TRUNC))
			continue;
		buf[n] = '\0';
		handle_msg(buf, (size_t)n, ts);
	}
}

int uevent_op_clear(const json_t *req, json_t *res, int64_t deadline_ns)
{
	int r = uevent_drain();

	(void)req;
	(void)deadline_ns;
	json_object_set_new(res, "dropped", json_integer((json_int_t)q_len));
	json_object_set_new(res, "lost", json_integer(q_lost));
	q_len = 0;
	q_lost = 0;
	return r;
}

static size_t count_blocks(int action)
{
	size_t n = 0;

	for (size_t i = 0; i < q_len; i++)
		if (q_at(i)->kind == UEV_BLOCK && q_at(i)->action == action)
			n++;
	return n;
}

/* Moves the first @count block events of @action, and the oldest ACPI
 * event of @action, from the queue into @res. */
static void take_events(int action, size_t count, json_t *res)
{
	static unsigned char take[UEVENT_QUEUE_MAX];
	json_t *events = json_array();
	json_t *acpi = json_null();

	memset(take, 0, q_len);
	for (size_t i = 0; i < q_len; i++) {
		const struct uev *e = q_at(i);
		json_t *o;

		if (e->action != action)
			continue;
		if (e->kind == UEV_ACPI && json_is_null(acpi)) {
			acpi = json_integer(e->ts_ns);
			take[i] = 1;
		} else if (e->kind == UEV_BLOCK && count) {
			o = json_object();
			json_object_set_new(o, "block", json_integer(e->block));
			json_object_set_new(o, "ts_ns", json_integer(e->ts_ns));
			json_array_append_new(events, o);
			take[i] = 1;
			count--;
		}
	}
	q_remove(take);
	json_object_set_new(res, "events", events);
	json_object_set_new(res, "acpi_ts_ns", acpi);
}

int uevent_op_wait_blocks(const json_t *req, json_t *res, int64_t deadline_ns)
{
	long long count = 0;
	const char *what;
	int action, r;

	r = proto_get_string(req, "action", &what, res);
	if (r < 0)
		return r;
	if (!strcmp(what, "add"))
		action = UEV_ADD;
	else if (!strcmp(what, "remove"))
		action = UEV_REMOVE;
	else
		return proto_fail(res, -EINVAL,
				  "action must be \"add\" or \"remove\"");
	r = proto_get_int(req, "count", 1, UEVENT_QUEUE_MAX, 1, &count, res);
	if (r < 0)
		return r;
	if (nl_fd < 0)
		return proto_fail(res, nl_err, "no uevent socket: %s",
				  strerror(-nl_err));

	for (;;) {
		struct pollfd pfd = {.fd = nl_fd, .events = POLLIN};
		int ms;

		/* Drained again once the count is met, so an event queued
		 * right behind the blocks (an ACPI remove, on kernels that
		 * send one) is in this reply, not the next. */
		r = uevent_drain();
		if (r < 0)
			break;
		if (count_blocks(action) >= (size_t)count)
			break;
		ms = clock_poll_ms(deadline_ns);
		if (ms == 0) {
			r = -ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, ms) < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
	}
	take_events(action, (size_t)count, res);
	if (r == -ETIMEDOUT)
		return proto_fail(
			res, r,
			"deadline reached with %zu of %lld memory "
			"block %s uevents",
			json_array_size(json_object_get(res, "events")), count,
			what);
	return r;
}
