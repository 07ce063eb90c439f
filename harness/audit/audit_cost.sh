#!/bin/sh
# audit_cost.sh: what the audit library costs a lab program's run.
#
# Usage: audit_cost.sh LIB SOLUTIONS_DIR [N]
#
# Runs every reference solution N times bare and N times with LIB preloaded
# (logging to a scratch file, as the grader would), in alternating rounds so
# that a busy machine slows both alike.  Prints CSV (program, runs, bare and
# audited milliseconds per run, ratio) and ends with a "# " line giving the
# ratio of the totals.  Each program must exit 0 both ways.
set -eu

lib=$(realpath "$1")
sol=$(realpath "$2")
n=${3:-200}
rounds=4
per=$(( (n + rounds - 1) / rounds ))
work=$(mktemp -d "${TMPDIR:-/tmp}/audit_cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

now() { date +%s%N; }

# run_n COUNT AUDITED PROGRAM ARGS...: COUNT runs; nanoseconds on stdout.
run_n() {
	count=$1 audited=$2
	shift 2
	: > audit.log
	t0=$(now)
	i=0
	while [ "$i" -lt "$count" ]; do
		if [ "$audited" = 1 ]; then
			LD_PRELOAD=$lib MMAPAUDIT_LOG=$work/audit.log "$@" > /dev/null
		else
			"$@" > /dev/null
		fi
		i=$((i + 1))
	done
	echo $(( $(now) - t0 ))
}

echo "program,runs,bare_ms,audited_ms,ratio"
total_bare=0 total_audited=0
# mmap_w before mmap_r: the reader reads what the writer left.
for spec in "01-file-mapping/mmap_hello" "02-fork-sharing/fork_share" \
	    "02-fork-sharing/fork_share -p" "03-anonymous-mapping/anon_share" \
	    "03-anonymous-mapping/zero_share" "04-writer-reader/mmap_w stu" \
	    "04-writer-reader/mmap_r stu"; do
	set -- $spec
	prog=$sol/$1
	shift
	run_n 1 1 "$prog" "$@" > /dev/null	# warm up; fails loudly (set -e)
	grep -q ' start ' audit.log || { echo "audit_cost: no record from $prog" >&2; exit 1; }
	bare=0 audited=0 r=0
	while [ "$r" -lt "$rounds" ]; do
		bare=$((bare + $(run_n "$per" 0 "$prog" "$@")))
		audited=$((audited + $(run_n "$per" 1 "$prog" "$@")))
		r=$((r + 1))
	done
	runs=$((per * rounds))
	total_bare=$((total_bare + bare))
	total_audited=$((total_audited + audited))
	awk -v p="$spec" -v n="$runs" -v b="$bare" -v a="$audited" 'BEGIN {
		printf "%s,%d,%.3f,%.3f,%.3f\n", p, n, b / n / 1e6, a / n / 1e6, a / b }'
done
awk -v b="$total_bare" -v a="$total_audited" 'BEGIN {
	printf "# audit cost: ratio %.3f (all runs audited / bare; %.1f s against %.1f s)\n",
		a / b, a / 1e9, b / 1e9 }'
