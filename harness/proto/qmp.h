/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QMP client (jansson). Every command carries an id; events that arrive
 * while a reply is awaited are queued in order and never dropped; every
 * wait has a deadline. The full exchange can be logged for debugging and
 * for recording test transcripts. */
#ifndef MHP_QMP_H
#define MHP_QMP_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct qmp;

/* A received event: name, data (may be NULL), host receive time. */
struct qmp_event {
	char name[64];
	json_t *data;	 /* owned by the event */
	int64_t recv_ns; /* CLOCK_MONOTONIC at receipt */
};

/* Connects to a UNIX socket path, retrying until @deadline_ns (QEMU creates
 * it shortly after start). Reads the greeting and negotiates capabilities. */
int qmp_connect(struct qmp **out, const char *sock_path, int64_t deadline_ns);

/* The same, with connecting retried until @connect_ns and the greeting
 * and negotiation, once connected, given until @handshake_ns: a QEMU
 * that is slow to answer (a loaded or nested host) must not be
 * disconnected mid-handshake and connected to again. */
int qmp_connect_split(struct qmp **out, const char *sock_path,
		      int64_t connect_ns, int64_t handshake_ns);

/* Same over an already connected fd (tests use a socketpair). Takes the fd. */
int qmp_open_fd(struct qmp **out, int fd, int64_t deadline_ns);

void qmp_close(struct qmp *q);

/* Logs every line sent ("> ") and received ("< ") to @log (NULL = off). */
void qmp_set_log(struct qmp *q, FILE *log);

/* "7.2.22" from the greeting, and its package ("Debian 1:7.2+dfsg-..."). */
const char *qmp_version(const struct qmp *q);
const char *qmp_package(const struct qmp *q);

/* Runs @cmd with @args (stolen reference, may be NULL). On success returns 0
 * and, if @ret is non-NULL, a new reference to "return". On a QMP error
 * returns -EIO and the message "CMD: DESC (CLASS)" is in qmp_errmsg(). On a
 * deadline -ETIMEDOUT; on EOF -EPIPE; on garbage from QEMU -EPROTO.
 * *sent_ns, when non-NULL, gets the time the command was written. */
int qmp_execute(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		int64_t deadline_ns, int64_t *sent_ns);

/* Waits for the first event named @name (NULL: any) for which @match (may
 * be NULL; it gets NULL data for an event without) returns true; earlier
 * queued events are searched first. The event is removed from the queue
 * and copied to @ev (caller frees with qmp_event_free). Other events stay
 * queued. -ETIMEDOUT at the deadline. */
typedef int (*qmp_match_fn)(const json_t *data, void *arg);
int qmp_wait_event(struct qmp *q, const char *name, qmp_match_fn match,
		   void *arg, struct qmp_event *ev, int64_t deadline_ns);

/* Moves all queued events named @name (NULL: any) out; returns how many
 * were dropped. Used to start each cycle from a clean queue. */
int qmp_drop_events(struct qmp *q, const char *name);

/* Number of queued events (tests). */
int qmp_queued(const struct qmp *q);

void qmp_event_free(struct qmp_event *ev);

/* Human-readable last error ("device_add: <desc>"). qmp_errmsg(NULL) tells
 * why the last qmp_connect() or qmp_open_fd() in this thread failed. */
const char *qmp_errmsg(const struct qmp *q);

#endif
