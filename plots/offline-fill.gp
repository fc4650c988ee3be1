# SPDX-License-Identifier: GPL-2.0-or-later
# Offline with pages to migrate (job option offline_fill): the guest
# offline time (top) and the migrated pages per ms of it (bottom) against
# the share of each block the fill held, one line per mode and DIMM size
# (and kernel, accel or block size where the run has several): median,
# with min..max bars. A fill that migrated nothing has no rate.
# CSV (offline-fill.csv): series,fill_pct,latency_ms,latency_min_ms,
# latency_max_ms,pages_per_ms,pages_per_ms_min,pages_per_ms_max,n,kernel,
# accel,block_mib
load "common.gp"
if (fmt eq "dumb") {
	set terminal dumb size 79,50 noenhanced
	set output name.".txt"
}
set multiplot layout 2,1 title "Offline with pages to migrate\n(".subtitle.")"
set xlabel "offline fill (% of each block)"
set xrange [-5:105]
set ylabel "offline, guest ms"
set yrange [0:*]
set offsets 0, 0, graph 0.3, 0
plot for [i=1:words(series)] datafile \
	using (strcol(1) eq word(series, i) ? $2 : NaN):3:4:5 \
	with yerrorlines title word(series, i)
set ylabel "migrated pages per ms"
plot for [i=1:words(series)] datafile \
	using (strcol(1) eq word(series, i) ? $2 : NaN):6:7:8 \
	with yerrorlines title word(series, i)
unset multiplot
