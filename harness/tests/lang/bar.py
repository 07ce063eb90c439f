#!/usr/bin/env python3
"""bar.py TYPESCRIPT COLUMNS: every redraw of class mode's progress bar in
a terminal session (script(1)'s record) is in Chinese and fits in COLUMNS
terminal columns, a Chinese character taking two.  Exit 0 if so."""
import re
import sys
import unicodedata


def columns(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
limit = int(sys.argv[2])
bars = [s[len("\x1b[K"):] for s in re.split(r"[\r\n]", text) if s.startswith("\x1b[K[")]
problems = []
if not bars:
    problems.append("no progress bar drawn")
wide = [b for b in bars if columns(b) > limit]
if wide:
    problems.append(f"{len(wide)} redraws wider than {limit} columns: {wide[0]!r}")
if bars and not any(re.search("[\u4e00-\u9fff]", b) for b in bars):
    problems.append("the progress bar is not in Chinese")
for p in problems:
    print("bar.py: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
