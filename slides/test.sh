#!/bin/sh
# test.sh: check what `make slides` and `make handouts` built (run by
# `make check-slides`, from the top of the project, after both).
#
# The PDF built without a LaTeX error, a missing glyph or a frame that
# overflows, with one frame per heading; every include of the slides resolves
# to a real file and region (and a wrong one stops the build); the output on
# the slides is what the programs print now; the HTML refers to nothing
# outside itself, and Chromium, headless and offline, runs reveal.js in it
# and draws a title slide that is not blank; each lab README has its PDF.
# Prints one line per check and "N passed, M failed"; exits 1 on a failure.
set -u

S=slides/build/mmap-ipc
MD=slides/mmap-ipc.md
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slides-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
no() { fail=$((fail + 1)); printf 'FAIL %s\n' "$1"; }
# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
	name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then ok "$name"; else no "$name"; sed 's/^/     /' "$tmp/out" | head -n 20; fi
}

# --- the PDF --------------------------------------------------------------------
pdf_built() {
	[ -s $S.pdf ] && [ -s $S.log ] && pdfinfo $S.pdf >/dev/null || { echo "no $S.pdf or $S.log"; return 1; }
	[ $S.pdf -nt $S.tex ] || { echo "$S.pdf is older than $S.tex"; return 1; }
	! grep -n '^!\|^[^ ]*:[0-9]*: ' $S.log
}
check "PDF: built by pdflatex without a LaTeX error" pdf_built
check "PDF: no missing character in the log" sh -c "! grep -n 'Missing character' $S.log"
check "PDF: no frame overflows (Overfull \\vbox)" sh -c "! grep -n 'Overfull \\\\vbox' $S.log"

# Frames: the title, one per section (# ...) and one per slide (## ...).
headings() { awk -v level="$1" '/^```/ { fence = !fence; next } !fence && $1 == level { n++ } END { print n + 0 }' $MD; }
sections=$(headings '#')
slides=$(headings '##')
want=$((1 + sections + slides))
frames() {
	pages=$(pdfinfo $S.pdf | awk '/^Pages:/ { print $2 }')
	navframes=$(grep -c 'beamer@framepages' $S.nav)
	echo "expected $want frames ($sections sections, $slides slides, a title); .nav has $navframes, the PDF $pages pages"
	[ "$navframes" -eq "$want" ] && [ "$pages" -eq "$want" ]
}
check "PDF: $want frames, one per heading of $MD" frames
notes_pdf() {
	n=$(grep -c '^::: notes' $MD)
	pages=$(pdfinfo $S-notes.pdf | awk '/^Pages:/ { print $2 }')
	echo "$want frames and $n notes; $S-notes.pdf has $pages pages"
	[ "$pages" -eq $((want + n)) ] && ! grep -n 'Missing character' $S-notes.log
}
check "PDF with notes: each frame, then its notes page when it has one" notes_pdf

cjk() {
	# pdftotext puts spaces and line breaks between CJK glyphs at will.
	pdftotext $S.pdf - | tr -d ' \n' | grep -q '存储映射' || { echo "存储映射 is not in the PDF's text"; return 1; }
	pdffonts $S.pdf | grep -q gbsn || { echo "no CJK font (gbsn) in the PDF"; return 1; }
	grep -q '存储映射' $S.html || { echo "存储映射 is not in the HTML"; return 1; }
}
check "PDF and HTML: the document's Chinese terms are typeset" cjk

vector_chart() {
	[ -s slides/build/read_vs_mmap.pdf ] || { echo "no chart PDF"; return 1; }
	n=$(pdfimages -list slides/build/read_vs_mmap.pdf | tail -n +3 | wc -l)
	[ "$n" -eq 0 ] || { echo "the chart holds $n raster images"; return 1; }
	grep -q 'read_vs_mmap.pdf' $S.tex || { echo "the slides do not include the chart"; return 1; }
	grep -q '^# machine: ' build/bench/read_vs_mmap.csv || { echo "the CSV does not name the machine"; return 1; }
	grep -q 'src="data:image/svg+xml' $S.html || { echo "no inline SVG image in the HTML"; return 1; }
}
check "chart: vector PDF in the slides, SVG in the HTML, machine noted" vector_chart

# --- includes --------------------------------------------------------------------
# Each include block of the slides, alone, through the filter: its file must
# exist, the region resolve, and the first line shown be a line of the file.
includes() {
	grep '^```{.*include="' $MD >"$tmp/includes"
	[ -s "$tmp/includes" ] || { echo "no include in $MD"; return 1; }
	bad=0
	while IFS= read -r fence; do
		file=$(printf '%s\n' "$fence" | sed 's/.*include="\([^"]*\)".*/\1/')
		[ -f "$file" ] || { echo "$fence: no file $file"; bad=1; continue; }
		printf '%s\n```\n' "$fence" >"$tmp/one.md"
		if ! pandoc --lua-filter=slides/mmaplab.lua -t plain "$tmp/one.md" -o "$tmp/one.txt" 2>"$tmp/err"; then
			echo "$fence:"; cat "$tmp/err"; bad=1; continue
		fi
		first=$(grep -m1 '[^ ]' "$tmp/one.txt" | sed 's/^ *//')
		grep -qF -- "$first" "$file" || { echo "$fence: shows \"$first\", not in $file"; bad=1; }
	done <"$tmp/includes"
	echo "$(wc -l <"$tmp/includes") includes"
	[ "$bad" -eq 0 ]
}
check "includes: every include of the slides resolves to a file and region" includes

# The filter must refuse what does not resolve, or the check above proves nothing.
refuses() {
	printf '%s\n' "$@" >"$tmp/bad.md"
	if pandoc --lua-filter=slides/mmaplab.lua -t plain "$tmp/bad.md" >/dev/null 2>"$tmp/err"; then
		echo "accepted:"; cat "$tmp/bad.md"; return 1
	fi
	grep -q 'mmaplab.lua' "$tmp/err" || { echo "failed without the filter's message:"; cat "$tmp/err"; return 1; }
}
check "includes: a missing file stops the build" \
	refuses '```{include="solutions/99-none/none.c"}' '```'
check "includes: a file without the region stops the build" \
	refuses '```{include="solutions/04-writer-reader/stu.h" region="solution"}' '```'
check "includes: a line that is not there stops the build" \
	refuses '```{include="solutions/02-fork-sharing/fork_share.c" from="no such line"}' '```'
check "includes: an ambiguous from= stops the build" \
	refuses '```{include="slides/demo/pitfalls.c" from="int fd = scratch(20);"}' '```'
check "transcripts: a command that fails unexpectedly stops the build" \
	refuses '```{.run}' 'false' '```'
check "slides: no solution markers or //> lines shown" sh -c "! grep -n 'BEGIN SOLUTION\|END SOLUTION\|^ *//>' $S.tex"

# --- the output shown is the output of the programs ------------------------------
# Transcripts are verbatim in the .tex: what the programs print now must be there.
same_output() {
	(cd "$tmp" && "$@") >"$tmp/now" 2>&1 || true
	bad=0
	while IFS= read -r line; do
		grep -qxF -- "$line" $S.tex || { echo "not on the slides: $line"; bad=1; }
	done <"$tmp/now"
	[ -s "$tmp/now" ] && [ "$bad" -eq 0 ]
}
check "output: fork_share -p as on the slides" same_output "$PWD/build/solutions/02-fork-sharing/fork_share" -p
check "output: pitfalls as on the slides" same_output "$PWD/slides/build/bin/pitfalls"
check "output: stu_layout as on the slides" same_output "$PWD/slides/build/bin/stu_layout"

# --- the HTML --------------------------------------------------------------------
# Outside <script> (whose code builds links of its own to the slides): every
# src, href, url() and @import points into the file (#...) or is data:.
no_external() {
	[ -s $S.html ] || { echo "no $S.html"; return 1; }
	perl -0777 -pe 's{<script\b.*?</script>}{}gis' $S.html >"$tmp/static.html"
	grep -oiE '(src|href|poster|srcset|data|action)[[:space:]]*=[[:space:]]*("[^"]*|'"'"'[^'"'"']*)|url\([^)]*|@import[^;]*' "$tmp/static.html" |
		grep -viE '=[[:space:]]*["'"'"'](#|data:|$)|url\(["'"'"']?(data:|#)' >"$tmp/ext" || true
	[ ! -s "$tmp/ext" ] || { cut -c1-100 "$tmp/ext" | sort | uniq -c; return 1; }
	[ "$(grep -c '<script src=' $S.html)" -eq 0 ] || { echo "a <script src=...> is left"; return 1; }
}
check "HTML: no src, href, url() or @import leaves the file" no_external

sections_html() {
	l1=$(grep -o 'class="title-slide slide level1"' $S.html | wc -l)
	l2=$(grep -o 'class="slide level2"' $S.html | wc -l)
	echo "HTML: $l1 section slides, $l2 slides; $MD: $sections, $slides"
	[ "$l1" -eq "$sections" ] && [ "$l2" -eq "$slides" ] && grep -q 'id="title-slide"' $S.html
}
check "HTML: one slide per heading" sections_html
transcripts_html() {
	runs=$(grep -c '^```{\.run' $MD)
	pres=$(grep -o '<pre class="transcript">' $S.html | wc -l)
	echo "$runs transcripts in $MD, $pres in the HTML"
	[ "$runs" -gt 0 ] && [ "$pres" -eq "$runs" ]
}
check "HTML: every transcript is set as one" transcripts_html

notes() {
	want_notes=$(grep -c '^::: notes' $MD)
	in_html=$(grep -o '<aside class="notes">' $S.html | wc -l)
	echo "$want_notes notes in $MD, $in_html in the HTML"
	[ "$want_notes" -gt 0 ] && [ "$in_html" -eq "$want_notes" ]
}
check "HTML: speaker notes on the slides that have them" notes

# Chromium, headless and offline (no proxy that answers, no name that resolves).
browser() {
	profile=$tmp/profile-$1
	shift
	timeout -s KILL 90 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --user-data-dir="$profile" --proxy-server=127.0.0.1:9 \
		--host-resolver-rules='MAP * ~NOTFOUND' --window-size=1280,720 --hide-scrollbars \
		--virtual-time-budget=5000 "$@" 2>/dev/null
}
screenshot() {
	command -v chromium >/dev/null || { echo "chromium is not installed (make deps)"; return 1; }
	browser 1 --screenshot="$tmp/title.png" "file://$PWD/$S.html" >/dev/null
	[ -s "$tmp/title.png" ] || { echo "no screenshot"; return 1; }
	# gnuplot reads the PNG; count the distinct colours of its pixels.
	gnuplot -e "set table '$tmp/pixels'; plot '$tmp/title.png' binary filetype=png with rgbimage" || return 1
	colours=$(awk 'NF >= 6 && $1 !~ /^#/ { c[$3 " " $4 " " $5] = 1 } END { n = 0; for (k in c) n++; print n }' "$tmp/pixels")
	echo "the title slide has $colours colours"
	[ "$colours" -gt 1 ]
}
check "HTML: headless Chromium, offline, draws a title slide that is not blank" screenshot
revealjs_ran() {
	browser 2 --dump-dom "file://$PWD/$S.html" >"$tmp/dom.html"
	grep -q '<div class="reveal[^"]* ready' "$tmp/dom.html" || { echo "reveal.js did not start (no .reveal.ready)"; return 1; }
}
check "HTML: reveal.js starts offline" revealjs_ran

# --- handouts --------------------------------------------------------------------
handouts() {
	n=0
	for readme in labs/[0-9][0-9]-*/README.md; do
		[ -f "$readme" ] || continue
		lab=${readme#labs/}
		lab=${lab%/README.md}
		pdf=build/handouts/$lab.pdf
		n=$((n + 1))
		[ -s "$pdf" ] && [ "$pdf" -nt "$readme" ] || { echo "$pdf is missing or older than $readme"; return 1; }
		! grep -n 'Missing character' "build/handouts/$lab.log" || return 1
		title=$(grep -m1 '^# ' "$readme" | sed 's/^# //; s/[`*]//g' | cut -c1-12)
		pdftotext "$pdf" - | grep -qF -- "$title" || { echo "$pdf: no \"$title\""; return 1; }
	done
	echo "$n handouts"
	[ "$n" -gt 0 ]
}
check "handouts: each lab README as a PDF, every character typeset" handouts

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
