# lab06_speed.gp: the read-vs-mmap chart (bench/read_vs_mmap.gp, the same
# data) with what lab 06 measures marked: sum_read's and the reference's
# 128 KiB buffer, and one mmap of the whole file (sum_mmap).
#
#   gnuplot -e "csv='in.csv'; out='chart.pdf'" slides/lab06_speed.gp

set arrow 3 from 131072, graph 0 to 131072, graph 1 nohead lw 2 lc rgb "#e76f51"
set label 3 "lab 06: sum\\_read's 128 KiB buffer" at 131072, graph 0.92 right offset -0.6, 0 tc rgb "#e76f51"
set label 4 "a 1-byte buffer: far below 512" at 512, graph 0.08 left offset 0.6, 0 tc rgb "#555555"
load 'bench/read_vs_mmap.gp'
