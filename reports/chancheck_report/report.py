"""report.py — from results directories to the page's model, section by section.

load (inputs.py) → engine records (relacy.py, properties.py, stress.py) → verification
matrix (matrix.py), bug zoo (bugzoo.py), failure details, benchmarks (benchmarks.py,
charts.py), baseline comparison (baseline.py) → summary and verdict (summary.py). render.py
turns the `Page` into HTML.
"""
import datetime
import os
from dataclasses import dataclass, field

from . import baseline as baseline_mod
from . import benchmarks, bugzoo, charts, inputs, matrix, properties, relacy, stress, summary
from . import schemas as S
from .records import Anchors, EngineData


# Ids the templates give to sections and tables (anchors made from names must not take them).
TEMPLATE_IDS = ("summary", "verdict", "warnings", "matrix", "matrix-table", "only-failing", "bug-zoo", "zoo-table",
                "failures", "catches", "expected-misses", "benchmarks", "baseline", "baseline-warning",
                "compare-table", "inputs", "problems-table")


@dataclass
class ChartSet:
    throughput: list = field(default_factory=list)   # (scenario, svg)
    latency: str = None
    ratio: str = None


@dataclass
class Options:
    baseline: str = None
    threshold: float = baseline_mod.DEFAULT_THRESHOLD
    alpha: float = baseline_mod.DEFAULT_ALPHA
    fail_on_regression: bool = False
    repo_dir: str = None           # where `git rev-parse HEAD` is asked for the commit
    partial: bool = False          # the results are a selection: an uncaught mutant warns


@dataclass
class Page:
    generated: str
    options: Options
    inputs: inputs.Inputs
    summary: summary.Summary
    matrix: matrix.Matrix
    zoo: bugzoo.BugZoo
    reference_failures: list
    unexpected_trials: list       # failures of trials that did not do what their engine expected
    catches: list                 # failures of trials that caught their mutant as expected
    expected_misses: list         # trials that missed, as their engine allowed (last run, replay)
    bench: benchmarks.Benchmarks
    charts: ChartSet
    comparison: baseline_mod.Comparison
    baseline_problems: list


def build(result_dirs, options):
    anchors = Anchors()
    anchors.reserve(*TEMPLATE_IDS)
    loaded = inputs.load(result_dirs)
    data = EngineData()
    data.extend(relacy.adapt(loaded.of(S.MODEL), anchors))
    data.extend(properties.adapt(loaded.of(S.PROPERTY), anchors))
    data.extend(stress.adapt(loaded.of(S.STRESS_SUMMARY) + loaded.of(S.STRESS_RUN), anchors))
    engines = {f.engine for f in data.files}
    the_matrix = matrix.build(data.checks, anchors, engines)
    zoo = bugzoo.build(data.trials, anchors, engines)

    bench_docs = loaded.of(S.GBENCH)
    bench = benchmarks.build(bench_docs) if bench_docs else None
    chart_set = _charts(bench)

    comparison, baseline_problems = None, []
    if options.baseline:
        old = inputs.load([options.baseline])
        baseline_problems = old.problems
        comparison = baseline_mod.compare(bench_docs, old.of(S.GBENCH), options.baseline, anchors,
                                          options.threshold, options.alpha)
        if not old.of(S.GBENCH):
            baseline_problems = baseline_problems + [
                inputs.Problem(options.baseline, "no Google Benchmark files in the baseline directory")]
    combined = inputs.Inputs(dirs=loaded.dirs, documents=loaded.documents,
                             problems=loaded.problems + baseline_problems)
    the_summary = summary.build(data, the_matrix, zoo, bench, comparison, combined, loaded.of(S.RUN_INFO),
                                options.fail_on_regression, options.repo_dir, options.partial)
    if options.baseline:
        the_summary.config.append(("baseline", [options.baseline]))

    trials = [t for t in data.trials if t.failure]
    return Page(
        generated=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        options=options, inputs=combined, summary=the_summary, matrix=the_matrix, zoo=zoo,
        reference_failures=[c.failure for c in data.checks if c.failure],
        unexpected_trials=[t.failure for t in trials if not t.met],
        catches=[t.failure for t in trials if t.met and t.caught],
        expected_misses=[t.failure for t in trials if t.met and not t.caught],
        bench=bench, charts=chart_set, comparison=comparison, baseline_problems=baseline_problems)


def _charts(bench):
    out = ChartSet()
    if not bench or not bench.channel:
        return out
    ch = bench.channel
    colors = charts.subject_colors(ch.subjects)
    for i, scenario in enumerate(ch.scenarios):
        out.throughput.append((scenario, charts.throughput_chart(f"chart-throughput-{i}", scenario, ch.grid[scenario],
                                                                 ch.subjects, colors)))
    if ch.latency:
        out.latency = charts.latency_chart("chart-latency", ch.latency, ch.floor_ns, colors)
    out.ratio = charts.ratio_chart("chart-ratio", ch.ratios, colors)
    return out


def default_output(result_dirs, repo_dir):
    """RESULTS/report.html for one existing results directory, else build/report.html."""
    if len(result_dirs) == 1 and os.path.isdir(result_dirs[0]):
        return os.path.join(result_dirs[0], "report.html")
    return os.path.join(repo_dir, "build", "report.html")
