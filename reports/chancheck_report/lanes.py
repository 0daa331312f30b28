"""lanes.py — histories and programs laid out as one lane (column) per thread.

Three text formats, all written by the engines (harness/RESULTS.md):

- Relacy's execution history (`history` of chancheck.model-results/2): a few header lines
  (test type, "DATA RACE (data race detected)", "iteration: 1"), then
  "execution history (N):" and one line per event "[index] thread: what, in function, file(line)",
  then the same events again grouped per thread (which a lane view makes redundant);
- the harness's recorded operations, as event objects (property `events`, Relacy
  `detail.events`: thread, op, result, stamps, value) or, in older text, "t1 recv -> ok 0 [2,5]";
- a property test's program (counterexample.program, property_tests/concurrent/program.hpp):
  "mpsc/lock_free/cap=inf/ch=2 | t0[s0,s1]: drop_sender@0 | t1[s0,r0]: recv@0 drop_receiver@0".

Parsing is forgiving: lines it does not recognise are kept as plain text, never dropped.
"""
import os
import re
from dataclasses import dataclass, field

_RELACY_EVENT = re.compile(r"^\[(\d+)\] (\d+): (.*)$")
_RELACY_WHERE = re.compile(r",\s*([^,\s]+)\((\d+)\)\s*$")  # ", /path/file.hpp(160)" at the end
_OPERATION = re.compile(r"^t(\d+) (.*?)(?: \[(\d+),(\d+)\])?$")
_PROGRAM_THREAD = re.compile(r"^t(\d+)\[([^\]]*)\]:\s*(.*)$")


@dataclass
class Event:
    index: str        # Relacy's event number or the operation's [start,end] stamps
    lane: int         # position of the thread in Lanes.threads
    text: str
    where: str = ""   # short location, e.g. "array.hpp:160"
    where_full: str = ""
    last: bool = False


@dataclass
class Lanes:
    threads: list                  # lane titles, e.g. ["thread 0", "thread 1"]
    events: list                   # Event, in order
    header: list = field(default_factory=list)  # lines before the events (what failed, where)
    total: int = 0                 # events in the history
    omitted: int = 0               # events left out (only the last `limit` are shown)


@dataclass
class Program:
    head: str                      # "mpsc/lock_free/cap=inf/ch=2"
    threads: list                  # (title, [operations])

    @property
    def depth(self):
        return max((len(ops) for _, ops in self.threads), default=0)


def relacy_lanes(history, limit=300):
    """Lanes of a Relacy execution history, or None if it has no event lines."""
    lines = history.splitlines()
    header, events, in_events = [], [], False
    for line in lines:
        if line.startswith("execution history"):
            in_events = True
            continue
        m = _RELACY_EVENT.match(line)
        if in_events and m:
            events.append((int(m.group(1)), int(m.group(2)), m.group(3)))
        elif in_events and events and not line.strip():
            break  # the per-thread listing that follows repeats the same events
        elif not in_events and line.strip():
            header.append(line)
    if not events:
        return None
    threads = sorted({t for _, t, _ in events})
    shown = events[-limit:]
    out = []
    for i, (index, thread, text) in enumerate(shown):
        what, where, where_full = _split_relacy_event(text)
        out.append(Event(index=str(index), lane=threads.index(thread), text=what, where=where,
                         where_full=where_full, last=i == len(shown) - 1))
    return Lanes(threads=[f"thread {t}" for t in threads], events=out, header=header,
                 total=len(events), omitted=len(events) - len(shown))


def _split_relacy_event(text):
    """("atomic load, value=4, order=relaxed", "array.hpp:160", full location) of one event."""
    what, sep, location = text.partition(", in ")
    if not sep:
        return text, "", ""
    m = _RELACY_WHERE.search(location)
    short = f"{os.path.basename(m.group(1))}:{m.group(2)}" if m else ""
    return what, short, "in " + location


def describe_event(e):
    """One recorded operation (an event object of a results file) as "recv -> ok 1000002"."""
    what = e["op"] + (f"@c{e['channel']}" if e.get("channel") else "") + " -> " + e["result"]
    if e.get("value") is not None:
        what += f" {e['value']}"
    if e.get("skipped") is not None:
        what += f" skipped={e['skipped']}"
    if e.get("returned") is not None:
        what += f" returned={e['returned']}"
    return what


def event_lanes(events, header=(), limit=300):
    """Lanes of recorded operations (event objects), ordered by invocation stamp; None if none."""
    if not events:
        return None
    ops = sorted(events, key=lambda e: (e.get("invoked", 0), e.get("responded", 0)))
    threads = sorted({e["thread"] for e in ops})
    shown = ops[-limit:]
    out = [Event(index=f"[{e.get('invoked', 0)},{e.get('responded', 0)}]", lane=threads.index(e["thread"]),
                 text=describe_event(e), last=False) for e in shown]
    return Lanes(threads=[f"t{t}" for t in threads], events=out, header=list(header),
                 total=len(ops), omitted=len(ops) - len(shown))


def operation_lanes(text, limit=300):
    """Lanes of recorded operations ("t1 recv -> ok 0 [2,5]"), ordered by invocation stamp.
    None if no line is an operation. Other lines (oracle findings) become the header."""
    header, ops = [], []
    for n, line in enumerate(text.splitlines()):
        m = _OPERATION.match(line.strip())
        if m:
            start = int(m.group(3)) if m.group(3) else None
            end = int(m.group(4)) if m.group(4) else None
            ops.append((start if start is not None else n, n, int(m.group(1)), m.group(2), start, end))
        elif line.strip():
            header.append(line)
    if not ops:
        return None
    ops.sort(key=lambda o: (o[0], o[1]))
    threads = sorted({o[2] for o in ops})
    shown = ops[-limit:]
    events = []
    for i, (_, _, thread, what, start, end) in enumerate(shown):
        stamp = f"[{start},{end}]" if start is not None else ""
        events.append(Event(index=stamp, lane=threads.index(thread), text=what, last=False))
    return Lanes(threads=[f"t{t}" for t in threads], events=events, header=header,
                 total=len(ops), omitted=len(ops) - len(shown))


def parse_program(text):
    """A Program from a counterexample's program text, or None if it is not one."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 2:
        return None
    threads = []
    for part in parts[1:]:
        m = _PROGRAM_THREAD.match(part)
        if not m:
            return None
        threads.append((f"t{m.group(1)} [{m.group(2)}]", m.group(3).split()))
    return Program(head=parts[0], threads=threads)
