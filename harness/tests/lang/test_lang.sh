#!/bin/sh
# test_lang.sh: the grader in English and in Chinese (issue 16, SPEC §2).
#
# Each submission (the solutions; the skeletons of labs/, which fail; one
# mistake of the corpus; the hostile binary output) is graded with one seed
# in both languages and in every format: the machine-read parts must be the
# same grading (compare.py), the Chinese report Chinese and lined up in
# columns (width.py).  Then the ways of choosing the language (--lang, LANG,
# LC_ALL, LC_MESSAGES, LANGUAGE; English by default and with --lang en), a
# machine without the zh_CN locale (LOCPATH holding only C.UTF-8, and none at
# all), and an installed copy of the grader (PREFIX/bin, PREFIX/share/locale).
# Usage: test_lang.sh [HANDOUT ZIP] (with them: each must hold the catalogue).
set -eu

top=$(pwd)
here=$top/harness/tests/lang
grade=$top/bin/grade
# Under build/, not /tmp: the sandbox hides /tmp from the programs it runs.
mkdir -p build/tests/lang
work=$(mktemp -d "$top/build/tests/lang/run.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
seed=4242
failed=0

fail() {
	echo "test_lang.sh: FAIL: $*" >&2
	failed=1
}

# $1 name, $2 folder, $3 formats, then bin/grade's options: graded in both
# languages.
both() {
	name=$1 folder=$2 formats=$3
	shift 3
	for fmt in $formats; do
		for l in en zh_CN; do
			st=0
			LANG=C "$grade" --lang $l --seed $seed --format $fmt -o "$work/$name.$l.$fmt" "$@" "$folder" \
				2> "$work/$name.$l.$fmt.err" || st=$?
			[ $st -le 1 ] || { cat "$work/$name.$l.$fmt.err"; fail "$name --lang $l --format $fmt: exit $st"; }
			echo $st > "$work/$name.$l.$fmt.status"
		done
		cmp -s "$work/$name.en.$fmt.status" "$work/$name.zh_CN.$fmt.status" ||
			fail "$name --format $fmt: the exit status depends on the language"
		python3 "$here/compare.py" $fmt "$work/$name.en.$fmt" "$work/$name.zh_CN.$fmt" ||
			fail "$name --format $fmt: the two languages are not the same grading"
	done
	case " $formats " in *" text "*)
		for l in en zh_CN; do
			python3 "$here/width.py" "$work/$name.$l.text" ||
				fail "$name --lang $l: the text report is not lined up"
		done
		echo "test_lang.sh: $name: $(sed -n 's/^Score: //p' "$work/$name.en.text") in both languages"
	esac
}

# A submission: the solutions with a corpus case's files laid over them.
overlay() {
	mkdir -p "$work/$1"
	cp -R "$top/solutions/." "$work/$1/"
	(cd "$2" && find . -name '*.[ch]' -exec cp --parents {} "$work/$1/" \;)
}

# Every lab in JSON and text; the other formats (where the ids sit elsewhere)
# for one lab: a grading costs seconds.
cp -R "$top/solutions" "$work/solutions"
both solutions "$work/solutions" "json text"
both solutions-02 "$work/solutions" "gradescope junit tap" --lab 02
cp -R "$top/labs" "$work/skeletons"
both skeletons "$work/skeletons" "json text"
overlay sleep "$top/harness/tests/corpus/02-sleep-instead-of-wait"
both sleep "$work/sleep" "json text gradescope junit tap" --lab 02

# The hostile program's bytes (NUL, bad UTF-8, escapes) stay escaped in Chinese.
overlay binary "$top/harness/tests/hostile/binary-output"
LANG=C "$grade" --lang zh_CN --seed $seed --lab 01 -o "$work/binary.txt" "$work/binary" 2>/dev/null || true
LANG=C "$grade" --lang zh_CN --seed $seed --lab 01 --format json -o "$work/binary.json" "$work/binary" 2>/dev/null || true
python3 - "$work/binary.txt" "$work/binary.json" <<'EOF' || fail "binary output in the Chinese report"
import json, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")                          # valid UTF-8, or this raises
bad = [c for c in text if (ord(c) < 32 and c not in "\n") or 0x7f <= ord(c) < 0xa0]
assert not bad, "raw control characters in the text report: %r" % bad[:5]
assert "得分" in text and "\\x1b" in text, "not the Chinese report of the escaped bytes"
report = json.load(open(sys.argv[2], encoding="utf-8"))
assert any("\\x00" in (c.get("actual") or "") for l in report["labs"] for c in l["checks"]), \
    "the NUL byte is not shown escaped in JSON"
EOF

# The width check itself: a report one column off is refused.
sed '0,/^  通过  /s//  通过   /' "$work/solutions.zh_CN.text" > "$work/off.text"
if python3 "$here/width.py" "$work/off.text" 2>/dev/null; then fail "width.py let a misaligned report through"; fi

# --- class mode ------------------------------------------------------------------
# The same class in both languages: grades.csv alike (its columns are lab ids),
# summary.txt in Chinese; on a terminal 60 columns wide, each redraw of the
# progress bar fits in 59 (a wider one wraps, and \r no longer redraws it).
mkdir -p "$work/class"
cp -R "$work/solutions" "$work/class/alice"
cp -R "$work/sleep" "$work/class/bob"
cp -R "$work/skeletons" "$work/class/carol"
for l in en zh_CN; do
	LANG=C "$grade" --lang $l --seed $seed --class "$work/class" --out "$work/out.$l" --jobs 2 \
		> /dev/null 2> "$work/class.$l.err" || { cat "$work/class.$l.err"; fail "class mode --lang $l"; }
done
cmp -s "$work/out.en/grades.csv" "$work/out.zh_CN/grades.csv" ||
	fail "grades.csv depends on the language: $(head -n 1 "$work/out.zh_CN/grades.csv")"
python3 "$here/cjk.py" "$work/out.zh_CN/summary.txt" || fail "summary.txt is not in Chinese"
# The English results, graded again in Chinese: none kept in the other language.
LANG=C "$grade" --lang zh_CN --seed $seed --class "$work/class" --out "$work/out.en" --jobs 2 \
	> /dev/null 2>&1 || fail "class mode again in Chinese"
grep -q '^得分: ' "$work/out.en/students/alice.txt" || fail "a report in English kept for a Chinese run"
if command -v script > /dev/null; then
	script -qec "stty cols 60 rows 20; LANG=C '$grade' --lang zh_CN --seed $seed \
		--class '$work/class' --out '$work/out.tty' --jobs 2" "$work/typescript" > /dev/null 2>&1 || true
	python3 "$here/bar.py" "$work/typescript" 59 || fail "the progress bar on a 60-column terminal"
else
	echo "test_lang.sh: no script(1) here: the progress bar on a terminal is not tested"
fi

# --- choosing the language -------------------------------------------------------
# $1: en or zh; the rest: the environment and options of one grading.
speaks() {
	want=$1
	shift
	env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "$@" --seed $seed --lab 01 \
		"$work/solutions" > "$work/speaks.out" 2> "$work/speaks.err" || true
	if grep -q '^得分: ' "$work/speaks.out"; then got=zh; elif grep -q '^Score: ' "$work/speaks.out"; then got=en
	else got=none; fi
	[ $got = "$want" ] || { cat "$work/speaks.err"; fail "$* gave $got, not $want"; }
}
speaks en "$grade"
speaks en LANG=C "$grade"
speaks en LANG=fr_FR.UTF-8 "$grade"
speaks zh "$grade" --lang zh_CN
speaks zh "$grade" --lang=zh_CN
speaks zh LANG=zh_CN.UTF-8 "$grade"
speaks zh LC_ALL=zh_CN.UTF-8 "$grade"
speaks zh LC_MESSAGES=zh_CN.GB18030 "$grade"
speaks zh LANG=C LANGUAGE=zh_CN:en "$grade"
speaks en LANG=zh_CN.UTF-8 "$grade" --lang en
speaks en LANG=zh_CN.UTF-8 LANGUAGE=en "$grade"
if "$grade" --lang fr "$work/solutions" > /dev/null 2> "$work/lang.err"; then fail "--lang fr accepted"; fi
grep -q 'en or zh_CN' "$work/lang.err" || fail "--lang fr: no word of the languages there are"

# A machine whose only locale is C.UTF-8 (no locales package): still Chinese.
# With no locale at all but C: English, and stderr says why (or Chinese, if
# this glibc has C.UTF-8 built in).
c_utf8=$(for d in /usr/lib/locale/C.utf8 /usr/lib/locale/C.UTF-8; do [ -d $d ] && echo $d; done | head -n 1)
if [ -n "$c_utf8" ]; then
	mkdir -p "$work/locales/only-c" "$work/locales/none"
	cp -R "$c_utf8" "$work/locales/only-c/"
	speaks zh LOCPATH="$work/locales/only-c" LANG=zh_CN.UTF-8 "$grade"
	speaks zh LOCPATH="$work/locales/only-c" "$grade" --lang zh_CN
	env LOCPATH="$work/locales/none" LANG=zh_CN.UTF-8 "$grade" --seed $seed --lab 01 \
		"$work/solutions" > "$work/none.out" 2> "$work/none.err" || true
	# Where glibc has C.UTF-8 built in, even this is Chinese.
	grep -q '^得分: ' "$work/none.out" ||
		{ grep -q '^Score: ' "$work/none.out" && grep -q 'no locale but C' "$work/none.err"; } ||
		fail "no locale at all: neither Chinese nor English with a word on stderr"
else
	echo "test_lang.sh: no C.UTF-8 locale folder here: the LOCPATH cases are skipped"
fi

# An installed copy: PREFIX/bin/grade finds PREFIX/share/locale.
mkdir -p "$work/prefix/bin" "$work/prefix/share/locale/zh_CN/LC_MESSAGES"
cp "$grade" "$top/bin/mmapaudit.so" "$work/prefix/bin/"
cp "$top/build/locale/zh_CN/LC_MESSAGES/mmaplab.mo" "$work/prefix/share/locale/zh_CN/LC_MESSAGES/"
speaks zh "$work/prefix/bin/grade" --lang zh_CN
# Without any catalogue: English, and stderr names the way out.
rm -r "$work/prefix/share/locale"
speaks en "$work/prefix/bin/grade" --lang zh_CN
grep -q 'run make' "$work/speaks.err" || fail "no catalogue: stderr does not say so"

# The handout and the Gradescope zip carry the catalogue: Chinese without msgfmt.
if [ $# -eq 2 ]; then
	tar -tzf "$1" | grep -qx 'mmaplab/build/locale/zh_CN/LC_MESSAGES/mmaplab.mo' ||
		fail "$1 holds no Chinese catalogue"
	unzip -l "$2" | grep -q ' mmaplab/build/locale/zh_CN/LC_MESSAGES/mmaplab.mo$' ||
		fail "$2 holds no Chinese catalogue"
	# Unpacked where there is no msgfmt (Gradescope's image installs none), even
	# with the catalogue's source touched: make keeps the packed catalogue.
	mkdir -p "$work/handout" "$work/nomsgfmt"
	tar -xzf "$1" -C "$work/handout"
	for t in sh make mkdir touch mv find; do ln -s "$(command -v $t)" "$work/nomsgfmt/$t"; done
	touch "$work/handout/mmaplab/po/zh_CN.po"
	PATH="$work/nomsgfmt" make -C "$work/handout/mmaplab" build/locale/zh_CN/LC_MESSAGES/mmaplab.mo \
		> "$work/nomsgfmt.log" 2>&1 || { cat "$work/nomsgfmt.log"; fail "make without msgfmt"; }
	cmp -s "$work/handout/mmaplab/build/locale/zh_CN/LC_MESSAGES/mmaplab.mo" \
		"$top/build/locale/zh_CN/LC_MESSAGES/mmaplab.mo" || fail "the handout's catalogue is not the one built here"
fi

[ $failed -eq 0 ] || exit 1
echo "test_lang.sh: both languages grade alike; Chinese from --lang, LANG, LC_ALL, LC_MESSAGES," \
     "LANGUAGE, without the zh_CN locale and from an installed copy"
