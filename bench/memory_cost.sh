#!/bin/sh
# memory_cost.sh: what the memory picture costs a grading (issue 14: at most 5%).
#
# Usage: bench/memory_cost.sh RUNCOST [CSV]    (RUNS=12)
#
# Grades solutions/ (--seed 1) with the picture and without it (--no-memory:
# the library records no memory record, no frame reader is started), side by
# side in each round, which goes first alternating, so that load from
# elsewhere falls on both alike; labs 02 and 03 (the labs that have a
# picture), then every lab.  Each grading's CPU
# time (user + system of the grader and everything it ran, by RUNCOST,
# build/tests/audit/runcost) is the figure that holds on a shared machine;
# the ratio is of the medians of CPU time, the wall times' fastest are in the
# CSV beside them.  Run as root, the frame reader is part of the cost.
set -eu
cd "$(dirname "$0")/.."
runcost=$(realpath "$1")
csv=${2:-build/bench/memory_cost.csv}
runs=${RUNS:-12}
[ -x bin/grade ] || { echo "memory_cost: no bin/grade: run make" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/memory_cost.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One grading (the solutions pass: exit 0): "wall_ms cpu_ms".
timed() {
	start=$(date +%s%N)
	cpu=$("$runcost" 1 bin/grade --seed 1 "$@" solutions)
	end=$(date +%s%N)
	echo "$(((end - start) / 1000000)) $((cpu / 1000000))"
}

# One grading of what $1 names (labs, all) with the picture ($2 on) or not.
grading() {
	case $1 in labs) set -- "$2" --lab 02 --lab 03 ;; *) set -- "$2" ;; esac
	if [ "$1" = on ]; then shift; timed "$@"; else shift; timed --no-memory "$@"; fi
}

# Which of the two goes first alternates from round to round.
i=0
while [ $i -lt "$runs" ]; do
	for w in labs all; do
		if [ $((i % 2)) -eq 0 ]; then first=off second=on; else first=on second=off; fi
		grading $w $first >> "$work/$w-$first"
		grading $w $second >> "$work/$w-$second"
	done
	i=$((i + 1))
done

col() { awk -v c="$2" '{ print $c }' "$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : 0) }'; }
fastest() { sort -n | head -n 1; }
mkdir -p "$(dirname "$csv")"
{
	echo "# grading solutions/, $runs rounds side by side, $(nproc) cores, uid $(id -u), load $(cut -d' ' -f1 /proc/loadavg)"
	echo "grading,picture,cpu_median_ms,cpu_fastest_ms,wall_fastest_ms,wall_median_ms"
	for w in labs all; do
		for m in off on; do
			f=$work/$w-$m
			echo "$w,$m,$(col "$f" 2 | median),$(col "$f" 2 | fastest),$(col "$f" 1 | fastest),$(col "$f" 1 | median)"
		done
	done
} > "$csv"
for w in labs all; do
	awk -v w=$w -v off="$(col "$work/$w-off" 2 | median)" -v on="$(col "$work/$w-on" 2 | median)" \
	    -v woff="$(col "$work/$w-off" 1 | fastest)" -v won="$(col "$work/$w-on" 1 | fastest)" 'BEGIN {
		printf "memory_cost: %s: CPU without the picture %.3f s, with it %.3f s: ratio %.3f (goal <= 1.05); fastest wall %.3f s / %.3f s\n",
		       w == "labs" ? "labs 02 and 03" : "every lab", off / 1000, on / 1000, on / off, woff / 1000, won / 1000
	}'
done
echo "memory_cost: $csv"
