#!/usr/bin/python3
"""validate_gradescope.py SCHEMA FILE: checks a results.json as Gradescope reads it.

The schema (gradescope-results.schema.json) is checked as a Draft 7 schema,
then FILE against it, with Debian's python3-jsonschema.  Then what the
schema cannot say: the top-level score is the sum of the tests' scores, no
test scores more than its max_score, and a test's status agrees with its
points.  Prints "tests=N scored=S passed=P failed=F score=X max=M" and exits
0, or prints each problem and exits 1.
"""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: validate_gradescope.py SCHEMA FILE")
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    try:
        with open(sys.argv[2], encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{sys.argv[2]}: not JSON: {e}")
        return 1
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
                for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
    if problems:
        print("\n".join(f"{sys.argv[2]}: {p}" for p in problems))
        return 1
    tests = doc.get("tests", [])
    scored = [t for t in tests if "score" in t]
    total = sum(t["score"] for t in scored)
    for t in scored:
        if t["score"] > t.get("max_score", t["score"]):
            problems.append(f"{t.get('name')}: score {t['score']} over max_score {t['max_score']}")
        if "status" in t and (t["status"] == "passed") != (t["score"] == t.get("max_score")):
            problems.append(f"{t.get('name')}: status {t['status']} with {t['score']}/{t.get('max_score')}")
    if "score" in doc and doc["score"] != total:
        problems.append(f"score {doc['score']} is not the sum of the tests' scores ({total})")
    if problems:
        print("\n".join(f"{sys.argv[2]}: {p}" for p in problems))
        return 1
    passed = sum(1 for t in tests if t.get("status") == "passed")
    print(f"tests={len(tests)} scored={len(scored)} passed={passed} "
          f"failed={len(tests) - passed} score={doc.get('score', total):g} "
          f"max={sum(t.get('max_score', 0) for t in scored):g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
