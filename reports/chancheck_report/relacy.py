"""relacy.py — Relacy model results (chancheck.model-results/1, harness/RESULTS.md) as records.

A run with no mutant and `expected: "success"` is a reference check. A run of a seeded bug is
a trial: caught when its outcome is a failure kind, and as Relacy expected when its verdict is
"pass" (outcome == expected). The smoke models name their mutant cases "mutant/<bug>" without
filling `mutant`, so the case name is read for it too. Random-scheduler counts are iterations;
the context-bound ("bound") and exhaustive ("full") tree searches count schedules explored.
"""
from . import lanes
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
    parts = run["case"].split("/")
    if parts[0] == "mutant" and len(parts) > 1:
        return parts[1]
    if run["expected"] != "success":
        return run["case"]  # a case that must fail but names no bug: call it by its name
    return None


def _unit(scheduler):
    return "iterations (random)" if scheduler == "random" else f"schedules ({scheduler})"


def _where(run):
    """(channel, flavor, scenario); smoke models leave them empty and name cases scenario/flavor."""
    if run["channel"]:
        return run["channel"], run["flavor"] or "—", run["scenario"] or run["case"]
    scenario, _, flavor = run["case"].rpartition("/")
    return SMOKE, flavor or "—", scenario or run["case"]


def _kind(run):
    if run["failure_kind"]:
        return run["failure_kind"]
    return run["outcome"] if run["outcome"] != "success" else "unexpected success"


def _check(run, scheduler, source, anchors, data):
    channel, flavor, scenario = _where(run)
    passed = run["verdict"] == "pass"
    check = Check(engine=RELACY, channel=channel, flavor=flavor, scenario=scenario, passed=passed,
                  kind=None if passed else _kind(run), work={_unit(scheduler): run["iterations"]},
                  seconds=run["seconds"], source=source, label=run["case"])
    if not passed:
        check.failure = _failure(run, scheduler, source, anchors, reference=True)
        data.failures.append(check.failure)
    return check


def _trial(run, mutant, scheduler, source, anchors, data):
    caught = run["outcome"] != "success"
    step = "iteration" if scheduler == "random" else "schedule"
    effort = f"{step} {run['iterations']:,}" if caught else f"{run['iterations']:,} {_unit(scheduler)}"
    trial = Trial(engine=RELACY, mutant=mutant, caught=caught, caught_as=_kind(run) if caught else None,
                  expected=run["expected"], met=run["verdict"] == "pass", effort=effort,
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
        ("case", run["case"]), ("scheduler", scheduler), ("expected", run["expected"]),
        ("outcome", run["outcome"]), ("verdict", run["verdict"]),
        ("failing iteration" if run["outcome"] != "success" else "iterations", f"{run['iterations']:,}"),
        ("seconds", f"{run['seconds']:.3g}"),
    ]))
    if run["detail"]:
        f.blocks.append(Block("Oracle findings", "text", run["detail"]))
        ops = lanes.operation_lanes(run["detail"])
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
