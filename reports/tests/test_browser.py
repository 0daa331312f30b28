"""test_browser.py — the page in a real browser: Debian's headless Chromium driven through
chromium-driver with python3-selenium (WebDriver gives element queries, clicks, the console log,
the network log and screenshots in a few calls; the raw DevTools protocol would need a websocket
client and hand-written protocol handling for the same). Checks: no console errors, no request
leaves the file (it opens offline), the charts are SVG elements in the DOM, "why not?" is two
clicks from the matrix and the bug zoo, the script works (copy, filter), hostile names run
nothing. Screenshots are written next to the pages for people to look at; their paths are printed.
"""
import json
import os
import shutil
import tempfile
import unittest

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from support import BASELINE, FAIL_DIRS, PASS_DIRS, fixture, out_path, render_page

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CENTER = "arguments[0].scrollIntoView({block: 'center'})"  # clear of the sticky header


def eventually(driver, condition, what):
    """Wait (up to 10 s) for something the page's script does after an event."""
    return WebDriverWait(driver, 10, poll_frequency=0.05).until(lambda _: condition(), message=what)


def start_browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,2000", "--hide-scrollbars", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class InBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pages = {
            "pass": render_page(PASS_DIRS, "report-browser-pass.html", baseline=BASELINE)[3],
            "fail": render_page(FAIL_DIRS, "report-browser-fail.html")[3],
            "xss": render_page([fixture("xss")], "report-browser-escaping.html")[3],
        }
        cls.profile = tempfile.mkdtemp(prefix="chancheck-report-chromium-")
        cls.driver = start_browser(cls.profile)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        shutil.rmtree(cls.profile, ignore_errors=True)

    def open(self, name):
        d = self.driver
        d.get_log("performance")  # drop what came before this page (the browser's start page)
        d.get_log("browser")
        d.get("file://" + self.pages[name])
        self.assertEqual(d.execute_script("return document.readyState"), "complete")
        return d

    def console_problems(self):
        return [e for e in self.driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]

    def requests(self, page_url):
        """URLs requested by the page (its document and everything it loads), from the network log;
        the browser's own pages (chrome://) have other document URLs and are left out."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent" and message["params"].get("documentURL") == page_url:
                urls.append(message["params"]["request"]["url"])
        return urls

    def test_pages_load_without_console_errors_or_network(self):
        for name in ("pass", "fail", "xss"):
            self.open(name)
            self.assertEqual(self.console_problems(), [], name)
            urls = self.requests("file://" + self.pages[name])
            self.assertIn("file://" + self.pages[name], urls)  # the log sees the page's own request
            outside = [u for u in urls if not u.startswith(("file://", "data:"))]
            self.assertEqual(outside, [], name)

    def test_charts_are_svg_elements_and_a_screenshot_is_written(self):
        d = self.open("pass")
        charts = d.find_elements(By.CSS_SELECTOR, "#benchmarks svg.chart-svg")
        figures = d.find_elements(By.CSS_SELECTOR, "#benchmarks figure")
        self.assertGreaterEqual(len(charts), 3)
        self.assertEqual(len(charts), len(figures))
        for svg in charts:
            self.assertGreater(svg.size["width"], 300)
            self.assertGreater(svg.size["height"], 100)
            self.assertTrue(svg.find_elements(By.TAG_NAME, "text"))
        top = out_path("report-screenshot.png")
        self.assertTrue(d.save_screenshot(top))
        bench = out_path("report-benchmarks-screenshot.png")
        self.assertTrue(d.find_element(By.ID, "benchmarks").screenshot(bench))
        for path in (top, bench):
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            self.assertGreater(os.path.getsize(path), 20000)
            print(f"\nscreenshot: {path}")

    def test_why_not_is_two_clicks_from_the_matrix(self):
        d = self.open("fail")
        d.find_element(By.CSS_SELECTOR, '#verdict').screenshot(out_path("report-fail-verdict-screenshot.png"))
        link = d.find_element(By.CSS_SELECTOR, '#matrix-table td[data-status="fail"] a.badge')
        anchor = link.get_attribute("href").rpartition("#")[2]
        d.execute_script(CENTER, link)
        link.click()
        eventually(d, lambda: d.current_url.endswith("#" + anchor), "the URL names the failure's anchor")
        target = d.find_element(By.ID, anchor)
        self.assertTrue(target.is_displayed())
        self.assertTrue(target.find_element(By.CSS_SELECTOR, ".replay code").is_displayed())
        self.assertTrue(target.find_element(By.CSS_SELECTOR, "table.lanes, pre").is_displayed())
        eventually(d, lambda: 0 <= target.location["y"] - d.execute_script("return window.scrollY") < 200,
                   "the failure is scrolled to the top of the window")

    def test_a_catch_inside_a_closed_group_opens_when_its_link_is_followed(self):
        d = self.open("fail")
        cell = d.find_element(By.CSS_SELECTOR, '#zoo-table tr[data-mutant="list_lost_wakeup"] td[data-engine="relacy"] a')
        anchor = cell.get_attribute("href").rpartition("#")[2]
        target = d.find_element(By.ID, anchor)
        self.assertFalse(target.is_displayed())  # inside the closed "how each seeded bug was caught"
        d.execute_script(CENTER, cell)
        cell.click()
        eventually(d, target.is_displayed, "the catch's <details> group opens")
        self.assertTrue(target.find_element(By.CSS_SELECTOR, "table.lanes").is_displayed())

    def test_the_pages_script_opens_the_details_a_new_hash_points_into(self):
        # Chromium opens a closed <details> on fragment navigation by itself; the page's script does
        # it for browsers that do not. Change the hash without a navigation to see the script do it.
        d = self.open("fail")
        group = d.find_element(By.ID, "expected-misses")
        target = group.find_element(By.CSS_SELECTOR, "article.failure")
        self.assertIsNone(group.get_attribute("open"))
        d.execute_script("history.pushState(null, '', '#' + arguments[0]);"
                         "window.dispatchEvent(new HashChangeEvent('hashchange'));", target.get_attribute("id"))
        eventually(d, target.is_displayed, "the script opens the group")
        self.assertEqual(group.get_attribute("open"), "true")

    def test_copy_button_and_matrix_filter(self):
        d = self.open("fail")
        button = d.find_element(By.CSS_SELECTOR, "article.failure button.copy")
        d.execute_script(CENTER, button)
        button.click()
        eventually(d, lambda: button.text in ("copied", "selected: Ctrl+C"), "the copy button reports what it did")
        passing = d.find_element(By.CSS_SELECTOR, "#matrix-table tr.row-pass")
        failing = d.find_element(By.CSS_SELECTOR, "#matrix-table tr.row-fail")
        toggle = d.find_element(By.ID, "only-failing")
        d.execute_script(CENTER, toggle)
        toggle.click()
        eventually(d, lambda: not passing.is_displayed(), "passing rows are hidden")
        self.assertTrue(failing.is_displayed())
        self.assertEqual(self.console_problems(), [])

    def test_hostile_names_run_nothing(self):
        d = self.open("xss")
        with self.assertRaises(NoAlertPresentException):
            d.switch_to.alert.text
        self.assertEqual(d.find_elements(By.TAG_NAME, "img"), [])
        self.assertEqual(len(d.find_elements(By.TAG_NAME, "script")), 1)
        self.assertIn("<script>alert(1)</script>", d.find_element(By.ID, "matrix").text)
        self.assertIn('"><img src=x onerror=alert(2)>', d.find_element(By.ID, "failures").text)
        self.assertEqual(self.console_problems(), [])


if __name__ == "__main__":
    unittest.main()
