# SPDX-License-Identifier: GPL-2.0-or-later
# Cost against the size of the zone (job option zone_present): the online
# (top) and offline (bottom) guest time of the measured block against the
# memory already in the zone it joins, one series per mode (DIMM, kernel):
# the median at each size as points, the line fitted over per-boot medians
# (the summary's zone-size table gives its slope and 95% CI).
# CSV (zone-size.csv): series,phase,zone_gib,median_ms,fit_ms,n,kernel,
# accel,time_base (virtual: the ms are guest virtual time under
# tcg-icount, 2^shift ns per instruction; wall)
# Set by mhpbench: name, datafile, subtitle, series, ylabel_text (its unit
# says guest virtual ms where they are) and time_note (a line under the
# title: what guest virtual ms are, or "").
load "common.gp"
if (!exists("ylabel_text")) ylabel_text = "guest view (ms)"
if (!exists("time_note")) time_note = ""
if (fmt eq "dumb") {
	set terminal dumb size 79,50 noenhanced
	set output name.".txt"
}
set multiplot layout 2,1 title "Online and offline against the memory already in the zone\n(".subtitle.")".(time_note eq "" ? "" : "\n".time_note)
set xlabel "memory already in the zone (GiB)"
set yrange [0:*]
set offsets graph 0.02, graph 0.02, graph 0.3, 0
do for [ph in "online offline"] {
	set ylabel ph.", ".ylabel_text
	plot for [i=1:words(series)] datafile \
		using ((strcol(1) eq word(series, i) && strcol(2) eq ph) ? $3 : NaN):4 \
		with points pt i title word(series, i)." median", \
	     for [i=1:words(series)] datafile \
		using ((strcol(1) eq word(series, i) && strcol(2) eq ph) ? $3 : NaN):5 \
		with lines dt 2 title word(series, i)." fit"
}
unset multiplot
