#!/usr/bin/env python3
"""compare.py KIND EN ZH: two reports of one grading (same seed), in English
and in Chinese, are the same grading: the machine-read parts equal, the
human-read parts Chinese in the Chinese one.

  json        scores, points, passed and each check's id equal, lab ids
              equal; check names differ and the Chinese ones hold CJK text
  gradescope  per test: score, max_score and the check id equal
  junit       per testcase: the check id and the verdict equal
  tap         per test point: ok/not ok and the check id equal
  text        no layout check of its own (width.py does that): the Chinese
              report holds CJK text, the English one none but the programs'

Exit 0 if so; 1 with what differs on stderr.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

CJK = re.compile("[\u4e00-\u9fff]")
problems = []


def same(what, a, b):
    if a != b:
        problems.append(f"{what}: {a!r} in English, {b!r} in Chinese")


def json_report(en, zh):
    a, b = json.load(open(en)), json.load(open(zh))
    same("score", (a["score"], a["max_score"]), (b["score"], b["max_score"]))
    same("labs", [l["id"] for l in a["labs"]], [l["id"] for l in b["labs"]])
    names = 0
    for la, lb in zip(a["labs"], b["labs"]):
        same(la["id"] + " score", (la["score"], la["max_score"]), (lb["score"], lb["max_score"]))
        ca, cb = la["checks"], lb["checks"]
        same(la["id"] + " number of checks", len(ca), len(cb))
        for x, y in zip(ca, cb):
            if not x.get("id") or not y.get("id"):
                problems.append(f"{la['id']}: a check without an id: {x.get('name')!r}")
            same(f"{la['id']} check", (x.get("id"), x["score"], x["max_score"], x["passed"]),
                 (y.get("id"), y["score"], y["max_score"], y["passed"]))
            if not CJK.search(y["name"]):
                problems.append(f"{la['id']}: a check name not in Chinese: {y['name']!r}")
            names += x["name"] != y["name"]
    if names == 0:
        problems.append("no check name differs between the languages")


def gradescope(en, zh):
    a, b = json.load(open(en)), json.load(open(zh))
    key = lambda t: (t.get("score"), t.get("max_score"), t.get("extra_data", {}).get("id", t.get("id")))
    same("tests", [key(t) for t in a["tests"]], [key(t) for t in b["tests"]])
    if any(key(t)[2] is None for t in a["tests"] if t.get("max_score")):
        problems.append("a graded Gradescope test without the check's id")


def junit(en, zh):
    # A check's testcase is named "[id] title (N points)"; a lab's compile
    # testcase has no id.
    def cases(path):
        out = []
        for tc in ET.parse(path).iter("testcase"):
            verdict = "failure" if tc.find("failure") is not None else \
                      "error" if tc.find("error") is not None else "pass"
            m = re.match(r"\[([^]]+)\] ", tc.get("name", ""))
            out.append((tc.get("classname"), m.group(1) if m else tc.get("name"), verdict))
        return out
    a, b = cases(en), cases(zh)
    same("testcases", a, b)
    if not any(re.match(r"\[", tc.get("name", "")) for tc in ET.parse(en).iter("testcase")):
        problems.append("no JUnit testcase carries a check's id")


def tap(en, zh):
    # "ok N - LAB: [id] title (points)"; a lab's compile point has no id.
    point = re.compile(r"^(ok|not ok) (\d+) - ([^:]+): (?:\[([^]]+)\] )?")
    def points(path):
        return [m.groups() for m in map(point.match, open(path, encoding="utf-8")) if m]
    a, b = points(en), points(zh)
    same("test points", a, b)
    if not a or all(p[3] is None for p in a):
        problems.append("no TAP test point carries a check's id")


def text(en, zh):
    b = open(zh, encoding="utf-8").read()
    if not CJK.search(b) or "得分" not in b:
        problems.append("the Chinese text report holds no Chinese (no 得分 line)")
    if "Score:" not in open(en, encoding="utf-8").read():
        problems.append("the English text report has no Score line")


def main():
    kind, en, zh = sys.argv[1:]
    {"json": json_report, "gradescope": gradescope, "junit": junit, "tap": tap,
     "text": text}[kind](en, zh)
    for p in problems:
        print(f"compare.py {kind}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
