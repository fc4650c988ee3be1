# SPDX-License-Identifier: GPL-2.0-or-later
# Offline with pages to migrate (job option offline_fill): the guest
# offline time (top) and the migrated pages per ms of it (bottom) against
# the share of each block the fill held, one line per mode and DIMM size
# (and kernel, accel or block size where the run has several): median,
# with min..max bars. A fill that migrated nothing has no rate.
# CSV (offline-fill.csv): series,fill_pct,latency_ms,latency_min_ms,
# latency_max_ms,pages_per_ms,pages_per_ms_min,pages_per_ms_max,n,kernel,
# accel,block_mib,time_base (virtual: the ms are guest virtual time under
# tcg-icount, 2^shift ns per instruction; wall)
# Set by mhpbench: name, datafile, subtitle, series, ylat and yrate (the
# y labels, whose unit says guest virtual ms where they are) and
# time_note (a line under the title: what guest virtual ms are, or "").
load "common.gp"
if (!exists("ylat")) ylat = "offline, guest ms"
if (!exists("yrate")) yrate = "migrated pages per ms"
if (!exists("time_note")) time_note = ""
if (fmt eq "dumb") {
	set terminal dumb size 79,50 noenhanced
	set output name.".txt"
}
set multiplot layout 2,1 title "Offline with pages to migrate\n(".subtitle.")".(time_note eq "" ? "" : "\n".time_note)
set xlabel "offline fill (% of each block)"
set xrange [-5:105]
set ylabel ylat
set yrange [0:*]
set offsets 0, 0, graph 0.3, 0
plot for [i=1:words(series)] datafile \
	using (strcol(1) eq word(series, i) ? $2 : NaN):3:4:5 \
	with yerrorlines title word(series, i)
set ylabel yrate
plot for [i=1:words(series)] datafile \
	using (strcol(1) eq word(series, i) ? $2 : NaN):6:7:8 \
	with yerrorlines title word(series, i)
unset multiplot
