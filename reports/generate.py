#!/usr/bin/python3
"""reports/generate.py — write the chancheck HTML report; run as /usr/bin/python3 reports/generate.py
(scripts/report does). Usage: generate.py RESULTS... [--baseline DIR] [-o FILE]; see --help."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    from chancheck_report.cli import main
except ImportError as e:  # Debian's python3-jinja2, -matplotlib, -scipy (scripts/setup installs them)
    print(f"report: {e}; run scripts/setup (and use /usr/bin/python3, not another python3)", file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
