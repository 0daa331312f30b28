"""test_baseline.py — the comparison with a baseline run, after Google Benchmark's tools/compare.py:
its change formula and U test, matching by name over the repetitions only, the flagged regression
of the fixture (tests/fixtures/baseline: spsc/bounded0/chancheck_lock_free 25% slower in the new
run, a noisy benchmark whose change is large but not significant, an improvement, a benchmark only
in each run), the threshold and --fail-on-regression options, and the repetitions warning."""
import json
import os
import shutil
import statistics
import unittest

from scipy.stats import mannwhitneyu

from support import BASELINE, PASS_DIRS, fixture, load_json, out_path, render_page, text

from chancheck_report import baseline

NEW = PASS_DIRS[-1]  # the benchmarks of the passing run
REGRESSED = "spsc/bounded0/chancheck_lock_free/real_time"
NOISY = "spsc/unbounded/mutex_deque/real_time"
IMPROVED = "mpmc/unbounded/chancheck_locked/real_time"


def repetitions(path, name):
    return [b["real_time"] for b in load_json(path)["benchmarks"] if b["name"] == name and b["run_type"] == "iteration"]


class CompareConventions(unittest.TestCase):
    def test_change_as_compare_py(self):
        # Cases of compare.py's own tests (tools/gbench/report.py): 2x faster, 100x slower, both zero.
        self.assertEqual(baseline.calculate_change(50, 25), -0.5)
        self.assertEqual(baseline.calculate_change(100, 10000), 99.0)
        self.assertEqual(baseline.calculate_change(0, 0), 0.0)
        self.assertEqual(baseline.calculate_change(0, 1), 2.0)  # relative to the mean when old is 0
        self.assertAlmostEqual(baseline.calculate_change(-10, -5), 0.5)

    def test_utest_is_scipys_two_sided_mann_whitney(self):
        old, new = [10.0, 11, 12, 13, 9.5], [12.5, 14, 15, 11.5, 16]
        self.assertEqual(baseline.utest(old, new), mannwhitneyu(old, new, alternative="two-sided").pvalue)
        self.assertIsNone(baseline.utest([1.0], [2.0, 3.0]))  # fewer than 2 repetitions: no test
        self.assertAlmostEqual(baseline.smallest_pvalue(3, 3), 0.1)  # 2 / C(6, 3)


class BaselinePage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.page, cls.html, cls.soup, cls.path = render_page(PASS_DIRS, "report-baseline.html", baseline=BASELINE)
        cls.table = cls.soup.find(id="compare-table")

    def row(self, name):
        tr = self.table.find("tr", attrs={"data-name": name})
        self.assertIsNotNone(tr, name)
        return tr

    def test_regression_is_flagged_with_change_and_p_value(self):
        old = repetitions(os.path.join(BASELINE, "benchmarks", "channel_benchmark.json"), REGRESSED)
        new = repetitions(os.path.join(NEW, "benchmarks", "channel_benchmark.json"), REGRESSED)
        self.assertEqual((len(old), len(new)), (9, 9))
        change = (statistics.median(new) - statistics.median(old)) / abs(statistics.median(old))
        p = mannwhitneyu(old, new, alternative="two-sided").pvalue
        self.assertGreater(change, 0.05)
        self.assertLess(p, 0.05)
        tr = self.row(REGRESSED)
        self.assertEqual(tr["data-verdict"], "regression")
        self.assertIn("REGRESSION", text(tr))
        self.assertIn(f"{change:+.1%}", text(tr))
        self.assertIn(f"{p:.4f}", text(tr))
        self.assertIn("9 vs 9", text(tr))  # repetitions only: the 4 aggregates of each side are not counted
        self.assertIn("1 regressions flagged", text(self.soup.find(id="baseline").find(class_="cards")))

    def test_large_but_noisy_change_is_not_flagged(self):
        tr = self.row(NOISY)
        self.assertEqual(tr["data-verdict"], "no significant change")
        shown = float(text(tr.find_all("td")[4]).rstrip("%")) / 100
        self.assertGreater(shown, 0.05)

    def test_improvement_and_unmatched_benchmarks(self):
        self.assertEqual(self.row(IMPROVED)["data-verdict"], "improvement")
        section = text(self.soup.find(id="baseline"))
        self.assertIn("Only in the new run: select_rx/bounded0/chancheck_lock_free/real_time", section)
        self.assertIn("Only in the baseline: spsc/bounded1/boost_spsc_queue/real_time", section)
        self.assertIn("Benchmark files with no baseline: linearizability_benchmark.json", section)
        self.assertNotIn("Results unreliable", section)

    def test_regression_warns_but_does_not_fail_by_default(self):
        self.assertEqual(text(self.soup.find(id="verdict").find(class_="word")), "PASS — safe to merge")
        warning = text(self.soup.find(id="warnings"))
        self.assertIn(f"benchmark {REGRESSED} regressed", warning)


class BaselineOptions(unittest.TestCase):
    def test_fail_on_regression_makes_the_verdict_fail(self):
        _, _, soup, _ = render_page(PASS_DIRS, "report-baseline-fail.html", baseline=BASELINE, fail_on_regression=True)
        verdict = soup.find(id="verdict")
        self.assertEqual(text(verdict.find(class_="word")), "FAIL — not safe to merge")
        self.assertIn(f"benchmark {REGRESSED} regressed", text(verdict))

    def test_threshold_above_the_change_flags_nothing(self):
        _, _, soup, _ = render_page([NEW], "report-baseline-threshold.html", baseline=BASELINE, threshold=0.30)
        verdicts = [tr["data-verdict"] for tr in soup.find(id="compare-table").tbody.find_all("tr")]
        self.assertNotIn("regression", verdicts)
        self.assertIn("Flagged: a change beyond 30%", text(soup.find(id="baseline")))

    def test_few_repetitions_warn_as_compare_py_does(self):
        _, _, soup, _ = render_page([NEW], "report-baseline-3reps.html", baseline=fixture("bench3"))
        warning = text(soup.find(id="baseline-warning"))
        self.assertIn("Results unreliable! 9+ repetitions recommended", warning)
        self.assertIn("the fewest repetitions here are 3", warning)
        self.assertIn(f"p = {baseline.smallest_pvalue(3, 9):.4f}", warning)

    def test_runs_of_different_sizes_are_not_compared(self):
        # The quick gate's pass (channel_benchmark --gate) against a measuring baseline: the same
        # names, a fifth of the work per iteration. Comparing them would flag every benchmark.
        gate = out_path("baseline-gate-sized")
        shutil.rmtree(gate, ignore_errors=True)
        shutil.copytree(NEW, gate)
        path = os.path.join(gate, "benchmarks", "channel_benchmark.json")
        doc = load_json(path)
        doc["context"].update(chancheck_mode="gate", chancheck_messages="20000", chancheck_ping_pong_rounds="4000")
        for b in doc["benchmarks"]:
            b["real_time"] /= 5
            b["cpu_time"] /= 5
        with open(path, "w") as f:
            json.dump(doc, f)
        _, _, soup, _ = render_page([gate], "report-baseline-sizes.html", baseline=BASELINE)
        section = soup.find(id="baseline")
        self.assertIsNone(soup.find(id="compare-table"))
        self.assertIn("0 benchmarks compared", text(section.find(class_="cards")))
        refusal = text(section.find(class_="sizes-differ"))
        self.assertIn("channel_benchmark.json: not compared", refusal)
        self.assertIn("messages: 100000 in the baseline, 20000 here", refusal)
        self.assertIn("ping_pong_rounds: 20000 in the baseline, 4000 here", refusal)
        self.assertNotIn("threads", refusal)
        self.assertIn("channel_benchmark.json was not compared", text(soup.find(id="warnings")))


if __name__ == "__main__":
    unittest.main()
