#!/bin/sh
# test_html.sh OUT: the HTML reports, made for real and looked at in a browser.
#
# Student pages: a submission with one mistake (solutions/ with the corpus's
# 02-sleep-instead-of-wait), the hostile corpus's binary-output and
# fake-score cases (as root only, like make check-hostile: the grader then
# runs them under a uid of its own), and pages' page of the worst strings
# (<script>, </pre>, javascript:, terminal escapes, invalid UTF-8, a 200 kB
# line).  Class pages: a class of three graded here (with a similarity.json
# written by hand, HERE/similarity.json), and 300 students made up
# (mkclass300.py).  Each page: check_page.py (markup, what it shows, size:
# a student < 200 kB, a class of 300 < 2 MB); the student page, the worst
# strings and the class in headless Chromium at a phone's and a desktop's
# width (browser.py), and a page that does fetch, which browser.py must catch.
# Screenshots stay in OUT.
set -eu
OUT=$1
HERE=$(dirname "$0")
CHECK="python3 $HERE/check_page.py"
BROWSER="python3 $HERE/browser.py $OUT"
rm -rf "$OUT/work" && mkdir -p "$OUT/work"
W=$OUT/work
fails=0
run() { "$@" || { echo "test_html: FAILED: $*"; fails=$((fails + 1)); }; }

# A submission: the solutions with the corpus case's files laid over them.
submission() {	# DIR CASE
	mkdir -p "$1" && cp -r solutions/. "$1/"
	[ -z "$2" ] || cp -r "$2"/[0-9][0-9]-* "$1/"
}
grade() { timeout -s KILL 300 bin/grade "$@" || [ $? -eq 1 ]; }

echo "-- a student's page (02-sleep-instead-of-wait, all labs, --seed 7)"
submission "$W/sleep" harness/tests/corpus/02-sleep-instead-of-wait
grade --format html --seed 7 -o "$OUT/student.html" "$W/sleep"
run $CHECK "$OUT/student.html" --max-bytes 200000 --says "bin/grade --seed 7" \
	--says "sandbox:" --says "Hint:" --says "sleep() is not synchronisation" \
	--says "Score: "
run $BROWSER "$OUT/student.html" 390x844 --hint --shot
run $BROWSER "$OUT/student.html" 1280x800 --hint --shot
grade --format html --seed 7 -o "$OUT/solutions.html" solutions
run $CHECK "$OUT/solutions.html" --max-bytes 200000

echo "-- the worst strings (build/tests/html/pages hostile)"
build/tests/html/pages hostile "$OUT/hostile.html"
run $CHECK "$OUT/hostile.html" --max-bytes 200000 \
	--says "<script>document.title='pwned';alert(1)</script>" \
	--says "</pre></td></tr></table></details></article></section><h1>fake</h1><pre>" \
	--says '<a href="javascript:alert(1)">click</a>' --says "<img src=x onerror=alert(3)>" \
	--says '\x1b[2J\x1b[31mred' --says '\xff\xfe \xc0\x80 \xed\xa0\x80' --says '\u202eevil' \
	--says "more bytes" --only-in-check "999/999"
run $BROWSER "$OUT/hostile.html" 390x844 --hint --shot
run $BROWSER "$OUT/hostile.html" 1280x800 --hint

if [ "$(id -u)" -eq 0 ]; then
	for case in binary-output fake-score; do
		echo "-- the hostile corpus: $case"
		submission "$W/$case" "harness/tests/hostile/$case"
		grade --lab 01 --format html -o "$OUT/$case.html" "$W/$case"
		set -- --max-bytes 200000
		# its expect file's "says" and "indented" lines, as the page must show them
		while IFS= read -r line; do
			case $line in
			"says "*) set -- "$@" --says "${line#says }" ;;
			"indented "*) set -- "$@" --only-in-check "${line#indented }" ;;
			esac
		done < "harness/tests/hostile/$case/expect"
		run $CHECK "$OUT/$case.html" "$@"
		run $BROWSER "$OUT/$case.html" 390x844
	done
else
	echo "-- the hostile corpus: SKIPPED (as root only, like make check-hostile)"
fi

echo "-- a class of three, and its index.html"
mkdir -p "$W/class"
submission "$W/class/solutions" ""
submission "$W/class/sleep" harness/tests/corpus/02-sleep-instead-of-wait
submission "$W/class/map-private" harness/tests/corpus/01-map-private
timeout -s KILL 600 bin/grade --class "$W/class" --out "$W/results" --format html --jobs 2 --seed 7 \
	> "$W/class.log" 2>&1 || { cat "$W/class.log"; exit 1; }
# class mode's own page (once it writes one), before the hand-written leads
[ ! -f "$W/results/index.html" ] || run $CHECK "$W/results/index.html" --says "02-fork-sharing"
cp "$HERE/similarity.json" "$W/results/"
build/tests/html/pages class "$W/results"
cp "$W/results/index.html" "$OUT/class.html"
mkdir -p "$OUT/students" && cp "$W/results/students/"*.html "$OUT/students/"
run $CHECK "$OUT/class.html" --says "02-fork-sharing" --says "solutions" \
	--says "</pre><script>alert('a')</script>" --says "42 lines shared"
run $BROWSER "$OUT/class.html" 390x844 --shot --sort
run $BROWSER "$OUT/class.html" 1280x800 --shot

echo "-- a class of 300 (made up from that one): index.html under 2 MB"
python3 "$HERE/mkclass300.py" "$W/results" "$W/class300" 300
build/tests/html/pages class "$W/class300"
run $CHECK "$W/class300/index.html" --max-bytes 2000000 --says "student-299" --says "<b>bold"
echo "   class of 300: $(wc -c < "$W/class300/index.html") bytes"

echo "-- browser.py catches a page that fetches"
printf '<!doctype html><title>leak</title><h1>leak</h1><img src="http://198.51.100.7/x.png">\n' \
	> "$W/leak.html"
if $BROWSER "$W/leak.html" 1280x800 > "$W/leak.log" 2>&1; then
	echo "test_html: FAILED: browser.py let a fetching page through"; fails=$((fails + 1))
else
	grep -q "made requests" "$W/leak.log" && echo "ok browser.py: the fetching page is caught" ||
		{ cat "$W/leak.log"; fails=$((fails + 1)); }
fi

echo "student page $(wc -c < "$OUT/student.html") bytes; screenshots in $OUT/*.png"
[ "$fails" -eq 0 ] || { echo "test_html: $fails failed"; exit 1; }
rm -rf "$W"
echo "test_html: all passed"
