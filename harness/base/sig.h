/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SIGINT, SIGTERM and SIGHUP. The first one asks the run to stop cleanly:
 * the wait loops notice (the handler is installed without SA_RESTART, so
 * a blocking poll() returns EINTR), the guest is powered off, the results
 * are flushed and the run is marked incomplete (exit code 7). A second one
 * while that happens kills at once: the handler itself kills every QEMU
 * process group it was told about, removes their socket directories and
 * _exits with code 7, so nothing is left running or lying in TMPDIR. */
#ifndef MHP_SIG_H
#define MHP_SIG_H

#include <sys/types.h>

void sig_install(void);
/* The signal number received first, or 0. */
int sig_pending(void);
/* "SIGINT", "SIGTERM", ... */
const char *sig_name(int sig);

/* QEMU @pgid (its own process group) and its private socket directory,
 * for a second signal to clean up; @dir holds only @socks (NULL-ended).
 * Untracked again by pgid. */
void sig_track_qemu(pid_t pgid, const char *dir, const char *const *socks);
void sig_untrack_qemu(pid_t pgid);
/* One file for a second signal to remove (the run's space reserve); NULL
 * forgets it. */
void sig_track_file(const char *path);

#endif
