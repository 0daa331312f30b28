"""benchmarks.py — what the page shows of the Google Benchmark runs (benchmarks/README.md).

channel_benchmark names are "<scenario>/<capacity>/<subject>/real_time" on crossbeam-channel's
grid; `items_per_second` counts messages (round trips for ping_pong) and the `round_trip`
counter is seconds per round trip. Statistics use the per-repetition entries
(run_type "iteration"), never the aggregates, as benchmarks/ratios.py does: medians over the
repetitions, with min and max. The ratio of a chancheck implementation (lock-free or locked) to the best peer of its cell is
of items/s (above 1: chancheck is faster); the best peer is the fastest subject that is not
chancheck (the mutex + condvar deque counts as a peer). `ping_pong/floor/atomic_cache_line`
is the physical floor of a round trip. Skipped cells and their reasons come from the context
("skipped <cell> <subject>": reason). Other benchmark files (linearizability_benchmark) are shown
as tables. A benchmark that reported an error (a wrong delivery) is listed as an error.
"""
import os
import statistics
from dataclasses import dataclass, field

SCENARIO_ORDER = ("seq", "spsc", "mpsc", "mpmc", "select_rx", "select_both", "ping_pong")
FLAVOR_ORDER = ("bounded0", "bounded1", "boundedN", "unbounded")
CHANCHECK = ("chancheck_lock_free", "chancheck_locked")
FLOOR = "ping_pong/floor/atomic_cache_line"
CHANNEL_FILE = "channel_benchmark.json"
TO_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass
class Stat:
    median: float
    low: float
    high: float
    n: int


def stat(values):
    return Stat(statistics.median(values), min(values), max(values), len(values)) if values else None


@dataclass
class RatioRow:
    scenario: str
    capacity: str
    lock_free: Stat
    locked: Stat
    best_peer: str
    best: Stat
    lock_free_ratio: float
    locked_ratio: float


@dataclass
class LatencyRow:
    capacity: str
    subject: str
    round_trip_ns: Stat
    over_floor: float


@dataclass
class ChannelBench:
    sources: list
    context: dict
    subjects: list                      # ordered: chancheck first, then peers by name
    grid: dict                          # scenario -> capacity -> subject -> Stat of items/s
    floor_ns: Stat = None
    ratios: list = field(default_factory=list)
    latency: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (cell, subject, reason)
    repetitions: tuple = (0, 0)
    off_grid: list = field(default_factory=list)  # TableRow of names that do not fit the grid

    @property
    def scenarios(self):
        known = [s for s in SCENARIO_ORDER if s in self.grid]
        return known + sorted(s for s in self.grid if s not in SCENARIO_ORDER)


@dataclass
class TableRow:
    name: str
    real_time: Stat
    time_unit: str
    items_per_second: Stat


@dataclass
class OtherBench:
    source: str
    rows: list


@dataclass
class Benchmarks:
    channel: ChannelBench = None
    others: list = field(default_factory=list)
    errors: list = field(default_factory=list)   # (source, benchmark name, message)
    measured_seconds: float = 0.0                # sum of real_time × iterations over the repetitions
    sources: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)  # (source, name): a second file had it too

    @property
    def empty(self):
        return self.channel is None and not self.others


def iterations_of(doc):
    """{benchmark name: [iteration entries]} of one Google Benchmark document (aggregates left out)."""
    out = {}
    for b in doc.data["benchmarks"]:
        if b["run_type"] != "iteration":
            continue
        out.setdefault(b["run_name"] or b["name"], []).append(b)
    return out


def build(documents):
    model = Benchmarks()
    channel_entries, channel_sources, context = {}, [], {}
    for doc in documents:
        model.sources.append(doc.path)
        entries = iterations_of(doc)
        for name, reps in entries.items():
            for b in reps:
                if b["real_time"] is not None:
                    model.measured_seconds += b["real_time"] * b["iterations"] * TO_SECONDS.get(b["time_unit"], 0)
            errors = [b for b in reps if b["error_occurred"]]
            if errors:
                model.errors.append((doc.path, name, errors[0]["error_message"] or "error"))
        if os.path.basename(doc.path) == CHANNEL_FILE:
            channel_sources.append(doc.path)
            context = context or doc.data["context"]
            for name, reps in entries.items():
                if name in channel_entries:
                    model.duplicates.append((doc.path, name))
                    continue
                channel_entries[name] = reps
        else:
            model.others.append(_table(doc.path, entries))
    if channel_entries:
        model.channel = _channel(channel_sources, context, channel_entries)
    return model


def _table(source, entries):
    return OtherBench(source=source, rows=[_table_row(name, reps) for name, reps in entries.items()])


def _table_row(name, reps):
    ok = [b for b in reps if not b["error_occurred"] and b["real_time"] is not None]
    return TableRow(name=name, real_time=stat([b["real_time"] for b in ok]), time_unit=reps[0]["time_unit"],
                    items_per_second=stat([b["items_per_second"] for b in ok if b["items_per_second"] is not None]))


def _channel(sources, context, entries):
    grid, floor, reps, round_trips, off_grid = {}, None, [], {}, []
    for name, runs in entries.items():
        ok = [b for b in runs if not b["error_occurred"] and b["items_per_second"]]
        base = name.removesuffix("/real_time")
        if ok:
            reps.append(len(ok))
        if base == FLOOR:
            floor = stat([_round_trip_ns(b) for b in ok])
            continue
        parts = base.split("/")
        if len(parts) != 3:
            off_grid.append(_table_row(name, runs))  # a name that is not <scenario>/<capacity>/<subject>
            continue
        if not ok:
            continue
        scenario, capacity, subject = parts
        grid.setdefault(scenario, {}).setdefault(capacity, {})[subject] = stat([b["items_per_second"] for b in ok])
        if scenario == "ping_pong":
            round_trips[(capacity, subject)] = stat([_round_trip_ns(b) for b in ok])
    subjects = sorted({s for cells in grid.values() for subs in cells.values() for s in subs},
                      key=lambda s: (s not in CHANCHECK, CHANCHECK.index(s) if s in CHANCHECK else 0, s))
    bench = ChannelBench(sources=sources, context=context, subjects=subjects, grid=grid, floor_ns=floor,
                         repetitions=(min(reps), max(reps)) if reps else (0, 0), off_grid=off_grid)
    for scenario in bench.scenarios:
        for capacity in ordered_capacities(grid[scenario]):
            bench.ratios.append(_ratio(scenario, capacity, grid[scenario][capacity]))
    for capacity in ordered_capacities(grid.get("ping_pong", {})):
        for subject in [s for s in subjects if s in grid["ping_pong"][capacity]]:
            ns = round_trips[(capacity, subject)]
            bench.latency.append(LatencyRow(capacity=capacity, subject=subject, round_trip_ns=ns,
                                            over_floor=ns.median / floor.median if floor else None))
    for key, reason in context.items():
        if key.startswith("skipped ") and isinstance(reason, str):
            parts = key.split(" ", 2)
            if len(parts) == 3:
                bench.skipped.append((parts[1], parts[2], reason))
    return bench


def ordered_capacities(cells):
    known = [f for f in FLAVOR_ORDER if f in cells]
    return known + sorted(f for f in cells if f not in FLAVOR_ORDER)


def _round_trip_ns(b):
    rt = b.get("round_trip")
    if isinstance(rt, (int, float)) and not isinstance(rt, bool) and rt > 0:
        return rt * 1e9
    return 1e9 / b["items_per_second"]


def _ratio(scenario, capacity, subjects):
    peers = {s: v for s, v in subjects.items() if s not in CHANCHECK}
    best = max(peers, key=lambda s: peers[s].median) if peers else None
    lf, lk = subjects.get("chancheck_lock_free"), subjects.get("chancheck_locked")
    best_stat = peers[best] if best else None

    def ratio(x):
        return x.median / best_stat.median if x and best_stat and best_stat.median else None

    return RatioRow(scenario=scenario, capacity=capacity, lock_free=lf, locked=lk, best_peer=best, best=best_stat,
                    lock_free_ratio=ratio(lf), locked_ratio=ratio(lk))
