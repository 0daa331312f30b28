#!/usr/bin/env python3
"""check_outside_project.py — chancheck as a dependency of a real outside project.

    check_outside_project.py install --build CHANCHECK_BUILD --work DIR --cxx CXX

The project is tests/packaging/outside_channel: its own channel library (plain std::mutex,
std::condition_variable, std::atomic), its adapter and one chancheck_add_channel call.

install: `cmake --install` chancheck's build into DIR/prefix, then, against that prefix alone
(find_package(chancheck CONFIG)):
  - without RapidCheck it configures with a warning naming librapidcheck-dev and no property test;
  - the correct library configures with nothing but its own tests (byo.outside_channel.*,
    all labelled byo), builds, and `chancheck-verify` from the prefix passes and writes the
    report (with the controlled-scheduling cases) and JUnit;
  - OUTSIDE_CHANNEL_BUG=2 (a timed-out send destroys the value; its stress engine only):
    `ctest -L byo` fails, the stress results show oracle:value_not_returned, and
    `chancheck-verify` exits 1 saying FAIL;
  - OUTSIDE_CHANNEL_BUG=1 (the last sender's drop wakes no receiver; its property engine
    only): its property test fails, the property results show deadlock.
The other way in, add_subdirectory(chancheck's source tree), is tests/outside_ring's
(ctest packaging.outside_ring: only its own tests, its controlled engine built and run).
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
PROJECT = HERE / "outside_channel"
sys.path.insert(0, str(HERE.parent.parent / "cmake"))
from chancheck_expect_failure import failure_kinds  # noqa: E402

OWN_TESTS = {"byo.outside_channel.stress", "byo.outside_channel.properties", "byo.outside_channel.benchmark_dir",
             "byo.outside_channel.benchmark", "byo.outside_channel.controlled"}


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def run(command, expect_ok=True, **kw):
    print("$ " + " ".join(str(c) for c in command), flush=True)
    p = subprocess.run([str(c) for c in command], capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)
    if expect_ok and p.returncode != 0:
        fail(f"exit status {p.returncode}\n{p.stdout[-6000:]}\n{p.stderr[-6000:]}")
    return p


def configure(build, cxx, *defines):
    return run(["cmake", "-G", "Ninja", "-S", PROJECT, "-B", build, f"-DCMAKE_CXX_COMPILER={cxx}", *defines])


def test_names(build, *label):
    p = run(["ctest", "--test-dir", build, "-N", *label])
    return {line.split(":", 1)[1].strip() for line in p.stdout.splitlines() if line.strip().startswith("Test") and "#" in line}


def check_only_own_tests(build, expected):
    every, byo = test_names(build), test_names(build, "-L", "byo")
    if every != expected or byo != expected:
        fail(f"the outside project's ctest list is {sorted(every)} (label byo: {sorted(byo)}), expected {sorted(expected)}")
    print(f"ctest lists the project's own tests only: {sorted(every)}")


def expect_failure(build, results_file, kind_prefix, *select):
    p = run(["ctest", "--test-dir", build, "-L", "byo", *select, "--output-on-failure"], expect_ok=False)
    if p.returncode == 0:
        fail(f"ctest -L byo passed on a broken channel (expected a {kind_prefix} failure)\n{p.stdout[-4000:]}")
    path = build / "results" / "byo" / "outside_channel" / results_file
    if not path.exists():
        fail(f"the failing run wrote no {path}")
    kinds = sorted({k for k in failure_kinds(json.loads(path.read_text())) if k})
    if not any(k.startswith(kind_prefix) for k in kinds):
        fail(f"{path} shows failures {kinds}, expected {kind_prefix}")
    failed = [line.strip() for line in p.stdout.splitlines() if "***Failed" in line or "(Failed)" in line]
    print(f"ctest -L byo fails as it must: {kinds} in {path.name}; {failed}")


def check_install(args):
    work = pathlib.Path(args.work)
    prefix, build = work / "prefix", work / "install-build"
    shutil.rmtree(work, ignore_errors=True)
    run(["cmake", "--install", args.build, "--prefix", prefix])
    for part in ("bin/chancheck-verify", "share/chancheck/cmake/ChancheckAddChannel.cmake",
                 "share/chancheck/cmake/ChancheckControlled.cmake", "share/chancheck/controlled/src/scheduler.cpp",
                 "include/chancheck/controlled/adapter_explore.hpp",
                 "share/chancheck/reports/generate.py", "include/chancheck/harness/channel.hpp",
                 "include/chancheck/engines/properties/adapter_properties.hpp"):
        if not (prefix / part).exists():
            fail(f"the install has no {part}")
    if not list(prefix.glob("lib*/cmake/chancheck/chancheckConfigVersion.cmake")):
        fail("the install has no lib/cmake/chancheck/chancheckConfigVersion.cmake")

    # Without RapidCheck the project still configures: no property engine, a warning that names
    # the package.
    lacking = work / "without-rapidcheck"
    p = configure(lacking, args.cxx, f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_DISABLE_FIND_PACKAGE_rapidcheck=ON")
    if "librapidcheck-dev" not in p.stderr:
        fail(f"configuring without RapidCheck did not name librapidcheck-dev:\n{p.stderr[-3000:]}")
    check_only_own_tests(lacking, OWN_TESTS - {"byo.outside_channel.properties"})

    configure(build, args.cxx, f"-DCMAKE_PREFIX_PATH={prefix}", "-DOUTSIDE_CHANNEL_BUG=0")
    check_only_own_tests(build, OWN_TESTS)
    run(["cmake", "--build", build, "-j", "2"])
    verify = run([prefix / "bin" / "chancheck-verify", "--no-build", build], expect_ok=False)
    out = build / "chancheck-verify"
    if verify.returncode != 0:
        fail(f"chancheck-verify failed on the correct channel (exit {verify.returncode})\n{verify.stdout[-6000:]}")
    html = (out / "report.html").read_text(encoding="utf-8")
    if 'data-channel="outside_channel"' not in html or not (out / "junit.xml").exists():
        fail(f"chancheck-verify's report or JUnit in {out} lacks the channel")
    if not (out / "byo" / "outside_channel" / "controlled").is_dir() or "controlled: outside_channel/" not in html:
        fail(f"chancheck-verify's report in {out} lacks the controlled-scheduling results")
    print("correct channel: chancheck-verify PASS, report and JUnit written")

    # The broken builds make only the engine that must catch them.
    configure(build, args.cxx, "-DOUTSIDE_CHANNEL_BUG=2", "-DOUTSIDE_CHANNEL_ENGINES=stress")
    run(["cmake", "--build", build, "-j", "2"])
    expect_failure(build, "stress/summary.sweep.json", "oracle:value_not_returned")
    # The installed gate fails on it too, and says so in its report.
    verify = run([prefix / "bin" / "chancheck-verify", "--no-build", build], expect_ok=False)
    if verify.returncode != 1 or "FAIL" not in verify.stdout:
        fail(f"chancheck-verify on the channel that loses values: exit {verify.returncode}, expected 1 with FAIL\n{verify.stdout[-4000:]}")
    print("broken channel: chancheck-verify FAIL, exit 1")

    # The property engine is the one that shrinks a deadlock to its program (the stress
    # engine's watchdog sees it too, as a hung run, at HANG_AFTER per run).
    configure(build, args.cxx, "-DOUTSIDE_CHANNEL_BUG=1", "-DOUTSIDE_CHANNEL_ENGINES=properties")
    run(["cmake", "--build", build, "-j", "2"])
    expect_failure(build, "properties/outside_channel-properties.adapter.json", "deadlock", "-R", "properties")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("way", choices=["install"])
    p.add_argument("--build", required=True, help="chancheck's build directory")
    p.add_argument("--work", required=True)
    p.add_argument("--cxx", required=True)
    args = p.parse_args()
    os.environ.pop("CHANCHECK_BUDGET", None)
    check_install(args)
    print("OK")


if __name__ == "__main__":
    main()
