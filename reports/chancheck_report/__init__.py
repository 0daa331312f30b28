"""chancheck_report — the chancheck HTML report: results directories in, one self-contained page out.

Entry point: reports/generate.py (scripts/report runs it with /usr/bin/python3). Modules, one
concern each: inputs (finding and reading files) and schemas (validation); relacy, properties
and stress (each engine's results as records); matrix, bugzoo, summary (the page's sections);
benchmarks, charts, baseline (benchmarks, their charts, the comparison after Google
Benchmark's tools/compare.py); lanes (histories as one lane per thread); report (the whole
page's model); render (Jinja2 templates, autoescaped); cli (arguments and exit status).
"""
