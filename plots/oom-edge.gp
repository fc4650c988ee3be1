# SPDX-License-Identifier: GPL-2.0-or-later
# The OOM edge: how many 128M DIMMs could be hot-added before the guest
# hit the edge, per free-memory target F, both memmap modes (median with
# min..max bars over the repetitions), and the model's prediction; a set
# of points per kernel (accel, block size) when the run has several.
# CSV (oom-edge.csv): memmap,target_mib,median,min,max,n,predicted,kernel,
# accel,block_mib,group
# Set by mhpbench: groups, the sets' names (column 11), space-separated.
load "common.gp"
set title "OOM edge: DIMMs hot-added before the edge\n(".subtitle.")"
set xlabel "free-memory target F before the adds (MiB)"
set ylabel "DIMMs hot-added (count)"
set logscale x 2
set offsets graph 0.08, graph 0.08, graph 0.25, 0
set yrange [0:*]
if (fmt ne "dumb") set key top right box opaque
ng = words(groups)
# Which set a title is of, when there are several; sets spread a little.
gname(g) = ng > 1 ? ", ".word(groups, g) : ""
gx(g) = 1 + 0.03 * (g - 1)
plot for [g=1:ng] datafile using (strcol(1) eq "ram" ? (strcol(11) eq word(groups, g) ? $2 * 0.97 * gx(g) : NaN) : NaN):3:4:5 with yerrorbars lc rgb "#d62728" pt (5 + 2 * g) title "ram: memmap in RAM (memmap_on_memory=0)".gname(g), \
     for [g=1:ng] '' using (strcol(1) eq "self" ? (strcol(11) eq word(groups, g) ? $2 * 1.03 * gx(g) : NaN) : NaN):3:4:5 with yerrorbars lc rgb "#1f77b4" pt (3 + 2 * g) title "self: memmap self-hosted (memmap_on_memory=1)".gname(g), \
     for [g=1:ng] '' using (strcol(1) eq "ram" ? (strcol(11) eq word(groups, g) ? $2 * gx(g) : NaN) : NaN):7 with linespoints dt 2 lc rgb "gray40" pt 1 title "ram: predicted from (MemFree - min_free_kbytes) / memmap".gname(g)
