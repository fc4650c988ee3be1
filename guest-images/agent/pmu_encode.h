/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Event string → perf_event_attr through libpfm4. No jansson here: the
 * host's unit tests build this file too (tests/unit/test_pfm_encode.c). */
#ifndef MHP_AGENT_PMU_ENCODE_H
#define MHP_AGENT_PMU_ENCODE_H

#include <perfmon/pfmlib_perf_event.h>
#include <stddef.h>

/* Initializes libpfm4 once; later calls return the first result. 0 or a
 * libpfm error code (PFM_ERR_*, negative; text from pfm_strerror). */
int pmu_encode_init(void);

/* Encodes @event ("cycles", "perf::LLC-LOAD-MISSES", "INST_RETIRED:k",
 * ...) with pfm_get_os_event_encoding(PFM_OS_PERF_EVENT_EXT), counting at
 * user and kernel level unless the string says otherwise. Fills @attr
 * (zeroed first; type, config, config1, exclude_* and size set) and, when
 * @fstr is not NULL, the fully qualified name libpfm chose. Returns 0 or
 * a PFM_ERR_* code; @err (may be NULL) gets pfm_strerror's text. */
int pmu_encode(const char *event, struct perf_event_attr *attr, char *fstr,
	       size_t fstr_len, char *err, size_t err_len);

#endif
