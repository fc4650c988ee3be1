// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto/qemu.h"
#include "config/numa.h"
#include "clock.h"
#include "base/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 128

struct argv_vec {
	char *v[MAX_ARGS + 1];
	int n;
};

const char *qemu_accel_name(enum qemu_accel a)
{
	switch (a) {
	case QEMU_KVM:
		return "kvm";
	case QEMU_TCG:
		return "tcg";
	case QEMU_TCG_ICOUNT:
		return "tcg-icount";
	}
	return "?";
}

/* An executable regular file (a directory is "executable" too). */
static int executable(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EACCES;
	return access(path, X_OK) ? -errno : 0;
}

int qemu_find_binary(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char buf[4096];
	int ret;

	if (strchr(name, '/')) {
		ret = executable(name);
		if (ret)
			return ret;
		snprintf(out, len, "%s", name);
		return 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchrnul(path, ':');
		int n = (int)(end - path);

		snprintf(buf, sizeof(buf), "%.*s/%s", n, n ? path : ".", name);
		if (!executable(buf)) {
			snprintf(out, len, "%s", buf);
			return 0;
		}
		path = *end ? end + 1 : end;
	}
	return -ENOENT;
}

int qemu_binary_version(const char *binary, char *out, size_t len)
{
	int pfd[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe(pfd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(binary, binary, "--version", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	n = read(pfd[0], out, len - 1);
	close(pfd[0]);
	waitpid(pid, &st, 0);
	if (n <= 0)
		return -EIO;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

int qemu_kvm_usable(char *why, size_t len)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "/dev/kvm: %s", strerror(errno));
		return 0;
	}
	close(fd);
	return 1;
}

static void add(struct argv_vec *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct argv_vec *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->n >= MAX_ARGS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		a->v[a->n++] = s;
}

static void free_argv(struct argv_vec *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	a->n = 0;
}

static void build_accel(struct argv_vec *a, const struct qemu_opts *o)
{
	switch (o->accel) {
	case QEMU_KVM:
		add(a, "-accel");
		add(a, "kvm");
		add(a, "-cpu");
		add(a, "host");
		add(a, "-smp");
		add(a, "%d", o->smp);
		break;
	case QEMU_TCG:
		add(a, "-accel");
		/* Multi-threaded TCG is the fast default; the kernel's text
		 * patching (ftrace switching tracers) can deadlock in it. */
		add(a, "tcg,thread=%s", o->tcg_single ? "single" : "multi");
		add(a, "-smp");
		add(a, "%d", o->smp);
		break;
	case QEMU_TCG_ICOUNT:
		/* Guest time follows the instruction count: low noise. SMP
		 * bring-up hangs under icount, so one vCPU (README, "Guest and
		 * channel"). */
		add(a, "-accel");
		add(a, "tcg");
		add(a, "-icount");
		add(a, "shift=%d,sleep=off", o->icount_shift);
		add(a, "-smp");
		add(a, "1");
		break;
	}
}

/* One -numa node: its vCPUs (one cpus= per range) and memory. */
static void build_node(struct argv_vec *a, const struct job_node *n, int id)
{
	char spec[512];
	size_t o;

	o = (size_t)snprintf(spec, sizeof(spec), "node,nodeid=%d", id);
	numa_cpus_text(n->cpus, ",cpus=", spec + o, sizeof(spec) - o);
	o += strlen(spec + o);
	if (n->mem && o < sizeof(spec))
		snprintf(spec + o, sizeof(spec) - o, ",memdev=mhp-ram%d", id);
	add(a, "-numa");
	add(a, "%s", spec);
}

/* Boot memory as memory-backend-ram objects. reserve=off: a 64G guest
 * (large memory blocks) costs the host only what it touches; the
 * overcommit check would refuse it. With NUMA, one backend per node with
 * memory, bound to its host node when the job asks. */
static void build_memory(struct argv_vec *a, const struct qemu_opts *o)
{
	if (!o->nnodes) {
		add(a, "-object");
		add(a, "memory-backend-ram,id=mhp-ram,size=%lluM,reserve=off",
		    (unsigned long long)(o->boot_mem >> 20));
		add(a, "-machine");
		add(a, "pc,memory-backend=mhp-ram");
		return;
	}
	add(a, "-machine");
	add(a, "pc");
	for (int i = 0; i < o->nnodes; i++) {
		const struct job_node *n = &o->nodes[i];

		if (n->mem && n->host_node >= 0) {
			add(a, "-object");
			add(a,
			    "memory-backend-ram,id=mhp-ram%d,size=%lluM,"
			    "reserve=off,host-nodes=%d,policy=bind",
			    i, (unsigned long long)(n->mem >> 20),
			    n->host_node);
		} else if (n->mem) {
			add(a, "-object");
			add(a,
			    "memory-backend-ram,id=mhp-ram%d,size=%lluM,"
			    "reserve=off",
			    i, (unsigned long long)(n->mem >> 20));
		}
		build_node(a, n, i);
	}
}

static void build_argv(struct argv_vec *a, const struct qemu *vm,
		       const struct qemu_opts *o)
{
	add(a, "%s", o->binary);
	build_memory(a, o);
	build_accel(a, o);
	add(a, "-m");
	add(a, "%lluM,slots=%d,maxmem=%lluM",
	    (unsigned long long)(o->boot_mem >> 20), o->slots,
	    (unsigned long long)(o->maxmem >> 20));
	add(a, "-nodefaults");
	add(a, "-display");
	add(a, "none");
	add(a, "-no-reboot"); /* a guest panic (panic=-1) ends QEMU */
	add(a, "-kernel");
	add(a, "%s", o->kernel);
	add(a, "-initrd");
	add(a, "%s", o->initrd);
	add(a, "-append");
	add(a, "%s", o->append);
	add(a, "-chardev");
	add(a, "file,id=con,path=%s", vm->console_log);
	add(a, "-serial");
	add(a, "chardev:con");
	/* The agent's channel: ttyS1, never shared with the console. */
	add(a, "-chardev");
	add(a, "socket,id=agent,path=%s,server=on,wait=off", vm->agent_sock);
	add(a, "-device");
	add(a, "isa-serial,chardev=agent");
	add(a, "-qmp");
	add(a, "unix:%s,server=on,wait=off", vm->qmp_sock);
}

static void child_exec(const struct argv_vec *a, const char *log)
{
	int fd;

	setpgid(0, 0);
	/* If mhpbench dies by SIGKILL, QEMU must not outlive it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	signal(SIGINT, SIG_IGN); /* Ctrl-C is for mhpbench; it powers off */
	execv(a->v[0], a->v);
	fprintf(stderr, "exec %s: %s\n", a->v[0], strerror(errno));
	_exit(127);
}

int qemu_start(struct qemu *vm, const struct qemu_opts *o)
{
	const char *tmp = getenv("TMPDIR");
	struct argv_vec a = {0};
	int ret = 0;

	memset(vm, 0, sizeof(*vm));
	snprintf(vm->dir, sizeof(vm->dir), "%s/mhpbench.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 64 ? tmp : "/tmp");
	if (!mkdtemp(vm->dir)) /* mkdtemp makes it 0700 */
		return -errno;
	snprintf(vm->qmp_sock, sizeof(vm->qmp_sock), "%s/qmp.sock", vm->dir);
	snprintf(vm->agent_sock, sizeof(vm->agent_sock), "%s/agent.sock",
		 vm->dir);
	snprintf(vm->console_log, sizeof(vm->console_log), "%s",
		 o->console_log);
	snprintf(vm->stderr_log, sizeof(vm->stderr_log), "%s", o->stderr_log);

	build_argv(&a, vm, o);
	vm->argv = json_array();
	for (int i = 0; i < a.n; i++)
		json_array_append_new(vm->argv, json_string(a.v[i]));

	vm->start_ns = clock_now_ns();
	vm->pid = fork();
	if (vm->pid < 0) {
		ret = -errno;
		vm->pid = 0;
		goto out;
	}
	if (!vm->pid)
		child_exec(&a, o->stderr_log);
	setpgid(vm->pid, vm->pid); /* both sides, to win the race */
	/* A second Ctrl-C exits from the signal handler: it cleans up. */
	sig_track_qemu(
		vm->pid, vm->dir,
		(const char *const[]){vm->qmp_sock, vm->agent_sock, NULL});
out:
	free_argv(&a);
	if (ret)
		qemu_stop(vm);
	return ret;
}

int qemu_exited(struct qemu *vm)
{
	if (!vm->pid)
		return 1;
	if (vm->reaped)
		return 1;
	if (waitpid(vm->pid, &vm->status, WNOHANG) == vm->pid) {
		vm->reaped = 1;
		/* The group may hold helpers; take them down too. */
		kill(-vm->pid, SIGKILL);
		return 1;
	}
	return 0;
}

int qemu_wait_exit(struct qemu *vm, int64_t deadline_ns)
{
	while (!qemu_exited(vm)) {
		if (clock_now_ns() >= deadline_ns)
			return -ETIMEDOUT;
		usleep(10000);
	}
	return 0;
}

void qemu_stop(struct qemu *vm)
{
	if (vm->pid && !vm->reaped) {
		kill(-vm->pid, SIGKILL);
		kill(vm->pid, SIGKILL);
		while (waitpid(vm->pid, &vm->status, 0) < 0 && errno == EINTR)
			;
		vm->reaped = 1;
	}
	if (vm->dir[0]) {
		unlink(vm->qmp_sock);
		unlink(vm->agent_sock);
		rmdir(vm->dir);
		vm->dir[0] = '\0';
	}
	if (vm->pid)
		sig_untrack_qemu(vm->pid);
	json_decref(vm->argv);
	vm->argv = NULL;
}

void qemu_describe_exit(const struct qemu *vm, char *buf, size_t len)
{
	if (!vm->reaped)
		snprintf(buf, len, "running");
	else if (WIFEXITED(vm->status))
		snprintf(buf, len, "exited with status %d",
			 WEXITSTATUS(vm->status));
	else if (WIFSIGNALED(vm->status))
		snprintf(buf, len, "killed by signal %d (%s)",
			 WTERMSIG(vm->status), strsignal(WTERMSIG(vm->status)));
	else
		snprintf(buf, len, "ended (status 0x%x)", vm->status);
}

void qemu_file_tail(const char *path, int lines, char *buf, size_t len)
{
	char chunk[16384];
	FILE *f = fopen(path, "r");
	long size, from;
	size_t n;
	char *p;

	buf[0] = '\0';
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	from = size > (long)sizeof(chunk) - 1 ? size - (long)sizeof(chunk) + 1
					      : 0;
	fseek(f, from, SEEK_SET);
	n = fread(chunk, 1, sizeof(chunk) - 1, f);
	fclose(f);
	chunk[n] = '\0';
	/* Walk back @lines newlines (ignoring a final one). */
	p = chunk + n;
	if (p > chunk && p[-1] == '\n')
		p--;
	while (p > chunk && lines > 0) {
		p--;
		if (*p == '\n')
			lines--;
	}
	if (*p == '\n')
		p++;
	/* Console logs hold \r and escape codes; keep printable text. */
	for (size_t o = 0; *p && o + 1 < len; p++)
		if (*p == '\n' || *p == '\t' || (*p >= 32 && *p < 127)) {
			buf[o++] = *p;
			buf[o] = '\0';
		}
}

int qemu_rss_kib(const struct qemu *vm, int64_t *rss, int64_t *peak)
{
	char path[64], line[256];
	long long v;
	FILE *f;
	int found = 0;

	if (!vm->pid || vm->reaped)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)vm->pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmRSS: %lld kB", &v) == 1) {
			*rss = v;
			found |= 1;
		} else if (sscanf(line, "VmHWM: %lld kB", &v) == 1) {
			*peak = v;
			found |= 2;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -ENODATA;
}
