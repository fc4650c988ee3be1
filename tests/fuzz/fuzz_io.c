// SPDX-License-Identifier: GPL-2.0-or-later
/* Socket plumbing shared by the targets that read a peer through an fd. */
#include "fuzz.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

int fuzz_socket_feed(const uint8_t *data, size_t size, int *peer)
{
	int sv[2];

	/* The code under test writes requests; its peer never goes away
	 * before it does, but a SIGPIPE must not end the run if it did. */
	signal(SIGPIPE, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	/* Non-blocking: an input larger than the socket buffer is cut
	 * rather than blocking (the targets keep inputs well below it). */
	if (fcntl(sv[1], F_SETFL, O_NONBLOCK) < 0)
		goto fail;
	while (size) {
		ssize_t w = write(sv[1], data, size);

		if (w <= 0)
			break;
		data += w;
		size -= (size_t)w;
	}
	if (shutdown(sv[1], SHUT_WR))
		goto fail;
	*peer = sv[1];
	return sv[0];
fail:
	close(sv[0]);
	close(sv[1]);
	return -1;
}
