#!/usr/bin/env python3
"""property_tests/concurrent/check_replay.py — replays every counterexample of a results file.

Usage: check_replay.py RESULTS.json BINARY

Validates a concurrent_properties results file (schema chancheck.property-results/2,
harness/RESULTS.md) and, for every property that failed under the deterministic scheduler
(engine sched_sync) or under controlled scheduling (engine controlled) — a real-threads failure has no
exact schedule to replay —, runs BINARY with the recorded
--property, --program and --schedule, requiring the replay to fail with the same kind. The
arguments are passed as a list, never through a shell: a results file is untrusted input.
Exit status: 0 every counterexample replayed, 1 a check failed, 2 bad usage or file.
"""
import os
import subprocess
import sys

# One field checker for every results file (models/check_replay.py), over the report's
# schemas (reports/chancheck_report/schemas.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models"))
from check_replay import S, check_fields, load_results  # noqa: E402


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, binary = argv[1], argv[2]
    data, errors = load_results(path, S.PROPERTY_TOP, S.PROPERTY)
    if data is None:
        return 2
    replayed = 0
    for i, p in enumerate(data.get("properties", [])):
        where = f"{path}: properties[{i}]"
        errors += check_fields(p, S.PROPERTY_ITEM, where)
        if p.get("verdict") != "fail":
            continue
        if p.get("engine") == "real_threads":
            # Real threads have no schedule to replay: the command reruns the program, which
            # fails again only with some probability. Nothing exact to check.
            print(f"not replayed (real threads, no exact schedule): {p['property']}")
            continue
        ce = p.get("counterexample") or {}
        if not all(isinstance(ce.get(k), str) for k in ("program", "schedule")):
            errors.append(f"{where}: a failure without a counterexample")
            continue
        args = [binary, "--property", p["property"], "--program", ce["program"], "--schedule", ce["schedule"]]
        run = subprocess.run(args, capture_output=True, text=True, timeout=120)
        want = f"FAILED: {p.get('failure_kind')}"
        if run.returncode != 1 or want not in run.stdout:
            errors.append(f"{where}: replay of {p['property']} did not end with '{want}' "
                          f"(exit {run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
        else:
            replayed += 1
            print(f"replayed {p['property']}: {p.get('failure_kind')}")
    for e in errors:
        print(e, file=sys.stderr)
    print(f"{replayed} counterexample(s) replayed, {len(errors)} problem(s)")
    return 0 if not errors and replayed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
