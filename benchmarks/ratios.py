#!/usr/bin/env python3
"""benchmarks/ratios.py — the ratio table of one channel_benchmark run.

Usage: ratios.py RESULTS.json

Reads the Google Benchmark JSON that channel_benchmark wrote (scripts/bench) and prints, as
a Markdown table, for every grid cell "<scenario>/<flavor>": the median items/s over the
repetitions of chancheck's lock-free and locked flavors and of the best peer in that cell
(any subject that is not chancheck; the mutex + condvar + deque baseline counts as a
peer), and the ratios lock-free / best peer and locked / best peer. Ratios are of items/s
(messages, or round trips for ping_pong, per second of wall-clock time): above 1 means
chancheck is faster. For ping_pong it adds the lock-free round trip over the floor row
(ping_pong/floor/atomic_cache_line). A benchmark that reported an error (a wrong delivery)
is shown as ERROR, listed at the end, and makes the exit status 1. Standard library only.
"""
import json
import statistics
import sys

CHANCHECK = ("chancheck_lock_free", "chancheck_locked")
FLOOR = "ping_pong/floor/atomic_cache_line"


def load_medians(path):
    """{benchmark name without /real_time: (median items/s, repetitions)}, errors as None."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    samples, errors = {}, set()
    for b in data.get("benchmarks", []):
        if b.get("run_type") != "iteration":
            continue
        name = b["run_name"] if "run_name" in b else b["name"]
        name = name.replace("/real_time", "")
        if b.get("error_occurred"):
            errors.add(name)
            continue
        samples.setdefault(name, []).append(float(b["items_per_second"]))
    medians = {n: (statistics.median(v), len(v)) for n, v in samples.items()}
    for n in errors:
        medians[n] = None
    return data.get("context", {}), medians


def fmt_rate(x):
    if x is None:
        return "ERROR"
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= scale:
            return f"{x / scale:.3g}{unit}"
    return f"{x:.3g}"


def fmt_ratio(a, b):
    if a is None or b is None:
        return "—"
    return f"{a / b:.2f}"


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    context, medians = load_medians(argv[1])

    cells = {}  # "<scenario>/<flavor>" -> {subject: (median, reps) or None}
    for name, value in medians.items():
        if name == FLOOR:
            continue
        parts = name.split("/")
        if len(parts) != 3:
            continue
        cells.setdefault(parts[0] + "/" + parts[1], {})[parts[2]] = value

    floor = medians.get(FLOOR)
    floor_ns = 1e9 / floor[0] if floor else None

    print(f"Run: {context.get('date', '?')}, {context.get('num_cpus', '?')} CPUs, "
          f"N = {context.get('chancheck_messages', '?')} messages, T = {context.get('chancheck_threads', '?')}, "
          f"ping_pong rounds = {context.get('chancheck_ping_pong_rounds', '?')}")
    print("Medians of items/s over the repetitions; ratio = chancheck / best peer (> 1: chancheck faster).")
    if floor_ns is not None:
        print(f"Floor (two threads on one atomic): {floor_ns:.0f} ns per round trip.")
    print()
    print("| cell | lock-free | locked | best peer | peer items/s | lock-free / peer | locked / peer | reps |")
    print("|---|---|---|---|---|---|---|---|")
    for cell in sorted(cells, key=lambda c: (c.split("/")[0], c)):
        subjects = cells[cell]
        lf = subjects.get("chancheck_lock_free")
        lk = subjects.get("chancheck_locked")
        peers = {s: v for s, v in subjects.items() if s not in CHANCHECK and v is not None}
        best = max(peers, key=lambda s: peers[s][0]) if peers else None
        best_rate = peers[best][0] if best else None
        lf_rate = lf[0] if lf else None
        lk_rate = lk[0] if lk else None
        reps = max((v[1] for v in subjects.values() if v), default=0)
        note = ""
        if cell.startswith("ping_pong/") and lf_rate and floor_ns:
            note = f" (lock-free round trip {1e9 / lf_rate:.0f} ns = {1e9 / lf_rate / floor_ns:.1f}x floor)"
        print(f"| {cell}{note} | {fmt_rate(lf_rate) if lf else 'ERROR' if 'chancheck_lock_free' in subjects else '—'} "
              f"| {fmt_rate(lk_rate) if lk else 'ERROR' if 'chancheck_locked' in subjects else 'no cell'} "
              f"| {best or 'no peer has this cell'} | {fmt_rate(best_rate) if best else '—'} "
              f"| {fmt_ratio(lf_rate, best_rate)} | {fmt_ratio(lk_rate, best_rate)} | {reps} |")
    errors = sorted(n for n, v in medians.items() if v is None)
    for n in errors:
        print(f"ERROR: {n} reported an error (see the benchmark output)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
