"""inputs.py — find and read the results files of one or more results directories.

A results directory is laid out as harness/RESULTS.md and benchmarks/README.md describe:

    <results>/models/*.json                 chancheck.model-results/2   (Relacy)
    <results>/properties/*.json             chancheck.property-results/2 (RapidCheck)
    <results>/controlled/*.json             chancheck.property-results/2 (engine "controlled")
    <results>/stress/summary.<mode>.json    chancheck.stress-summary/2
    <results>/stress/runs/*.json            chancheck.stress-run/2      (stress/scratch/ is ignored)
    <results>/benchmarks/*.json             Google Benchmark JSON
    <results>/run.json                      chancheck.run-info/1 (optional, see reports/README.md)

A directory that holds Google Benchmark files itself (`<dir>/*_benchmark.json`, as
`scripts/bench --results DIR` writes them) is read too, so `--baseline` can name either.

Nothing here raises on bad input: a missing directory, an unreadable, truncated or malformed
file, an unknown schema version or a mistyped field becomes a `Problem` naming the file, and
everything readable is still returned.
"""
import glob
import json
import os
from dataclasses import dataclass, field

from . import schemas as S


@dataclass
class Problem:
    path: str
    message: str
    whole_file: bool = True  # False: the file was read but some entries were dropped


@dataclass
class Document:
    path: str
    results_dir: str
    schema: str
    data: dict


@dataclass
class Inputs:
    dirs: list
    documents: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def of(self, schema):
        return [d for d in self.documents if d.schema == schema]


# Where each schema lives inside a results directory.
LOCATIONS = (
    (S.MODEL, "models/*.json"),
    (S.PROPERTY, "properties/*.json"),
    (S.PROPERTY, "controlled/*.json"),  # engine "controlled": controlled/results_json.hpp
    (S.STRESS_SUMMARY, "stress/summary.*.json"),
    (S.STRESS_RUN, "stress/runs/*.json"),
    (S.GBENCH, "benchmarks/*.json"),
    (S.GBENCH, "*_benchmark.json"),
    (S.RUN_INFO, "run.json"),
)


def load(dirs) -> Inputs:
    """Read every results file under each directory in `dirs` (in order)."""
    inputs = Inputs(dirs=list(dirs))
    seen = set()
    for d in dirs:
        real = os.path.realpath(d)
        if real in seen:
            inputs.problems.append(Problem(d, "named twice: read once", whole_file=False))
            continue
        seen.add(real)
        _load_dir(d, inputs)
    return inputs


def _load_dir(d, inputs):
    if not os.path.exists(d):
        inputs.problems.append(Problem(d, "results directory does not exist"))
        return
    if not os.path.isdir(d):
        inputs.problems.append(Problem(d, "not a directory (expected a results directory)"))
        return
    found = 0
    for schema, pattern in LOCATIONS:
        for path in sorted(glob.glob(os.path.join(glob.escape(d), pattern))):
            if not os.path.isfile(path):
                continue
            found += 1
            doc = read_document(path, schema, d, inputs.problems)
            if doc is not None:
                inputs.documents.append(doc)
    if found == 0:
        inputs.problems.append(Problem(
            d, "no results found (expected models/, properties/, stress/ or benchmarks/ inside)"))


def read_json(path):
    """(parsed JSON, None) or (None, a message saying what is wrong with the file)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        return None, f"cannot read: {e.strerror or e}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, f"not UTF-8 text (byte {e.start})"
    if not text.strip():
        return None, "empty file"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as e:
        # An error at the very end of the text is what a file cut short looks like.
        if e.pos >= len(text.rstrip()):
            return None, f"truncated JSON (the text ends before the document does: {e.msg} at line {e.lineno} column {e.colno})"
        return None, f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}"
    except RecursionError:
        return None, "malformed JSON: nested too deeply"


def read_document(path, schema, results_dir, problems):
    """Read, check the schema of and validate one file; None (and a Problem) if unusable."""
    obj, error = read_json(path)
    if error:
        problems.append(Problem(path, error))
        return None
    if schema == S.GBENCH:
        data, issues = _validate_gbench(obj)
    else:
        if not isinstance(obj, dict):
            problems.append(Problem(path, "expected a JSON object at the top level"))
            return None
        found = obj.get("schema")
        if found != schema:
            problems.append(Problem(path, _schema_mismatch(found, schema)))
            return None
        data, issues = _VALIDATORS[schema](obj)
    for message in issues:
        problems.append(Problem(path, message, whole_file=data is None))
    if data is None:
        return None
    return Document(path=path, results_dir=results_dir, schema=schema, data=data)


def _schema_mismatch(found, expected):
    if not isinstance(found, str):
        return f"no schema name (expected \"{expected}\")"
    family, _, version = found.rpartition("/")
    if family and family == expected.rpartition("/")[0]:
        return f"unknown schema version \"{found}\" (this report reads \"{expected}\")"
    return f"unexpected schema \"{found}\" here (expected \"{expected}\")"


def _validate_field(container, field, spec, where, problems, many=False):
    """Validates container[field] in place against `spec` (each entry of a list when `many`),
    adding what is wrong to `problems`; a null field stays null. Returns the validated value
    (None when unusable)."""
    if container[field] is None:
        return None
    check = S.validate_list if many else S.validate
    container[field], p = check(container[field], spec, where)
    problems += p
    return container[field]


def _validate_model(obj):
    top, problems = S.validate(obj, S.MODEL_TOP)
    if top is None:
        return None, problems
    for i, run in enumerate(_validate_field(top, "runs", S.MODEL_RUN, "runs", problems, many=True)):
        if _validate_field(run, "detail", S.MODEL_DETAIL, f"runs[{i}].detail", problems) is not None:
            _validate_field(run["detail"], "events", S.EVENT, f"runs[{i}].detail.events", problems, many=True)
    return top, problems


def _validate_property(obj):
    top, problems = S.validate(obj, S.PROPERTY_TOP)
    if top is None:
        return None, problems
    for i, item in enumerate(_validate_field(top, "properties", S.PROPERTY_ITEM, "properties", problems, many=True)):
        _validate_field(item, "events", S.EVENT, f"properties[{i}].events", problems, many=True)
        _validate_field(item, "counterexample", S.COUNTEREXAMPLE, f"properties[{i}].counterexample", problems)
    return top, problems


def _validate_stress_run(obj):
    top, problems = S.validate(obj, S.STRESS_RUN_TOP)
    if top is None or _validate_field(top, "config", S.STRESS_CONFIG, "config", problems) is None:
        return None, problems
    _validate_field(top, "build", S.BUILD, "build", problems)
    _validate_field(top, "outcome", S.STRESS_OUTCOME, "outcome", problems)
    return top, problems


def _validate_stress_summary(obj):
    top, problems = S.validate(obj, S.STRESS_SUMMARY_TOP)
    if top is None:
        return None, problems
    _validate_field(top, "build", S.BUILD, "build", problems)
    _validate_field(top, "runs", S.STRESS_SUMMARY_RUN, "runs", problems, many=True)
    _validate_field(top, "bug_zoo", S.STRESS_ZOO, "bug_zoo", problems, many=True)
    return top, problems


def _validate_run_info(obj):
    return S.validate(obj, S.RUN_INFO_TOP)


def _validate_gbench(obj):
    top, problems = S.validate(obj, S.GBENCH_TOP)
    if top is None:
        return None, problems
    version = top["context"].get("json_schema_version")
    if version is not None and version not in S.GBENCH_JSON_VERSIONS:
        return None, [f"unknown Google Benchmark JSON schema version {version!r} (this report reads version 1)"]
    top["benchmarks"], p = S.validate_list(top["benchmarks"], S.GBENCH_ENTRY, "benchmarks")
    return top, problems + p


_VALIDATORS = {
    S.MODEL: _validate_model,
    S.PROPERTY: _validate_property,
    S.STRESS_RUN: _validate_stress_run,
    S.STRESS_SUMMARY: _validate_stress_summary,
    S.RUN_INFO: _validate_run_info,
}
