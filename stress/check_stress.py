#!/usr/bin/env python3
"""Checks of the stress driver that look at its output files (ctest runs them).

  check_stress.py bad-input EXE        bad options fail with status 2 and name the problem
  check_stress.py stuck EXE DIR        a hanging channel fails through the watchdog, with a dump
  check_stress.py results DIR          every run and summary file parses and has its fields
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

# The fields and their types live once, in the report's reader (harness/RESULTS.md).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reports"))
from chancheck_report import schemas as S  # noqa: E402


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def require_valid(obj, spec, where):
    """`obj` checked against a schema spec of reports/chancheck_report/schemas.py; any problem fails."""
    norm, problems = S.validate(obj, spec, where)
    if problems or norm is None:
        fail("; ".join(problems) or f"{where}: unusable")
    return norm


def check_bad_input(exe):
    cases = [
        (["--kind", "mpsc", "--consumers", "2"], "--consumers must be 1"),
        (["--kind", "queue"], "--kind: queue not in {mpsc,mpmc,broadcast,oneshot,select}"),
        (["--capacity", "lots"], "--capacity needs a whole number or unbounded, got 'lots'"),
        (["--duration", "5"], "needs a duration with a unit"),
        (["--kind", "broadcast", "--capacity", "unbounded"], "broadcast does not support that capacity"),
        (["--mutant", "array_relaxed_publish", "--kind", "mpsc"], "is built for --kind mpmc only"),
        (["--flavor", "array", "--kind", "mpsc"], "--flavor array: mpsc at capacity unbounded is list"),
        (["--expect", "nonsense=watchdog", "--bug-zoo"], "--expect needs MUTANT or MUTANT=KIND"),
        (["--frobnicate"], "The following argument was not expected: --frobnicate"),
    ]
    for args, expected in cases:
        p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=60)
        if p.returncode != 2:
            fail(f"{args}: exit status {p.returncode}, expected 2\n{p.stdout}{p.stderr}")
        if expected not in p.stderr:
            fail(f"{args}: stderr does not say {expected!r}:\n{p.stderr}")
    print(f"{len(cases)} bad inputs rejected with a message naming the problem")


def check_stuck(exe, out_dir):
    out = pathlib.Path(out_dir)
    shutil.rmtree(out, ignore_errors=True)  # an earlier run's files are not this run's
    # Consumer 0 blocks forever; consumer 1 spins on Lagged, which must not count as progress.
    cmd = [exe, "--channel", "stuck", "--producers", "2", "--consumers", "2", "--messages", "50", "--watchdog", "1s",
           "--hard-limit", "120s", "--results", str(out)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    print(p.stdout)
    if p.returncode != 1:
        fail(f"exit status {p.returncode}, expected 1 (a failed run)")
    if "deadlock or livelock suspected" not in p.stdout:
        fail("the output does not carry the watchdog's verdict")
    if "replay:" not in p.stdout:
        fail("the output does not carry a replay command")
    runs = list((out / "stress" / "runs").glob("stuck.*.json"))
    if len(runs) != 1:
        fail(f"expected one run file, found {runs}")
    run = json.loads(runs[0].read_text())
    if run["failure_kind"] != "watchdog":
        fail(f"failure_kind {run['failure_kind']!r}, expected 'watchdog' (a hard-limit kill is 'hang')")
    if run["exit"]["timed_out"]:
        fail("the run was killed at the hard limit: the watchdog did not end it")
    dump = (run.get("outcome") or {}).get("watchdog_dump") or ""
    for needle in ["deadlock or livelock suspected", "thread 2 (consumer 0): in recv", "thread 3 (consumer 1)",
                   "producer 0", "finished"]:
        if needle not in dump:
            fail(f"the watchdog dump lacks {needle!r}:\n{dump}")
    if "--channel stuck" not in run["replay"]:
        fail(f"the replay command does not name the run: {run['replay']}")
    print(f"watchdog fired after {run['wall_seconds']:.2f} s wall (watchdog 1 s); dump:\n{dump}")


def check_results(directory):
    d = pathlib.Path(directory)
    summaries = sorted(d.glob("summary.*.json"))
    # The run files the summaries list (a file no summary lists is left from an earlier run).
    runs = sorted({pathlib.Path(r["file"]) for p in summaries for r in json.loads(p.read_text()).get("runs", [])
                   if r.get("file")})
    if not summaries or not runs:
        fail(f"no summary or run files under {d}")
    for path in runs:
        run = json.loads(path.read_text())
        require_valid(run, S.STRESS_RUN_TOP, str(path))
        if run["schema"] != S.STRESS_RUN:
            fail(f"{path}: schema {run['schema']!r}")
        if run["verdict"] not in ("pass", "fail"):
            fail(f"{path}: verdict {run['verdict']!r}")
        if (run["verdict"] == "pass") != (run["failure_kind"] is None):
            fail(f"{path}: verdict {run['verdict']} with failure_kind {run['failure_kind']!r}")
        if run["outcome"] is not None:
            require_valid(run["outcome"], S.STRESS_OUTCOME, f"{path}: outcome")
        if run["verdict"] == "pass" and run["outcome"]["constructed"] != run["outcome"]["destroyed"]:
            fail(f"{path}: a passing run with unbalanced messages")
        if run["failure_kind"] and run["failure_kind"].split(":")[0] in ("tsan", "asan", "lsan", "ubsan") \
                and not run["sanitizer_report"]:
            fail(f"{path}: a sanitizer failure without the report")
    for path in summaries:
        s = json.loads(path.read_text())
        require_valid(s, S.STRESS_SUMMARY_TOP, str(path))
        if s["schema"] != S.STRESS_SUMMARY or not s["complete"]:
            fail(f"{path}: schema {s['schema']!r}, complete {s['complete']}")
        for r in s["runs"]:
            require_valid(r, S.STRESS_SUMMARY_RUN, f"{path}: runs")
            if r["file"] and not pathlib.Path(r["file"]).exists():
                fail(f"{path}: run file {r['file']} does not exist")
    print(f"{len(runs)} run files and {len(summaries)} summaries are well formed")


def main(argv):
    if len(argv) == 3 and argv[1] == "bad-input":
        check_bad_input(argv[2])
    elif len(argv) == 4 and argv[1] == "stuck":
        check_stuck(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "results":
        check_results(argv[2])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
