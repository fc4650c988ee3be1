// SPDX-License-Identifier: GPL-2.0-or-later
/* QMP client. One command is in flight at a time; its reply is found by id.
 * Anything else that arrives meanwhile is either an event (queued in order
 * for qmp_wait_event) or a stale reply (ignored). Every wait has a deadline
 * and every failure leaves a message in q->errmsg. */
#include "proto/qmp.h"
#include "clock.h"
#include "linebuf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Our replies are small; 1 MiB bounds memory while still allowing large
 * query results (query-qom-tree and the like). */
#define QMP_MAX_LINE (1024 * 1024)
#define QMP_ERRMSG_MAX 1024
/* How much of QEMU's bad output is quoted in an error message. */
#define QMP_QUOTE_MAX 160
/* QEMU creates the socket a moment after exec; poll for it this often. */
#define QMP_RETRY_NS (10 * NS_PER_MS)

/* What handle_msg() made of a message. */
enum { MSG_IGNORED, MSG_EVENT, MSG_REPLY };

struct qmp {
	int fd;
	struct linebuf lb;
	/* When the read() that completed the buffered lines returned. */
	int64_t fill_ns;
	json_int_t next_id;
	FILE *log;
	/* The greeting and capabilities exchange, until a log is set. */
	char *hs_log;
	char version[64];
	char package[256];
	struct qmp_event *evq; /* arrival order */
	int nev, evcap;
	char errmsg[QMP_ERRMSG_MAX];
};

/* qmp_errmsg(NULL): why the last qmp_connect()/qmp_open_fd() failed, since
 * they hand back no struct qmp to hold the message. */
static _Thread_local char open_errmsg[QMP_ERRMSG_MAX];

static int set_err(struct qmp *q, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_err(struct qmp *q, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q ? q->errmsg : open_errmsg, QMP_ERRMSG_MAX, fmt, ap);
	va_end(ap);
	return err;
}

/* QEMU's output as it goes into a message: printable ASCII, bounded. */
static const char *quote(char *dst, size_t size, const char *s)
{
	size_t n = strlen(s), max = size - 4, i;

	for (i = 0; i < n && i < max; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	strcpy(dst + i, n > max ? "..." : "");
	return dst;
}

static void log_line(struct qmp *q, char dir, const char *line)
{
	if (!q->log)
		return;
	fprintf(q->log, "%c %s\n", dir, line);
	fflush(q->log);
}

/* Notes start with '#' so that a log stays a replayable transcript. */
static void log_note(struct qmp *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void log_note(struct qmp *q, const char *fmt, ...)
{
	va_list ap;

	if (!q->log)
		return;
	fputs("# ", q->log);
	va_start(ap, fmt);
	vfprintf(q->log, fmt, ap);
	va_end(ap);
	fputc('\n', q->log);
	fflush(q->log);
}

/* Like linebuf_read_line(), but remembers when each read() returned: we
 * only read when no complete line is buffered, so every line handed out
 * was completed by the latest read and fill_ns is its receive time, even
 * when it is handed out long after (an event behind a reply). */
static int next_line(struct qmp *q, int64_t deadline_ns, char **line)
{
	for (;;) {
		struct pollfd pfd = {.fd = q->fd, .events = POLLIN};
		ssize_t n;
		int r = linebuf_next(&q->lb, line);

		if (r != 0)
			return r;
		r = poll(&pfd, 1, clock_poll_ms(deadline_ns));
		if (r < 0)
			return -errno; /* -EINTR too: the caller decides */
		if (r == 0)
			return -ETIMEDOUT;
		n = linebuf_fill(&q->lb, q->fd);
		/* A reset is EOF with our input unread: QEMU exited before
		 * reading all we wrote (the "\n" after "quit", say). */
		if (n == 0 || n == -ECONNRESET)
			return -EPIPE;
		if (n == -EAGAIN)
			continue;
		if (n < 0)
			return (int)n;
		q->fill_ns = clock_now_ns();
	}
}

/* Reads the next JSON object from QEMU into *msg (new reference). @what
 * names what we wait for, for the error messages. */
static int read_msg(struct qmp *q, const char *what, int64_t deadline_ns,
		    json_t **msg)
{
	char qb[QMP_QUOTE_MAX];
	json_error_t jerr;
	char *line;
	json_t *m;
	int r = next_line(q, deadline_ns, &line);

	switch (r) {
	case 1:
		break;
	case -ETIMEDOUT:
		return set_err(q, r, "timed out waiting for %s", what);
	case -EPIPE:
		return set_err(
			q, r,
			"QEMU closed the QMP socket while we waited for %s",
			what);
	case -EINTR:
		return set_err(q, r, "interrupted while waiting for %s", what);
	case -EMSGSIZE:
		log_note(q, "line longer than %d bytes skipped", QMP_MAX_LINE);
		return set_err(q, -EPROTO,
			       "QEMU sent a line longer than %d bytes while we "
			       "waited for %s",
			       QMP_MAX_LINE, what);
	default:
		return set_err(q, r, "reading the QMP socket: %s",
			       strerror(-r));
	}
	log_line(q, '<', line);
	m = json_loads(line, 0, &jerr);
	if (!m)
		return set_err(q, -EPROTO,
			       "QEMU sent a line that is not JSON (%s) while "
			       "we waited for %s: '%s'",
			       jerr.text, what, quote(qb, sizeof(qb), line));
	if (!json_is_object(m)) {
		json_decref(m);
		return set_err(q, -EPROTO,
			       "QEMU sent JSON that is neither a reply nor an "
			       "event while we waited for %s: '%s'",
			       what, quote(qb, sizeof(qb), line));
	}
	*msg = m;
	return 1;
}

/* The error for a message that parsed but makes no sense; takes @m. */
static int bad_msg(struct qmp *q, json_t *m, const char *why, const char *what)
{
	char qb[QMP_QUOTE_MAX];
	char *text = json_dumps(m, JSON_COMPACT);

	set_err(q, -EPROTO, "QEMU sent %s while we waited for %s: '%s'", why,
		what, quote(qb, sizeof(qb), text ? text : "?"));
	free(text);
	json_decref(m);
	return -EPROTO;
}

static int queue_event(struct qmp *q, const char *name, json_t *data)
{
	struct qmp_event *ev;

	if (q->nev == q->evcap) {
		int ncap = q->evcap ? 2 * q->evcap : 16;
		struct qmp_event *n = realloc(q->evq, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		q->evq = n;
		q->evcap = ncap;
	}
	ev = &q->evq[q->nev++];
	snprintf(ev->name, sizeof(ev->name), "%s", name);
	ev->data = data ? json_incref(data) : NULL;
	ev->recv_ns = q->fill_ns;
	return 0;
}

/* Sorts one message (takes @m): queues an event, ignores a reply to
 * anything but @want_id, hands a reply to @want_id over in *reply. With
 * @reply NULL no reply is awaited and every one is ignored. */
static int handle_msg(struct qmp *q, json_t *m, json_int_t want_id,
		      const char *what, json_t **reply)
{
	json_t *ev = json_object_get(m, "event");
	json_t *id = json_object_get(m, "id");
	int r;

	if (ev) {
		if (!json_is_string(ev))
			return bad_msg(q, m, "an event without a name", what);
		r = queue_event(q, json_string_value(ev),
				json_object_get(m, "data"));
		json_decref(m);
		if (r < 0)
			return set_err(q, r, "out of memory queueing an event");
		return MSG_EVENT;
	}
	if (!json_object_get(m, "return") && !json_object_get(m, "error"))
		return bad_msg(q, m,
			       "JSON that is neither a reply nor an event",
			       what);
	/* We always send an id; QEMU leaves it out only for a request it
	 * could not parse, which is our bug, so say so loudly. */
	if (!id)
		return bad_msg(q, m, "a reply without an id", what);
	if (reply && json_is_integer(id) && json_integer_value(id) == want_id) {
		*reply = m;
		return MSG_REPLY;
	}
	if (json_is_integer(id))
		log_note(q,
			 "ignored reply with id %" JSON_INTEGER_FORMAT
			 " (not awaited)",
			 json_integer_value(id));
	else
		log_note(q, "ignored reply with a non-integer id");
	json_decref(m);
	return MSG_IGNORED;
}

static int write_cmd(struct qmp *q, const char *cmd, const char *text,
		     int64_t deadline_ns, int64_t *sent_ns)
{
	int r = linebuf_write_line(q->fd, text, strlen(text), deadline_ns);

	if (r == -ECONNRESET)
		r = -EPIPE;
	switch (r) {
	case 0:
		if (sent_ns)
			*sent_ns = clock_now_ns();
		log_line(q, '>', text);
		return 0;
	case -ETIMEDOUT:
		return set_err(q, r, "%s: timed out sending the command", cmd);
	case -EPIPE:
		return set_err(q, r,
			       "%s: QEMU closed the QMP socket before the "
			       "command was sent",
			       cmd);
	case -EINTR:
		return set_err(q, r, "%s: interrupted while sending", cmd);
	default:
		return set_err(q, r, "%s: writing to the QMP socket: %s", cmd,
			       strerror(-r));
	}
}

int qmp_execute(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		int64_t deadline_ns, int64_t *sent_ns)
{
	json_int_t id = q->next_id++;
	json_t *msg = json_object(), *reply = NULL, *err;
	char *text = NULL;
	char what[128];
	int r;

	if (ret)
		*ret = NULL;
	if (args && !json_is_object(args)) {
		json_decref(args);
		r = set_err(q, -EINVAL, "%s: arguments must be a JSON object",
			    cmd);
		goto out;
	}
	/* json_string() fails on a name that is not UTF-8, too. */
	if (!msg || json_object_set_new(msg, "execute", json_string(cmd))) {
		json_decref(args);
		r = set_err(q, -EINVAL, "%s: cannot build the command", cmd);
		goto out;
	}
	if ((args && json_object_set_new(msg, "arguments", args)) ||
	    json_object_set_new(msg, "id", json_integer(id)) ||
	    !(text = json_dumps(msg, JSON_COMPACT))) {
		r = set_err(q, -ENOMEM, "%s: cannot build the command", cmd);
		goto out;
	}
	r = write_cmd(q, cmd, text, deadline_ns, sent_ns);
	if (r < 0)
		goto out;
	snprintf(what, sizeof(what), "the reply to %s", cmd);
	do {
		json_t *m;

		r = read_msg(q, what, deadline_ns, &m);
		if (r < 0)
			goto out;
		r = handle_msg(q, m, id, what, &reply);
		if (r < 0)
			goto out;
	} while (r != MSG_REPLY);

	err = json_object_get(reply, "error");
	if (err) {
		const char *desc =
			json_string_value(json_object_get(err, "desc"));
		const char *cls =
			json_string_value(json_object_get(err, "class"));

		r = set_err(q, -EIO, "%s: %s (%s)", cmd, desc ? desc : "?",
			    cls ? cls : "?");
		goto out;
	}
	if (ret)
		*ret = json_incref(json_object_get(reply, "return"));
	r = 0;
out:
	free(text);
	json_decref(reply);
	json_decref(msg);
	return r;
}

static int event_matches(const struct qmp_event *ev, const char *name,
			 qmp_match_fn match, void *arg)
{
	return (!name || !strcmp(ev->name, name)) &&
	       (!match || match(ev->data, arg));
}

/* Moves queued event @i to @ev, keeping the others in order. */
static void take_event(struct qmp *q, int i, struct qmp_event *ev)
{
	*ev = q->evq[i];
	memmove(&q->evq[i], &q->evq[i + 1], (q->nev - i - 1) * sizeof(*ev));
	q->nev--;
}

int qmp_wait_event(struct qmp *q, const char *name, qmp_match_fn match,
		   void *arg, struct qmp_event *ev, int64_t deadline_ns)
{
	char what[96];
	int i, r;

	memset(ev, 0, sizeof(*ev));
	for (i = 0; i < q->nev; i++) {
		if (event_matches(&q->evq[i], name, match, arg)) {
			take_event(q, i, ev);
			return 0;
		}
	}
	snprintf(what, sizeof(what), "event %s", name ? name : "(any)");
	for (;;) {
		json_t *m;

		r = read_msg(q, what, deadline_ns, &m);
		if (r < 0)
			return r;
		/* No reply is awaited here, not even one with id 0. */
		r = handle_msg(q, m, 0, what, NULL);
		if (r < 0)
			return r;
		if (r == MSG_EVENT &&
		    event_matches(&q->evq[q->nev - 1], name, match, arg)) {
			take_event(q, q->nev - 1, ev);
			return 0;
		}
	}
}

int qmp_drop_events(struct qmp *q, const char *name)
{
	int i, kept = 0, dropped;

	for (i = 0; i < q->nev; i++) {
		if (!name || !strcmp(q->evq[i].name, name))
			qmp_event_free(&q->evq[i]);
		else
			q->evq[kept++] = q->evq[i];
	}
	dropped = q->nev - kept;
	q->nev = kept;
	return dropped;
}

int qmp_queued(const struct qmp *q)
{
	return q->nev;
}

void qmp_event_free(struct qmp_event *ev)
{
	if (!ev)
		return;
	json_decref(ev->data);
	ev->data = NULL;
}

static int read_greeting(struct qmp *q, int64_t deadline_ns)
{
	const char *what = "the QMP greeting", *pkg = "";
	json_int_t major, minor, micro;
	json_t *m;
	int r = read_msg(q, what, deadline_ns, &m);

	if (r < 0)
		return r;
	if (json_unpack(m, "{s:{s:{s:{s:I, s:I, s:I}, s?s}}}", "QMP", "version",
			"qemu", "major", &major, "minor", &minor, "micro",
			&micro, "package", &pkg) < 0)
		return bad_msg(q, m, "no valid QMP greeting", what);
	snprintf(q->version, sizeof(q->version),
		 "%" JSON_INTEGER_FORMAT ".%" JSON_INTEGER_FORMAT
		 ".%" JSON_INTEGER_FORMAT,
		 major, minor, micro);
	snprintf(q->package, sizeof(q->package), "%s", pkg);
	json_decref(m);
	return 0;
}

int qmp_open_fd(struct qmp **out, int fd, int64_t deadline_ns)
{
	struct qmp *q = calloc(1, sizeof(*q));
	size_t hs_len;
	int r, fl;

	*out = NULL;
	if (!q) {
		close(fd);
		return set_err(NULL, -ENOMEM, "out of memory");
	}
	q->fd = fd;
	q->next_id = 1;
	q->fill_ns = clock_now_ns();
	r = linebuf_init(&q->lb, QMP_MAX_LINE);
	if (r < 0) {
		set_err(q, r, "out of memory");
		goto out;
	}
	/* Non-blocking, so that a write to a QEMU that stopped reading
	 * cannot block past its deadline. */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		r = set_err(q, -errno, "QMP socket: %s", strerror(errno));
		goto out;
	}
	/* The handshake happens before anyone can call qmp_set_log(); keep
	 * it so the log set later is still a whole transcript. */
	q->log = open_memstream(&q->hs_log, &hs_len);
	r = read_greeting(q, deadline_ns);
	if (!r)
		r = qmp_execute(q, "qmp_capabilities", NULL, NULL, deadline_ns,
				NULL);
	if (q->log)
		fclose(q->log);
	q->log = NULL;
out:
	if (r < 0) {
		set_err(NULL, r, "%s", q->errmsg);
		qmp_close(q);
		return r;
	}
	*out = q;
	return 0;
}

static int sleep_until(int64_t t_ns)
{
	struct timespec ts = {.tv_sec = t_ns / NS_PER_S,
			      .tv_nsec = t_ns % NS_PER_S};

	return -clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

int qmp_connect(struct qmp **out, const char *sock_path, int64_t deadline_ns)
{
	return qmp_connect_split(out, sock_path, deadline_ns, deadline_ns);
}

int qmp_connect_split(struct qmp **out, const char *sock_path,
		      int64_t deadline_ns, int64_t handshake_ns)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len = strlen(sock_path);
	int fd, r;

	*out = NULL;
	if (len >= sizeof(sa.sun_path))
		return set_err(NULL, -ENAMETOOLONG,
			       "QMP socket path too long: %s", sock_path);
	memcpy(sa.sun_path, sock_path, len + 1);
	for (;;) {
		int64_t next;

		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return set_err(NULL, -errno, "socket: %s",
				       strerror(errno));
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		r = -errno;
		close(fd);
		/* Not there yet, or not listening yet: QEMU is starting. */
		if (r != -ENOENT && r != -ECONNREFUSED)
			return set_err(NULL, r, "connecting to %s: %s",
				       sock_path, strerror(-r));
		next = clock_now_ns();
		if (next >= deadline_ns)
			return set_err(NULL, -ETIMEDOUT,
				       "timed out connecting to %s (%s)",
				       sock_path, strerror(-r));
		next += QMP_RETRY_NS;
		if (sleep_until(next < deadline_ns ? next : deadline_ns))
			return set_err(NULL, -EINTR,
				       "interrupted while connecting to %s",
				       sock_path);
	}
	return qmp_open_fd(out, fd, handshake_ns);
}

void qmp_close(struct qmp *q)
{
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	linebuf_free(&q->lb);
	qmp_drop_events(q, NULL);
	free(q->evq);
	free(q->hs_log);
	free(q);
}

void qmp_set_log(struct qmp *q, FILE *log)
{
	q->log = log;
	if (log && q->hs_log) {
		fputs(q->hs_log, log);
		fflush(log);
		free(q->hs_log);
		q->hs_log = NULL;
	}
}

const char *qmp_version(const struct qmp *q)
{
	return q->version;
}

const char *qmp_package(const struct qmp *q)
{
	return q->package;
}

const char *qmp_errmsg(const struct qmp *q)
{
	return q ? q->errmsg : open_errmsg;
}
