#!/usr/bin/env python3
"""models/check_crash_report.py — a model case that crashes its process still reaches the report.

Usage: check_crash_report.py MODEL_PROGRAM WORK_DIR REPO_DIR

Runs MODEL_PROGRAM's self-test case `self_test/crash` (its thread raises SIGSEGV, as a use
after free in channel code can) with --results WORK_DIR/results, then checks that
  - the process died of SIGSEGV, and its stderr names the case and the replay command
    (harness/crash_note.hpp);
  - the results file, left with "complete": false, has an entry for the case with outcome
    "crash" and the replay command (models/common/json_results.hpp);
  - the HTML report over those results shows the case name and the replay command, and says FAIL.
Exit status: 0 all held, 1 a check failed.
"""
import html
import json
import os
import shutil
import signal
import subprocess
import sys

CASE = "self_test/crash"


def fail(message):
    print(f"check_crash_report: {message}", file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    program, work, repo = argv[1:]
    shutil.rmtree(work, ignore_errors=True)
    results = os.path.join(work, "results")
    models = os.path.join(results, "models")
    run = subprocess.run([program, "--case", CASE, "--results", models], capture_output=True, text=True,
                         timeout=300, stdin=subprocess.DEVNULL)
    if run.returncode != -signal.SIGSEGV:
        fail(f"expected the program to die of SIGSEGV, it exited with {run.returncode}:\n{run.stdout}{run.stderr}")
    note = f"crashed with SIGSEGV during case {CASE}; replay: "
    if note not in run.stderr or f"--case {CASE}" not in run.stderr.split(note, 1)[1]:
        fail(f"stderr does not name the case and its replay:\n{run.stderr}")

    name = os.path.basename(program)
    path = os.path.join(models, f"{name}.random.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"no readable results file {path}: {e}")
    if data.get("complete") is not False:
        fail(f"{path}: a crashed run must say complete: false")
    entries = [r for r in data.get("runs", []) if r.get("case") == CASE]
    if len(entries) != 1:
        fail(f"{path}: expected one entry for {CASE}, found {len(entries)}")
    entry = entries[0]
    if entry.get("outcome") != "crash" or entry.get("verdict") != "fail" or f"--case {CASE}" not in entry.get("replay", ""):
        fail(f"{path}: the entry does not name the crash and its replay: {entry}")

    page = os.path.join(work, "report.html")
    report = subprocess.run(["/usr/bin/python3", os.path.join(repo, "reports", "generate.py"), results, "-o", page],
                            capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    if report.returncode != 1 or not os.path.isfile(page):
        fail(f"the report must be written with verdict FAIL (exit 1), got {report.returncode}:\n"
             f"{report.stdout}{report.stderr}")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    for needle in (CASE, entry["replay"]):
        if html.escape(needle, quote=False) not in text and html.escape(needle) not in text:
            fail(f"the report does not show {needle!r}")
    print(f"{CASE}: died of SIGSEGV; stderr, {os.path.basename(path)} and the report name the case and its replay")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
