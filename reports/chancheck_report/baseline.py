"""baseline.py — comparison of benchmark runs with a baseline run, after Google Benchmark's
tools/compare.py (its tools/gbench/report.py).

Conventions taken from there:
- benchmarks are matched by `name`, in the baseline's order, with the time unit of the
  baseline's first entry; only the per-repetition entries take part (run_type "iteration"),
  never the aggregates (mean, median, stddev, cv);
- the change is `calculate_change(old, new)`: (new - old) / |old| (0 when both are 0; relative
  to the mean of the two when old is 0); for times, positive means slower;
- the U test is scipy.stats.mannwhitneyu(old, new, alternative="two-sided") on real_time and
  on cpu_time over all repetitions; it needs at least 2 repetitions on each side
  (UTEST_MIN_REPETITIONS) and compare.py warns "Results unreliable! 9+ repetitions recommended"
  below 9 (UTEST_OPTIMAL_REPETITIONS); alpha is 0.05.

What this report adds: the change shown is that of the medians over the repetitions (the row
compare.py prints for the _median aggregate), and a benchmark is flagged as a regression when
its real-time change exceeds the threshold (default 5%) and the real-time p-value is below
alpha — both can be changed on the command line. With few repetitions even a total separation
of the two samples gives a large p (3 vs 3: 0.1), so the page also says the smallest p-value
the repetition counts allow. Two runs whose sizes differ (the chancheck_* size entries of
the JSON context: messages, threads, round trips, e.g. the quick gate's `--gate` pass against
a measuring run) time different work per iteration: such a file is not compared, and the page
says why.
"""
import os
import statistics
from dataclasses import dataclass, field

from scipy.stats import mannwhitneyu

from .benchmarks import iterations_of

UTEST_MIN_REPETITIONS = 2
UTEST_OPTIMAL_REPETITIONS = 9
DEFAULT_THRESHOLD = 0.05
DEFAULT_ALPHA = 0.05

REGRESSION, IMPROVEMENT, NO_CHANGE, NOT_TESTED = "regression", "improvement", "no significant change", "not tested"


def calculate_change(old_val, new_val):
    """(new - old) / |old|, as compare.py computes it."""
    old_val, new_val = float(old_val), float(new_val)
    if old_val == 0 and new_val == 0:
        return 0.0
    if old_val == 0:
        return (new_val - old_val) / ((old_val + new_val) / 2)
    return (new_val - old_val) / abs(old_val)


def utest(old, new):
    """Two-sided Mann–Whitney U p-value of two samples, or None below the minimum repetitions."""
    if min(len(old), len(new)) < UTEST_MIN_REPETITIONS:
        return None
    return float(mannwhitneyu(old, new, alternative="two-sided").pvalue)


def smallest_pvalue(n_old, n_new):
    """The p-value of two completely separated samples of these sizes: no comparison can do better."""
    return utest(list(range(n_old)), list(range(n_old, n_old + n_new)))


@dataclass
class Row:
    file: str
    name: str
    time_unit: str
    old_n: int
    new_n: int
    old_median: float
    new_median: float
    change: float          # real time, medians
    cpu_change: float
    pvalue: float          # real time
    cpu_pvalue: float
    verdict: str
    anchor: str = ""

    @property
    def optimal(self):
        return min(self.old_n, self.new_n) >= UTEST_OPTIMAL_REPETITIONS


@dataclass
class Comparison:
    baseline: str
    threshold: float
    alpha: float
    rows: list = field(default_factory=list)
    only_new: list = field(default_factory=list)   # (file, name)
    only_old: list = field(default_factory=list)
    files_only_new: list = field(default_factory=list)
    files_only_old: list = field(default_factory=list)
    sizes_differ: list = field(default_factory=list)  # (file, [(context key, old, new)])

    @property
    def regressions(self):
        return [r for r in self.rows if r.verdict == REGRESSION]

    @property
    def improvements(self):
        return [r for r in self.rows if r.verdict == IMPROVEMENT]

    @property
    def repetitions(self):
        """(fewest, most) repetitions on either side of any compared benchmark."""
        counts = [n for r in self.rows for n in (r.old_n, r.new_n)]
        return (min(counts), max(counts)) if counts else (0, 0)

    @property
    def unreliable(self):
        return bool(self.rows) and self.repetitions[0] < UTEST_OPTIMAL_REPETITIONS

    @property
    def best_possible_p(self):
        """Smallest p-value the fewest repetitions allow (None if too few for a test)."""
        rows = [r for r in self.rows if r.pvalue is not None]
        if not rows:
            return None
        r = min(rows, key=lambda r: (min(r.old_n, r.new_n), max(r.old_n, r.new_n)))
        return smallest_pvalue(r.old_n, r.new_n)


def compare(new_docs, old_docs, baseline, anchors, threshold=DEFAULT_THRESHOLD, alpha=DEFAULT_ALPHA):
    out = Comparison(baseline=baseline, threshold=threshold, alpha=alpha)
    new_files, new_sizes = _by_file(new_docs), _sizes_by_file(new_docs)
    old_files, old_sizes = _by_file(old_docs), _sizes_by_file(old_docs)
    out.files_only_new = sorted(set(new_files) - set(old_files))
    out.files_only_old = sorted(set(old_files) - set(new_files))
    for file, old in old_files.items():
        if file not in new_files:
            continue
        new = new_files[file]
        differences = _size_differences(old_sizes.get(file, {}), new_sizes.get(file, {}))
        if differences:
            out.sizes_differ.append((file, differences))
            continue
        for name, old_reps in old.items():
            if name not in new:
                out.only_old.append((file, name))
                continue
            row = _row(file, name, old_reps, new[name], threshold, alpha)
            if row:
                row.anchor = anchors.new("compare", file.removesuffix(".json"), name)
                out.rows.append(row)
        out.only_new += [(file, n) for n in new if n not in old]
    return out


SIZE_KEYS = ("chancheck_messages", "chancheck_threads", "chancheck_ping_pong_rounds")


def _sizes_by_file(docs):
    """{file basename: {size key: value}} from the first document of each name."""
    sizes = {}
    for doc in docs:
        context = doc.data.get("context") or {}
        sizes.setdefault(os.path.basename(doc.path), {k: str(context[k]) for k in SIZE_KEYS if k in context})
    return sizes


def _size_differences(old, new):
    """[(key, old, new)] for every size the two runs name differently (a missing one counts)."""
    return [(k, old.get(k, "not recorded"), new.get(k, "not recorded"))
            for k in SIZE_KEYS if old.get(k) != new.get(k)]


def _by_file(docs):
    """{file basename: {benchmark name: [usable iteration entries]}}; first file of a name wins."""
    files = {}
    for doc in docs:
        entries = files.setdefault(os.path.basename(doc.path), {})
        for name, reps in iterations_of(doc).items():
            ok = [b for b in reps if not b["error_occurred"] and b["real_time"] is not None and b["cpu_time"] is not None]
            if ok and name not in entries:
                entries[name] = ok
    return files


def _row(file, name, old_reps, new_reps, threshold, alpha):
    unit = old_reps[0]["time_unit"]
    new_reps = [b for b in new_reps if b["time_unit"] == unit]
    if not new_reps:
        return None
    old_t = [b["real_time"] for b in old_reps]
    new_t = [b["real_time"] for b in new_reps]
    old_c = [b["cpu_time"] for b in old_reps]
    new_c = [b["cpu_time"] for b in new_reps]
    change = calculate_change(statistics.median(old_t), statistics.median(new_t))
    p = utest(old_t, new_t)
    if p is None:
        verdict = NOT_TESTED
    elif p < alpha and change > threshold:
        verdict = REGRESSION
    elif p < alpha and change < -threshold:
        verdict = IMPROVEMENT
    else:
        verdict = NO_CHANGE
    return Row(file=file, name=name, time_unit=unit, old_n=len(old_t), new_n=len(new_t),
               old_median=statistics.median(old_t), new_median=statistics.median(new_t), change=change,
               cpu_change=calculate_change(statistics.median(old_c), statistics.median(new_c)),
               pvalue=p, cpu_pvalue=utest(old_c, new_c), verdict=verdict)
