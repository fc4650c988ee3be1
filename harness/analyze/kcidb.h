/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A run as KernelCI KCIDB report data, schema v5.3 (README, "Analysis":
 * "KCIDB export"; the schema's copy and where it came from are in
 * tests/data/kcidb/). Each kernel of the run is a checkout and a build
 * (mhpbench boots a prebuilt kernel image, so the build names the image and
 * its release); each cell's median is a test with status DONE and a
 * number; each verdict of a gate.json is a test with status PASS (same or
 * improvement), FAIL (regression, or a cell gone) or SKIP (inconclusive,
 * or a gone cell allowed), as gate-junit.xml marks them. Every id is
 * ORIGIN:run-id/..., so a run exported twice gets the same ids. */
#ifndef MHP_KCIDB_H
#define MHP_KCIDB_H

#include <jansson.h>
#include <stddef.h>

#define KCIDB_MAJOR 5
#define KCIDB_MINOR 3

/* Whether @origin is a KCIDB origin: [a-z0-9_]+. */
int kcidb_origin_valid(const char *origin);

/* The test path of a cell (an object of summary.json's "cells", or a
 * row of gate.json): @prefix ("mhpbench" or "mhpbench.gate"), then accel,
 * block size, mode, DIMM size (when not 0: a boot's capabilities have
 * none), node (when not 0), offline fill and
 * oom-edge target (when set), phase, view and metric, dot-separated:
 * "mhpbench.tcg-icount.block-128M.ram.dimm-128M.online.guest.latency_ns".
 * A character KCIDB's paths do not allow becomes '_'. */
void kcidb_cell_path(const json_t *cell, const char *prefix, char *buf,
		     size_t len);

/* A test's "number" for the value @v in mhpbench's @unit (samples.csv)
 * of a cell of @accel and @view: ns as seconds ("s", metric prefix), or
 * as guest virtual ms ("vms", no prefix) where metric_virtual_time says
 * the time is virtual; KiB and MiB as bytes ("B", binary prefix); a rate
 * per ms as per vms where virtual; bool and ratio without a unit; any
 * other unit as it is. NULL when @v is not finite. */
json_t *kcidb_number(const char *unit, const char *accel, const char *view,
		     double v);

/* KCIDB's status for a verdict of gate.json: "PASS", "FAIL" or "SKIP";
 * NULL for a verdict mhpbench does not write. */
const char *kcidb_gate_status(const char *verdict);

/* The report data of a run: @manifest (its manifest.json), @cells (its
 * summary's "cells", report_summary()), @gate (a gate.json whose
 * candidate is this run, or NULL) and @origin. NULL with a one-line
 * reason in @err when @gate is not about this run or holds a verdict or
 * row it should not. */
json_t *kcidb_export(const json_t *manifest, const json_t *cells,
		     const json_t *gate, const char *origin, char *err,
		     size_t len);

#endif
