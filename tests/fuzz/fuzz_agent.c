// SPDX-License-Identifier: GPL-2.0-or-later
/* The agent channel from the guest's side. The input is what the guest
 * sends on ttyS1, NDJSON lines; it goes through
 *  1. each reply parser of harness/proto/agent.c, line by line (the payloads:
 *     hello, meminfo, blocks, uevents, state, hog, oom_status);
 *  2. the guest agent's request checks (guest-images/agent/proto.c), as
 *     if the line were a request, the way its serve_line() reads one;
 *  3. the host transport: the calls of a boot and a cycle over a socket,
 *     matching replies by id and skipping echo and noise. */
#include "fuzz.h"
#include "proto/agent.h"
#include "clock.h"
#include "proto.h"
#include "run/uevents.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_INPUT_MAX (64 * 1024)
#define DEADLINE_MS 2000

/* Keeps the arithmetic below from being optimised out. */
static volatile int64_t sink;

static void parse_reply(const char *line, size_t len)
{
	/* Large: static, one input at a time. */
	static struct agent_blocks blocks;
	static struct agent_uevents uev;
	static struct agent_oom_status oom;
	struct agent_hello hello;
	struct agent_meminfo mi;
	struct agent_state_result st;
	struct agent_hog hog;
	json_t *r = json_loadb(line, len, 0, NULL);

	if (!r)
		return;
	agent_parse_hello(r, &hello);
	agent_parse_meminfo(r, &mi);
	agent_parse_blocks(r, &blocks);
	/* The guest view of an add or a remove (run/uevents.c): its span
	 * must not overflow (UBSan reports it if it does). */
	if (!agent_parse_uevents(r, &uev))
		sink = uevent_span(&uev);
	memset(&st, 0, sizeof(st));
	/* cycle.c sums these over the blocks of a DIMM. */
	if (!agent_parse_state(r, &st))
		sink = st.ns * AGENT_MAX_BLOCKS;
	agent_parse_hog(r, &hog);
	agent_parse_oom_status(r, &oom);
	json_decref(r);
}

/* What the guest agent does with a request line (main.c serve_line and
 * the arguments its ops read), less the sysfs work. */
static void parse_request(const char *line)
{
	json_t *req = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	json_t *res = json_object();
	const char *s;
	long long v = 0;

	json_decref(proto_string(line));
	if (req && res) {
		proto_get_int(req, "timeout_ms", 0, 0x7fffffffLL, 0, &v, res);
		proto_get_int(req, "block", 0, INT_MAX, 1, &v, res);
		proto_get_int(req, "count", 1, 4096, 1, &v, res);
		proto_get_int(req, "free_kib", 1, 1LL << 40, 1, &v, res);
		proto_get_int(req, "inject_delay_us", 0, 10000000, 0, &v, res);
		if (!proto_get_string(req, "op", &s, res))
			proto_fail(res, -ENOSYS, "unknown op \"%s\"", s);
		if (!proto_get_string(req, "zone", &s, res))
			json_decref(proto_string(s));
		proto_get_string(req, "action", &s, res);
	}
	json_decref(res);
	json_decref(req);
}

/* A boot and one cycle, as runner.c and cycle.c call them. Stops at the
 * first transport failure: after EOF every call fails the same way. */
static void transport(const uint8_t *data, size_t size)
{
	static struct agent_blocks blocks;
	static struct agent_uevents uev;
	static struct agent_oom_status oom;
	struct agent a;
	struct agent_hello hello;
	struct agent_meminfo mi;
	struct agent_state_result st;
	struct agent_hog hog;
	int64_t dl = clock_deadline_ms(DEADLINE_MS);
	int peer, r, i;

	memset(&a, 0, sizeof(a));
	a.next_id = 1;
	if (linebuf_init(&a.lb, 64 * 1024))
		return;
	a.fd = fuzz_socket_feed(data, size, &peer);
	if (a.fd < 0) {
		linebuf_free(&a.lb);
		return;
	}
	r = agent_hello(&a, &hello, dl, NULL, NULL);
	for (i = 0; i < 9 && r != -EPIPE && r != -ETIMEDOUT; i++) {
		switch (i) {
		case 0:
			r = agent_uevents_clear(&a, dl);
			break;
		case 1:
			r = agent_meminfo(&a, &mi, dl);
			break;
		case 2:
			r = agent_blocks(&a, &blocks, dl);
			break;
		case 3:
			r = agent_wait_blocks(&a, "add", 1, &uev, dl);
			break;
		case 4:
			r = agent_set_state(&a, "online", 32, "movable", 0, 0,
					    &st, dl);
			break;
		case 5:
			r = agent_set_state(&a, "offline", 32, NULL, 0, 0, &st,
					    dl);
			break;
		case 6:
			r = agent_hog(&a, 32768, &hog, dl);
			break;
		case 7:
			r = agent_oom_status(&a, &oom, dl);
			break;
		default:
			r = agent_poweroff(&a, dl);
			break;
		}
		(void)strlen(a.err);
	}
	agent_close(&a);
	close(peer);
}

int fuzz_agent(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char *line;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	line = malloc(size + 1);
	if (!line)
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		parse_reply(p, n);
		memcpy(line, p, n);
		line[n] = '\0';
		parse_request(line);
		p += n + 1;
	}
	free(line);
	transport(data, size);
	return 0;
}
