"""charts.py — the benchmark charts, drawn with matplotlib and inlined as SVG.

matplotlib's object API (Figure, no pyplot state) with the SVG backend; text stays text
(svg.fonttype "none") and is never parsed as mathtext (text.parse_math off), because subject
and scenario names come from results files. matplotlib escapes the text it writes; before a
chart goes into the page it is parsed again and refused if it holds anything that could run
(script, foreignObject, event-handler attributes, links leaving the document). Ids are
prefixed per chart so that several inline SVGs never share one (clip paths refer to them).
"""
import io
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("svg")
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import FuncFormatter, NullFormatter  # noqa: E402

from .benchmarks import CHANCHECK, ordered_capacities  # noqa: E402

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

RC = {"svg.fonttype": "none", "text.parse_math": False, "svg.hashsalt": "chancheck-report",
      "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
CHANCHECK_COLORS = {"chancheck_lock_free": "#1f5fbf", "chancheck_locked": "#7fa8e6"}
PEER_COLORS = ("#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def subject_colors(subjects):
    peers = [s for s in subjects if s not in CHANCHECK]
    colors = {s: CHANCHECK_COLORS[s] for s in subjects if s in CHANCHECK_COLORS}
    for i, s in enumerate(peers):
        colors[s] = PEER_COLORS[i % len(PEER_COLORS)]
    return colors


def throughput_chart(chart_id, scenario, cells, subjects, colors):
    """Grouped bars: one group per capacity, one bar per subject (median items/s, whiskers min–max)."""
    capacities = ordered_capacities(cells)
    present = [s for s in subjects if any(s in cells[f] for f in capacities)]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8.8, 3.2))
        ax = fig.add_subplot()
        width = 0.8 / max(len(present), 1)
        for i, subject in enumerate(present):
            xs, ys, lo, hi = [], [], [], []
            for j, capacity in enumerate(capacities):
                st = cells[capacity].get(subject)
                if st:
                    xs.append(j - 0.4 + width * (i + 0.5))
                    ys.append(st.median)
                    lo.append(st.median - st.low)
                    hi.append(st.high - st.median)
            if xs:
                ax.bar(xs, ys, width=width * 0.92, color=colors[subject], label=subject,
                       yerr=[lo, hi], error_kw={"elinewidth": 0.7, "capsize": 1.5, "ecolor": "#333"})
        ax.set_xticks(range(len(capacities)), capacities)
        _log_axis(ax.yaxis, _short)
        unit = "round trips/s" if scenario == "ping_pong" else "messages/s"
        ax.set_ylabel(f"{unit} (log)")
        ax.set_title(f"{scenario}: throughput per subject (median, whiskers min–max)", loc="left")
        ax.grid(axis="y", which="major", color="#ddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        fig.subplots_adjust(left=0.08, right=0.70, bottom=0.12, top=0.88)
        return _svg(fig, chart_id, f"{scenario} throughput")


def latency_chart(chart_id, latency, floor_ns, colors):
    """Ping-pong round trip per capacity and subject (median ns, log), with the floor as a line."""
    rows = list(latency)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8.2, max(2.0, 0.22 * len(rows) + 0.9)))
        ax = fig.add_subplot()
        labels = [f"{r.capacity} · {r.subject}" for r in rows]
        ys = range(len(rows))
        ax.barh(ys, [r.round_trip_ns.median for r in rows], color=[colors.get(r.subject, "#999") for r in rows],
                xerr=[[r.round_trip_ns.median - r.round_trip_ns.low for r in rows],
                      [r.round_trip_ns.high - r.round_trip_ns.median for r in rows]],
                error_kw={"elinewidth": 0.7, "capsize": 1.5, "ecolor": "#333"})
        ax.set_yticks(list(ys), labels, fontsize=7.5)
        ax.invert_yaxis()
        _log_axis(ax.xaxis, _short)
        ax.set_xlabel("round trip, ns (log; median, whiskers min–max)")
        if floor_ns:
            ax.axvline(floor_ns.median, color="#000", linestyle="--", linewidth=1)
            ax.text(floor_ns.median, -0.9, f" floor {floor_ns.median:,.0f} ns", fontsize=8, va="bottom")
        fig.suptitle("ping_pong: round trip against the physical floor (two threads, one atomic)", x=0.01, ha="left")
        ax.grid(axis="x", which="major", color="#ddd", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.subplots_adjust(left=0.36, right=0.97, bottom=0.5 / fig.get_figheight() + 0.05, top=1 - 0.45 / fig.get_figheight())
        return _svg(fig, chart_id, "ping-pong latency")


def ratio_chart(chart_id, ratios, colors):
    """Horizontal bars: each chancheck implementation's items/s over the best peer's, per grid cell."""
    rows = [r for r in ratios if r.best_peer and (r.lock_free_ratio or r.locked_ratio)]
    if not rows:
        return None
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8.2, max(2.0, 0.24 * len(rows) + 0.9)))
        ax = fig.add_subplot()
        ys = list(range(len(rows)))
        h = 0.4
        for k, (subject, attr) in enumerate((("chancheck_lock_free", "lock_free_ratio"), ("chancheck_locked", "locked_ratio"))):
            pts = [(y, getattr(r, attr)) for y, r in zip(ys, rows) if getattr(r, attr)]
            ax.barh([y - h / 2 + k * h for y, _ in pts], [v for _, v in pts], height=h * 0.9,
                    color=colors.get(subject, CHANCHECK_COLORS[subject]), label=f"{subject} / best peer")
        ax.axvline(1.0, color="#000", linewidth=1)
        ax.set_yticks(ys, [f"{r.scenario}/{r.capacity} (vs {r.best_peer})" for r in rows], fontsize=7.5)
        ax.invert_yaxis()
        _log_axis(ax.xaxis, lambda v: f"{v:g}")
        ax.set_xlabel("items/s ratio (log; > 1: chancheck faster)")
        fig.suptitle("chancheck against the best peer of each cell", x=0.01, ha="left")
        ax.grid(axis="x", which="major", color="#ddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="lower right", fontsize=8)
        fig.subplots_adjust(left=0.42, right=0.97, bottom=0.5 / fig.get_figheight() + 0.05, top=1 - 0.45 / fig.get_figheight())
        return _svg(fig, chart_id, "ratio to best peer")


def _short(v):
    """Tick labels without mathtext: 100, 10k, 1M, 1G."""
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if v >= scale:
            return f"{v / scale:g}{unit}"
    return f"{v:g}"


def _log_axis(axis, label):
    """A log scale whose decade ticks are labelled as plain text (the default uses mathtext)."""
    axis.axes.set_xscale("log") if axis.axis_name == "x" else axis.axes.set_yscale("log")
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: label(v)))
    axis.set_minor_formatter(NullFormatter())


def _svg(fig, chart_id, label):
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return sanitize_svg(buf.getvalue(), chart_id, label)


UNSAFE_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "a", "animate", "set", "image"}


def sanitize_svg(text, chart_id, label):
    """The SVG element alone, ids prefixed with chart_id, refused if anything in it could act."""
    root = ET.fromstring(text.encode("utf-8"))
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag.rpartition("}")[2] == "metadata":  # matplotlib's RDF: creator, format
                parent.remove(child)
    ids = {}
    for el in root.iter():
        tag = el.tag.rpartition("}")[2]
        if tag in UNSAFE_TAGS:
            raise ValueError(f"chart {chart_id}: unexpected <{tag}> element in matplotlib's SVG")
        for attr, value in el.attrib.items():
            name = attr.rpartition("}")[2]
            if name.lower().startswith("on"):
                raise ValueError(f"chart {chart_id}: event attribute {name} in matplotlib's SVG")
            if name == "href" and not value.startswith("#"):
                raise ValueError(f"chart {chart_id}: link out of the document in matplotlib's SVG")
        if "id" in el.attrib:
            ids[el.attrib["id"]] = f"{chart_id}-{el.attrib['id']}"
    for el in root.iter():
        for attr, value in list(el.attrib.items()):
            if attr == "id":
                el.attrib[attr] = ids[value]
            elif "url(#" in value or (attr.endswith("href") and value.startswith("#")):
                for old, new in ids.items():
                    value = value.replace(f"url(#{old})", f"url(#{new})")
                    if value == f"#{old}":
                        value = f"#{new}"
                el.attrib[attr] = value
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "chart-svg")
    root.set("id", chart_id)
    return ET.tostring(root, encoding="unicode")
