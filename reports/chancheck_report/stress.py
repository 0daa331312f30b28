"""stress.py — stress results (chancheck.stress-summary/2, chancheck.stress-run/2) as records.

The summaries are the index (harness/RESULTS.md): a sweep's runs of reference channels are
checks (their row: the run's channel and flavor at its capacity); a bug-zoo summary's
`bug_zoo` entries are trials (caught, caught_by, expectation_met).
The run files, found next to the summary as stress/runs/<basename of "file">, hold what a
failure shows: the violations, the watchdog dump, the sanitizer report, stderr and the replay
command (a rerun with the same seed on real threads, not an exact replay). Run files that no
summary lists are left over from an earlier invocation and are not counted; in a directory
with no summary at all, each run file counts by itself.

Each sanitizer build gets its own engine column, from `build.sanitizer`: "none" is "stress",
"thread" is "stress (tsan)", "address+undefined" is "stress (asan)".
"""
import os

from . import flavors
from .records import STRESS, STRESS_ASAN, STRESS_TSAN, Block, Check, EngineData, EngineFile, Failure, Incomplete, Trial, count
from .schemas import STRESS_RUN, STRESS_SUMMARY

REPLAY_NOTE = "real threads: the same configuration and seed run again, not an exact replay"


def engine_label(sanitizer):
    if sanitizer in ("", "none", None):
        return STRESS
    if sanitizer == "thread":
        return STRESS_TSAN
    if sanitizer.startswith("address"):
        return STRESS_ASAN
    return f"stress ({sanitizer})"


def adapt(documents, anchors):
    data = EngineData()
    runs = {}  # (results dir, file name) -> run document
    for doc in documents:
        if doc.schema == STRESS_RUN:
            runs[(doc.results_dir, os.path.basename(doc.path))] = doc
    listed = set()
    summarized_dirs = set()
    for doc in documents:
        if doc.schema == STRESS_SUMMARY:
            summarized_dirs.add(doc.results_dir)
            listed |= _adapt_summary(doc, runs, anchors, data)
    leftovers = [doc for key, doc in sorted(runs.items()) if key not in listed]
    for doc in leftovers:
        if doc.results_dir in summarized_dirs:
            continue
        _adapt_lone_run(doc, anchors, data)
    stale = [doc for doc in leftovers if doc.results_dir in summarized_dirs]
    if stale:
        names = ", ".join(os.path.basename(d.path) for d in stale[:5]) + (" …" if len(stale) > 5 else "")
        data.notes.append((stale[0].results_dir,
                           f"{len(stale)} stress run file(s) that no summary lists were not counted "
                           f"(left from an earlier invocation): {names}"))
    return data


def _adapt_summary(doc, runs, anchors, data):
    """Checks and trials of one summary; returns the run-file keys it used."""
    s = doc.data
    engine = engine_label(s["build"]["sanitizer"])
    what = f"chancheck-stress {s['mode']}"
    data.files.append(EngineFile(engine=engine, source=doc.path, what=what, budget=s["budget"], seed=s["seed"],
                                 started=s["started"], build=s["build"]))
    if not s["complete"]:
        data.incomplete.append(Incomplete(engine, doc.path, f"{what} ({engine}) stopped before its end"))
    used = set()
    for entry in s["runs"]:
        key = (doc.results_dir, os.path.basename(entry["file"] or entry["run_id"] + ".json"))
        used.add(key)
        if entry["mutant"]:
            continue  # bug-zoo runs: the bug_zoo entries below judge them
        run = runs.get(key)
        data.checks.append(_check(entry, run, engine, doc.path, anchors, data))
    for z in s["bug_zoo"] or []:
        key = (doc.results_dir, os.path.basename(z["run_file"])) if z["run_file"] else None
        if key:
            used.add(key)
        data.trials.append(_zoo_trial(z, runs.get(key), engine, doc.path, anchors, data))
    return used


def _check(entry, run, engine, source, anchors, data):
    passed = entry["as_expected"]
    seconds = run.data["wall_seconds"] if run else entry["seconds"]
    check = Check(engine=engine, channel=entry["channel"], flavor=flavors.configuration(entry["flavor"], entry["capacity"]),
                  scenario=entry["workload"], passed=passed,
                  kind=None if passed else entry["failure_kind"] or entry["verdict"],
                  work={"runs": 1, "messages": entry["messages_verified"]}, seconds=seconds,
                  source=run.path if run else source, label=entry["run_id"])
    if not passed:
        check.failure = _failure(run, entry["run_id"], check.kind, engine, source, anchors, reference=True)
        data.failures.append(check.failure)
    return check


def _zoo_trial(z, run, engine, source, anchors, data):
    run_id = run.data["run_id"] if run else os.path.basename(z["run_file"]).removesuffix(".json")
    note = z["note"]
    trial = Trial(engine=engine, mutant=z["mutant"], caught=z["caught"], caught_as=z["caught_by"] if z["caught"] else None,
                  expected=z["expectation"], met=z["expectation_met"], effort=count(z["runs"], "run"),
                  seconds=z["seconds"], where=run_id, note=note, source=source)
    kind = z["caught_by"] if z["caught"] else "escaped"
    trial.failure = _failure(run, run_id, kind, engine, source, anchors, reference=False, mutant=z["mutant"],
                             replay=z["replay"])
    data.failures.append(trial.failure)
    return trial


def _adapt_lone_run(doc, anchors, data):
    r = doc.data
    c = r["config"]
    engine = engine_label(r["build"]["sanitizer"])
    passed = r["verdict"] == "pass"
    kind = None if passed else r["failure_kind"] or r["verdict"]
    if c["mutant"]:
        trial = Trial(engine=engine, mutant=c["mutant"], caught=not passed, caught_as=kind, expected=None,
                      effort="1 run", seconds=r["wall_seconds"], where=r["run_id"], source=doc.path)
        trial.failure = _failure(doc, r["run_id"], kind or "escaped", engine, doc.path, anchors, reference=False,
                                 mutant=c["mutant"])
        data.failures.append(trial.failure)
        data.trials.append(trial)
        return
    outcome = r["outcome"] or {}
    check = Check(engine=engine, channel=c["channel"], flavor=flavors.configuration(c["flavor"], c["capacity"]),
                  scenario=c["workload"], passed=passed, kind=kind,
                  work={"runs": 1, "messages": outcome.get("messages_verified", 0)}, seconds=r["wall_seconds"],
                  source=doc.path, label=r["run_id"])
    if not passed:
        check.failure = _failure(doc, r["run_id"], kind, engine, doc.path, anchors, reference=True)
        data.failures.append(check.failure)
    data.checks.append(check)


def _failure(run, run_id, kind, engine, source, anchors, reference, mutant=None, replay=None):
    f = Failure(anchor=anchors.new(engine, run_id), title=f"{run_id}", engine=engine, kind=kind or "",
                source=run.path if run else source, reference=reference, mutant=mutant,
                replay=(run.data["replay"] if run else None) or replay, replay_note=REPLAY_NOTE)
    if run is None:
        f.blocks.append(Block("Run file", "text", f"the run file of {run_id} was not found next to {source}"))
        return f
    r = run.data
    c, b, x = r["config"], r["build"], r["exit"] or {}
    topology = f"{c['producers']} producer(s) × {c['consumers']} consumer(s)"
    f.blocks.append(Block("Run", "facts", [
        ("verdict", r["verdict"]), ("failure kind", r["failure_kind"] or "—"),
        ("build", f"sanitizer {b['sanitizer']}, {b['compiler']} {b['build_type']}, host {b['host']}, {b['cores']} cores"),
        ("channel", f"{c['channel']} ({c['kind']}), {c['flavor']}, capacity {'unbounded' if c['capacity'] is None else c['capacity']}"),
        ("workload", f"{c['workload']}, {topology}, chaos {'on' if c['chaos'] else 'off'}"),
        ("seed", str(c["seed"])), ("watchdog", f"{c['watchdog_ms']} ms"),
        ("exit", f"code {x.get('code')}, signal {x.get('signal')}, timed out {x.get('timed_out')}"),
        ("wall time", f"{r['wall_seconds']:.3g} s"), ("finished", r["finished"]),
    ]))
    if r["detail"]:
        f.blocks.append(Block("What failed", "text", r["detail"]))
    outcome = r["outcome"] or {}
    violations = outcome.get("violations") or []
    if violations:
        lines = [f"{v.get('kind', '?')}: {v.get('detail', '')}" if isinstance(v, dict) else str(v) for v in violations]
        f.blocks.append(Block("Oracle violations", "text", "\n".join(lines)))
    if outcome.get("watchdog_dump"):
        f.blocks.append(Block("Watchdog dump", "text", outcome["watchdog_dump"]))
    if r["sanitizer_report"]:
        f.blocks.append(Block("Sanitizer report", "text", r["sanitizer_report"]))
    if r["stderr_tail"]:
        f.blocks.append(Block("stderr (last 8 KiB)", "text", r["stderr_tail"], open=False))
    return f
