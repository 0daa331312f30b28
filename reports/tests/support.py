"""support.py — shared helpers of the report tests: fixture paths, rendering a page, reading it back.

Pages are written to $CHANCHECK_REPORT_TEST_OUT (ctest sets it to the build tree:
build/<preset>/reports/test-output), else build/report-tests, so people can open them.
The tests read the page the way a person does: parse the HTML (BeautifulSoup with Python's
html.parser) and look for what it says.
"""
import json
import os
import subprocess
import sys

from bs4 import BeautifulSoup

HERE = os.path.dirname(os.path.abspath(__file__))
REPORTS = os.path.dirname(HERE)
REPO = os.path.dirname(REPORTS)
FIXTURES = os.path.join(HERE, "fixtures")
OUT = os.environ.get("CHANCHECK_REPORT_TEST_OUT") or os.path.join(REPO, "build", "report-tests")
PYTHON = "/usr/bin/python3"

sys.path.insert(0, REPORTS)

from chancheck_report import render, report  # noqa: E402


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


PASS_DIRS = [fixture("pass", p) for p in ("dev", "tsan", "asan", "relacy", "bench")]
FAIL_DIRS = [fixture("fail", p) for p in ("dev", "tsan", "relacy")]
BASELINE = fixture("baseline")


def out_path(name):
    os.makedirs(OUT, exist_ok=True)
    return os.path.join(OUT, name)


def render_page(dirs, name, **options):
    """Build and write a page; (page model, html text, parsed soup, path)."""
    opts = report.Options(repo_dir=REPO, **options)
    page = report.build(dirs, opts)
    path = out_path(name)
    html = render.write(page, path)
    return page, html, BeautifulSoup(html, "html.parser"), path


def run_cli(*args, script=None):
    """Run the generator (or scripts/report) as a person would; a CompletedProcess."""
    cmd = [script] if script else [PYTHON, os.path.join(REPORTS, "generate.py")]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=120, cwd=REPO)


def text(el):
    """The visible text of an element, whitespace collapsed."""
    return " ".join(el.get_text(" ").split()) if el is not None else ""


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def files(directory, suffix=".json"):
    out = []
    for root, _, names in os.walk(directory):
        out += [os.path.join(root, n) for n in sorted(names) if n.endswith(suffix)]
    return sorted(out)


def cell(soup, table_id, row_attrs, engine):
    """The <td> of one engine in the row of a table matching row_attrs (data-* attributes)."""
    table = soup.find(id=table_id)
    row = table.find("tr", attrs=row_attrs)
    if row is None:
        raise AssertionError(f"no row {row_attrs} in #{table_id}")
    td = row.find("td", attrs={"data-engine": engine})
    if td is None:
        raise AssertionError(f"no {engine} cell in row {row_attrs}")
    return td
