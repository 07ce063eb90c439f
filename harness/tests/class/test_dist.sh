#!/bin/sh
# test_dist.sh HANDOUT ZIP: the two packages, used as their users use them.
#
# The handout (make handout) is unpacked in a fresh folder: it must hold no
# file of solutions/ with a solution in it (not even a copy under another
# name), and `make` must build it there and `make grade` grade its skeletons.  The Gradescope zip (make
# gradescope) is unpacked as Gradescope does, into a fake /autograder; its
# setup.sh builds the grader (apt-get skipped) and run_autograder grades a
# student who uploaded loose files (the solutions: full marks) and one who
# submitted a repository (the handout: less), each results.json read against
# Gradescope's format by validate_gradescope.py.
set -eu

[ $# -eq 2 ] || { echo "usage: test_dist.sh HANDOUT ZIP" >&2; exit 2; }
top=$(pwd)
here=$top/harness/tests/class
handout=$(realpath "$1")
zip=$(realpath "$2")
# Under build/, not /tmp: the sandbox hides /tmp from the programs it runs,
# and runs them behind the grader's own binary.
mkdir -p build/tests/class
work=$(mktemp -d "$top/build/tests/class/dist.XXXXXX")
chmod 755 "$work"	# the sandbox's uid must reach the grader, as anywhere else
trap 'rm -rf "$work"' EXIT

fail() {
	echo "test_dist.sh: FAIL: $*" >&2
	trap - EXIT
	echo "test_dist.sh: kept $work" >&2
	exit 1
}

# --- the handout ---------------------------------------------------------------
tar -xzf "$handout" -C "$work"
h=$work/mmaplab
[ -f "$h/Makefile" ] || fail "the handout has no Makefile"
[ -d "$h/harness" ] || fail "the handout has no harness/"
[ ! -e "$h/solutions" ] || fail "the handout holds solutions/"
[ ! -e "$h/harness/tests" ] || fail "the handout holds the grader's tests (and corpus)"
for lab in "$top"/solutions/[0-9][0-9]-*/; do
	[ -d "$h/labs/$(basename "$lab")" ] || fail "the handout lacks labs/$(basename "$lab")"
done
# Files with a solution in them (stu.h, say, is handed out as it is).
(cd "$top/solutions" && grep -rl 'BEGIN SOLUTION' . | xargs md5sum | cut -d' ' -f1 | sort -u) > "$work/sol.md5"
[ -s "$work/sol.md5" ] || fail "no BEGIN SOLUTION marker in solutions/"
(cd "$h" && find . -type f -exec md5sum {} + | cut -d' ' -f1 | sort -u) > "$work/handout.md5"
[ -z "$(comm -12 "$work/sol.md5" "$work/handout.md5")" ] || fail "a file of solutions/ is in the handout"
echo "test_dist.sh: $(wc -l < "$work/handout.md5") files in the handout, none of solutions/"

# As the README has students do: make, then make grade.
make -C "$h" -j2 > "$work/make.log" 2>&1 || { cat "$work/make.log"; fail "make in the handout"; }
make -C "$h" grade > "$work/grade.log" 2>&1 || { cat "$work/grade.log"; fail "make grade in the handout"; }
score=$(sed -n 's/^Score: \([0-9]*\/[0-9]*\)$/\1/p' "$work/grade.log")
[ -n "$score" ] || { cat "$work/grade.log"; fail "make grade printed no score"; }
[ "${score%/*}" -lt "${score#*/}" ] || fail "the handout's skeletons score $score"
# In a folder of its own: the grader hides a submission's classmates (the
# folders beside it) from the programs, and the handout is beside solutions/.
mkdir "$work/subs"
cp -R "$top/solutions" "$work/subs/solutions"
full=$("$h/bin/grade" "$work/subs/solutions" | sed -n 's/^Score: //p')
[ "${full%/*}" = "${full#*/}" ] || fail "the handout's grader gives the solutions $full"
[ -x "$h/labs/01-file-mapping/mmap_hello" ] || fail "make did not build the labs in place"
echo "test_dist.sh: make grade in the unpacked handout: Score: $score (the solutions: $full)"

# --- the Gradescope zip ----------------------------------------------------------
g=$work/autograder
mkdir -p "$g/source" "$g/submission"
(cd "$g/source" && unzip -q "$zip")
[ -f "$g/source/setup.sh" ] || fail "no setup.sh at the zip's root"
[ -x "$g/source/run_autograder" ] || fail "no executable run_autograder at the zip's root"
[ ! -e "$g/source/mmaplab/solutions" ] || fail "the zip holds solutions/"
cp "$g/source/run_autograder" "$g/run_autograder"	# as Gradescope does
MMAPLAB_NO_APT=1 bash "$g/source/setup.sh" > "$work/setup.log" 2>&1 ||
	{ cat "$work/setup.log"; fail "setup.sh"; }

# $1: what the student sent; $2: "full" or "partial", the score expected.
submit() {
	rm -rf "$g/results"
	AUTOGRADER_ROOT=$g "$g/run_autograder" > "$work/run.log" 2>&1 ||
		{ cat "$work/run.log"; fail "run_autograder on $1"; }
	v=$(/usr/bin/python3 "$here/validate_gradescope.py" "$here/gradescope-results.schema.json" \
		"$g/results/results.json") || { echo "$v"; fail "results.json of $1"; }
	got=$(echo "$v" | sed -n 's/.* score=\([0-9]*\) max=[0-9]*$/\1/p')
	max=$(echo "$v" | sed -n 's/.* max=\([0-9]*\)$/\1/p')
	if [ "$2" = full ]; then [ "$got" -eq "$max" ]; else [ "$got" -lt "$max" ]; fi ||
		fail "$1 scored $got/$max on Gradescope"
	echo "test_dist.sh: Gradescope, $1: $got/$max, results.json valid"
}

cp "$top"/solutions/*/*.c "$top"/solutions/*/*.h "$g/submission/"
submit "loose files of the solutions" full
rm -rf "$g/submission" && mkdir "$g/submission"
cp -R "$h" "$g/submission/repository"
submit "a repository with the skeletons" partial
