#!/bin/sh
# test_slides.sh: the Chinese lecture and handouts, after `make slides
# handouts`: each Chinese file has its English one's sections, code,
# transcripts and charts (structure.py) and its table of checks, translated by
# the catalogue (po/handout_table.py); the Chinese deck's PDF has one frame
# per heading, no missing glyph, no frame that overflows, its Chinese set in
# the CJK font; its HTML stands alone; each Chinese handout has its PDF.
set -eu

here=harness/tests/lang
S=slides/build/mmap-ipc.zh_CN
failed=0
fail() {
	echo "test_slides.sh: FAIL: $*" >&2
	failed=1
}

pairs="slides/mmap-ipc.md slides/mmap-ipc.zh_CN.md"
for en in labs/[0-9][0-9]-*/README.md; do
	zh=${en%.md}.zh_CN.md
	[ -f "$zh" ] || { fail "$zh is missing"; continue; }
	pairs="$pairs $en $zh"
	pdf=build/handouts/$(basename "$(dirname "$en")").zh_CN.pdf
	[ -s "$pdf" ] || fail "$pdf was not built"
	! grep -q 'Missing character' "${pdf%.pdf}.log" || fail "${pdf%.pdf}.log: missing characters"
done
# shellcheck disable=SC2086
python3 $here/structure.py $pairs || fail "a Chinese file is not its English one's structure"
labs=$(for d in labs/[0-9][0-9]-*/README.md; do basename "$(dirname "$d")"; done)
# shellcheck disable=SC2086
python3 po/handout_table.py --check po/zh_CN.po $labs ||
	fail "a Chinese handout's table of checks is not the English one's, translated"

headings=$(awk '/^```/ { fence = !fence; next } !fence && ($1 == "#" || $1 == "##") { n++ } END { print n + 0 }' \
	slides/mmap-ipc.zh_CN.md)
pages=$(pdfinfo $S.pdf | awk '/^Pages:/ { print $2 }')
[ "$pages" -eq $((headings + 1)) ] || fail "$S.pdf: $pages pages for $headings headings and a title"
! grep -n 'Missing character' $S.log || fail "$S.log: missing characters"
! grep -n 'Overfull \\vbox' $S.log || fail "$S.log: a frame overflows"
pdffonts $S.pdf | grep -q gbsn || fail "$S.pdf: no CJK font"
pdftotext $S.pdf - | tr -d ' \n' | grep -q '映射区的释放与文件关闭无关' || fail "$S.pdf: the document's words are not in its text"
grep -q '共享映射' $S.html || fail "$S.html: no Chinese"
! grep -Eq '(src|href)="https?://' $S.html || fail "$S.html refers to the network"
grep -q 'src="data:image/svg+xml' $S.html || fail "$S.html: the chart is not inlined"

[ $failed -eq 0 ] || exit 1
echo "test_slides.sh: $S.pdf ($pages frames) and .html, $(ls build/handouts/*.zh_CN.pdf | wc -l) Chinese handouts"
