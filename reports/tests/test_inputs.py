"""test_inputs.py — bad input: a missing directory, truncated and malformed JSON, an unknown schema
version, a mistyped or missing field. Each gives a clear error naming the file (on stderr and on
the page) and the report is still made from everything readable. Fixture: tests/fixtures/bad
(see fixtures/README.md) plus files written here into a temporary directory."""
import os
import tempfile
import unittest

from support import cell, fixture, load_json, render_page, run_cli, text

from chancheck_report import inputs
from chancheck_report import schemas as S

BAD = fixture("bad")
MISSING = fixture("no-such-results")


class ReadJson(unittest.TestCase):
    def write(self, content, mode="w"):
        fd, path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(fd, mode) as f:
            f.write(content)
        self.addCleanup(os.unlink, path)
        return path

    def test_truncated(self):
        _, error = inputs.read_json(self.write('{"schema": "chancheck.model-results/2", "runs": [{"case": "a"'))
        self.assertTrue(error.startswith("truncated JSON"), error)

    def test_malformed_names_line_and_column(self):
        _, error = inputs.read_json(self.write('{\n  "a": 1,,\n  "b": 2\n}'))
        self.assertTrue(error.startswith("malformed JSON"), error)
        self.assertIn("line 2 column", error)

    def test_empty_and_not_utf8_and_missing(self):
        self.assertEqual(inputs.read_json(self.write(""))[1], "empty file")
        self.assertIn("not UTF-8", inputs.read_json(self.write(b'{"a": "\xff"}', "wb"))[1])
        self.assertIn("cannot read", inputs.read_json(os.path.join(BAD, "nothing-here.json"))[1])

    def test_schema_version_and_field_types(self):
        problems = []
        path = self.write('{"schema": "chancheck.model-results/7", "program": "p", "scheduler": "random", "runs": []}')
        self.assertIsNone(inputs.read_document(path, S.MODEL, "d", problems))
        self.assertEqual(problems[-1].message,
                         'unknown schema version "chancheck.model-results/7" (this report reads "chancheck.model-results/2")')
        path = self.write('{"schema": "chancheck.model-results/2", "program": "p", "scheduler": "random", "runs": '
                          '[{"case": "c", "expected": "pass", "outcome": "success", "verdict": "pass", "as_expected": true,'
                          ' "iterations": true}, {"case": "d", "expected": "pass", "verdict": "pass", "as_expected": true}]}')
        doc = inputs.read_document(path, S.MODEL, "d", problems)
        self.assertEqual([r["case"] for r in doc.data["runs"]], ["c"])
        self.assertEqual(doc.data["runs"][0]["iterations"], 0)  # a bool is not an integer: default used
        messages = [p.message for p in problems[-2:]]
        self.assertIn("runs[0]: field 'iterations' should be integer, found boolean", messages)
        self.assertIn("runs[1]: required field 'outcome' is missing", messages)
        self.assertTrue(all(not p.whole_file for p in problems[-2:]))


class BadInputPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.page, cls.html, cls.soup, cls.path = render_page([BAD, MISSING], "report-bad-input.html")
        cls.problems = {}
        for tr in cls.soup.find(id="problems-table").tbody.find_all("tr"):
            cells = tr.find_all("td")
            cls.problems[text(cells[0])] = (text(cells[1]), text(cells[2]))

    def test_each_unreadable_input_is_named_with_its_problem(self):
        p = self.problems
        self.assertEqual(p[MISSING], ("results directory does not exist", "whole file"))
        truncated = os.path.join(BAD, "models", "kinds_scenarios_model.random.json")
        self.assertTrue(p[truncated][0].startswith("truncated JSON"), p[truncated])
        malformed = os.path.join(BAD, "properties", "concurrent_properties.correct.json")
        self.assertTrue(p[malformed][0].startswith("malformed JSON: Expecting property name"), p[malformed])
        schema = os.path.join(BAD, "stress", "summary.sweep.json")
        self.assertEqual(p[schema][0], 'unknown schema version "chancheck.stress-summary/9" (this report reads "chancheck.stress-summary/2")')
        entry = os.path.join(BAD, "properties", "concurrent_properties.bug-zoo.json")
        self.assertEqual(p[entry], ("properties[2]: required field 'as_expected' is missing", "entries"))
        bench = os.path.join(BAD, "benchmarks", "channel_benchmark.json")
        self.assertEqual(p[bench], ("benchmarks[0]: field 'real_time' should be number or null, found string", "entries"))

    def test_verdict_fails_because_the_evidence_is_incomplete(self):
        self.assertEqual(text(self.soup.find(id="verdict").find(class_="word")), "FAIL — not safe to merge")
        self.assertIn("4 input(s) could not be read: the evidence is incomplete", text(self.soup.find(id="verdict")))
        self.assertIn("4 unreadable inputs", text(self.soup.find(class_="cards")))

    def test_everything_readable_is_still_reported(self):
        good = load_json(os.path.join(BAD, "models", "mpsc_scenarios_model.random.json"))
        list_runs = [r for r in good["runs"] if r["flavor"] == "list" and r["capacity"] is None]
        relacy = cell(self.soup, "matrix-table", {"data-channel": "mpsc", "data-flavor": "list@inf"}, "relacy")
        self.assertIn(f"{len(list_runs)} scenarios", text(relacy))
        zoo = load_json(os.path.join(BAD, "properties", "concurrent_properties.bug-zoo.json"))
        usable = [p["mutant"] for p in zoo["properties"] if "as_expected" in p]
        rows = [tr["data-mutant"] for tr in self.soup.find(id="zoo-table").tbody.find_all("tr")]
        self.assertEqual(sorted(rows), sorted(set(usable)))
        self.assertNotIn(zoo["properties"][2]["mutant"], rows)  # the entry without as_expected
        self.assertTrue(self.soup.find(id="benchmarks").find_all("svg"))

    def test_run_info_gives_commit_machine_and_budgets(self):
        config = {text(tr.th): text(tr.td) for tr in self.soup.find("table", class_="config").find_all("tr")}
        info = load_json(os.path.join(BAD, "run.json"))
        self.assertTrue(config["commit"].startswith(info["commit"] + " (recorded by the run"))
        self.assertIn(info["machine"], config["machine"])
        self.assertIn("stress: 30 s sweep per sanitizer", config["budgets"])


class BadInputCommandLine(unittest.TestCase):
    def test_errors_on_stderr_name_the_files_and_the_page_is_written(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "r.html")
            proc = run_cli(BAD, MISSING, "-o", out)
            self.assertEqual(proc.returncode, 1, proc.stderr)
            self.assertTrue(os.path.getsize(out) > 0)
        err = proc.stderr
        self.assertIn(f"report: {MISSING}: results directory does not exist", err)
        self.assertIn(f"report: {os.path.join(BAD, 'models', 'kinds_scenarios_model.random.json')}: truncated JSON", err)
        self.assertIn("unknown schema version \"chancheck.stress-summary/9\"", err)
        self.assertIn(f"report: FAIL: {out}", proc.stdout)


if __name__ == "__main__":
    unittest.main()
