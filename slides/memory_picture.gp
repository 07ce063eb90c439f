# memory_picture.gp: shared against private after fork(), drawn from a real
# grading of the solutions (memory_picture.py turns its JSON into VARS).
#
#   gnuplot -e "vars='VARS.gp'; out='picture.pdf|picture.svg'" slides/memory_picture.gp
#
# Left, MAP_SHARED: both processes' addresses point at one page frame.
# Right, MAP_PRIVATE: the child's store went to a frame of its own.  The
# frame numbers are that run's; without root they read as unknown.

if (!exists("vars") || !exists("out")) {
    print "usage: gnuplot -e \"vars='VARS.gp'; out='FILE.pdf|FILE.svg'\" memory_picture.gp"
    exit status 2
}
load vars

if (out[strlen(out)-3:] eq ".pdf") {
    set terminal pdfcairo size 13cm,6cm font "Sans,7" linewidth 1.2
    big = ",9"; small = ",6"
} else {
    set terminal svg size 960,440 font "Sans,14" linewidth 1.6 background "#ffffff"
    big = ",17"; small = ",12"
}
set output out
set termoption noenhanced
unset border; unset tics; unset key
set xrange [0:20]; set yrange [0:9]
set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0

frame(f) = strlen(f) > 0 ? "frame " . f : "a page (frame: root only)"
dirty(pd, sd) = sprintf("Private_Dirty %d kB\nShared_Dirty %d kB", pd, sd)

set style rect fc rgb "#f4f4f4" fs solid 1.0 border rgb "#444444"

# --- MAP_SHARED -----------------------------------------------------------------
set label 1 "MAP_SHARED: fork_share" at 0.5, 8.4 font big tc rgb "#000000"
set object 1 rect from 0.5, 5.4 to 5.0, 7.2
set label 2 "parent\n" . s_parent_addr at 2.75, 6.3 center font small
set object 2 rect from 0.5, 1.4 to 5.0, 3.6
set label 3 "child\n" . s_child_addr . "\n" . dirty(s_child_pd, s_child_sd) at 2.75, 2.5 center font small
set object 3 rect from 6.6, 3.5 to 9.6, 5.3 fc rgb "#d8ecd8"
set label 4 frame(s_child_frame) at 8.1, 4.4 center
set arrow 1 from 5.0, 6.3 to 6.6, 4.6 lc rgb "#2a7a2a" lw 1.5
set arrow 2 from 5.0, 2.5 to 6.6, 4.2 lc rgb "#2a7a2a" lw 1.5
set label 5 "one page for both: the child's store\nis in the parent's page" at 0.5, 0.9 \
    font small tc rgb "#333333"

# --- MAP_PRIVATE ----------------------------------------------------------------
set label 11 "MAP_PRIVATE: fork_share -p" at 10.5, 8.4 font big tc rgb "#000000"
set object 11 rect from 10.5, 5.4 to 15.0, 7.2
set label 12 "parent\n" . p_parent_addr at 12.75, 6.3 center font small
set object 12 rect from 10.5, 1.4 to 15.0, 3.6
set label 13 "child\n" . p_child_addr . "\n" . dirty(p_child_pd, p_child_sd) at 12.75, 2.5 center font small
set object 13 rect from 16.4, 5.4 to 19.6, 7.2 fc rgb "#e4e4f4"
set label 14 frame(p_parent_frame) . "\nthe file's page: 0" at 18.0, 6.3 center
set object 14 rect from 16.4, 1.6 to 19.6, 3.4 fc rgb "#f4dcdc"
set label 15 frame(p_child_frame) . "\nthe child's copy" at 18.0, 2.5 center
set arrow 11 from 15.0, 6.3 to 16.4, 6.3 lc rgb "#444488" lw 1.5
set arrow 12 from 15.0, 2.5 to 16.4, 2.5 lc rgb "#aa3333" lw 1.5
set label 16 "the child's store went to a page of its own:\ncopy-on-write; the parent still sees 0" \
    at 10.5, 0.9 font small tc rgb "#333333"

set label 20 "seen inside the program by the grader's audit library: bin/grade --seed " . seed \
    at 19.6, 0.15 right font small tc rgb "#777777"
plot NaN notitle
