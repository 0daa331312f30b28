"""test_pages.py — what the page says for a passing run (with its bug zoo of caught mutants and
benchmarks) and for a failing run (reference failures, a mutant no engine catches, an
incomplete run). Fixtures: tests/fixtures/pass/* and fail/* (see fixtures/README.md). Expected
counts are computed here from the fixture files themselves, not copied from the page."""
import os
import re
import statistics
import unittest

from support import FAIL_DIRS, PASS_DIRS, cell, files, fixture, load_json, render_page, text


def reference_and_mutants(dirs):
    """(number of reference checks, set of seeded bugs) read straight from the results files."""
    refs, mutants = 0, set()
    for d in dirs:
        for path in files(os.path.join(d, "models")):
            for r in load_json(path)["runs"]:
                bug = r["mutant"] or (r["case"].split("/")[1] if r["case"].startswith("mutant/") else None)
                if bug:
                    mutants.add(bug)
                else:
                    refs += 1
        for path in files(os.path.join(d, "properties")):
            for p in load_json(path)["properties"]:
                if p["mutant"]:
                    mutants.add(p["mutant"])
                else:
                    refs += 1
        for path in files(os.path.join(d, "stress")):
            if os.path.basename(path).startswith("summary."):
                s = load_json(path)
                refs += sum(1 for r in s["runs"] if not r["mutant"])
                mutants |= {z["mutant"] for z in s.get("bug_zoo") or []}
    return refs, mutants


def links_resolve(test, soup):
    ids = {el["id"] for el in soup.find_all(id=True)}
    hrefs = [a["href"][1:] for a in soup.find_all("a", href=True) if a["href"].startswith("#")]
    test.assertTrue(hrefs)
    missing = sorted(h for h in hrefs if h not in ids)
    test.assertEqual(missing, [], "in-page links without a target")
    test.assertEqual(len(ids), len(soup.find_all(id=True)), "duplicate ids")


class PassingRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.page, cls.html, cls.soup, cls.path = render_page(PASS_DIRS, "report-pass.html")

    def test_verdict_says_safe_to_merge(self):
        verdict = self.soup.find(id="verdict")
        self.assertIn("pass", verdict["class"])
        self.assertEqual(text(verdict.find(class_="word")), "PASS — safe to merge")
        self.assertIsNone(verdict.find(class_="reasons"))
        self.assertEqual(text(self.soup.title), "chancheck report: PASS")

    def test_counts_match_the_results_files(self):
        refs, mutants = reference_and_mutants(PASS_DIRS)
        cards = text(self.soup.find(id="summary").find(class_="cards"))
        self.assertIn(f"{refs:,} / {refs:,} reference checks passed", cards)
        self.assertIn(f"{len(mutants)} / {len(mutants)} seeded bugs caught by an engine", cards)
        self.assertIn("0 unreadable inputs", cards)

    def test_engines_and_their_time(self):
        rows = {text(tr.find("td")): tr for tr in self.soup.find("table", class_="engines").find_all("tr")[1:]}
        for engine in ("relacy", "properties", "stress", "stress (tsan)", "stress (asan)", "benchmarks"):
            self.assertIn(engine, rows)
            self.assertRegex(text(rows[engine].find_all("td")[-1]), r"^[0-9.]+ (µs|ms|s|min)$")
        relacy_seconds = sum(r["seconds"] for p in files(fixture("pass", "relacy")) for r in load_json(p)["runs"])
        self.assertEqual(text(rows["relacy"].find_all("td")[-1]), f"{relacy_seconds / 60:.1f} min")

    def test_configuration_names_compilers_budgets_seeds_commit(self):
        config = {text(tr.th): text(tr.td) for tr in self.soup.find("table", class_="config").find_all("tr")}
        self.assertRegex(config["commit"], r"^([0-9a-f]{40} \(git HEAD when the report was made\)|not recorded)$")
        self.assertIn("stress (tsan): Debian Clang 14.0.6 (RelWithDebInfo)", config["compiler"])
        self.assertIn("stress: 12.2.0 (Debug)", config["compiler"])
        sweep = load_json(fixture("pass", "dev", "stress", "summary.sweep.json"))
        props = load_json(fixture("pass", "dev", "properties", "concurrent_properties.bug-zoo.json"))
        self.assertIn(f"stress, chancheck-stress sweep: {sweep['seed']}", config["seeds"])
        self.assertIn(f"properties, concurrent_properties (bug-zoo): {props['seed']}", config["seeds"])
        self.assertIn("relacy, mpsc_scenarios_model (random scheduler): quick: 10,000 iterations per case", config["budgets"])
        self.assertIn("host vm, 2 cores", config["machine"])

    def test_matrix_cells_say_pass_not_run_and_the_work_behind_them(self):
        relacy = cell(self.soup, "matrix-table", {"data-channel": "mpsc", "data-flavor": "list@inf"}, "relacy")
        self.assertEqual(relacy["data-status"], "pass")
        self.assertRegex(text(relacy), r"7 scenarios · [\d,]+ schedules \(bound\) · [\d,]+ iterations \(random\)")
        props = cell(self.soup, "matrix-table", {"data-channel": "mpsc", "data-flavor": "list@inf"}, "properties")
        self.assertIn("all flavors", text(props))
        self.assertIn("3,000 cases", text(props))
        tsan = cell(self.soup, "matrix-table", {"data-channel": "mpsc", "data-flavor": "zero@0"}, "stress (tsan)")
        self.assertEqual(tsan["data-status"], "pass")
        self.assertRegex(text(tsan), r"\d+ runs? · [\d,]+ messages")
        self.assertEqual(text(cell(self.soup, "matrix-table", {"data-channel": "mpsc", "data-flavor": "list@inf"}, "stress (asan)")), "not run")
        headers = [text(th) for th in self.soup.find(id="matrix-table").thead.find_all("th")]
        self.assertEqual(headers, ["flavor", "relacy", "properties", "stress", "stress (tsan)", "stress (asan)"])
        self.assertEqual(self.soup.find(id="matrix-table").find_all("td", attrs={"data-status": "fail"}), [])

    def test_bug_zoo_shows_every_mutant_caught_and_how(self):
        _, mutants = reference_and_mutants(PASS_DIRS)
        rows = self.soup.find(id="zoo-table").tbody.find_all("tr")
        self.assertEqual(sorted(r["data-mutant"] for r in rows), sorted(mutants))
        self.assertFalse([r for r in rows if "uncaught" in r["class"]])
        lost = cell(self.soup, "zoo-table", {"data-mutant": "list_lost_wakeup"}, "relacy")
        self.assertEqual(lost["data-status"], "caught")
        self.assertIn("caught: deadlock", text(lost))
        self.assertIn("iteration 1", text(lost))
        race = cell(self.soup, "zoo-table", {"data-mutant": "array_relaxed_publish"}, "stress (tsan)")
        self.assertIn("caught: tsan:data race", text(race))
        self.assertEqual(cell(self.soup, "zoo-table", {"data-mutant": "array_relaxed_publish"}, "stress")["data-status"], "missed")
        spins = cell(self.soup, "zoo-table", {"data-mutant": "blocked_wait_spins"}, "properties")
        self.assertIn("caught: busy_wait", text(spins))

    def test_catches_link_to_history_lanes_counterexample_report_and_replay(self):
        def target(mutant, engine):
            href = cell(self.soup, "zoo-table", {"data-mutant": mutant}, engine).find("a")["href"]
            return self.soup.find(id=href[1:])

        relacy = target("array_relaxed_publish", "relacy")
        lanes = relacy.find("table", class_="lanes")
        self.assertEqual([text(th) for th in lanes.thead.find_all("th")], ["#", "thread 0", "thread 1"])
        self.assertIn("DATA RACE", text(lanes.find("tr", class_="last")))
        replay = load_json(fixture("pass", "relacy", "models", "bug_zoo_model.random.json"))["runs"][0]["replay"]
        self.assertEqual(relacy.find("code").get_text(), replay)

        prop = target("list_lost_wakeup", "properties")
        program = prop.find("table", class_="program")
        self.assertEqual([text(th) for th in program.thead.find_all("th")], ["t0 [s0,s1]", "t1 [s0,r0,r1]", "t2 [s0,s1]"])
        self.assertIn("rw//tail=119", text(prop))
        self.assertTrue(prop.find("code").get_text().startswith("concurrent_properties --property bug_zoo.list_lost_wakeup"))

        tsan = target("array_relaxed_publish", "stress (tsan)")
        self.assertIn("Sanitizer report", text(tsan))
        self.assertIn("WARNING: ThreadSanitizer: data race", text(tsan))
        watchdog = target("list_lost_wakeup", "stress")
        self.assertIn("Watchdog dump", text(watchdog))
        self.assertIn("thread 1 (server 0): in recv", text(watchdog))

    def test_every_in_page_link_has_a_target(self):
        links_resolve(self, self.soup)

    def test_benchmark_charts_ratios_and_latency(self):
        bench = self.soup.find(id="benchmarks")
        scenarios = {b["name"].split("/")[0] for b in load_json(fixture("pass", "bench", "benchmarks", "channel_benchmark.json"))["benchmarks"]}
        captions = [text(c) for c in bench.find(class_="charts").find_all("figcaption")]
        self.assertEqual(sorted(captions), sorted(scenarios))
        svgs = bench.find_all("svg")
        self.assertEqual(len(svgs), len(scenarios) + 2)  # + ratio chart + latency chart
        self.assertTrue(all(s.find("text") for s in svgs))
        ratios = bench.find("table", class_="ratios")
        row = next(tr for tr in ratios.find_all("tr") if text(tr).startswith("spsc boundedN"))
        self.assertRegex(text(row), r"spsc boundedN [\d.]+[kMG]? [\d.]+[kMG]? \w+ [\d.]+[kMG]? \d+\.\d\d \d+\.\d\d")
        floor = [b["round_trip"] * 1e9 for b in load_json(fixture("pass", "bench", "benchmarks", "channel_benchmark.json"))["benchmarks"]
                 if b["name"].startswith("ping_pong/floor/") and b["run_type"] == "iteration"]
        shown = re.search(r"Floor \(ping_pong/floor/atomic_cache_line.*?\): ([\d,.]+) ns per round trip", text(bench))
        self.assertIsNotNone(shown)
        self.assertAlmostEqual(float(shown.group(1).replace(",", "")), statistics.median(floor), delta=0.01 * statistics.median(floor))
        latency = bench.find("table", class_="latency")
        self.assertTrue(any("chancheck_lock_free" in text(tr) for tr in latency.find_all("tr")))
        self.assertIn("linearizability_benchmark.json", text(bench))


class FailingRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.page, cls.html, cls.soup, cls.path = render_page(FAIL_DIRS, "report-fail.html")

    def reasons(self):
        return self.soup.find(id="verdict").find(class_="reasons").find_all("li")

    def test_verdict_says_not_safe_to_merge_with_reasons(self):
        verdict = self.soup.find(id="verdict")
        self.assertIn("fail", verdict["class"])
        self.assertEqual(text(verdict.find(class_="word")), "FAIL — not safe to merge")
        reasons = [text(li) for li in self.reasons()]
        self.assertIn("relacy: reference mpsc list@inf, ping_pong failed: deadlock (mpsc/ping_pong/list@inf)", reasons)
        self.assertIn("properties: reference mpmc every flavor, generated programs (sched_sync) failed: deadlock (property mpmc)", reasons)
        self.assertTrue(any(r.startswith("stress (tsan): reference mpsc zero@0, receiver_quits failed: tsan:data race") for r in reasons))
        self.assertTrue(any(r.startswith("stress: reference mpsc locked@0, stream failed: watchdog") for r in reasons))
        self.assertTrue(any("waker_relaxed_empty_check escaped, expected deadlock" in r for r in reasons))
        self.assertIn("mutant waker_relaxed_empty_check: caught by no engine in these results "
                      "(tried by: relacy, stress, stress (tsan))", reasons)
        self.assertTrue(any("stopped before its last property" in r for r in reasons))

    def test_reasons_lead_to_the_failure_and_its_replay_command(self):
        link = self.reasons()[0].find("a")
        article = self.soup.find(id=link["href"][1:])
        self.assertEqual(article.name, "article")
        runs = load_json(fixture("fail", "relacy", "models", "mpsc_scenarios_model.random.json"))["runs"]
        failing = next(r for r in runs if r["verdict"] == "fail")
        self.assertEqual(article.find("code").get_text(), failing["replay"])
        self.assertIn("deadlock", text(article.find("h4")))
        self.assertIn("DEADLOCK", text(article.find("table", class_="lanes")))

    def test_matrix_marks_the_failing_cells_with_their_kind(self):
        relacy = cell(self.soup, "matrix-table", {"data-channel": "mpsc", "data-flavor": "list@inf"}, "relacy")
        self.assertEqual(relacy["data-status"], "fail")
        self.assertIn("FAIL: deadlock", text(relacy))
        target = self.soup.find(id=relacy.find("a")["href"][1:])
        self.assertIn("mpsc/ping_pong/list", text(target.find("h4")))
        tsan = cell(self.soup, "matrix-table", {"data-channel": "mpsc", "data-flavor": "zero@0"}, "stress (tsan)")
        self.assertIn("FAIL: tsan:data race", text(tsan))
        tsan_target = self.soup.find(id=tsan.find("a")["href"][1:])
        self.assertIn("WARNING: ThreadSanitizer: data race", text(tsan_target))
        props = cell(self.soup, "matrix-table", {"data-channel": "mpmc", "data-flavor": "zero@0"}, "properties")
        self.assertIn("FAIL: deadlock", text(props))
        failing_rows = len(self.soup.find(id="matrix-table").find_all("tr", class_="row-fail"))
        self.assertIn(f"show only rows with a failure ({failing_rows})", text(self.soup.find(id="matrix")))

    def test_property_failure_shows_the_shrunk_program_and_schedule(self):
        article = next(a for a in self.soup.find_all("article") if "property mpmc" in text(a.find("h4")))
        self.assertIn("counterexample on mpmc_lock_free list@inf", text(article.find("h4")))
        program = article.find("table", class_="program")
        self.assertEqual(len(program.thead.find_all("th")), 3)
        self.assertIn("recv@0", text(program))
        self.assertIn("rw//tail=119", text(article))
        self.assertIn("lost wake-up", text(article))

    def test_mutant_no_engine_catches_is_highlighted(self):
        row = self.soup.find(id="zoo-table").find("tr", attrs={"data-mutant": "waker_relaxed_empty_check"})
        self.assertIn("uncaught", row["class"])
        self.assertIn("caught by no engine", text(row))
        relacy = cell(self.soup, "zoo-table", {"data-mutant": "waker_relaxed_empty_check"}, "relacy")
        self.assertIn("unexpected", relacy["class"])
        self.assertIn("missed", text(relacy))
        self.assertIn("not as expected", text(relacy))
        caught = self.soup.find(id="zoo-table").find("tr", attrs={"data-mutant": "list_lost_wakeup"})
        self.assertNotIn("uncaught", caught["class"])

    def test_engine_without_results_is_named(self):
        self.assertIn("No results in these inputs from: controlled, stress (asan).", text(self.soup.find(id="summary")))
        self.assertNotIn("stress (asan)", [text(th) for th in self.soup.find(id="matrix-table").thead.find_all("th")])

    def test_every_in_page_link_has_a_target(self):
        links_resolve(self, self.soup)


class AdapterChannel(unittest.TestCase):
    """A channel brought through an adapter (fixtures/byo: moodycamel's results as ctest's
    byo.moodycamel.* tests write them): its property and its stress runs share one row."""

    @classmethod
    def setUpClass(cls):
        cls.page, cls.html, cls.soup, cls.path = render_page([fixture("byo")], "report-byo.html")

    def test_property_and_stress_share_the_adapter_row(self):
        where = {"data-channel": "moodycamel", "data-flavor": "adapter"}
        props = cell(self.soup, "matrix-table", where, "properties")
        cases = load_json(fixture("byo", "properties", "moodycamel-properties.adapter.json"))["properties"][0]["cases"]
        self.assertEqual(props["data-status"], "pass")
        self.assertIn(f"{cases:,} cases", text(props))
        # Property "moodycamel" runs under controlled scheduling, "moodycamel.real_threads" on real threads.
        self.assertIn("generated programs (controlled scheduling)", text(props))
        self.assertIn("generated programs (real threads)", text(props))
        stress = cell(self.soup, "matrix-table", where, "stress")
        self.assertEqual(stress["data-status"], "pass")
        runs = len(load_json(fixture("byo", "stress", "summary.sweep.json"))["runs"])
        self.assertRegex(text(stress), rf"{runs} runs · [\d,]+ messages")
        channels = {tr["data-channel"] for tr in self.soup.find(id="matrix-table").tbody.find_all("tr", attrs={"data-channel": True})}
        self.assertEqual(channels, {"moodycamel"})
        self.assertIn("moodycamel-properties (adapter)", text(self.soup.find(id="summary")))

    def test_adapter_row_has_a_controlled_cell(self):
        where = {"data-channel": "moodycamel", "data-flavor": "adapter"}
        td = cell(self.soup, "matrix-table", where, "controlled")
        self.assertEqual(td["data-status"], "pass")
        cases = sum(len(load_json(p)["properties"]) for p in files(fixture("byo", "controlled")))
        self.assertEqual(text(td).count("controlled: moodycamel/"), cases)

    def test_every_in_page_link_has_a_target(self):
        links_resolve(self, self.soup)


if __name__ == "__main__":
    unittest.main()
