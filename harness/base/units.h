/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sizes ("128M", "2G") and durations ("500ms", "30s", "2m") as written in
 * job files and on the command line. */
#ifndef MHP_UNITS_H
#define MHP_UNITS_H

#include <stdint.h>

/* Binary suffixes K, M, G, T (also KiB/MiB/GiB/TiB, case-insensitive);
 * no suffix = bytes. Returns 0 or -EINVAL / -ERANGE. */
int units_parse_size(const char *s, uint64_t *bytes);

/* ms, s, m, h; no suffix = seconds. Returns 0 or -EINVAL / -ERANGE. */
int units_parse_duration_ms(const char *s, int64_t *ms);

/* us, ms, s, m, h; no suffix = seconds. In microseconds. */
int units_parse_duration_us(const char *s, int64_t *us);

/* "128M", "2G", "1536M": the largest exact binary unit. */
void units_format_size(uint64_t bytes, char *buf, int len);

#endif
