// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WARNINGS 256

static struct {
	int set;
	enum mhp_exit cls;
	char msg[8192];
} first;

static char *warnings[MAX_WARNINGS];
static int nwarnings;

void err_set(enum mhp_exit cls, const char *fmt, ...)
{
	va_list ap;

	if (first.set)
		return;
	va_start(ap, fmt);
	vsnprintf(first.msg, sizeof(first.msg), fmt, ap);
	va_end(ap);
	first.cls = cls;
	first.set = 1;
}

void err_append(const char *fmt, ...)
{
	size_t len = strlen(first.msg);
	va_list ap;

	if (!first.set || len >= sizeof(first.msg) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(first.msg + len, sizeof(first.msg) - len, fmt, ap);
	va_end(ap);
}

int err_isset(void)
{
	return first.set;
}

enum mhp_exit err_class(void)
{
	return first.set ? first.cls : EXIT_OK;
}

const char *err_msg(void)
{
	return first.set ? first.msg : "";
}

void err_reset(void)
{
	memset(&first, 0, sizeof(first));
}

void warn_add(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Once is enough: the same cause recurs in every boot. */
	for (int i = 0; i < nwarnings; i++)
		if (warnings[i] && !strcmp(warnings[i], buf))
			return;
	/* On a terminal, first clear the live progress line. */
	fprintf(stderr, "%smhpbench: warning: %s\n",
		isatty(2) ? "\r\033[K" : "", buf);
	if (nwarnings < MAX_WARNINGS)
		warnings[nwarnings++] = strdup(buf);
}

int warn_count(void)
{
	return nwarnings;
}

const char *warn_get(int i)
{
	return i >= 0 && i < nwarnings ? warnings[i] : NULL;
}
