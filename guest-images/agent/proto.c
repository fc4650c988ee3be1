// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int proto_debug;

int proto_get_int(const json_t *req, const char *key, long long min,
		  long long max, int required, long long *out, json_t *res)
{
	json_t *v = json_object_get(req, key);
	long long x;

	if (!v) {
		if (!required)
			return 0;
		return proto_fail(res, -EINVAL, "missing argument \"%s\"", key);
	}
	/* json_is_integer rejects 1.0 and "1": the harness must say what it
	 * means, and a silently truncated block number would hit the wrong
	 * block. */
	if (!json_is_integer(v))
		goto bad;
	x = json_integer_value(v);
	if (x < min || x > max)
		goto bad;
	*out = x;
	return 0;
bad:
	return proto_fail(res, -EINVAL,
			  "argument \"%s\" must be an integer in [%lld, %lld]",
			  key, min, max);
}

int proto_get_string(const json_t *req, const char *key, const char **out,
		     json_t *res)
{
	json_t *v = json_object_get(req, key);

	if (!json_is_string(v))
		return proto_fail(res, -EINVAL,
				  "argument \"%s\" must be a string", key);
	*out = json_string_value(v);
	return 0;
}

int proto_fail(json_t *res, int err, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	json_object_set_new(res, "error", proto_string(text));
	return err;
}

json_t *proto_string(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j)
		return j;
	/* Invalid UTF-8 (jansson refuses it): keep the ASCII, mark the rest. */
	copy = strdup(s);
	if (!copy)
		return NULL;
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

void proto_log(const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	int n = snprintf(text, sizeof(text), "mhp-agent: ");

	va_start(ap, fmt);
	n += vsnprintf(text + n, sizeof(text) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(text) - 2)
		n = (int)sizeof(text) - 2;
	text[n++] = '\n';
	/* One write(2) per line, so kernel messages on the same console do
	 * not land in the middle of it. */
	if (write(STDERR_FILENO, text, (size_t)n) < 0)
		return; /* no console: nothing else to tell */
}
