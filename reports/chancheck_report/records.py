"""records.py — the engine-neutral records the page is built from.

Each engine adapter (relacy.py, properties.py, stress.py) turns its results files into:

- `Check`: one run of a *reference* channel (no seeded bug), which must pass;
- `Trial`: one engine's attempt at one seeded bug (a mutant of the bug zoo), caught or missed;
- `Failure`: what the failure-details section shows for a failing check or a catch (history
  lanes, counterexample, sanitizer report, watchdog dump) and the command that replays it;
- `Incomplete`: a results file whose run stopped before its end (`"complete": false`).

Every string in them comes from untrusted results files and is escaped by the templates.
"""
import re
from dataclasses import dataclass, field


# Engine column labels, in the order the matrices show them. The stress engine gets one
# column per sanitizer build (build.sanitizer in its files): none, thread, address+undefined.
RELACY = "relacy"
PROPERTIES = "properties"
CONTROLLED = "controlled"  # unmodified code on real threads under chancheck's scheduler (controlled/)
STRESS = "stress"
STRESS_TSAN = "stress (tsan)"
STRESS_ASAN = "stress (asan)"
ENGINE_ORDER = (RELACY, PROPERTIES, CONTROLLED, STRESS, STRESS_TSAN, STRESS_ASAN)

EVERY_FLAVOR = "every flavor"  # a property test generates programs over all flavors of a kind
EVERY_KIND = "several kinds"
ADAPTER_FLAVOR = "adapter"  # a channel brought through an adapter: its stress runs and property share one row


def engine_sort_key(label):
    return (ENGINE_ORDER.index(label), "") if label in ENGINE_ORDER else (len(ENGINE_ORDER), label)


@dataclass
class Block:
    """One part of a failure's details. kind: 'text' (preformatted), 'lanes' (a lanes.Lanes),
    'program' (a lanes.Program), 'facts' (list of (label, value))."""
    label: str
    kind: str
    content: object
    open: bool = True


@dataclass
class Failure:
    anchor: str
    title: str
    engine: str
    kind: str          # failure kind, e.g. "deadlock", "tsan:data race"
    source: str        # the results file it comes from
    replay: str = None  # the one command that replays it
    replay_note: str = ""
    blocks: list = field(default_factory=list)
    reference: bool = True  # a reference channel failed (False: a mutant was caught or escaped)
    mutant: str = None


@dataclass
class Check:
    engine: str
    channel: str
    flavor: str
    scenario: str
    passed: bool
    kind: str = None        # failure kind when not passed
    work: dict = field(default_factory=dict)  # unit -> count, e.g. {"iterations (random)": 10000}
    seconds: float = 0.0
    source: str = ""
    failure: Failure = None
    label: str = ""         # how the check names itself (case, property, run id)


@dataclass
class Trial:
    engine: str
    mutant: str
    caught: bool
    caught_as: str = None   # failure kind it was caught as
    expected: str = None    # what this engine expects (None: no expectation)
    met: bool = True        # the engine's own expectation about this mutant held
    effort: str = ""        # e.g. "iteration 1", "1,781 cases", "130 runs"
    seconds: float = 0.0
    where: str = ""         # case / property / run id that tried it
    note: str = ""
    source: str = ""
    failure: Failure = None


@dataclass
class Incomplete:
    engine: str
    source: str
    what: str


@dataclass
class EngineFile:
    """One results file's run-level facts, for the summary's configuration and budgets."""
    engine: str
    source: str
    what: str               # e.g. "mpsc_scenarios_model (random scheduler)"
    budget: str = ""
    seed: object = None
    started: str = ""
    build: dict = None


@dataclass
class EngineData:
    checks: list = field(default_factory=list)
    trials: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)
    files: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # (source, text): read but not counted, and why

    def extend(self, other):
        self.checks += other.checks
        self.trials += other.trials
        self.failures += other.failures
        self.incomplete += other.incomplete
        self.files += other.files
        self.notes += other.notes


class Anchors:
    """Unique, readable HTML ids made from untrusted names (only [a-z0-9-] survive)."""

    def __init__(self):
        self.used = set()

    def new(self, *parts):
        base = "-".join(re.sub(r"[^a-z0-9]+", "-", str(p).lower()).strip("-") for p in parts if p)
        base = base[:80].strip("-") or "item"
        anchor, n = base, 2
        while anchor in self.used or f"{anchor}-replay" in self.used:
            anchor, n = f"{base}-{n}", n + 1
        self.used.add(anchor)
        self.used.add(f"{anchor}-replay")  # the id of its replay command (templates/_macros.html.j2)
        return anchor

    def reserve(self, *ids):
        """Ids the templates use themselves, which no name from the results may take."""
        self.used.update(ids)


def add_work(total, work):
    for unit, count in work.items():
        total[unit] = total.get(unit, 0) + count
    return total


def count(n, word):
    """"1 run", "130 runs"."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
