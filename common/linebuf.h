/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Newline-delimited framing for the QMP socket and the agent channel.
 * Both peers send one JSON object per line; this splits a byte stream into
 * lines and bounds their length so a peer that sends garbage cannot make us
 * grow without limit. */
#ifndef MHP_LINEBUF_H
#define MHP_LINEBUF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct linebuf {
	char *buf;
	size_t len; /* bytes held */
	size_t cap;
	size_t max_line; /* longest line accepted, without the newline */
	size_t consumed; /* bytes of buf already handed out by linebuf_next */
	int discarding;	 /* dropping the rest of an over-long line */
};

int linebuf_init(struct linebuf *lb, size_t max_line);
void linebuf_free(struct linebuf *lb);

/* One read() from @fd. Returns bytes read, 0 at EOF, or -errno. */
ssize_t linebuf_fill(struct linebuf *lb, int fd);

/* Next complete line, NUL-terminated, without "\n" (a trailing "\r" is
 * dropped too). Returns 1 and sets *line (valid until the next call), 0 when
 * no complete line is buffered, or -EMSGSIZE once for a line longer than
 * max_line (its bytes are skipped up to the next newline). */
int linebuf_next(struct linebuf *lb, char **line);

/* Waits for the next line on @fd until @deadline_ns (CLOCK_MONOTONIC).
 * Returns 1 with *line set, -ETIMEDOUT, -EPIPE at EOF, -EMSGSIZE, or -errno. */
int linebuf_read_line(struct linebuf *lb, int fd, int64_t deadline_ns,
		      char **line);

/* Writes all of @buf then "\n" (unless @buf already ends with one) before
 * @deadline_ns. Returns 0 or -errno (-ETIMEDOUT, -EPIPE). */
int linebuf_write_line(int fd, const char *buf, size_t len,
		       int64_t deadline_ns);

#endif
