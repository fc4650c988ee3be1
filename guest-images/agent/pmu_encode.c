// SPDX-License-Identifier: GPL-2.0-or-later
#include "pmu_encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int init_done;
static int init_result;

int pmu_encode_init(void)
{
	if (!init_done) {
		init_result = pfm_initialize();
		init_done = 1;
	}
	return init_result == PFM_SUCCESS ? 0 : init_result;
}

static void set_err(char *err, size_t len, int code)
{
	if (err && len)
		snprintf(err, len, "%s", pfm_strerror(code));
}

int pmu_encode(const char *event, struct perf_event_attr *attr, char *fstr,
	       size_t fstr_len, char *err, size_t err_len)
{
	pfm_perf_encode_arg_t arg;
	char *full = NULL;
	int r;

	if (fstr && fstr_len)
		fstr[0] = '\0';
	if (!attr)
		r = PFM_ERR_INVAL;
	else if (!event || !event[0])
		r = PFM_ERR_NOTFOUND; /* libpfm says the same of "" */
	else
		r = pmu_encode_init();
	if (r) {
		set_err(err, err_len, r);
		return r;
	}
	memset(attr, 0, sizeof(*attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.fstr = fstr ? &full : NULL;
	arg.size = sizeof(arg);
	/* PLM0|PLM3: hot-add work is kernel work, done partly on behalf of
	 * user space; a ":u" or ":k" in the string still wins. */
	r = pfm_get_os_event_encoding(event, PFM_PLM0 | PFM_PLM3,
				      PFM_OS_PERF_EVENT_EXT, &arg);
	if (r != PFM_SUCCESS) {
		free(full);
		set_err(err, err_len, r);
		return r;
	}
	attr->size = sizeof(*attr);
	if (fstr && fstr_len)
		snprintf(fstr, fstr_len, "%s", full ? full : event);
	free(full);
	if (err && err_len)
		err[0] = '\0';
	return 0;
}
