#!/bin/sh
# bench_class.sh DIR [SIZE]: grades a synthetic class of SIZE students (200 by
# default: copies of solutions/ and up to a fifth of corpus cases, made by
# mkclass.sh in DIR/class) with --jobs 1, then --jobs 2, and prints both wall
# times and the speed-up.  Writes DIR/class_speed.csv (jobs,students,seconds).
# Goals (issue 6): at most 60 s with 2 jobs on 2 cores, a speed-up of 1.8.
#
# Then the comparison of sources (issue 17), as class mode times it: for that
# class; for the same class with a name changed in every student's sources,
# so that no two texts are the same and every pair matches (the most work
# there can be); and for that one again after one student changed (only that
# student's texts are compared again).  Writes DIR/class_similarity.csv
# (class,students,texts_compared,seconds).  Goal: at most 10 s on 2 cores.
set -eu

[ $# -ge 1 ] || { echo "usage: bench_class.sh DIR [SIZE]" >&2; exit 2; }
dir=$1
size=${2:-200}
here=$(dirname "$0")
rm -rf "$dir/class" "$dir/class-j1" "$dir/class-j2" "$dir/class-grader" "$dir/labs" \
	"$dir/class-distinct" "$dir/class-distinct-out"
mkdir -p "$dir"
# A copy of bin/ (the grader, its audit library): a rebuild of bin/grade
# during the minutes this takes must not reach the runs measured.  The
# skeleton beside it, where the grader looks for it (../labs).
cp -R bin "$dir/class-grader"
cp -R labs "$dir/labs"
n=$(sh "$here/mkclass.sh" -n "$size" -c $((size / 5)) "$dir/class")
corpus=$(find "$dir/class" -mindepth 1 -maxdepth 1 -name 'corpus-*' | wc -l)
echo "bench-class: $n students in $dir/class ($corpus corpus cases); $(nproc) cores"

now() { date +%s.%N; }
echo "jobs,students,seconds" > "$dir/class_speed.csv.tmp"
for jobs in 1 2; do
	t0=$(now)
	"$dir/class-grader/grade" --class "$dir/class" --out "$dir/class-j$jobs" --jobs "$jobs" --seed 1 \
		> "$dir/class-j$jobs.log" 2>&1 || { tail "$dir/class-j$jobs.log"; exit 1; }
	t1=$(now)
	secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
	grep 'students graded in' "$dir/class-j$jobs.log"
	echo "$jobs,$n,$secs" >> "$dir/class_speed.csv.tmp"
	echo "bench-class: --jobs $jobs: $secs s"
done
mv "$dir/class_speed.csv.tmp" "$dir/class_speed.csv"
# Checks that judge timing may differ from run to run, and say so.
differ=$(diff "$dir/class-j1/grades.csv" "$dir/class-j2/grades.csv" | grep -c '^<' || true)
[ "$differ" -eq 0 ] ||
	echo "bench-class: $differ students graded differently by the two runs (checks that judge timing)"
awk -F, 'NR == 2 { one = $3 } NR == 3 { two = $3 }
	END { printf "bench-class: speed-up %.2f (goal 1.8); --jobs 2: %.1f s (goal 60 s)\n", one / two, two }' \
	"$dir/class_speed.csv"
echo "bench-class: $dir/class_speed.csv"

# "... compared in 1.2 s, 800 of 800 texts anew" -> "800,1.2"
similarity() {
	sed -n 's/.*similar code: .* compared in \([0-9.]*\) s, \([0-9]*\) of [0-9]* texts anew.*/\2,\1/p' "$1"
}
echo "class,students,texts_compared,seconds" > "$dir/class_similarity.csv.tmp"
echo "mkclass,$n,$(similarity "$dir/class-j2.log")" >> "$dir/class_similarity.csv.tmp"
cp -R "$dir/class" "$dir/class-distinct"
i=0
for s in "$dir/class-distinct"/*/; do
	i=$((i + 1))
	find "$s" -name '*.c' -type f -exec sed -i "s/\\bfd\\b/fd_$i/g; s/\\bp\\b/p_$i/g" {} +
done
run_distinct() {
	"$dir/class-grader/grade" --class "$dir/class-distinct" --out "$dir/class-distinct-out" \
		--jobs 2 --seed 1 > "$dir/class-distinct.log" 2>&1 || { tail "$dir/class-distinct.log"; exit 1; }
	echo "$1,$n,$(similarity "$dir/class-distinct.log")" >> "$dir/class_similarity.csv.tmp"
}
run_distinct all-distinct
one=$(find "$dir/class-distinct" -mindepth 1 -maxdepth 1 -name 'sol-*' | sort | head -n 1)
echo 'int bench_changed(int n) { int s = 0; while (n-- > 0) s += n * n; return s; }' \
	>> "$one/01-file-mapping/mmap_hello.c"
run_distinct one-changed
mv "$dir/class_similarity.csv.tmp" "$dir/class_similarity.csv"
# Side by side with the grading it is part of (--jobs 2, the same class).
awk -F, -v grading="$(awk -F, 'NR == 3 { print $3 }' "$dir/class_speed.csv")" \
	'NR > 1 { printf "bench-class: similarity, %s class: %s texts compared in %s s (goal 10 s), %.1f%% of the grading'"'"'s %s s\n", $1, $3, $4, 100 * $4 / grading, grading }' \
	"$dir/class_similarity.csv"
echo "bench-class: $dir/class_similarity.csv"
