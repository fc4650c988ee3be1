// SPDX-License-Identifier: GPL-2.0-or-later
/* The host_cost counters (run/hostperf.c) on this test's own threads:
 * the thread list, task-clock against the thread's own CPU clock, a
 * count kept after its thread exits, page faults of a thread created
 * after the open (inherit), libpfm4's guest-mode encoding, and the reason
 * of an open that fails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "run/hostperf.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGES 256

struct worker {
	pthread_barrier_t ready, go, done;
	pid_t tid;
	double cpu_ns; /* its own CLOCK_THREAD_CPUTIME_ID over the spin */
	int touch;     /* touch PAGES fresh pages instead of spinning */
};

static double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void touch_pages(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, PAGES * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	/* One fault per page: no transparent huge page may map them. */
	madvise(p, PAGES * pg, MADV_NOHUGEPAGE);
	for (int i = 0; i < PAGES; i++)
		p[i * pg] = 1;
	munmap(p, PAGES * pg);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	volatile unsigned long x = 0;
	double t0;

	w->tid = gettid();
	pthread_barrier_wait(&w->ready);
	pthread_barrier_wait(&w->go);
	t0 = thread_cpu_ns();
	if (w->touch)
		touch_pages();
	else
		while (thread_cpu_ns() - t0 < 50e6)
			x++;
	w->cpu_ns = thread_cpu_ns() - t0;
	pthread_barrier_wait(&w->done);
	return NULL;
}

static void start(struct worker *w, pthread_t *th, int touch)
{
	memset(w, 0, sizeof(*w));
	w->touch = touch;
	pthread_barrier_init(&w->ready, NULL, 2);
	pthread_barrier_init(&w->go, NULL, 2);
	pthread_barrier_init(&w->done, NULL, 2);
	assert_int_equal(pthread_create(th, NULL, work, w), 0);
}

static void finish(struct worker *w, pthread_t th)
{
	pthread_join(th, NULL);
	pthread_barrier_destroy(&w->ready);
	pthread_barrier_destroy(&w->go);
	pthread_barrier_destroy(&w->done);
}

static void threads_of_self(void **state)
{
	struct worker w;
	pthread_t th;
	pid_t tids[HOSTPERF_MAX_THREADS];
	int n, self = 0, other = 0;

	start(&w, &th, 0);
	pthread_barrier_wait(&w.ready);
	assert_int_equal(
		hostperf_threads(getpid(), tids, HOSTPERF_MAX_THREADS, &n), 0);
	assert_true(n >= 2);
	for (int i = 0; i < n; i++) {
		self += tids[i] == gettid();
		other += tids[i] == w.tid;
		if (i)
			assert_true(tids[i - 1] < tids[i]);
	}
	assert_int_equal(self, 1);
	assert_int_equal(other, 1);
	assert_int_equal(hostperf_threads(getpid(), tids, 1, &n), -E2BIG);
	pthread_barrier_wait(&w.go);
	pthread_barrier_wait(&w.done);
	finish(&w, th);
}

/* task-clock of another thread matches that thread's own CPU clock, and
 * the count stays readable once the thread is gone. */
static void task_clock_other_thread(void **state)
{
	struct hostperf_counter c;
	struct perf_event_attr a;
	struct worker w;
	pthread_t th;
	char why[256] = "";
	double v0, v1, v2;
	int scaled;

	start(&w, &th, 0);
	pthread_barrier_wait(&w.ready);
	hostperf_sw_attr(&a, PERF_COUNT_SW_TASK_CLOCK, 0);
	assert_int_equal(hostperf_open(&c, &a, &w.tid, 1, why, sizeof(why)), 0);
	assert_int_equal(hostperf_read(&c, &v0, &scaled), 0);
	pthread_barrier_wait(&w.go);
	pthread_barrier_wait(&w.done);
	assert_int_equal(hostperf_read(&c, &v1, &scaled), 0);
	assert_int_equal(scaled, 0);
	assert_true(v1 - v0 >= 0.9 * w.cpu_ns);
	assert_true(v1 - v0 <= 1.5 * w.cpu_ns + 5e6);
	finish(&w, th);
	assert_int_equal(hostperf_read(&c, &v2, &scaled), 0);
	assert_true(v2 >= v1);
	assert_true(v2 - v1 < 5e6);
	hostperf_close(&c);
	assert_int_equal(c.n, 0);
}

/* A thread created after the open is counted in its creator's counter
 * (inherit), while it runs and after it exits. */
static void faults_of_a_new_thread(void **state)
{
	struct hostperf_counter c;
	struct perf_event_attr a;
	struct worker w;
	pthread_t th;
	pid_t self = gettid();
	char why[256] = "";
	double v0, v1, v2;
	int scaled;

	hostperf_sw_attr(&a, PERF_COUNT_SW_PAGE_FAULTS, 1);
	assert_int_equal(hostperf_open(&c, &a, &self, 1, why, sizeof(why)), 0);
	assert_int_equal(hostperf_read(&c, &v0, &scaled), 0);
	start(&w, &th, 1);
	pthread_barrier_wait(&w.ready);
	pthread_barrier_wait(&w.go);
	pthread_barrier_wait(&w.done);
	assert_int_equal(hostperf_read(&c, &v1, &scaled), 0);
	assert_true(v1 - v0 >= PAGES);
	finish(&w, th);
	assert_int_equal(hostperf_read(&c, &v2, &scaled), 0);
	assert_true(v2 - v0 >= PAGES);
	hostperf_close(&c);

	/* Without inherit the new thread's faults are not ours. */
	hostperf_sw_attr(&a, PERF_COUNT_SW_PAGE_FAULTS, 0);
	assert_int_equal(hostperf_open(&c, &a, &self, 1, why, sizeof(why)), 0);
	assert_int_equal(hostperf_read(&c, &v0, &scaled), 0);
	start(&w, &th, 1);
	pthread_barrier_wait(&w.ready);
	pthread_barrier_wait(&w.go);
	pthread_barrier_wait(&w.done);
	finish(&w, th);
	assert_int_equal(hostperf_read(&c, &v1, &scaled), 0);
	assert_true(v1 - v0 < PAGES);
	hostperf_close(&c);
}

static void guest_mode_encoding(void **state)
{
	struct perf_event_attr a;
	char why[256] = "";

	assert_int_equal(hostperf_encode("cycles:mg", &a, why, sizeof(why)), 0);
	assert_int_equal(a.type, PERF_TYPE_HARDWARE);
	assert_int_equal(a.config, PERF_COUNT_HW_CPU_CYCLES);
	assert_int_equal(a.exclude_host, 1);
	assert_int_equal(a.exclude_guest, 0);
	assert_int_equal(a.size, sizeof(a));
	assert_int_equal(
		hostperf_encode("instructions:mg", &a, why, sizeof(why)), 0);
	assert_int_equal(a.config, PERF_COUNT_HW_INSTRUCTIONS);
	/* perf's own spelling is not libpfm4's. */
	assert_int_not_equal(hostperf_encode("cycles:G", &a, why, sizeof(why)),
			     0);
	assert_non_null(strstr(why, "libpfm4 cannot encode cycles:G"));
}

/* An open that fails says on which thread and why, and leaves nothing
 * open. */
static void open_fails_with_reason(void **state)
{
	struct hostperf_counter c;
	struct perf_event_attr a;
	pid_t tids[2] = {gettid(), 0x3ffffff0};
	char why[256] = "";

	hostperf_sw_attr(&a, PERF_COUNT_SW_CONTEXT_SWITCHES, 1);
	assert_int_equal(hostperf_open(&c, &a, tids, 2, why, sizeof(why)),
			 -ESRCH);
	assert_non_null(strstr(why, "perf_event_open on thread 1073741808"));
	assert_non_null(strstr(why, strerror(ESRCH)));
	assert_int_equal(c.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(threads_of_self),
		cmocka_unit_test(task_clock_other_thread),
		cmocka_unit_test(faults_of_a_new_thread),
		cmocka_unit_test(guest_mode_encoding),
		cmocka_unit_test(open_fails_with_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
