#!/bin/sh
# audit_cost.sh: what the audit library costs a lab program's run, and so
# the grading of it.
#
# Usage: audit_cost.sh LIB RUNCOST SOLUTIONS_BIN SOLUTIONS_SRC [N]
#
# Runs every reference solution N times bare and N times with LIB preloaded
# (logging to a scratch file, as the grader does), in alternating rounds so
# that a busy machine slows both alike.  Time is CPU time (user + system,
# measured by RUNCOST, build/tests/audit/runcost): on a shared machine it is
# far steadier than the wall clock.  Each program is also compiled once with
# the grader's flags, since grading a program is one compile and a few runs.
#
# Prints CSV: program, runs, bare and audited ms per run, their ratio, ms to
# compile; then "# " lines: the ratio over all programs, and how many audited
# runs per compile it takes before grading is 15% slower.  Every program must
# exit 0 both ways, and write audit records when preloaded.
set -eu

lib=$(realpath "$1")
runcost=$(realpath "$2")
bin=$(realpath "$3")
src=$(realpath "$4")
n=${5:-200}
rounds=4
per=$(( (n + rounds - 1) / rounds ))
work=$(mktemp -d "${TMPDIR:-/tmp}/audit_cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
log=$work/audit.log

echo "program,runs,bare_ms,audited_ms,ratio,compile_ms"
all_bare=0 all_audited=0 all_compile=0 programs=0
# mmap_w before mmap_r: the reader reads what the writer left.
for spec in "01-file-mapping/mmap_hello" "02-fork-sharing/fork_share" \
	    "02-fork-sharing/fork_share -p" "03-anonymous-mapping/anon_share" \
	    "03-anonymous-mapping/zero_share" "04-writer-reader/mmap_w stu" \
	    "04-writer-reader/mmap_r stu"; do
	set -- $spec
	prog=$1
	shift
	: > "$log"
	"$runcost" -p "$lib" -l "$log" 1 "$bin/$prog" "$@" > /dev/null
	grep -q ' start ' "$log" || { echo "audit_cost: no record from $prog" >&2; exit 1; }
	compile=$("$runcost" 1 /usr/bin/gcc -std=gnu11 -Wall -Wextra -g \
		  -o "$work/compiled" "$src/$prog.c")
	bare=0 audited=0 r=0
	while [ "$r" -lt "$rounds" ]; do
		: > "$log"
		bare=$((bare + $("$runcost" "$per" "$bin/$prog" "$@")))
		audited=$((audited + $("$runcost" -p "$lib" -l "$log" "$per" "$bin/$prog" "$@")))
		r=$((r + 1))
	done
	count=$((per * rounds))
	all_bare=$((all_bare + bare / count))
	all_audited=$((all_audited + audited / count))
	all_compile=$((all_compile + compile))
	programs=$((programs + 1))
	awk -v p="$spec" -v n="$count" -v b="$bare" -v a="$audited" -v c="$compile" 'BEGIN {
		printf "%s,%d,%.3f,%.3f,%.3f,%.1f\n", p, n, b / n / 1e6, a / n / 1e6, a / b, c / 1e6 }'
done
awk -v b="$all_bare" -v a="$all_audited" -v c="$all_compile" -v k="$programs" 'BEGIN {
	printf "# audit cost: runs %.3fx (%.3f ms more CPU per run, %.3f ms bare)\n",
		a / b, (a - b) / k / 1e6, b / k / 1e6
	# compile + R runs stays within 1.15x while R (a - 1.15 b) <= 0.15 c
	if (a > 1.15 * b)
		printf "# grading: 1.15x only past %.0f audited runs per compile (%.1f ms)\n",
			0.15 * c / (a - 1.15 * b), c / k / 1e6
	else
		printf "# grading: under 1.15x however many runs per compile\n" }'
