"""summary.py — the page's answer to "is it safe to merge?": verdict, reasons, counts,
configuration and time per engine.

The verdict is FAIL when any of these holds, else PASS:
- a reference channel failed a check in any engine;
- a seeded bug did not do what its engine expected (escaped Relacy or a property, failed
  differently, or missed a stress `--expect`);
- a seeded bug was caught by no engine in these results (with `selection`: the results cover a selection of the
  engines, channels or seeds: a warning instead);
- a run stopped before its end (`"complete": false`);
- a benchmark reported an error (a wrong delivery);
- an input could not be read (the evidence is incomplete), or no verification result was read;
- with --fail-on-regression: a benchmark regressed beyond the threshold (else a warning).
Each reason links to the place on the page that explains it.
"""
import subprocess
from dataclasses import dataclass, field

from .records import ENGINE_ORDER, engine_sort_key


@dataclass
class Reason:
    text: str
    anchor: str = None


@dataclass
class EngineLine:
    engine: str
    checks: int = 0
    passed: int = 0
    failed: int = 0
    trials: int = 0
    caught: int = 0
    seconds: float = 0.0
    files: int = 0


@dataclass
class Summary:
    verdict: str                      # "PASS" or "FAIL"
    reasons: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    engines: list = field(default_factory=list)
    missing_engines: list = field(default_factory=list)
    config: list = field(default_factory=list)   # (label, [values])
    mutants: int = 0
    mutants_caught: int = 0
    checks: int = 0
    checks_failed: int = 0
    benchmarks: int = 0
    benchmark_seconds: float = 0.0
    regressions: int = 0
    unreadable: int = 0

    @property
    def passed(self):
        return self.verdict == "PASS"


def build(data, matrix, zoo, bench, comparison, inputs, run_infos, fail_on_regression, repo_dir, selection=False):
    s = Summary(verdict="PASS")
    _reasons(s, data, zoo, bench, comparison, inputs, fail_on_regression, selection)
    s.verdict = "FAIL" if s.reasons else "PASS"
    s.engines = _engine_lines(data)
    present = {e.engine for e in s.engines}
    s.missing_engines = [e for e in ENGINE_ORDER if e not in present]
    s.checks = len(data.checks)
    s.checks_failed = sum(1 for c in data.checks if not c.passed)
    s.mutants = len(zoo.rows)
    s.mutants_caught = sum(1 for r in zoo.rows if not r.uncaught)
    if bench:
        if bench.channel:
            s.benchmarks = sum(len(subjects) for cells in bench.channel.grid.values() for subjects in cells.values())
        s.benchmarks += sum(len(o.rows) for o in bench.others)
        s.benchmark_seconds = bench.measured_seconds
    s.regressions = len(comparison.regressions) if comparison else 0
    s.unreadable = sum(1 for p in inputs.problems if p.whole_file)
    s.config = _config(data, bench, inputs, run_infos, repo_dir)
    return s


def _reasons(s, data, zoo, bench, comparison, inputs, fail_on_regression, selection):
    for c in data.checks:
        if not c.passed:
            s.reasons.append(Reason(f"{c.engine}: reference {c.channel} {c.flavor}, {c.scenario} failed: {c.kind} ({c.label})",
                                    c.failure.anchor if c.failure else None))
    for row in zoo.rows:
        for cell in row.cells:
            for t in cell.trials:
                if not t.met:
                    how = f"caught as {t.caught_as}" if t.caught else "escaped"
                    expected = f", expected {t.expected}" if t.expected else ""
                    s.reasons.append(Reason(f"{t.engine}: mutant {t.mutant} {how}{expected} ({t.where})",
                                            t.failure.anchor if t.failure else row.anchor))
        if row.uncaught:
            engines = ", ".join(c.engine for c in row.cells if c.trials) or "none"
            uncaught = Reason(f"mutant {row.mutant}: caught by no engine in these results (tried by: {engines})",
                              row.anchor)
            (s.warnings if selection else s.reasons).append(uncaught)
    for inc in data.incomplete:
        s.reasons.append(Reason(f"{inc.engine}: {inc.what} ({inc.source})", "inputs"))
    if bench:
        for source, name, message in bench.errors:
            s.reasons.append(Reason(f"benchmark {name} reported an error: {message} ({source})", "benchmarks"))
    unreadable = [p for p in inputs.problems if p.whole_file]
    if unreadable:
        s.reasons.append(Reason(f"{len(unreadable)} input(s) could not be read: the evidence is incomplete", "inputs"))
    if not data.checks and not data.trials:
        s.reasons.append(Reason("no verification results were read", "inputs"))
    if comparison:
        for r in comparison.regressions:
            text = (f"benchmark {r.name} regressed {r.change:+.1%} (p = {r.pvalue:.3g}) "
                    f"against the baseline")
            (s.reasons if fail_on_regression else s.warnings).append(Reason(text, r.anchor))
        for file, differences in comparison.sizes_differ:
            s.warnings.append(Reason(
                f"baseline comparison: {file} was not compared, its sizes differ from the baseline's ("
                + ", ".join(f"{k.removeprefix('chancheck_')} {old} in the baseline, {new} here"
                            for k, old, new in differences) + ")", "baseline"))
        if comparison.unreliable:
            s.warnings.append(Reason(
                f"baseline comparison: {comparison.repetitions[0]} repetitions at the fewest; "
                "compare.py recommends 9 or more (results unreliable)", "baseline"))
    partial = [p for p in inputs.problems if not p.whole_file]
    if partial:
        s.warnings.append(Reason(f"{len(partial)} entries of readable files were malformed and left out", "inputs"))
    for source, text in data.notes:
        s.warnings.append(Reason(text, "inputs"))


def _engine_lines(data):
    lines = {}
    for c in data.checks:
        line = lines.setdefault(c.engine, EngineLine(c.engine))
        line.checks += 1
        line.passed += c.passed
        line.failed += not c.passed
        line.seconds += c.seconds
    for t in data.trials:
        line = lines.setdefault(t.engine, EngineLine(t.engine))
        line.trials += 1
        line.caught += t.caught
        line.seconds += t.seconds
    for f in data.files:
        lines.setdefault(f.engine, EngineLine(f.engine)).files += 1
    return [lines[e] for e in sorted(lines, key=engine_sort_key)]


def git_commit(repo_dir):
    """HEAD of the repository the report is generated in, or None."""
    try:
        out = subprocess.run(["git", "-C", repo_dir, "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def _config(data, bench, inputs, run_infos, repo_dir):
    rows = []

    def add(label, value):
        for existing, values in rows:
            if existing == label:
                if value not in values:
                    values.append(value)
                return
        rows.append((label, [value]))

    for info in run_infos:
        d = info.data
        if d["commit"]:
            add("commit", f"{d['commit']} (recorded by the run, {info.path})")
        if d["started"]:
            add("started", d["started"])
        if d["machine"]:
            add("machine", d["machine"])
        for k, v in d["budgets"].items():
            add("budgets", f"{k}: {v}")
        if d["note"]:
            add("note", d["note"])
    if not any(label == "commit" for label, _ in rows):
        commit = git_commit(repo_dir) if repo_dir else None
        add("commit", f"{commit} (git HEAD when the report was made)" if commit else "not recorded")
    for f in data.files:
        if f.build:
            b = f.build
            add("machine", f"host {b['host']}, {b['cores']} cores")
            add("compiler", f"{f.engine}: {b['compiler']} ({b['build_type']})")
    if bench and bench.channel:
        c = bench.channel.context
        add("machine", f"benchmarks: host {c.get('host_name', '?')}, {c.get('num_cpus', '?')} CPUs at "
                       f"{c.get('mhz_per_cpu', '?')} MHz, load {c.get('load_avg', '?')}")
        lo, hi = bench.channel.repetitions
        reps = f"{lo}" if lo == hi else f"{lo}–{hi}"
        add("budgets", f"benchmarks: {reps} repetitions, N = {c.get('chancheck_messages', '?')} messages, "
                       f"T = {c.get('chancheck_threads', '?')}, ping_pong rounds = {c.get('chancheck_ping_pong_rounds', '?')}")
    for f in sorted(data.files, key=lambda f: engine_sort_key(f.engine)):
        if f.budget:
            add("budgets", f"{f.engine}, {f.what}: {f.budget}")
        if f.seed is not None:
            add("seeds", f"{f.engine}, {f.what}: {f.seed}")
        if f.started:
            add("started", f"{f.engine}, {f.what}: {f.started}")
    if not any(f.seed is not None for f in data.files if f.engine == "relacy"):
        if any(f.engine == "relacy" for f in data.files):
            add("seeds", "relacy: not recorded in its results")
    add("inputs", ", ".join(inputs.dirs))
    return rows
