#!/usr/bin/env python3
"""width.py REPORT: a text report (either language) lines up in a terminal,
where a Chinese character takes two columns: every check name starts in the
same column whether the check passed or failed, each line of an
expected/seen/hint block starts in the column of the block's first line, and
the memory picture's arrows line up.
Exit 0 if so; 1 with the lines that do not, on stderr."""
import sys
import unicodedata


def columns(s):
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def indent(s):
    """Columns before the first character that is not a space."""
    return columns(s[:len(s) - len(s.lstrip(" "))])


def main():
    path = sys.argv[1]
    lines = open(path, encoding="utf-8").read().split("\n")
    verdicts = {"PASS", "FAIL", "通过", "未通过"}
    labels = ("expected:", "seen:", "hint:", "build:", "warnings:",
              "预期:", "实际:", "提示:", "编译:", "警告:")
    bad, name_cols, block_col = [], set(), None
    for n, line in enumerate(lines, 1):
        stripped = line.strip(" ")
        word = stripped.split(" ")[0] if stripped else ""
        if line.startswith("  ") and not line.startswith("   ") and word in verdicts:
            rest = line[2 + len(word):]
            name_cols.add((2 + columns(word) + indent(rest), n))
            block_col = None
        elif line.startswith("      ") and stripped.startswith(labels):
            label = next(l for l in labels if stripped.startswith(l))
            rest = stripped[len(label):]
            block_col = 6 + columns(label) + indent(rest)
        elif block_col is not None and line.startswith(" ") and stripped:
            if indent(line) != block_col:
                bad.append(f"line {n}: starts in column {indent(line)}, its block in "
                           f"{block_col}: {line!r}")
        else:
            block_col = None
    # The memory picture: the arrow of each pair of processes in one column.
    for n in range(1, len(lines)):
        prev, line = lines[n - 1], lines[n]
        if line.lstrip().startswith("+--> ") and prev.endswith("--+"):
            below = lines[n + 1] if n + 1 < len(lines) else ""
            if indent(line) != columns(prev) - 1 or columns(below) != columns(prev):
                bad.append(f"line {n + 1}: the shared page's arrow is not between the two '+'")
        if "----->" in line and "----->" in prev:
            if columns(line[:line.index("----->")]) != columns(prev[:prev.index("----->")]):
                bad.append(f"line {n + 1}: the arrows of the two processes are not in one column")
    if len({c for c, _ in name_cols}) > 1:
        bad.append("check names start in columns " +
                   ", ".join(sorted({str(c) for c, _ in name_cols})))
    if not name_cols:
        bad.append("no PASS or FAIL line")
    for b in bad:
        print(f"width.py: {path}: {b}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
