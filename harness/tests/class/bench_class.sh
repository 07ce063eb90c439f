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
rm -rf "$dir/class" "$dir/class-j1" "$dir/class-j2"
mkdir -p "$dir"
n=$(sh "$here/mkclass.sh" -n "$size" -c $((size / 5)) "$dir/class")
echo "bench-class: $n students in $dir/class ($(ls "$dir/class" | grep -c '^corpus-') corpus cases);" \
	"$(nproc) cores"

now() { date +%s.%N; }
echo "jobs,students,seconds" > "$dir/class_speed.csv.tmp"
for jobs in 1 2; do
	t0=$(now)
	bin/grade --class "$dir/class" --out "$dir/class-j$jobs" --jobs "$jobs" --seed 1 \
		> "$dir/class-j$jobs.log" 2>&1 || { tail "$dir/class-j$jobs.log"; exit 1; }
	t1=$(now)
	secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
	echo "$jobs,$n,$secs" >> "$dir/class_speed.csv.tmp"
	echo "bench-class: --jobs $jobs: $secs s"
done
mv "$dir/class_speed.csv.tmp" "$dir/class_speed.csv"
cmp -s "$dir/class-j1/grades.csv" "$dir/class-j2/grades.csv" ||
	{ echo "bench-class: --jobs 1 and --jobs 2 gave different grades"; exit 1; }
awk -F, 'NR == 2 { one = $3 } NR == 3 { two = $3 }
	END { printf "bench-class: speed-up %.2f (goal 1.8); --jobs 2: %.1f s (goal 60 s)\n", one / two, two }' \
	"$dir/class_speed.csv"
echo "bench-class: $dir/class_speed.csv"
