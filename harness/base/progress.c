// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static struct {
	int tty;
	int total;
	int k;
	char what[128];
	int live; /* a live line is on screen */
} p;

void progress_init(int total_cycles)
{
	p.tty = isatty(2);
	p.total = total_cycles;
	p.k = 0;
	p.live = 0;
}

void progress_cycle(int k, const char *what)
{
	p.k = k;
	snprintf(p.what, sizeof(p.what), "%s", what);
	if (!p.tty)
		fprintf(stderr, "mhpbench: [%d/%d] %s\n", k, p.total, what);
}

void progress_phase(const char *phase)
{
	if (!p.tty)
		return;
	fprintf(stderr, "\r\033[K[%d/%d] %s: %s", p.k, p.total, p.what, phase);
	fflush(stderr);
	p.live = 1;
}

void progress_note(const char *fmt, ...)
{
	va_list ap;

	if (p.live)
		fputs("\r\033[K", stderr);
	p.live = 0;
	fputs("mhpbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void progress_done(void)
{
	if (p.live)
		fputs("\r\033[K", stderr);
	p.live = 0;
}
