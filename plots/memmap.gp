# SPDX-License-Identifier: GPL-2.0-or-later
# Memmap taken from RAM at add (MemFree plus the per-CPU free lists)
# against DIMM size, both memmap modes: median with q1..q3 error bars, and
# the size of a full memmap (1/64 of the DIMM) for reference. Several
# kernels, accels or block sizes: a category each, side by side.
# CSV (memmap.csv): memmap,x,label,median,q1,q3,expected_kib,n,kernel,
# accel,block_mib
load "common.gp"
set title "Memmap taken from RAM at hot-add\n(".subtitle.")"
set xlabel xlabel_text offset 0, 1 - xlines
eval "set xtics (".xtics_list.")"
set xrange [-0.6:nsizes - 0.4]
set ylabel "RAM taken at add (KiB)"
set yrange [0:*]
# Room above the points for the key.
set offsets 0, 0, graph 0.35, 0
plot datafile using (strcol(1) eq "ram" ? $2 : NaN):7 \
	with linespoints dt 2 lc rgb "gray40" title "a full memmap: 1/64 of the DIMM", \
     '' using (strcol(1) eq "ram" ? $2 - 0.05 : NaN):4:5:6 with yerrorbars lc rgb "#d62728" pt 7 title "ram: memmap in RAM (memmap_on_memory=0)", \
     '' using (strcol(1) eq "self" ? $2 + 0.05 : NaN):4:5:6 with yerrorbars lc rgb "#1f77b4" pt 5 title "self: memmap self-hosted (memmap_on_memory=1)"
