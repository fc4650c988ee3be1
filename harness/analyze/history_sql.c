// SPDX-License-Identifier: GPL-2.0-or-later
/* The queries both history back ends run (history_sql.h). */
#include "analyze/history_sql.h"

/* The sample columns of the baseline's rows are those a struct sample
 * has: history_*.c read them in this order. */
const char history_sql_baseline[] =
	"SELECT s.run_id, s.kernel, s.accel, s.memmap, s.block_mib, "
	"s.dimm_mib, s.node, s.rep, s.phase, s.view, s.metric, s.value, "
	"s.unit, s.boot, s.cycle, s.warmup, s.block, s.target_mib, "
	"s.offline_fill_pct, s.zone_present_mib, s.source FROM samples s "
	"WHERE "
	"s.warmup = 0 AND "
	"s.kernel = ?1 AND s.accel = ?2 AND s.block_mib = ?3 AND "
	"s.testbed = ?4 AND s.run_id IN (SELECT r.run_id FROM runs r WHERE "
	"r.testbed = ?4 AND r.job = ?5 AND r.run_id <> ?6 AND r.status = "
	"'complete' AND r.inject_online_delay_ms = 0 AND (?8 = '' OR "
	"r.started_utc < ?8) AND EXISTS (SELECT 1 "
	"FROM samples x WHERE x.testbed = r.testbed AND x.run_id = r.run_id "
	"AND x.warmup = 0 AND x.kernel = ?1 AND x.accel = ?2 AND "
	"x.block_mib = ?3) ORDER BY r.started_utc DESC, r.run_id DESC "
	"LIMIT ?7) ORDER BY s.run_id, s.seq";

const char history_sql_trend[] =
	"SELECT CASE WHEN ?1 <> 0 THEN r.run_id ELSE r.night END AS grp, "
	"s.memmap, s.dimm_mib, s.value, r.inject_online_delay_ms, s.kernel, "
	"s.accel, s.block_mib, s.node, s.offline_fill_pct, r.testbed, "
	"s.zone_present_mib, s.source "
	"FROM samples s JOIN runs r ON s.testbed = r.testbed AND "
	"s.run_id = r.run_id "
	"WHERE r.status = 'complete' AND s.warmup = 0 AND s.metric = ?2 "
	"AND s.view = ?3 AND s.phase = ?4 AND (?5 = '' OR s.memmap = ?5) "
	"AND (?6 = 0 OR s.dimm_mib = ?6) AND (?7 = '' OR s.kernel = ?7) "
	"AND (?8 = '' OR s.accel = ?8) AND (?9 = 0 OR s.block_mib = ?9) "
	"AND (?10 = '' OR r.testbed = ?10) "
	"ORDER BY r.testbed, s.kernel, s.accel, s.block_mib, s.memmap, "
	"s.dimm_mib, s.node, s.offline_fill_pct, s.zone_present_mib, "
	"s.source, r.started_utc, r.run_id";
