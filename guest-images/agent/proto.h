/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Request arguments, reply fields and logging shared by the op handlers of
 * the guest agent. The wire protocol is docs/agent-protocol.md. */
#ifndef MHP_AGENT_PROTO_H
#define MHP_AGENT_PROTO_H

#include <jansson.h>
#include <stdint.h>

#define PROTO_AGENT_VERSION 1
#define PROTO_MAX_LINE (64 * 1024)
#define PROTO_DEFAULT_TIMEOUT_MS 30000

/* An op handler puts its result fields into @res and returns 0, or returns
 * -errno. On failure it may leave partial results and an "error" text in
 * @res (strerror is used when it does not). @deadline_ns is the request's
 * deadline on CLOCK_MONOTONIC. */
typedef int (*proto_op_fn)(const json_t *req, json_t *res, int64_t deadline_ns);

/* Set from "mhp.debug" on the kernel command line: log uevents too. */
extern int proto_debug;

/* Reads integer argument @key of @req into *out. A missing key leaves *out
 * alone and returns 0 unless @required. Returns -EINVAL, with an "error"
 * text in @res, when the value is not an integer in [min, max]. */
int proto_get_int(const json_t *req, const char *key, long long min,
		  long long max, int required, long long *out, json_t *res);

/* Reads required string argument @key; same conventions as proto_get_int. */
int proto_get_string(const json_t *req, const char *key, const char **out,
		     json_t *res);

/* Sets res["error"] from a printf format; returns @err for tail calls. */
int proto_fail(json_t *res, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A JSON string for text read from the kernel, which need not be UTF-8:
 * invalid bytes become '?'. NULL only when out of memory (jansson's
 * json_object_set_new then fails cleanly). */
json_t *proto_string(const char *s);

/* One line on stderr, which init points at the console (ttyS0). */
void proto_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
