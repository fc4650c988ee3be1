// SPDX-License-Identifier: GPL-2.0-or-later
/* The offline fill (job option offline_fill; README, "Offline with pages
 * to migrate"): a child process (mhp-fill) holds anonymous pages in the
 * memory blocks about to be offlined, so that the offline has them to
 * migrate. Movable user allocations prefer the highest zone, and a block
 * onlined to ZONE_MOVABLE is the only memory of that zone in this guest,
 * so the child's pages land there first; where they really landed is read
 * back from /proc/self/pagemap (the PFN of each page), never assumed. A
 * page beyond a block's share, or outside the blocks, is held until every
 * block has its share (else the allocator would hand it straight back) and
 * then freed. The pages are touched, not mlocked: an mlocked page cannot
 * be migrated, and the offline would fail. */
#include "fill.h"
#include "mempol.h"
#include "sysfs.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define FILL_NAME "mhp-fill"
#define FILL_MAX_BLOCKS 64
/* Pages touched at a time: once the blocks are full, at most this much
 * spills into other memory before the child sees it and stops. */
#define CHUNK_PAGES 2048
#define PFN_MASK ((UINT64_C(1) << 55) - 1)
#define PAGE_PRESENT (UINT64_C(1) << 63)
/* Below this MemFree (KiB) the child stops whatever it got: the guest
 * must keep room for the offline's migration targets. */
#define MEMFREE_FLOOR_KIB (32 * 1024)

enum fill_stop {
	STOP_TARGET,
	STOP_FULL,
	STOP_DEADLINE,
	STOP_CAP,
	STOP_MEMFREE
};

static const char *const stop_names[] = {
	[STOP_TARGET] = "target",     [STOP_FULL] = "full",
	[STOP_DEADLINE] = "deadline", [STOP_CAP] = "cap",
	[STOP_MEMFREE] = "memfree",
};

struct fill_req {
	int64_t block[FILL_MAX_BLOCKS];
	int nblocks;
	int64_t pages_per_block, target; /* target: pages per block */
	long page_size;
	int64_t deadline_ns;
};

/* What the child tells the parent through a pipe (one write, well below
 * PIPE_BUF, so it arrives whole). */
struct fill_result {
	int64_t pages[FILL_MAX_BLOCKS]; /* ours, in each block */
	int64_t touched, released;
	int stop;
	int err; /* errno of a failed mmap or pagemap read; 0 */
};

struct chunk {
	char *base;
	unsigned char keep[CHUNK_PAGES];
};

static pid_t fill_pid;

static long long memfree_kib(void)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* The index in @q of the block holding @pfn, or -1. */
static int block_of(const struct fill_req *q, uint64_t pfn)
{
	int64_t b = (int64_t)(pfn / (uint64_t)q->pages_per_block);

	for (int i = 0; i < q->nblocks; i++)
		if (q->block[i] == b)
			return i;
	return -1;
}

static int all_done(const struct fill_req *q, const struct fill_result *r)
{
	for (int i = 0; i < q->nblocks; i++)
		if (r->pages[i] < q->target)
			return 0;
	return 1;
}

/* Touches one more chunk and keeps the pages that a block still needs.
 * Returns how many of its pages landed in the blocks at all (kept, or
 * held until the end because their block has its share), or -errno. */
static int take_chunk(const struct fill_req *q, int pagemap, struct chunk *c,
		      struct fill_result *r)
{
	static uint64_t ent[CHUNK_PAGES];
	size_t len = (size_t)CHUNK_PAGES * (size_t)q->page_size;
	off_t off;
	int inside = 0;

	c->base = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->base == MAP_FAILED)
		return -errno;
	/* Base pages: a THP is another migration, at another cost. */
	madvise(c->base, len, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < CHUNK_PAGES; i++)
		c->base[i * (size_t)q->page_size] = 1;
	r->touched += CHUNK_PAGES;
	off = (off_t)((uintptr_t)c->base / (uintptr_t)q->page_size * 8);
	if (pread(pagemap, ent, sizeof(ent), off) != (ssize_t)sizeof(ent))
		return errno ? -errno : -EIO;
	for (int i = 0; i < CHUNK_PAGES; i++) {
		uint64_t pfn = ent[i] & PFN_MASK;
		int b;

		/* Without CAP_SYS_ADMIN the kernel reports PFN 0. */
		if ((ent[i] & PAGE_PRESENT) && !pfn)
			return -EPERM;
		b = (ent[i] & PAGE_PRESENT) ? block_of(q, pfn) : -1;
		inside += b >= 0;
		c->keep[i] = b >= 0 && r->pages[b] < q->target;
		if (c->keep[i])
			r->pages[b]++;
	}
	return inside;
}

/* Frees every page the fill does not keep, in runs. */
static void release_excess(const struct fill_req *q, struct chunk *c, int n,
			   struct fill_result *r)
{
	for (int k = 0; k < n; k++)
		for (int i = 0; i < CHUNK_PAGES;) {
			int j = i;

			while (j < CHUNK_PAGES && !c[k].keep[j])
				j++;
			if (j > i) {
				madvise(c[k].base + (size_t)i * q->page_size,
					(size_t)(j - i) * q->page_size,
					MADV_DONTNEED);
				r->released += j - i;
			}
			i = j + 1;
		}
}

static int fill_loop(const struct fill_req *q, int pagemap, struct chunk *c,
		     int max, int *n, struct fill_result *r)
{
	while (!all_done(q, r)) {
		int inside;

		if (clock_now_ns() > q->deadline_ns)
			return STOP_DEADLINE;
		if (*n == max)
			return STOP_CAP;
		if (memfree_kib() < MEMFREE_FLOOR_KIB)
			return STOP_MEMFREE;
		inside = take_chunk(q, pagemap, &c[(*n)++], r);
		if (inside < 0) {
			r->err = -inside;
			return STOP_CAP;
		}
		/* Pages in a block that has its share are held, so the
		 * allocator moves on to the others; only a chunk that lands
		 * wholly outside the blocks says they are full. */
		if (!inside)
			return STOP_FULL;
	}
	return STOP_TARGET;
}

/* The child: the first the OOM killer takes, with its pages on the
 * blocks' node first; it reports, then sleeps until the harness's unfill
 * kills it. */
static void fill_child(const struct fill_req *q, int node, int out)
{
	/* Enough chunks for every page of the blocks, and a few more. */
	int max = (int)(q->nblocks * q->pages_per_block / CHUNK_PAGES) + 4;
	struct chunk *c = calloc((size_t)max, sizeof(*c));
	struct fill_result r = {.stop = STOP_CAP};
	int pagemap, n = 0;
	FILE *f;

	f = fopen("/proc/self/oom_score_adj", "we");
	if (f) {
		fputs("1000", f);
		fclose(f);
	}
	prctl(PR_SET_NAME, FILL_NAME);
	if (node >= 0 && mempol_prefer_node(node) < 0)
		r.err = errno;
	pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (!c || pagemap < 0)
		r.err = errno ? errno : ENOMEM;
	if (!r.err)
		r.stop = fill_loop(q, pagemap, c, max, &n, &r);
	if (c)
		release_excess(q, c, n, &r);
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	close(out);
	for (;;)
		pause();
}

static void fill_kill(void)
{
	if (fill_pid > 0) {
		kill(fill_pid, SIGKILL);
		waitpid(fill_pid, NULL, 0);
	}
	fill_pid = 0;
}

static int read_result(int fd, struct fill_result *r, int64_t deadline_ns)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int n = poll(&pfd, 1, clock_poll_ms(deadline_ns));

	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIMEDOUT;
	n = (int)read(fd, r, sizeof(*r));
	return n == sizeof(*r) ? 0 : -EIO;
}

/* The request: blocks (array of block numbers), pct, node. */
static int parse_req(const json_t *req, json_t *res, struct fill_req *q,
		     long long *pct, long long *node)
{
	json_t *blocks = json_object_get(req, "blocks"), *b;
	char text[64];
	size_t i;
	int r;

	r = proto_get_int(req, "pct", 0, 100, 1, pct, res);
	if (!r)
		r = proto_get_int(req, "node", -1, 127, 0, node, res);
	if (r < 0)
		return r;
	if (!json_is_array(blocks) || !json_array_size(blocks) ||
	    json_array_size(blocks) > FILL_MAX_BLOCKS)
		return proto_fail(res, -EINVAL,
				  "argument \"blocks\" must be an array of 1 "
				  "to %d block numbers",
				  FILL_MAX_BLOCKS);
	json_array_foreach(blocks, i, b)
	{
		if (!json_is_integer(b) || json_integer_value(b) < 0)
			return proto_fail(res, -EINVAL,
					  "argument \"blocks\" must hold "
					  "block numbers");
		q->block[q->nblocks++] = json_integer_value(b);
	}
	r = sysfs_read(SYSFS_MEMORY_DIR "/block_size_bytes", text,
		       sizeof(text));
	if (r < 0)
		return proto_fail(res, r, "block_size_bytes: %s", strerror(-r));
	q->page_size = sysconf(_SC_PAGESIZE);
	q->pages_per_block = (int64_t)(strtoull(text, NULL, 16) /
				       (unsigned long long)q->page_size);
	if (q->pages_per_block <= 0)
		return proto_fail(res, -EIO, "block_size_bytes reads '%s'",
				  text);
	q->target = q->pages_per_block * *pct / 100;
	return 0;
}

static void put_result(json_t *res, const struct fill_req *q,
		       const struct fill_result *r)
{
	json_t *per = json_array();
	int64_t sum = 0;

	for (int i = 0; i < q->nblocks; i++) {
		json_array_append_new(per, json_pack("{s:I,s:I}", "block",
						     (json_int_t)q->block[i],
						     "pages",
						     (json_int_t)r->pages[i]));
		sum += r->pages[i];
	}
	json_object_set_new(res, "pid", json_integer(fill_pid));
	json_object_set_new(res, "page_size", json_integer(q->page_size));
	json_object_set_new(res, "pages_per_block",
			    json_integer(q->pages_per_block));
	json_object_set_new(res, "target_pages", json_integer(q->target));
	json_object_set_new(res, "blocks", per);
	json_object_set_new(res, "fill_pages", json_integer(sum));
	json_object_set_new(res, "touched_pages", json_integer(r->touched));
	json_object_set_new(res, "released_pages", json_integer(r->released));
	json_object_set_new(res, "stopped", json_string(stop_names[r->stop]));
	json_object_set_new(res, "memfree_kib", json_integer(memfree_kib()));
}

int fill_op_fill(const json_t *req, json_t *res, int64_t deadline_ns)
{
	struct fill_req q = {.nblocks = 0};
	struct fill_result r = {.stop = STOP_TARGET};
	long long pct = 0, node = -1;
	int pfd[2], ret;

	ret = parse_req(req, res, &q, &pct, &node);
	if (ret < 0)
		return ret;
	fill_kill();
	if (!pct) { /* nothing to hold: no child */
		put_result(res, &q, &r);
		return 0;
	}
	/* The child stops a little before the request's deadline, so its
	 * report still arrives. */
	q.deadline_ns = deadline_ns - 500 * NS_PER_MS;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return proto_fail(res, -errno, "pipe: %s", strerror(errno));
	fill_pid = fork();
	if (fill_pid < 0) {
		ret = -errno;
		close(pfd[0]);
		close(pfd[1]);
		fill_pid = 0;
		return proto_fail(res, ret, "fork: %s", strerror(-ret));
	}
	if (!fill_pid) {
		close(pfd[0]);
		fill_child(&q, (int)node, pfd[1]);
	}
	close(pfd[1]);
	ret = read_result(pfd[0], &r, deadline_ns);
	close(pfd[0]);
	if (ret < 0) {
		fill_kill();
		return proto_fail(res, ret, "the fill did not report: %s",
				  ret == -EIO ? "it died (OOM killer?)"
					      : strerror(-ret));
	}
	put_result(res, &q, &r);
	if (r.err)
		return proto_fail(res, -r.err, "the fill stopped: %s",
				  strerror(r.err));
	return 0;
}

int fill_op_unfill(const json_t *req, json_t *res, int64_t deadline_ns)
{
	pid_t w = -1;
	int st = 0;

	(void)req;
	(void)deadline_ns;
	/* Still running now means it held its pages through the offline. */
	if (fill_pid > 0)
		w = waitpid(fill_pid, &st, WNOHANG);
	json_object_set_new(res, "pid",
			    fill_pid > 0 ? json_integer(fill_pid)
					 : json_null());
	json_object_set_new(res, "alive", json_boolean(fill_pid > 0 && !w));
	if (fill_pid > 0 && w == fill_pid) {
		if (WIFSIGNALED(st))
			json_object_set_new(res, "signal",
					    json_integer(WTERMSIG(st)));
		fill_pid = 0; /* reaped already */
	}
	fill_kill();
	return 0;
}

int fill_op_vmstat(const json_t *req, json_t *res, int64_t deadline_ns)
{
	json_t *v = json_object();
	char key[64], line[128];
	long long val;
	FILE *f = fopen("/proc/vmstat", "re");

	(void)req;
	(void)deadline_ns;
	if (!f) {
		json_decref(v);
		return proto_fail(res, -errno, "/proc/vmstat: %s",
				  strerror(errno));
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &val) == 2)
			json_object_set_new(v, key, json_integer(val));
	fclose(f);
	json_object_set_new(res, "vmstat", v);
	json_object_set_new(res, "ts_ns", json_integer(clock_now_ns()));
	return 0;
}
