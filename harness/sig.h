/* SIGINT/SIGTERM: the first one asks the run to stop cleanly (power the
 * guest off, flush, mark the run incomplete); the handler is one-shot, so a
 * second Ctrl-C kills at once. Installed without SA_RESTART so that a
 * blocking poll() returns EINTR and the wait loops notice. */
#ifndef MHP_SIG_H
#define MHP_SIG_H

void sig_install(void);
/* The signal number received, or 0. */
int sig_pending(void);

#endif
