#!/usr/bin/env python3
"""handout_table.py [--check] PO LAB...: the table of checks in each Chinese
handout (labs/LAB/README.zh_CN.md, section 评分器检查什么) made from the
English one's (labs/LAB/README.md, "What the grader checks"), its cells
translated by the catalogue: a check's title is the msgid of its table row
(a "…" in it is the run's label, "%s"), a rule the end of a clause's msgid
("§1 lab 01: RULE").  The id and points columns are copied.

Without --check the Chinese handouts' tables are rewritten in place; with
it, nothing is written and the exit status is 1 if a table is not what it
would be.  A cell the catalogue cannot translate is an error: translate its
message (po/README.md), or add the cell to EXTRA below."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402  (the catalogue's reader)

# Rule cells written in the handouts that are not a clause's text.
EXTRA = {
    "nothing left running, in `/dev/shm`, SysV IPC or `/tmp`":
        "没有留下仍在运行的进程，`/dev/shm`、SysV IPC 和 `/tmp` 中也没有留下东西",
    "each is judged for speed too (points in proportion, full at 0.8 of the reference's speed)":
        "两个程序也都按速度评判 (按比例给分，达到参考程序速度的 0.8 得全分)",
}
# The dashes give the columns' widths in the PDF (30%, 27%, 5%, 38%): ids
# are long and cannot be broken, Chinese text wraps anywhere.
HEADER = ["| id | 检查项 | 分值 | 规则 |",
          "|------------------------------|---------------------------|-----|--------------------------------------|"]


def catalogue(po):
    """msgid -> msgstr of every translated message, obsolete ones too (a
    handout may be ahead of the merge of the code it describes)."""
    out = {}
    for obsolete in (True, False):
        for e in entries_of(po, obsolete):
            if e["msgstr"]:
                out[e["msgid"]] = e["msgstr"]
    return out


def entries_of(po, obsolete):
    if not obsolete:
        return check.entries(po)
    # The obsolete entries, read as live ones.
    text = open(po, encoding="utf-8").read()
    live = re.sub(r"^#~\| .*\n", "", text, flags=re.M)
    live = re.sub(r"^#~ ", "", live, flags=re.M)
    tmp = po + ".obsolete.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(live)
    try:
        return check.entries(tmp)
    finally:
        os.remove(tmp)


def cells(row):
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


CONVERSION = re.compile(r"%(?:[0-9]+\\$)?[-#0 +]*[0-9.*]*(?:hh|h|ll|l|z|j|t)?[a-zA-Z]")


def translate_title(cell, tr):
    # A "…" in the cell stands for any conversion of the message (the run's
    # label, a speed...).
    # or for the text it was given ("sum_read" for a "%s").
    want = cell.replace("\\|", "|")
    for msgid, msgstr in tr.items():
        parts = CONVERSION.split(msgid.replace("%%", "%"))
        if len(parts) == 1:
            if msgid == want:
                return msgstr.replace("|", "\\|")
            continue
        m = re.fullmatch("(.+?)".join(re.escape(x) for x in parts), want)
        if m is None or "$" in msgstr:
            continue
        given = iter(m.groups())
        return CONVERSION.sub(lambda _: next(given), msgstr).replace("%%", "%").replace("|", "\\|")
    return None


def translate_rule(cell, tr):
    if cell in EXTRA:
        return EXTRA[cell]
    # The handout writes a tab of the message as \t (in code or not).
    text = cell.replace("\\|", "|").replace("`", "").replace("\\\\t", "\t").replace("\\t", "\t")
    for msgid, msgstr in tr.items():
        if msgid.startswith("§") and msgid.endswith(": " + text):
            rule = re.sub(r"^§[^：:]*[：:]\s*", "", msgstr)
            # What the English shows as code, the Chinese too.
            for code in re.findall(r"`([^`]+)`", cell):
                code = code.replace("\\t", "\t")
                if code in rule and "`" + code + "`" not in rule:
                    rule = rule.replace(code, "`" + code + "`")
            # A tab: \t in code; \\t outside it (\t alone reads as a LaTeX command).
            parts = rule.replace("|", "\\|").split("`")
            return "`".join(p.replace("\t", "\\t" if i % 2 else "\\\\t") for i, p in enumerate(parts))
    return None


def table_of(path, heading):
    """The rows of the first table after heading, and where they are."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == heading)
    first = next((i for i in range(start, len(lines)) if lines[i].startswith("| id |")), None)
    if first is None:
        return lines, None, None
    last = first
    while last < len(lines) and lines[last].startswith("|"):
        last += 1
    return lines, first, last


def main():
    args = sys.argv[1:]
    checking = args[:1] == ["--check"]
    if checking:
        args = args[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    tr = catalogue(args[0])
    bad = 0
    for lab in args[1:]:
        en = f"labs/{lab}/README.md"
        zh = f"labs/{lab}/README.zh_CN.md"
        lines, first, last = table_of(en, "## What the grader checks")
        # A table by hand (without check ids, or with other columns than the
        # engine's id | check | points | rule): translated by hand.
        if first is None or len(cells(lines[first])) != 4:
            continue
        rows, missing = list(HEADER), False
        for row in lines[first + 2:last]:
            ident, title, points, rule = cells(row)
            t, r = translate_title(title, tr), translate_rule(rule, tr)
            if t is None or r is None:
                print(f"handout_table.py: {en}: no translation of {title if t is None else rule!r}",
                      file=sys.stderr)
                missing = True
                continue
            rows.append(f"| {ident} | {t} | {points} | {r} |")
        zlines, zfirst, zlast = table_of(zh, "## 评分器检查什么")
        if zfirst is None:
            print(f"handout_table.py: {zh} has no table of checks (a line \"| id |\") under 评分器检查什么",
                  file=sys.stderr)
            bad = 1
            continue
        if missing:
            bad = 1
            continue
        if zlines[zfirst:zlast] == rows:
            continue
        if checking:
            print(f"handout_table.py: {zh}: its table of checks is not the English one's "
                  f"(run python3 po/handout_table.py {args[0]} {lab})", file=sys.stderr)
            bad = 1
        else:
            with open(zh, "w", encoding="utf-8") as f:
                f.write("\n".join(zlines[:zfirst] + rows + zlines[zlast:]))
            print(f"handout_table.py: wrote the table of {zh}")
    return bad


if __name__ == "__main__":
    sys.exit(main())
