# read_vs_mmap.gp: draw build/bench/read_vs_mmap.csv (from read_vs_mmap.c).
#
#   gnuplot -e "csv='in.csv'; out='chart.pdf'" bench/read_vs_mmap.gp
#
# The file name of `out` picks the terminal: .pdf (vector, for beamer) or
# .svg (for the HTML slides).  The machine line of the CSV goes under the
# chart, so a chart never travels without the machine it was measured on.

if (!exists("csv") || !exists("out")) {
    print "usage: gnuplot -e \"csv='FILE.csv'; out='FILE.pdf|FILE.svg'\" read_vs_mmap.gp"
    exit status 2
}
what = system("sed -n 's/^# read_vs_mmap: MB\\/s, //p' '" . csv . "'")
machine = system("sed -n 's/^# machine: //p' '" . csv . "'")
page = system("sed -n 's/.*, \\([0-9]*\\)-byte pages.*/\\1/p' '" . csv . "'") + 0

if (out[strlen(out)-3:] eq ".pdf") {
    set terminal pdfcairo size 13cm,6.6cm font "Sans,8" linewidth 1.5
    small = ",6"
} else {
    set terminal svg size 960,500 font "Sans,15" linewidth 2 background "#ffffff"
    small = ",12"
}
set output out

set datafile separator ","
set key bottom right Left reverse box opaque
set logscale x 2
set xrange [400:5.3e6]
set yrange [0:*]
set xtics ("512" 512, "1K" 1024, "4K" 4096, "16K" 16384, "64K" 65536, \
           "256K" 262144, "1M" 1048576, "4M" 4194304)
set grid ytics lc rgb "#dddddd"
set xlabel "buffer (read) or window (mmap) size, bytes"
set ylabel "GB/s (higher is better)"
set title "Throughput, " . what noenhanced
set label 1 machine noenhanced at screen 0.98, screen 0.03 right font small tc rgb "#555555"
set bmargin 4.5
if (page > 0) {
    set arrow 1 from page, graph 0 to page, graph 1 nohead dt 2 lc rgb "#888888"
    set label 2 sprintf("page size (%d)", page) at page, graph 0.6 left offset 0.5, 0 tc rgb "#555555"
}

# Column 3 is empty below the page size: those points are simply missing.
plot csv using 1:($4/1000) with lines lc rgb "#2a9d8f" dt 2 title "mmap the whole file once", \
     csv using 1:($2/1000) with linespoints pt 7 ps 0.6 lc rgb "#e76f51" title "read() into a buffer", \
     csv using 1:($3/1000) with linespoints pt 5 ps 0.6 lc rgb "#264653" title "mmap + munmap per window"
