"""test_controlled.py — controlled-scheduling results (engine "controlled", controlled/
results_json.hpp) on the page: their own engine column in the verification matrix and the bug
zoo, a reference case in its channel's row, a caught seeded bug with its shrunk schedule and the
exact replay command. Fixture: tests/fixtures/controlled (controlled_bug_zoo --quick and
controlled_test, real runs). A channel brought through an adapter (tests/fixtures/byo/controlled)
has its controlled cell checked in test_pages.AdapterChannel."""
import unittest

from support import cell, files, fixture, load_json, render_page, text


def entries(directory):
    out = []
    for path in files(directory):
        out += load_json(path)["properties"]
    return out


class ControlledRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.page, cls.html, cls.soup, cls.path = render_page([fixture("controlled")], "report-controlled.html")
        cls.entries = entries(fixture("controlled", "controlled"))

    def test_every_seeded_bug_is_a_catch_of_the_controlled_engine(self):
        mutants = {e["mutant"] for e in self.entries if e["mutant"]}
        self.assertTrue(mutants)
        for mutant in mutants:
            zcell = cell(self.soup, "zoo-table", {"data-mutant": mutant}, "controlled")
            self.assertEqual(zcell["data-status"], "caught", mutant)

    def test_reference_case_in_its_channel_row(self):
        e = next(e for e in self.entries if not e["mutant"] and e["channel"] == "mpsc" and e["flavor"] == "list")
        td = cell(self.soup, "matrix-table", {"data-channel": "mpsc", "data-flavor": "list"}, "controlled")
        self.assertEqual(td["data-status"], "pass")
        self.assertIn("executions", text(td))
        self.assertIn(e["property"], text(td))

    def test_a_catch_shows_its_shrunk_schedule_and_replay(self):
        e = next(e for e in self.entries if e["mutant"] == "locked_notify_one_on_disconnect")
        self.assertIn(e["counterexample"]["schedule"], self.html)
        self.assertIn(e["replay"].replace("'", "&#39;"), self.html)
        self.assertIn("Schedule (shrunk)", self.html)

    def test_the_engine_is_named_in_the_summary(self):
        self.assertIn("controlled_bug_zoo (controlled scheduling)", text(self.soup.find(id="summary")))


if __name__ == "__main__":
    unittest.main()
