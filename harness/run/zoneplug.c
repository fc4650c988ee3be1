// SPDX-License-Identifier: GPL-2.0-or-later
/* The zone_present DIMM of a zone = movable boot (zoneplug.h). */
#include "run/zoneplug.h"
#include "base/err.h"
#include "clock.h"
#include "config/zonesize.h"
#include "run/dimm.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int fail(int ret, int code, const char *what, const struct dimm *d)
{
	err_set(code, "zone_present: %s of the %llu MiB zone DIMM %s: %s", what,
		(unsigned long long)(d->bytes >> 20), d->dev,
		ret == -ETIMEDOUT ? "no answer by the deadline (phase_timeout)"
				  : strerror(-ret));
	return ret;
}

static int plug(struct dimm *d, const struct job *job)
{
	static struct agent_uevents ev;
	int status = 0, ret;

	ret = dimm_plug(d, job->node, guest_phase_deadline(job), NULL);
	if (ret == -EIO) {
		err_set(EXIT_QMP,
			"zone_present: QEMU refused the zone DIMM: %s",
			qmp_errmsg(d->g->qmp));
		return ret;
	}
	if (ret)
		return fail(ret, EXIT_HANG, "device_add", d);
	ret = dimm_wait_inserted(d, guest_phase_deadline(job), NULL, &status);
	if (ret == -EIO) {
		err_set(EXIT_ENV,
			"zone_present: the guest refused the %llu MiB zone "
			"DIMM (_OST status 0x%x): see the console log",
			(unsigned long long)(d->bytes >> 20), status);
		return ret;
	}
	if (ret)
		return fail(ret, EXIT_HANG, "the hot-add", d);
	ret = dimm_wait_blocks(d, "add", &ev, guest_phase_deadline(job));
	return ret ? fail(ret, EXIT_HANG, "the blocks' uevents", d) : 0;
}

static int online(struct dimm *d, const struct job *job, char *zones,
		  size_t len)
{
	for (int i = 0; i < d->nseen; i++) {
		struct agent_state_result r;
		int ret = agent_set_state(&d->g->agent, "online", d->blocks[i],
					  "movable", 0, 0, &r,
					  guest_phase_deadline(job));

		if (ret)
			return fail(ret,
				    ret == -ETIMEDOUT ? EXIT_HANG : EXIT_ENV,
				    "onlining a block", d);
		snprintf(zones, len, "%s", r.zones);
	}
	return 0;
}

/* Online, MemTotal grows by the DIMM, less its memmap where that is
 * self-hosted (6.8 on, per block, in self mode): anything else means the
 * zone did not get the memory the axis says it holds. */
static int check_total(const struct dimm *d, int64_t grew_kib)
{
	int64_t kib = (int64_t)(d->bytes >> 10);

	if (grew_kib <= kib && grew_kib >= kib - kib / 64)
		return 0;
	err_set(EXIT_ENV,
		"zone_present: MemTotal grew by %lld KiB after onlining the "
		"zone DIMM of %lld KiB",
		(long long)grew_kib, (long long)kib);
	return -EPROTO;
}

int zoneplug_run(struct guest *g, const struct job *job, json_t *boot)
{
	struct agent_meminfo before, after;
	struct dimm d;
	char zones[64] = "";
	int64_t t0, t1, t2;
	int ret;

	if (g->zone_present_mib <= 0 || job->zone != ZONE_MOVABLE)
		return 0;
	dimm_init(&d, g, (uint64_t)g->zone_present_mib << 20);
	d.noreserve = 1;
	ret = agent_meminfo(&g->agent, &before, guest_phase_deadline(job));
	if (ret)
		return fail(ret, EXIT_HANG, "meminfo before", &d);
	t0 = clock_now_ns();
	ret = plug(&d, job);
	t1 = clock_now_ns();
	if (!ret)
		ret = online(&d, job, zones, sizeof(zones));
	t2 = clock_now_ns();
	if (!ret)
		ret = agent_meminfo(&g->agent, &after,
				    guest_phase_deadline(job));
	if (ret)
		return err_isset() ? ret : fail(ret, EXIT_HANG, "meminfo", &d);
	json_object_set_new(
		boot, "zone_dimm",
		json_pack("{s:s,s:I,s:i,s:s,s:f,s:f,s:I}", "id", d.dev, "mib",
			  (json_int_t)(d.bytes >> 20), "blocks", d.nseen,
			  "zones", zones, "add_s", (t1 - t0) / 1e9, "online_s",
			  (t2 - t1) / 1e9, "mem_total_grew_kib",
			  (json_int_t)(after.mem_total - before.mem_total)));
	return check_total(&d, after.mem_total - before.mem_total);
}
