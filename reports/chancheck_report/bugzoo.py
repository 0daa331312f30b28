"""bugzoo.py — the bug-zoo matrix: each seeded bug × engine, caught or missed.

A seeded bug (channels/include/chancheck/detail/bug_zoo.hpp) is "caught" by an engine when
any of that engine's trials caught it; the cell shows how (the failure kind), how long it took
and with how much work (Relacy: the failing iteration or schedule; properties: cases run,
shrinking included; stress: runs until the catch). Two things are highlighted: a mutant that no
engine in these results caught, and a trial that did not do what its engine expected (a Relacy
or property mutant that escaped or failed differently, a stress `--expect` that was not met).
"""
from dataclasses import dataclass, field

from .records import engine_sort_key


@dataclass
class ZooCell:
    engine: str
    trials: list = field(default_factory=list)

    @property
    def status(self):
        if not self.trials:
            return "none"
        return "caught" if any(t.caught for t in self.trials) else "missed"

    @property
    def unexpected(self):
        return any(not t.met for t in self.trials)

    @property
    def first(self):
        """The trial the cell is about: the first catch, else the first try."""
        caught = [t for t in self.trials if t.caught]
        return (caught or self.trials or [None])[0]


@dataclass
class ZooRow:
    mutant: str
    anchor: str
    cells: list

    @property
    def caught_by(self):
        return [c.engine for c in self.cells if c.status == "caught"]

    @property
    def uncaught(self):
        return not self.caught_by

    @property
    def unexpected(self):
        return [c.engine for c in self.cells if c.unexpected]


@dataclass
class BugZoo:
    engines: list
    rows: list

    @property
    def uncaught(self):
        return [r for r in self.rows if r.uncaught]

    @property
    def unexpected(self):
        return [r for r in self.rows if r.unexpected]


def build(trials, anchors, engines_present=()):
    engines = sorted({t.engine for t in trials} | set(engines_present), key=engine_sort_key)
    mutants = sorted({t.mutant for t in trials})
    rows = []
    for m in mutants:
        cells = [ZooCell(engine=e, trials=[t for t in trials if t.mutant == m and t.engine == e]) for e in engines]
        rows.append(ZooRow(mutant=m, anchor=anchors.new("mutant", m), cells=cells))
    return BugZoo(engines=engines, rows=rows)
