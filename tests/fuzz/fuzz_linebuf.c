// SPDX-License-Identifier: GPL-2.0-or-later
/* Line framing (common/linebuf.c), used for both the QMP socket and the
 * agent channel, against a model. The first two input bytes choose the
 * longest line accepted (1..256) and how the rest arrives: in chunks of
 * 1..16 bytes or all at once. Expected: every "\n"-terminated line in
 * order, less one trailing "\r"; a line longer than the limit gives
 * -EMSGSIZE once instead; the unterminated tail gives nothing, or one
 * -EMSGSIZE when it is already over the limit. */
#include "fuzz.h"
#include "linebuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_INPUT_MAX 4096

struct model {
	const char *p, *end;
	size_t max_line;
};

static void mismatch(const char *what, const char *got, int r)
{
	fprintf(stderr, "linebuf: %s (got r=%d '%s')\n", what, r,
		got ? got : "");
	abort();
}

/* Checks one result of linebuf_next() against the next expected one. */
static void expect(struct model *m, int r, const char *got)
{
	const char *nl;
	size_t n;

	if (m->p >= m->end)
		mismatch("a result after the end of the input", got, r);
	nl = memchr(m->p, '\n', (size_t)(m->end - m->p));
	if (!nl) {
		/* The tail: only an over-long one is reported, once. */
		if (r != -EMSGSIZE ||
		    (size_t)(m->end - m->p) <= m->max_line + 1)
			mismatch("a result for the unterminated tail", got, r);
		m->p = m->end;
		return;
	}
	n = (size_t)(nl - m->p);
	if (n && m->p[n - 1] == '\r')
		n--;
	if (n > m->max_line) {
		if (r != -EMSGSIZE)
			mismatch("an over-long line not refused", got, r);
	} else if (r != 1 || strlen(got) != n || memcmp(got, m->p, n)) {
		mismatch("a line other than the one sent", got, r);
	}
	m->p = nl + 1;
}

static void drain(struct linebuf *lb, struct model *m)
{
	char *line;
	int r;

	while ((r = linebuf_next(lb, &line)) != 0)
		expect(m, r, r == 1 ? line : NULL);
}

int fuzz_linebuf(const uint8_t *data, size_t size)
{
	struct linebuf lb;
	struct model m;
	size_t chunk, off;
	int pfd[2];

	if (size < 2 || size > FUZZ_INPUT_MAX)
		return 0;
	m.max_line = (size_t)data[0] + 1;
	chunk = data[1] & 0x10 ? size : (size_t)(data[1] & 0x0f) + 1;
	data += 2;
	size -= 2;
	/* An embedded NUL would end the line early for strlen(): the model
	 * compares bytes, so keep inputs to what the peers send, text. */
	if (memchr(data, '\0', size))
		return 0;
	m.p = (const char *)data;
	m.end = m.p + size;
	if (pipe2(pfd, O_NONBLOCK | O_CLOEXEC))
		return 0;
	if (linebuf_init(&lb, m.max_line))
		goto out;
	for (off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;
		ssize_t got;

		if (write(pfd[1], data + off, n) != (ssize_t)n)
			abort(); /* a pipe holds 4 KiB at least */
		while ((got = linebuf_fill(&lb, pfd[0])) > 0)
			drain(&lb, &m);
		if (got != -EAGAIN)
			mismatch("linebuf_fill failed", NULL, (int)got);
	}
	close(pfd[1]);
	pfd[1] = -1;
	if (linebuf_fill(&lb, pfd[0]) != 0)
		mismatch("no EOF after the input", NULL, 0);
	drain(&lb, &m);
	/* Whatever the model still expects must be an unreported tail. */
	if (m.p < m.end && memchr(m.p, '\n', (size_t)(m.end - m.p)))
		mismatch("a complete line was never returned", NULL, 0);
	linebuf_free(&lb);
out:
	close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	return 0;
}
