#!/bin/bash
# grade_speed.sh: how much the grader costs on top of the work it cannot avoid.
#
# Usage: bench/grade_speed.sh [CSV]    (RUNS=5; GRADE_ARGS="--sandbox posix"
#        adds options to every bin/grade, to see what a part of it costs;
#        USER_UID=3130013, the ordinary uid of the second figure, as root)
#
# "grade" is the wall time of `bin/grade --seed 1 solutions`: every lab,
# compiling included.  "floor" is the wall time of a plain sh script doing the
# same compiles and the same program runs, and nothing else.  The ratio
# grade/floor is the grader's overhead (goal: at most 1.5).  Each figure is
# the median of RUNS runs; grade and floor runs alternate, so that load from
# elsewhere falls on both.
#
# The floor is not guessed from the lab sources: bin/grade runs once under
# strace, and every execve it makes is replayed.
#  - the same compiles: each gcc the grader starts, with its flags
#    (-std=gnu11 -Wall -Wextra -g), compiled straight from solutions/ (the
#    grader copies the sources first; the floor does not);
#  - the same runs: each lab program the grader starts, with the same
#    arguments, in the same order, stdin /dev/null, stdout and stderr to
#    files (the grader reads pipes);
#  - the same working directories: a fresh one for each run, the same one
#    where the grader runs two programs in one (mmap_w then mmap_r), all made
#    by one mkdir and removed by one rm -rf;
#  - the input files the grader puts in a run directory before a run (seen as
#    a rename into it) are written by a shell builtin, as 28-byte struct STU
#    files (the only kind the labs have so far; a lab that needs another kind
#    will show up as a floor run that fails early, which lowers the floor and
#    so can only make the ratio look worse, never better).
# Left out of the floor, because it is what the grader adds: copying sources,
# rlimits, sessions and process groups, polling pipes, sweeping leftover
# processes, the sandbox (bwrap and a uid of its own, when run as root), the
# audit library (preloaded; its fault-injection and delay runs are replayed
# as plain runs), judging the runs, and writing the report.  The floor script
# is run by sh (dash), which forks once per command, as the grader does.
set -eu
cd "$(dirname "$0")/.."
csv=${1:-build/bench/grade_speed.csv}
runs=${RUNS:-5}
read -r -a extra <<< "${GRADE_ARGS:-}"
command -v strace >/dev/null || { echo "grade_speed: strace is needed (apt-get install strace)" >&2; exit 1; }
[ -x bin/grade ] || { echo "grade_speed: no bin/grade: run make bin/grade" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/grade_speed.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

# 1. What the grader executes, with the directories and files around it.
strace -f -qq -s 1000 -e trace=execve,chdir,rename,renameat,renameat2 -e signal=none \
	-o "$work/trace" bin/grade "${extra[@]}" --seed 1 solutions >/dev/null || [ $? -eq 1 ]

# 2. The trace as a sh script: "$1" is the floor's scratch folder.
# The struct STU {10, "xiaoming", 'm'} as printf(1) octal escapes.
STU='\012\000\000\000xiaoming\000\000\000\000\000\000\000\000\000\000\000\000m\000\000\000' \
awk -v sol="$PWD/solutions" '
function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
function dir_of(path) {	# the replay folder standing for a grader folder
	if (!(path in dirs)) { dirs[path] = "r" ++ndirs; mk = mk " \"$T\"/r" ndirs }
	return dirs[path]
}
/resumed>/ { next }
# Programs run one at a time, so the folder of a run is the last grader
# folder that any process changed into (the program, or bwrap for it).
$2 ~ /^chdir\(/ && / = 0$/ { n = split($0, a, "\""); if (a[2] ~ /mmaplab-grade\./) cwd = a[2]; next }
$2 ~ /^rename/ {
	n = split($0, a, "\"")
	dest = a[4]; d = dest; sub(/\/[^\/]*$/, "", d); f = dest; sub(/.*\//, "", f)
	if (d ~ /\/run\.[^\/]*$/)
		body = body sprintf("printf %s > \"$T\"/%s/%s\n", q(ENVIRON["STU"]), dir_of(d), q(f))
	next
}
$2 ~ /^execve\(/ {
	line = $0
	sub(/^[0-9]+ +execve\(/, "", line)
	sub(/\], 0x.*$/, "", line)	# the path and argv, without the environment
	n = split("", args)
	while (match(line, /"([^"\\]|\\.)*"/)) {
		args[++n] = substr(line, RSTART + 1, RLENGTH - 2)
		line = substr(line, RSTART + RLENGTH)
	}
	path = args[1]
	if (path ~ /\/gcc$/ && args[3] == "-std=gnu11") {
		cmd = "gcc"
		for (i = 3; i <= n; i++) {
			arg = args[i]
			if (args[i - 1] == "-o") {
				sub(/.*\/bin\//, "", arg); bins[arg] = 1
				lab = arg; sub(/\/.*/, "", lab); arg = "\"$T\"/bin/" arg
			} else if (arg ~ /\.c$/) arg = q(sol "/" lab "/" arg)
			else arg = q(arg)
			cmd = cmd " " arg
		}
		body = body cmd " 2>>\"$T\"/gcc.err\n"
		compiles++
	} else if (path ~ /\/bin\/[0-9][0-9]-[^\/]*\/[^\/]*$/ && path ~ /mmaplab-grade/) {
		prog = path; sub(/.*\/bin\//, "", prog)
		cmd = "\"$T\"/bin/" prog
		for (i = 3; i <= n; i++) cmd = cmd " " q(args[i])
		body = body sprintf("cd \"$T\"/%s && %s </dev/null >>out 2>>err\n", dir_of(cwd), cmd)
		programs++
	}
}
END {
	for (b in bins) { d = b; sub(/\/[^\/]*$/, "", d); if (!(d in seen)) { seen[d] = 1; mk = mk " \"$T\"/bin/" d } }
	print "#!/bin/sh"
	printf "# %d compiles and %d program runs of bin/grade --seed 1 solutions\n", compiles, programs
	print "T=$1"
	print "mkdir -p" mk
	printf "%s", body
	print "cd / && rm -rf \"$T\""
	printf "%d %d\n", compiles, programs > "/dev/stderr"
}' "$work/trace" > "$work/floor.sh" 2> "$work/counts"
read -r compiles programs < "$work/counts"
if [ "$compiles" -eq 0 ] || [ "$programs" -eq 0 ]; then
	echo "grade_speed: nothing traced: is bin/grade working?" >&2
	exit 1
fi

# 3. The floor of `bin/grade --format json solutions` (the figure issue 13
# sets its goal on, at most 1.3): the same compiles two at a time (the grader
# builds side by side on 2 cores), then the same runs, each a plain
# fork+exec+wait by sh.  It is timed as root and as an ordinary uid
# (USER_UID, 3130013, under prlimit --nproc=256), each grading beside its
# own floor.
grep '^gcc ' "$work/floor.sh" > "$work/compiles"
{
	echo '#!/bin/sh'
	echo 'T=$1; export T'
	grep '^mkdir -p' "$work/floor.sh"
	printf '%s\n' "xargs -d '\\n' -P 2 -n 1 sh -c 'eval \"\$1\"' _ < $work/compiles"
	grep -v '^gcc \|^mkdir -p\|^#\|^T=' "$work/floor.sh"
} > "$work/floor2.sh"
. bench/user_run.sh

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$work/grade.times"
: > "$work/floor.times"
for i in $(seq "$runs"); do
	t0=$(now)
	bin/grade "${extra[@]}" --seed 1 solutions >/dev/null || [ $? -eq 1 ]
	t1=$(now)
	sh "$work/floor.sh" "$work/floor.$i"
	t2=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >> "$work/grade.times"
	awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }' >> "$work/floor.times"
done
# The json gradings beside their floors, as root (or the caller) and as the
# ordinary uid, in the same rounds.
for f in json json.floor user.json user.floor; do : > "$work/$f.times"; done
for i in $(seq "$runs"); do
	t0=$(now)
	bin/grade "${extra[@]}" --format json --seed 1 solutions >/dev/null || [ $? -eq 1 ]
	t1=$(now)
	sh "$work/floor2.sh" "$work/floor2.$i"
	t2=$(now)
	$user_run bin/grade "${extra[@]}" --format json --seed 1 solutions >/dev/null || [ $? -eq 1 ]
	t3=$(now)
	$user_run sh "$work/floor2.sh" "$work/user/floor2.$i"
	t4=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >> "$work/json.times"
	awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }' >> "$work/json.floor.times"
	awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }' >> "$work/user.json.times"
	awk -v a="$t3" -v b="$t4" 'BEGIN { print b - a }' >> "$work/user.floor.times"
done
for f in json json.floor user.json user.floor; do
	eval "m_${f%%.*}_${f#*.}=\$(median < \"\$work/\$f.times\")"
done

grade=$(median < "$work/grade.times")
floor=$(median < "$work/floor.times")
ratio=$(awk -v g="$grade" -v f="$floor" 'BEGIN { print g / f }')

printf 'grade: %.3f s\nfloor: %.3f s\nratio: %.2f\n' "$grade" "$floor" "$ratio"
printf '(%d runs each, median; %d compiles and %d program runs, as traced)\n' "$runs" "$compiles" "$programs"
# m_json_json is the json grading's, m_json_floor its floor's; m_user_* the uid's.
awk -v g="$m_json_json" -v f="$m_json_floor" -v ug="$m_user_json" -v uf="$m_user_floor" 'BEGIN {
	printf "grade --format json: %.3f s, floor (compiles 2 at a time, plain runs) %.3f s: ratio %.2f (goal <= 1.3)\n", g, f, g / f
	printf "the same as an ordinary uid: %.3f s, floor %.3f s: ratio %.2f (goal <= 1.3)\n", ug, uf, ug / uf
}'
mkdir -p "$(dirname "$csv")"
{
	echo "# bin/grade ${GRADE_ARGS:-}${GRADE_ARGS:+ }--seed 1 solutions against the same compiles and runs by sh; $(nproc) CPUs, $(uname -sr)"
	echo "run,grade_s,floor_s"
	paste -d, "$work/grade.times" "$work/floor.times" | awk -F, '{ printf "%d,%.4f,%.4f\n", NR, $1, $2 }'
	printf 'median,%.4f,%.4f\n' "$grade" "$floor"
	echo "# bin/grade --format json --seed 1 solutions beside the same compiles two at a time and plain runs, as $(id -un) and as an ordinary uid"
	echo "run,json_s,json_floor_s,user_json_s,user_floor_s"
	paste -d, "$work/json.times" "$work/json.floor.times" "$work/user.json.times" "$work/user.floor.times" |
		awk -F, '{ printf "%d,%.4f,%.4f,%.4f,%.4f\n", NR, $1, $2, $3, $4 }'
	printf 'median,%.4f,%.4f,%.4f,%.4f\n' "$m_json_json" "$m_json_floor" "$m_user_json" "$m_user_floor"
} > "$csv"
