#!/usr/bin/python3
"""check_page.py PAGE [--max-bytes N] [--says TEXT]... [--only-in-check TEXT]...

Reads an HTML page of the grader as a browser's parser would (html.parser)
and checks that nothing in it can run or load, whatever a program printed:
valid UTF-8 with no control byte but newline and tab; only the elements and
attributes the reporters write (no event handler, no src, links only inside
the page or to students/); at most one script, carrying the nonce the page's
policy names; one h1; every <pre> closed where it was opened.  --says: the
page's text (entities decoded) holds TEXT, in which \\xNN stands for the
grader's escape of a byte; --only-in-check: TEXT shows only inside a failed
check (article class="check").  Prints "ok PAGE: N bytes, E elements" and
exits 0, or prints each problem and exits 1.
"""
import re
import sys
from html.parser import HTMLParser

ALLOWED = set("""html head meta title style body header h1 h2 h3 h4 p span strong code a
section article details summary pre table colgroup col thead tbody tr th td ol ul li
small nav footer div mark br script svg g rect text line path polyline polygon circle
desc tspan defs use clippath filter feflood fecomposite""".split())
VOID = {"meta", "br", "col"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.stack, self.text, self.in_check = [], [], [], []
        self.elements, self.scripts, self.h1, self.nonce, self.csp = 0, [], 0, None, None

    def handle_starttag(self, tag, attrs):
        self.elements += 1
        a = dict(attrs)
        if tag not in ALLOWED:
            self.problems.append(f"element <{tag}>")
        for k, v in attrs:
            v = v or ""
            if k.startswith("on"):
                self.problems.append(f"event handler {k}= on <{tag}>")
            if k in ("src", "srcset", "action", "formaction", "data", "poster", "background"):
                self.problems.append(f"{k}= on <{tag}>")
            if k in ("href", "xlink:href") and not (v.startswith("#") or
                                                    re.fullmatch(r"students/[A-Za-z0-9._%-]+", v)):
                self.problems.append(f"link {v[:60]!r}")
            if k == "style" and re.search(r"url\(|expression|@import|javascript", v, re.I):
                self.problems.append(f"style {v[:60]!r}")
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content", "")
        if tag == "script":
            self.scripts.append(a.get("nonce"))
        if tag == "h1":
            self.h1 += 1
        if tag not in VOID:
            self.stack.append((tag, "check" in (a.get("class") or "").split()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1][0] if self.stack else '-'}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        self.in_check.append((data, any(c for _, c in self.stack)))


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    page, says, only, max_bytes = args[0], [], [], None
    i = 1
    while i < len(args):
        if args[i] == "--says":
            says.append(args[i + 1])
        elif args[i] == "--only-in-check":
            only.append(args[i + 1])
        elif args[i] == "--max-bytes":
            max_bytes = int(args[i + 1])
        else:
            sys.exit(f"check_page.py: unknown argument {args[i]}")
        i += 2
    raw = open(page, "rb").read()
    problems = []
    if max_bytes is not None and len(raw) >= max_bytes:
        problems.append(f"{len(raw)} bytes, not under {max_bytes}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{page}: not UTF-8: {e}")
        return 1
    bad = [c for c in set(text) if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0]
    if bad:
        problems.append(f"control characters {sorted(map(ord, bad))}")
    p = Page()
    p.feed(text)
    p.close()
    problems += p.problems
    if p.stack:
        problems.append(f"unclosed: {[t for t, _ in p.stack]}")
    if p.h1 != 1:
        problems.append(f"{p.h1} h1 elements, not 1")
    if p.csp is None or "default-src 'none'" not in p.csp:
        problems.append("no policy that lets nothing load")
    for nonce in p.scripts:
        if nonce is None or p.csp is None or f"'nonce-{nonce}'" not in p.csp:
            problems.append("a script the page's policy does not name")
    if len(p.scripts) > 1:
        problems.append(f"{len(p.scripts)} scripts")
    shown = "".join(p.text)
    for s in says:
        if s not in shown:
            problems.append(f"the page does not show {s!r}")
    for s in only:
        places = [inside for data, inside in p.in_check if s in data]
        if not places:
            problems.append(f"the page does not show {s!r}")
        elif not all(places):
            problems.append(f"{s!r} shows outside a failed check")
    if problems:
        print("\n".join(f"{page}: {x}" for x in problems))
        return 1
    print(f"ok {page}: {len(raw)} bytes, {p.elements} elements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
