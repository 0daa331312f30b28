"""relacy.py — Relacy model results (chancheck.model-results/2, harness/RESULTS.md) as records.

A run with no mutant that must pass is a reference check. A run of a seeded bug is a trial:
caught when the channel's verdict is "fail", and as Relacy expected when `as_expected` (the
failure is a kind of the bug's class, `accepted_kinds`). Random-scheduler counts are
iterations; the context-bound ("bound") and exhaustive ("full") tree searches count schedules
explored. A run's row is its `channel` (a kind, or a user's adapter) and its flavor at its
capacity, `<flavor>@<capacity>` (a user's channel: `adapter`).
"""
from . import flavors, lanes
from .records import RELACY, Block, Check, EngineData, EngineFile, Failure, Incomplete, Trial

SMOKE = "smoke models"
RAW_LIMIT = 256 * 1024  # raw history kept on the page for a mutant's catch (reference: all of it)


def adapt(documents, anchors):
    data = EngineData()
    for doc in documents:
        d = doc.data
        what = f"{d['program']} ({d['scheduler']} scheduler)"
        data.files.append(EngineFile(engine=RELACY, source=doc.path, what=what, budget=_budget(d),
                                     started=d["started"]))
        if not d["complete"]:
            data.incomplete.append(Incomplete(RELACY, doc.path, f"{what} stopped before its last case"))
        for run in d["runs"]:
            scheduler = run["scheduler"] or d["scheduler"]
            mutant = _mutant_of(run)
            if mutant is None:
                data.checks.append(_check(run, scheduler, doc.path, anchors, data))
            else:
                data.trials.append(_trial(run, mutant, scheduler, doc.path, anchors, data))
    return data


def _budget(d):
    if d["scheduler"] == "random":
        its = d["iteration_budget"]
        return f"{d['budget']}: {its:,} iterations per case" if its is not None else d["budget"]
    return f"{d['budget']}: the {d['scheduler']} tree search runs to exhaustion"


def _mutant_of(run):
    if run["mutant"]:
        return run["mutant"]
    if run["expected"] == "fail":
        return run["case"]  # a case that must fail but names no bug: call it by its name
    return None


def _unit(scheduler):
    return "iterations (random)" if scheduler == "random" else f"schedules ({scheduler})"


def _where(run):
    """(channel, flavor, scenario); named cases leave them empty and are filed under smoke models."""
    if run["scenario"]:
        return run["channel"] or run["kind"], flavors.configuration(run["flavor"], run["capacity"]), run["scenario"]
    scenario, _, flavor = run["case"].rpartition("/")
    return SMOKE, flavor or "—", scenario or run["case"]


def _kind(run):
    if run["failure_kind"]:
        return run["failure_kind"]
    return run["outcome"] if run["outcome"] != "success" else "unexpected success"


def _expected(run):
    return " | ".join(run["accepted_kinds"]) if run["expected"] == "fail" and run["accepted_kinds"] else run["expected"]


def _check(run, scheduler, source, anchors, data):
    channel, flavor, scenario = _where(run)
    passed = run["as_expected"]
    check = Check(engine=RELACY, channel=channel, flavor=flavor, scenario=scenario, passed=passed,
                  kind=None if passed else _kind(run), work={_unit(scheduler): run["iterations"]},
                  seconds=run["seconds"], source=source, label=run["case"])
    if not passed:
        check.failure = _failure(run, scheduler, source, anchors, reference=True)
        data.failures.append(check.failure)
    return check


def _trial(run, mutant, scheduler, source, anchors, data):
    caught = run["verdict"] == "fail"
    step = "iteration" if scheduler == "random" else "schedule"
    effort = f"{step} {run['iterations']:,}" if caught else f"{run['iterations']:,} {_unit(scheduler)}"
    trial = Trial(engine=RELACY, mutant=mutant, caught=caught, caught_as=_kind(run) if caught else None,
                  expected=_expected(run), met=run["as_expected"], effort=effort,
                  seconds=run["seconds"], where=f"{run['case']} ({scheduler})", source=source)
    trial.failure = _failure(run, scheduler, source, anchors, reference=False, mutant=mutant)
    data.failures.append(trial.failure)
    return trial


def _failure(run, scheduler, source, anchors, reference, mutant=None):
    kind = _kind(run)
    f = Failure(anchor=anchors.new("relacy", run["case"], scheduler), engine=RELACY, kind=kind,
                title=f"{run['case']} ({scheduler} scheduler)", source=source, replay=run["replay"],
                reference=reference, mutant=mutant)
    f.blocks.append(Block("Run", "facts", [
        ("case", run["case"]), ("scheduler", scheduler), ("expected", _expected(run)),
        ("outcome", run["outcome"]), ("verdict", run["verdict"]), ("as expected", "yes" if run["as_expected"] else "no"),
        ("failing iteration" if run["outcome"] != "success" else "iterations", f"{run['iterations']:,}"),
        ("seconds", f"{run['seconds']:.3g}"),
    ]))
    detail = run["detail"] or {}
    if detail.get("note"):
        f.blocks.append(Block("What happened", "text", detail["note"]))
    violations = detail.get("violations") or []
    if violations:
        lines = [f"{v.get('kind', '?')}: {v.get('detail', '')}" if isinstance(v, dict) else str(v) for v in violations]
        f.blocks.append(Block("Oracle findings", "text", "\n".join(lines)))
    ops = lanes.event_lanes(detail.get("events") or [])
    if ops:
        f.blocks.append(Block("Recorded operations, one lane per thread", "lanes", ops))
    if run["history"]:
        history = lanes.relacy_lanes(run["history"])
        if history:
            f.blocks.append(Block("Relacy's execution history, one lane per thread", "lanes", history))
        raw = run["history"]
        if not reference and len(raw) > RAW_LIMIT:
            raw = raw[:RAW_LIMIT] + f"\n… cut at {RAW_LIMIT // 1024} KiB; the whole history is in {source}\n"
        f.blocks.append(Block("Relacy's history as written", "text", raw, open=history is None))
    return f
