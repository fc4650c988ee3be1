// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/sig.h"
#include "base/err.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#define MAX_TRACKED 4
#define MAX_SOCKS 4
#define PATH_LEN 256

static volatile sig_atomic_t pending, count;
static char tracked_file[4096];

/* Read by the handler: filled with signals blocked, so it never sees a
 * slot half written. */
static struct tracked {
	pid_t pgid;
	char dir[PATH_LEN];
	char socks[MAX_SOCKS][PATH_LEN];
	int nsocks;
} tracked[MAX_TRACKED];

const char *sig_name(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	}
	return "a signal";
}

static void say(const char *s)
{
	if (write(STDERR_FILENO, s, strlen(s)) < 0)
		return; /* nowhere to say it */
}

/* Only async-signal-safe calls from here on. */
static void on_signal(int sig)
{
	if (count++ == 0) {
		pending = sig;
		say("\nmhpbench: ");
		say(sig_name(sig));
		say(": stopping cleanly (powering the guest off, saving the "
		    "results); send it again to stop at once\n");
		return;
	}
	for (int i = 0; i < MAX_TRACKED; i++) {
		struct tracked *t = &tracked[i];

		if (t->pgid <= 0)
			continue;
		kill(-t->pgid, SIGKILL);
		for (int k = 0; k < t->nsocks; k++)
			unlink(t->socks[k]);
		rmdir(t->dir);
	}
	if (tracked_file[0])
		unlink(tracked_file);
	say("\nmhpbench: ");
	say(sig_name(sig));
	say(" again: QEMU killed, stopping at once; samples.csv has every "
	    "sample taken, manifest.json the last state saved\n");
	_exit(EXIT_INTR);
}

void sig_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = 0; /* no SA_RESTART: waits must see EINTR */
	sigemptyset(&sa.sa_mask);
	/* One handler at a time: a SIGTERM inside a SIGINT's handler must
	 * count as the second. */
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A QEMU that dies under us must surface as EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
}

int sig_pending(void)
{
	return pending;
}

static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= size)
		n = 0; /* too long to be ours: forget it */
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

void sig_track_qemu(pid_t pgid, const char *dir, const char *const *socks)
{
	sigset_t old;

	block_signals(&old);
	for (int i = 0; i < MAX_TRACKED; i++) {
		struct tracked *t = &tracked[i];

		if (t->pgid > 0)
			continue;
		copy(t->dir, PATH_LEN, dir);
		for (t->nsocks = 0;
		     socks && socks[t->nsocks] && t->nsocks < MAX_SOCKS;
		     t->nsocks++)
			copy(t->socks[t->nsocks], PATH_LEN, socks[t->nsocks]);
		t->pgid = pgid;
		break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void sig_track_file(const char *path)
{
	sigset_t old;

	block_signals(&old);
	copy(tracked_file, sizeof(tracked_file), path);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void sig_untrack_qemu(pid_t pgid)
{
	sigset_t old;

	block_signals(&old);
	for (int i = 0; i < MAX_TRACKED; i++)
		if (tracked[i].pgid == pgid)
			tracked[i].pgid = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}
