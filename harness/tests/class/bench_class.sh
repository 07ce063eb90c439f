#!/bin/sh
# bench_class.sh DIR [SIZE]: grades a synthetic class of SIZE students (200 by
# default: copies of solutions/ and up to a fifth of corpus cases, made by
# mkclass.sh in DIR/class) with --jobs 1, then --jobs 2, and prints both wall
# times and the speed-up.  Writes DIR/class_speed.csv (jobs,students,seconds).
# Goals (issue 6): at most 60 s with 2 jobs on 2 cores, a speed-up of 1.8.
set -eu

[ $# -ge 1 ] || { echo "usage: bench_class.sh DIR [SIZE]" >&2; exit 2; }
dir=$1
size=${2:-200}
here=$(dirname "$0")
rm -rf "$dir/class" "$dir/class-j1" "$dir/class-j2" "$dir/class-grader"
mkdir -p "$dir"
# A copy of bin/ (the grader, its audit library): a rebuild of bin/grade
# during the minutes this takes must not reach the runs measured.
cp -R bin "$dir/class-grader"
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
	tail -n 3 "$dir/class-j$jobs.log" | head -n 1
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
