// SPDX-License-Identifier: GPL-2.0-or-later
/* The QMP client as QEMU's peer: the input is what QEMU sends on the
 * socket (greeting, replies, events, garbage), read through the real
 * reader (linebuf framing, JSON parsing, reply/event sorting). The client
 * then runs the calls a hot-plug cycle makes; QEMU's side hits EOF after
 * the input, so every wait ends at once with -EPIPE rather than at its
 * deadline. */
#include "fuzz.h"
#include "clock.h"
#include "proto/qmp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Kept below the socket buffer, which holds the whole input. */
#define FUZZ_INPUT_MAX (64 * 1024)
/* Only reached if a wait did not end at EOF: that is a bug too. */
#define DEADLINE_MS 2000

static int match_device(const json_t *data, void *arg)
{
	const char *dev = json_string_value(json_object_get(data, "device"));

	return dev && !strcmp(dev, arg);
}

static int match_ost(const json_t *data, void *arg)
{
	const json_t *info = json_object_get(data, "info");

	return match_device(info, arg);
}

/* The calls of a cycle (harness/run/cycle.c), in its order. */
static int step(struct qmp *q, int i, int64_t dl)
{
	struct qmp_event ev;
	json_t *ret = NULL;
	int r;

	switch (i) {
	case 0:
		r = qmp_execute(q, "query-version", NULL, &ret, dl, NULL);
		break;
	case 1:
		r = qmp_execute(q, "object-add",
				json_pack("{s:s,s:s,s:I}", "qom-type",
					  "memory-backend-ram", "id", "mem0",
					  "size", (json_int_t)134217728),
				NULL, dl, NULL);
		break;
	case 2:
		r = qmp_execute(q, "device_add",
				json_pack("{s:s,s:s,s:s,s:i}", "driver",
					  "pc-dimm", "id", "dimm0", "memdev",
					  "mem0", "node", 0),
				NULL, dl, NULL);
		break;
	case 3:
		r = qmp_wait_event(q, "ACPI_DEVICE_OST", match_ost, "dimm0",
				   &ev, dl);
		if (!r) {
			/* What cycle.c reads from it. */
			json_integer_value(json_object_get(
				json_object_get(ev.data, "info"), "status"));
			qmp_event_free(&ev);
		}
		break;
	case 4:
		r = qmp_execute(q, "device_del",
				json_pack("{s:s}", "id", "dimm0"), NULL, dl,
				NULL);
		break;
	case 5:
		r = qmp_wait_event(q, "DEVICE_DELETED", match_device, "dimm0",
				   &ev, dl);
		if (!r)
			qmp_event_free(&ev);
		break;
	case 6:
		r = qmp_wait_event(q, NULL, NULL, NULL, &ev, dl);
		if (!r)
			qmp_event_free(&ev);
		break;
	default:
		qmp_drop_events(q, "ACPI_DEVICE_OST");
		r = qmp_execute(q, "object-del",
				json_pack("{s:s}", "id", "mem0"), &ret, dl,
				NULL);
		break;
	}
	json_decref(ret);
	return r;
}

int fuzz_qmp(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct qmp *q;
	int64_t dl;
	int fd, peer, r, i;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	fd = fuzz_socket_feed(data, size, &peer);
	if (fd < 0)
		return 0;
	dl = clock_deadline_ms(DEADLINE_MS);
	r = qmp_open_fd(&q, fd, dl);
	if (r < 0) {
		(void)strlen(qmp_errmsg(NULL));
		close(peer);
		return 0;
	}
	(void)strlen(qmp_version(q));
	(void)strlen(qmp_package(q));
	qmp_set_log(q, devnull);
	for (i = 0; i < 8; i++) {
		r = step(q, i, dl);
		(void)strlen(qmp_errmsg(q));
		/* After a bad message the connection is still usable; at EOF
		 * every later call fails the same way. */
		if (r == -EPIPE || r == -ETIMEDOUT)
			break;
	}
	qmp_close(q);
	close(peer);
	return 0;
}
