"""properties.py — RapidCheck property results (chancheck.property-results/2) as records.

A property without a mutant is a reference check. Its programs are generated over every
flavor of the channel kind it is named after (property_tests/concurrent/properties.hpp:
"mpsc", "mpmc", "broadcast", "oneshot", "select"), so its check stands for "every flavor" of
that kind; "real_threads" spans several kinds. A file of mode "adapter" comes from a channel
brought through an adapter (chancheck_add_channel): its one property is named after the
adapter and stands for that channel's row, flavor "adapter", as its stress runs do. A property
with a mutant is a trial: caught when its verdict is "fail", as expected when `as_expected` (a
failure of a kind of its bug's class). A failure shows the shrunk program (one lane per thread), the schedule, the
message and the recorded operations; the replay command is exact for sched_sync and for
controlled (a plain adapter's programs under controlled scheduling), and a rerun of the
program for real_threads (RESULTS.md).

A file of mode "controlled" (engine "controlled", controlled/results_json.hpp) holds one entry
per case explored under controlled scheduling: its own engine column, its row the entry's
`channel` and `flavor` (an adapter's name and "adapter", or a kind and flavor of chancheck's
own), its counterexample the shrunk schedule, its replay exact.
"""
import os

from . import flavors, lanes
from .records import ADAPTER_FLAVOR, CONTROLLED, EVERY_FLAVOR, EVERY_KIND, PROPERTIES, Block, Check, EngineData, EngineFile, Failure, Incomplete, Trial, count


def adapt(documents, anchors):
    data = EngineData()
    for doc in documents:
        d = doc.data
        adapter = d["mode"] == "adapter"
        engine = _engine_of(d)
        if adapter:
            what = f"{os.path.basename(doc.path).split('.')[0]} (adapter)"
        elif engine == CONTROLLED:
            what = f"{d['program'] or os.path.basename(doc.path).split('.')[0]} (controlled scheduling)"
        else:
            what = f"concurrent_properties ({d['mode'] or 'unknown mode'})"
        data.files.append(EngineFile(engine=engine, source=doc.path, what=what, budget=d["budget"],
                                     seed=d["seed"], started=d["started"]))
        if not d["complete"]:
            data.incomplete.append(Incomplete(engine, doc.path, f"{what} stopped before its last property"))
        for item in d["properties"]:
            if item["mutant"]:
                data.trials.append(_trial(item, d, doc.path, anchors, data))
            else:
                data.checks.append(_check(item, d, doc.path, anchors, data, adapter))
    return data


def _engine_of(d):
    return CONTROLLED if d["mode"] == "controlled" else PROPERTIES


def _work_unit(d):
    return "executions" if d["mode"] == "controlled" else "cases"


def _text(item, key):
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _scenario(item, d):
    if d["mode"] == "controlled":
        return f"controlled: {item['property']}"
    engine = {"real_threads": "real threads", "controlled": "controlled scheduling"}.get(item["engine"], item["engine"] or "sched_sync")
    return f"generated programs ({engine})"


def _kind(item):
    return item["failure_kind"] or ("unexpected " + item["verdict"])


def _expected(item):
    return " | ".join(item["accepted_kinds"]) if item["expected"] == "fail" and item["accepted_kinds"] else item["expected"]


def _check(item, d, source, anchors, data, adapter):
    name = item["property"]
    passed = item["as_expected"]
    if d["mode"] == "controlled":
        channel, flavor = _text(item, "channel") or name.split("/")[0], _text(item, "flavor") or ADAPTER_FLAVOR
    elif adapter:
        # "<channel>" and, for a channel over the Sync policy, "<channel>.real_threads": one row.
        channel, flavor = name.split(".")[0], ADAPTER_FLAVOR
    else:
        channel, flavor = (name if name in flavors.KINDS else EVERY_KIND), EVERY_FLAVOR
    check = Check(engine=_engine_of(d), channel=channel,
                  flavor=flavor, scenario=_scenario(item, d), passed=passed,
                  kind=None if passed else _kind(item), work={_work_unit(d): item["cases"]},
                  seconds=item["seconds"], source=source, label=f"{'case' if d['mode'] == 'controlled' else 'property'} {name}")
    if not passed:
        check.failure = _failure(item, d, source, anchors, reference=True)
        data.failures.append(check.failure)
    return check


def _trial(item, d, source, anchors, data):
    caught = item["verdict"] == "fail"
    trial = Trial(engine=_engine_of(d), mutant=item["mutant"], caught=caught,
                  caught_as=item["failure_kind"] if caught else None, expected=_expected(item),
                  met=item["as_expected"], effort=count(item["cases"], "execution" if d["mode"] == "controlled" else "case"),
                  seconds=item["seconds"], where=item["property"], source=source)
    if item["engine"] == "real_threads":
        trial.note = "real threads"
    trial.failure = _failure(item, d, source, anchors, reference=False)
    data.failures.append(trial.failure)
    return trial


def _failure(item, d, source, anchors, reference):
    ce = item["counterexample"] or {}
    program = lanes.parse_program(ce.get("program") or "")
    title = f"{'case' if d['mode'] == 'controlled' else 'property'} {item['property']}"
    if ce.get("channel") and ce.get("flavor"):
        cap = ce.get("capacity")
        title += f" — counterexample on {ce['channel']} {ce['flavor']}@{'inf' if cap is None else cap}"
    f = Failure(anchor=anchors.new("property", item["property"], d["mode"]), title=title, engine=_engine_of(d),
                kind=_kind(item) if item["verdict"] == "fail" or reference else "escaped",
                source=source, replay=item["replay"], reference=reference, mutant=item["mutant"])
    if item["engine"] == "real_threads" and item["replay"]:
        f.replay_note = "real threads: a rerun of the program, not an exact replay"
    if d["mode"] == "controlled":
        f.blocks.append(Block("Case", "facts", [
            ("case", item["property"]), ("engine", "controlled scheduling"), ("expected", _expected(item)),
            ("verdict", item["verdict"]), ("as expected", "yes" if item["as_expected"] else "no"),
            ("executions", f"{item['cases']:,}"), ("shrinking steps", f"{item['shrinks']:,}"),
            ("seed", str(d["seed"]) if d["seed"] is not None else "not recorded"),
        ]))
    else:
        f.blocks.append(Block("Property", "facts", [
            ("property", item["property"]), ("engine", item["engine"]), ("expected", _expected(item)),
            ("verdict", item["verdict"]), ("as expected", "yes" if item["as_expected"] else "no"), ("cases", f"{item['cases']:,}"),
            ("shrinks", f"{item['shrinks']:,}"), ("program deadlocks (passes)", f"{item['program_deadlocks']:,}"),
            ("seed", str(d["seed"]) if d["seed"] is not None else "not recorded"),
        ]))
    if program:
        f.blocks.append(Block(f"Shrunk program: {program.head}, one lane per thread", "program", program))
    elif ce.get("program"):
        f.blocks.append(Block("Shrunk program", "text", ce["program"]))
    if ce.get("schedule"):
        f.blocks.append(Block("Schedule (shrunk)" if d["mode"] == "controlled" else "Schedule", "text", ce["schedule"]))
    if item["message"]:
        f.blocks.append(Block("Why it failed", "text", item["message"]))
    ops = lanes.event_lanes(item["events"])
    if ops:
        f.blocks.append(Block("Recorded operations, one lane per thread", "lanes", ops))
    return f
