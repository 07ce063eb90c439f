#!/usr/bin/env python3
"""handouts.py: each labs/NN-name/README.md has a README.zh_CN.md with the
same sections (as many headings, at the same levels, in the same order) and
the same code blocks (commands and transcripts; the comments after "  #" are
translated and not compared), and the Chinese one quotes the document in
Chinese (a block quote holding CJK text).  Exit 0 if so, 1 with what differs."""
import glob
import os
import re
import sys

CJK = re.compile("[\u4e00-\u9fff]")


def parse(path):
    headings, blocks, quotes, block = [], [], [], None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("```"):
            if block is None:
                block = []
            else:
                blocks.append(block)
                block = None
            continue
        if block is not None:
            block.append(re.sub(r"\s+#\s.*$", "", line).rstrip())
        elif line.startswith("#"):
            headings.append(len(line) - len(line.lstrip("#")))
        elif line.startswith(">"):
            quotes.append(line)
    return headings, blocks, quotes


def main():
    bad = []
    readmes = sorted(glob.glob("labs/[0-9][0-9]-*/README.md"))
    for en in readmes:
        zh = en[:-len(".md")] + ".zh_CN.md"
        if not os.path.exists(zh):
            bad.append(f"{zh} is missing")
            continue
        he, be, qe = parse(en)
        hz, bz, qz = parse(zh)
        if he != hz:
            bad.append(f"{zh}: headings {hz}, the English {he}")
        if be != bz:
            for i, (a, b) in enumerate(zip(be, bz)):
                if a != b:
                    bad.append(f"{zh}: code block {i + 1} differs from the English one: {b} / {a}")
            if len(be) != len(bz):
                bad.append(f"{zh}: {len(bz)} code blocks, the English {len(be)}")
        if qe and not any(CJK.search(q) for q in qz):
            bad.append(f"{zh}: the English quotes the document; this one does not in Chinese")
    for b in bad:
        print("handouts.py: " + b, file=sys.stderr)
    if not bad:
        print(f"handouts.py: {len(readmes)} handouts in Chinese, same sections and code as the English")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
