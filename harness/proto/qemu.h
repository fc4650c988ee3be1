/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QEMU lifecycle: argv built as a vector (never through a shell), its own
 * process group, sockets in a private 0700 directory, console and stderr in
 * files the run keeps, and a kill that always reaps. */
#ifndef MHP_QEMU_H
#define MHP_QEMU_H

#include "config/job.h"

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

enum qemu_accel { QEMU_KVM, QEMU_TCG, QEMU_TCG_ICOUNT };

struct qemu_opts {
	const char *binary; /* path, as resolved by qemu_find_binary */
	const char *kernel;
	const char *initrd;
	const char *append;
	enum qemu_accel accel;
	int icount_shift;
	int tcg_single;		      /* -accel tcg,thread=single */
	int smp;		      /* forced to 1 under tcg-icount */
	uint64_t boot_mem, maxmem;    /* bytes */
	const struct job_node *nodes; /* guest NUMA nodes, or NULL */
	int nnodes;
	int slots;
	const char *console_log; /* guest ttyS0 goes here */
	const char *stderr_log;	 /* QEMU's own stdout/stderr */
};

struct qemu {
	pid_t pid;  /* also the process group id; 0 when not running */
	int status; /* wait status once reaped */
	int reaped;
	char dir[128]; /* private socket directory */
	char qmp_sock[192];
	char agent_sock[192];
	char console_log[4096];
	char stderr_log[4096];
	json_t *argv; /* for the manifest */
	int64_t start_ns;
};

const char *qemu_accel_name(enum qemu_accel a);

/* Looks @name up in PATH (or checks it as a path). 0 or -ENOENT/-EACCES. */
int qemu_find_binary(const char *name, char *out, size_t len);

/* "QEMU emulator version 7.2.22 (...)" first line of `qemu --version`. */
int qemu_binary_version(const char *binary, char *out, size_t len);

/* Whether /dev/kvm can be opened read-write (the first test of accel=auto). */
int qemu_kvm_usable(char *why, size_t len);

int qemu_start(struct qemu *vm, const struct qemu_opts *o);

/* QEMU's resident set now and at its peak (VmRSS, VmHWM), in KiB: what
 * the guest really cost the host. 0 or -errno (QEMU gone). */
int qemu_rss_kib(const struct qemu *vm, int64_t *rss, int64_t *peak);

/* 1 once QEMU has exited (and is reaped), else 0. */
int qemu_exited(struct qemu *vm);

/* Waits for exit until @deadline_ns: 0 or -ETIMEDOUT. */
int qemu_wait_exit(struct qemu *vm, int64_t deadline_ns);

/* Kills the whole process group if still running, reaps, and removes the
 * socket directory. Safe to call more than once. */
void qemu_stop(struct qemu *vm);

/* "exited with status 1" / "killed by signal 9" / "running". */
void qemu_describe_exit(const struct qemu *vm, char *buf, size_t len);

/* The last @lines lines of a text file (console or stderr), for errors. */
void qemu_file_tail(const char *path, int lines, char *buf, size_t len);

#endif
