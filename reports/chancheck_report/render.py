"""render.py — the Page as one self-contained HTML file (Jinja2, autoescape on).

Everything the page needs is inline: the stylesheet, one small script (copy buttons, opening
the <details> a link points into) and the charts as SVG. Every value from the results files
goes through Jinja2's autoescaping; the only markup inserted unescaped is what this package
made itself: the stylesheet, the script and the charts (which charts.sanitize_svg has checked).
A Content-Security-Policy allows no network access at all, inline styles, and only the one
script whose SHA-256 it names, so even markup that slipped through could not run.
"""
import base64
import hashlib
import os

import jinja2
from markupsafe import Markup

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "templates")


def _environment():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=fmt_num, rate=fmt_rate, secs=fmt_seconds, pct=fmt_pct, ratio=fmt_ratio,
                       pval=fmt_pvalue, work=fmt_work)
    return env


def render(page):
    env = _environment()
    with open(os.path.join(TEMPLATES, "report.css"), encoding="utf-8") as f:
        css = f.read()
    with open(os.path.join(TEMPLATES, "report.js"), encoding="utf-8") as f:
        script = f.read()
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
           f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'")
    return env.get_template("report.html.j2").render(
        page=page, css=Markup(css), script=Markup(script), csp=csp,
        svg=lambda text: Markup(text) if text else "")


def write(page, path):
    html = render(page)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(html)
    os.replace(tmp, path)
    return html


# ---- formatting filters -----------------------------------------------------------------

def fmt_num(x):
    """Counts with thousands separators; measurements to 3 significant digits, never e-notation."""
    if x is None:
        return "—"
    if isinstance(x, float) and not x.is_integer():
        if abs(x) >= 100:
            return f"{x:,.0f}"
        return f"{x:.3g}" if abs(x) >= 1e-3 else f"{x:.2e}"
    return f"{int(x):,}"


def fmt_rate(x):
    if x is None:
        return "—"
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= scale:
            return f"{x / scale:.3g}{unit}"
    return f"{x:.3g}"


def fmt_seconds(x):
    if x is None:
        return "—"
    if x < 1e-3:
        return f"{x * 1e6:.0f} µs"
    if x < 1:
        return f"{x * 1e3:.3g} ms"
    if x < 120:
        return f"{x:.3g} s"
    return f"{x / 60:.1f} min"


def fmt_pct(x):
    return "—" if x is None else f"{x:+.1%}"


def fmt_ratio(x):
    return "—" if x is None else f"{x:.2f}"


def fmt_pvalue(x):
    if x is None:
        return "—"
    return f"{x:.4f}" if x >= 1e-4 else f"{x:.1e}"


def fmt_work(work):
    """"10,000 iterations (random) · 12 runs · 1 message" from a {unit: count} dict."""
    return " · ".join(f"{count:,} {_singular(unit) if count == 1 else unit}" for unit, count in work.items())


def _singular(unit):
    word, sep, rest = unit.partition(" ")
    return (word[:-1] if word.endswith("s") else word) + sep + rest
