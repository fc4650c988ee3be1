// SPDX-License-Identifier: GPL-2.0-or-later
/* QMP client against transcripts recorded from a real QEMU (the *.log
 * files in tests/data/qmp: "< " QEMU to us, "> " us to QEMU, "#" comments).
 * A peer thread plays QEMU's side on a socketpair in step with the client:
 * it sends the "<" lines in order and, at each ">" line, reads the client's
 * line and compares it as JSON with the id left out. Ids in later "<" lines
 * are mapped to the ones the client actually used. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "clock.h"
#include "linebuf.h"
#include "proto/qmp.h"
#include "base/err.h"
#include "run/dimm.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define PEER_TIMEOUT_MS 5000
/* The client's limit (harness/proto/qmp.c). */
#define QMP_MAX_LINE (1024 * 1024)

struct tline {
	char dir; /* '<' QEMU to client, '>' client to QEMU */
	char *text;
};

struct strv {
	char **v;
	int n;
};

struct replay {
	struct tline *v;
	int n;
	int close_at_end; /* EOF after the script, as QEMU after "quit" */
	size_t cut_last;  /* send only this much of the last line, then EOF */
	int reset_at_end; /* after the script, close with input unread */
	int coalesce;	  /* send consecutive "<" lines in one write() */
	FILE *pending;	  /* lines held back for that write */
	char *pbuf;
	size_t plen;
	const char *listen_path; /* listen here (late) instead of socketpair */

	int fd; /* the peer's end */
	pthread_t th;
	int running;
	json_int_t idmap[64][2]; /* transcript id -> client id */
	int nmap;
	struct strv sent; /* "<" lines as sent */
	struct strv got;  /* ">" lines as received */
	char err[1024];	  /* first thing that went wrong in the peer */

	struct qmp *q;
	FILE *log;
	char *logbuf;
	size_t loglen;
};

static void strv_push(struct strv *s, const char *text)
{
	char **n = realloc(s->v, (s->n + 1) * sizeof(*n));

	if (!n)
		abort();
	s->v = n;
	s->v[s->n++] = strdup(text);
}

static void strv_free(struct strv *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void script_insert(struct replay *r, int at, char dir, const char *text)
{
	struct tline *n = realloc(r->v, (r->n + 1) * sizeof(*n));

	if (!n)
		abort();
	r->v = n;
	memmove(&r->v[at + 1], &r->v[at], (r->n - at) * sizeof(*n));
	r->v[at].dir = dir;
	r->v[at].text = strdup(text);
	r->n++;
}

static void script_add(struct replay *r, char dir, const char *text)
{
	script_insert(r, r->n, dir, text);
}

/* Drops the script from line @from on. */
static void script_cut(struct replay *r, int from)
{
	while (r->n > from)
		free(r->v[--r->n].text);
}

static const char *data_dir(void)
{
	const char *d = getenv("MHP_QMP_DATA");

	return d ? d : "tests/data/qmp";
}

static void script_load(struct replay *r, const char *name)
{
	char path[512], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s (run from the repository root, or set "
			 "MHP_QMP_DATA)",
			 path, strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		if (len < 2 || (line[0] != '<' && line[0] != '>') ||
		    line[1] != ' ') {
			fclose(f);
			fail_msg("%s: bad transcript line '%s'", path, line);
		}
		script_add(r, line[0], line + 2);
	}
	free(line);
	fclose(f);
}

static void peer_fail(struct replay *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void peer_fail(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

/* A "<" line as sent: the transcript's text verbatim, unless it carries an
 * id that the client numbered differently. */
static char *map_ids(struct replay *r, const char *text)
{
	json_t *m = json_loads(text, 0, NULL);
	json_t *id = json_object_get(m, "id");
	char *out = NULL;

	if (json_is_integer(id)) {
		for (int i = r->nmap - 1; i >= 0; i--) {
			if (r->idmap[i][0] != json_integer_value(id))
				continue;
			if (r->idmap[i][1] != r->idmap[i][0]) {
				json_object_set_new(
					m, "id", json_integer(r->idmap[i][1]));
				out = json_dumps(m, 0);
			}
			break;
		}
	}
	json_decref(m);
	return out ? out : strdup(text);
}

static void expect_client_line(struct replay *r, int i, const char *want,
			       const char *got)
{
	json_t *w = json_loads(want, 0, NULL), *g = json_loads(got, 0, NULL);
	json_t *wid = json_object_get(w, "id"), *gid = json_object_get(g, "id");

	if (!json_is_object(g) || !json_is_integer(gid)) {
		peer_fail(r,
			  "script line %d: client sent '%s', not a command "
			  "with an integer id",
			  i, got);
	} else if (json_is_integer(wid) && r->nmap < 64) {
		r->idmap[r->nmap][0] = json_integer_value(wid);
		r->idmap[r->nmap][1] = json_integer_value(gid);
		r->nmap++;
	}
	json_object_del(w, "id");
	json_object_del(g, "id");
	if (!r->err[0] && !json_equal(w, g))
		peer_fail(r, "script line %d: expected '%s', client sent '%s'",
			  i, want, got);
	json_decref(w);
	json_decref(g);
}

static int listen_late(struct replay *r)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int lfd, fd;

	/* Late, so that the client has to retry. */
	usleep(50 * 1000);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", r->listen_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 1) < 0) {
		peer_fail(r, "listen %s: %s", r->listen_path, strerror(errno));
		if (lfd >= 0)
			close(lfd);
		return -1;
	}
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		peer_fail(r, "accept: %s", strerror(errno));
	close(lfd);
	return fd;
}

/* Sends script line @i, QEMU's side. With r->coalesce, a run of "<" lines
 * is gathered in *pending and goes out in one write(), so that the client
 * gets them in one read(). */
static void send_line(struct replay *r, int i)
{
	char *text = map_ids(r, r->v[i].text), *out = text;
	size_t len;
	int rc;

	if (i == r->n - 1 && r->cut_last) {
		len = strlen(text);
		len = r->cut_last < len ? r->cut_last : len;
		if (write(r->fd, text, len) != (ssize_t)len)
			peer_fail(r, "write: %s", strerror(errno));
		free(text);
		return;
	}
	strv_push(&r->sent, text);
	if (r->coalesce && i + 1 < r->n && r->v[i + 1].dir == '<') {
		if (!r->pending)
			r->pending = open_memstream(&r->pbuf, &r->plen);
		fprintf(r->pending, "%s\n", text);
		free(text);
		return;
	}
	if (r->pending) {
		/* With its newline: linebuf would write that separately. */
		fprintf(r->pending, "%s\n", text);
		fclose(r->pending);
		r->pending = NULL;
		free(text);
		out = text = r->pbuf;
		r->pbuf = NULL;
	}
	rc = linebuf_write_line(r->fd, out, strlen(out),
				clock_deadline_ms(PEER_TIMEOUT_MS));
	if (rc < 0)
		peer_fail(r, "script line %d: %s", i, strerror(-rc));
	free(text);
}

static void *peer(void *arg)
{
	struct replay *r = arg;
	struct linebuf lb;
	char *line;
	int i, rc;

	if (r->listen_path)
		r->fd = listen_late(r);
	if (r->fd < 0 || linebuf_init(&lb, 4 * QMP_MAX_LINE) < 0)
		return NULL;
	for (i = 0; i < r->n && !r->err[0]; i++) {
		int64_t deadline = clock_deadline_ms(PEER_TIMEOUT_MS);

		if (r->v[i].dir == '<') {
			send_line(r, i);
			continue;
		}
		rc = linebuf_read_line(&lb, r->fd, deadline, &line);
		if (rc != 1) {
			peer_fail(r,
				  "script line %d: expected '%s' from the "
				  "client, got %s",
				  i, r->v[i].text, strerror(-rc));
			break;
		}
		strv_push(&r->got, line);
		expect_client_line(r, i, r->v[i].text, line);
	}
	if (r->reset_at_end && !r->err[0]) {
		/* Closing with data unread gives the client ECONNRESET; wait
		 * for a whole line, so that its write has completed. */
		int64_t deadline = clock_deadline_ms(PEER_TIMEOUT_MS);
		char peek[4096];
		ssize_t n;

		do {
			struct pollfd pfd = {.fd = r->fd, .events = POLLIN};

			poll(&pfd, 1, clock_poll_ms(deadline));
			n = recv(r->fd, peek, sizeof(peek) - 1,
				 MSG_PEEK | MSG_DONTWAIT);
		} while (clock_now_ns() < deadline &&
			 (n <= 0 || !memchr(peek, '\n', n)));
		if (n <= 0 || !memchr(peek, '\n', n)) {
			peer_fail(r, "the client sent no line to leave unread");
		} else {
			/* Received, if never read: the client logged it. */
			*(char *)memchr(peek, '\n', n) = '\0';
			strv_push(&r->got, peek);
		}
	} else if (!r->close_at_end && !r->cut_last) {
		/* Like QEMU, keep the socket open until the client closes it;
		 * anything it sends now was not in the script. */
		while ((rc = linebuf_read_line(
				&lb, r->fd, clock_deadline_ms(PEER_TIMEOUT_MS),
				&line)) == 1)
			peer_fail(r, "client sent '%s' after the script", line);
		if (rc != -EPIPE)
			peer_fail(r, "waiting for the client to close: %s",
				  strerror(-rc));
	}
	close(r->fd);
	r->fd = -1;
	linebuf_free(&lb);
	return NULL;
}

static int setup(void **state)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (!r)
		return -1;
	r->fd = -1;
	*state = r;
	return 0;
}

static void replay_join(struct replay *r)
{
	qmp_close(r->q);
	r->q = NULL;
	if (r->running)
		pthread_join(r->th, NULL);
	r->running = 0;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	if (r->log)
		fclose(r->log);
	r->log = NULL;
}

static int teardown(void **state)
{
	struct replay *r = *state;

	replay_join(r);
	script_cut(r, 0);
	free(r->v);
	strv_free(&r->sent);
	strv_free(&r->got);
	free(r->logbuf);
	free(r);
	return 0;
}

/* Starts the peer, then connects the client to it (its log going to
 * r->logbuf). Returns qmp_open_fd()'s or qmp_connect()'s result. */
static int replay_start(struct replay *r)
{
	sigset_t all, old;
	int sv[2] = {-1, -1}, rc;

	if (!r->listen_path)
		assert_int_equal(
			socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			0);
	r->fd = sv[0];
	/* Signals are for the client (test_eintr), not the peer. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&r->th, NULL, peer, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	assert_int_equal(rc, 0);
	r->running = 1;
	if (r->listen_path)
		rc = qmp_connect(&r->q, r->listen_path,
				 clock_deadline_ms(PEER_TIMEOUT_MS));
	else
		rc = qmp_open_fd(&r->q, sv[1],
				 clock_deadline_ms(PEER_TIMEOUT_MS));
	if (rc < 0)
		return rc;
	r->log = open_memstream(&r->logbuf, &r->loglen);
	assert_non_null(r->log);
	qmp_set_log(r->q, r->log);
	return 0;
}

static void replay_open(struct replay *r, const char *name)
{
	int rc;

	if (name)
		script_load(r, name);
	rc = replay_start(r);
	if (rc < 0)
		fail_msg("connecting: %s: %s", strerror(-rc), qmp_errmsg(NULL));
}

/* Ends the session and checks that the client sent exactly the script's
 * ">" lines and logged what went each way. */
static void replay_check(struct replay *r)
{
	char *save = NULL, *line, *log;
	int nin = 0, nout = 0;

	replay_join(r);
	if (r->err[0])
		fail_msg("peer: %s", r->err);
	assert_non_null(r->logbuf);
	log = strdup(r->logbuf);
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		assert_true(line[0] == '<' || line[0] == '>');
		assert_int_equal(line[1], ' ');
		if (line[0] == '>') {
			assert_true(nout < r->got.n);
			assert_string_equal(line + 2, r->got.v[nout++]);
			continue;
		}
		/* The client logs a note instead of an over-long line. */
		while (nin < r->sent.n && strlen(r->sent.v[nin]) > QMP_MAX_LINE)
			nin++;
		assert_true(nin < r->sent.n);
		assert_string_equal(line + 2, r->sent.v[nin++]);
	}
	free(log);
	assert_int_equal(nout, r->got.n);
}

static int64_t ms_ago(int64_t t)
{
	return (clock_now_ns() - t) / NS_PER_MS;
}

static void run_ok(struct replay *r, const char *cmd, json_t *args,
		   json_t **ret)
{
	int rc = qmp_execute(r->q, cmd, args, ret,
			     clock_deadline_ms(PEER_TIMEOUT_MS), NULL);

	if (rc < 0)
		fail_msg("%s: %s: %s", cmd, strerror(-rc), qmp_errmsg(r->q));
}

static void run_fails(struct replay *r, const char *cmd, json_t *args, int want)
{
	json_t *ret = json_true();

	assert_int_equal(qmp_execute(r->q, cmd, args, &ret,
				     clock_deadline_ms(PEER_TIMEOUT_MS), NULL),
			 want);
	assert_null(ret);
}

static void expect_errmsg_has(struct replay *r, const char *part)
{
	if (!strstr(qmp_errmsg(r->q), part))
		fail_msg("'%s' not in '%s'", part, qmp_errmsg(r->q));
}

static void test_greeting(void **state)
{
	struct replay *r = *state;

	replay_open(r, "greeting.log");
	assert_string_equal(qmp_version(r->q), "7.2.22");
	assert_string_equal(qmp_package(r->q),
			    "Debian 1:7.2+dfsg-7+deb12u18+b3");
	assert_int_equal(qmp_queued(r->q), 0);
	replay_check(r);
}

static void test_bad_greeting(void **state)
{
	struct replay *r = *state;

	script_add(r, '<',
		   "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
		   "\"event\": \"RESUME\"}");
	r->close_at_end = 1;
	assert_int_equal(replay_start(r), -EPROTO);
	assert_null(r->q);
	assert_non_null(strstr(qmp_errmsg(NULL), "greeting"));
	assert_non_null(strstr(qmp_errmsg(NULL), "RESUME"));
	replay_join(r);
	assert_string_equal(r->err, "");
}

static void test_connect_retries(void **state)
{
	struct replay *r = *state;
	char dir[] = "/tmp/mhp-test-qmp-XXXXXX", path[64];
	int64_t t0;
	int rc;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/qmp.sock", dir);
	/* Nobody there: a bounded wait, then a message naming the path. */
	t0 = clock_now_ns();
	rc = qmp_connect(&r->q, path, clock_deadline_ms(50));
	assert_true(ms_ago(t0) >= 50);
	assert_int_equal(rc, -ETIMEDOUT);
	assert_non_null(strstr(qmp_errmsg(NULL), path));
	/* The peer listens only after 50 ms. */
	script_load(r, "greeting.log");
	r->listen_path = path;
	rc = replay_start(r);
	unlink(path);
	rmdir(dir);
	if (rc < 0)
		fail_msg("%s", qmp_errmsg(NULL));
	assert_string_equal(qmp_version(r->q), "7.2.22");
	replay_check(r);
}

static void test_query_version(void **state)
{
	struct replay *r = *state;
	int64_t t0, sent = 0;
	json_t *ret = NULL;

	replay_open(r, "query-version.log");
	t0 = clock_now_ns();
	assert_int_equal(qmp_execute(r->q, "query-version", NULL, &ret,
				     clock_deadline_ms(PEER_TIMEOUT_MS), &sent),
			 0);
	assert_true(sent >= t0 && sent <= clock_now_ns());
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(ret, "qemu"), "major")),
			 7);
	assert_string_equal(json_string_value(json_object_get(ret, "package")),
			    qmp_package(r->q));
	json_decref(ret);
	replay_check(r);
}

static void test_hotplug(void **state)
{
	struct replay *r = *state;
	json_t *ret = NULL, *dimm;

	replay_open(r, "hotplug.log");
	run_ok(r, "object-add",
	       json_pack("{s:s, s:s, s:I}", "qom-type", "memory-backend-ram",
			 "id", "m1", "size", (json_int_t)134217728),
	       NULL);
	run_ok(r, "device_add",
	       json_pack("{s:s, s:s, s:s}", "driver", "pc-dimm", "id", "d1",
			 "memdev", "m1"),
	       NULL);
	run_ok(r, "query-memory-devices", NULL, &ret);
	assert_int_equal(json_array_size(ret), 1);
	dimm = json_object_get(json_array_get(ret, 0), "data");
	assert_string_equal(json_string_value(json_object_get(dimm, "id")),
			    "d1");
	assert_int_equal(json_integer_value(json_object_get(dimm, "size")),
			 134217728);
	json_decref(ret);
	run_fails(r, "object-del", json_pack("{s:s}", "id", "m1"), -EIO);
	assert_string_equal(qmp_errmsg(r->q),
			    "object-del: object 'm1' is in use, can not be "
			    "deleted (GenericError)");
	replay_check(r);
}

static void test_error_replies(void **state)
{
	struct replay *r = *state;
	json_t *m1 =
		json_pack("{s:s, s:s, s:I}", "qom-type", "memory-backend-ram",
			  "id", "m1", "size", (json_int_t)134217728);

	replay_open(r, "errors.log");
	run_fails(
		r, "device_add",
		json_pack("{s:s, s:s}", "driver", "no-such-device", "id", "x1"),
		-EIO);
	assert_string_equal(qmp_errmsg(r->q),
			    "device_add: 'no-such-device' is not a valid "
			    "device model name (GenericError)");
	run_fails(r, "device_add",
		  json_pack("{s:s, s:s, s:s}", "driver", "pc-dimm", "id", "d2",
			    "memdev", "no-such-memdev"),
		  -EIO);
	assert_string_equal(qmp_errmsg(r->q),
			    "device_add: Device 'no-such-memdev' not found "
			    "(DeviceNotFound)");
	run_fails(r, "no-such-command", NULL, -EIO);
	assert_string_equal(qmp_errmsg(r->q),
			    "no-such-command: The command no-such-command has "
			    "not been found (CommandNotFound)");
	run_ok(r, "object-add", json_deep_copy(m1), NULL);
	run_fails(r, "object-add", m1, -EIO);
	expect_errmsg_has(r, "object-add: attempt to add duplicate property");
	replay_check(r);
}

/* A string member of @data, or "" when there is none. */
static const char *member(const json_t *data, const char *key)
{
	const char *s = json_string_value(json_object_get(data, key));

	return s ? s : "";
}

static int has_reason(const json_t *data, void *arg)
{
	return !strcmp(member(data, "reason"), arg);
}

/* Real events: QEMU sends RESUME, STOP and SHUTDOWN before the reply to
 * the command that caused them, then EOF after "quit". */
static void test_events_before_reply(void **state)
{
	struct replay *r = *state;
	struct qmp_event resume, stop, shut, ev;
	int64_t deadline = clock_deadline_ms(PEER_TIMEOUT_MS);

	r->close_at_end = 1;
	replay_open(r, "lifecycle.log");
	run_ok(r, "object-add",
	       json_pack("{s:s, s:s, s:I}", "qom-type", "memory-backend-ram",
			 "id", "m1", "size", (json_int_t)134217728),
	       NULL);
	run_ok(r, "device_add",
	       json_pack("{s:s, s:s, s:s}", "driver", "pc-dimm", "id", "d1",
			 "memdev", "m1"),
	       NULL);
	run_ok(r, "cont", NULL, NULL);
	assert_int_equal(qmp_queued(r->q), 1);
	run_ok(r, "stop", NULL, NULL);
	run_ok(r, "device_del", json_pack("{s:s}", "id", "d1"), NULL);
	run_ok(r, "query-status", NULL, NULL);
	run_ok(r, "quit", NULL, NULL);
	assert_int_equal(qmp_queued(r->q), 3);

	/* Asked out of order: the others stay queued, in order. */
	assert_int_equal(
		qmp_wait_event(r->q, "STOP", NULL, NULL, &stop, deadline), 0);
	assert_int_equal(qmp_queued(r->q), 2);
	assert_int_equal(qmp_wait_event(r->q, "SHUTDOWN", has_reason,
					"host-qmp-quit", &shut, deadline),
			 0);
	assert_false(json_boolean_value(json_object_get(shut.data, "guest")));
	assert_int_equal(
		qmp_wait_event(r->q, "RESUME", NULL, NULL, &resume, deadline),
		0);
	assert_null(resume.data);
	assert_string_equal(resume.name, "RESUME");
	assert_true(resume.recv_ns <= stop.recv_ns);
	assert_true(stop.recv_ns <= shut.recv_ns);
	assert_true(shut.recv_ns <= clock_now_ns());
	assert_int_equal(qmp_queued(r->q), 0);

	assert_int_equal(qmp_wait_event(r->q, "DEVICE_DELETED", NULL, NULL, &ev,
					deadline),
			 -EPIPE);
	expect_errmsg_has(r, "QEMU closed the QMP socket");
	expect_errmsg_has(r, "DEVICE_DELETED");
	qmp_event_free(&resume);
	qmp_event_free(&stop);
	qmp_event_free(&shut);
	replay_check(r);
}

static int source_is(const json_t *data, void *arg)
{
	json_t *info = json_object_get(data, "info");

	return json_integer_value(json_object_get(info, "source")) ==
	       *(json_int_t *)arg;
}

static int device_is(const json_t *data, void *arg)
{
	return !strcmp(member(data, "device"), arg);
}

static void run_events_script(struct replay *r)
{
	replay_open(r, "events.log");
	run_ok(r, "object-add",
	       json_pack("{s:s, s:s, s:I}", "qom-type", "memory-backend-ram",
			 "id", "m1", "size", (json_int_t)134217728),
	       NULL);
	run_ok(r, "device_add",
	       json_pack("{s:s, s:s, s:s}", "driver", "pc-dimm", "id", "d1",
			 "memdev", "m1"),
	       NULL);
	run_ok(r, "query-status", NULL, NULL);
	run_ok(r, "device_del", json_pack("{s:s}", "id", "d1"), NULL);
	run_ok(r, "query-status", NULL, NULL);
	assert_int_equal(qmp_queued(r->q), 3);
}

static void test_wait_event(void **state)
{
	struct replay *r = *state;
	struct qmp_event del, ost, eject;
	json_int_t eject_src = 259;
	int64_t t0;

	run_events_script(r);
	/* Queued events are found even with the deadline already past. */
	assert_int_equal(qmp_wait_event(r->q, "DEVICE_DELETED", device_is, "d1",
					&del, clock_now_ns()),
			 0);
	assert_string_equal(
		json_string_value(json_object_get(del.data, "path")),
		"/machine/peripheral/d1");
	assert_int_equal(qmp_wait_event(r->q, "ACPI_DEVICE_OST", source_is,
					&eject_src, &eject,
					clock_deadline_ms(PEER_TIMEOUT_MS)),
			 0);
	assert_int_equal(qmp_queued(r->q), 1);
	assert_int_equal(qmp_wait_event(r->q, "ACPI_DEVICE_OST", NULL, NULL,
					&ost,
					clock_deadline_ms(PEER_TIMEOUT_MS)),
			 0);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(ost.data, "info"), "source")),
			 1);
	assert_true(ost.recv_ns <= eject.recv_ns);
	assert_true(eject.recv_ns <= del.recv_ns);
	qmp_event_free(&del);

	/* Nothing more is coming: a timeout that names the event. */
	t0 = clock_now_ns();
	assert_int_equal(qmp_wait_event(r->q, "DEVICE_DELETED", NULL, NULL,
					&del, clock_deadline_ms(50)),
			 -ETIMEDOUT);
	assert_true(ms_ago(t0) >= 50);
	assert_null(del.data);
	assert_string_equal(qmp_errmsg(r->q),
			    "timed out waiting for event DEVICE_DELETED");
	qmp_event_free(&eject);
	qmp_event_free(&ost);
	replay_check(r);
}

static void test_drop_events(void **state)
{
	struct replay *r = *state;

	run_events_script(r);
	assert_int_equal(qmp_drop_events(r->q, "ACPI_DEVICE_OST"), 2);
	assert_int_equal(qmp_queued(r->q), 1);
	assert_int_equal(qmp_drop_events(r->q, "ACPI_DEVICE_OST"), 0);
	assert_int_equal(qmp_drop_events(r->q, NULL), 1);
	assert_int_equal(qmp_queued(r->q), 0);
	replay_check(r);
}

static void test_garbage(void **state)
{
	struct replay *r = *state;
	json_t *ret = NULL;

	replay_open(r, "garbage.log");
	run_fails(r, "query-version", NULL, -EPROTO);
	expect_errmsg_has(r, "not JSON");
	expect_errmsg_has(r, "the reply to query-version");
	expect_errmsg_has(r, "'qemu-system-x86_64: warning: this is not JSON'");
	run_fails(r, "query-status", NULL, -EPROTO);
	expect_errmsg_has(r, "neither a reply nor an event");
	expect_errmsg_has(r, "[\"not\", \"an\", \"object\"]");
	run_fails(r, "query-status", NULL, -EPROTO);
	expect_errmsg_has(r, "neither a reply nor an event");
	expect_errmsg_has(r, "\"hello\"");
	/* Still in step: late replies are skipped, this one is ours. */
	run_ok(r, "query-status", NULL, &ret);
	assert_string_equal(json_string_value(json_object_get(ret, "status")),
			    "prelaunch");
	json_decref(ret);
	replay_check(r);
	assert_non_null(strstr(r->logbuf, "# ignored reply with id 2"));
	assert_non_null(strstr(r->logbuf, "# ignored reply with id 4"));
}

static void test_overlong_line(void **state)
{
	struct replay *r = *state;
	size_t len = QMP_MAX_LINE + 64;
	char *big = malloc(len + 1), *query, *reply;
	json_t *ret = NULL;
	int n;

	assert_non_null(big);
	script_load(r, "query-version.log");
	/* An event too long to accept, just before the reply ... */
	n = snprintf(big, len + 1,
		     "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
		     "\"event\": \"BIG\", \"data\": {\"x\": \"");
	memset(big + n, 'x', len - n - 3);
	strcpy(big + len - 3, "\"}}");
	script_insert(r, r->n - 1, '<', big);
	free(big);
	/* ... and the same command again, which must work. */
	query = strdup(r->v[r->n - 3].text);
	reply = strdup(r->v[r->n - 1].text);
	script_add(r, '>', query);
	script_add(r, '<', reply);
	free(query);
	free(reply);
	replay_open(r, NULL);
	run_fails(r, "query-version", NULL, -EPROTO);
	expect_errmsg_has(r, "longer than 1048576 bytes");
	expect_errmsg_has(r, "query-version");
	run_ok(r, "query-version", NULL, &ret);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(ret, "qemu"), "minor")),
			 2);
	json_decref(ret);
	assert_int_equal(qmp_queued(r->q), 0);
	replay_check(r);
	assert_non_null(strstr(r->logbuf, "# line longer than"));
}

static void test_eof_mid_reply(void **state)
{
	struct replay *r = *state;

	script_load(r, "query-version.log");
	r->cut_last = 30;
	replay_open(r, NULL);
	run_fails(r, "query-version", NULL, -EPIPE);
	assert_string_equal(qmp_errmsg(r->q),
			    "QEMU closed the QMP socket while we waited for "
			    "the reply to query-version");
	replay_check(r);
}

/* QEMU exits with our input unread (it acts on "quit" before reading the
 * rest): the kernel reports ECONNRESET, which is still just EOF to us. */
static void test_reset(void **state)
{
	struct replay *r = *state;

	script_load(r, "greeting.log");
	r->reset_at_end = 1;
	replay_open(r, NULL);
	run_fails(r, "quit", NULL, -EPIPE);
	expect_errmsg_has(r, "QEMU closed the QMP socket");
	expect_errmsg_has(r, "quit");
	replay_check(r);
}

static void test_timeout(void **state)
{
	struct replay *r = *state;
	int64_t t0;

	script_load(r, "query-version.log");
	script_cut(r, r->n - 1); /* QEMU never answers */
	replay_open(r, NULL);
	t0 = clock_now_ns();
	assert_int_equal(qmp_execute(r->q, "query-version", NULL, NULL,
				     clock_deadline_ms(100), NULL),
			 -ETIMEDOUT);
	assert_true(ms_ago(t0) >= 100);
	assert_true(ms_ago(t0) < 2000);
	assert_string_equal(qmp_errmsg(r->q),
			    "timed out waiting for the reply to query-version");
	replay_check(r);
}

static void test_late_reply(void **state)
{
	struct replay *r = *state;
	json_t *ret = NULL;

	replay_open(r, "late-reply.log");
	assert_int_equal(qmp_execute(r->q, "query-version", NULL, &ret,
				     clock_deadline_ms(100), NULL),
			 -ETIMEDOUT);
	run_ok(r, "query-status", NULL, &ret);
	/* Not the version that arrived first. */
	assert_string_equal(json_string_value(json_object_get(ret, "status")),
			    "prelaunch");
	json_decref(ret);
	replay_check(r);
	assert_non_null(strstr(r->logbuf, "# ignored reply with id 2"));
}

/* An event that comes in the same read() as a reply keeps the time of that
 * read, however late someone asks for it. */
static void test_recv_time(void **state)
{
	struct replay *r = *state;
	struct qmp_event ev;
	int64_t sent = 0, done;

	script_load(r, "query-version.log");
	script_add(r, '<',
		   "{\"timestamp\": {\"seconds\": 1795410701, "
		   "\"microseconds\": 518840}, \"event\": \"DEVICE_DELETED\", "
		   "\"data\": {\"device\": \"d1\", \"path\": "
		   "\"/machine/peripheral/d1\"}}");
	r->coalesce = 1;
	replay_open(r, NULL);
	assert_int_equal(qmp_execute(r->q, "query-version", NULL, NULL,
				     clock_deadline_ms(PEER_TIMEOUT_MS), &sent),
			 0);
	done = clock_now_ns();
	usleep(100 * 1000);
	assert_int_equal(qmp_wait_event(r->q, "DEVICE_DELETED", NULL, NULL, &ev,
					clock_deadline_ms(PEER_TIMEOUT_MS)),
			 0);
	assert_true(ev.recv_ns >= sent);
	assert_true(ev.recv_ns <= done);
	qmp_event_free(&ev);
	replay_check(r);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_eintr(void **state)
{
	struct replay *r = *state;
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	struct itimerval it = {.it_value = {.tv_usec = 50 * 1000}};
	struct itimerval off = {0};
	int rc;

	script_load(r, "query-version.log");
	script_cut(r, r->n - 1);
	replay_open(r, NULL);
	sigaction(SIGALRM, &sa, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	rc = qmp_execute(r->q, "query-version", NULL, NULL,
			 clock_deadline_ms(PEER_TIMEOUT_MS), NULL);
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	assert_int_equal(rc, -EINTR);
	expect_errmsg_has(r, "interrupted");
	expect_errmsg_has(r, "query-version");
	replay_check(r);
}

static void test_args_not_object(void **state)
{
	struct replay *r = *state;

	replay_open(r, "greeting.log");
	run_fails(r, "device_add", json_pack("[s]", "pc-dimm"), -EINVAL);
	expect_errmsg_has(r, "device_add");
	replay_check(r);
}

/* The log is itself a transcript: for a recorded session it reproduces
 * the recording line for line. */
static void test_log_is_transcript(void **state)
{
	struct replay *r = *state;
	char path[512], *want = NULL, *line = NULL;
	size_t wlen = 0, cap = 0;
	FILE *f, *w = open_memstream(&want, &wlen);

	test_hotplug(state);
	snprintf(path, sizeof(path), "%s/hotplug.log", data_dir());
	f = fopen(path, "r");
	assert_non_null(f);
	while (getline(&line, &cap, f) >= 0)
		if (line[0] != '#')
			fputs(line, w);
	fclose(f);
	fclose(w);
	free(line);
	assert_string_equal(r->logbuf, want);
	free(want);
}

/* A real cycle recorded by mhpbench from a 6.1 guest: the guest's _OST
 * events come after the replies, and the eject's "in progress" (0x84)
 * precedes DEVICE_DELETED. */
static void test_recorded_cycle(void **state)
{
	struct replay *r = *state;
	struct qmp_event ost, del, eject;
	json_int_t eject_src = 3;

	replay_open(r, "cycle.log");
	run_ok(r, "object-add",
	       json_pack("{s:s, s:s, s:I}", "qom-type", "memory-backend-ram",
			 "id", "mem0", "size", (json_int_t)134217728),
	       NULL);
	run_ok(r, "device_add",
	       json_pack("{s:s, s:s, s:s, s:i}", "driver", "pc-dimm", "id",
			 "dimm0", "memdev", "mem0", "node", 0),
	       NULL);
	assert_int_equal(qmp_wait_event(r->q, "ACPI_DEVICE_OST", NULL, NULL,
					&ost,
					clock_deadline_ms(PEER_TIMEOUT_MS)),
			 0);
	assert_int_equal(
		dimm_ost_verdict(1, (int)json_integer_value(json_object_get(
					    json_object_get(ost.data, "info"),
					    "status"))),
		OST_DONE);
	run_ok(r, "device_del", json_pack("{s:s}", "id", "dimm0"), NULL);
	assert_int_equal(qmp_wait_event(r->q, "DEVICE_DELETED", device_is,
					"dimm0", &del,
					clock_deadline_ms(PEER_TIMEOUT_MS)),
			 0);
	assert_int_equal(qmp_wait_event(r->q, "ACPI_DEVICE_OST", source_is,
					&eject_src, &eject, clock_now_ns()),
			 0);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(eject.data, "info"), "status")),
		0x84);
	assert_int_equal(dimm_ost_verdict(3, 0x84), OST_PENDING);
	assert_true(eject.recv_ns <= del.recv_ns);
	run_ok(r, "object-del", json_pack("{s:s}", "id", "mem0"), NULL);
	/* The final _OST of the eject names no device any more. */
	assert_int_equal(qmp_queued(r->q), 1);
	qmp_event_free(&ost);
	qmp_event_free(&del);
	qmp_event_free(&eject);
	replay_check(r);
}

static void test_ost_verdict(void **state)
{
	assert_int_equal(dimm_ost_verdict(1, 0), OST_DONE);
	assert_int_equal(dimm_ost_verdict(1, 0x80), OST_PENDING);
	assert_int_equal(dimm_ost_verdict(1, 0x81), OST_REFUSED); /* driver */
	assert_int_equal(dimm_ost_verdict(1, 1), OST_REFUSED);
	assert_int_equal(dimm_ost_verdict(3, 0), OST_DONE);
	assert_int_equal(dimm_ost_verdict(3, 0x84), OST_PENDING);
	assert_int_equal(dimm_ost_verdict(3, 0x80), OST_REFUSED); /* unsupp. */
	assert_int_equal(dimm_ost_verdict(3, 0x82), OST_REFUSED); /* busy */
	assert_int_equal(dimm_ost_verdict(3, 1), OST_REFUSED);
	assert_int_equal(dimm_ost_verdict(0x103, 0), OST_OTHER);
}

/* The DIMM calls of both benchmarks (run/dimm.c) need of the guest only
 * its QMP connection and its block size. */
static void dimm_guest(struct guest *g, struct replay *r)
{
	memset(g, 0, sizeof(*g));
	g->qmp = r->q;
	g->agent.fd = -1;
	g->hello.block_size = 128 << 20;
}

/* The recorded cycle through run/dimm.c: the same commands go out, and
 * the times bracket the guest's answers. */
static void test_dimm_recorded_cycle(void **state)
{
	struct replay *r = *state;
	int64_t dl = clock_deadline_ms(PEER_TIMEOUT_MS);
	int64_t plugged, inserted, del_sent, deleted;
	struct guest g;
	static struct dimm d; /* large */

	replay_open(r, "cycle.log");
	dimm_guest(&g, r);
	dimm_init(&d, &g, 128 << 20);
	assert_string_equal(d.dev, "dimm0");
	assert_string_equal(d.mem, "mem0");
	assert_int_equal(d.nblocks, 1);
	assert_int_equal(g.dimm_seq, 1);
	assert_int_equal(dimm_plug(&d, 0, dl, &plugged), 0);
	assert_true(d.added && d.plugged);
	assert_int_equal(dimm_wait_inserted(&d, dl, &inserted, NULL), 0);
	assert_true(plugged <= inserted);
	assert_int_equal(dimm_del(&d, dl, &del_sent), 0);
	assert_int_equal(dimm_wait_deleted(&d, dl, &deleted), 0);
	assert_false(d.plugged);
	assert_true(inserted <= del_sent && del_sent <= deleted);
	assert_int_equal(dimm_object_del(&d, dl), 0);
	assert_false(d.added);
	replay_check(r);
}

/* An _OST of another DIMM (left over from an earlier add) neither closes
 * nor fails this add; "in progress" is waited through; a refusal comes
 * back with its status. Ids follow the guest's counter. */
static void test_dimm_refused_add(void **state)
{
	struct replay *r = *state;
	int64_t dl = clock_deadline_ms(PEER_TIMEOUT_MS);
	struct guest g;
	static struct dimm d;
	int status = 0;

	script_load(r, "greeting.log");
	script_add(r, '>',
		   "{\"execute\":\"object-add\",\"arguments\":{\"qom-type\":"
		   "\"memory-backend-ram\",\"id\":\"mem3\",\"size\":"
		   "268435456},\"id\":2}");
	script_add(r, '<', "{\"return\": {}, \"id\": 2}");
	script_add(r, '>',
		   "{\"execute\":\"device_add\",\"arguments\":{\"driver\":"
		   "\"pc-dimm\",\"id\":\"dimm3\",\"memdev\":\"mem3\","
		   "\"node\":1},\"id\":3}");
	script_add(r, '<', "{\"return\": {}, \"id\": 3}");
	script_add(r, '<',
		   "{\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": "
		   "{\"device\": \"dimm2\", \"source\": 1, \"status\": 0}}}");
	script_add(r, '<',
		   "{\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": "
		   "{\"device\": \"dimm3\", \"source\": 1, \"status\": 128}}}");
	script_add(r, '<',
		   "{\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": "
		   "{\"device\": \"dimm3\", \"source\": 1, \"status\": 1}}}");
	replay_open(r, NULL);
	dimm_guest(&g, r);
	g.dimm_seq = 3;
	dimm_init(&d, &g, 256 << 20);
	assert_int_equal(d.nblocks, 2);
	assert_int_equal(dimm_plug(&d, 1, dl, NULL), 0);
	assert_int_equal(dimm_wait_inserted(&d, dl, NULL, &status), -EIO);
	assert_int_equal(status, 1);
	/* The other DIMM's event is still there for whoever wants it. */
	assert_int_equal(qmp_queued(r->q), 1);
	replay_check(r);
}

/* A refused eject: no DEVICE_DELETED, but the guest's failing _OST,
 * which the wait reports with the DIMM and the status. */
static void test_dimm_refused_eject(void **state)
{
	struct replay *r = *state;
	struct guest g;
	static struct dimm d;

	script_load(r, "greeting.log");
	script_add(r, '>',
		   "{\"execute\":\"device_del\",\"arguments\":{\"id\":"
		   "\"dimm0\"},\"id\":2}");
	script_add(r, '<', "{\"return\": {}, \"id\": 2}");
	script_add(r, '<',
		   "{\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": "
		   "{\"device\": \"dimm0\", \"source\": 3, \"status\": 132}}}");
	script_add(r, '<',
		   "{\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": "
		   "{\"device\": \"dimm0\", \"source\": 3, \"status\": 130}}}");
	replay_open(r, NULL);
	dimm_guest(&g, r);
	dimm_init(&d, &g, 128 << 20);
	d.added = d.plugged = 1;
	assert_int_equal(dimm_del(&d, clock_deadline_ms(PEER_TIMEOUT_MS), NULL),
			 0);
	err_reset();
	assert_int_equal(
		dimm_wait_deleted(&d, clock_deadline_ms(PEER_TIMEOUT_MS), NULL),
		-EBUSY);
	assert_int_equal(err_class(), EXIT_FAIL);
	assert_string_equal(err_msg(),
			    "guest refused to eject dimm0: _OST status 0x82");
	assert_true(d.plugged);
	err_reset();
	replay_check(r);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_greeting),
		T(test_bad_greeting),
		T(test_connect_retries),
		T(test_query_version),
		T(test_hotplug),
		T(test_error_replies),
		T(test_events_before_reply),
		T(test_wait_event),
		T(test_drop_events),
		T(test_garbage),
		T(test_overlong_line),
		T(test_eof_mid_reply),
		T(test_reset),
		T(test_timeout),
		T(test_late_reply),
		T(test_recv_time),
		T(test_eintr),
		T(test_args_not_object),
		T(test_log_is_transcript),
		T(test_recorded_cycle),
		cmocka_unit_test(test_ost_verdict),
		T(test_dimm_recorded_cycle),
		T(test_dimm_refused_add),
		T(test_dimm_refused_eject),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
