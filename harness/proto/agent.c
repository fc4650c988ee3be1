// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto/agent.h"
#include "clock.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define AGENT_MAX_LINE (64 * 1024)
/* The guest's own deadline is set this much earlier than ours, so that on
 * a slow write it is the guest that reports, with the errno. */
#define GUEST_MARGIN_MS 1000

static int fail(struct agent *a, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct agent *a, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
	return ret;
}

int agent_malformed(struct agent *a, const char *op)
{
	return fail(a, -EPROTO, "agent %s: malformed reply", op);
}

int agent_connect(struct agent *a, const char *sock_path, int64_t deadline_ns)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int ret;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->next_id = 1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	ret = linebuf_init(&a->lb, AGENT_MAX_LINE);
	if (ret)
		return ret;
	for (;;) {
		a->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (a->fd < 0)
			return -errno;
		if (!connect(a->fd, (struct sockaddr *)&sa, sizeof(sa)))
			return 0;
		ret = -errno;
		close(a->fd);
		a->fd = -1;
		if ((ret != -ENOENT && ret != -ECONNREFUSED) ||
		    clock_now_ns() >= deadline_ns)
			return fail(a, ret, "agent socket %s: %s", sock_path,
				    strerror(-ret));
		usleep(10000);
	}
}

void agent_close(struct agent *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	linebuf_free(&a->lb);
}

static int send_req(struct agent *a, json_t *req, int id, int64_t deadline_ns)
{
	char *s;
	int ret;

	json_object_set_new(req, "id", json_integer(id));
	s = json_dumps(req, JSON_COMPACT);
	if (!s)
		return -ENOMEM;
	if (a->log)
		fprintf(a->log, "> %s\n", s), fflush(a->log);
	ret = linebuf_write_line(a->fd, s, strlen(s), deadline_ns);
	free(s);
	return ret;
}

/* Reads until a reply whose id is in [lo, hi] arrives. Lines with other ids
 * (late replies to an earlier hello) and, when @tolerant, lines that are not
 * JSON (serial noise before the agent opened its port) are skipped. */
static int read_reply(struct agent *a, int lo, int hi, json_t **reply,
		      int64_t deadline_ns, int tolerant)
{
	for (;;) {
		json_error_t jerr;
		json_t *r, *id;
		char *line;
		int ret = linebuf_read_line(&a->lb, a->fd, deadline_ns, &line);

		if (ret == -EMSGSIZE && tolerant)
			continue;
		if (ret < 0)
			return ret;
		/* Blank lines are no replies (docs/agent-protocol.md): an
		 * agent restarted by init sends one before its ready line. */
		if (!line[strspn(line, " \t\r")])
			continue;
		if (a->log)
			fprintf(a->log, "< %s\n", line), fflush(a->log);
		r = json_loads(line, 0, &jerr);
		if (!r || !json_is_object(r)) {
			json_decref(r);
			if (tolerant)
				continue;
			return fail(a, -EPROTO,
				    "agent sent invalid JSON: %.120s", line);
		}
		/* Only lines with a boolean "ok" are replies: the guest's tty
		 * echoes our own requests until the agent makes it raw, and
		 * the agent's ready line has no id of ours. */
		id = json_object_get(r, "id");
		if (json_is_boolean(json_object_get(r, "ok")) &&
		    json_is_integer(id) && json_integer_value(id) >= lo &&
		    json_integer_value(id) <= hi) {
			*reply = r;
			return 0;
		}
		json_decref(r);
	}
}

static int reply_status(struct agent *a, const char *op, json_t *r)
{
	json_t *ok = json_object_get(r, "ok");
	int e;

	a->err_errno = 0;
	if (json_is_true(ok))
		return 0;
	if (!json_is_false(ok))
		return fail(a, -EPROTO, "agent reply to %s lacks \"ok\"", op);
	e = (int)json_integer_value(json_object_get(r, "errno"));
	a->err_errno = e;
	fail(a, e > 0 ? -e : -EIO, "agent %s: %s", op,
	     json_string_value(json_object_get(r, "error")) ?: "failed");
	return e > 0 ? -e : -EIO;
}

int agent_call(struct agent *a, json_t *req, json_t **reply,
	       int64_t deadline_ns)
{
	char op[32];
	int64_t left_ms;
	int id = a->next_id++;
	int ret;

	*reply = NULL;
	if (!req) /* a json_pack() that failed */
		return fail(a, -ENOMEM, "agent: out of memory for a request");
	snprintf(op, sizeof(op), "%s",
		 json_string_value(json_object_get(req, "op")) ?: "?");
	left_ms = (deadline_ns - clock_now_ns()) / NS_PER_MS - GUEST_MARGIN_MS;
	json_object_set_new(req, "timeout_ms",
			    json_integer(left_ms > 100 ? left_ms : 100));
	ret = send_req(a, req, id, deadline_ns);
	json_decref(req);
	if (!ret)
		ret = read_reply(a, id, id, reply, deadline_ns, 0);
	if (ret == -ETIMEDOUT)
		return fail(a, ret, "agent %s: no reply by the deadline", op);
	if (ret == -EPIPE)
		return fail(a, ret, "agent %s: channel closed (QEMU gone?)",
			    op);
	if (ret == -EMSGSIZE)
		return fail(a, -EPROTO, "agent %s: reply line too long", op);
	if (ret < 0 && ret != -EPROTO && ret != -EINTR)
		return fail(a, ret, "agent %s: %s", op, strerror(-ret));
	if (ret)
		return ret;
	return reply_status(a, op, *reply);
}

int agent_hello(struct agent *a, struct agent_hello *h, int64_t deadline_ns,
		int (*alive)(void *), void *arg)
{
	int first = a->next_id;

	for (;;) {
		int64_t retry = clock_now_ns() + NS_PER_S;
		json_t *r = NULL;
		int ret, id = a->next_id++;

		if (retry > deadline_ns)
			retry = deadline_ns;
		json_t *req = json_pack("{s:s}", "op", "hello");

		ret = req ? send_req(a, req, id, retry) : -ENOMEM;
		json_decref(req);
		if (!ret)
			ret = read_reply(a, first, id, &r, retry, 1);
		if (!ret) {
			ret = reply_status(a, "hello", r);
			if (!ret)
				ret = agent_parse_hello(r, h);
			json_decref(r);
			return ret;
		}
		if (ret != -ETIMEDOUT && ret != -EAGAIN)
			return fail(a, ret, "agent hello: %s", strerror(-ret));
		if (alive && !alive(arg))
			return fail(a, -ECHILD, "QEMU exited during boot");
		if (clock_now_ns() >= deadline_ns)
			return fail(a, -ETIMEDOUT, "agent never said hello");
	}
}

static int call_op(struct agent *a, json_t *req, json_t **r,
		   int64_t deadline_ns)
{
	*r = NULL;
	if (!req)
		return -ENOMEM;
	return agent_call(a, req, r, deadline_ns);
}

int agent_meminfo(struct agent *a, struct agent_meminfo *m, int64_t deadline_ns)
{
	json_t *r;
	int ret = call_op(a, json_pack("{s:s}", "op", "meminfo"), &r,
			  deadline_ns);

	if (!ret && agent_parse_meminfo(r, m))
		ret = fail(a, -EPROTO, "agent meminfo: malformed reply");
	json_decref(r);
	return ret;
}

int agent_blocks(struct agent *a, struct agent_blocks *b, int64_t deadline_ns)
{
	json_t *r;
	int ret =
		call_op(a, json_pack("{s:s}", "op", "blocks"), &r, deadline_ns);

	if (!ret && agent_parse_blocks(r, b))
		ret = fail(a, -EPROTO, "agent blocks: malformed reply");
	json_decref(r);
	return ret;
}

/* An op whose reply carries nothing the caller needs. */
static int call_plain(struct agent *a, const char *op, int64_t deadline_ns)
{
	json_t *r;
	int ret = call_op(a, json_pack("{s:s}", "op", op), &r, deadline_ns);

	json_decref(r);
	return ret;
}

int agent_uevents_clear(struct agent *a, int64_t deadline_ns)
{
	return call_plain(a, "uevents_clear", deadline_ns);
}

int agent_wait_blocks(struct agent *a, const char *action, int count,
		      struct agent_uevents *ev, int64_t deadline_ns)
{
	json_t *r;
	int ret;

	/* Without a reply (transport failure) there are no events: the caller
	 * must not read the previous call's. */
	ev->n = 0;
	ev->acpi_ts_ns = -1;
	ret = call_op(a,
		      json_pack("{s:s,s:s,s:i}", "op", "wait_blocks", "action",
				action, "count", count),
		      &r, deadline_ns);
	/* A timeout still carries the events seen so far. */
	if (r && agent_parse_uevents(r, ev) && !ret)
		ret = fail(a, -EPROTO, "agent wait_blocks: malformed reply");
	json_decref(r);
	return ret;
}

int agent_set_state(struct agent *a, const char *op, int block,
		    const char *zone, int64_t inject_delay_us,
		    int64_t settle_us, struct agent_state_result *s,
		    int64_t deadline_ns)
{
	json_t *req = json_pack("{s:s,s:i}", "op", op, "block", block);
	json_t *r;
	int ret;

	memset(s, 0, sizeof(*s));
	s->block = block;
	s->gap_ns = -1;
	if (req && zone && !strcmp(op, "online"))
		json_object_set_new(req, "zone", json_string(zone));
	if (req && inject_delay_us > 0 && !strcmp(op, "online"))
		json_object_set_new(req, "inject_delay_us",
				    json_integer(inject_delay_us));
	if (req && settle_us > 0)
		json_object_set_new(req, "settle_us", json_integer(settle_us));
	ret = call_op(a, req, &r, deadline_ns);
	if (r)
		agent_parse_state(r, s);
	s->err = ret < 0 ? -ret : 0;
	json_decref(r);
	return ret;
}

int agent_poweroff(struct agent *a, int64_t deadline_ns)
{
	return call_plain(a, "poweroff", deadline_ns);
}

int agent_hog(struct agent *a, int64_t free_kib, struct agent_hog *h,
	      int64_t deadline_ns)
{
	json_t *r;
	int ret = call_op(a,
			  json_pack("{s:s,s:I}", "op", "hog", "free_kib",
				    (json_int_t)free_kib),
			  &r, deadline_ns);

	if (!ret && agent_parse_hog(r, h))
		ret = fail(a, -EPROTO, "agent hog: malformed reply");
	json_decref(r);
	return ret;
}

int agent_oom_status(struct agent *a, struct agent_oom_status *st,
		     int64_t deadline_ns)
{
	json_t *r;
	int ret = call_op(a, json_pack("{s:s}", "op", "oom_status"), &r,
			  deadline_ns);

	if (!ret && agent_parse_oom_status(r, st))
		ret = fail(a, -EPROTO, "agent oom_status: malformed reply");
	json_decref(r);
	return ret;
}

/* --- reply parsers ------------------------------------------------------ */

static void copy_str(char *dst, size_t len, const json_t *v)
{
	snprintf(dst, len, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static void parse_params(const json_t *params, struct agent_hello *h)
{
	const char *name;
	const json_t *v;

	if (!json_is_object(params))
		return;
	json_object_foreach((json_t *)params, name, v)
	{
		if (h->nparams == AGENT_MAX_PARAMS)
			break;
		snprintf(h->params[h->nparams].name, sizeof(h->params[0].name),
			 "%s", name);
		copy_str(h->params[h->nparams].value,
			 sizeof(h->params[0].value), v);
		h->nparams++;
	}
}

int agent_parse_hello(const json_t *r, struct agent_hello *h)
{
	const json_t *nodes = json_object_get(r, "nodes");
	const json_t *bs = json_object_get(r, "block_size_bytes");
	size_t i;

	memset(h, 0, sizeof(*h));
	if (!json_is_string(json_object_get(r, "kernel_release")) ||
	    !json_is_integer(bs) || json_integer_value(bs) <= 0)
		return -EPROTO;
	copy_str(h->kernel_release, sizeof(h->kernel_release),
		 json_object_get(r, "kernel_release"));
	copy_str(h->kernel_version, sizeof(h->kernel_version),
		 json_object_get(r, "kernel_version"));
	copy_str(h->cmdline, sizeof(h->cmdline), json_object_get(r, "cmdline"));
	copy_str(h->memmap_on_memory, sizeof(h->memmap_on_memory),
		 json_object_get(r, "memmap_on_memory"));
	h->block_size = (uint64_t)json_integer_value(bs);
	parse_params(json_object_get(r, "hotplug_params"), h);
	/* A hex string: the address does not fit a JSON integer. */
	if (json_is_string(json_object_get(r, "text_base")))
		h->text_base = strtoull(
			json_string_value(json_object_get(r, "text_base")),
			NULL, 16);
	if (json_is_array(nodes))
		for (i = 0; i < json_array_size(nodes) && h->nnodes < 64; i++)
			h->nodes[h->nnodes++] = (int)json_integer_value(
				json_array_get(nodes, i));
	return 0;
}

static int kib(const json_t *mi, const char *key, int64_t *out)
{
	const json_t *v = json_object_get(mi, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -EPROTO;
	*out = json_integer_value(v);
	return 0;
}

int agent_parse_meminfo(const json_t *r, struct agent_meminfo *m)
{
	const json_t *mi = json_object_get(r, "meminfo");

	memset(m, 0, sizeof(*m));
	if (!json_is_object(mi) || kib(mi, "MemTotal", &m->mem_total) ||
	    kib(mi, "MemFree", &m->mem_free))
		return -EPROTO;
	if (kib(mi, "MemAvailable", &m->mem_available))
		m->mem_available = -1; /* absent before 3.14 */
	if (kib(r, "pcp_free_kib", &m->pcp_free))
		m->pcp_free = -1;
	if (kib(r, "nr_memmap_pages", &m->memmap_pages))
		m->memmap_pages = -1;
	m->ts_ns = json_integer_value(json_object_get(r, "ts_ns"));
	return 0;
}

int agent_parse_blocks(const json_t *r, struct agent_blocks *b)
{
	const json_t *arr = json_object_get(r, "blocks");
	size_t i;

	b->n = 0;
	if (!json_is_array(arr) || json_array_size(arr) > AGENT_MAX_BLOCKS)
		return -EPROTO;
	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *e = json_array_get(arr, i);
		struct agent_block *blk = &b->b[b->n];

		if (!json_is_integer(json_object_get(e, "id")))
			return -EPROTO;
		blk->id = (int)json_integer_value(json_object_get(e, "id"));
		copy_str(blk->state, sizeof(blk->state),
			 json_object_get(e, "state"));
		copy_str(blk->zones, sizeof(blk->zones),
			 json_object_get(e, "zones"));
		blk->node = json_is_integer(json_object_get(e, "node"))
				    ? (int)json_integer_value(
					      json_object_get(e, "node"))
				    : -1;
		b->n++;
	}
	return 0;
}

int agent_parse_uevents(const json_t *r, struct agent_uevents *ev)
{
	const json_t *arr = json_object_get(r, "events");
	const json_t *acpi = json_object_get(r, "acpi_ts_ns");
	size_t i;

	ev->n = 0;
	ev->acpi_ts_ns = json_is_integer(acpi) ? json_integer_value(acpi) : -1;
	if (!json_is_array(arr) || json_array_size(arr) > AGENT_MAX_BLOCKS)
		return -EPROTO;
	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *e = json_array_get(arr, i);
		const json_t *blk = json_object_get(e, "block");
		const json_t *ts = json_object_get(e, "ts_ns");

		/* A block number and a CLOCK_MONOTONIC time: never negative,
		 * so a span of them cannot overflow. */
		if (!json_is_integer(blk) || json_integer_value(blk) < 0 ||
		    json_integer_value(blk) > INT_MAX || !json_is_integer(ts) ||
		    json_integer_value(ts) < 0)
			return -EPROTO;
		ev->block[ev->n] = (int)json_integer_value(blk);
		ev->ts_ns[ev->n] = json_integer_value(ts);
		ev->n++;
	}
	return 0;
}

int agent_parse_state(const json_t *r, struct agent_state_result *s)
{
	const json_t *ns = json_object_get(r, "ns");

	if (json_is_integer(json_object_get(r, "block")))
		s->block = (int)json_integer_value(json_object_get(r, "block"));
	copy_str(s->state, sizeof(s->state), json_object_get(r, "state"));
	copy_str(s->zones, sizeof(s->zones), json_object_get(r, "zones"));
	/* Bounded so that a DIMM's sum over its blocks cannot overflow. */
	if (!json_is_integer(ns) || json_integer_value(ns) < 0 ||
	    json_integer_value(ns) > INT64_MAX / AGENT_MAX_BLOCKS)
		return -EPROTO;
	s->ns = json_integer_value(ns);
	/* Older agents, and the first write of a boot, have no gap. */
	s->gap_ns = json_is_integer(json_object_get(r, "gap_ns")) &&
				    json_integer_value(
					    json_object_get(r, "gap_ns")) >= 0
			    ? json_integer_value(json_object_get(r, "gap_ns"))
			    : -1;
	return 0;
}

int agent_parse_hog(const json_t *r, struct agent_hog *h)
{
	memset(h, 0, sizeof(*h));
	if (!json_is_integer(json_object_get(r, "pid")) ||
	    kib(r, "hog_kib", &h->hog_kib) ||
	    kib(r, "memfree_kib", &h->memfree_kib))
		return -EPROTO;
	h->pid = (int)json_integer_value(json_object_get(r, "pid"));
	if (kib(r, "min_free_kbytes", &h->min_free_kbytes))
		h->min_free_kbytes = -1;
	return 0;
}

int agent_parse_oom_status(const json_t *r, struct agent_oom_status *st)
{
	const json_t *lines = json_object_get(r, "kmsg");
	size_t i;

	memset(st, 0, sizeof(*st));
	if (!json_is_integer(json_object_get(r, "oom_kill")) ||
	    !json_is_array(lines))
		return -EPROTO;
	st->oom_kill = json_integer_value(json_object_get(r, "oom_kill"));
	st->hog_alive = json_is_true(json_object_get(r, "hog_alive"));
	st->hog_signal =
		(int)json_integer_value(json_object_get(r, "hog_signal"));
	for (i = 0; i < json_array_size(lines) && st->nkmsg < AGENT_KMSG_MAX;
	     i++)
		copy_str(st->kmsg[st->nkmsg++], sizeof(st->kmsg[0]),
			 json_array_get(lines, i));
	return 0;
}
