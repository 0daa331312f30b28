#!/usr/bin/env python3
"""End-to-end checks of scripts/verify on a small selection (ctest, dev preset).

  check_verify.py pass REPO OUT      the quick gate on the mpsc property engine passes:
                                     exit 0, a JUnit file with passing cases, a PASS report
  check_verify.py mutant REPO OUT    the same gate with a seeded bug selected fails and
                                     names the mutant (exit 1, JUnit failure, summary line)
  check_verify.py byo REPO OUT       the gate on the bring-your-own channels alone: their
                                     ctest cases in the JUnit, each channel under test in the
                                     report's matrix, the deliberately broken one left out;
                                     an earlier run's results in OUT do not reach the report,
                                     and a non-empty OUT that no gate wrote is refused
Both use the builds that exist (--no-build): they run inside ctest of the dev build.
"""
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run_verify(repo, out, *args, engine="properties"):
    cmd = [str(pathlib.Path(repo) / "scripts" / "verify"), "--quick", "--no-build", "--engine", engine,
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


def check_byo(repo, out):
    out = pathlib.Path(out)
    # A directory that holds something else is refused before anything runs.
    foreign = out.parent / (out.name + "_foreign")
    foreign.mkdir(parents=True, exist_ok=True)
    (foreign / "keep.txt").write_text("not a gate's\n")
    p = run_verify(repo, foreign, engine="byo")
    if p.returncode != 2 or "holds no earlier gate run" not in p.stderr or not (foreign / "keep.txt").exists():
        fail(f"a non-empty --results directory no gate wrote was not refused (exit {p.returncode})")
    # An earlier gate's results (a stress summary here) must not reach this run's report.
    stale = out / "tsan" / "stress"
    stale.mkdir(parents=True, exist_ok=True)
    (out / "steps.tsv").write_text("")
    (stale / "summary.sweep.json").write_text('{"schema": "chancheck.stress-summary/2"}')
    p = run_verify(repo, out, engine="byo")
    if p.returncode != 0:
        fail(f"exit status {p.returncode}, expected 0")
    if stale.exists():
        fail(f"an earlier run's results are still in {out}")
    cases = junit_cases(out)
    for name in ("bring-your-own channels", "byo.moodycamel.stress", "byo.moodycamel.properties",
                 "byo.moodycamel_broken.stress", "byo.moodycamel_broken.properties", "byo.locked_queue.properties"):
        if name not in cases:
            fail(f"JUnit lacks '{name}': {sorted(cases)}")
    reported = sorted(d.name for d in (out / "byo").iterdir())
    expected = ["chancheck_mpmc", "locked_queue", "moodycamel"]
    if reported != expected:
        fail(f"the report's bring-your-own directories are {reported}, expected {expected}")
    html = (out / "report.html").read_text(encoding="utf-8")
    for channel in expected:
        if f'data-channel="{channel}" data-flavor="adapter"' not in html:
            fail(f"the report's matrix has no row for {channel} (flavor adapter)")
    if "controlled: moodycamel/" not in html:
        fail("the report has no controlled-scheduling cases of moodycamel")
    for broken in ("moodycamel_broken", "chancheck_mpmc_lost_wakeup"):
        if broken in html:
            fail(f"the deliberately broken channel {broken} reached the report")
    if "safe to merge" not in html or "verify: PASS" not in p.stdout:
        fail("the gate on the bring-your-own channels did not pass")
    print("verify --engine byo: JUnit cases, one matrix row per channel under test, the broken one left out")


if __name__ == "__main__":
    checks = {"pass": check_pass, "mutant": check_mutant, "byo": check_byo}
    if len(sys.argv) != 4 or sys.argv[1] not in checks:
        print(__doc__)
        sys.exit(2)
    checks[sys.argv[1]](sys.argv[2], sys.argv[3])
