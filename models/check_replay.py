#!/usr/bin/env python3
"""models/check_replay.py — checks a model results file and replays its failures.

Usage: check_replay.py RESULTS.json [--max N]

Validates the file against harness/RESULTS.md (schema chancheck.model-results/1: required
fields and their types), then, for every run that failed (a caught mutant or a broken
reference flavor), executes its `replay` command and checks that the replay ends with the
same outcome. This is what keeps "every failure carries the one command that replays it"
true. The command is split with shlex and run without a shell: a results file is untrusted
input, and only model programs named `*_model` next to each other are ever executed.
Exit status: 0 all good, 1 a check failed, 2 bad usage or unreadable file.
"""
import json
import os
import re
import shlex
import subprocess
import sys

TOP = {"schema": str, "engine": str, "program": str, "scheduler": str, "budget": str,
       "iteration_budget": int, "started": str, "complete": bool, "passed": int, "failed": int,
       "runs": list}
RUN = {"case": str, "scenario": str, "channel": str, "flavor": str, "mutant": (str, type(None)),
       "scheduler": str, "iterations": int, "seconds": (int, float), "expected": str, "outcome": str,
       "verdict": str, "failure_kind": (str, type(None)), "replay": str, "history": (str, type(None)),
       "detail": (str, type(None))}


def check_fields(obj, spec, where):
    errors = []
    for name, kind in spec.items():
        if name not in obj:
            errors.append(f"{where}: missing field '{name}'")
        elif isinstance(obj[name], bool) and kind in (int, (int, float)):
            errors.append(f"{where}: field '{name}' is a boolean, expected {kind}")
        elif not isinstance(obj[name], kind):
            errors.append(f"{where}: field '{name}' has type {type(obj[name]).__name__}")
    return errors


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    limit = int(argv[3]) if len(argv) > 3 and argv[2] == "--max" else None
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"check_replay: cannot read {path}: {e}", file=sys.stderr)
        return 2

    errors = check_fields(data, TOP, path)
    if data.get("schema") != "chancheck.model-results/1":
        errors.append(f"{path}: schema is {data.get('schema')!r}, expected 'chancheck.model-results/1'")
    if data.get("complete") is not True:
        errors.append(f"{path}: the run did not complete")
    runs = data.get("runs", [])
    for i, run in enumerate(runs):
        errors += check_fields(run, RUN, f"{path}: runs[{i}]")
        # `expected` is "success" or the failure kinds a seeded bug may show as, " | "-separated.
        accepted = str(run.get("expected", "")).split(" | ")
        if run.get("verdict") != ("pass" if run.get("outcome") in accepted else "fail"):
            errors.append(f"{path}: runs[{i}] verdict disagrees with outcome/expected")
    if errors:
        print("\n".join(errors))
        return 1

    failed = [r for r in runs if r["failure_kind"] is not None]
    if limit is not None:
        failed = failed[:limit]
    replayed = 0
    for run in failed:
        argv_replay = shlex.split(run["replay"])
        exe = argv_replay[0] if argv_replay else ""
        if not re.fullmatch(r"[\w./-]*_model", exe) or not os.path.isfile(exe):
            print(f"{run['case']}: refusing to run replay command {run['replay']!r} (not a model program)")
            return 1
        proc = subprocess.run(argv_replay, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
        first = proc.stdout.splitlines()[0] if proc.stdout else ""
        m = re.search(r"outcome=(\S+)", first)
        got = m.group(1) if m else "<no outcome line>"
        if got != run["outcome"]:
            print(f"{run['case']}: replay ended with {got}, the run with {run['outcome']}\n  command: {run['replay']}")
            return 1
        replayed += 1
        print(f"replayed {run['case']}: {got} at iteration {run['iterations']}")
    print(f"{path}: {len(runs)} runs valid, {replayed} failures replayed with the same outcome")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
