// SPDX-License-Identifier: GPL-2.0
/*
 * mhp_probe: where the memmap (struct page array) of one memory block lives,
 * and what walking it costs. Part of mhpbench (guest-images/probe/README.md).
 *
 * debugfs, under /sys/kernel/debug/mhp_probe/:
 *   ctl     write "block=N [passes=P]" in one write(2); the probe runs
 *           synchronously inside it, and the write returns its full
 *           length, or -EINVAL (bad request, impossible block number),
 *           -ENODEV (block not present), -EFAULT (memmap not mapped),
 *           -EINTR or -ENOMEM.
 *   result  "key=value" lines of the last request; after a failed one
 *           "status=error", "errno=N" and "error=<text>".
 *
 * Placement: lookup_address() (exported, GPL) on every mapping that backs
 * the virtual range [pfn_to_page(start), pfn_to_page(end)), each mapping
 * (4K page, 2M or 1G huge page) counted once, node of each backing page.
 * Walk: READ_ONCE(page->flags) for every pfn of the block, in pfn order.
 *
 * Locking: lock_device_hotplug() and get_online_mems() are not exported
 * by 6.1, so nothing here stops a concurrent offline/remove of the very
 * block being probed; its memmap could be unmapped under the walk. The
 * caller (the mhpbench agent, one request at a time, while the harness has
 * no hotplug operation in flight) must not probe a block that is being
 * removed. The checks below narrow but cannot close that window.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#ifndef CONFIG_X86_64
#error "mhp_probe finds the memmap's backing pages with x86's lookup_address()"
#endif
#ifndef CONFIG_SPARSEMEM_VMEMMAP
#error "mhp_probe needs CONFIG_SPARSEMEM_VMEMMAP (a virtually contiguous memmap)"
#endif

#include <asm/cacheflush.h>
#include <asm/pgtable.h>

#define PROBE_VERSION 1
#define DEFAULT_PASSES 5
#define MAX_PASSES 1000
#define CTL_MAX 128
#define RESULT_MAX 4096
#define ERROR_MAX 200

static DEFINE_MUTEX(probe_lock);
static struct dentry *probe_dir;
/* Guarded by probe_lock. */
static char result[RESULT_MAX];
static size_t result_len;
static u64 *node_bytes;
static u64 *node_maps;

/* The walk's loads feed this, so the compiler must keep them. */
static unsigned long probe_sink;

struct probe_req {
	unsigned long block;
	unsigned int passes;
};

struct placement {
	unsigned long vstart, vend;
	u64 maps, maps_4k, maps_2m, maps_1g;
	u64 map_bytes; /* whole mappings, each once */
	u64 local_bytes, in_block_bytes, unknown_bytes;
	phys_addr_t first_phys;
	int block_nid;
	const char *block_nid_source;
};

struct walk {
	u64 cold_ns, warm_min, warm_max, warm_median, warm_sum;
	unsigned long checksum;
	bool flushed;
};

/* Appends to the result under construction; silently truncated at
 * RESULT_MAX (the lines below fit many times over). */
static __printf(2, 3) void out(char *buf, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, RESULT_MAX - n, fmt, ap);
	va_end(ap);
}

/* @num / @den with three or six decimals, without floating point. */
static void out_ratio(char *buf, const char *key, u64 num, u64 den,
		      unsigned int digits)
{
	u64 scale = digits == 6 ? 1000000 : 1000;
	u64 v = den ? div64_u64(num * scale, den) : 0;

	out(buf, "%s=%llu.%0*llu\n", key, div64_u64(v, scale), digits,
	    v - div64_u64(v, scale) * scale);
}

/* The node of physical page @pfn: from its struct page when its section is
 * online (the memmap of an offline block is not initialised yet), else
 * from the firmware's NUMA table (SRAT). */
static int pfn_nid(unsigned long pfn, const char **source)
{
	struct page *page = pfn_to_online_page(pfn);
	int nid;

	if (page) {
		nid = page_to_nid(page);
		if (nid >= 0 && nid < nr_node_ids) {
			*source = "page";
			return nid;
		}
	}
	nid = phys_to_target_node(PFN_PHYS(pfn));
	if (nid >= 0 && nid < nr_node_ids) {
		*source = "firmware";
		return nid;
	}
	*source = "none";
	return NUMA_NO_NODE;
}

/* -EINVAL for a block number no kernel could have, -ENODEV when any part
 * of the block has no memmap (not present, or only partly). */
static int check_block(const struct probe_req *rq, unsigned long ppb,
		       char *err)
{
	unsigned long max_blocks, start, pfn, nr;

	max_blocks = (1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT)) / ppb;
	if (rq->block >= max_blocks) {
		snprintf(err, ERROR_MAX,
			 "block %lu beyond the last possible block %lu",
			 rq->block, max_blocks - 1);
		return -EINVAL;
	}
	start = rq->block * ppb;
	for (nr = pfn_to_section_nr(start);
	     nr <= pfn_to_section_nr(start + ppb - 1); nr++) {
		if (!present_section_nr(nr)) {
			snprintf(err, ERROR_MAX,
				 "block %lu not present (section %lu)",
				 rq->block, nr);
			return -ENODEV;
		}
	}
	/* Hot-added memory can populate a section's memmap in 2M pieces. */
	for (pfn = start; pfn < start + ppb; pfn += PAGES_PER_SUBSECTION) {
		if (!pfn_valid(pfn)) {
			snprintf(err, ERROR_MAX,
				 "block %lu only partly present (no memmap "
				 "for pfn 0x%lx)",
				 rq->block, pfn);
			return -ENODEV;
		}
	}
	return 0;
}

static int place(unsigned long start_pfn, unsigned long nr_pages,
		 struct placement *pl, char *err)
{
	phys_addr_t bstart = PFN_PHYS(start_pfn);
	phys_addr_t bend = PFN_PHYS(start_pfn + nr_pages);
	unsigned long addr, next;
	const char *src;

	memset(node_bytes, 0, nr_node_ids * sizeof(*node_bytes));
	memset(node_maps, 0, nr_node_ids * sizeof(*node_maps));
	pl->vstart = (unsigned long)pfn_to_page(start_pfn);
	pl->vend = (unsigned long)(pfn_to_page(start_pfn + nr_pages - 1) + 1);
	pl->block_nid = pfn_nid(start_pfn, &pl->block_nid_source);

	for (addr = pl->vstart; addr < pl->vend; addr = next) {
		unsigned int level;
		pte_t *pte = lookup_address(addr, &level);
		unsigned long size, base, len;
		phys_addr_t phys;
		int nid;

		if (!pte || !pte_present(READ_ONCE(*pte))) {
			snprintf(err, ERROR_MAX,
				 "memmap address 0x%lx is not mapped", addr);
			return -EFAULT;
		}
		switch (level) {
		case PG_LEVEL_1G:
			size = PUD_SIZE;
			phys = PFN_PHYS(pud_pfn(READ_ONCE(*(pud_t *)pte)));
			pl->maps_1g++;
			break;
		case PG_LEVEL_2M:
			size = PMD_SIZE;
			phys = PFN_PHYS(pmd_pfn(READ_ONCE(*(pmd_t *)pte)));
			pl->maps_2m++;
			break;
		case PG_LEVEL_4K:
			size = PAGE_SIZE;
			phys = PFN_PHYS(pte_pfn(READ_ONCE(*pte)));
			pl->maps_4k++;
			break;
		default:
			snprintf(err, ERROR_MAX,
				 "memmap address 0x%lx mapped at level %u",
				 addr, level);
			return -EFAULT;
		}
		base = addr & ~(size - 1);
		next = base + size;
		/* The part of this mapping that holds the block's memmap. */
		phys += addr - base;
		len = min(next, pl->vend) - addr;
		if (addr == pl->vstart)
			pl->first_phys = phys;
		pl->maps++;
		pl->map_bytes += size;
		/* A mapping never straddles nodes: they are section-aligned. */
		nid = pfn_nid(PHYS_PFN(phys), &src);
		if (nid == NUMA_NO_NODE) {
			pl->unknown_bytes += len;
		} else {
			node_bytes[nid] += len;
			node_maps[nid]++;
			if (nid == pl->block_nid)
				pl->local_bytes += len;
		}
		if (phys >= bstart && phys + len <= bend)
			pl->in_block_bytes += len;
	}
	return 0;
}

static u64 walk_pass(unsigned long start_pfn, unsigned long nr_pages,
		     unsigned long *sum)
{
	unsigned long pfn, acc = 0;
	u64 t0, t1;

	/* One CPU for the whole pass: a migration would mix two caches. */
	preempt_disable();
	t0 = ktime_get_ns();
	for (pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++)
		acc += READ_ONCE(pfn_to_page(pfn)->flags);
	t1 = ktime_get_ns();
	preempt_enable();
	*sum += acc;
	return t1 - t0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

static int walk(unsigned long start_pfn, unsigned long nr_pages,
		unsigned int passes, const struct placement *pl,
		struct walk *w, char *err)
{
	u64 *ns = kcalloc(passes, sizeof(*ns), GFP_KERNEL);
	unsigned long sum = 0;
	unsigned int i, warm = passes - 1;

	if (!ns) {
		snprintf(err, ERROR_MAX, "out of memory for %u passes", passes);
		return -ENOMEM;
	}
	/* Cold: nothing of the memmap in the CPU caches (a no-op on TCG,
	 * which models no caches). The memmap is < 4 GiB for any block. */
	clflush_cache_range((void *)pl->vstart,
			    (unsigned int)(pl->vend - pl->vstart));
	w->flushed = true;
	for (i = 0; i < passes; i++) {
		if (signal_pending(current)) {
			kfree(ns);
			snprintf(err, ERROR_MAX, "interrupted after %u passes",
				 i);
			return -EINTR;
		}
		ns[i] = walk_pass(start_pfn, nr_pages, &sum);
		cond_resched();
	}
	WRITE_ONCE(probe_sink, READ_ONCE(probe_sink) + sum);
	w->checksum = sum;
	w->cold_ns = ns[0];
	w->warm_sum = 0;
	for (i = 1; i < passes; i++)
		w->warm_sum += ns[i];
	if (warm) {
		sort(ns + 1, warm, sizeof(*ns), cmp_u64, NULL);
		w->warm_min = ns[1];
		w->warm_max = ns[warm];
		w->warm_median = warm & 1 ? ns[1 + warm / 2] :
			(ns[warm / 2] + ns[warm / 2 + 1]) / 2;
	}
	kfree(ns);
	return 0;
}

static void report(char *buf, const struct probe_req *rq,
		   unsigned long start_pfn, unsigned long nr_pages,
		   const struct placement *pl, const struct walk *w)
{
	u64 memmap_bytes = pl->vend - pl->vstart;
	unsigned long nr, online = 0, sections = 0;
	bool first = true;
	int nid;

	for (nr = pfn_to_section_nr(start_pfn);
	     nr <= pfn_to_section_nr(start_pfn + nr_pages - 1); nr++) {
		sections++;
		online += !!online_section_nr(nr);
	}
	buf[0] = '\0';
	out(buf, "status=ok\nversion=%d\n", PROBE_VERSION);
	out(buf, "block=%lu\nblock_size_bytes=%lu\n", rq->block,
	    nr_pages << PAGE_SHIFT);
	out(buf, "start_pfn=0x%lx\nnr_pages=%lu\nstart_phys=0x%llx\n",
	    start_pfn, nr_pages, (unsigned long long)PFN_PHYS(start_pfn));
	out(buf, "sections=%lu\nsections_online=%lu\n", sections, online);
	out(buf, "block_node=%d\nblock_node_source=%s\n", pl->block_nid,
	    pl->block_nid_source);
	out(buf, "struct_page_bytes=%zu\n", sizeof(struct page));
	out(buf, "memmap_virt=0x%lx\nmemmap_bytes=%llu\n", pl->vstart,
	    memmap_bytes);
	out(buf, "memmap_first_phys=0x%llx\n",
	    (unsigned long long)pl->first_phys);
	out(buf, "memmap_mappings=%llu\n", pl->maps);
	out(buf, "memmap_mappings_4k=%llu\nmemmap_mappings_2m=%llu\n"
		 "memmap_mappings_1g=%llu\n",
	    pl->maps_4k, pl->maps_2m, pl->maps_1g);
	out(buf, "memmap_backing_bytes=%llu\nmemmap_backing_pages=%llu\n",
	    pl->map_bytes, pl->map_bytes >> PAGE_SHIFT);
	out(buf, "memmap_node_bytes=");
	for_each_node(nid) {
		if (!node_bytes[nid])
			continue;
		out(buf, "%s%d:%llu", first ? "" : ",", nid, node_bytes[nid]);
		first = false;
	}
	out(buf, "\nmemmap_node_mappings=");
	first = true;
	for_each_node(nid) {
		if (!node_maps[nid])
			continue;
		out(buf, "%s%d:%llu", first ? "" : ",", nid, node_maps[nid]);
		first = false;
	}
	out(buf, "\nmemmap_unknown_node_bytes=%llu\n", pl->unknown_bytes);
	out(buf, "memmap_local_bytes=%llu\n", pl->local_bytes);
	out_ratio(buf, "memmap_local_fraction", pl->local_bytes, memmap_bytes,
		  6);
	out(buf, "memmap_in_block_bytes=%llu\nself_hosted=%d\n",
	    pl->in_block_bytes, pl->in_block_bytes == memmap_bytes);
	out(buf, "passes=%u\nwarm_passes=%u\ncold_flushed=%d\n", rq->passes,
	    rq->passes - 1, w->flushed);
	out(buf, "cold_ns=%llu\n", w->cold_ns);
	out_ratio(buf, "cold_ns_per_page", w->cold_ns, nr_pages, 3);
	if (rq->passes > 1) {
		out(buf, "warm_median_ns=%llu\n", w->warm_median);
		out_ratio(buf, "warm_ns_per_page_median", w->warm_median,
			  nr_pages, 3);
		out_ratio(buf, "warm_ns_per_page_min", w->warm_min, nr_pages,
			  3);
		out_ratio(buf, "warm_ns_per_page_max", w->warm_max, nr_pages,
			  3);
		out_ratio(buf, "warm_ns_per_page_mean", w->warm_sum,
			  (u64)nr_pages * (rq->passes - 1), 3);
	}
	/* Only a witness that the loads happened: 32 bits suffice. */
	out(buf, "checksum=0x%x\n", (u32)(w->checksum ^ (w->checksum >> 32)));
}

static int run(const struct probe_req *rq, char *buf, char *err)
{
	unsigned long ppb = memory_block_size_bytes() >> PAGE_SHIFT;
	unsigned long start_pfn = rq->block * ppb;
	struct placement pl = {};
	struct walk w = {};
	int r;

	r = check_block(rq, ppb, err);
	if (r)
		return r;
	r = place(start_pfn, ppb, &pl, err);
	if (r)
		return r;
	r = walk(start_pfn, ppb, rq->passes, &pl, &w, err);
	if (r)
		return r;
	report(buf, rq, start_pfn, ppb, &pl, &w);
	return 0;
}

/* "block=N [passes=P]", separated by blanks; anything else is -EINVAL. */
static int parse(char *s, struct probe_req *rq, char *err)
{
	bool have_block = false;
	char *tok;

	rq->passes = DEFAULT_PASSES;
	while ((tok = strsep(&s, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (!strncmp(tok, "block=", 6)) {
			if (kstrtoul(tok + 6, 10, &rq->block))
				goto bad;
			have_block = true;
		} else if (!strncmp(tok, "passes=", 7)) {
			if (kstrtouint(tok + 7, 10, &rq->passes) ||
			    !rq->passes || rq->passes > MAX_PASSES) {
				snprintf(err, ERROR_MAX,
					 "passes must be in [1, %d]",
					 MAX_PASSES);
				return -EINVAL;
			}
		} else {
			goto bad;
		}
	}
	if (have_block)
		return 0;
bad:
	snprintf(err, ERROR_MAX,
		 "expected \"block=N [passes=P]\" (P in [1, %d])", MAX_PASSES);
	return -EINVAL;
}

static void set_error(int r, const char *err)
{
	result_len = scnprintf(result, sizeof(result),
			       "status=error\nversion=%d\nerrno=%d\nerror=%s\n",
			       PROBE_VERSION, -r, err);
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char in[CTL_MAX + 1], err[ERROR_MAX] = "";
	struct probe_req rq = {};
	char *buf;
	int r;

	buf = kmalloc(RESULT_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (mutex_lock_interruptible(&probe_lock)) {
		kfree(buf);
		return -EINTR;
	}
	if (len > CTL_MAX) {
		r = -EINVAL;
		snprintf(err, ERROR_MAX, "request longer than %d bytes",
			 CTL_MAX);
	} else if (copy_from_user(in, ubuf, len)) {
		r = -EFAULT;
		snprintf(err, ERROR_MAX, "bad user buffer");
	} else {
		in[len] = '\0';
		r = strlen(in) == len ? parse(in, &rq, err) : -EINVAL;
		if (r && !err[0])
			snprintf(err, ERROR_MAX, "NUL byte in the request");
	}
	if (!r)
		r = run(&rq, buf, err);
	if (r) {
		set_error(r, err[0] ? err : "failed");
	} else {
		result_len = strscpy(result, buf, sizeof(result));
		if ((ssize_t)result_len < 0)
			result_len = sizeof(result) - 1;
	}
	mutex_unlock(&probe_lock);
	kfree(buf);
	return r ? r : (ssize_t)len;
}

static ssize_t result_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	ssize_t n;

	if (mutex_lock_interruptible(&probe_lock))
		return -EINTR;
	n = simple_read_from_buffer(ubuf, len, ppos, result, result_len);
	mutex_unlock(&probe_lock);
	return n;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ctl_write,
	/* 6.12 removed no_llseek: a NULL llseek now means -ESPIPE. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	.llseek = no_llseek,
#endif
};

static const struct file_operations result_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = result_read,
	.llseek = default_llseek,
};

static int __init mhp_probe_init(void)
{
	node_bytes = kcalloc(nr_node_ids, sizeof(*node_bytes), GFP_KERNEL);
	node_maps = kcalloc(nr_node_ids, sizeof(*node_maps), GFP_KERNEL);
	if (!node_bytes || !node_maps)
		goto nomem;
	result_len = scnprintf(result, sizeof(result),
			       "status=idle\nversion=%d\n", PROBE_VERSION);
	probe_dir = debugfs_create_dir("mhp_probe", NULL);
	if (IS_ERR(probe_dir)) {
		pr_err("debugfs unavailable (%ld)\n", PTR_ERR(probe_dir));
		kfree(node_bytes);
		kfree(node_maps);
		return PTR_ERR(probe_dir);
	}
	debugfs_create_file("ctl", 0200, probe_dir, NULL, &ctl_fops);
	debugfs_create_file("result", 0400, probe_dir, NULL, &result_fops);
	return 0;
nomem:
	kfree(node_bytes);
	kfree(node_maps);
	return -ENOMEM;
}

static void __exit mhp_probe_exit(void)
{
	debugfs_remove_recursive(probe_dir);
	kfree(node_bytes);
	kfree(node_maps);
}

module_init(mhp_probe_init);
module_exit(mhp_probe_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mhpbench probe: memmap placement and struct page walk cost of a memory block");
MODULE_VERSION("1");
