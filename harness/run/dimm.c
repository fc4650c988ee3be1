// SPDX-License-Identifier: GPL-2.0-or-later
/* One DIMM's hot-add and hot-remove through QMP and the agent (dimm.h). */
#include "run/dimm.h"
#include "base/err.h"
#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ACPI _OST source events and status codes (ACPI spec, _OST). The codes
 * 0x80.. mean different things per source: 0x80 is "insertion pending"
 * for a device check but "ejection not supported" for an eject request,
 * whose "in progress" is 0x84 (seen from Linux 6.1 on every eject). */
#define OST_SUCCESS 0x00
#define OST_SOURCE_INSERT 0x01 /* device check */
#define OST_SOURCE_EJECT 0x03  /* eject request */
#define OST_INSERT_IN_PROGRESS 0x80
#define OST_EJECT_IN_PROGRESS 0x84

/* How often a wait for DEVICE_DELETED looks for a refusing _OST. */
#define DELETE_SLICE_MS 100

void dimm_init(struct dimm *d, struct guest *g, uint64_t bytes)
{
	memset(d, 0, sizeof(*d));
	d->g = g;
	d->bytes = bytes;
	d->nblocks = (int)(bytes / g->hello.block_size);
	snprintf(d->dev, sizeof(d->dev), "dimm%d", g->dimm_seq);
	snprintf(d->mem, sizeof(d->mem), "mem%d", g->dimm_seq++);
	d->host_node = -1;
}

int dimm_host_node(const struct job *job)
{
	if (job->node < 0 || job->node >= job->nnodes)
		return -1;
	return job->nodes[job->node].host_node;
}

int dimm_backend_add(struct dimm *d, int64_t deadline_ns)
{
	json_t *args =
		json_pack("{s:s,s:s,s:I}", "qom-type", "memory-backend-ram",
			  "id", d->mem, "size", (json_int_t)d->bytes);
	int ret;

	if (args && d->noreserve)
		json_object_set_new(args, "reserve", json_false());
	/* Bound like the boot memory of its guest node (README, "Deep
	 * metrics": numa_host_nodes), so the DIMM is on that host node. */
	if (args && d->host_node >= 0) {
		json_object_set_new(args, "host-nodes",
				    json_pack("[i]", d->host_node));
		json_object_set_new(args, "policy", json_string("bind"));
	}
	ret = qmp_execute(d->g->qmp, "object-add", args, NULL, deadline_ns,
			  NULL);

	if (!ret)
		d->added = 1;
	return ret;
}

int dimm_device_add(struct dimm *d, int node, int64_t deadline_ns,
		    int64_t *sent_ns)
{
	int ret = qmp_execute(d->g->qmp, "device_add",
			      json_pack("{s:s,s:s,s:s,s:i}", "driver",
					"pc-dimm", "id", d->dev, "memdev",
					d->mem, "node", node),
			      NULL, deadline_ns, sent_ns);

	if (ret)
		return ret;
	d->plugged = 1;
	d->nseen = 0;
	return 0;
}

int dimm_plug(struct dimm *d, int node, int64_t deadline_ns, int64_t *sent_ns)
{
	int ret = dimm_backend_add(d, deadline_ns);

	return ret ? ret : dimm_device_add(d, node, deadline_ns, sent_ns);
}

int dimm_ost_verdict(int source, int status)
{
	if (source != OST_SOURCE_INSERT && source != OST_SOURCE_EJECT)
		return OST_OTHER;
	if (status == OST_SUCCESS)
		return OST_DONE;
	if ((source == OST_SOURCE_INSERT && status == OST_INSERT_IN_PROGRESS) ||
	    (source == OST_SOURCE_EJECT && status == OST_EJECT_IN_PROGRESS))
		return OST_PENDING;
	return OST_REFUSED;
}

static int match_device(const json_t *data, void *arg)
{
	const char *dev = json_string_value(json_object_get(data, "device"));

	return dev && !strcmp(dev, arg);
}

static int match_ost(const json_t *data, void *arg)
{
	return match_device(json_object_get(data, "info"), arg);
}

static int ost_field(const struct qmp_event *ev, const char *key)
{
	return (int)json_integer_value(
		json_object_get(json_object_get(ev->data, "info"), key));
}

/* Only this DIMM's events count: one left over from another DIMM (an
 * earlier add of the same boot) must not close this add. */
int dimm_wait_inserted(struct dimm *d, int64_t deadline_ns, int64_t *recv_ns,
		       int *status)
{
	for (;;) {
		struct qmp_event ost;
		int ret = qmp_wait_event(d->g->qmp, "ACPI_DEVICE_OST",
					 match_ost, d->dev, &ost, deadline_ns);
		int src, st, v;

		if (ret)
			return ret;
		src = ost_field(&ost, "source");
		st = ost_field(&ost, "status");
		v = dimm_ost_verdict(src, st);
		if (src == OST_SOURCE_INSERT && v == OST_DONE && recv_ns)
			*recv_ns = ost.recv_ns;
		qmp_event_free(&ost);
		if (src != OST_SOURCE_INSERT || v == OST_PENDING)
			continue;
		if (v == OST_REFUSED) {
			if (status)
				*status = st;
			return -EIO;
		}
		return 0;
	}
}

int dimm_wait_blocks(struct dimm *d, const char *action,
		     struct agent_uevents *ev, int64_t until)
{
	int add = !strcmp(action, "add");
	int ret = agent_wait_blocks(&d->g->agent, action, d->nblocks - d->nseen,
				    ev, until);

	/* A timeout still carries the events seen so far. */
	for (int i = 0; i < ev->n && d->nseen < AGENT_MAX_BLOCKS; i++) {
		if (add)
			d->blocks[d->nseen] = ev->block[i];
		d->nseen++;
	}
	return ret;
}

int dimm_del(struct dimm *d, int64_t deadline_ns, int64_t *sent_ns)
{
	return qmp_execute(d->g->qmp, "device_del",
			   json_pack("{s:s}", "id", d->dev), NULL, deadline_ns,
			   sent_ns);
}

/* A refused eject: the guest's _OST with source 3 and a failing status,
 * among those queued. -EBUSY with the reason set, or 0. */
static int eject_refused(struct dimm *d)
{
	struct qmp_event ev;

	while (!qmp_wait_event(d->g->qmp, "ACPI_DEVICE_OST", match_ost, d->dev,
			       &ev, 0)) {
		int src = ost_field(&ev, "source"),
		    status = ost_field(&ev, "status");

		qmp_event_free(&ev);
		if (src == OST_SOURCE_EJECT &&
		    dimm_ost_verdict(src, status) == OST_REFUSED) {
			err_set(EXIT_FAIL,
				"guest refused to eject %s: _OST status 0x%x",
				d->dev, status);
			return -EBUSY;
		}
	}
	return 0;
}

int dimm_wait_deleted(struct dimm *d, int64_t deadline_ns, int64_t *recv_ns)
{
	for (;;) {
		struct qmp_event ev;
		int64_t slice = clock_now_ns() + DELETE_SLICE_MS * NS_PER_MS;
		int ret = qmp_wait_event(
			d->g->qmp, "DEVICE_DELETED", match_device, d->dev, &ev,
			slice < deadline_ns ? slice : deadline_ns);

		if (!ret) {
			if (recv_ns)
				*recv_ns = ev.recv_ns;
			qmp_event_free(&ev);
			d->plugged = 0;
			d->nseen = 0;
			return 0;
		}
		if (ret != -ETIMEDOUT)
			return ret;
		if ((ret = eject_refused(d)))
			return ret;
		if (clock_now_ns() >= deadline_ns)
			return -ETIMEDOUT;
	}
}

int dimm_object_del(struct dimm *d, int64_t deadline_ns)
{
	int ret = qmp_execute(d->g->qmp, "object-del",
			      json_pack("{s:s}", "id", d->mem), NULL,
			      deadline_ns, NULL);

	if (!ret)
		d->added = 0;
	return ret;
}
