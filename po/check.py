#!/usr/bin/env python3
"""check.py PO POT: the Chinese catalogue is complete and keeps to its rules.

PO is merged with POT (what xgettext finds in the sources now), as `make po`
would, and the result must have:
  - every message translated and none fuzzy (msgfmt --statistics);
  - the same printf conversions in both languages (msgfmt --check, which
    includes --check-format for every c-format message);
  - the glossary's terms (po/GLOSSARY.md, rows marked **checked**);
  - every identifier of the English kept: MAP_SHARED, SIGBUS, EINVAL, mmap().
Then each rule is shown to catch its fault: a copy with one fault of each
kind must be refused.  Exit 0 all held, 1 otherwise (what and where on stderr).
"""
import errno
import os
import re
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# Identifiers a translation keeps: MAP_SHARED, mmap(), and the errno and
# signal names Python knows (EINVAL, SIGBUS), not any upper-case word.
NAMES = set(errno.errorcode.values()) | {s.name for s in signal.Signals}
IDENT = re.compile(r"\b(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|(?:E|SIG)[A-Z0-9]+)\b|\b[a-z_][a-z0-9_]*\(\)")


def unquote(s):
    """The text of a PO string literal's body."""
    out, i = [], 0
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append(escapes.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def entries(path):
    """The live (not obsolete) messages of a PO file: dicts of msgid,
    msgstr (plural forms joined by NUL), flags."""
    result, cur, field = [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur is not None and field is not None and not cur.get("obsolete"):
                    result.append(cur)
                cur, field = None, None
                continue
            if line.startswith("#~"):
                cur = cur or {"msgid": "", "msgstr": [], "flags": set()}
                cur["obsolete"] = True
                continue
            if cur is None:
                cur = {"msgid": "", "msgstr": [], "flags": set()}
            if line.startswith("#,"):
                cur["flags"] |= {x.strip() for x in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                text = unquote(line[1:-1])
                if field == "msgid":
                    cur["msgid"] += text
                elif field == "msgid_plural":
                    pass
                else:
                    cur["msgstr"][-1] += text
            else:
                key, _, rest = line.partition(" ")
                if key == "msgid":
                    field, cur["msgid"] = "msgid", unquote(rest[1:-1])
                elif key == "msgid_plural":
                    field = "msgid_plural"
                elif key.startswith("msgstr"):
                    field = "msgstr"
                    cur["msgstr"].append(unquote(rest[1:-1]))
    if cur is not None and field is not None and not cur.get("obsolete"):
        result.append(cur)
    for e in result:
        e["msgstr"] = "\0".join(e["msgstr"])
    return [e for e in result if e["msgid"] != ""]


def glossary():
    """(english, chinese) of the glossary's checked rows."""
    pairs = []
    with open(os.path.join(HERE, "GLOSSARY.md"), encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and cells[3] == "**checked**":
                english = cells[0].split(" (")[0].lower()
                chinese = cells[1].split(" (")[0]
                pairs.append((english, chinese))
    return pairs


def faults(po):
    """What is wrong with po, as lines (empty: nothing)."""
    problems = []
    run = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                         capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    if run.returncode != 0:
        problems.append("msgfmt --check refuses it:\n" + run.stderr.strip())
    stats = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
    if "fuzzy" in stats or "untranslated" in stats:
        problems.append("not every message is translated: " + stats)
    terms = glossary()
    for e in entries(po):
        if not e["msgstr"].replace("\0", "") or "fuzzy" in e["flags"]:
            continue
        english = e["msgid"].lower()
        for en, zh in terms:
            # Whole words: "MAP_SHARED mapping" is not a "shared mapping".
            if re.search(r"\b" + re.escape(en) + r"\b", english) and zh not in e["msgstr"]:
                problems.append(f"the glossary has {en!r} as {zh!r}, not kept in: {e['msgid']!r}")
        for ident in {i for i in IDENT.findall(e["msgid"]) if "_" in i or "(" in i or i in NAMES}:
            if ident not in e["msgstr"]:
                problems.append(f"{ident} is not kept as it is in the translation of: "
                                f"{e['msgid']!r}")
    return problems


# One fault of each kind the check must catch, added to a sound catalogue.
BROKEN = {
    "untranslated": 'msgid "zz a message"\nmsgstr ""\n',
    "fuzzy": '#, fuzzy\nmsgid "zz a message"\nmsgstr "zz 一条消息"\n',
    "conversions": '#, c-format\nmsgid "zz %d of %s"\nmsgstr "zz %s 的 %d"\n',
    "glossary": 'msgid "zz a shared mapping"\nmsgstr "zz 一个映射"\n',
    "identifier": 'msgid "zz with MAP_SHARED"\nmsgstr "zz 用共享"\n',
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check.py PO POT")
    po, pot = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        merged = os.path.join(tmp, "merged.po")
        subprocess.run(["msgmerge", "--quiet", "--previous", "-o", merged, po, pot], check=True)
        problems = faults(merged)
        for p in problems:
            print(f"check.py: {po}: {p}", file=sys.stderr)
        if problems:
            print(f"check.py: run `make po`, then translate what it marks (po/GLOSSARY.md)",
                  file=sys.stderr)
            return 1
        n = len(entries(merged))
        for kind, text in BROKEN.items():
            broken = os.path.join(tmp, kind + ".po")
            with open(merged, encoding="utf-8") as f, open(broken, "w", encoding="utf-8") as g:
                g.write(f.read() + "\n" + text)
            if not faults(broken):
                print(f"check.py: a catalogue with a fault ({kind}) was let through",
                      file=sys.stderr)
                return 1
        print(f"check.py: {n} messages, all translated, none fuzzy, conversions and "
              f"{len(glossary())} glossary terms kept; each of the {len(BROKEN)} kinds of "
              "fault is caught")
    return 0


if __name__ == "__main__":
    sys.exit(main())
