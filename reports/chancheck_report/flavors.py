"""flavors.py — one name per channel configuration, whichever engine ran it.

A configuration is a flavor (the algorithm: list, array, zero, locked, slots, state_machine;
adapter for a user's channel; harness/include/chancheck/harness/vocabulary.hpp) at a capacity,
named `<flavor>@<capacity>`: `list@inf`, `array@1`, `zero@0`, `locked@1`, `slots@2`,
`state_machine@inf`. Every engine writes flavor and capacity as fields of their own, so one
matrix row collects every engine's runs of one configuration. A user's channel has one row,
`adapter`, whatever the capacity.
"""

KINDS = ("mpsc", "mpmc", "broadcast", "oneshot", "select")


def configuration(flavor, capacity):
    """The report's name of a flavor at a capacity: "list@inf", "locked@1"; "adapter" alone."""
    if flavor is None:
        return "—"
    if flavor == "adapter":
        return flavor
    return f"{flavor}@{'inf' if capacity is None else capacity}"
