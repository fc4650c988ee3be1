// SPDX-License-Identifier: GPL-2.0-or-later
/* Garbage on the agent channel and on the QMP socket: the real clients
 * (harness/proto/agent.c, harness/proto/qmp.c over common/linebuf.c) against a
 * fake peer that writes invalid JSON, over-long lines, endless streams without
 * a newline, unexpected events, replies with wrong ids, deep nesting,
 * invalid UTF-8, or hangs up. Every case must end in a clear error (or a
 * success where skipping is right), never a crash or a hang: each call
 * returns within its own deadline plus a little slack. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "proto/agent.h"
#include "clock.h"
#include "proto/qmp.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Each call under test gets this deadline... */
#define DEADLINE_MS 1000
/* ...and must be back by then plus this. */
#define SLACK_MS 1500
/* The clients' line limits (harness/proto/agent.c, harness/proto/qmp.c). */
#define AGENT_MAX_LINE (64 * 1024)
#define QMP_MAX_LINE (1024 * 1024)

enum act_kind {
	SEND,	 /* text as is */
	SEND_ID, /* text as a printf format with the last request's id */
	RECV,	 /* one line from the client; remembers its "id" */
	FILL,	 /* n bytes of c, then "\n" if nl */
	HANGUP,	 /* close our end */
	END,
};

struct act {
	enum act_kind kind;
	const char *text;
	size_t n;
	char c;
	int nl;
};

#define A_SEND(t)                                                              \
	{                                                                      \
		.kind = SEND, .text = (t)                                      \
	}
#define A_SEND_ID(t)                                                           \
	{                                                                      \
		.kind = SEND_ID, .text = (t)                                   \
	}
#define A_RECV                                                                 \
	{                                                                      \
		.kind = RECV                                                   \
	}
#define A_FILL(count, ch, newline)                                             \
	{                                                                      \
		.kind = FILL, .n = (count), .c = (ch), .nl = (newline)         \
	}
#define A_HANGUP                                                               \
	{                                                                      \
		.kind = HANGUP                                                 \
	}
#define A_END                                                                  \
	{                                                                      \
		.kind = END                                                    \
	}

struct peer {
	const struct act *script;
	int fd;
	int listen_fd; /* agent: accept first */
	long long last_id;
	pthread_t th;
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0)
			return -1; /* the client went away: fine */
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int recv_line(struct peer *p)
{
	char buf[65536];
	size_t len = 0;
	char *id;

	while (len < sizeof(buf) - 1) {
		ssize_t n = read(p->fd, buf + len, 1);

		if (n <= 0)
			return -1;
		if (buf[len++] == '\n')
			break;
	}
	buf[len] = '\0';
	id = strstr(buf, "\"id\":");
	p->last_id = id ? strtoll(id + 5, NULL, 10) : -1;
	return 0;
}

static void *peer_main(void *arg)
{
	struct peer *p = arg;

	if (p->listen_fd >= 0) {
		p->fd = accept(p->listen_fd, NULL, NULL);
		if (p->fd < 0)
			return NULL;
	}
	for (const struct act *a = p->script; a->kind != END; a++) {
		int r = 0;

		switch (a->kind) {
		case SEND:
			r = write_all(p->fd, a->text, strlen(a->text));
			break;
		case SEND_ID: {
			char line[4096];
			int n = snprintf(line, sizeof(line), a->text,
					 p->last_id);

			r = write_all(p->fd, line, (size_t)n);
			break;
		}
		case RECV:
			r = recv_line(p);
			break;
		case FILL: {
			static char chunk[65536];
			size_t left = a->n;

			memset(chunk, a->c, sizeof(chunk));
			while (left && !r) {
				size_t k = left < sizeof(chunk) ? left
								: sizeof(chunk);

				r = write_all(p->fd, chunk, k);
				left -= k;
			}
			if (!r && a->nl)
				r = write_all(p->fd, "\n", 1);
			break;
		}
		case HANGUP:
			close(p->fd);
			p->fd = -1;
			break;
		case END:
			break;
		}
		if (r)
			break;
	}
	return NULL;
}

static void peer_start(struct peer *p, const struct act *script, int fd,
		       int listen_fd)
{
	p->script = script;
	p->fd = fd;
	p->listen_fd = listen_fd;
	p->last_id = -1;
	assert_int_equal(pthread_create(&p->th, NULL, peer_main, p), 0);
}

/* The client is done: unblock a peer still writing, then reap it. */
static void peer_stop(struct peer *p)
{
	if (p->fd >= 0)
		shutdown(p->fd, SHUT_RDWR);
	pthread_join(p->th, NULL);
	if (p->fd >= 0)
		close(p->fd);
	if (p->listen_fd >= 0)
		close(p->listen_fd);
}

static int64_t deadline(void)
{
	return clock_now_ns() + DEADLINE_MS * NS_PER_MS;
}

static void assert_in_time(int64_t t0)
{
	int64_t ms = (clock_now_ns() - t0) / NS_PER_MS;

	if (ms > DEADLINE_MS + SLACK_MS)
		fail_msg("took %lld ms, deadline %d ms", (long long)ms,
			 DEADLINE_MS);
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' does not say '%s'", text, want);
}

/* --- agent ------------------------------------------------------------ */

struct agent_fix {
	char dir[32], path[64];
	struct agent a;
	struct peer p;
};

static void agent_up(struct agent_fix *f, const struct act *script)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int lfd;

	snprintf(f->dir, sizeof(f->dir), "/tmp/mhp-garbage.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/agent.sock", f->dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	peer_start(&f->p, script, -1, lfd);
	assert_int_equal(agent_connect(&f->a, f->path, deadline()), 0);
}

static void agent_down(struct agent_fix *f)
{
	agent_close(&f->a);
	peer_stop(&f->p);
	unlink(f->path);
	rmdir(f->dir);
}

/* One plain request against @script; returns agent_call's result. */
static int agent_try(const struct act *script, char *err, size_t len)
{
	struct agent_fix f;
	json_t *reply = NULL;
	int64_t t0;
	int ret;

	agent_up(&f, script);
	t0 = clock_now_ns();
	ret = agent_call(&f.a, json_pack("{s:s}", "op", "meminfo"), &reply,
			 deadline());
	assert_in_time(t0);
	snprintf(err, len, "%s", f.a.err);
	json_decref(reply);
	agent_down(&f);
	return ret;
}

static void test_agent_invalid_json(void **state)
{
	static const struct act s[] = {
		A_RECV, A_SEND("{\"id\": 1, \"ok\": tru\n"), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), -EPROTO);
	assert_has(err, "invalid JSON");
}

static void test_agent_not_object(void **state)
{
	static const struct act s[] = {A_RECV, A_SEND("[1, 2, 3]\n"), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), -EPROTO);
	assert_has(err, "invalid JSON");
}

static void test_agent_huge_line(void **state)
{
	static const struct act s[] = {
		A_RECV, A_FILL(4 * AGENT_MAX_LINE, 'x', 1), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), -EPROTO);
	assert_has(err, "too long");
}

/* 16 MiB and no newline ever: bounded memory, an error at once. */
static void test_agent_endless_line(void **state)
{
	static const struct act s[] = {A_RECV, A_FILL(16 << 20, '{', 0), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), -EPROTO);
	assert_has(err, "too long");
}

static void test_agent_deep_nesting(void **state)
{
	static const struct act s[] = {A_RECV, A_FILL(60000, '[', 1), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), -EPROTO);
}

static void test_agent_bad_utf8(void **state)
{
	static const struct act s[] = {
		A_RECV,
		A_SEND("{\"id\": 1, \"ok\": true, \"x\": \"\xff\xfe\xc0\"}\n"),
		A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), -EPROTO);
}

/* Replies to other requests, and lines that are no replies, are skipped:
 * with nothing else coming, that is a timeout at the deadline. */
static void test_agent_wrong_ids(void **state)
{
	static const struct act s[] = {
		A_RECV,
		A_SEND_ID("{\"id\": %lld0, \"ok\": true}\n"),
		A_SEND("{\"id\": \"1\", \"ok\": true}\n"),
		A_SEND_ID("{\"id\": %lld, \"ok\": \"yes\"}\n"),
		A_SEND_ID("{\"id\": %lld}\n"),
		A_SEND("{\"id\": null, \"ok\": true, \"ready\": true}\n"),
		A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), -ETIMEDOUT);
	assert_has(err, "no reply by the deadline");
}

static void test_agent_wrong_then_right(void **state)
{
	static const struct act s[] = {
		A_RECV, A_SEND_ID("{\"id\": %lld1, \"ok\": true}\n"),
		A_SEND("\n\r\n   \n"),
		A_SEND_ID("{\"id\": %lld, \"ok\": true, \"meminfo\": {}}\n"),
		A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), 0);
}

static void test_agent_hangup(void **state)
{
	static const struct act s[] = {A_RECV, A_SEND("{\"id\": 1, \"o"),
				       A_HANGUP, A_END};
	char err[1024];

	(void)state;
	assert_int_equal(agent_try(s, err, sizeof(err)), -EPIPE);
	assert_has(err, "channel closed");
}

/* Well-formed replies with nonsense in them: the typed parsers say so. */
static void test_agent_malformed_replies(void **state)
{
	static const struct act s[] = {
		A_RECV,
		A_SEND_ID("{\"id\": %lld, \"ok\": true, \"meminfo\": "
			  "\"lots\"}\n"),
		A_RECV,
		A_SEND_ID("{\"id\": %lld, \"ok\": true, \"blocks\": {}}\n"),
		A_RECV,
		A_SEND_ID("{\"id\": %lld, \"ok\": false, \"errno\": \"x\"}\n"),
		A_END};
	struct agent_meminfo mi;
	struct agent_fix f;
	int64_t t0;

	(void)state;
	agent_up(&f, s);
	t0 = clock_now_ns();
	assert_int_equal(agent_meminfo(&f.a, &mi, deadline()), -EPROTO);
	assert_has(f.a.err, "malformed");
	{
		static struct agent_blocks b;

		assert_int_equal(agent_blocks(&f.a, &b, deadline()), -EPROTO);
		assert_has(f.a.err, "malformed");
	}
	/* A failure without a usable errno is -EIO, not a crash. */
	assert_int_equal(agent_uevents_clear(&f.a, deadline()), -EIO);
	assert_in_time(t0);
	agent_down(&f);
}

/* hello skips garbage (serial noise before the agent runs) and retries
 * until its own deadline. */
static void test_agent_hello_garbage(void **state)
{
	static const struct act s[] = {
		A_SEND("\x01\x02garbage\r\nmore }{ garbage\n"),
		A_FILL(3 * AGENT_MAX_LINE, '#', 1),
		A_SEND("{\"id\": 99, \"ok\": true}\n[]\n"), A_END};
	struct agent_hello h;
	struct agent_fix f;
	int64_t t0;

	(void)state;
	agent_up(&f, s);
	t0 = clock_now_ns();
	assert_int_equal(agent_hello(&f.a, &h, deadline(), NULL, NULL),
			 -ETIMEDOUT);
	assert_in_time(t0);
	agent_down(&f);
}

/* --- QMP -------------------------------------------------------------- */

#define GREETING                                                               \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "     \
	"\"major\": 7}, \"package\": \"\"}, \"capabilities\": []}}\n"
#define CAPS A_RECV, A_SEND_ID("{\"return\": {}, \"id\": %lld}\n")

struct qmp_fix {
	struct qmp *q;
	struct peer p;
};

static int qmp_up(struct qmp_fix *f, const struct act *script)
{
	int sv[2], ret;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);
	peer_start(&f->p, script, sv[1], -1);
	ret = qmp_open_fd(&f->q, sv[0], deadline());
	return ret;
}

static void qmp_down(struct qmp_fix *f)
{
	qmp_close(f->q);
	f->q = NULL;
	peer_stop(&f->p);
}

/* One command against @script after a good handshake. */
static int qmp_try(const struct act *script, char *err, size_t len, int *queued)
{
	struct qmp_fix f;
	int64_t t0;
	int ret;

	assert_int_equal(qmp_up(&f, script), 0);
	t0 = clock_now_ns();
	ret = qmp_execute(f.q, "query-status", NULL, NULL, deadline(), NULL);
	assert_in_time(t0);
	snprintf(err, len, "%s", qmp_errmsg(f.q));
	if (queued)
		*queued = qmp_queued(f.q);
	qmp_down(&f);
	return ret;
}

static void test_qmp_bad_greeting(void **state)
{
	static const struct act s[] = {A_SEND("Welcome to QEMU!\n"), A_END};
	struct qmp_fix f;
	int64_t t0 = clock_now_ns();

	(void)state;
	assert_int_equal(qmp_up(&f, s), -EPROTO);
	assert_in_time(t0);
	assert_has(qmp_errmsg(NULL), "not JSON");
	peer_stop(&f.p);
}

static void test_qmp_invalid_json(void **state)
{
	static const struct act s[] = {A_SEND(GREETING), CAPS, A_RECV,
				       A_SEND("{\"return\": }\n"), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), NULL), -EPROTO);
	assert_has(err, "not JSON");
}

static void test_qmp_huge_line(void **state)
{
	static const struct act s[] = {A_SEND(GREETING), CAPS, A_RECV,
				       A_FILL(2 * QMP_MAX_LINE, 'x', 1), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), NULL), -EPROTO);
	assert_has(err, "longer than");
}

static void test_qmp_endless_line(void **state)
{
	static const struct act s[] = {A_SEND(GREETING), CAPS, A_RECV,
				       A_FILL(64 << 20, ' ', 0), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), NULL), -EPROTO);
	assert_has(err, "longer than");
}

static void test_qmp_deep_nesting(void **state)
{
	static const struct act s[] = {A_SEND(GREETING), CAPS, A_RECV,
				       A_FILL(100000, '{', 1), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), NULL), -EPROTO);
}

/* Events nobody asked for are queued, the reply still found. */
static void test_qmp_unexpected_events(void **state)
{
	static const struct act s[] = {
		A_SEND(GREETING),
		CAPS,
		A_RECV,
		A_SEND("{\"event\": \"NO_SUCH_EVENT\", \"data\": {\"x\": 1}}\n"
		       "{\"event\": \"STOP\"}\n"
		       "{\"event\": \"RESUME\", \"data\": [1, 2]}\n"
		       "{\"event\": \"\", \"data\": null}\n"),
		A_SEND_ID("{\"return\": {\"status\": \"running\"}, \"id\": "
			  "%lld}\n"),
		A_END};
	char err[1024];
	int queued = -1;

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), &queued), 0);
	assert_int_equal(queued, 4);
}

static void test_qmp_event_without_name(void **state)
{
	static const struct act s[] = {A_SEND(GREETING), CAPS, A_RECV,
				       A_SEND("{\"event\": 42}\n"), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), NULL), -EPROTO);
	assert_has(err, "without a name");
}

/* Replies to other ids (and ids that are not integers) are ignored: a
 * timeout at the deadline. */
static void test_qmp_wrong_ids(void **state)
{
	static const struct act s[] = {
		A_SEND(GREETING),
		CAPS,
		A_RECV,
		A_SEND_ID("{\"return\": {}, \"id\": %lld7}\n"),
		A_SEND("{\"return\": {}, \"id\": \"x\"}\n"),
		A_SEND("{\"return\": {}, \"id\": 1.5}\n"),
		A_END};
	char err[1024];

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), NULL), -ETIMEDOUT);
	assert_has(err, "timed out waiting for the reply to query-status");
}

static void test_qmp_neither_reply_nor_event(void **state)
{
	static const struct act s[] = {A_SEND(GREETING), CAPS, A_RECV,
				       A_SEND_ID("{\"id\": %lld}\n"), A_END};
	char err[1024];

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), NULL), -EPROTO);
	assert_has(err, "neither a reply nor an event");
}

static void test_qmp_hangup(void **state)
{
	static const struct act s[] = {A_SEND(GREETING), CAPS,	   A_RECV,
				       A_SEND("{\"ret"), A_HANGUP, A_END};
	char err[1024];

	(void)state;
	assert_int_equal(qmp_try(s, err, sizeof(err), NULL), -EPIPE);
	assert_has(err, "closed the QMP socket");
}

/* Waiting for an event: unrelated events until the deadline, then
 * garbage. */
static void test_qmp_wait_event(void **state)
{
	static const struct act s[] = {
		A_SEND(GREETING),
		CAPS,
		A_SEND("{\"event\": \"STOP\"}\n{\"event\": \"RESUME\"}\n"),
		A_RECV, /* only once the first wait is over */
		A_SEND("\x7f\x45LF garbage\n"),
		A_END};
	struct qmp_event ev;
	struct qmp_fix f;
	int64_t t0;

	(void)state;
	assert_int_equal(qmp_up(&f, s), 0);
	t0 = clock_now_ns();
	assert_int_equal(qmp_wait_event(f.q, "DEVICE_DELETED", NULL, NULL, &ev,
					deadline()),
			 -ETIMEDOUT);
	assert_in_time(t0);
	assert_int_equal(qmp_queued(f.q), 2);
	/* Nudge the peer on, then wait again: garbage ends the wait. */
	t0 = clock_now_ns();
	assert_int_equal(qmp_execute(f.q, "cont", NULL, NULL, deadline(), NULL),
			 -EPROTO);
	assert_in_time(t0);
	assert_has(qmp_errmsg(f.q), "not JSON");
	qmp_down(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agent_invalid_json),
		cmocka_unit_test(test_agent_not_object),
		cmocka_unit_test(test_agent_huge_line),
		cmocka_unit_test(test_agent_endless_line),
		cmocka_unit_test(test_agent_deep_nesting),
		cmocka_unit_test(test_agent_bad_utf8),
		cmocka_unit_test(test_agent_wrong_ids),
		cmocka_unit_test(test_agent_wrong_then_right),
		cmocka_unit_test(test_agent_hangup),
		cmocka_unit_test(test_agent_malformed_replies),
		cmocka_unit_test(test_agent_hello_garbage),
		cmocka_unit_test(test_qmp_bad_greeting),
		cmocka_unit_test(test_qmp_invalid_json),
		cmocka_unit_test(test_qmp_huge_line),
		cmocka_unit_test(test_qmp_endless_line),
		cmocka_unit_test(test_qmp_deep_nesting),
		cmocka_unit_test(test_qmp_unexpected_events),
		cmocka_unit_test(test_qmp_event_without_name),
		cmocka_unit_test(test_qmp_wrong_ids),
		cmocka_unit_test(test_qmp_neither_reply_nor_event),
		cmocka_unit_test(test_qmp_hangup),
		cmocka_unit_test(test_qmp_wait_event),
	};

	signal(SIGPIPE, SIG_IGN); /* the peer writes into closed sockets */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
