"""matrix.py — the verification matrix: channel × flavor × scenario × engine.

One row per (channel kind, flavor); one column per engine (records.ENGINE_ORDER, then any other
stress sanitizer column); each cell lists the scenarios that engine ran on that configuration,
each pass or fail (with the failure kind) and the work behind it — iterations or schedules
(Relacy), generated cases (properties), runs and messages verified (stress). A cell whose
engine did not run that configuration is "not run".

The property tests generate programs over every flavor of a kind, so their checks have the
flavor "every flavor": they appear in every row of that kind (marked as covering all flavors),
and in a row of their own when no engine ran a specific flavor of the kind.
"""
from dataclasses import dataclass, field

from . import flavors
from .records import EVERY_FLAVOR, EVERY_KIND, add_work, engine_sort_key

CHANNEL_ORDER = flavors.KINDS


@dataclass
class ScenarioItem:
    scenario: str
    passed: bool
    kinds: list            # failure kinds, if any failed
    work: dict
    anchor: str = None     # failure details of the first failing check
    count: int = 0         # checks behind it (schedulers, topologies, capacities...)
    inherited: bool = False  # an "every flavor" property check shown in a flavor's row


@dataclass
class Cell:
    engine: str
    items: list = field(default_factory=list)

    @property
    def status(self):
        if not self.items:
            return "none"
        return "fail" if any(not i.passed for i in self.items) else "pass"

    @property
    def kinds(self):
        out = []
        for i in self.items:
            out += [k for k in i.kinds if k not in out]
        return out

    @property
    def work(self):
        total = {}
        for i in self.items:
            add_work(total, i.work)
        return total

    @property
    def anchor(self):
        return next((i.anchor for i in self.items if i.anchor), None)

    @property
    def inherited(self):
        return bool(self.items) and all(i.inherited for i in self.items)


@dataclass
class Row:
    channel: str
    flavor: str
    anchor: str
    cells: list

    @property
    def status(self):
        states = {c.status for c in self.cells}
        return "fail" if "fail" in states else "pass" if "pass" in states else "none"


@dataclass
class Group:
    channel: str
    rows: list


@dataclass
class Matrix:
    engines: list
    groups: list

    @property
    def failing_rows(self):
        return [r for g in self.groups for r in g.rows if r.status == "fail"]


def build(checks, anchors, engines_present=()):
    engines = sorted({c.engine for c in checks} | set(engines_present), key=engine_sort_key)
    by_row = {}
    for c in checks:
        by_row.setdefault((c.channel, c.flavor), []).append(c)
    channels = sorted({ch for ch, _ in by_row}, key=_channel_key)
    groups = []
    for channel in channels:
        shared = by_row.get((channel, EVERY_FLAVOR), [])
        specific = sorted(fl for ch, fl in by_row if ch == channel and fl != EVERY_FLAVOR)
        rows = []
        for flavor in specific:
            rows.append(_row(channel, flavor, by_row[(channel, flavor)], shared, engines, anchors))
        if shared and not specific:
            rows.append(_row(channel, EVERY_FLAVOR, shared, [], engines, anchors))
        groups.append(Group(channel=channel, rows=rows))
    return Matrix(engines=engines, groups=groups)


def _channel_key(channel):
    if channel in CHANNEL_ORDER:
        return (0, CHANNEL_ORDER.index(channel), "")
    return (2 if channel == EVERY_KIND else 1, 0, channel)


def _row(channel, flavor, checks, shared, engines, anchors):
    cells = []
    for engine in engines:
        own = [c for c in checks if c.engine == engine]
        inherited = [c for c in shared if c.engine == engine]
        cell = Cell(engine=engine, items=_items(own, False) + _items(inherited, True))
        cells.append(cell)
    return Row(channel=channel, flavor=flavor, anchor=anchors.new("matrix", channel, flavor), cells=cells)


def _items(checks, inherited):
    by_scenario = {}
    for c in checks:
        by_scenario.setdefault(c.scenario, []).append(c)
    items = []
    for scenario in sorted(by_scenario):
        group = by_scenario[scenario]
        failing = [c for c in group if not c.passed]
        kinds = []
        for c in failing:
            if c.kind not in kinds:
                kinds.append(c.kind)
        work = {}
        for c in group:
            add_work(work, c.work)
        items.append(ScenarioItem(scenario=scenario, passed=not failing, kinds=kinds, work=work,
                                  anchor=next((c.failure.anchor for c in failing if c.failure), None),
                                  count=len(group), inherited=inherited))
    return items
