#!/usr/bin/env python3
"""search/check_replay.py RESULTS PROGRAM: every failure in chancheck_search's results file
replays with its schedule to a failure of the same kind (exit status 1 and the kind printed).

The results file is untrusted input: the replay runs PROGRAM with the case name and schedule
as arguments (no shell), and only after both were checked against the forms the search writes.
"""
import json
import re
import subprocess
import sys

CASE = re.compile(r"^[a-z0-9_/@]+$")
SCHEDULE = re.compile(r"^rw/[0-9.]*/tail=0$")


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: check_replay.py RESULTS PROGRAM", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        results = json.load(f)
    if results.get("schema") != "chancheck-search/1":
        print(f"{sys.argv[1]}: not a chancheck-search/1 results file", file=sys.stderr)
        return 1
    failures = [c for c in results["cases"] if "failure" in c]
    if not failures:
        print(f"{sys.argv[1]}: no failure to replay", file=sys.stderr)
        return 1
    bad = 0
    for c in failures:
        name, schedule, kind = c["case"], c["failure"]["schedule"], c["failure"]["kind"]
        if not CASE.match(name) or not SCHEDULE.match(schedule):
            print(f"{name!r}: case name or schedule {schedule!r} is not of the search's form")
            bad += 1
            continue
        run = subprocess.run([sys.argv[2], "--case", name, "--replay", schedule], capture_output=True, text=True,
                             timeout=120, check=False)
        first = run.stdout.splitlines()[0] if run.stdout else ""
        if run.returncode != 1 or not first.endswith(": " + kind):
            print(f"{name}: replay of {schedule} ended with status {run.returncode}: {first!r}, expected {kind}")
            bad += 1
        else:
            print(f"{name}: replays to {kind}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
