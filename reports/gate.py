#!/usr/bin/env python3
"""gate.py — the verification gate's verdict, summary table and JUnit XML (scripts/verify).

scripts/verify runs each step (build, engine run) and records it in a steps file, one line per
step: name, status ("pass", "fail(exit N)", "hang(>Ns)"), seconds, log path. This program
reads that file, the report's exit status and the results directories, and:
  - prints the summary table and the failing steps, with the report's path;
  - writes JUnit XML: one testcase per step (a failed step carries the tail of its log), one
    for the report's verdict, the unit tests' own cases (ctest --output-junit) as a second
    suite, and with --mutant one testcase saying which engines told the mutant apart;
  - exits 0 when the gate passes, 1 when it fails.
With --mutant NAME the seeded bug is the channel under verification: the gate fails when any
engine caught it (reading the engines' result files: Relacy runs, property runs, controlled
scheduling cases, stress
bug-zoo summaries) and names the mutant and the engines. Results files are untrusted input:
their text only goes into XML through ElementTree, which escapes it.
"""
import argparse
import json
import pathlib
import sys
import xml.etree.ElementTree as ET


def read_steps(path):
    steps = []
    for line in pathlib.Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            steps.append({"name": parts[0], "status": parts[1], "seconds": float(parts[2] or 0), "log": parts[3]})
    return steps


def tail(path, lines=60):
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return f"(log unreadable: {e})"
    return "\n".join(text.splitlines()[-lines:])


def load_json(path):
    try:
        return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def mutant_catches(dirs, mutant):
    """[(engine, how)] for every engine whose results show `mutant` caught."""
    found = []
    for d in map(pathlib.Path, dirs):
        for f in sorted((d / "models").glob("*.json")):
            doc = load_json(f) or {}
            for run in doc.get("runs", []) if isinstance(doc, dict) else []:
                if isinstance(run, dict) and run.get("mutant") == mutant and run.get("verdict") == "fail":
                    found.append(("relacy", f"{run.get('outcome')} in {run.get('case')}"))
        for engine, where in (("properties", "properties"), ("controlled", "controlled")):
            for f in sorted((d / where).glob("*.json")):
                doc = load_json(f) or {}
                for prop in doc.get("properties", []) if isinstance(doc, dict) else []:
                    if isinstance(prop, dict) and prop.get("mutant") == mutant and prop.get("verdict") == "fail":
                        found.append((engine, f"{prop.get('failure_kind')} in {prop.get('property')}"))
        for f in sorted((d / "stress").glob("summary.*.json")):
            doc = load_json(f) or {}
            sanitizer = (doc.get("build") or {}).get("sanitizer", "none") if isinstance(doc, dict) else "none"
            for z in doc.get("bug_zoo", []) if isinstance(doc, dict) else []:
                if isinstance(z, dict) and z.get("mutant") == mutant and z.get("caught"):
                    engine = "stress" if sanitizer == "none" else f"stress ({'tsan' if sanitizer == 'thread' else 'asan'})"
                    found.append((engine, f"{z.get('caught_by')} after {z.get('runs')} runs"))
    return found


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dirs", nargs="*", help="results directories the gate wrote")
    p.add_argument("--steps", required=True)
    p.add_argument("--report", required=True)
    p.add_argument("--report-status", type=int, required=True)
    p.add_argument("--junit", required=True)
    p.add_argument("--ctest-junit", action="append", default=[], metavar="NAME=FILE",
                   help="a ctest JUnit file whose cases join junit.xml as suite chancheck.NAME (repeatable)")
    p.add_argument("--mutant")
    a = p.parse_args(argv)

    steps = read_steps(a.steps)
    suites = ET.Element("testsuites", name="chancheck verify")
    suite = ET.SubElement(suites, "testsuite", name="chancheck.verify")
    failures = 0
    failing = []

    for s in steps:
        case = ET.SubElement(suite, "testcase", classname="verify.step", name=s["name"], time=f"{s['seconds']:.1f}")
        ok = s["status"] == "pass"
        # In mutant mode an engine's own "expected catch" checks may fail or pass; only a hang
        # or a build failure is a failure of the gate's machinery.
        if a.mutant and not s["name"].startswith("build") and not s["status"].startswith("hang"):
            ok = True
        if not ok:
            failures += 1
            failing.append(f"{s['name']}: {s['status']} (log {s['log']})")
            ET.SubElement(case, "failure", message=s["status"]).text = tail(s["log"])
        ET.SubElement(case, "system-out").text = f"log: {s['log']}"

    report_case = ET.SubElement(suite, "testcase", classname="verify", name="report verdict")
    report_ok = a.report_status == 0 or (a.mutant and a.report_status == 1)
    if not report_ok:
        failures += 1
        why = "FAIL" if a.report_status == 1 else f"not written (exit {a.report_status})"
        failing.append(f"report: {why}: {a.report}")
        ET.SubElement(report_case, "failure", message=f"report {why}").text = a.report
    ET.SubElement(report_case, "system-out").text = f"report: {a.report}"

    mutant_lines = []
    if a.mutant:
        catches = mutant_catches(a.dirs, a.mutant)
        case = ET.SubElement(suite, "testcase", classname="verify.mutant", name=f"mutant {a.mutant}")
        if catches:
            failures += 1
            mutant_lines = [f"{engine}: {how}" for engine, how in catches]
            failing.append(f"mutant {a.mutant} is told apart from a correct channel by "
                           + ", ".join(sorted({e for e, _ in catches})))
            ET.SubElement(case, "failure", message=f"mutant {a.mutant} caught").text = "\n".join(mutant_lines)
        else:
            ET.SubElement(case, "system-out").text = f"no engine told mutant {a.mutant} from a correct channel"

    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    for spec in a.ctest_junit:
        name, _, path = spec.partition("=")
        if not pathlib.Path(path).exists():
            continue
        try:
            root = ET.parse(path).getroot()
            for s in ([root] if root.tag == "testsuite" else list(root)):
                s.set("name", f"chancheck.{name}")
                suites.append(s)
        except ET.ParseError as e:
            failures += 1
            failing.append(f"{name}: the JUnit file {path} is unreadable: {e}")
    pathlib.Path(a.junit).parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(a.junit, encoding="utf-8", xml_declaration=True)

    print()
    print("=" * 72)
    print(f"{'step':<44} {'result':<18} {'seconds':>8}")
    for s in steps:
        print(f"{s['name'][:44]:<44} {s['status'][:18]:<18} {s['seconds']:>8.0f}")
    print(f"{'report':<44} {('PASS' if a.report_status == 0 else 'FAIL' if a.report_status == 1 else 'ERROR'):<18}")
    print("=" * 72)
    for line in mutant_lines:
        print(f"  caught: {line}")
    verdict = "FAIL" if failures else "PASS"
    print(f"verify: {verdict}" + (f" ({a.mutant})" if a.mutant else ""))
    for f in failing:
        print(f"  - {f}")
    print(f"verify: report {a.report}")
    print(f"verify: junit  {a.junit}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
