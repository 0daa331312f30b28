"""flavors.py — one name per channel configuration, whichever engine ran it.

A configuration is a flavor (the algorithm: list, array, zero, locked, slots, state_machine;
harness/include/chancheck/harness/vocabulary.hpp) at a capacity, named `<flavor>@<capacity>`
as the Relacy models name it (harness/scenarios.hpp: `list@inf`, `array@1`, `zero@0`,
`locked@1`, `slots@2`, `state_machine@inf`). The stress engine says `lock_free` or `locked`
plus a capacity instead; `flavor_name` maps that onto the same name so that one matrix row
collects every engine's runs of one configuration.
"""

KINDS = ("mpsc", "mpmc", "broadcast", "oneshot", "select")


def flavor_name(kind, impl, capacity):
    """`<flavor>@<capacity>` of (channel kind, "lock_free" | "locked", capacity; None = unbounded)."""
    cap = "inf" if capacity is None else str(capacity)
    if impl == "locked":
        return f"locked@{cap}"
    if impl != "lock_free":
        return impl
    if kind == "oneshot":
        return f"state_machine@{cap}"
    if kind == "broadcast":
        return f"slots@{cap}"
    if kind in ("mpsc", "mpmc", "select"):
        if capacity is None:
            return "list@inf"
        return f"zero@{cap}" if capacity == 0 else f"array@{cap}"
    return impl


def program_flavor(head):
    """(kind, flavor) of a property program's head "mpsc_lock_free/cap=inf/ch=2", or None."""
    parts = head.split("/")
    if len(parts) < 2 or not parts[1].startswith("cap="):
        return None
    kind, _, impl = parts[0].partition("_")
    cap_text = parts[1][4:]
    if cap_text == "inf":
        capacity = None
    elif cap_text.isdigit():
        capacity = int(cap_text)
    else:
        return None
    if kind not in KINDS or impl not in ("lock_free", "locked"):
        return None
    return kind, flavor_name(kind, impl, capacity)
