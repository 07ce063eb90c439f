#!/bin/sh
# mkclass.sh [-n SIZE] [-c MAX] [-f] OUT: builds a class folder for
# `bin/grade --class OUT`, one submission folder per student, from the project:
#
#   corpus-NAME   solutions/ with the files of a case of harness/tests/corpus/
#                 laid over it, and the files its `expect` says `remove`d (the
#                 corpus's README.md); at most MAX cases (-c), by default all
#   -f: the submissions that must not cost anybody else their result:
#     skeleton       labs/ as handed out
#     compile-error  02's fork_share.c does not compile
#     crash          01's mmap_hello dies of SIGSEGV when run without arguments
#     hang           03's anon_share never ends when run without arguments
#     no-lab-04      the folder of lab 04 is missing
#     symlink        02's fork_share.c is a link to a file outside
#     warnings       every lab compiles, with a warning
#     clone          a clone of the whole project: the labs are in labs/
#   sol-NNN       copies of solutions/, as many as it takes to make SIZE
#                 students (-n), and at least one
#
# OUT must not exist.  Prints the number of students.
set -eu

usage() {
	echo "usage: mkclass.sh [-n SIZE] [-c MAX] [-f] OUT" >&2
	exit 2
}

size=0 maxcorpus=-1 faults=0
while getopts n:c:f opt; do
	case $opt in
	n) size=$OPTARG ;;
	c) maxcorpus=$OPTARG ;;
	f) faults=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
out=$1
top=$(cd "$(dirname "$0")/../../.." && pwd)
sol=$top/solutions
if [ -e "$out" ]; then
	echo "mkclass.sh: $out already exists" >&2
	exit 1
fi
mkdir -p "$out"
count=0

# A copy of the solutions, as student $1.
student() {
	cp -R "$sol" "$out/$1"
	count=$((count + 1))
}

# Makes $1's main() run the C statement $2 first (argc and argv in scope).
before_main() {
	{
		echo '#define main student_main'
		cat "$1"
		printf '#undef main\n#include <signal.h>\n#include <unistd.h>\n'
		printf 'int student_main(int, char *[]);\n'
		printf 'int main(int argc, char *argv[])\n{\n\t%s\n\treturn student_main(argc, argv);\n}\n' "$2"
	} > "$1.new"
	mv "$1.new" "$1"
}

if [ "$faults" = 1 ]; then
	mkdir "$out/skeleton"
	for d in "$top"/labs/[0-9][0-9]-*/; do
		mkdir "$out/skeleton/$(basename "$d")"
		for f in "$d"*.[ch]; do	# a lab still to come may have none
			[ -f "$f" ] && cp "$f" "$out/skeleton/$(basename "$d")/"
		done
	done
	count=$((count + 1))

	student compile-error
	echo 'int broken(void) { return }' >> "$out/compile-error/02-fork-sharing/fork_share.c"

	student crash
	before_main "$out/crash/01-file-mapping/mmap_hello.c" 'if (argc == 1) *(volatile int *)0 = 1;'

	student hang
	before_main "$out/hang/03-anonymous-mapping/anon_share.c" 'if (argc == 1) for (;;) pause();'

	student no-lab-04
	rm -r "$out/no-lab-04/04-writer-reader"

	student symlink
	rm "$out/symlink/02-fork-sharing/fork_share.c"
	ln -s "$sol/02-fork-sharing/fork_share.c" "$out/symlink/02-fork-sharing/fork_share.c"

	student warnings
	for f in "$out"/warnings/*/*.c; do
		echo 'static int unused_helper(void) { int x; return 0; }' >> "$f"
	done

	mkdir "$out/clone"
	cp -R "$sol" "$out/clone/labs"
	printf 'all:\n\t@echo not used by the grader\n' > "$out/clone/Makefile"
	count=$((count + 1))
fi

corpus=$top/harness/tests/corpus
used=0
for case in "$corpus"/*/; do
	[ -d "$case" ] || continue
	[ "$maxcorpus" -lt 0 ] || [ "$used" -lt "$maxcorpus" ] || break
	name=corpus-$(basename "$case")
	student "$name"
	used=$((used + 1))
	for d in "$case"[0-9][0-9]-*/; do
		[ -d "$d" ] && cp -R "$d." "$out/$name/$(basename "$d")/"
	done
	if [ -f "${case}expect" ]; then
		sed -n 's/^remove \([0-9][0-9]-[a-z-]*\/[A-Za-z0-9_.-]*\)$/\1/p' "${case}expect" |
		while read -r f; do
			rm -f "$out/$name/$f"
		done
	fi
done

i=0
while [ "$i" -eq 0 ] || [ "$count" -lt "$size" ]; do
	i=$((i + 1))
	student "$(printf 'sol-%03d' "$i")"
done
echo "$count"
