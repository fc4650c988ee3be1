/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Progress on stderr: a live line on a terminal, plain lines otherwise
 * (logs of nightly runs must stay readable). */
#ifndef MHP_PROGRESS_H
#define MHP_PROGRESS_H

void progress_init(int total_cycles);
/* Sets what cycle k (1-based) is about; shown with each phase. */
void progress_cycle(int k, const char *what);
void progress_phase(const char *phase);
/* A message that must stay on screen (clears the live line first). */
void progress_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress_done(void);

#endif
