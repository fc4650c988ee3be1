# SPDX-License-Identifier: GPL-2.0-or-later
# Latency per phase against DIMM size, both memmap modes, as candlesticks
# (whiskers min..max, box q1..q3, bar at the median). A run of several
# kernels, accels or block sizes has a category per size and each of them,
# side by side, never pooled.
# CSV (latency-VIEW.csv): phase,memmap,x,label,min,q1,median,q3,max,n,
# kernel,accel,block_mib,time_base (virtual: guest time under tcg-icount,
# 2^shift ns per instruction, not wall-clock; wall)
# Set by mhpbench: name, datafile, view, phases, subtitle, nsizes,
# what and ytitle (the y label; its unit says guest virtual ms where they
# are), time_note (a line under the title: what guest virtual ms are),
# xtics_list (the categories at x = 0, 1, ...), xlabel_text and xlines
# (lines per tic label); regenerate with
#   gnuplot -e "fmt='svg'" latency-guest.gp
load "common.gp"
if (!exists("what")) what = "Hotplug latency per phase"
if (!exists("ytitle")) ytitle = "latency (ms)"
if (!exists("time_note")) time_note = ""
nph = words(phases)
set multiplot layout (nph > 2 ? 2 : 1), (nph > 2 ? 2 : nph) title what.", ".view." view\n(".subtitle.")".(time_note eq "" ? "" : "\n".time_note)
set xlabel xlabel_text offset 0, 1 - xlines
eval "set xtics (".xtics_list.")"
set xrange [-0.6:nsizes - 0.4]
set ylabel ytitle
set yrange [0:*]
set offsets 0, 0, graph 0.3, 0
set boxwidth 0.25
set style fill solid 0.35 border
do for [p in phases] {
	set title p
	if (p eq word(phases, 1)) { eval "set key ".((fmt eq "dumb") ? "below" : "top right box opaque") } else { unset key }
	plot datafile using (strcol(1) eq p && strcol(2) eq "ram" ? $3 - 0.15 : NaN):6:5:9:8 \
		with candlesticks whiskerbars lc rgb "#d62728" title "ram (memmap_on_memory=0)", \
	     '' using (strcol(1) eq p && strcol(2) eq "ram" ? $3 - 0.15 : NaN):7:7:7:7 with candlesticks lc rgb "#d62728" lw 2 notitle, \
	     '' using (strcol(1) eq p && strcol(2) eq "self" ? $3 + 0.15 : NaN):6:5:9:8 \
		with candlesticks whiskerbars lc rgb "#1f77b4" title "self (memmap_on_memory=1)", \
	     '' using (strcol(1) eq p && strcol(2) eq "self" ? $3 + 0.15 : NaN):7:7:7:7 with candlesticks lc rgb "#1f77b4" lw 2 notitle
}
unset multiplot
