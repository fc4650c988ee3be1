# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by every mhpbench plot: the terminal for fmt (png, svg or dumb)
# and the CSV reader. The caller sets name (output stem) and may set fmt.
if (!exists("fmt")) fmt = "png"
if (fmt eq "png") {
	set terminal pngcairo size 1000,640 noenhanced font "sans,10"
	set output name.".png"
}
if (fmt eq "svg") {
	set terminal svg size 1000,640 noenhanced font "sans,10" background "white"
	set output name.".svg"
}
if (fmt eq "dumb") {
	set terminal dumb size 79,30 noenhanced
	set output name.".txt"
}
set datafile separator ","
# The key: boxed inside the plot, below it in ASCII (no room inside).
keypos = (fmt eq "dumb") ? "below" : "top left box opaque"
eval "set key ".keypos
set grid ytics
