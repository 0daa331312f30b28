#!/usr/bin/env python3
"""End-to-end checks of scripts/verify on a small selection (ctest, dev preset).

  check_verify.py pass REPO OUT      the quick gate on the mpsc property engine passes:
                                     exit 0, a JUnit file with passing cases, a PASS report
  check_verify.py mutant REPO OUT    the same gate with a seeded bug selected fails and
                                     names the mutant (exit 1, JUnit failure, summary line)
Both use the builds that exist (--no-build): they run inside ctest of the dev build.
"""
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run_verify(repo, out, *args):
    cmd = [str(pathlib.Path(repo) / "scripts" / "verify"), "--quick", "--no-build", "--engine", "properties",
           "--results", str(out), "--seed", "5", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    print(p.stdout[-4000:])
    print(p.stderr[-2000:])
    return p


def junit_cases(out):
    path = pathlib.Path(out) / "junit.xml"
    if not path.exists():
        fail(f"no JUnit file at {path}")
    root = ET.parse(path).getroot()
    return {c.get("name"): c for c in root.iter("testcase")}


def check_pass(repo, out):
    p = run_verify(repo, out, "--channel", "mpsc")
    if p.returncode != 0:
        fail(f"exit status {p.returncode}, expected 0")
    cases = junit_cases(out)
    if "properties: mpsc" not in cases or "report verdict" not in cases:
        fail(f"JUnit lacks the property step or the report verdict: {sorted(cases)}")
    failed = [n for n, c in cases.items() if c.find("failure") is not None]
    if failed:
        fail(f"JUnit has failures on a passing gate: {failed}")
    report = pathlib.Path(out) / "report.html"
    html = report.read_text(encoding="utf-8") if report.exists() else ""
    if "PASS" not in html or "safe to merge" not in html:
        fail(f"the report at {report} does not say PASS")
    if "verify: PASS" not in p.stdout:
        fail("the summary does not say 'verify: PASS'")
    print("verify --quick on the mpsc properties: PASS, JUnit and report as expected")


def check_mutant(repo, out):
    p = run_verify(repo, out, "--mutant", "list_lost_wakeup")
    if p.returncode != 1:
        fail(f"exit status {p.returncode}, expected 1 (the mutant must fail the gate)")
    if "verify: FAIL (list_lost_wakeup)" not in p.stdout or "mutant list_lost_wakeup is told apart" not in p.stdout:
        fail("the summary does not name the mutant and the failure")
    cases = junit_cases(out)
    case = cases.get("mutant list_lost_wakeup")
    if case is None or case.find("failure") is None:
        fail("JUnit has no failing 'mutant list_lost_wakeup' case")
    if "properties" not in (case.find("failure").text or ""):
        fail("the JUnit failure does not say which engine caught the mutant")
    print("verify --quick --mutant list_lost_wakeup: FAIL naming the mutant, as expected")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("pass", "mutant"):
        print(__doc__)
        sys.exit(2)
    (check_pass if sys.argv[1] == "pass" else check_mutant)(sys.argv[2], sys.argv[3])
