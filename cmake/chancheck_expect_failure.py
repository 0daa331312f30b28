#!/usr/bin/env python3
"""chancheck_expect_failure.py — passes only when a chancheck engine run fails the expected way.

    chancheck_expect_failure.py --kind PREFIX --results FILE -- COMMAND...

Runs COMMAND (never through a shell); requires exit status 1 (the engine's "a check failed"; 2 is
bad usage, 3 a hang, anything else a crash) and a results FILE (chancheck.stress-summary/2,
chancheck.property-results/2 or chancheck.model-results/2: the schema names come from the
report's reader, reports/chancheck_report/schemas.py) in which some run or property has a
failure_kind starting with PREFIX. Used by chancheck_add_channel for a deliberately broken
channel (EXPECT_*_FAILURE).
"""
import json
import os
import pathlib
import subprocess
import sys

# The schema names live once, in the report's reader.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reports"))
from chancheck_report import schemas as S  # noqa: E402


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def failure_kinds(data):
    if data.get("schema") == S.STRESS_SUMMARY:
        return [r.get("failure_kind") for r in data.get("runs", [])]
    if data.get("schema") == S.PROPERTY:
        return [p.get("failure_kind") for p in data.get("properties", [])]
    if data.get("schema") == S.MODEL:
        return [r.get("failure_kind") for r in data.get("runs", [])]
    fail(f"unknown results schema {data.get('schema')!r}")


def main(argv):
    if "--" not in argv:
        fail("usage: chancheck_expect_failure.py --kind PREFIX --results FILE -- COMMAND...")
    split = argv.index("--")
    opts, command = argv[:split], argv[split + 1:]
    if len(opts) != 4 or opts[0] != "--kind" or opts[2] != "--results" or not command:
        fail("usage: chancheck_expect_failure.py --kind PREFIX --results FILE -- COMMAND...")
    prefix, results = opts[1], pathlib.Path(opts[3])
    if results.exists():
        results.unlink()  # a file from an earlier run must not answer for this one
    p = subprocess.run(command, capture_output=True, text=True)
    print(p.stdout[-20000:])
    if p.returncode != 1:
        fail(f"exit status {p.returncode}, expected 1 (a check failed)\n{p.stderr[-4000:]}")
    if not results.exists():
        fail(f"the run wrote no results file {results}")
    kinds = [k for k in failure_kinds(json.loads(results.read_text())) if k]
    caught = [k for k in kinds if k.startswith(prefix)]
    if not caught:
        fail(f"no failure of kind {prefix!r} in {results}; failures seen: {sorted(set(kinds)) or 'none'}")
    print(f"expected failure found: {caught[0]} ({len(caught)} of {len(kinds)} failures in {results.name})")


if __name__ == "__main__":
    main(sys.argv[1:])
