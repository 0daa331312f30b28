"""test_escaping.py — results files are untrusted: names, messages, histories, commands and benchmark
names holding `<script>alert(1)</script>` and `"><img src=x onerror=alert(2)>` (fixture
tests/fixtures/xss, in every engine's files, the benchmark names that become chart labels, and
run.json) must be shown as text, never become elements or attributes of the page."""
import base64
import hashlib
import os
import unittest

from support import REPORTS, fixture, render_page, text

from chancheck_report.records import Anchors
from chancheck_report.report import TEMPLATE_IDS

S1 = "<script>alert(1)</script>"
S2 = '"><img src=x onerror=alert(2)>'


class HostileNames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.page, cls.html, cls.soup, cls.path = render_page([fixture("xss")], "report-escaping.html")

    def test_no_injected_elements(self):
        scripts = self.soup.find_all("script")
        self.assertEqual(len(scripts), 1)  # the page's own
        with open(os.path.join(REPORTS, "chancheck_report", "templates", "report.js"), encoding="utf-8") as f:
            self.assertEqual(scripts[0].string, f.read())
        self.assertEqual(self.soup.find_all("img"), [])
        self.assertEqual(self.soup.find_all("iframe"), [])
        handlers = [(el.name, a) for el in self.soup.find_all(True) for a in el.attrs if a.lower().startswith("on")]
        self.assertEqual(handlers, [])

    def test_payloads_are_shown_as_text_everywhere(self):
        for section in ("summary", "matrix", "failures", "benchmarks"):
            shown = self.soup.find(id=section).get_text()
            self.assertIn(S1, shown, section)
            self.assertIn(S2, shown, section)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", self.html)
        self.assertIn("&#34;&gt;&lt;img src=x onerror=alert(2)&gt;", self.html)

    def test_payloads_inside_attributes_stay_inside_them(self):
        flavors = [tr["data-flavor"] for tr in self.soup.find(id="matrix-table").find_all("tr", attrs={"data-flavor": True})]
        self.assertTrue(any(f.startswith(S1) for f in flavors), flavors)  # "<payload>@inf": the whole payload inside
        mutants = [tr["data-mutant"] for tr in self.soup.find(id="zoo-table").find_all("tr", attrs={"data-mutant": True})]
        self.assertIn(S2, mutants)

    def test_chart_labels_are_svg_text(self):
        labels = [t.get_text() for svg in self.soup.find(id="benchmarks").find_all("svg") for t in svg.find_all("text")]
        self.assertTrue(any(S2 in label for label in labels))
        # S1 holds a "/", so a benchmark named with it is not on the grid: listed as text, not charted.
        self.assertFalse(any(S1 in label for label in labels))
        off_grid = [text(td) for td in self.soup.find(id="benchmarks").find_all("td")]
        self.assertIn(f"ping_pong/{S2}/{S1}/real_time", off_grid)

    def test_history_and_program_lanes_hold_the_payload_as_text(self):
        lanes = " ".join(text(t) for t in self.soup.find_all("table", class_="lanes"))
        self.assertIn(S1, lanes)
        program = " ".join(text(t) for t in self.soup.find_all("table", class_="program"))
        self.assertIn(S2, program)
        codes = [c.get_text() for c in self.soup.find_all("code")]
        self.assertTrue(any(S2 in c for c in codes))

    def test_ids_made_from_names_are_unique_and_never_the_pages_own(self):
        ids = [el["id"] for el in self.soup.find_all(id=True)]
        self.assertEqual(len(ids), len(set(ids)))
        anchors = Anchors()
        anchors.reserve(*TEMPLATE_IDS)
        self.assertNotEqual(anchors.new("matrix", "table"), "matrix-table")  # a channel named "table"
        first = anchors.new("relacy", "x")
        self.assertNotEqual(anchors.new("relacy", "x/replay"), first + "-replay")  # nor a replay command's id
        self.assertEqual(anchors.new("<script>"), "script")

    def test_content_security_policy_allows_only_the_pages_script(self):
        meta = self.soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        policy = meta["content"]
        digest = base64.b64encode(hashlib.sha256(self.soup.find("script").string.encode("utf-8")).digest()).decode()
        self.assertIn("default-src 'none'", policy)
        self.assertIn(f"script-src 'sha256-{digest}'", policy)
        self.assertNotIn("unsafe-inline'; script", policy)


if __name__ == "__main__":
    unittest.main()
