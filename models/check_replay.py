#!/usr/bin/env python3
"""models/check_replay.py — checks a model results file and replays its failures.

Usage: check_replay.py RESULTS.json [--max N]

Validates the file against harness/RESULTS.md (schema chancheck.model-results/2: required
fields and their types, from reports/chancheck_report/schemas.py), then, for every run whose
channel failed (a caught mutant or a broken
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

# The fields and their types live once, in the report's reader (harness/RESULTS.md).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reports"))
from chancheck_report import schemas as S  # noqa: E402


def check_fields(obj, spec, where):
    """Problems of `obj` against a schemas.py field list (required fields and types)."""
    norm, problems = S.validate(obj, spec, where)
    return problems if norm is not None or problems else [f"{where}: unusable"]


def load_results(path, top_fields, schema):
    """A results file and the problems of its top level: (data, errors), or (None, None)
    after saying on stderr why it could not be read."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"check_replay: cannot read {path}: {e}", file=sys.stderr)
        return None, None
    errors = check_fields(data, top_fields, path)
    if data.get("schema") != schema:
        errors.append(f"{path}: schema is {data.get('schema')!r}, expected {schema!r}")
    if data.get("complete") is not True:
        errors.append(f"{path}: the run did not complete")
    return data, errors


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    limit = int(argv[3]) if len(argv) > 3 and argv[2] == "--max" else None
    data, errors = load_results(path, S.MODEL_TOP, S.MODEL)
    if data is None:
        return 2
    runs = data.get("runs", [])
    for i, run in enumerate(runs):
        errors += check_fields(run, S.MODEL_RUN, f"{path}: runs[{i}]")
        # The verdict is the channel's behaviour: pass exactly when the outcome is success.
        if run.get("verdict") != ("pass" if run.get("outcome") == "success" else "fail"):
            errors.append(f"{path}: runs[{i}] verdict disagrees with its outcome")
    if errors:
        print("\n".join(errors))
        return 1

    failed = [r for r in runs if r["verdict"] == "fail"]
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
