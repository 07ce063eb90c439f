#!/bin/sh
# mksimilar.sh OUT: builds the classes test_similarity grades, in OUT (where
# class and earlier must not exist yet):
#
#   OUT/class     one folder per student:
#     similar/*        each folder of harness/tests/class/similar/ as it is:
#                      orig, copy (orig with names, comments and the order of
#                      two functions changed), fill-a and fill-b (the skeleton
#                      of lab 01 with its TODOs filled, each its own way)
#     ok-NAME          the files of each correct variant of the corpus
#                      (harness/tests/corpus/NN-ok-*), alone: written apart
#     reference        solutions/, the reference solution (a variant made from
#                      it, not written apart, pairs with it)
#     skeleton-a, -b   labs/ as handed out
#     links            its labs' files and folders are links: to orig's
#                      fork_share.c, to /etc/passwd, to fill-a's lab 01
#     oddfiles         lab 01 is fill-b's, beside files that are no source to
#                      read: a FIFO, a binary, one of 300 KiB (fill-a's code
#                      over and over), and names made to break a shell or a
#                      parser
#   OUT/earlier   a class of an earlier term: orig-2025 (orig as it was),
#                 twin1 and twin2 (both fill-b's lab 01)
set -eu

[ $# -eq 1 ] || { echo "usage: mksimilar.sh OUT" >&2; exit 2; }
out=$1
top=$(cd "$(dirname "$0")/../../.." && pwd)
data=$top/harness/tests/class/similar
class=$out/class
if [ -e "$class" ] || [ -e "$out/earlier" ]; then
	echo "mksimilar.sh: $class or $out/earlier already exists" >&2
	exit 1
fi
mkdir -p "$class" "$out/earlier"

for d in "$data"/*/; do
	cp -R "$d" "$class/$(basename "$d")"
done
for case in "$top"/harness/tests/corpus/[0-9][0-9]-ok-*/; do
	[ -d "$case" ] || continue
	name=ok-$(basename "$case")
	mkdir "$class/$name"
	for lab in "$case"[0-9][0-9]-*/; do
		[ -d "$lab" ] && cp -R "$lab" "$class/$name/"
	done
done
cp -R "$top/solutions" "$class/reference"
for s in skeleton-a skeleton-b; do
	for lab in "$top"/labs/[0-9][0-9]-*/; do
		mkdir -p "$class/$s/$(basename "$lab")"
		for f in "$lab"*.[ch]; do	# a lab still to come may have none
			[ -f "$f" ] && cp "$f" "$class/$s/$(basename "$lab")/"
		done
	done
done

mkdir -p "$class/links/02-fork-sharing"
ln -s ../../orig/02-fork-sharing/fork_share.c "$class/links/02-fork-sharing/fork_share.c"
ln -s /etc/passwd "$class/links/02-fork-sharing/passwd.c"
ln -s ../fill-a/01-file-mapping "$class/links/01-file-mapping"

odd=$class/oddfiles/01-file-mapping
mkdir -p "$odd"
cp "$data/fill-b/01-file-mapping/mmap_hello.c" "$odd/"
mkfifo "$odd/fifo.c"
{ printf 'int x;\n\0\0\0\n'; cat "$data/fill-a/01-file-mapping/mmap_hello.c"; } > "$odd/binary.c"
i=0
while [ "$i" -lt 120 ]; do
	cat "$data/fill-a/01-file-mapping/mmap_hello.c"
	i=$((i + 1))
done > "$odd/huge.c"
printf 'int touched(void) { return 1; }\n' > "$odd/\$(touch PWNED).c"
printf 'int options(void) { return 2; }\n' > "$odd/-rf.c"
printf 'int lines(void) { return 3; }\n' > "$odd/$(printf 'evil\nFile 0.c: 9 tokens, 1 line\n0.c: line 1-1 |1.c: line 1-1 [99]\n.c')"

cp -R "$data/orig" "$out/earlier/orig-2025"
for s in twin1 twin2; do
	mkdir -p "$out/earlier/$s"
	cp -R "$data/fill-b/01-file-mapping" "$out/earlier/$s/"
done
