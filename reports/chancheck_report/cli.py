"""cli.py — `scripts/report RESULTS... [--baseline DIR] [-o FILE]`: arguments, messages, exit status.

Exit status: 0 the report was written and its verdict is PASS; 1 it was written and the
verdict is FAIL (unreadable inputs make it FAIL too); 2 bad usage, or the report could not be
written. Every input problem is also printed to stderr as "report: FILE: problem".
"""
import argparse
import os
import sys

from . import baseline, render, report

DESCRIPTION = """Write one self-contained HTML report (no network needed to open it) from chancheck
results directories: verdict, verification matrix, bug zoo, failure details with replay commands,
benchmarks and, with --baseline, a comparison after Google Benchmark's compare.py. Several
RESULTS directories are merged (e.g. build/dev/results build/tsan/results build/asan/results
build/relacy/results build/bench/results)."""

EPILOG = """exit status: 0 report written, verdict PASS; 1 report written, verdict FAIL;
2 bad usage or the report could not be written. See reports/README.md."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"report: {message}", file=sys.stderr)
        sys.exit(2)


def _fraction(text):
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}")
    if not 0 <= value < 10:
        raise argparse.ArgumentTypeError(f"out of range: {text!r}")
    return value


def _alpha(text):
    value = _fraction(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"alpha must be between 0 and 1: {text!r}")
    return value


def parser():
    p = _Parser(prog="scripts/report", description=DESCRIPTION, epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results", nargs="+", metavar="RESULTS", help="results directory (build/<preset>/results); several are merged")
    p.add_argument("--baseline", metavar="DIR", help="baseline results directory (or its benchmarks/ directory) to compare the benchmarks with")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the page (default RESULTS/report.html for one results directory, else build/report.html)")
    p.add_argument("--threshold", type=_fraction, default=baseline.DEFAULT_THRESHOLD, metavar="X",
                   help="flag a regression when the median real time grows by more than X (0.05 or 5%%; default 5%%)")
    p.add_argument("--alpha", type=_alpha, default=baseline.DEFAULT_ALPHA, metavar="P",
                   help="... and the Mann-Whitney U p-value is below P (default 0.05)")
    p.add_argument("--partial", action="store_true",
                   help="the results are a selection (some engines, channels or a shard): a seeded bug no engine "
                        "in them catches is a warning, not a failure")
    p.add_argument("--fail-on-regression", action="store_true", help="a flagged regression makes the verdict FAIL (default: a warning)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    repo_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    output = args.output or report.default_output(args.results, repo_dir)
    options = report.Options(baseline=args.baseline, threshold=args.threshold, alpha=args.alpha,
                             fail_on_regression=args.fail_on_regression, repo_dir=repo_dir,
                             partial=args.partial)
    page = report.build(args.results, options)
    for problem in page.inputs.problems:
        print(f"report: {problem.path}: {problem.message}", file=sys.stderr)
    try:
        render.write(page, output)
    except OSError as e:
        print(f"report: cannot write {output}: {e.strerror or e}", file=sys.stderr)
        return 2
    s = page.summary
    print(f"report: {s.verdict}: {output}")
    for reason in s.reasons[:10]:
        print(f"  - {reason.text}")
    if len(s.reasons) > 10:
        print(f"  … and {len(s.reasons) - 10} more (see the page)")
    return 0 if s.passed else 1
