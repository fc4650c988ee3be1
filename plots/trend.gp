# SPDX-License-Identifier: GPL-2.0-or-later
# Nightly trend from the history: the median per night (or per run), one
# line per kernel, accel, block size, mode and DIMM size (never mixed),
# with the change points found by the windowed t-test marked.
# CSV (trend.csv): memmap,dimm_mib,index,night,median,n,change,p,injected,
# kernel,accel,block_mib,node,series,time_base,testbed
# (night holds the run id when the trend is per run; its first 15
# characters are the run's UTC start, yyyymmdd-HHMMSS; time_base is
# virtual for guest times under tcg-icount). Set by mhpbench: series, the
# lines' names (column 14), space-separated; ylabel_text and time_note (a
# line under the title: what guest virtual ms are, or "").
load "common.gp"
set title "Trend of ".metric."\n(".subtitle.")".(time_note eq "" ? "" : "\n".time_note)
set xlabel xlabel_text
set ylabel ylabel_text
set yrange [0:*]
set xtics rotate by -45 font ",8"
set offsets 0.5, 0.5, graph 0.25, 0
set bmargin 9
nser = words(series)
plot for [i=1:nser] datafile using (strcol(14) eq word(series, i) ? $3 : NaN):5:xticlabels(strcol(14) eq word(series, 1) ? substr(strcol(4), 1, 15) : "") with linespoints lw 2 pt 7 title word(series, i), \
     '' using ($7 == 1 ? $3 : NaN):5 with points lc rgb "black" pt 6 ps 3 lw 2 title "change point (windowed t-test)", \
     '' using ($9 == 1 ? $3 : NaN):5 with points lc rgb "orange" pt 2 ps 2 title "run with an injected delay"
