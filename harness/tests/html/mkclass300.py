#!/usr/bin/python3
"""mkclass300.py TEMPLATE_DIR OUT_DIR [N]: a results folder of N (300)
students made up from a real one, for the class page's size test.

Each student's record is a real record of TEMPLATE_DIR/students/ (class mode's
output) with its checks passed or failed at random (seeded: the same folder
every time), its scores summed again; ids are long, some hostile
(markup, quotes, non-ASCII); grades.csv lists them; similarity.json holds 150
leads of six markup-heavy regions of 80 lines each, far more than the page
shows.
"""
import csv
import glob
import json
import os
import random
import sys


def main():
    template, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    records = []
    for path in sorted(glob.glob(os.path.join(template, "students", "*.json"))):
        with open(path, encoding="utf-8") as f:
            rec = json.load(f)
        if isinstance(rec, dict) and "student" in rec:
            records.append(rec)
    if not records:
        sys.exit(f"mkclass300.py: no record in {template}/students")
    rng = random.Random(300)
    os.makedirs(os.path.join(out, "students"), exist_ok=True)
    ids = []
    for i in range(n):
        sid = f"student-{i:03d}-" + rng.choice(["zhang.wei", "o'brien", "<b>bold", "李华",
                                                  "a&b", "x" * 40])
        ids.append(sid)
        rec = json.loads(json.dumps(rng.choice(records)))
        rec["student"] = sid
        total = 0
        for lab in rec["labs"]:
            lab["score"] = 0
            for c in lab["checks"]:
                c["passed"] = rng.random() < 0.8
                c["score"] = c["max_score"] if c["passed"] else 0
                lab["score"] += c["score"]
            total += lab["score"]
        rec["score"] = total
        safe = sid
        with open(os.path.join(out, "students", safe + ".json"), "w", encoding="utf-8") as f:
            json.dump(rec, f, indent=2, ensure_ascii=False)
        with open(os.path.join(out, "students", safe + ".html"), "w", encoding="utf-8") as f:
            f.write("<!doctype html><title>x</title>\n")
    labs = [lab["id"] for lab in records[0]["labs"]]
    with open(os.path.join(out, "grades.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "total", *labs])
        for sid in ids:
            with open(os.path.join(out, "students", sid + ".json"), encoding="utf-8") as g:
                rec = json.load(g)
            by = {lab["id"]: lab["score"] for lab in rec["labs"]}
            w.writerow([sid, rec["score"], *[by.get(lab, "") for lab in labs]])
    # markup-heavy: every < & " costs 4 to 6 bytes once escaped
    text = "".join(f"\tif (a{k} < b && c > d) s = \"<&>\"; /* <b>{k}</b> */\n" for k in range(80))
    leads = [{"student_a": ids[i], "student_b": ids[i + 1], "lab": labs[i % len(labs)],
              "percent": 90 - i / 2, "shared_lines": 40,
              "regions": [{"file_a": "a.c", "from_a": 1, "to_a": 40, "file_b": "b.c", "from_b": 1,
                           "to_b": 40, "text_a": text, "text_b": text}] * 6}
             for i in range(150)]
    with open(os.path.join(out, "similarity.json"), "w", encoding="utf-8") as f:
        json.dump(leads, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
