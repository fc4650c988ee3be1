# The OOM edge: how many 128M DIMMs could be hot-added before the guest
# hit the edge, per free-memory target F, both memmap modes (median with
# min..max bars over the repetitions), and the model's prediction.
# CSV (oom-edge.csv): memmap,target_mib,median,min,max,n,predicted
load "common.gp"
set title "OOM edge: DIMMs hot-added before the edge\n(".subtitle.")"
set xlabel "free-memory target F before the adds (MiB)"
set ylabel "DIMMs hot-added (count)"
set logscale x 2
set offsets graph 0.08, graph 0.08, graph 0.25, 0
set yrange [0:*]
if (fmt ne "dumb") set key top right box opaque
plot datafile using (strcol(1) eq "ram" ? $2 * 0.97 : NaN):3:4:5 with yerrorbars lc rgb "#d62728" pt 7 title "ram: memmap in RAM (memmap_on_memory=0)", \
     '' using (strcol(1) eq "self" ? $2 * 1.03 : NaN):3:4:5 with yerrorbars lc rgb "#1f77b4" pt 5 title "self: memmap self-hosted (memmap_on_memory=1)", \
     '' using (strcol(1) eq "ram" ? $2 : NaN):7 with linespoints dt 2 lc rgb "gray40" pt 1 title "ram: predicted from (MemFree - min_free_kbytes) / memmap"
