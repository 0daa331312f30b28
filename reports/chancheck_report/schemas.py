"""schemas.py — the fields the report reads from each results schema, and their validation.

The schemas are documented in harness/RESULTS.md (chancheck.model-results/2,
chancheck.property-results/2, chancheck.stress-run/2, chancheck.stress-summary/2), in
reports/README.md (chancheck.run-info/1, written by nobody but a person or CI) and by Google
Benchmark's JSON reporter (no schema name; newer versions put `json_schema_version: 1` in the
context). Results files are untrusted input: a field of the wrong type is a problem to
report, never a crash, and one bad entry in a list drops that entry only.

`validate(obj, spec)` returns (normalized copy, problems): required fields must be present
with an allowed type; optional fields that are missing get their default; unknown fields are
kept as they are (newer writers may add some).
"""
from dataclasses import dataclass
from typing import Any

MODEL = "chancheck.model-results/2"
PROPERTY = "chancheck.property-results/2"
STRESS_RUN = "chancheck.stress-run/2"
STRESS_SUMMARY = "chancheck.stress-summary/2"
RUN_INFO = "chancheck.run-info/1"
GBENCH = "google-benchmark"  # not a schema name of its own: how this report calls that JSON
GBENCH_JSON_VERSIONS = (1,)  # context.json_schema_version values this report reads

# Type tags: JSON types by name, so that a bool never passes for a number.
STR, INT, NUM, BOOL, LIST, OBJ, NULL = "string", "integer", "number", "boolean", "array", "object", "null"


def _is(value: Any, tag: str) -> bool:
    if tag == STR:
        return isinstance(value, str)
    if tag == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if tag == NUM:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tag == BOOL:
        return isinstance(value, bool)
    if tag == LIST:
        return isinstance(value, list)
    if tag == OBJ:
        return isinstance(value, dict)
    if tag == NULL:
        return value is None
    raise ValueError(tag)


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple
    required: bool = False
    default: Any = None


def req(name, *types):
    return Field(name, types, True)


def opt(name, *types, default=None):
    return Field(name, types, False, default)


# ---- the verdict fields every engine writes (harness/results_json.hpp) ---------------
# `verdict` is how the channel behaved (pass | fail), `expected` what it had to do (a seeded
# bug must fail), `accepted_kinds` the failure kinds that count as its catch, `as_expected`
# the engine's judgement of the two together.
VERDICT = (
    req("verdict", STR), req("expected", STR), req("as_expected", BOOL),
    opt("failure_kind", STR, NULL), opt("accepted_kinds", LIST, default=[]), opt("mutant", STR, NULL),
)
# One recorded operation (history.hpp): thread, op, result, stamps, and what it carried.
EVENT = (
    req("thread", INT), req("op", STR), req("result", STR),
    opt("invoked", INT, default=0), opt("responded", INT, default=0), opt("channel", INT, default=0),
    opt("value", INT, NULL), opt("returned", INT, NULL), opt("skipped", INT, NULL),
)

# ---- chancheck.model-results/2 (Relacy) -------------------------------------------------
MODEL_TOP = (
    req("schema", STR), req("program", STR), req("scheduler", STR), req("runs", LIST),
    opt("budget", STR, default=""), opt("iteration_budget", INT, NULL), opt("started", STR, default=""),
    opt("complete", BOOL, default=True),
)
MODEL_RUN = VERDICT + (
    req("case", STR), req("outcome", STR),
    opt("scenario", STR, default=""), opt("kind", STR, default=""), opt("channel", STR, default=""),
    opt("flavor", STR, NULL), opt("capacity", INT, NULL), opt("scheduler", STR, default=""),
    opt("iterations", INT, default=0), opt("seconds", NUM, default=0.0), opt("replay", STR, NULL),
    opt("history", STR, NULL), opt("detail", OBJ, NULL),
)
MODEL_DETAIL = (opt("violations", LIST, default=[]), opt("events", LIST, default=[]), opt("note", STR, NULL))

# ---- chancheck.property-results/2 (RapidCheck) ------------------------------------------
PROPERTY_TOP = (
    req("schema", STR), req("properties", LIST),
    opt("program", STR, default=""), opt("mode", STR, default=""), opt("seed", INT, NULL), opt("budget", STR, default=""),
    opt("started", STR, default=""), opt("complete", BOOL, default=True),
)
PROPERTY_ITEM = VERDICT + (
    req("property", STR),
    opt("kind", STR, default=""), opt("cases", INT, default=0),
    opt("program_deadlocks", INT, default=0), opt("shrinks", INT, default=0), opt("seconds", NUM, default=0.0),
    opt("engine", STR, default=""), opt("counterexample", OBJ, NULL), opt("replay", STR, NULL),
    opt("message", STR, NULL), opt("events", LIST, default=[]),
)
COUNTEREXAMPLE = (
    opt("program", STR, default=""), opt("schedule", STR, default=""),
    opt("operations", INT, NULL), opt("threads", INT, NULL),
    opt("channel", STR, default=""), opt("flavor", STR, NULL), opt("capacity", INT, NULL),
)

# ---- chancheck.stress-run/2 and chancheck.stress-summary/2 ------------------------------
BUILD = (
    opt("sanitizer", STR, default="none"), opt("compiler", STR, default=""), opt("build_type", STR, default=""),
    opt("host", STR, default=""), opt("cores", INT, NULL),
)
STRESS_RUN_TOP = VERDICT + (
    req("schema", STR), req("run_id", STR), req("config", OBJ), req("build", OBJ),
    opt("finished", STR, default=""), opt("detail", STR, NULL),
    opt("outcome", OBJ, NULL), opt("sanitizer_report", STR, NULL), opt("stderr_tail", STR, NULL),
    opt("exit", OBJ, NULL), opt("wall_seconds", NUM, default=0.0), opt("replay", STR, NULL),
)
STRESS_CONFIG = (
    req("channel", STR), req("kind", STR), req("flavor", STR), req("workload", STR),
    opt("producers", INT, NULL), opt("consumers", INT, NULL), opt("capacity", INT, NULL),
    opt("messages_per_producer", INT, NULL), opt("duration_ms", INT, NULL), opt("seed", INT, NULL),
    opt("chaos", BOOL, default=False), opt("watchdog_ms", INT, NULL), opt("mutant", STR, NULL),
)
STRESS_OUTCOME = (
    opt("messages_verified", INT, default=0), opt("operations", INT, default=0), opt("seconds", NUM, default=0.0),
    opt("violations", LIST, default=[]), opt("watchdog_dump", STR, NULL),
)
STRESS_SUMMARY_TOP = (
    req("schema", STR), req("mode", STR), req("runs", LIST), req("build", OBJ),
    opt("bug_zoo", LIST, NULL), opt("seed", INT, NULL), opt("budget", STR, default=""),
    opt("started", STR, default=""), opt("updated", STR, default=""), opt("complete", BOOL, default=True),
)
STRESS_SUMMARY_RUN = VERDICT + (
    req("run_id", STR), req("channel", STR), req("kind", STR), req("flavor", STR), req("workload", STR),
    opt("file", STR, default=""), opt("topology", STR, default=""), opt("capacity", INT, NULL),
    opt("chaos", BOOL, default=False), opt("seed", INT, NULL),
    opt("messages_verified", INT, default=0), opt("seconds", NUM, default=0.0),
)
STRESS_ZOO = (
    req("mutant", STR), req("caught", BOOL),
    opt("accepted_kinds", LIST, default=[]), opt("caught_by", STR, NULL), opt("expectation", STR, NULL),
    opt("expectation_met", BOOL, default=True), opt("runs", INT, default=0), opt("seconds", NUM, default=0.0),
    opt("run_file", STR, default=""), opt("replay", STR, NULL), opt("note", STR, default=""),
)

# ---- Google Benchmark JSON --------------------------------------------------------------
GBENCH_TOP = (req("context", OBJ), req("benchmarks", LIST))
GBENCH_ENTRY = (
    req("name", STR), opt("run_name", STR, NULL), opt("run_type", STR, default="iteration"),
    opt("aggregate_name", STR, NULL), opt("repetitions", INT, NULL), opt("repetition_index", INT, NULL),
    opt("iterations", INT, default=0), opt("real_time", NUM, NULL), opt("cpu_time", NUM, NULL),
    opt("time_unit", STR, default="ns"), opt("items_per_second", NUM, NULL), opt("label", STR, NULL),
    opt("error_occurred", BOOL, default=False), opt("error_message", STR, NULL),
)

# ---- chancheck.run-info/1 (optional <results>/run.json) ---------------------------------
RUN_INFO_TOP = (
    req("schema", STR), opt("commit", STR, NULL), opt("started", STR, NULL), opt("machine", STR, NULL),
    opt("budgets", OBJ, default={}), opt("note", STR, NULL),
)


def validate(obj: Any, spec: tuple, where: str = "") -> tuple:
    """(normalized copy of obj, list of problem strings). The copy is None when obj is unusable
    (not an object, or a required field is missing or mistyped)."""
    prefix = f"{where}: " if where else ""
    if not isinstance(obj, dict):
        return None, [f"{prefix}expected a JSON object, found {_json_type(obj)}"]
    out = dict(obj)
    problems = []
    usable = True
    for f in spec:
        if f.name not in obj:
            if f.required:
                problems.append(f"{prefix}required field '{f.name}' is missing")
                usable = False
            else:
                default = f.default
                out[f.name] = list(default) if isinstance(default, list) else dict(default) if isinstance(default, dict) else default
            continue
        value = obj[f.name]
        if not any(_is(value, t) for t in f.types):
            allowed = " or ".join(f.types)
            problems.append(f"{prefix}field '{f.name}' should be {allowed}, found {_json_type(value)}")
            if f.required:
                usable = False
            else:
                out[f.name] = f.default
    return (out if usable else None), problems


def validate_list(items: list, spec: tuple, where: str) -> tuple:
    """Validate each entry of a list; (usable entries, problems). A bad entry is dropped alone."""
    kept, problems = [], []
    for i, item in enumerate(items):
        norm, p = validate(item, spec, f"{where}[{i}]")
        problems += p
        if norm is not None:
            kept.append(norm)
    return kept, problems


def _json_type(value: Any) -> str:
    if value is None:
        return NULL
    for tag in (BOOL, INT, NUM, STR, LIST, OBJ):
        if _is(value, tag):
            return tag
    return type(value).__name__
