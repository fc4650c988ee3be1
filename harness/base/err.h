/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The first error of a run, kept with its context, and the exit code that
 * names its class. Functions return -errno; the place that knows what went
 * wrong calls err_set() once; later errors (cleanup after the first one)
 * do not overwrite it. Only main() turns it into an exit status. */
#ifndef MHP_ERR_H
#define MHP_ERR_H

/* Exit codes: documented in README.md and man/mhpbench.1. */
enum mhp_exit {
	EXIT_OK = 0,
	EXIT_FAIL =
		1, /* a measurement failed: hotplug refused, online failed */
	EXIT_USAGE = 2, /* bad command line or job file */
	EXIT_ENV = 3,	/* missing QEMU, kernel, initramfs or packages */
	EXIT_BOOT = 4,	/* guest never said hello by the boot deadline */
	EXIT_QMP = 5,	/* QEMU refused a QMP command */
	EXIT_HANG = 6,	/* guest or QEMU stopped answering mid-run */
	EXIT_INTR = 7,	/* interrupted by SIGINT/SIGTERM */
	EXIT_IO = 8,	/* results could not be written */
	/* The analysis commands (compare, gate, history, plot): */
	EXIT_INCONCLUSIVE = 9, /* gate: more samples needed */
	EXIT_BADINPUT = 10,    /* corrupt, foreign, missing or mismatched
				* results or history */
};

void err_set(enum mhp_exit cls, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends detail (e.g. console lines) to the recorded error if it is ours. */
void err_append(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int err_isset(void);
enum mhp_exit err_class(void);
const char *err_msg(void);
void err_reset(void);

/* Warnings go to stderr at once and are kept for the manifest. */
void warn_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int warn_count(void);
const char *warn_get(int i);

#endif
