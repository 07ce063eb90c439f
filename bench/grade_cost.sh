#!/bin/sh
# grade_cost.sh: what the audit library and the namespace layer cost a grading.
#
# Usage: bench/grade_cost.sh [CSV]    (RUNS=5; USER_UID=3130013: the
#        ordinary uid run as, when run by root)
#
# Grades solutions/ (every lab, compiling included, --seed 1) five ways:
#   posix-noaudit  --sandbox posix --no-audit  (the same runs, no library)
#   posix          --sandbox posix             (the audit library preloaded)
#   bwrap          --sandbox bwrap             (where bwrap works)
#   user-posix     --sandbox posix, as an ordinary uid (no namespace layer)
#   user-userns    --sandbox userns, as that uid (its default where the
#                  kernel allows user namespaces)
# and prints the fastest and the median wall time of each over RUNS rounds,
# the three run one after the other in each round so that load from elsewhere
# falls on all.  The ratios are of the fastest times (the least disturbed by
# the machine's other load; the medians are in the CSV): "audit" is posix /
# posix-noaudit (goal: at most 1.15); "bwrap" is bwrap / posix; "userns"
# is user-userns / user-posix, what the namespace layer costs an ordinary
# user (goal: at most 1.15).  --no-audit keeps every run (fault and delay
# runs too), so the ratio is the library's cost alone.  The ordinary uid's
# gradings run under prlimit --nproc=256, in a TMPDIR of its own.
set -eu
cd "$(dirname "$0")/.."
csv=${1:-build/bench/grade_cost.csv}
runs=${RUNS:-5}
[ -x bin/grade ] || { echo "grade_cost: no bin/grade: run make" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/grade_cost.XXXXXX")
trap 'rm -rf "$work"' EXIT

. bench/user_run.sh

# One timed grading: milliseconds.  (The user's: as_user + prlimit.)
timed() {
	start=$(date +%s%N)
	$run bin/grade --seed 1 "$@" solutions >/dev/null || [ $? -eq 1 ]
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

bwrap_works=yes
bin/grade --sandbox bwrap --lab 01 --seed 1 solutions >/dev/null 2>&1 || bwrap_works=no
userns_works=yes
$user_run bin/grade --sandbox userns --lab 01 --seed 1 solutions >/dev/null 2>&1 || userns_works=no
i=0
while [ $i -lt "$runs" ]; do
	run= timed --sandbox posix --no-audit >> "$work/posix-noaudit"
	run= timed --sandbox posix >> "$work/posix"
	[ $bwrap_works = no ] || run= timed --sandbox bwrap >> "$work/bwrap"
	run=$user_run timed --sandbox posix >> "$work/user-posix"
	[ $userns_works = no ] || run=$user_run timed --sandbox userns >> "$work/user-userns"
	i=$((i + 1))
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : 0) }'; }
fastest() { sort -n "$1" | head -n 1; }
noaudit=$(fastest "$work/posix-noaudit")
posix=$(fastest "$work/posix")
bwrap=$( [ $bwrap_works = yes ] && fastest "$work/bwrap" || echo 0)
uposix=$(fastest "$work/user-posix")
uns=$( [ $userns_works = yes ] && fastest "$work/user-userns" || echo 0)
mkdir -p "$(dirname "$csv")"
{
	echo "# grading solutions/, $runs rounds, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
	echo "way,fastest_ms,median_ms"
	echo "posix-noaudit,$noaudit,$(median "$work/posix-noaudit")"
	echo "posix,$posix,$(median "$work/posix")"
	[ $bwrap_works = no ] || echo "bwrap,$bwrap,$(median "$work/bwrap")"
	echo "user-posix,$uposix,$(median "$work/user-posix")"
	[ $userns_works = no ] || echo "user-userns,$uns,$(median "$work/user-userns")"
} > "$csv"
awk -v n="$noaudit" -v p="$posix" -v b="$bwrap" -v up="$uposix" -v u="$uns" 'BEGIN {
	printf "grade_cost: without audit %.2f s, with audit %.2f s: audit ratio %.2f (goal <= 1.15)\n",
	       n / 1000, p / 1000, p / n
	if (b > 0)
		printf "grade_cost: under bwrap %.2f s: bwrap ratio %.2f\n", b / 1000, b / p
	else
		print "grade_cost: bwrap does not work here: not measured"
	if (u > 0)
		printf "grade_cost: an ordinary uid, posix %.2f s, namespace layer %.2f s: userns ratio %.2f (goal <= 1.15)\n",
		       up / 1000, u / 1000, u / up
	else
		print "grade_cost: user namespaces do not work here: the namespace layer not measured"
}'
echo "bench: $csv"
