# Nightly trend of one cell from the history: the median per night (or per
# run), with the change points found by the windowed t-test marked.
# CSV (trend.csv): memmap,dimm_mib,index,night,median,n,change,p,injected
# (night holds the run id when the trend is per run; its first 15
# characters are the run's UTC start, yyyymmdd-HHMMSS)
load "common.gp"
set title "Trend of ".metric."\n(".subtitle.")"
set xlabel xlabel_text
set ylabel ylabel_text
set yrange [0:*]
set xtics rotate by -45 font ",8"
set offsets 0.5, 0.5, graph 0.25, 0
set bmargin 9
plot datafile using (strcol(1) eq "ram" ? $3 : NaN):5:xticlabels(strcol(1) eq "ram" ? substr(strcol(4), 1, 15) : "") with linespoints lc rgb "#d62728" pt 7 title "ram: memmap in RAM", \
     '' using (strcol(1) eq "self" ? $3 : NaN):5 with linespoints lc rgb "#1f77b4" pt 5 title "self: memmap self-hosted", \
     '' using ($7 == 1 ? $3 : NaN):5 with points lc rgb "black" pt 6 ps 3 lw 2 title "change point (windowed t-test)", \
     '' using ($9 == 1 ? $3 : NaN):5 with points lc rgb "orange" pt 2 ps 2 title "run with an injected delay"
