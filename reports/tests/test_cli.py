"""test_cli.py — scripts/report as a person runs it: --help, exit status (0 PASS, 1 FAIL, 2 bad usage
or not written), the printed path, several results directories merged, the default output."""
import os
import shutil
import tempfile
import unittest

from support import FAIL_DIRS, PASS_DIRS, REPO, fixture, run_cli

from chancheck_report import report

SCRIPT = os.path.join(REPO, "scripts", "report")


class CommandLine(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_help(self):
        proc = run_cli("--help", script=SCRIPT)
        self.assertEqual(proc.returncode, 0)
        self.assertIn("usage: scripts/report", proc.stdout)
        for option in ("--baseline DIR", "-o FILE", "--threshold X", "--alpha P", "--fail-on-regression"):
            self.assertIn(option, proc.stdout)
        self.assertIn("exit status: 0 report written, verdict PASS; 1 report written, verdict FAIL", proc.stdout)

    def test_bad_usage_exits_2(self):
        for args in ([], ["--no-such-option", PASS_DIRS[0]], [PASS_DIRS[0], "--threshold", "lots"],
                     [PASS_DIRS[0], "--alpha", "1.5"]):
            proc = run_cli(*args, script=SCRIPT)
            self.assertEqual(proc.returncode, 2, args)
            self.assertIn("report: ", proc.stderr)
            self.assertIn("usage: scripts/report", proc.stderr)

    def test_passing_run_merged_from_several_directories_exits_0_and_prints_the_path(self):
        out = os.path.join(self.tmp, "pass.html")
        proc = run_cli(*PASS_DIRS, "--baseline", fixture("baseline"), "-o", out, script=SCRIPT)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines()[0], f"report: PASS: {out}")
        with open(out, encoding="utf-8") as f:
            html = f.read()
        for d in PASS_DIRS:
            self.assertIn(d, html)

    def test_failing_run_exits_1_and_lists_reasons(self):
        out = os.path.join(self.tmp, "fail.html")
        proc = run_cli(*FAIL_DIRS, "-o", out)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stdout.splitlines()[0], f"report: FAIL: {out}")
        self.assertIn("  - relacy: reference mpsc list@inf, ping_pong failed: deadlock", proc.stdout)
        self.assertTrue(os.path.isfile(out))

    def test_partial_selection_turns_an_uncaught_mutant_into_a_warning(self):
        # One preset's stress results alone cannot catch the relaxed-publication mutants:
        # a full gate must fail on that, a selection (scripts/verify --engine ...) only warns.
        stress_only = [d for d in PASS_DIRS if d.endswith(os.sep + "dev")]
        self.assertTrue(stress_only)
        full = run_cli(*stress_only, "-o", os.path.join(self.tmp, "full.html"))
        self.assertEqual(full.returncode, 1, full.stdout)
        self.assertIn("caught by no engine in these results", full.stdout)
        partial_out = os.path.join(self.tmp, "partial.html")
        partial = run_cli(*stress_only, "--partial", "-o", partial_out)
        self.assertEqual(partial.returncode, 0, partial.stdout)
        with open(partial_out, encoding="utf-8") as f:
            html = f.read()
        self.assertIn("caught by no engine in these results", html)  # still on the page, as a warning

    def test_default_output_is_inside_a_single_results_directory(self):
        results = os.path.join(self.tmp, "results")
        shutil.copytree(fixture("pass", "relacy"), results)
        proc = run_cli(results)
        expected = os.path.join(results, "report.html")
        self.assertIn(f": {expected}", proc.stdout.splitlines()[0])
        self.assertTrue(os.path.isfile(expected))
        self.assertEqual(report.default_output([results, results], REPO), os.path.join(REPO, "build", "report.html"))
        self.assertEqual(report.default_output([os.path.join(self.tmp, "gone")], REPO), os.path.join(REPO, "build", "report.html"))

    def test_unwritable_output_exits_2(self):
        blocker = os.path.join(self.tmp, "file")
        with open(blocker, "w") as f:
            f.write("x")
        proc = run_cli(PASS_DIRS[3], "-o", os.path.join(blocker, "report.html"))
        self.assertEqual(proc.returncode, 2)
        self.assertIn(f"report: cannot write {os.path.join(blocker, 'report.html')}", proc.stderr)


if __name__ == "__main__":
    unittest.main()
