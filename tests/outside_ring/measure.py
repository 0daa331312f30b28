#!/usr/bin/env python3
"""measure.py — how often chancheck's bring-your-own gates catch each seeded bug of an outside
channel library (tests/outside_ring: ring::bounded, plain std::mutex/std::condition_variable/
std::atomic), and whether each controlled-scheduling counterexample replays.

    measure.py (--source CHANCHECK_SOURCE | --prefix CHANCHECK_PREFIX) --work DIR --cxx CXX
               [--runs N] [--bugs 0,1,2,3] [--engines stress,properties,benchmark,controlled]
               [--expect]

For each RING_BUG variant it configures the project (one build directory; it must list only
its own tests), builds it (RING_ENGINES = the engines
asked for; default: chancheck_add_channel's defaults), then runs each engine's ctest test N
times (fresh seeds each time, the quick budget) and, for every case the controlled engine
failed and every counterexample the property engine found under controlled scheduling, its
printed replay command, which must fail the same way. It prints a table: per
variant and engine, the runs that failed (a catch for a seeded bug, a false alarm for the
correct library), and the replays that reproduced. With --expect it exits 1 unless the correct
library passed every run of every engine, the controlled engine caught every seeded bug in
every run, and every replay reproduced.
"""
import argparse
import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
BUGS = {
    0: "correct",
    1: "try_recv reads the sender count after the queue",
    2: "sender count decremented as load-then-store",
    3: "lost wake-up with two blocked senders",
}
DEFAULT_ENGINES = ["stress", "properties", "benchmark", "controlled"]


def run(command, check=True, **kw):
    p = subprocess.run([str(c) for c in command], capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)
    if check and p.returncode != 0:
        print(f"$ {' '.join(str(c) for c in command)}\nexit status {p.returncode}\n{p.stdout[-4000:]}\n{p.stderr[-4000:]}")
        sys.exit(2)
    return p


def build(args, bug, engines):
    # One build directory, reconfigured per variant: only the channel's executables rebuild.
    b = pathlib.Path(args.work) / "build"
    where = [f"-DCHANCHECK_SOURCE_DIR={args.source}"] if args.source else [f"-DCMAKE_PREFIX_PATH={args.prefix}"]
    run(["cmake", "-G", "Ninja", "-S", HERE, "-B", b, f"-DCMAKE_CXX_COMPILER={args.cxx}", f"-DRING_BUG={bug}",
         f"-DRING_ENGINES={';'.join(engines)}", *where])
    # Brought in by add_subdirectory or find_package, chancheck adds none of its own tests.
    listed = run(["ctest", "--test-dir", b, "-N"]).stdout
    names = {line.split(":", 1)[1].strip() for line in listed.splitlines() if line.strip().startswith("Test") and "#" in line}
    wanted = {f"byo.outside_ring.{e}" for e in engines}
    if "benchmark" in engines:
        wanted.add("byo.outside_ring.benchmark_dir")
    if names != wanted:
        print(f"the project's ctest list is {sorted(names)}, expected its own tests {sorted(wanted)}")
        sys.exit(2)
    run(["cmake", "--build", b, "-j", "2", "--target", *[f"outside_ring-{e}" for e in engines]])
    return b


# The results files whose failures replay exactly: the controlled engine's cases, and the
# property engine's counterexamples under controlled scheduling (not its real-thread reruns).
# Each with what a replay's output must show: the case and its kind, or "FAILED: <kind>".
EXACT_REPLAYS = {
    "controlled": ("controlled/outside_ring-controlled.controlled.json", lambda p: True,
                   lambda name, kind, out: kind in out and name in out),
    "properties": ("properties/outside_ring-properties.adapter.json", lambda p: p.get("engine") == "controlled",
                   lambda name, kind, out: f"FAILED: {kind}" in out),
}


def failures(build_dir, engine):
    """[(case or property, failure kind, replay command)] of an engine's last run that replay exactly."""
    file, keep, _ = EXACT_REPLAYS[engine]
    path = build_dir / "results" / "byo" / "outside_ring" / file
    if not path.exists():
        return []
    doc = json.loads(path.read_text())
    return [(p["property"], p["failure_kind"], p["replay"]) for p in doc["properties"]
            if p["verdict"] == "fail" and keep(p) and p.get("replay")]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--source", help="chancheck's source tree (add_subdirectory)")
    where.add_argument("--prefix", help="an installed chancheck (find_package)")
    p.add_argument("--work", required=True)
    p.add_argument("--cxx", default="g++-12")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--bugs", default="0,1,2,3")
    p.add_argument("--engines", default=",".join(DEFAULT_ENGINES))
    p.add_argument("--expect", action="store_true")
    args = p.parse_args()
    # Absolute: the project is configured from its own directory, where "." is another tree.
    args.source = str(pathlib.Path(args.source).resolve()) if args.source else None
    args.prefix = str(pathlib.Path(args.prefix).resolve()) if args.prefix else None
    args.work = str(pathlib.Path(args.work).resolve())
    bugs = [int(b) for b in args.bugs.split(",")]
    engines = args.engines.split(",")
    unknown = [e for e in engines if e not in DEFAULT_ENGINES]
    if unknown or any(b not in BUGS for b in bugs):
        p.error(f"engines are {DEFAULT_ENGINES}, bugs {sorted(BUGS)}")
    os.environ["CHANCHECK_BUDGET"] = "quick"
    shutil.rmtree(args.work, ignore_errors=True)
    table, problems = [], []
    for bug in bugs:
        b = build(args, bug, engines)
        failed = {e: 0 for e in engines}
        replays = {e: [0, 0] for e in EXACT_REPLAYS}  # engine -> [replays run, reproduced]
        kinds = {e: set() for e in EXACT_REPLAYS}
        for _ in range(args.runs):
            shutil.rmtree(b / "results", ignore_errors=True)
            for e in engines:
                r = run(["ctest", "--test-dir", b, "-R", f"^byo\\.outside_ring\\.{e}"], check=False)
                if r.returncode != 0:
                    failed[e] += 1
            for engine, (_, _, reproduces) in EXACT_REPLAYS.items():
                for name, kind, replay in failures(b, engine):
                    kinds[engine].add(kind)
                    replays[engine][0] += 1
                    out = run(shlex.split(replay), check=False)
                    if out.returncode == 1 and reproduces(name, kind, out.stdout):
                        replays[engine][1] += 1
                    else:
                        problems.append(f"bug {bug}: the replay of {engine} {name} did not fail with {kind}: {replay}")
        replayed = {e: f"{n[1]}/{n[0]}" for e, n in replays.items()}
        table.append((bug, failed, replayed, kinds))
        cells = ", ".join(f"{e} {failed[e]}/{args.runs}" for e in engines)
        print(f"variant {bug} ({BUGS[bug]}): {cells}; replays reproduced: controlled {replayed['controlled']}, "
              f"properties under controlled scheduling {replayed['properties']}", flush=True)
        if args.expect:
            if bug == 0 and any(failed.values()):
                problems.append(f"the correct library failed: {failed}")
            if bug != 0 and "controlled" in engines and failed["controlled"] != args.runs:
                problems.append(f"bug {bug} ({BUGS[bug]}): controlled caught it in {failed['controlled']} of {args.runs} runs")
    print(f"\n{args.runs} runs per variant, quick budget, fresh seeds; a cell is the runs in which the engine's test failed")
    print("| variant | " + " | ".join(engines) + " | replays that reproduced (controlled; properties) | failure kinds (controlled; properties) |")
    print("|---|" + "---|" * len(engines) + "---|---|")
    for bug, failed, replayed, kinds in table:
        cells = " | ".join(f"{failed[e]}/{args.runs}" for e in engines)
        print(f"| {bug}: {BUGS[bug]} | {cells} | {replayed['controlled']}; {replayed['properties']} | "
              f"{', '.join(sorted(kinds['controlled'])) or '-'}; {', '.join(sorted(kinds['properties'])) or '-'} |")
    for problem in problems:
        print("PROBLEM: " + problem)
    if args.expect and problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
