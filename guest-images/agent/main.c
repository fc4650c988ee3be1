// SPDX-License-Identifier: GPL-2.0-or-later
/* mhp-agent: the guest side of mhpbench. Serves NDJSON requests on
 * /dev/ttyS1 (docs/agent-protocol.md) one at a time, and reads kernel
 * uevents whenever it is idle so their timestamps are arrival times. */
#include "dax.h"
#include "fault.h"
#include "fill.h"
#include "ftrace.h"
#include "info.h"
#include "oom.h"
#include "pin.h"
#include "pmu.h"
#include "probe.h"
#include "proto.h"
#include "sysfs.h"
#include "uevent.h"
#include "clock.h"
#include "linebuf.h"

#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_PORT "/dev/ttyS1"
#define MAX_TIMEOUT_MS 0x7fffffffLL
/* How long a reply may wait for the port before it is dropped: as long as
 * poll() can wait. The host drains the port, and QEMU's serial writes it
 * a byte at a time, so a reply of a few KiB waits for the host to read
 * while the vCPU idles. Under tcg-icount (sleep=off) the guest clock
 * jumps to its next timer while the vCPU idles, so 10 s of guest time
 * passed in milliseconds whenever a loaded host was slow to read, and the
 * reply was dropped ("reply dropped: Connection timed out"). A host that
 * stops reading has its own deadline, and kills QEMU. */
#define REPLY_TIMEOUT_MS MAX_TIMEOUT_MS

static const struct {
	const char *name;
	proto_op_fn fn;
} ops[] = {
	{"blocks", info_op_blocks},
	{"fill", fill_op_fill},
	{"hello", info_op_hello},
	{"hog", oom_op_hog},
	{"kmem", dax_op_kmem},
	{"meminfo", info_op_meminfo},
	{"offline", sysfs_op_offline},
	{"offline_traced", ftrace_op_offline_traced},
	{"online", sysfs_op_online},
	{"online_traced", ftrace_op_online_traced},
	{"oom_status", oom_op_status},
	{"pin", pin_op_pin}, /* fault injection */
	{"pmem_setup", dax_op_pmem_setup},
	{"pmu_close", pmu_op_close},
	{"pmu_open", pmu_op_open},
	{"pmu_read", pmu_op_read},
	{"probe_block", probe_op_block},
	{"probe_load", probe_op_load},
	{"stall", fault_op_stall}, /* fault injection */
	{"sysrq", fault_op_sysrq}, /* fault injection */
	{"reset", fault_op_reset}, /* fault injection */
	{"uevents_clear", uevent_op_clear},
	{"unfill", fill_op_unfill},
	{"unpin", pin_op_unpin}, /* fault injection */
	{"vmstat", fill_op_vmstat},
	{"wait_blocks", uevent_op_wait_blocks},
	/* "poweroff" is served by serve_line: it needs the port. */
};

static int port_open(const char *path)
{
	struct termios tio;
	int fd, err;

	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (tcgetattr(fd, &tio) < 0)
		goto fail;
	/* Raw: no echo, no CR/LF mangling, no signals from bytes in JSON. */
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	tio.c_cflag &= ~CRTSCTS;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	if (cfsetispeed(&tio, B115200) < 0 || cfsetospeed(&tio, B115200) < 0)
		goto fail;
	if (tcsetattr(fd, TCSANOW, &tio) < 0)
		goto fail;
	/* The first open of the port starts in cooked mode: request bytes the
	 * host sent before we got here (hello retries) may have been echoed
	 * back before raw mode took effect. Drop any echo still queued; the
	 * input stays, so the latest hello is still answered. */
	if (tcflush(fd, TCOFLUSH) < 0)
		goto fail;
	return fd;
fail:
	err = -errno;
	close(fd);
	return err;
}

/* Sends @reply as one line; a host that does not read gets it dropped. */
static int send_reply(int fd, json_t *reply)
{
	char *s = json_dumps(reply, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int64_t deadline = clock_deadline_ms(REPLY_TIMEOUT_MS);
	int r;

	if (!s)
		return -ENOMEM;
	do
		r = linebuf_write_line(fd, s, strlen(s), deadline);
	while (r == -EINTR);
	if (r < 0)
		proto_log("reply dropped: %s", strerror(-r));
	free(s);
	return r;
}

/* Builds {"id", "ok", ["errno", "error"], ...res} and sends it. */
static void reply(int fd, json_t *id, int err, json_t *res)
{
	json_t *out = json_object();
	json_t *text;

	json_object_set(out, "id", id ? id : json_null());
	json_object_set_new(out, "ok", json_boolean(!err));
	if (err) {
		text = json_object_get(res, "error");
		json_object_set_new(out, "errno", json_integer(-err));
		if (json_is_string(text))
			json_object_set(out, "error", text);
		else
			json_object_set_new(out, "error",
					    proto_string(strerror(-err)));
	}
	if (res) {
		json_object_del(res, "error");
		json_object_update(out, res);
	}
	send_reply(fd, out);
	json_decref(out);
}

static void reply_error(int fd, int err, const char *fmt, const char *arg)
{
	json_t *res = json_object();

	proto_fail(res, err, fmt, arg);
	reply(fd, NULL, err, res);
	json_decref(res);
}

/* Does not return when the kernel powers off. */
static void poweroff(int fd, json_t *id)
{
	json_t *res = json_object();

	reply(fd, id, 0, res);
	json_decref(res);
	/* The reply must be on the wire before the machine is gone. */
	tcdrain(fd);
	sync();
	reboot(RB_POWER_OFF);
	proto_log("reboot(RB_POWER_OFF): %s", strerror(errno));
}

static void serve_line(int fd, const char *line)
{
	json_error_t jerr;
	json_t *req = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
	json_t *id = json_object_get(req, "id");
	json_t *op = json_object_get(req, "op");
	json_t *res;
	long long timeout_ms = PROTO_DEFAULT_TIMEOUT_MS;
	proto_op_fn fn = NULL;
	int r;

	if (!req) {
		reply_error(fd, -EINVAL, "bad JSON: %s", jerr.text);
		return;
	}
	if (!json_is_object(req) || !json_is_integer(id) ||
	    !json_is_string(op)) {
		reply_error(fd, -EINVAL, "%s",
			    "expected an object with an integer \"id\" and "
			    "a string \"op\"");
		goto out;
	}
	res = json_object();
	r = proto_get_int(req, "timeout_ms", 0, MAX_TIMEOUT_MS, 0, &timeout_ms,
			  res);
	if (r == 0) {
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (!strcmp(json_string_value(op), ops[i].name))
				fn = ops[i].fn;
		if (fn)
			r = fn(req, res, clock_deadline_ms(timeout_ms));
		else if (!strcmp(json_string_value(op), "poweroff"))
			poweroff(fd, id); /* back only if it failed */
		else
			r = proto_fail(res, -ENOSYS, "unknown op \"%s\"",
				       json_string_value(op));
	}
	if (fn || r < 0)
		reply(fd, id, r, res);
	json_decref(res);
out:
	json_decref(req);
}

/* "mhp.debug" on the kernel command line turns on uevent logging. */
static int debug_requested(void)
{
	char buf[4096], *tok, *save;

	if (sysfs_read("/proc/cmdline", buf, sizeof(buf)) < 0)
		return 0;
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		if (!strcmp(tok, "mhp.debug") || !strcmp(tok, "mhp.debug=1"))
			return 1;
	return 0;
}

/* Ends whatever echo went out with a newline, then says the agent is up:
 * {"id":null,"ok":true,"ready":true,"agent_version":N}. A harness may answer
 * it with hello at once instead of at its next retry; an agent restarted by
 * init says it again. */
static void announce(int fd)
{
	json_t *res = json_object();

	linebuf_write_line(fd, "", 0, clock_deadline_ms(REPLY_TIMEOUT_MS));
	json_object_set_new(res, "ready", json_true());
	json_object_set_new(res, "agent_version",
			    json_integer(PROTO_AGENT_VERSION));
	reply(fd, NULL, 0, res);
	json_decref(res);
}

/* Until the port opens: QEMU may lack the device for a while, or forever
 * when started without it; keep trying quietly after the first message. */
static int port_wait(const char *path)
{
	int fd, said = 0;

	while ((fd = port_open(path)) < 0) {
		if (!said++)
			proto_log("cannot open %s: %s; retrying", path,
				  strerror(-fd));
		sleep(1);
	}
	return fd;
}

/* Under the oom-edge benchmark the guest sits at its min watermark; an
 * agent that faulted in a page there would itself invoke the OOM killer
 * and move the edge it measures (seen on 6.1). So its heap and stack are
 * touched once at start and kept: glibc is told never to trim or mmap. */
#define HEAP_RESERVE (4 << 20)
#define STACK_RESERVE (256 << 10)

static __attribute__((noinline)) void touch_stack(void)
{
	volatile char buf[STACK_RESERVE];

	for (size_t i = 0; i < sizeof(buf); i += 4096)
		buf[i] = 0;
}

static void reserve_memory(void)
{
	char *p;

	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 256 << 20);
	p = malloc(HEAP_RESERVE);
	if (p) {
		memset(p, 0, HEAP_RESERVE);
		free(p);
	}
	touch_stack();
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : DEFAULT_PORT;
	struct linebuf lb;
	int fd, nl, r;

	signal(SIGPIPE, SIG_IGN);
	reserve_memory();
	/* Without a seed jansson reads /dev/urandom, which early in boot
	 * (before "crng init done") spins for up to a second generating
	 * entropy: that delayed the first reply. Hash flooding is no threat
	 * on this channel, so any seed will do. */
	json_object_seed((size_t)clock_now_ns() ^ (size_t)getpid());
	proto_debug = debug_requested();
	r = sysfs_timer_init();
	if (r < 0)
		proto_log("no deadline timer (%s): state writes are unbounded",
			  strerror(-r));
	/* Opened before the port, so no event of the first cycle is missed. */
	nl = uevent_open();
	if (nl < 0)
		proto_log("no uevent socket: %s", strerror(-nl));
	r = linebuf_init(&lb, PROTO_MAX_LINE);
	if (r < 0) {
		proto_log("linebuf_init: %s", strerror(-r));
		return 1;
	}
	fd = port_wait(path);
	announce(fd);
	proto_log("agent version %d serving %s", PROTO_AGENT_VERSION, path);

	for (;;) {
		struct pollfd pfd[2] = {
			{.fd = fd, .events = POLLIN},
			{.fd = nl, .events = POLLIN}, /* <0: ignored */
		};
		char *line;
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			proto_log("poll: %s", strerror(errno));
			sleep(1);
			continue;
		}
		/* Uevents first, so they are stamped before a request that
		 * may keep us busy. */
		if (pfd[1].revents) {
			r = uevent_drain();
			if (r < 0)
				proto_log("uevent read: %s", strerror(-r));
		}
		if (pfd[0].revents & POLLIN) {
			n = linebuf_fill(&lb, fd);
			if (n < 0 && n != -EAGAIN)
				proto_log("read %s: %s", path,
					  strerror((int)-n));
			while ((r = linebuf_next(&lb, &line)) != 0) {
				if (r == -EMSGSIZE)
					reply_error(fd, -EMSGSIZE,
						    "line longer than %s bytes",
						    "65536");
				else
					serve_line(fd, line);
			}
		} else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			proto_log("%s hung up; reopening", path);
			close(fd);
			sleep(1);
			fd = port_wait(path);
			announce(fd);
			linebuf_free(&lb);
			r = linebuf_init(&lb, PROTO_MAX_LINE);
			if (r < 0) {
				proto_log("linebuf_init: %s", strerror(-r));
				return 1;
			}
		}
	}
}
