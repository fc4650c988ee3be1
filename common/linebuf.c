// SPDX-License-Identifier: GPL-2.0-or-later
#include "linebuf.h"
#include "clock.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int linebuf_init(struct linebuf *lb, size_t max_line)
{
	memset(lb, 0, sizeof(*lb));
	lb->cap = max_line + 2 < 4096 ? max_line + 2 : 4096;
	lb->buf = malloc(lb->cap);
	if (!lb->buf)
		return -ENOMEM;
	lb->max_line = max_line;
	return 0;
}

void linebuf_free(struct linebuf *lb)
{
	free(lb->buf);
	memset(lb, 0, sizeof(*lb));
}

/* Drops what linebuf_next already handed out, so buf starts at unread data. */
static void compact(struct linebuf *lb)
{
	if (!lb->consumed)
		return;
	memmove(lb->buf, lb->buf + lb->consumed, lb->len - lb->consumed);
	lb->len -= lb->consumed;
	lb->consumed = 0;
}

ssize_t linebuf_fill(struct linebuf *lb, int fd)
{
	ssize_t n;

	compact(lb);
	if (lb->cap - lb->len < 512) {
		/* Room for one over-long line plus its newline, no more. */
		size_t ncap = lb->cap * 2;
		char *nb;

		if (ncap > lb->max_line + 4096)
			ncap = lb->max_line + 4096;
		if (ncap <= lb->cap) {
			/* Full of one unterminated line: keep only its start.
			 */
			lb->discarding = 1;
			lb->len = 0;
		} else {
			nb = realloc(lb->buf, ncap);
			if (!nb)
				return -ENOMEM;
			lb->buf = nb;
			lb->cap = ncap;
		}
	}
	do
		n = read(fd, lb->buf + lb->len, lb->cap - lb->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	lb->len += (size_t)n;
	return n;
}

int linebuf_next(struct linebuf *lb, char **line)
{
	char *start = lb->buf + lb->consumed;
	size_t avail = lb->len - lb->consumed;
	char *nl = memchr(start, '\n', avail);
	size_t n;

	if (!nl) {
		/* +1: the line may still end in "\r\n". */
		if (avail > lb->max_line + 1 && !lb->discarding) {
			lb->discarding = 1;
			lb->consumed = lb->len;
			return -EMSGSIZE;
		}
		if (lb->discarding)
			lb->consumed = lb->len;
		return 0;
	}
	n = (size_t)(nl - start);
	lb->consumed += n + 1;
	if (lb->discarding) {
		/* Tail of a line already reported as too long. */
		lb->discarding = 0;
		return linebuf_next(lb, line);
	}
	if (n && start[n - 1] == '\r')
		n--;
	if (n > lb->max_line)
		return -EMSGSIZE;
	start[n] = '\0';
	*line = start;
	return 1;
}

int linebuf_read_line(struct linebuf *lb, int fd, int64_t deadline_ns,
		      char **line)
{
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;
		int r = linebuf_next(lb, line);

		if (r != 0)
			return r;
		r = poll(&pfd, 1, clock_poll_ms(deadline_ns));
		if (r < 0 && errno == EINTR)
			return -EINTR; /* let the caller see a pending signal */
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = linebuf_fill(lb, fd);
		/* A peer that exits with our bytes unread resets instead of
		 * closing: both mean the other side is gone. */
		if (n == 0 || n == -ECONNRESET)
			return -EPIPE;
		if (n < 0 && n != -EAGAIN)
			return (int)n;
	}
}

int linebuf_write_line(int fd, const char *buf, size_t len, int64_t deadline_ns)
{
	int need_nl = !len || buf[len - 1] != '\n';
	size_t off = 0, total = len + (size_t)need_nl;

	while (off < total) {
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		/* Line and newline in one writev: one message, one syscall. */
		struct iovec iov[2] = {
			{(void *)(buf + (off < len ? off : len)),
			 off < len ? len - off : 0},
			{(void *)"\n", need_nl},
		};
		ssize_t w;
		int r = poll(&pfd, 1, clock_poll_ms(deadline_ns));

		if (r < 0 && errno != EINTR)
			return -errno;
		if (r < 0)
			return -EINTR;
		if (r == 0)
			return -ETIMEDOUT;
		if (pfd.revents & (POLLERR | POLLHUP))
			return -EPIPE;
		w = writev(fd, iov, 2);
		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (w < 0)
			return -errno;
		off += (size_t)w;
	}
	return 0;
}
