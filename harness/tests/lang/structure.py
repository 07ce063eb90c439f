#!/usr/bin/env python3
"""structure.py EN ZH [EN ZH]...: each Chinese markdown file (a lab's
README.zh_CN.md, the slides' mmap-ipc.zh_CN.md) is its English one in
Chinese: as many headings at the same levels in the same order (the same
sections, the same frames), the same fenced blocks with the same attributes
(the filter's includes, transcripts and diagrams; in the blocks' lines, the
comments after "  #" are translated and not compared), the same images, and
where the English quotes the document, a block quote in Chinese.  Exit 0 if
so, 1 with what differs."""
import re
import sys

CJK = re.compile("[\u4e00-\u9fff]")
IMAGE = re.compile(r"!\[[^]]*\]\(([^)]+)\)")


def parse(path):
    headings, blocks, quotes, images, block = [], [], [], [], None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("```"):
            if block is None:
                block = [line]
            else:
                blocks.append(block)
                block = None
            continue
        if block is not None:
            block.append(re.sub(r"\s+#\s.*$", "", line).rstrip())
        elif re.match(r"#+ ", line):
            headings.append(len(line) - len(line.lstrip("#")))
        elif line.startswith(">"):
            quotes.append(line)
        images += IMAGE.findall(line)
    return headings, blocks, quotes, images


def compare(en, zh):
    bad = []
    he, be, qe, ie = parse(en)
    hz, bz, qz, iz = parse(zh)
    if he != hz:
        bad.append(f"{zh}: {len(hz)} headings at levels {hz}; {en}: {len(he)}, {he}")
    for i, (a, b) in enumerate(zip(be, bz)):
        if a != b:
            bad.append(f"{zh}: block {i + 1} is not {en}'s: {b[:3]} / {a[:3]}")
    if len(be) != len(bz):
        bad.append(f"{zh}: {len(bz)} fenced blocks; {en}: {len(be)}")
    if ie != iz:
        bad.append(f"{zh}: images {iz}; {en}: {ie}")
    if qe and not any(CJK.search(q) for q in qz):
        bad.append(f"{zh}: {en} quotes the document; this one does not, in Chinese")
    return bad


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit("usage: structure.py EN ZH [EN ZH]...")
    bad = []
    for en, zh in zip(args[::2], args[1::2]):
        bad += compare(en, zh)
    for b in bad:
        print("structure.py: " + b, file=sys.stderr)
    if not bad:
        print(f"structure.py: {len(args) // 2} files in Chinese with their English one's "
              "sections, blocks and images")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
