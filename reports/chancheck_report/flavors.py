"""flavors.py — one name per channel configuration, whichever engine ran it.

Relacy's results name configurations the way the harness does
(harness/include/chancheck/harness/mpsc_scenarios.hpp and kinds_scenarios.hpp): the lock-free
flavors `list` (unbounded), `array` (bounded), `zero` (rendezvous) and their locked oracles
`locked_unbounded`, `locked_bounded`, `locked_rendezvous`; broadcast `slots_cap<N>` and
`locked_cap<N>`; oneshot `lock_free` and `locked`. The stress engine and the property tests
say `lock_free` or `locked` plus a capacity instead; `flavor_name` maps those onto the
harness names so that one matrix row collects every engine's runs of one configuration.
"""

KINDS = ("mpsc", "mpmc", "broadcast", "oneshot", "select")


def flavor_name(kind, impl, capacity):
    """Harness name of (channel kind, "lock_free" | "locked", capacity; None = unbounded)."""
    locked = impl == "locked"
    if kind == "oneshot":
        return impl
    if kind == "broadcast":
        cap = "" if capacity is None else str(capacity)
        return f"locked_cap{cap}" if locked else f"slots_cap{cap}"
    if kind in ("mpsc", "mpmc", "select"):
        if capacity is None:
            return "locked_unbounded" if locked else "list"
        if capacity == 0:
            return "locked_rendezvous" if locked else "zero"
        return "locked_bounded" if locked else "array"
    return impl


def program_flavor(head):
    """(kind, flavor) of a property program's head "mpsc/lock_free/cap=inf/ch=2", or None."""
    parts = head.split("/")
    if len(parts) < 3 or not parts[2].startswith("cap="):
        return None
    cap_text = parts[2][4:]
    if cap_text == "inf":
        capacity = None
    elif cap_text.isdigit():
        capacity = int(cap_text)
    else:
        return None
    return parts[0], flavor_name(parts[0], parts[1], capacity)
