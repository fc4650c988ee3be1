// SPDX-License-Identifier: GPL-2.0-or-later
#include "fault.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SYSRQ_TRIGGER "/proc/sysrq-trigger"
#define STALL_MAX_MS 3600000LL

int fault_op_sysrq(const json_t *req, json_t *res, int64_t deadline_ns)
{
	const char *key;
	ssize_t n;
	int fd, r;

	(void)deadline_ns;
	r = proto_get_string(req, "key", &key, res);
	if (r < 0)
		return r;
	/* One lower-case letter or digit: the sysrq-trigger keys. */
	if (strlen(key) != 1 || !((key[0] >= 'a' && key[0] <= 'z') ||
				  (key[0] >= '0' && key[0] <= '9')))
		return proto_fail(res, -EINVAL,
				  "argument \"key\" must be one of a-z, 0-9");
	fd = open(SYSRQ_TRIGGER, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return proto_fail(res, -errno, "open %s: %s", SYSRQ_TRIGGER,
				  strerror(errno));
	proto_log("sysrq %s requested by the harness", key);
	/* "c" does not come back: the kernel panics inside write(2). */
	n = write(fd, key, 1);
	r = n == 1 ? 0 : -errno;
	close(fd);
	if (r < 0)
		return proto_fail(res, r, "write %s: %s", SYSRQ_TRIGGER,
				  strerror(-r));
	json_object_set_new(res, "key", json_string(key));
	return 0;
}

/* A reset the kernel never hears of, as a triple fault is: the chipset's
 * reset control register (PIIX3 and ICH9 both have it in QEMU), bit 2
 * "reset CPU" with bit 1 "hard reset". QEMU reports it as a guest reset. */
#define PORT_RESET_CONTROL 0xcf9
#define RESET_HARD_CPU 0x06

int fault_op_reset(const json_t *req, json_t *res, int64_t deadline_ns)
{
	unsigned char v = RESET_HARD_CPU;
	int fd;

	(void)req;
	(void)deadline_ns;
	fd = open("/dev/port", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return proto_fail(res, -errno, "open /dev/port: %s",
				  strerror(errno));
	proto_log("resetting the machine as the harness asked");
	if (pwrite(fd, &v, 1, PORT_RESET_CONTROL) != 1) {
		int e = errno;

		close(fd);
		return proto_fail(res, -e, "write port 0x%x: %s",
				  PORT_RESET_CONTROL, strerror(e));
	}
	close(fd);
	/* QEMU resets between instructions; a reply means it did not. */
	return 0;
}

int fault_op_stall(const json_t *req, json_t *res, int64_t deadline_ns)
{
	long long ms = 0;
	int64_t t0 = clock_now_ns(), end;
	int r;

	(void)deadline_ns; /* not answering in time is the point */
	r = proto_get_int(req, "ms", 1, STALL_MAX_MS, 1, &ms, res);
	if (r < 0)
		return r;
	proto_log("stalling for %lld ms as the harness asked", ms);
	end = t0 + ms * NS_PER_MS;
	/* Signals (the state-write timer) must not cut the stall short. */
	for (int64_t now = t0; now < end; now = clock_now_ns()) {
		struct timespec ts = {.tv_sec = end / NS_PER_S,
				      .tv_nsec = end % NS_PER_S};

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	json_object_set_new(res, "slept_ns", json_integer(clock_now_ns() - t0));
	return 0;
}
