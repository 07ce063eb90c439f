#!/usr/bin/python3
"""validate_junit.py XSD FILE: checks a JUnit XML report as CI systems read it.

First xmllint (Debian's libxml2-utils) validates FILE against junit.xsd; then
junitparser (Debian's python3-junitparser, the library CI tools use to read
and merge these reports) reads it, and every count the report states (per
suite and in total) must be what its test cases say.  Prints
"suites=S tests=N failures=F errors=E" and exits 0, or says what is wrong and
exits 1.
"""
import subprocess
import sys

from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: validate_junit.py XSD FILE")
    xsd, path = sys.argv[1:]
    lint = subprocess.run(["xmllint", "--noout", "--schema", xsd, path],
                          capture_output=True, text=True)
    if lint.returncode != 0:
        print(lint.stderr.strip())
        return 1
    xml = JUnitXml.fromfile(path)
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    problems = []
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in suites:
        cases = list(suite)
        kinds = [type(r) for case in cases for r in case.result]
        seen = {"tests": len(cases), "failures": kinds.count(Failure),
                "errors": kinds.count(Error)}
        if any(len(case.result) > 1 for case in cases):
            problems.append(f"suite {suite.name}: a test case with more than one result")
        for key, value in seen.items():
            if getattr(suite, key) != value:
                problems.append(f"suite {suite.name}: {key}={getattr(suite, key)}, "
                                f"but its test cases say {value}")
            totals[key] += value
        if (suite.skipped or 0) != kinds.count(Skipped):
            problems.append(f"suite {suite.name}: skipped={suite.skipped}")
    if not isinstance(xml, TestSuite):
        for key, value in totals.items():
            if getattr(xml, key) != value:
                problems.append(f"testsuites: {key}={getattr(xml, key)}, but the suites say {value}")
    if problems:
        print("\n".join(f"{path}: {p}" for p in problems))
        return 1
    print(f"suites={len(suites)} tests={totals['tests']} failures={totals['failures']} "
          f"errors={totals['errors']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
